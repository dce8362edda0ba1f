import { createHash } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { QUEUE_NAMES } from '../../src/queue/jobs.js';
import { closeQueues, createProducers, createQueues, type Queues } from '../../src/queue/producers.js';
import { createIngestWorker, processIngestJob, type IngestWorkerDeps } from '../../src/queue/workers/ingest.worker.js';
import { createIngestDeps } from '../../src/inbox/ingest-deps.js';
import { ingestInboundEvents } from '../../src/inbox/ingest.workflow.js';
import { reconcile } from '../../src/inbox/reconcile.workflow.js';
import { sql } from 'kysely';
import { ensureFacebookSource } from '../../src/inbox/source-health.workflow.js';
import { feedCommentPayload, messengerPayload, PAGE_ID, PAGE_INBOX_APP_ID } from '../factories/facebook-payloads.js';
import { createTestDatabase, openTestTransport, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: {} });
let tdb: TestDatabase;
let transport: QueueTransport;
let sourceId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // The connected Page (FACEBOOK_PAGE_ID): its items become inquiries.
  sourceId = (await ensureFacebookSource(tdb.db, PAGE_ID)).id;
});
afterAll(async () => {
  await tdb.close();
});

let prefix: string;
let queues: Queues;
let deps: IngestWorkerDeps;

beforeEach(async () => {
  prefix = uniqueQueuePrefix('ingest');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  const logger = silentLogger();
  deps = {
    db: tdb.db,
    producers: createProducers(queues),
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    transport,
    ingest: createIngestDeps({ db: tdb.db, config, logger, registry: createConnectorRegistry([facebookModuleOf()]) }),
  };
  return async () => {
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
  };
});

const dedupKey = (payload: unknown) => createHash('sha256').update(JSON.stringify(payload)).digest('hex');

async function store(payload: unknown) {
  return insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey: dedupKey(payload), payload });
}

async function cardJobIds(q: Queue): Promise<string[]> {
  const jobs = await q.getJobs(['waiting', 'active', 'delayed', 'completed', 'prioritized']);
  return jobs.filter((j) => j.name === 'card.send').map((j) => j.id!);
}

describe('ingest: a raw Facebook comment becomes one inquiry', () => {
  it('creates exactly one inquiry, one ingested event and one card job when processed three times by two workers at once', async () => {
    const text = 'Բարև ձեզ, Կոմիտասի 12 շենքի մոտ երեք օր է ջուր չկա։ Ե՞րբ կվերականգնվի։';
    const payload = feedCommentPayload({ commentId: '900000000000001_111', message: text, createdTime: new Date('2026-11-20T08:15:00Z') });
    const { id } = await store(payload);

    // Three deliveries of the same job (as after a lost ack or a duplicate
    // enqueue), each with its own job id so the queue does not merge them.
    await queues.ingest.addBulk([1, 2, 3].map((n) => ({ name: 'inquiry.ingest', data: { inboundEventId: id }, opts: { jobId: `dup-${n}-${id}` } })));
    const workers = [createIngestWorker({ ...deps, concurrency: 3 }), createIngestWorker({ ...deps, concurrency: 3 })];
    try {
      await expect.poll(async () => (await queues.ingest.getJobCounts('completed')).completed, { timeout: 15_000 }).toBe(3);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }

    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().execute();
    expect(inquiries).toHaveLength(1);
    const inquiry = inquiries[0]!;
    expect(inquiry).toMatchObject({ platform: 'facebook', kind: 'comment', externalId: '900000000000001_111', text, status: 'new', authorName: 'Անի Պետրոսյան' });
    expect(inquiry.postedAt.toISOString()).toBe('2026-11-20T08:15:00.000Z');
    expect(inquiry.suggestedSectorCode).toBe('water');
    expect(inquiry.slaDueAt).not.toBeNull();

    const events = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'ingested').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.inquiryId).toBe(inquiry.id);

    expect(await cardJobIds(queues.notify)).toEqual([`card-send-${inquiry.id}`]);
    const inbound = await tdb.db.selectFrom('inboundEvents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(inbound.status).toBe('processed');
  });

  it('stores the same delivery once', async () => {
    const payload = feedCommentPayload({ commentId: '900000000000001_222', message: 'Փողոցում լույս չկա', createdTime: new Date('2026-11-21T10:00:00Z') });
    const a = await store(payload);
    const b = await store(payload);
    expect(b).toEqual({ id: a.id, inserted: false });
  });

  it('joins consecutive messages of one citizen while open; a follow-up within FOLLOW_UP_WINDOW of the answer reopens it, a later one opens a linked inquiry', async () => {
    const log = silentLogger();
    const at = (m: number) => new Date(Date.UTC(2026, 10, 22, 9, m));
    const first = await store(messengerPayload({ mid: 'm_first', senderId: '5550001', text: 'Բարև', at: at(0) }));
    const second = await store(messengerPayload({ mid: 'm_second', senderId: '5550001', text: 'Աղբը երեք օր չեն տարել', at: at(1) }));
    await processIngestJob(deps, { inboundEventId: first.id }, log);
    await processIngestJob(deps, { inboundEventId: second.id }, log);
    const open = await tdb.db.selectFrom('inquiries').selectAll().where('threadId', '=', '5550001').execute();
    expect(open).toHaveLength(1);
    const messages = await tdb.db.selectFrom('inquiryMessages').select('externalId').where('inquiryId', '=', open[0]!.id).orderBy('postedAt').execute();
    expect(messages.map((m) => m.externalId)).toEqual(['m_first', 'm_second']);
    expect(open[0]!.lastCitizenAt.toISOString()).toBe(at(1).toISOString());

    // The page answers in Messenger (native answer), then the citizen writes again.
    const answer = await store(messengerPayload({ mid: 'm_page', senderId: '5550001', text: 'Կփոխանցենք', at: at(30), echo: true }));
    await processIngestJob(deps, { inboundEventId: answer.id }, log);
    const answered = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', open[0]!.id).executeTakeFirstOrThrow();
    // A native answer is the first response and the final answer: it closes the inquiry.
    expect(answered).toMatchObject({ status: 'closed', answeredVia: 'native' });
    expect(answered.firstResponseAt!.toISOString()).toBe(at(30).toISOString());
    expect(answered.closedAt!.toISOString()).toBe(at(30).toISOString());

    // 20 minutes later (within FOLLOW_UP_WINDOW, 3 days by default): the same inquiry, reopened.
    const again = await store(messengerPayload({ mid: 'm_again', senderId: '5550001', text: 'Դեռ չեն տարել', at: at(50) }));
    await processIngestJob(deps, { inboundEventId: again.id }, log);
    let all = await tdb.db.selectFrom('inquiries').selectAll().where('threadId', '=', '5550001').orderBy('id').execute();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'answered', closedAt: null, reopenCount: 1 });
    expect(all[0]!.firstResponseAt!.toISOString()).toBe(at(30).toISOString());
    const joined = await tdb.db.selectFrom('inquiryMessages').select('externalId').where('inquiryId', '=', all[0]!.id).orderBy('postedAt').execute();
    expect(joined.map((m) => m.externalId)).toEqual(['m_first', 'm_second', 'm_again']);
    const reopened = await tdb.db.selectFrom('events').select('payload').where('inquiryId', '=', all[0]!.id).where('type', '=', 'reopened').execute();
    expect(reopened.map((e) => e.payload)).toEqual([expect.objectContaining({ why: 'follow_up', round: 1, externalId: 'm_again' })]);

    // Answered natively again (closed), then the citizen writes four days later: past the window, a new inquiry linked to it.
    const reanswer = await store(messengerPayload({ mid: 'm_page2', senderId: '5550001', text: 'Այսօր կտանեն', at: at(90), echo: true }));
    await processIngestJob(deps, { inboundEventId: reanswer.id }, log);
    const later = new Date(at(90).getTime() + 4 * 24 * 3_600_000);
    const late = await store(messengerPayload({ mid: 'm_late', senderId: '5550001', text: 'Նոր հարց ունեմ', at: later }));
    await processIngestJob(deps, { inboundEventId: late.id }, log);
    all = await tdb.db.selectFrom('inquiries').selectAll().where('threadId', '=', '5550001').orderBy('id').execute();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ status: 'closed', reopenCount: 1 }); // the Page's second answer closed it again
    expect(all[1]!.previousInquiryId).toBe(all[0]!.id);
    expect(all[1]!.status).toBe('new');
  });

  it('keeps emoji-only comments as low priority, with no card of their own', async () => {
    const e = await store(feedCommentPayload({ commentId: '900000000000001_333', message: '👍👍', createdTime: new Date('2026-11-23T10:00:00Z'), from: { id: '70003', name: 'Լիլիթ' } }));
    const result = await processIngestJob(deps, { inboundEventId: e.id }, silentLogger());
    expect(result.cardInquiryIds).toEqual([]);
    const row = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', '900000000000001_333').executeTakeFirstOrThrow();
    expect(row.lowPriority).toBe(true);
  });

  it('marks a payload that is not a Page webhook as failed for good, keeping it', async () => {
    const e = await store({ object: 'instagram', entry: 'nonsense' });
    await expect(processIngestJob(deps, { inboundEventId: e.id }, silentLogger())).rejects.toThrow(/not a Facebook Page webhook/);
    const row = await tdb.db.selectFrom('inboundEvents').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.lastError).toMatch(/WebhookPayloadError/);
  });

  it('processes a batch around a payload it cannot parse: that one is left as it was, the others are processed once', async () => {
    const good1 = await store(feedCommentPayload({ commentId: '900000000000001_551', message: 'Ջուր չկա', createdTime: new Date('2026-11-23T11:00:00Z'), from: { id: '70051', name: 'Անի' } }));
    const bad = await store({ object: 'instagram', entry: 'nonsense', n: 551 });
    const good2 = await store(feedCommentPayload({ commentId: '900000000000001_552', message: 'Լույս չկա', createdTime: new Date('2026-11-23T11:01:00Z'), from: { id: '70052', name: 'Արա' } }));
    const outcomes = await ingestInboundEvents(deps.ingest, [good2.id, bad.id, good1.id, 999_999_999]);
    expect(outcomes.get(good1.id)).toMatchObject({ ok: true, result: { status: 'processed', items: 1 } });
    expect(outcomes.get(good2.id)).toMatchObject({ ok: true, result: { status: 'processed', items: 1 } });
    expect(outcomes.get(bad.id)).toMatchObject({ ok: false });
    expect(outcomes.get(999_999_999)).toMatchObject({ ok: true, result: { status: 'missing' } });
    const rows = await tdb.db.selectFrom('inboundEvents').select(['id', 'status', 'attempts', 'processedAt']).where('id', 'in', [good1.id, bad.id, good2.id]).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.attempts, r.processedAt === null])).toEqual([
      ['processed', 1, false],
      ['pending', 0, true],
      ['processed', 1, false],
    ]);
    // Taken again: nothing more is done for the processed ones.
    const again = await ingestInboundEvents(deps.ingest, [good1.id, good2.id]);
    expect([...again.values()].map((o) => o.ok && o.result.status)).toEqual(['already_processed', 'already_processed']);
    expect(await tdb.db.selectFrom('inquiries').select('id').where('externalId', 'in', ['900000000000001_551', '900000000000001_552']).execute()).toHaveLength(2);
  });
});

describe('ingest: only items of a connected Page', () => {
  const OTHER_PAGE = '104857600000999';

  it("stores another Page's delivery but makes nothing of it, recording why; the connected Page's items belong to its source", async () => {
    const other = await store(feedCommentPayload({ pageId: OTHER_PAGE, commentId: '900000000000001_801', message: 'Ե՞րբ կբացվի այգին', createdTime: new Date('2026-11-26T09:00:00Z'), from: { id: '70801', name: 'Անի' } }));
    const ours = await store(feedCommentPayload({ commentId: '900000000000001_802', message: 'Ե՞րբ կբացվի այգին', createdTime: new Date('2026-11-26T09:00:00Z'), from: { id: '70802', name: 'Արա' } }));
    const result = await processIngestJob(deps, { inboundEventId: other.id }, silentLogger());
    await processIngestJob(deps, { inboundEventId: ours.id }, silentLogger());

    expect(result).toMatchObject({ status: 'processed', cardInquiryIds: [] });
    expect(await tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_801').execute()).toEqual([]);
    const kept = await tdb.db.selectFrom('inboundEvents').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(kept.status).toBe('processed');
    expect(kept.payload).toMatchObject({ entry: [{ id: OTHER_PAGE }] });
    const ignored = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'inbound_ignored').where(sql<string>`payload->>'inboundEventId'`, '=', String(other.id)).execute();
    expect(ignored).toHaveLength(1);
    expect(ignored[0]!.payload).toMatchObject({ items: [{ reason: 'not_a_source', account: OTHER_PAGE, kind: 'comment', externalId: '900000000000001_801' }] });

    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', '900000000000001_802').executeTakeFirstOrThrow();
    expect(inquiry.sourceId).toBe(sourceId);
  });

  it("another Page's reply does not answer our citizen, and its Messenger echo answers nobody", async () => {
    const asked = new Date('2026-11-26T10:00:00Z');
    const q = await store(messengerPayload({ mid: 'm_803', senderId: '5550803', text: 'Բարև, ջուր չկա', at: asked }));
    await processIngestJob(deps, { inboundEventId: q.id }, silentLogger());
    const echo = await store(messengerPayload({ pageId: OTHER_PAGE, mid: 'm_804', senderId: '5550803', text: 'Hi!', at: new Date(asked.getTime() + 30 * 60_000), echo: true }));
    await processIngestJob(deps, { inboundEventId: echo.id }, silentLogger());
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', 'm_803').executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ status: 'new', answeredVia: null, firstResponseAt: null });
  });
});

describe('ingest: only people answer', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, seconds));
  const automated = async (inquiryId: number) =>
    (await tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', inquiryId).where('type', '=', 'automated_page_message').orderBy('id').execute()).map((e) => e.payload);

  it("Messenger: an Instant Reply a second after the citizen, and a bot's message, are recorded but are not answers; the person's answer is", async () => {
    const log = silentLogger();
    const psid = '5550811';
    const q = await store(messengerPayload({ mid: 'm_811', senderId: psid, text: 'Բարև, աղբը չեն տարել', at: at(0) }));
    await processIngestJob(deps, { inboundEventId: q.id }, log);
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', 'm_811').executeTakeFirstOrThrow();

    // The Page's Instant Reply: sent from the Page inbox one second later.
    const instant = await store(messengerPayload({ mid: 'm_812', senderId: psid, text: 'Thanks for messaging us. We will reply soon.', at: at(1), echo: true, appId: PAGE_INBOX_APP_ID }));
    // A bot of another app (its app_id, and the metadata it passed to the Send API), minutes later.
    const bot = await store(messengerPayload({ mid: 'm_813', senderId: psid, text: 'Choose a topic', at: at(300), echo: true, appId: 1517776481860111, metadata: 'menu' }));
    const r1 = await processIngestJob(deps, { inboundEventId: instant.id }, log);
    await processIngestJob(deps, { inboundEventId: bot.id }, log);
    expect(r1.cardInquiryIds).toEqual([]);

    const open = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(open).toMatchObject({ status: 'new', answeredVia: null, firstResponseAt: null });
    expect(await automated(inquiry.id)).toMatchObject([
      { externalId: 'm_812', reason: 'too_fast', afterMs: 1000 },
      { externalId: 'm_813', reason: 'sent_by_app', appId: '1517776481860111', metadata: 'menu' },
    ]);
    expect(await tdb.db.selectFrom('events').select('id').where('inquiryId', '=', inquiry.id).where('type', 'in', ['native_answer', 'answered']).execute()).toEqual([]);

    // The same Instant Reply delivered again records nothing new.
    const again = await store({ ...messengerPayload({ mid: 'm_812', senderId: psid, text: 'Thanks for messaging us. We will reply soon.', at: at(1), echo: true, appId: PAGE_INBOX_APP_ID }), redelivery: 1 });
    await processIngestJob(deps, { inboundEventId: again.id }, log);
    expect(await automated(inquiry.id)).toHaveLength(2);

    // A person of the city answers from the Page inbox half an hour later: that is the answer.
    const person = await store(messengerPayload({ mid: 'm_814', senderId: psid, text: 'Բարև ձեզ, այսօր կտանեն։', at: at(1800), echo: true }));
    await processIngestJob(deps, { inboundEventId: person.id }, log);
    const answered = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(answered).toMatchObject({ status: 'closed', answeredVia: 'native' });
    expect(answered.firstResponseAt!.toISOString()).toBe(at(1800).toISOString());
    expect(answered.closedAt!.toISOString()).toBe(at(1800).toISOString());
  });

  it("comments: the Page's reply two seconds after the comment is an automated one; a reply written later answers", async () => {
    const log = silentLogger();
    const postId = `${PAGE_ID}_900000000000821`;
    const q = await store(feedCommentPayload({ postId, commentId: '900000000000821_1', message: 'Ե՞րբ կնորոգեն խաղահրապարակը', createdTime: at(0), from: { id: '70821', name: 'Սոնա' } }));
    const auto = await store(feedCommentPayload({ postId, commentId: '900000000000821_2', parentId: '900000000000821_1', message: 'Thank you for your comment!', createdTime: at(2), from: { id: PAGE_ID, name: 'Page' } }));
    const human = await store(feedCommentPayload({ postId, commentId: '900000000000821_3', parentId: '900000000000821_1', message: 'Ամռանը', createdTime: at(900), from: { id: PAGE_ID, name: 'Page' } }));
    await ingestInboundEvents(deps.ingest, [q.id, auto.id]);
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', '900000000000821_1').executeTakeFirstOrThrow();
    expect(inquiry.status).toBe('new');
    expect(await automated(inquiry.id)).toMatchObject([{ externalId: '900000000000821_2', reason: 'too_fast', afterMs: 2000 }]);

    await processIngestJob(deps, { inboundEventId: human.id }, log);
    const answered = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(answered).toMatchObject({ status: 'closed', answeredVia: 'native' });
    expect(answered.firstResponseAt!.toISOString()).toBe(at(900).toISOString());
  });
});

describe('reconciler', () => {
  it('re-enqueues unprocessed inbound events and cards that Redis lost, and adds nothing the second time', async () => {
    const e = await store(feedCommentPayload({ commentId: '900000000000001_444', message: 'Երբ կնորոգեն ճանապարհը', createdTime: new Date('2026-11-24T10:00:00Z'), from: { id: '70001', name: 'Արամ' } }));
    const pending = await store(feedCommentPayload({ commentId: '900000000000001_555', message: 'Ավտոբուսը չի գալիս', createdTime: new Date('2026-11-24T11:00:00Z'), pageId: PAGE_ID }));
    await processIngestJob(deps, { inboundEventId: e.id }, silentLogger());
    const inquiry = await tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_444').executeTakeFirstOrThrow();

    await transport.empty(); // the queues emptied: every job is gone
    const first = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: true, replies: true });
    // Earlier tests of this file left pending work too: it is restored as well.
    expect(first.inboundEvents).toBeGreaterThanOrEqual(1);
    expect(first.cards).toBeGreaterThanOrEqual(1);
    const ingestJobs = await queues.ingest.getJobs(['waiting']);
    expect(ingestJobs.map((j) => j.id)).toContain(`ingest-${pending.id}`);
    expect(ingestJobs.map((j) => j.id)).not.toContain(`ingest-${e.id}`);
    expect(await cardJobIds(queues.notify)).toContain(`card-send-${inquiry.id}`);
    const waitingBefore = ingestJobs.length;

    // A second run restores nothing: the jobs are there.
    const second = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: true, replies: true });
    expect(second).toEqual({ inboundEvents: 0, cards: 0, replies: 0 });
    expect(await queues.ingest.getJobs(['waiting'])).toHaveLength(waitingBefore);
  });

  it('retries a job that ran out of attempts and replaces one that completed while its work is still pending', async () => {
    const a = await store(feedCommentPayload({ commentId: '900000000000001_666', message: 'Շենքի տանիքը կաթում է', createdTime: new Date('2026-11-25T10:00:00Z'), from: { id: '70006', name: 'Գոռ' } }));
    const b = await store(feedCommentPayload({ commentId: '900000000000001_777', message: 'Բակում լույս չկա', createdTime: new Date('2026-11-25T11:00:00Z'), from: { id: '70007', name: 'Նարե' } }));
    // Job a failed for good (e.g. the database was down for longer than every
    // retry); job b completed, yet Postgres says its event is pending.
    await queues.ingest.add('inquiry.ingest', { inboundEventId: a.id }, { jobId: `ingest-${a.id}`, attempts: 1 });
    await queues.ingest.add('inquiry.ingest', { inboundEventId: b.id }, { jobId: `ingest-${b.id}` });
    const failing = createQueueWorkerForTest(async (job) => {
      if (job.data.inboundEventId === a.id) throw new Error('database unreachable');
      return 'skipped';
    });
    await expect.poll(async () => (await queues.ingest.getJobCounts('failed', 'completed')), { timeout: 10_000 }).toEqual({ failed: 1, completed: 1 });
    await failing.close();

    const result = await reconcile({ db: tdb.db, queues, logger: silentLogger(), cards: false, replies: false });
    expect(result.inboundEvents).toBeGreaterThanOrEqual(2);
    const states = await Promise.all([a.id, b.id].map(async (id) => (await queues.ingest.getJob(`ingest-${id}`))!.getState()));
    expect(states).toEqual(['waiting', 'waiting']);
  });
});

function createQueueWorkerForTest(process: (job: { data: { inboundEventId: number } }) => Promise<unknown>) {
  return transport.worker(QUEUE_NAMES.ingest, process as never);
}
