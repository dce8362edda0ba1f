/**
 * Where benchmarks run: a database of their own on the PostgreSQL server
 * (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local one), and a
 * queue prefix of their own, in that database (queues in PostgreSQL) or on
 * Redis (BENCH_REDIS_URL, else TEST_REDIS_URL, else the local one), all
 * removed afterwards. The ingest benchmark runs on both transports; the
 * others on BENCH_QUEUES (`postgres`, the default as for `npm start`, or
 * `redis`). Nothing else on the shared servers is touched.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openQueueTransport, removeQueues, type QueueTransport } from '../../src/queue/transport.js';

export const ADMIN_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(name: string, admin = ADMIN_DATABASE_URL): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string, admin = ADMIN_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** An empty database (the service migrates it when it starts). */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `ardzagank_bench_${label}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  return { name, url: databaseUrl(name), drop: () => adminQuery(`drop database if exists "${name}" with (force)`) };
}

export function benchQueuePrefix(label: string): string {
  return `bench-${label}-${randomBytes(4).toString('hex')}`;
}

export type BenchTransportKind = 'redis' | 'postgres';

/** The transport of the benchmarks that run on one (memory, latency). */
export const BENCH_QUEUES: BenchTransportKind = process.env.BENCH_QUEUES === 'redis' ? 'redis' : 'postgres';

export const benchRedisUrlFor = (kind: BenchTransportKind): string | undefined => (kind === 'redis' ? BENCH_REDIS_URL : undefined);

/** Removes a prefix's queues on Redis (in PostgreSQL they go with the benchmark's database). */
export async function removeBenchQueues(kind: BenchTransportKind, prefix: string): Promise<void> {
  if (kind === 'redis') await removeQueues({ redisUrl: BENCH_REDIS_URL, databaseUrl: undefined, prefix });
}

/** The queues of one prefix on `kind`: Redis at BENCH_REDIS_URL, or PostgreSQL in `databaseUrl`. */
export function benchQueueEnv(kind: BenchTransportKind, databaseUrl: string, prefix: string): { redisUrl: string | undefined; databaseUrl: string; prefix: string } {
  return { redisUrl: benchRedisUrlFor(kind), databaseUrl, prefix };
}

/** Opens the queues of one prefix on `kind` (close, and `remove()`, at the end). */
export function openBenchTransport(kind: BenchTransportKind, databaseUrl: string, prefix: string): Promise<QueueTransport> {
  return openQueueTransport({ ...benchQueueEnv(kind, databaseUrl, prefix), name: 'ardzagank-bench' });
}
