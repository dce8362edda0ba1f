/**
 * Runs once per `vitest run`: checks that the real PostgreSQL (and Redis,
 * when TEST_REDIS_URL sets the queues on it; unset, they run in PostgreSQL)
 * are there (with a clear message if not), migrates a template database once,
 * and hands its name to the test files, which each copy it
 * (`CREATE DATABASE … TEMPLATE`). Databases of this run are dropped at the end.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/observability/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    /** TEST_REDIS_URL: the queues run on Redis; '' when unset: they run in PostgreSQL. */
    redisUrl: string;
    runId: string;
  }
}

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL || undefined;
const STALE_MS = 6 * 3600_000;

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function checkServices(): Promise<void> {
  try {
    await adminQuery('select 1');
  } catch (error) {
    throw new Error(
      `The tests need a PostgreSQL server at ${ADMIN_URL} (${(error as Error).message || String(error)}). ` +
        `Start it (pg_ctlcluster <version> main start, or docker compose up -d postgres) or set TEST_DATABASE_URL.`,
    );
  }
  if (!REDIS_URL) return;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `The tests need a Redis server at ${REDIS_URL} (${(error as Error).message}). Start it (redis-server --daemonize yes) or set TEST_REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

/** Drops test databases left by runs that crashed hours ago. */
async function dropStaleDatabases(): Promise<void> {
  const { rows } = await adminQuery(`select datname from pg_database where datname ~ '^ardzagank_(tpl|t)_[0-9]+_'`);
  for (const { datname } of rows as Array<{ datname: string }>) {
    const started = Number(/^ardzagank_(?:tpl|t)_(\d+)_/.exec(datname)?.[1]);
    if (Date.now() - started > STALE_MS) await adminQuery(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await checkServices();
  await dropStaleDatabases();
  const runId = `${Date.now()}_${process.pid}`;
  const template = `ardzagank_tpl_${runId}`;
  await adminQuery(`create database "${template}"`);
  const logger = createLogger({ level: 'silent' });
  const opened = await openDatabase({ databaseUrl: databaseUrl(template), dataDir: '/nonexistent', logger });
  try {
    await migrateToLatest(opened.db, logger);
  } finally {
    await opened.close();
  }
  project.provide('adminDatabaseUrl', ADMIN_URL);
  project.provide('templateDatabase', template);
  project.provide('redisUrl', REDIS_URL ?? '');
  project.provide('runId', runId);

  return async () => {
    const { rows } = await adminQuery(`select datname from pg_database where datname like 'ardzagank_t_${runId}_%'`);
    for (const { datname } of rows as Array<{ datname: string }>) await adminQuery(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
    await adminQuery(`drop database if exists "${template}" with (force)`);
  };
}
