/**
 * pino JSON logs. Every line passes through {@link scrubSecrets} before it is
 * written, so a token that slips into a message, an error or a URL never
 * reaches the log.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { scrubSecrets } from './redact.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  level: LevelWithSilent;
  /** Secret values to scrub (tokens, app secret). */
  secrets?: readonly string[];
  /** Where to write; defaults to stdout. Tests pass a capturing stream. */
  destination?: { write(chunk: string): unknown };
  name?: string;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  return pino(
    {
      name: options.name ?? 'ardzagank',
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.token', '*.accessToken', '*.access_token', '*.password', '*.secret', 'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]'],
        censor: '[REDACTED]',
      },
      serializers: { err: pino.stdSerializers.errWithCause, error: pino.stdSerializers.errWithCause },
      hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
