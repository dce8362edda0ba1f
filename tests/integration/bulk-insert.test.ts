/**
 * Bulk inserts (one array per column, `unnest`) store exactly what the rows
 * hold, in order, on the PostgreSQL server and on the embedded one alike: texts with
 * quotes, backslashes, commas, braces and Armenian letters, nulls, JSON,
 * timestamps, and the column default where a row gives none.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type OpenedDatabase } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { insertEvents } from '../../src/db/repositories/event.repository.js';
import { insertInboundEvents } from '../../src/db/repositories/inbound-event.repository.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-env.js';

const AWKWARD = ['say "hi", {please} \\ back\\slash', 'Բարև ձեզ, ջուր չկա ։ (#1)', 'NULL', '', "it's", 'a,b', '{"x":1}', '🙂 e\u0301'];

let tdb: TestDatabase;
let embedded: OpenedDatabase;
let dataDir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ardzagank-bulk-'));
  chmodSync(dataDir, 0o755); // as root the server runs as "postgres", which must reach DATA_DIR
  embedded = await openDatabase({ databaseUrl: undefined, dataDir, logger: silentLogger(), embedded: { durable: false } });
  await migrateToLatest(embedded.db, silentLogger());
}, 60_000);
afterAll(async () => {
  await tdb.close();
  await embedded.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  ['PostgreSQL', () => tdb.db],
  ['the embedded PostgreSQL', () => embedded.db],
] as Array<[string, () => Db]>)('bulk inserts on %s', (_name, db) => {
  it('store events in order with their payloads, actors and times, and now() where no time is given', async () => {
    const at = new Date('2026-11-02T08:30:00.123Z');
    const before = Date.now();
    await insertEvents(
      db(),
      AWKWARD.map((text, n) => ({ type: `bulk_test_${n}`, actorKind: n % 2 ? 'citizen' : 'system', payload: { text, n, nested: { keep_case: true } }, ...(n % 3 === 0 ? { occurredAt: at } : {}) })),
    );
    const rows = await db().selectFrom('events').selectAll().where('type', 'like', 'bulk_test_%').orderBy('id').execute();
    expect(rows.map((r) => r.type)).toEqual(AWKWARD.map((_, n) => `bulk_test_${n}`));
    rows.forEach((r, n) => {
      expect(r.payload).toEqual({ text: AWKWARD[n], n, nested: { keep_case: true } });
      expect(r.actorKind).toBe(n % 2 ? 'citizen' : 'system');
      expect(r.inquiryId).toBeNull();
      if (n % 3 === 0) expect(new Date(r.occurredAt).toISOString()).toBe(at.toISOString());
      else expect(new Date(r.occurredAt).getTime()).toBeGreaterThan(before - 60_000);
    });
  });

  it('store inbound payloads once per dedup key, answering in the order asked', async () => {
    const events = AWKWARD.map((text, n) => ({ platform: 'facebook' as const, origin: 'webhook' as const, dedupKey: `bulk-${n}`, payload: { message: text, bad: 'x\u0000y' } }));
    const first = await insertInboundEvents(db(), [...events, events[2]!]);
    expect(first.map((r) => r.inserted)).toEqual([...AWKWARD.map(() => true), false]);
    expect(first[AWKWARD.length]!.id).toBe(first[2]!.id);
    const again = await insertInboundEvents(db(), events.slice(0, 2));
    expect(again).toEqual(first.slice(0, 2).map((r) => ({ id: r.id, inserted: false })));
    const rows = await db().selectFrom('inboundEvents').select(['id', 'payload']).where('dedupKey', 'like', 'bulk-%').orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual(first.slice(0, AWKWARD.length).map((r) => r.id));
    // NUL cannot be stored in jsonb: it becomes U+FFFD, the rest is kept.
    expect(rows.map((r) => r.payload)).toEqual(AWKWARD.map((text) => ({ message: text, bad: 'x\ufffdy' })));
  });
});
