/**
 * Opens the database: PostgreSQL through `pg` at `DATABASE_URL` when it is
 * set, otherwise a PostgreSQL this process starts in `DATA_DIR/postgres`
 * (see embedded-postgres.ts) and stops on close, so the service runs on a
 * machine with no PostgreSQL server. Either way the same `pg` pool and
 * dialect, with integers and bigints as JavaScript numbers and `date`
 * columns as `YYYY-MM-DD` strings.
 */
import path from 'node:path';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** The database could not be opened; `message` is one sentence saying what to do. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

// Row ids and counts are bigint in SQL; they stay far below 2^53, so numbers
// are exact for every caller.
const parseInt8 = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${v} does not fit a JavaScript number`);
  return n;
};
const parsers: Record<number, (value: string) => unknown> = {
  [INT8_OID]: parseInt8,
  [NUMERIC_OID]: (v) => Number(v),
  [DATE_OID]: (v) => v,
};

export interface OpenDatabaseOptions {
  /** `postgres://…`; undefined opens the embedded database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  logger: Logger;
  /** Connections in the pool. */
  poolSize?: number;
  /**
   * Settings of the embedded server (tests and the demo make it non-durable).
   * `attach` (default true): a server that another live process runs in
   * DATA_DIR is used as it is (a command beside the running service);
   * `start` sets it false, so that two services never share one.
   */
  embedded?: { durable?: boolean; maxConnections?: number; attach?: boolean };
}

export interface OpenedDatabase {
  db: Db;
  kind: 'postgres' | 'embedded';
  /** Where it is, with any password removed, for logs and messages. */
  description: string;
  /** Its connection URL (the embedded server's Unix socket), for other clients of the same database. */
  url: string;
  close(): Promise<void>;
}

/** A connection URL with the password removed. */
export function describeDatabaseUrl(url: string): string {
  return scrubSecrets(url);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openEmbedded(options);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const description = describeDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types: { getTypeParser: ((oid: number, format?: string) => parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
  });
  // An idle client losing its connection (Postgres restarted) must not crash
  // the process; the pool replaces it on the next query.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'PostgreSQL connection lost; it will be re-opened'));
  // The pool listens only to idle clients: one lost while a transaction holds it
  // between two statements (waiting for Telegram or Redis) has no query to fail,
  // and its error event would crash the process. The next statement fails
  // instead, and the pool drops the client.
  pool.on('connect', (client) =>
    client.on('error', (error) => options.logger.warn({ err: error }, 'PostgreSQL connection lost while in use; its transaction fails and is retried')),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `Cannot connect to PostgreSQL at ${description} (${reasonOf(error)}). Check DATABASE_URL, or unset it to use the embedded database.`,
      { cause: error },
    );
  }
  return { db, kind: 'postgres', description, url, close: () => db.destroy() };
}

async function openEmbedded(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const dir = path.join(options.dataDir, 'postgres');
  // Loaded lazily: the embedded server is only needed without DATABASE_URL.
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  let server;
  try {
    server = await startEmbeddedPostgres({ dir, logger: options.logger, database: 'ardzagank', attach: true, ...(options.embedded ?? {}) });
  } catch (error) {
    throw new DatabaseUnavailableError(`Cannot start the embedded PostgreSQL in ${dir} (${reasonOf(error)}). Set DATABASE_URL to use a PostgreSQL server instead.`, {
      cause: error,
    });
  }
  let opened: OpenedDatabase;
  try {
    opened = await openPostgres(server.urlOf('ardzagank'), options);
  } catch (error) {
    await server.stop();
    throw error;
  }
  options.logger.info({ dir, pid: server.pid }, 'using the embedded PostgreSQL; set DATABASE_URL for a PostgreSQL server');
  return {
    db: opened.db,
    kind: 'embedded',
    description: `embedded PostgreSQL in ${dir}`,
    url: server.urlOf('ardzagank'),
    close: async () => {
      try {
        await opened.close();
      } finally {
        await server.stop();
      }
    },
  };
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' && e.message ? e.message : String(error);
    const code = typeof e.code === 'string' ? e.code : undefined;
    const text = code && !message.includes(code) ? `${code}: ${message}` : message;
    return scrubSecrets(text.split('\n')[0] ?? text);
  }
  return String(error);
}
