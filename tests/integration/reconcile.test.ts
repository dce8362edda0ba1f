/**
 * The reconciler during a backlog: events stored together (a burst of
 * webhooks) wait in one batch job `ingest-<a>-to-<b>-<n>`; the reconciler must
 * see that they are covered and queue nothing more for them, while an event
 * no live job covers still gets its own job.
 */
import { createHash } from 'node:crypto';
import type { QueueTransport } from '../../src/queue/transport.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import { reconcile } from '../../src/inbox/reconcile.workflow.js';
import { jobId, QUEUE_NAMES } from '../../src/queue/jobs.js';
import { closeQueues, createProducers, createQueues, type Producers, type Queues } from '../../src/queue/producers.js';
import { feedCommentPayload } from '../factories/facebook-payloads.js';
import { createTestDatabase, openTestTransport, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
let transport: QueueTransport;
let prefix: string;
let queues: Queues;
let producers: Producers;

beforeEach(async () => {
  // A database of its own per test: the pending events are exactly the ones stored here.
  tdb = await createTestDatabase();
  prefix = uniqueQueuePrefix('reconcile');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  producers = createProducers(queues);
  return async () => {
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
  };
});

let n = 0;
async function storeComment(): Promise<number> {
  n++;
  const payload = feedCommentPayload({
    commentId: `900000000000001_${8000 + n}`,
    message: `Հարց ${n}`,
    createdTime: new Date(Date.UTC(2026, 10, 24, 10, n)),
    from: { id: `7${n}`, name: 'Արամ' },
  });
  const dedupKey = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
  const row = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey, payload });
  return row.id;
}

const ingestJobIds = async () => (await queues.ingest.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).map((j) => j.id!).sort();

describe('reconciler and batch ingest jobs', () => {
  it('queues nothing for events a waiting batch job covers, and a job for the one no job covers', async () => {
    const burst = [await storeComment(), await storeComment(), await storeComment()];
    // Not consecutive: another event was stored between the burst's deliveries.
    const between = await storeComment();
    const late = await storeComment();
    const gapped = [burst[0]!, burst[1]!, burst[2]!, late];
    await producers.ingestTogether(gapped);
    const batch = jobId.ingestTogether(gapped);
    expect(await ingestJobIds()).toEqual([batch]);

    const result = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false });

    // Only the event between the burst's ids had no job.
    expect(result.inboundEvents).toBe(1);
    expect(await ingestJobIds()).toEqual([batch, jobId.ingest(between)].sort());
    // And a second run finds every pending event covered.
    expect(await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false })).toEqual({ inboundEvents: 0, cards: 0, replies: 0 });
    expect(await ingestJobIds()).toHaveLength(2);
  });

  it('covers a batch of consecutive events, also a delayed one (waiting for a retry)', async () => {
    const ids = [await storeComment(), await storeComment(), await storeComment(), await storeComment()];
    await queues.ingest.add('inquiry.ingest', { inboundEventId: ids[0]!, inboundEventIds: ids }, { jobId: jobId.ingestTogether(ids), delay: 60_000 });

    const result = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false });

    expect(result.inboundEvents).toBe(0);
    expect(await ingestJobIds()).toEqual([jobId.ingestTogether(ids)]);
  });

  it('gives the events of a batch job that failed for good jobs of their own', async () => {
    const ids = [await storeComment(), await storeComment()];
    await queues.ingest.add('inquiry.ingest', { inboundEventId: ids[0]!, inboundEventIds: ids }, { jobId: jobId.ingestTogether(ids), attempts: 1 });
    // Failed for good (its one attempt used): nothing will run it again.
    const worker = transport.worker(QUEUE_NAMES.ingest, async () => Promise.reject(new Error('database unreachable')));
    await expect.poll(() => queues.ingest.getJobCounts('failed'), { timeout: 10_000 }).toEqual({ failed: 1 });
    await worker.close();

    const result = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false });

    expect(result.inboundEvents).toBe(2);
    expect(await ingestJobIds()).toEqual(ids.map((id) => jobId.ingest(id)).sort());
  });
});

describe('reconciler and mentions to read', () => {
  it('queues mention.read for a mention still to be read that has no job, and nothing for one that was read', async () => {
    const base = { platform: 'instagram' as const, kind: 'mention' as const, text: '', postedAt: new Date('2026-12-01T10:00:00Z'), lastCitizenAt: new Date('2026-12-01T10:00:00Z') };
    const pending = await tdb.db.insertInto('inquiries').values({ ...base, externalId: '17894227972186120', threadId: '17918195224117851', detailsPending: true }).returning('id').executeTakeFirstOrThrow();
    await tdb.db.insertInto('inquiries').values({ ...base, externalId: '17894227972186121', threadId: '17918195224117851', text: '@city read already' }).execute();
    const scheduleJobs = async () => (await queues.schedule.getJobs(['waiting', 'delayed', 'prioritized', 'active'])).map((j) => [j.name, j.id]);

    // Not wanted (no account can read them): nothing queued.
    expect(await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false })).toEqual({ inboundEvents: 0, cards: 0, replies: 0 });
    expect(await scheduleJobs()).toEqual([]);

    expect(await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false, mentions: true })).toEqual({ inboundEvents: 0, cards: 0, replies: 0, mentions: 1 });
    expect(await scheduleJobs()).toEqual([['mention.read', jobId.mentionRead(pending.id)]]);
    // Its job is live: a second run queues nothing more.
    expect(await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false, mentions: true })).toEqual({ inboundEvents: 0, cards: 0, replies: 0 });
  });
});
