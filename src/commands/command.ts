import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The shape of an `ardzagank` sub-command. Each lives in its own file and is
 * listed in `src/cli.ts`.
 */
export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  /** One line for `ardzagank --help`. */
  summary: string;
  /** Full usage for `ardzagank <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CommandIo): Promise<number>;
}

/** A usage mistake: the CLI prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `node:util` parseArgs, with its mistakes reported as a {@link UsageError}. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
