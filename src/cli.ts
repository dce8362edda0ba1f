/**
 * The `ardzagank` command. Errors with a known cause (configuration, an
 * unreachable database or Redis, a usage mistake) print one clear message,
 * not a stack trace.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';
import { UsageError, type Command, type CommandIo } from './commands/command.js';
import { baselineCommand } from './commands/baseline.command.js';
import { countersCommand, logCommand } from './commands/counters.command.js';
import { digestCommand } from './commands/digest.command.js';
import { importCommand } from './commands/import.command.js';
import { demoCommand } from './commands/demo.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { reportCommand } from './commands/report.command.js';
import { sourcesCommand } from './commands/sources.command.js';
import { staffCommand } from './commands/staff.command.js';
import { startCommand } from './commands/start.command.js';
import { yearCommand } from './commands/year.command.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: Command[] = [startCommand, demoCommand, migrateCommand, staffCommand, sourcesCommand, reportCommand, baselineCommand, importCommand, digestCommand, yearCommand, countersCommand, logCommand];

const KNOWN_FAILURES = new Set(['ConfigError', 'DatabaseUnavailableError', 'RedisUnavailableError', 'QueuesUnavailableError', 'MigrationError', 'NotFoundError']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'ardzagank — no citizen question on the city\'s pages stays unanswered',
    '',
    'Usage: ardzagank <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "ardzagank <command> --help" for the options of one command.',
    'Configuration: environment variables or a .env file (see README.md).',
  ].join('\n');
}

const defaultIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: CommandIo = defaultIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof Error && KNOWN_FAILURES.has(error.name)) {
      io.err(error.message);
      return 1;
    }
    io.err(`ardzagank ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
