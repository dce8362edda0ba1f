import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { insertEvent } from '../../src/db/repositories/event.repository.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => tdb.close());

describe('migrations', () => {
  it('are a no-op the second time, also when two processes run them at once', async () => {
    const results = await Promise.all([migrateToLatest(tdb.db, silentLogger()), migrateToLatest(tdb.db, silentLogger())]);
    expect(results.map((r) => r.applied)).toEqual([[], []]);
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tdb.db);
    expect(rows.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
  });

  it('applies cleanly on an empty database from two connections at once', async () => {
    const fresh = await createTestDatabase();
    try {
      await sql`drop schema public cascade`.execute(fresh.db);
      await sql`create schema public`.execute(fresh.db);
      const a = await openDatabase({ databaseUrl: fresh.url, dataDir: '/nonexistent', logger: silentLogger() });
      const b = await openDatabase({ databaseUrl: fresh.url, dataDir: '/nonexistent', logger: silentLogger() });
      try {
        const [ra, rb] = await Promise.all([migrateToLatest(a.db, silentLogger()), migrateToLatest(b.db, silentLogger())]);
        expect([...ra.applied, ...rb.applied].sort()).toEqual(Object.keys(migrations).sort());
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await fresh.close();
    }
  });

  it('seeds the twelve sectors with Armenian, English and Russian names', async () => {
    const sectors = await tdb.db.selectFrom('sectors').selectAll().orderBy('position').execute();
    expect(sectors).toHaveLength(12);
    const water = sectors.find((s) => s.code === 'water')!;
    expect(water.nameHy).toMatch(/ջ/i);
    expect(water.keywords.hy.length).toBeGreaterThan(0);
    expect(sectors.at(-1)!.code).toBe('other');
  });
});

describe('schema rules', () => {
  it('keeps events append-only', async () => {
    await insertEvent(tdb.db, { type: 'test', payload: { a: 1 } });
    await expect(sql`update events set type = 'changed'`.execute(tdb.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from events`.execute(tdb.db)).rejects.toThrow(/append-only/);
  });

  it('returns bigint ids and counts as numbers and dates as YYYY-MM-DD', async () => {
    const row = await sql<{ n: unknown; d: unknown }>`select count(*) as n, date '2018-05-01' as d`.execute(tdb.db);
    expect(row.rows[0]).toEqual({ n: 1, d: '2018-05-01' });
  });
});

describe('embedded database (a PostgreSQL of its own in DATA_DIR)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-embedded-'));
    chmodSync(dir, 0o755); // as root the server runs as "postgres", which must reach DATA_DIR
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, returns the same types as pg, and keeps its data across a reopen', async () => {
    const first = await openDatabase({ databaseUrl: undefined, dataDir: dir, logger: silentLogger() });
    expect(first.kind).toBe('embedded');
    await migrateToLatest(first.db, silentLogger());
    await insertEvent(first.db, { type: 'test' });
    await first.close();

    const second = await openDatabase({ databaseUrl: undefined, dataDir: dir, logger: silentLogger() });
    try {
      expect((await migrateToLatest(second.db, silentLogger())).applied).toEqual([]);
      const row = await sql<{ n: unknown; d: unknown }>`select count(*) as n, date '2018-05-01' as d from events`.execute(second.db);
      expect(row.rows[0]).toEqual({ n: 1, d: '2018-05-01' });
      const sectors = await second.db.selectFrom('sectors').select('code').execute();
      expect(sectors).toHaveLength(12);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('starts over a stale postmaster.pid whose pid now belongs to another program', async () => {
    // A run killed with its server (a container restart) leaves postmaster.pid; its pid is reused.
    // PostgreSQL alone refuses: "lock file postmaster.pid already exists. Is another postmaster (PID 1) running?"
    const lockFile = path.join(dir, 'postgres', 'postmaster.pid');
    writeFileSync(lockFile, `1\n${path.join(dir, 'postgres')}\n`);
    const opened = await openDatabase({ databaseUrl: undefined, dataDir: dir, logger: silentLogger() });
    try {
      const row = await sql<{ n: unknown }>`select count(*) as n from events`.execute(opened.db);
      expect(row.rows[0]).toEqual({ n: 1 });
    } finally {
      await opened.close();
    }
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);
});

describe('a database that cannot be reached', () => {
  it('fails with one sentence that names the fix, without the password', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://app:hunter2secret@127.0.0.1:1/nope', dataDir: '/x', logger: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Cannot connect to PostgreSQL at postgres:\/\/app:\[REDACTED\]@127\.0\.0\.1:1\/nope \(.+\)\. Check DATABASE_URL/);
    expect(message).not.toContain('hunter2secret');
  });
});
