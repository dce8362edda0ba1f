/**
 * The one place that says which transport carries the queues:
 *
 * - `REDIS_URL` set: Redis, through ioredis (`redis.ts`), keys under
 *   `QUEUE_PREFIX:`.
 * - `REDIS_URL` unset (the default): BullMQ's own PostgreSQL backend, in the
 *   app's database, its tables in a schema of their own named after
 *   `QUEUE_PREFIX` (`<prefix>_queues`, see {@link queueSchemaName}), created
 *   and migrated by BullMQ at start.
 *
 * Either way Postgres is the source of truth and the queues only transport:
 * the reconciler queues again whatever a lost job leaves pending. Every
 * Queue, Worker, QueueEvents and FlowProducer of the service is made here.
 */
import { createHash } from 'node:crypto';
import {
  createPostgresBackend,
  FlowProducer,
  PostgresConnection,
  PostgresQueueBackend,
  Queue,
  QueueEvents,
  runMigrations,
  Worker,
  type BackendFactory,
  type FlowProducerOptions,
  type PostgresConnectionOptions,
  type Processor,
  type QueueEventsOptions,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { scrubSecrets } from '../observability/redact.js';
import { checkRedis, createRedisConnection } from './redis.js';

export type QueueTransportKind = 'redis' | 'postgres';

/** Options of a queue, worker… without what the transport decides (connection, prefix). */
type Own<T> = Omit<T, 'connection' | 'prefix'>;

export interface QueueTransport {
  kind: QueueTransportKind;
  /** Where the queues are, without secrets, for logs and messages. */
  description: string;
  prefix: string;
  queue(name: string, options?: Own<QueueOptions>): Queue;
  worker(name: string, processor: Processor, options?: Own<WorkerOptions>): Worker;
  queueEvents(name: string, options?: Own<QueueEventsOptions>): QueueEvents;
  flowProducer(options?: Own<FlowProducerOptions>): FlowProducer;
  /** Throws while the queues' store cannot be reached (`/readyz`). */
  ping(): Promise<void>;
  /**
   * Deletes every job, scheduler and event of this prefix's queues; the
   * queues stay usable (what an emptied Redis or truncated tables look like).
   */
  empty(): Promise<void>;
  /** Deletes this prefix's queues altogether (Redis keys; the PostgreSQL schema). Close everything on them first. */
  remove(): Promise<void>;
  /**
   * Creates again what the store lost of the queues themselves (PostgreSQL:
   * the schema or its tables dropped); nothing to do on Redis, whose keys
   * come back with the next job. The jobs are Postgres's to restore (the reconciler).
   */
  restore(): Promise<void>;
  /** Closes the transport's own connections (close the queues and workers first). */
  close(): Promise<void>;
}

export interface QueueTransportOptions {
  /** Set: queues on Redis. Unset: queues on PostgreSQL at `databaseUrl`. */
  redisUrl: string | undefined;
  /** The app's database (`postgres://…`), for queues on PostgreSQL. */
  databaseUrl: string | undefined;
  prefix: string;
  /** Names the connections (Redis client name, PostgreSQL application_name). */
  name?: string;
  /** Reports connection errors (the transport retries). */
  onError?: (error: Error) => void;
}

/** The queues could not be reached; `message` is one sentence saying what to do. */
export class QueuesUnavailableError extends Error {
  override name = 'QueuesUnavailableError';
}

/** Which transport `options` select. */
export function queueTransportKind(options: Pick<QueueTransportOptions, 'redisUrl'>): QueueTransportKind {
  return options.redisUrl ? 'redis' : 'postgres';
}

/**
 * The PostgreSQL schema of a prefix's queues: `<prefix>_queues`, lower case,
 * `-` as `_` (a prefix too long for an identifier is shortened with a hash).
 */
export function queueSchemaName(prefix: string): string {
  let base = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!/^[a-z_]/.test(base)) base = `q_${base}`;
  const name = `${base}_queues`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(prefix).digest('hex').slice(0, 8);
  return `${base.slice(0, 63 - 8 - 8)}_${hash}_queues`;
}

/**
 * The app's database address, for queues in PostgreSQL: DATABASE_URL, or the
 * address the embedded database gives once started (when it has one: an
 * `url` on the opened database).
 */
export function appDatabaseUrl(databaseUrl: string | undefined, database: object): string | undefined {
  if (databaseUrl) return databaseUrl;
  const url = (database as { url?: unknown }).url;
  return typeof url === 'string' ? url : undefined;
}

/** Fails fast, with one sentence saying what to do, when the queues' Redis cannot be reached (PostgreSQL queues: the database is checked when it opens). */
export async function checkQueueTransport(options: Pick<QueueTransportOptions, 'redisUrl'>): Promise<void> {
  if (options.redisUrl) await checkRedis(options.redisUrl);
}

export async function openQueueTransport(options: QueueTransportOptions): Promise<QueueTransport> {
  await checkQueueTransport(options);
  if (queueTransportKind(options) === 'redis') return openRedisTransport(options.redisUrl!, options);
  if (!options.databaseUrl) {
    throw new QueuesUnavailableError('The queues run in PostgreSQL when REDIS_URL is unset, and need the database\'s address: set DATABASE_URL (or REDIS_URL for queues on Redis).');
  }
  return openPostgresTransport(options.databaseUrl, options);
}

/**
 * Deletes a prefix's queues without opening them (the end of a demo, a test):
 * its keys in Redis, or its schema in PostgreSQL.
 */
export async function removeQueues(options: Pick<QueueTransportOptions, 'redisUrl' | 'databaseUrl' | 'prefix'>): Promise<void> {
  if (options.redisUrl) {
    const { Redis } = await import('ioredis');
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await deleteRedisPrefix(redis, options.prefix);
    } finally {
      redis.disconnect();
    }
    return;
  }
  if (!options.databaseUrl) return;
  const client = new pg.Client({ connectionString: options.databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${queueSchemaName(options.prefix)}" cascade`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

function openRedisTransport(url: string, options: QueueTransportOptions): QueueTransport {
  const connection: Redis = createRedisConnection(url, options.name ?? 'ardzagank-queues');
  connection.on('error', (error) => options.onError?.(error));
  const { prefix } = options;
  const deleteKeys = () => deleteRedisPrefix(connection, prefix);
  return {
    kind: 'redis',
    description: `Redis at ${scrubSecrets(url)} (prefix "${prefix}")`,
    prefix,
    queue: (name, o = {}) => new Queue(name, { ...o, connection, prefix }),
    worker: (name, processor, o = {}) => new Worker(name, processor, { ...o, connection, prefix }),
    queueEvents: (name, o = {}) => new QueueEvents(name, { ...o, connection, prefix }),
    flowProducer: (o = {}) => new FlowProducer({ ...o, connection, prefix }),
    ping: async () => void (await connection.ping()),
    empty: deleteKeys,
    remove: deleteKeys,
    restore: async () => undefined,
    close: async () => {
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/**
 * Queues (producers) share one PostgreSQL connection pool; each worker and
 * QueueEvents has its own (a pool and the LISTEN connection that wakes it).
 */
async function openPostgresTransport(url: string, options: QueueTransportOptions): Promise<QueueTransport> {
  const { prefix } = options;
  const schema = queueSchemaName(prefix);
  const applicationName = options.name ?? 'ardzagank-queues';
  const config = (max: number): PostgresConnectionOptions => ({
    connectionString: url,
    schema,
    migrate: true,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
  });
  // Small pools: every worker has its own, on a server other instances (and their pools) share.
  const shared = new PostgresConnection(config(6));
  shared.on('error', (error: Error) => options.onError?.(error));
  try {
    await shared.waitUntilReady();
  } catch (error) {
    await shared.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new QueuesUnavailableError(
      `Cannot set up the queues in PostgreSQL at ${scrubSecrets(url)} (schema ${schema}: ${scrubSecrets(reason)}). Check DATABASE_URL, or set REDIS_URL for queues on Redis.`,
      { cause: error },
    );
  }
  // Producers borrow the shared connection; anything that blocks (a worker, QueueEvents) gets its own.
  const factory: BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> = (name, opts, factoryOpts) =>
    factoryOpts?.blocking || factoryOpts?.withBlockingConnection
      ? createPostgresBackend(name, opts, factoryOpts)
      : new PostgresQueueBackend(shared, name, opts, false);
  // The classes are generic over their backend; the service uses them through their common (default) type.
  const asDefault = <T>(value: unknown) => value as T;
  return {
    kind: 'postgres',
    description: `PostgreSQL at ${scrubSecrets(url)} (schema ${schema})`,
    prefix,
    // Queues and flow producers borrow the shared pool (the factory ignores their connection options).
    queue: (name, o = {}) => asDefault<Queue>(new Queue(name, { ...o, connection: config(1) }, factory)),
    worker: (name, processor, o = {}) =>
      asDefault<Worker>(new Worker(name, processor as never, { ...o, connection: config(Math.min((o.concurrency ?? 1) + 1, 6)) }, factory)),
    queueEvents: (name, o = {}) => asDefault<QueueEvents>(new QueueEvents(name, { ...o, connection: config(2) }, factory)),
    flowProducer: (o = {}) => asDefault<FlowProducer>(new FlowProducer({ ...o, connection: config(1) }, factory)),
    ping: async () => void (await shared.pool.query('select 1')),
    empty: async () => {
      const { rows } = await shared.pool.query<{ name: string }>(
        `select quote_ident(tablename) as name from pg_tables where schemaname = $1 and tablename <> 'migration'`,
        [schema],
      );
      if (rows.length > 0) await shared.pool.query(`truncate ${rows.map((r) => r.name).join(', ')} cascade`);
    },
    remove: () => removeQueues({ redisUrl: undefined, databaseUrl: url, prefix }),
    restore: async () => {
      const client = await shared.pool.connect();
      try {
        await runMigrations(client, schema);
      } finally {
        client.release();
      }
    },
    close: () => shared.close(),
  };
}
