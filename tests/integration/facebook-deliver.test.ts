/**
 * The `reply.deliver` worker publishing staff replies on a Facebook Page:
 * real BullMQ worker on real Redis, real Postgres, the real Graph SDK (through
 * our client) against the loopback Graph API stand-in. Exactly once through
 * 500s and timeouts, our own webhook not taken for a native answer, 613 slows
 * down, 190 pauses and alerts (and `sources resume` sends what waited), the
 * Messenger windows, permission errors that name the permission, and no token
 * anywhere in logs or stored errors.
 */
import type { Worker } from 'bullmq';
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSourcesCommand } from '../../src/commands/sources.command.js';
import { loadConfig } from '../../src/config.js';
import type { Connector } from '../../src/connectors/connector.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createFacebookConnector } from '../../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../../src/connectors/facebook/graph-client.js';
import type { GraphCallInfo } from '../../src/connectors/meta/graph-transport.js';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import { getSourceById } from '../../src/db/repositories/source.repository.js';
import type { InquiryRow, SourceRow } from '../../src/db/schema.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { jobId } from '../../src/queue/jobs.js';
import { closeQueues, createProducers, createQueues, type Producers, type Queues } from '../../src/queue/producers.js';
import { createDeliverReplyWorker, type DeliverReplyWorkerDeps } from '../../src/queue/workers/deliver-reply.worker.js';
import { processIngestJob, type IngestWorkerDeps } from '../../src/queue/workers/ingest.worker.js';
import { retryReply } from '../../src/inbox/compose-reply.workflow.js';
import { deliverReply, type ReplyDeliveryDeps } from '../../src/inbox/deliver-reply.workflow.js';
import { ensureFacebookSource } from '../../src/inbox/source-health.workflow.js';
import { createIngestDeps } from '../../src/inbox/ingest-deps.js';
import { insertPendingReply, insertStaff, TEST_APP_SECRET, TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import {
  captureLogger,
  createTestDatabase,
  openTestTransport,
  queueEnv,
  uniqueQueuePrefix,
  type CapturedLogger,
  type TestDatabase,
} from '../support/test-env.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PAGE = { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան' };
const citizen = { id: '7200000000000001', name: 'Գայանե Մկրտչյան' };
// Every follow-up here is a new inquiry (FOLLOW_UP_WINDOW off); reopening has its own tests (follow-through.test.ts).
const config = loadConfig({ env: { FOLLOW_UP_WINDOW: 'off' } });
/** How long an attempt owns a reply in these tests: longer than the Graph client's 400 ms deadline. */
const LEASE = 2_000;

let fake: GraphApiFake;
let transport: QueueTransport;

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { ...PAGE, accessToken: TEST_PAGE_TOKEN } });
});
afterAll(async () => {
  await fake.close();
});

let tdb: TestDatabase;
let clock: Date;
let prefix: string;
let queues: Queues;
let producers: Producers;
let captured: CapturedLogger;
let calls: Array<GraphCallInfo & { at: number }>;
let connector: Connector;
let source: SourceRow;
let staffId: number;
let ingestDeps: IngestWorkerDeps;
let workers: Worker[];

beforeEach(async () => {
  tdb = await createTestDatabase();
  fake.reset();
  clock = new Date(T0.getTime());
  fake.setNow(clock);
  prefix = uniqueQueuePrefix('fbdeliver');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  producers = createProducers(queues);
  // The logger is not told the token: the code must keep it out by itself.
  captured = captureLogger();
  calls = [];
  const graph = createGraphClient({
    baseUrl: fake.url,
    version: 'v24.0',
    accessToken: TEST_PAGE_TOKEN,
    logger: captured.logger,
    timeoutMs: 400,
    onCall: (call) => calls.push({ ...call, at: performance.now() }),
  });
  connector = createFacebookConnector({ graph, pageId: PAGE_ID, lookbackDays: 14, logger: captured.logger });
  source = await ensureFacebookSource(tdb.db, PAGE_ID);
  staffId = await insertStaff(tdb.db);
  ingestDeps = {
    db: tdb.db,
    producers,
    logger: captured.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    transport,
    ingest: createIngestDeps({ db: tdb.db, config, logger: captured.logger, now: () => clock, registry: createConnectorRegistry([facebookModuleOf()]) }),
  };
  workers = [];
  return async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
    for (const line of captured.lines()) {
      expect(line).not.toContain(TEST_PAGE_TOKEN);
      expect(line).not.toContain(TEST_APP_SECRET);
    }
  };
});

const at = (ms: number) => new Date(T0.getTime() + ms);
const isPostComments = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/comments');
const isPostMessages = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/messages');

function startWorker(overrides: Partial<DeliverReplyWorkerDeps> = {}): Worker {
  const worker = createDeliverReplyWorker({
    db: tdb.db,
    producers,
    logger: captured.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    transport,
    now: () => clock,
    registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector })]),
    secrets: [TEST_PAGE_TOKEN, TEST_APP_SECRET],
    retryDelayMs: () => 50,
    parkDelayMs: 60_000,
    slowDownMs: 400,
    leaseMs: LEASE,
    ...overrides,
  });
  workers.push(worker);
  return worker;
}

let dedup = 0;
async function ingest(payload: unknown): Promise<void> {
  dedup += 1;
  const { id } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey: `deliver-test-${dedup}-${Date.now()}`, payload });
  await processIngestJob(ingestDeps, { inboundEventId: id }, captured.logger);
}

/** A citizen's comment on the Page, on Facebook and ingested from its webhook. */
async function commentInquiry(text = 'Բարև, Տիգրան Մեծի փողոցում լույսը չի վառվում արդեն մեկ շաբաթ') {
  const post = fake.seedPost({ message: 'Լուսավորության աշխատանքներ', created_time: at(-DAY) });
  const comment = fake.addComment({ postId: post.id, message: text, from: citizen, created_time: at(-HOUR) });
  await ingest(feedCommentPayload({ commentId: comment.id, postId: post.id, message: text, createdTime: at(-HOUR), from: citizen }));
  const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', comment.id).executeTakeFirstOrThrow();
  return { post, comment, inquiry };
}

/** A citizen's Messenger message, on Facebook and ingested from its webhook. */
async function messageInquiry(psid: string, writtenAt: Date): Promise<InquiryRow> {
  const text = 'Բարև, մանկապարտեզի հերթի հարցով եմ գրում';
  const m = fake.addMessage({ psid, name: 'Անի', text, created_time: writtenAt });
  await ingest(messengerPayload({ mid: m.id, senderId: psid, text, at: writtenAt }));
  return tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', m.id).executeTakeFirstOrThrow();
}

async function reply(replyId: number) {
  return tdb.db.selectFrom('replies').selectAll().where('id', '=', replyId).executeTakeFirstOrThrow();
}

// Generous: several attempts, each waiting out a Graph timeout, on a slow shared machine.
async function settled(replyId: number, timeout = 40_000) {
  await expect.poll(async () => (await reply(replyId)).status, { timeout, interval: 25 }).not.toBe('pending');
  return reply(replyId);
}

async function notifyJobs(name: string) {
  return (await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === name);
}

const pageCommentsUnder = (commentId: string) => fake.commentsOn(commentId).filter((c) => c.from?.id === PAGE_ID);

describe('public replies to comments, exactly once', () => {
  it('after two 500s and a timeout that did post, the reply is on Facebook once and the inquiry is answered via Telegram', async () => {
    const { post, comment, inquiry } = await commentInquiry();
    const text = 'Բարև ձեզ, դիմումը փոխանցվել է լուսավորության ծառայությանը, կվերանորոգեն մինչև ուրբաթ։';
    // An attempt whose outcome is unknown keeps the reply until its lease runs out: each one below lets that time pass.
    const thenLeaseRunsOut = (r: RecordedRequest) => {
      if (!isPostComments(r)) return false;
      clock = new Date(clock.getTime() + LEASE);
      return true;
    };
    fake.failNext(500, undefined, { count: 2, match: thenLeaseRunsOut });
    // The third POST takes effect on Facebook, but the answer never reaches us.
    fake.timeoutNext({
      match: (r) => {
        if (!isPostComments(r)) return false;
        fake.addComment({ postId: post.id, parentId: comment.id, message: String(r.body.message), from: PAGE, created_time: fake.now() });
        return thenLeaseRunsOut(r);
      },
    });
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    startWorker();
    await producers.deliverReply(replyId);

    const sent = await settled(replyId);
    const onFacebook = pageCommentsUnder(comment.id);
    expect(onFacebook.map((c) => c.message)).toEqual([text]);
    expect(fake.callCount(isPostComments)).toBe(3);
    expect(sent).toMatchObject({ status: 'sent', externalId: onFacebook[0]!.id, channel: 'comment_reply', failureReason: null, inFlightAt: null, attempts: 3 });
    // Found by the fourth attempt, after the third one's lease ran out.
    expect(sent.sentAt!.toISOString()).toBe(at(3 * LEASE).toISOString());

    const answered = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    // A final answer (the default): the first response and the closure at once.
    expect(answered).toMatchObject({ status: 'closed', answeredVia: 'telegram', answeredBy: staffId });
    expect(answered.firstResponseAt!.toISOString()).toBe(at(3 * LEASE).toISOString());
    expect(answered.closedAt!.toISOString()).toBe(at(3 * LEASE).toISOString());
    const events = await tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', inquiry.id).where('type', 'in', ['reply_sent', 'answered']).orderBy('id').execute();
    expect(events.map((e) => [e.type, e.actorKind, e.actorStaffId])).toEqual([
      ['reply_sent', 'staff', staffId],
      ['answered', 'staff', staffId],
    ]);
    expect(events[0]!.payload).toMatchObject({ replyId, externalId: onFacebook[0]!.id, channel: 'comment_reply', foundAfterUnknownOutcome: true });
    expect((await notifyJobs('reply.result')).map((j) => j.id)).toEqual([jobId.replyResult(replyId)]);
  }, 60_000);

  it('the webhook of our own reply arriving before the worker recorded it is not counted as a native answer', async () => {
    const { post, comment, inquiry } = await commentInquiry();
    const text = 'Շնորհակալություն, աշխատանքները կսկսվեն վաղը։';
    let webhookIngested = false;
    // Facebook delivers the feed webhook of the page's new comment while our worker has not yet recorded it.
    const racing: Connector = {
      ...connector,
      publishReply: async (plan, body) => {
        const published = await connector.publishReply(plan, body);
        await ingest(
          feedCommentPayload({ commentId: published.externalId, postId: post.id, parentId: comment.id, message: body, createdTime: clock, from: { id: PAGE_ID, name: PAGE.name } }),
        );
        webhookIngested = true;
        return published;
      },
    };
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    startWorker({ registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector: racing })]) });
    await producers.deliverReply(replyId);

    const sent = await settled(replyId);
    expect(webhookIngested).toBe(true);
    expect(sent.status).toBe('sent');
    // The same webhook delivered again after the worker recorded the reply changes nothing either.
    await ingest(feedCommentPayload({ commentId: sent.externalId!, postId: post.id, parentId: comment.id, message: text, createdTime: clock, from: { id: PAGE_ID, name: PAGE.name } }));

    const row = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'closed', answeredVia: 'telegram', answeredBy: staffId });
    const native = await tdb.db.selectFrom('events').select('id').where('inquiryId', '=', inquiry.id).where('type', '=', 'native_answer').execute();
    expect(native).toEqual([]);
  });

  it('a private reply goes to the commenter in Messenger', async () => {
    const { comment, inquiry } = await commentInquiry('Կարո՞ղ եմ անձնական տվյալներս ուղարկել');
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Այո, գրեք մեզ այստեղ։', visibility: 'private' });
    startWorker();
    await producers.deliverReply(replyId);

    const sent = await settled(replyId);
    const messages = fake.messagesWith(fake.psidFor(citizen.id));
    expect(messages.map((m) => [m.message, m.from.id, m.messaging_type])).toEqual([['Այո, գրեք մեզ այստեղ։', PAGE_ID, 'RESPONSE']]);
    expect(sent).toMatchObject({ status: 'sent', channel: 'private_reply', externalId: messages[0]!.id });
    expect(fake.commentsOn(comment.id)).toEqual([]);
  });
});

describe('the Graph API limits', () => {
  it('a 613 slows the deliver queue down (rate limit), and the reply still goes out, once', async () => {
    const { comment, inquiry } = await commentInquiry();
    fake.failNext(400, { code: 613 }, { match: isPostComments });
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Պատասխանը՝ վաղը։' });
    startWorker({ slowDownMs: 400 });
    await producers.deliverReply(replyId);

    const sent = await settled(replyId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(pageCommentsUnder(comment.id)).toHaveLength(1);
    const posts = calls.filter((c) => c.purpose === 'replyToComment');
    expect(posts.map((c) => c.outcome)).toEqual(['api_error', 'ok']);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(350);
    // Nothing was looked up: a 613 is a clear "not done".
    expect(calls.filter((c) => c.method === 'GET')).toEqual([]);
    const throttled = await getSourceById(tdb.db, source.id);
    expect(throttled.throttledUntil!.toISOString()).toBe(at(400).toISOString());
  });

  it('high usage headers after a reply make the next reply wait', async () => {
    const first = await commentInquiry('Առաջին հարցը');
    const second = await commentInquiry('Երկրորդ հարցը');
    fake.setUsage(96);
    const a = await insertPendingReply(tdb.db, { inquiryId: first.inquiry.id, staffId, text: 'Առաջին պատասխանը' });
    const b = await insertPendingReply(tdb.db, { inquiryId: second.inquiry.id, staffId, text: 'Երկրորդ պատասխանը' });
    startWorker({ slowDownMs: 400, concurrency: 1 });
    await producers.deliverReply(a);
    await settled(a);
    await producers.deliverReply(b);

    expect((await settled(b)).status).toBe('sent');
    const posts = calls.filter((c) => c.purpose === 'replyToComment');
    expect(posts.map((c) => c.outcome)).toEqual(['ok', 'ok']);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(350);
    expect(captured.text()).toMatch(/Graph usage is high; the next replies wait/);
  });

  it('a 190 pauses the source and alerts the admins; the reply waits; "sources resume" sends it', async () => {
    const { comment, inquiry } = await commentInquiry();
    fake.failNext(400, { code: 190, error_subcode: 463, message: 'Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.' }, { match: isPostComments });
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Կզանգահարենք ձեզ։' });
    startWorker();
    await producers.deliverReply(replyId);

    await expect.poll(async () => (await getSourceById(tdb.db, source.id)).enabled, { timeout: 10_000, interval: 25 }).toBe(false);
    await expect.poll(async () => (await queues.deliver.getJob(jobId.replyDeliver(replyId)))?.isDelayed(), { timeout: 5_000, interval: 25 }).toBe(true);
    const paused = await getSourceById(tdb.db, source.id);
    expect(paused.pausedReason).toMatch(/FACEBOOK_PAGE_ACCESS_TOKEN/);
    expect(paused.pausedAt!.toISOString()).toBe(T0.toISOString());
    expect((await reply(replyId)).status).toBe('pending');
    const alerts = await notifyJobs('admin.alert');
    expect(alerts.map((a) => a.data)).toEqual([
      { kind: 'source_paused', sourceId: source.id, message: expect.stringContaining(`ardzagank sources resume ${source.id}`) },
    ]);
    expect(await tdb.db.selectFrom('events').select('type').where('type', '=', 'source_paused').execute()).toHaveLength(1);
    expect(pageCommentsUnder(comment.id)).toEqual([]);

    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const cliConfig = loadConfig({ env: { DATABASE_URL: tdb.url, ...queueEnv(), QUEUE_PREFIX: prefix } });
    expect(await runSourcesCommand(['list'], io, { config: cliConfig, logger: captured.logger })).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`^${source.id}\\tfacebook\\t${PAGE_ID}\\t.*\\tPAUSED since`, 'm'));
    expect(await runSourcesCommand(['resume', String(source.id)], io, { config: cliConfig, logger: captured.logger })).toBe(0);
    expect(out.join('\n')).toContain('1 waiting reply is being sent now');

    const sent = await settled(replyId);
    expect(sent.status).toBe('sent');
    expect(pageCommentsUnder(comment.id).map((c) => c.message)).toEqual(['Կզանգահարենք ձեզ։']);
    expect(await getSourceById(tdb.db, source.id)).toMatchObject({ enabled: true, pausedReason: null, pausedAt: null });
    expect(await tdb.db.selectFrom('events').select('type').where('type', '=', 'source_resumed').execute()).toHaveLength(1);
  });
});

describe('Messenger windows', () => {
  it('RESPONSE within 24 h, HUMAN_AGENT after 24 h, and a clear refusal after 7 days without calling Facebook', async () => {
    const fresh = await messageInquiry('9100000000000001', at(-2 * HOUR));
    const late = await messageInquiry('9100000000000002', at(-30 * HOUR));
    const old = await messageInquiry('9100000000000003', at(-8 * DAY));
    const ids = [
      await insertPendingReply(tdb.db, { inquiryId: fresh.id, staffId, text: 'Բարև, խնդրում ենք այցելել մեզ երկուշաբթի։', visibility: 'private' }),
      await insertPendingReply(tdb.db, { inquiryId: late.id, staffId, text: 'Ներեցեք ուշացման համար, հերթը կբացվի հունվարին։', visibility: 'private' }),
      await insertPendingReply(tdb.db, { inquiryId: old.id, staffId, text: 'Պատասխան', visibility: 'private' }),
    ];
    startWorker();
    for (const id of ids) await producers.deliverReply(id);
    const [a, b, c] = [await settled(ids[0]!), await settled(ids[1]!), await settled(ids[2]!)];

    const sent = fake.sentMessages();
    expect(sent.map((m) => [m.to.id, m.messaging_type, m.tag])).toEqual(
      expect.arrayContaining([
        ['9100000000000001', 'RESPONSE', undefined],
        ['9100000000000002', 'MESSAGE_TAG', 'HUMAN_AGENT'],
      ]),
    );
    expect(sent).toHaveLength(2);
    expect(a).toMatchObject({ status: 'sent', channel: 'messenger' });
    expect(b).toMatchObject({ status: 'sent', channel: 'messenger' });
    const tagged = await tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', late.id).where('type', '=', 'reply_sent').executeTakeFirstOrThrow();
    expect(tagged.payload).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    expect(c.status).toBe('failed');
    expect(c.failureReason).toMatch(/last wrote 8 days ago/);
    expect(c.failureReason).toMatch(/within 24 hours, or within 7 days/);
    expect(fake.callCount((r) => isPostMessages(r) && JSON.stringify(r.body).includes('9100000000000003'))).toBe(0);
    const failed = await tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', old.id).where('type', '=', 'reply_failed').execute();
    // The code and its parameters beside the English sentence: each reader gets it in their language.
    expect(c.failure).toEqual({ code: 'dm_window_closed', params: { platform: 'facebook', ageDays: 8 } });
    expect(failed.map((e) => e.payload)).toEqual([{ replyId: ids[2], reason: c.failureReason, failure: c.failure }]);
    expect((await tdb.db.selectFrom('inquiries').select('status').where('id', '=', old.id).executeTakeFirstOrThrow()).status).toBe('new');
    expect((await notifyJobs('reply.result')).map((j) => j.id).sort()).toEqual(ids.map((id) => jobId.replyResult(id)).sort());
  });
});

describe('permanent refusals', () => {
  it('a permission error fails the reply with a message naming the missing permission', async () => {
    const { inquiry } = await commentInquiry();
    const messenger = await messageInquiry('9100000000000009', at(-HOUR));
    fake.failNext(403, { code: 200, message: '(#200) Permissions error' }, { match: isPostComments });
    fake.failNext(403, { code: 10, message: '(#10) Application does not have permission for this action' }, { match: isPostMessages });
    const commentReply = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Պատասխան մեկնաբանությանը' });
    const messageReply = await insertPendingReply(tdb.db, { inquiryId: messenger.id, staffId, text: 'Պատասխան հաղորդագրությանը', visibility: 'private' });
    startWorker();
    await producers.deliverReply(commentReply);
    await producers.deliverReply(messageReply);

    const a = await settled(commentReply);
    const b = await settled(messageReply);
    expect(a.status).toBe('failed');
    expect(a.failureReason).toMatch(/lacks the permission pages_manage_engagement/);
    expect(a.failureReason).toMatch(/FACEBOOK_PAGE_ACCESS_TOKEN/);
    expect(b.status).toBe('failed');
    expect(b.failureReason).toMatch(/lacks the permission pages_messaging/);
    // One call each: a refusal is not retried.
    expect(fake.callCount(isPostComments)).toBe(1);
    expect(fake.callCount(isPostMessages)).toBe(1);
  });

  it('no token in logs, stored errors or events, even when Facebook echoes it back', async () => {
    const { inquiry } = await commentInquiry();
    fake.failNext(400, { code: 100, message: `(#100) Invalid parameter near access_token=${TEST_PAGE_TOKEN}` }, { match: isPostComments });
    const failing = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Առաջին պատասխան' });
    startWorker();
    await producers.deliverReply(failing);
    const failed = await settled(failing);
    expect(failed.failureReason).toMatch(/Facebook refused the reply: \(#100\) Invalid parameter near access_token=\[REDACTED\]/);

    fake.failNext(400, { code: 190, message: `Malformed access token ${TEST_PAGE_TOKEN}` }, { match: isPostComments });
    const paused = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Երկրորդ պատասխան' });
    await producers.deliverReply(paused);
    await expect.poll(async () => (await getSourceById(tdb.db, source.id)).enabled, { timeout: 10_000, interval: 25 }).toBe(false);
    // A webhook payload the parser cannot use: its error is stored too.
    const { id: bad } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey: 'bad-payload', payload: { object: 'page', entry: 'oops' } });
    await processIngestJob(ingestDeps, { inboundEventId: bad }, captured.logger).catch(() => undefined);

    const stored = [
      ...(await tdb.db.selectFrom('replies').select(['failureReason', 'failure']).execute()).flatMap((r) => [r.failureReason, JSON.stringify(r.failure)]),
      ...(await tdb.db.selectFrom('inboundEvents').select(['lastError']).execute()).map((r) => r.lastError),
      ...(await tdb.db.selectFrom('events').select(['payload']).execute()).map((r) => JSON.stringify(r.payload)),
      ...(await tdb.db.selectFrom('sources').select(['pausedReason', 'lastPollError']).execute()).flatMap((r) => [r.pausedReason, r.lastPollError]),
      ...(await notifyJobs('admin.alert')).map((j) => JSON.stringify(j.data)),
      captured.text(),
    ].join('\n');
    expect(stored).toContain('[REDACTED]');
    expect(stored).toContain('Malformed access token');
    expect(stored).not.toContain(TEST_PAGE_TOKEN);
    expect(stored).not.toContain(TEST_PAGE_TOKEN.slice(0, 24));
  });
});


/** One attempt's dependencies, as the worker passes them (tests call the workflow directly to order attempts). */
function attemptDeps(overrides: Partial<ReplyDeliveryDeps> = {}): ReplyDeliveryDeps {
  return {
    db: tdb.db,
    producers,
    logger: captured.logger,
    now: () => clock,
    registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector })]),
    secrets: [TEST_PAGE_TOKEN, TEST_APP_SECRET],
    leaseMs: LEASE,
    ...overrides,
  };
}

/** The test's clock (and the stand-in's) moves on by `ms`. */
function advance(ms: number): void {
  clock = new Date(clock.getTime() + ms);
  fake.setNow(clock);
}

/** A POST that reaches Facebook, is published, and whose answer never comes back. */
function publishedButUnanswered(post: { id: string }, under: { id: string }) {
  fake.timeoutNext({
    match: (r) => {
      if (!isPostComments(r)) return false;
      fake.addComment({ postId: post.id, parentId: under.id, message: String(r.body.message), from: PAGE, created_time: fake.now() });
      return true;
    },
  });
}

describe('one attempt at a time owns a reply (a lease in Postgres)', () => {
  it('a second attempt while the first one is posting backs off: nothing looked up, nothing posted; the reply is on Facebook once', async () => {
    const { comment, inquiry } = await commentInquiry();
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Աշխատանքները կավարտվեն ուրբաթ։' });
    // Facebook takes its time with the first POST (still within the client's deadline).
    fake.delayNext({ delayMs: 300, match: isPostComments });
    const first = deliverReply(attemptDeps(), replyId);
    await vi.waitFor(() => expect(fake.callCount(isPostComments)).toBe(1), { timeout: 5_000, interval: 5 });
    const requestsBefore = fake.requests.length;

    // Redis emptied, the reconciler queued the reply again, or a stalled job ran again: a second attempt starts.
    const second = await deliverReply(attemptDeps(), replyId);

    expect(await first).toMatchObject({ status: 'sent', found: false });
    expect(pageCommentsUnder(comment.id)).toHaveLength(1);
    expect(second).toMatchObject({ status: 'busy' });
    expect(fake.requests.length).toBe(requestsBefore);
    expect(await deliverReply(attemptDeps(), replyId)).toEqual({ status: 'not_pending' });
    expect(await reply(replyId)).toMatchObject({ status: 'sent', leaseToken: null, leaseExpiresAt: null, attempts: 1 });
  });

  it('an attempt whose process died mid-POST holds the reply until its lease expires; then the next one looks first and finds it', async () => {
    const { comment, inquiry } = await commentInquiry();
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Կզանգենք ձեզ վաղը։' });
    // The POST reaches Facebook, which publishes it a moment later; the process that sent it freezes for good.
    fake.delayNext({ delayMs: 200, match: isPostComments });
    const dying: Connector = { ...connector, publishReply: (plan, text) => connector.publishReply(plan, text).then(() => new Promise<never>(() => undefined)) };
    void deliverReply(attemptDeps({ registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector: dying })]) }), replyId);
    await vi.waitFor(() => expect(fake.callCount(isPostComments)).toBe(1), { timeout: 5_000, interval: 5 });

    // Before the lease runs out nobody else may look or post (Facebook has not shown the comment yet).
    advance(LEASE - 100);
    expect(await deliverReply(attemptDeps(), replyId)).toMatchObject({ status: 'busy', until: new Date(T0.getTime() + LEASE) });
    await vi.waitFor(() => expect(pageCommentsUnder(comment.id)).toHaveLength(1), { timeout: 5_000, interval: 10 });

    advance(200);
    const taken = await deliverReply(attemptDeps(), replyId);
    expect(taken).toMatchObject({ status: 'sent', found: true });
    expect(pageCommentsUnder(comment.id)).toHaveLength(1);
    expect(fake.callCount(isPostComments)).toBe(1);
    expect((await reply(replyId)).externalId).toBe(pageCommentsUnder(comment.id)[0]!.id);
  });
});

describe('the "already published?" look-up finds only this reply', () => {
  it('two identical template answers in one comment thread: the second is not taken for the first', async () => {
    const template = 'Շնորհակալություն, ձեր դիմումը փոխանցվել է համապատասխան ծառայությանը։';
    const post = fake.seedPost({ message: 'Ջրամատակարարման ժամանակացույց', created_time: at(-DAY) });
    const ani = { id: '7200000000000011', name: 'Անի' };
    const aram = { id: '7200000000000012', name: 'Արամ' };
    const first = fake.addComment({ postId: post.id, message: 'Երբ ջուր կլինի Կոմիտասի փողոցում', from: ani, created_time: at(-HOUR) });
    const second = fake.addComment({ postId: post.id, parentId: first.id, message: 'Մեր շենքում էլ ջուր չկա', from: aram, created_time: at(-HOUR + MINUTE) });
    await ingest(feedCommentPayload({ commentId: first.id, postId: post.id, message: first.message, createdTime: at(-HOUR), from: ani }));
    await ingest(feedCommentPayload({ commentId: second.id, postId: post.id, parentId: first.id, message: second.message, createdTime: at(-HOUR + MINUTE), from: aram }));
    const inquiryOf = async (externalId: string) => tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', externalId).executeTakeFirstOrThrow();
    const [a, b] = [await inquiryOf(first.id), await inquiryOf(second.id)];

    const toAni = await insertPendingReply(tdb.db, { inquiryId: a.id, staffId, text: template });
    expect(await deliverReply(attemptDeps(), toAni)).toMatchObject({ status: 'sent' });
    // The answer to Aram: the POST gets no answer and did not publish anything.
    const toAram = await insertPendingReply(tdb.db, { inquiryId: b.id, staffId, text: template });
    fake.timeoutNext({ match: isPostComments });
    expect(await deliverReply(attemptDeps(), toAram)).toMatchObject({ status: 'retry' });
    advance(LEASE);
    const again = await deliverReply(attemptDeps(), toAram);

    const [sentToAni, sentToAram] = [await reply(toAni), await reply(toAram)];
    expect(again).toMatchObject({ status: 'sent', found: false });
    expect(sentToAram.externalId).not.toBe(sentToAni.externalId);
    const thread = pageCommentsUnder(first.id);
    expect(thread.map((c) => c.message)).toEqual([template, template]);
    expect(thread.map((c) => c.id).sort()).toEqual([sentToAni.externalId, sentToAram.externalId].sort());
    expect(fake.callCount((r) => isPostComments(r) && r.graphPath.startsWith(second.id))).toBe(2);
  });

  it('two identical template answers in one Messenger conversation: the second is sent, not taken for the first', async () => {
    const template = 'Բարև, ձեր հարցը փոխանցել ենք, կպատասխանենք մինչև երեկո։';
    const psid = '9100000000000077';
    const firstInquiry = await messageInquiry(psid, at(-2 * HOUR));
    const firstReply = await insertPendingReply(tdb.db, { inquiryId: firstInquiry.id, staffId, text: template, visibility: 'private' });
    expect(await deliverReply(attemptDeps(), firstReply)).toMatchObject({ status: 'sent' });

    // The citizen writes again a minute later: a new inquiry, answered with the same template.
    advance(MINUTE);
    const text = 'Եվ ևս մեկ հարց՝ փաստաթղթերի մասին';
    const m = fake.addMessage({ psid, name: 'Անի', text, created_time: clock });
    await ingest(messengerPayload({ mid: m.id, senderId: psid, text, at: clock }));
    const secondInquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', m.id).executeTakeFirstOrThrow();
    expect(secondInquiry.id).not.toBe(firstInquiry.id);
    const secondReply = await insertPendingReply(tdb.db, { inquiryId: secondInquiry.id, staffId, text: template, visibility: 'private' });
    fake.timeoutNext({ match: isPostMessages });
    expect(await deliverReply(attemptDeps(), secondReply)).toMatchObject({ status: 'retry' });
    advance(LEASE);
    expect(await deliverReply(attemptDeps(), secondReply)).toMatchObject({ status: 'sent', found: false });

    const fromPage = fake.messagesWith(psid).filter((x) => x.from.id === PAGE_ID);
    expect(fromPage.map((x) => x.message)).toEqual([template, template]);
    expect(fromPage.map((x) => x.id).sort()).toEqual([(await reply(firstReply)).externalId, (await reply(secondReply)).externalId].sort());
  });
});

describe('unknown outcomes, retries and a blocked Page', () => {
  const composeDeps = () => ({
    db: tdb.db,
    producers,
    config: { workflow: { requireApproval: false }, telegram: { staffChatId: undefined } },
  });
  const staffRow = async () => tdb.db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();

  it('a reply failed after unknown outcomes remembers it; Retry looks on Facebook first and does not post it twice', async () => {
    const { post, comment, inquiry } = await commentInquiry();
    const text = 'Ճանապարհը կնորոգվի հաջորդ շաբաթ։';
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    publishedButUnanswered(post, comment);

    const failed = await deliverReply(attemptDeps({ maxAttempts: 1 }), replyId);
    expect(failed).toMatchObject({ status: 'failed' });
    const retried = await retryReply(composeDeps(), { replyId, staff: await staffRow(), now: clock });
    expect(retried.ok).toBe(true);
    const retryId = retried.ok ? retried.reply.id : 0;
    const outcome = await deliverReply(attemptDeps(), retryId);

    expect(pageCommentsUnder(comment.id).map((c) => c.message)).toEqual([text]);
    expect(fake.callCount(isPostComments)).toBe(1);
    expect(outcome).toMatchObject({ status: 'sent', found: true });
    expect((await reply(retryId)).externalId).toBe(pageCommentsUnder(comment.id)[0]!.id);
    // The failed one says what the staff member needs to know, and kept that its outcome is unknown.
    const row = await reply(replyId);
    expect(row.failureReason).toMatch(/may already be on Facebook/);
    expect(row.inFlightAt).not.toBeNull();
  });

  it('a permission error while looking is not "not posted": the reply fails saying it may be on Facebook, and Retry looks again', async () => {
    const { post, comment, inquiry } = await commentInquiry();
    const text = 'Աղբը կհավաքեն այսօր երեկոյան։';
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    publishedButUnanswered(post, comment);
    expect(await deliverReply(attemptDeps(), replyId)).toMatchObject({ status: 'retry' });
    advance(LEASE);
    fake.failNext(403, { code: 10, message: '(#10) Requires pages_read_engagement permission to manage the object' }, { match: (r) => r.method === 'GET' });

    expect(await deliverReply(attemptDeps(), replyId)).toMatchObject({ status: 'failed' });
    expect(fake.callCount(isPostComments)).toBe(1);
    // The admin fixed the permission; the staff member presses Retry.
    const retried = await retryReply(composeDeps(), { replyId, staff: await staffRow(), now: clock });
    const retryId = retried.ok ? retried.reply.id : 0;
    const outcome = await deliverReply(attemptDeps(), retryId);

    expect(pageCommentsUnder(comment.id).map((c) => c.message)).toEqual([text]);
    expect(fake.callCount(isPostComments)).toBe(1);
    expect(outcome).toMatchObject({ status: 'sent', found: true });
    const row = await reply(replyId);
    expect(row.failureReason).toMatch(/may already be on Facebook/);
    expect(row.failureReason).toMatch(/pages_read_engagement/);
    expect(row.inFlightAt).not.toBeNull();
  });

  it('Graph 368 pauses publishing on the source until a time, tells the admins once, parks replies; polling goes on; the time passing lets them go', async () => {
    const { comment, inquiry } = await commentInquiry();
    const other = await commentInquiry('Իսկ մեր բակում աղբամանները լիքն են');
    fake.failNext(
      400,
      {
        code: 368,
        error_subcode: 1390008,
        message: 'It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.',
        error_user_title: "You Can't Use This Feature Right Now",
      },
      { match: isPostComments },
    );
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Պատասխան առաջին հարցին' });
    const otherId = await insertPendingReply(tdb.db, { inquiryId: other.inquiry.id, staffId, text: 'Պատասխան երկրորդ հարցին' });

    expect(await deliverReply(attemptDeps(), replyId)).toMatchObject({ status: 'parked', until: new Date(T0.getTime() + DAY) });
    const paused = await getSourceById(tdb.db, source.id);
    expect(paused).toMatchObject({ enabled: true, pausedReason: null });
    expect(paused.publishingPausedUntil!.toISOString()).toBe(at(DAY).toISOString());
    expect(paused.publishingPausedReason).toMatch(/#368/);
    // Another reply waits without calling Facebook; the first is still pending, not failed.
    expect(await deliverReply(attemptDeps(), otherId)).toMatchObject({ status: 'parked' });
    expect(fake.callCount(isPostComments)).toBe(1);
    expect(await reply(replyId)).toMatchObject({ status: 'pending', attempts: 0, inFlightAt: null });
    const alerts = await notifyJobs('admin.alert');
    expect(alerts.map((a) => a.data)).toEqual([
      { kind: 'source_publishing_paused', sourceId: source.id, message: expect.stringContaining(`ardzagank sources resume ${source.id}`) },
    ]);
    expect(alerts[0]!.data.message).toContain(at(DAY).toISOString());
    expect(await tdb.db.selectFrom('events').select('type').where('type', '=', 'source_publishing_paused').execute()).toHaveLength(1);

    advance(DAY);
    expect(await deliverReply(attemptDeps(), replyId)).toMatchObject({ status: 'sent' });
    expect(await deliverReply(attemptDeps(), otherId)).toMatchObject({ status: 'sent' });
    expect(pageCommentsUnder(comment.id)).toHaveLength(1);
    expect(pageCommentsUnder(other.comment.id)).toHaveLength(1);
  });

  it('with publishing paused by a 368, "sources resume" lets the waiting replies go at once', async () => {
    const { comment, inquiry } = await commentInquiry();
    fake.failNext(400, { code: 368, message: 'You have been temporarily blocked from performing this action.' }, { match: isPostComments });
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Կփոխանցենք ծառայությանը։' });
    startWorker();
    await producers.deliverReply(replyId);

    await expect.poll(async () => (await getSourceById(tdb.db, source.id)).publishingPausedUntil, { timeout: 10_000, interval: 25 }).not.toBeNull();
    await expect.poll(async () => (await queues.deliver.getJob(jobId.replyDeliver(replyId)))?.isDelayed(), { timeout: 5_000, interval: 25 }).toBe(true);
    expect((await reply(replyId)).status).toBe('pending');

    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const cliConfig = loadConfig({ env: { DATABASE_URL: tdb.url, ...queueEnv(), QUEUE_PREFIX: prefix } });
    expect(await runSourcesCommand(['list'], io, { config: cliConfig, logger: captured.logger, now: () => clock })).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`^${source.id}\\tfacebook\\t${PAGE_ID}\\t.*\\tactive, publishing paused until ${at(DAY).toISOString()}`, 'm'));
    expect(await runSourcesCommand(['resume', String(source.id)], io, { config: cliConfig, logger: captured.logger, now: () => clock })).toBe(0);
    expect(out.join('\n')).toContain('1 waiting reply is being sent now');

    expect((await settled(replyId)).status).toBe('sent');
    expect(pageCommentsUnder(comment.id)).toHaveLength(1);
    expect(await getSourceById(tdb.db, source.id)).toMatchObject({ enabled: true, publishingPausedUntil: null, publishingPausedReason: null });
    expect(await tdb.db.selectFrom('events').select('type').where('type', '=', 'source_publishing_resumed').execute()).toHaveLength(1);
  });
});
