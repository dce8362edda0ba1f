/**
 * Opens the database: PostgreSQL through `pg` when `DATABASE_URL` is set,
 * otherwise an embedded PostgreSQL (PGlite) stored under `DATA_DIR`, so the
 * service runs on a machine with no Postgres. Both return integers and
 * bigints as JavaScript numbers and `date` columns as `YYYY-MM-DD` strings.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CamelCasePlugin, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
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
// are exact and every caller gets the same type from pg and PGlite.
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
  /** Connections in the pool (pg only). */
  poolSize?: number;
}

export interface OpenedDatabase {
  db: Db;
  kind: 'postgres' | 'embedded';
  /** Where it is, with any password removed, for logs and messages. */
  description: string;
  close(): Promise<void>;
}

/** A connection URL with the password removed. */
export function describeDatabaseUrl(url: string): string {
  return scrubSecrets(url);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openEmbedded(options.dataDir, options.logger);
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
  return { db, kind: 'postgres', description, close: () => db.destroy() };
}

async function openEmbedded(dataDir: string, logger: Logger): Promise<OpenedDatabase> {
  const dir = path.join(dataDir, 'pglite');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DatabaseUnavailableError(`Cannot create the embedded database folder ${dir} (${reasonOf(error)}). Set DATA_DIR to a writable folder.`, {
      cause: error,
    });
  }
  // Loaded lazily: the embedded engine is only needed without DATABASE_URL.
  const { PGlite } = await import('@electric-sql/pglite');
  let pglite;
  try {
    pglite = await PGlite.create(dir, { parsers });
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database in ${dir} (${reasonOf(error)}). Is another ardzagank process using it? The embedded database allows one process; set DATABASE_URL for more.`,
      { cause: error },
    );
  }
  logger.info({ dir }, 'using the embedded PostgreSQL (PGlite); set DATABASE_URL for a PostgreSQL server');
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
  return { db, kind: 'embedded', description: `embedded PostgreSQL in ${dir}`, close: () => db.destroy() };
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
