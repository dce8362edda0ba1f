/**
 * What a test file needs from the real services: its own database copied
 * from the migrated template, a unique BullMQ prefix, the queues (on Redis
 * when TEST_REDIS_URL is set, else in PostgreSQL, in the test's database),
 * and a logger whose lines can be read back.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../src/db/create-db.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { openQueueTransport, removeQueues, type QueueTransport } from '../../src/queue/transport.js';

export interface TestDatabase {
  db: Db;
  url: string;
  name: string;
  close(): Promise<void>;
}

function urlFor(name: string): string {
  const url = new URL(inject('adminDatabaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ardzagank_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${inject('templateDatabase')}"`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const opened = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent', logger: createLogger({ level: 'silent' }), poolSize: 12 });
  return {
    db: opened.db,
    url,
    name,
    close: async () => {
      await opened.close();
      const a = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`).finally(() => a.end());
    },
  };
}

/** A BullMQ key prefix no other test uses. */
export function uniqueQueuePrefix(label = 't'): string {
  return `test-${label}-${randomBytes(5).toString('hex')}`;
}

/** The Redis the queues run on (TEST_REDIS_URL), or undefined: they run in PostgreSQL. */
export function testRedisUrl(): string | undefined {
  return inject('redisUrl') || undefined;
}

/** The service's environment for the queues: REDIS_URL when the run uses Redis, nothing (PostgreSQL in DATABASE_URL) otherwise. */
export function queueEnv(): Record<string, string> {
  const url = testRedisUrl();
  return url ? { REDIS_URL: url } : {};
}

/** The queues of `prefix` as the service would open them, in the test's database when they run in PostgreSQL. */
export function openTestTransport(databaseUrl: string, prefix: string): Promise<QueueTransport> {
  return openQueueTransport({ redisUrl: testRedisUrl(), databaseUrl, prefix, name: 'ardzagank-test' });
}

/** Deletes the queues of `prefix` (Redis keys, or the PostgreSQL schema in `databaseUrl`). */
export function removeTestQueues(databaseUrl: string, prefix: string): Promise<void> {
  return removeQueues({ redisUrl: testRedisUrl(), databaseUrl, prefix });
}

export interface CapturedLogger {
  logger: Logger;
  lines: () => string[];
  text: () => string;
}

/** A logger that writes synchronously into memory, to assert on log lines. */
export function captureLogger(options: { secrets?: string[]; level?: 'debug' | 'info' | 'trace' } = {}): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({ level: options.level ?? 'debug', secrets: options.secrets ?? [], destination: { write: (s: string) => lines.push(s) } });
  return { logger, lines: () => lines, text: () => lines.join('') };
}

export const silentLogger = (): Logger => createLogger({ level: 'silent' });
