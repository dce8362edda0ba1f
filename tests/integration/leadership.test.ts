/**
 * The lease that lets one of several instances long-poll Telegram
 * (`lib/leadership.ts` over `leases` in PostgreSQL): one instance leads at
 * a time; a clean stop hands over at once; a leader that can no longer
 * renew (here: its database calls start failing, as when it is cut off)
 * stops on its own before the lease expires, and only then does another
 * instance take over. And each instance's presence lease (`lib/presence.ts`):
 * one that dies is noticed by one survivor, which queues its work again.
 * Real PostgreSQL; short leases, waits by polling.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredLeases, findLease, releaseLease, takeLease } from '../../src/db/repositories/lease.repository.js';
import { createLeadership, type Leadership, type LeaseStore, type StandDownReason } from '../../src/lib/leadership.js';
import { createPresence, type Presence } from '../../src/lib/presence.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
const open: Array<Leadership | Presence> = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

afterAll(async () => {
  await tdb?.close();
});

/** What one instance did: when it led, from when to when, and why it stopped. */
interface Timeline {
  holder: string;
  spans: Array<{ from: number; to?: number; reason?: StandDownReason }>;
  cut: boolean;
}

function instance(lease: string, holder: string, ttlMs: number): { leadership: Leadership; timeline: Timeline } {
  const timeline: Timeline = { holder, spans: [], cut: false };
  const store: LeaseStore = {
    take: async (ms) => {
      if (timeline.cut) throw new Error('connection terminated unexpectedly');
      return takeLease(tdb.db, lease, holder, ms);
    },
    release: async () => {
      if (timeline.cut) throw new Error('connection terminated unexpectedly');
      await releaseLease(tdb.db, lease, holder);
    },
  };
  const leadership = createLeadership({
    role: 'the test work',
    holder,
    store,
    ttlMs,
    logger: silentLogger(),
    lead: async () => {
      timeline.spans.push({ from: performance.now() });
    },
    standDown: async (reason) => {
      const span = timeline.spans.at(-1)!;
      span.to = performance.now();
      span.reason = reason;
    },
  });
  open.push(leadership);
  return { leadership, timeline };
}

/** No moment at which both led. */
function overlaps(a: Timeline, b: Timeline): boolean {
  return a.spans.some((x) => b.spans.some((y) => x.from < (y.to ?? Infinity) && y.from < (x.to ?? Infinity)));
}

describe('the polling lease', () => {
  it('is held by one instance; a clean stop hands it to the other', async () => {
    const a = instance('lease-clean', 'host:1:a', 2_000);
    const b = instance('lease-clean', 'host:2:b', 2_000);
    await a.leadership.start();
    await b.leadership.start();
    expect(a.leadership.isLeading()).toBe(true);
    expect(b.leadership.isLeading()).toBe(false);
    expect((await findLease(tdb.db, 'lease-clean'))?.holder).toBe('host:1:a');

    await a.leadership.close();
    expect(a.timeline.spans).toEqual([expect.objectContaining({ reason: 'closing' })]);
    // Given up at once: the other takes it at its next try, long before the lease would have expired.
    await expect.poll(() => b.leadership.isLeading(), { timeout: 10_000, interval: 20 }).toBe(true);
    expect((await findLease(tdb.db, 'lease-clean'))?.holder).toBe('host:2:b');
    expect(overlaps(a.timeline, b.timeline)).toBe(false);
  });

  it('is renewed while its holder runs, so the other never takes over', async () => {
    const a = instance('lease-renewed', 'host:1:a', 3_000);
    const b = instance('lease-renewed', 'host:2:b', 3_000);
    await a.leadership.start();
    await b.leadership.start();
    const first = await findLease(tdb.db, 'lease-renewed');
    // Two lease lengths later (renewals every second), the same holder, renewed since.
    await expect.poll(async () => (await findLease(tdb.db, 'lease-renewed'))!.renewedAt.getTime() - first!.renewedAt.getTime(), { timeout: 20_000, interval: 200 }).toBeGreaterThan(6_000);
    expect((await findLease(tdb.db, 'lease-renewed'))?.holder).toBe('host:1:a');
    expect(a.timeline.spans).toHaveLength(1);
    expect(a.timeline.spans[0]!.to).toBeUndefined();
    expect(b.timeline.spans).toEqual([]);
  });

  it('a leader cut off from the database stops before its lease expires; then the other takes over', async () => {
    const a = instance('lease-cut', 'host:1:a', 1_500);
    const b = instance('lease-cut', 'host:2:b', 1_500);
    await a.leadership.start();
    await b.leadership.start();
    expect(a.leadership.isLeading()).toBe(true);

    a.timeline.cut = true;
    await expect.poll(() => b.leadership.isLeading(), { timeout: 15_000, interval: 20 }).toBe(true);
    expect(a.leadership.isLeading()).toBe(false);
    expect(a.timeline.spans).toEqual([expect.objectContaining({ reason: 'expired' })]);
    expect(overlaps(a.timeline, b.timeline)).toBe(false);
    expect((await findLease(tdb.db, 'lease-cut'))?.holder).toBe('host:2:b');

    // Back in touch, the old leader finds the lease taken and stays a standby.
    a.timeline.cut = false;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(a.leadership.isLeading()).toBe(false);
    expect(a.timeline.spans).toHaveLength(1);
    expect(b.leadership.isLeading()).toBe(true);
  });

  it('two instances asking at the same moment: one gets it', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => takeLease(tdb.db, 'lease-race', `host:${i}:x`, 5_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('instance presence', () => {
  function watcher(id: string, ttlMs: number) {
    const state = { dead: false, lost: [] as string[][] };
    const name = `instance:${id}`;
    const fail = () => {
      if (state.dead) throw new Error('killed');
    };
    const presence = createPresence({
      ttlMs,
      logger: silentLogger(),
      store: {
        renew: async (ms) => (fail(), takeLease(tdb.db, name, id, ms)),
        release: async () => (fail(), releaseLease(tdb.db, name, id)),
        removeExpired: async () => (fail(), deleteExpiredLeases(tdb.db, 'instance:')),
      },
      onPeersLost: async (ids) => void state.lost.push(ids),
    });
    open.push(presence);
    return { presence, state };
  }
  const names = async () => (await tdb.db.selectFrom('leases').select('name').where('name', 'like', 'instance:%').orderBy('name').execute()).map((r) => r.name);

  it('an instance that dies is noticed by one of the others, once; one that stops cleanly is not', async () => {
    const a = watcher('host:1:a', 1_500);
    const b = watcher('host:2:b', 1_500);
    const c = watcher('host:3:c', 1_500);
    await Promise.all([a.presence.start(), b.presence.start(), c.presence.start()]);
    expect(await names()).toEqual(['instance:host:1:a', 'instance:host:2:b', 'instance:host:3:c']);

    await c.presence.close();
    expect(await names()).toEqual(['instance:host:1:a', 'instance:host:2:b']);

    a.state.dead = true;
    await expect.poll(names, { timeout: 15_000, interval: 50 }).toEqual(['instance:host:2:b']);
    await expect.poll(() => b.state.lost.length, { timeout: 5_000 }).toBe(1);
    expect(b.state.lost).toEqual([['host:1:a']]);
    expect(c.state.lost).toEqual([]);
    a.state.dead = false;
  });
});
