/**
 * Publishing on Instagram exactly once, with the same lease and
 * lookup-before-retry as Facebook: the real `reply.deliver` worker on real
 * Redis and PostgreSQL, the Instagram connector through the real Graph SDK,
 * against the loopback Graph API stand-in. The stand-in's clock and the
 * worker's clock move together, so an attempt's lease runs out without waiting.
 */
import type { Worker } from 'bullmq';
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { instagramModuleOf } from '../../src/connectors/instagram/instagram.module.js';
import { createInstagramConnector } from '../../src/connectors/instagram/instagram.connector.js';
import { createInstagramGraphClient } from '../../src/connectors/instagram/instagram-graph-client.js';
import type { Connector } from '../../src/connectors/connector.js';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import type { SourceRow } from '../../src/db/schema.js';
import { hideInquiryComment } from '../../src/inbox/hide-comment.workflow.js';
import { ensureInstagramSource } from '../../src/inbox/source-health.workflow.js';
import { createIngestDeps } from '../../src/inbox/ingest-deps.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { closeQueues, createProducers, createQueues, type Producers, type Queues } from '../../src/queue/producers.js';
import { createDeliverReplyWorker } from '../../src/queue/workers/deliver-reply.worker.js';
import { processIngestJob, type IngestWorkerDeps } from '../../src/queue/workers/ingest.worker.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igCommentPayload, igMentionPayload, igMessagePayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { insertPendingReply, insertStaff, TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { captureLogger, createTestDatabase, openTestTransport, uniqueQueuePrefix, type CapturedLogger, type TestDatabase } from '../support/test-env.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const HOUR = 3_600_000;
const LEASE = 2_000;
const IG = { id: IG_ACCOUNT_ID, username: 'vanadzor.city' };
const citizen = { id: '1254459154682919', username: 'anna.h' };
const config = loadConfig({ env: {} });

let fake: GraphApiFake;
beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN }, instagram: IG });
});
afterAll(async () => {
  await fake.close();
});

let tdb: TestDatabase;
let clock: Date;
let prefix: string;
let transport: QueueTransport;
let queues: Queues;
let producers: Producers;
let captured: CapturedLogger;
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
  prefix = uniqueQueuePrefix('igdeliver');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  producers = createProducers(queues);
  captured = captureLogger();
  const graph = createInstagramGraphClient({ baseUrl: fake.url, version: 'v24.0', accessToken: TEST_PAGE_TOKEN, logger: captured.logger, timeoutMs: 400 });
  connector = createInstagramConnector({ graph, accountId: IG.id, pageId: PAGE_ID, lookbackDays: 14, logger: captured.logger });
  source = await ensureInstagramSource(tdb.db, IG.id);
  staffId = await insertStaff(tdb.db);
  ingestDeps = {
    db: tdb.db,
    producers,
    logger: captured.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    transport,
    ingest: createIngestDeps({ db: tdb.db, config, logger: captured.logger, now: () => clock, registry: createConnectorRegistry([instagramModuleOf()]) }),
  };
  workers = [];
  return async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
    for (const line of captured.lines()) expect(line).not.toContain(TEST_PAGE_TOKEN);
  };
});

function startWorker(): void {
  workers.push(
    createDeliverReplyWorker({
      db: tdb.db,
      producers,
      logger: captured.logger,
      metrics: createMetrics({ defaultMetrics: false }),
      transport,
      now: () => clock,
      registry: createConnectorRegistry([instagramModuleOf({ sourceId: source.id, connector })]),
      secrets: [TEST_PAGE_TOKEN],
      retryDelayMs: () => 50,
      parkDelayMs: 60_000,
      slowDownMs: 400,
      leaseMs: LEASE,
    }),
  );
}

let seq = 0;
async function ingest(payload: unknown): Promise<void> {
  seq += 1;
  // Stored as the Page endpoint stores it: platform facebook, object instagram.
  const { id } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey: `ig-deliver-${seq}-${Date.now()}`, payload });
  await processIngestJob(ingestDeps, { inboundEventId: id }, captured.logger);
}

/**
 * Waits for the reply to leave `pending`. Time passes meanwhile (a tenth of
 * a lease a look), so an attempt whose call went missing on a slow machine
 * (never reached the stand-in before its deadline) lets go of the reply too.
 */
async function settled(replyId: number) {
  await expect
    .poll(
      async () => {
        clock = new Date(clock.getTime() + LEASE / 10);
        fake.setNow(clock);
        return (await tdb.db.selectFrom('replies').select('status').where('id', '=', replyId).executeTakeFirstOrThrow()).status;
      },
      { timeout: 40_000, interval: 25 },
    )
    .not.toBe('pending');
  return tdb.db.selectFrom('replies').selectAll().where('id', '=', replyId).executeTakeFirstOrThrow();
}

describe('Instagram answers, exactly once', () => {
  it('after a 500 and a timeout that did post, the public reply is on Instagram once', async () => {
    const media = fake.seedIgMedia({ created_time: new Date(T0.getTime() - 24 * HOUR) });
    const comment = fake.addIgComment({ mediaId: media.id, text: 'Փոսը դեռ կա', from: citizen, created_time: new Date(T0.getTime() - HOUR) });
    await ingest(igCommentPayload({ commentId: comment.id, mediaId: media.id, text: comment.text, from: citizen, at: new Date(T0.getTime() - HOUR) }));
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', comment.id).executeTakeFirstOrThrow();
    const isPost = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/replies');
    const thenLeaseRunsOut = (r: RecordedRequest) => {
      if (!isPost(r)) return false;
      clock = new Date(clock.getTime() + LEASE);
      fake.setNow(clock);
      return true;
    };
    fake.failNext(500, undefined, { match: thenLeaseRunsOut });
    // The second POST takes effect on Instagram, but its answer never reaches us.
    fake.timeoutNext({
      match: (r) => {
        if (!isPost(r)) return false;
        fake.addIgComment({ mediaId: media.id, parentId: comment.id, text: String(r.query.message ?? r.body.message), from: IG, created_time: fake.now() });
        return thenLeaseRunsOut(r);
      },
    });
    const text = 'Բարև ձեզ, կփակեն այս շաբաթ։';
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    startWorker();
    await producers.deliverReply(replyId);
    const sent = await settled(replyId);
    const ours = fake.igCommentsOn(comment.id).filter((c) => c.from.id === IG.id);
    expect(ours.map((c) => c.text)).toEqual([text]);
    expect(fake.callCount(isPost)).toBeGreaterThanOrEqual(2);
    expect(sent).toMatchObject({ status: 'sent', channel: 'comment_reply', externalId: ours[0]!.id });
  }, 60_000);

  it('a DM whose send timed out but went out is found in the conversation, not sent twice', async () => {
    const igsid = '6723094128839211';
    const m = fake.addIgMessage({ igsid, username: 'narek', text: 'Աղբը չեն տարել', created_time: new Date(T0.getTime() - HOUR) });
    await ingest(igMessagePayload({ mid: m.id, igsid, text: m.message, at: new Date(T0.getTime() - HOUR) }));
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', m.id).executeTakeFirstOrThrow();
    const isSend = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/messages');
    // The send takes effect on Instagram, but its answer never reaches us.
    fake.timeoutNext({
      match: (r) => {
        if (!isSend(r)) return false;
        fake.addIgMessage({ igsid, text: String((r.body.message as { text?: string } | undefined)?.text ?? JSON.parse(String(r.body.message)).text), from: 'account', created_time: fake.now() });
        clock = new Date(clock.getTime() + LEASE);
        fake.setNow(clock);
        return true;
      },
    });
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Վաղը կտանեն' });
    startWorker();
    await producers.deliverReply(replyId);
    const sent = await settled(replyId);
    const ours = fake.igMessagesWith(igsid).filter((x) => x.from.id === IG.id);
    expect(ours.map((x) => x.message)).toEqual(['Վաղը կտանեն']);
    expect(sent).toMatchObject({ status: 'sent', channel: 'messenger', externalId: ours[0]!.id });
  }, 60_000);
});

describe('answers to mentions, exactly once', () => {
  const isMentionPost = (r: RecordedRequest) => r.method === 'POST' && r.graphPath === `${IG.id}/mentions`;
  /** The POST takes effect on Instagram, but its answer never reaches us; then the lease runs out. */
  const postedThenTimedOut = (mediaId: string, parentId?: string) =>
    fake.timeoutNext({
      match: (r) => {
        if (!isMentionPost(r)) return false;
        const message = String(r.query.message ?? r.body.message);
        fake.addIgComment({ mediaId, ...(parentId ? { parentId } : {}), text: message, from: IG, created_time: fake.now() });
        clock = new Date(clock.getTime() + LEASE);
        fake.setNow(clock);
        return true;
      },
    });

  it('a caption mention whose answer timed out but went out is found among the media comments, not posted twice', async () => {
    const owner = { id: '1254459154689101', username: 'gor.photos' };
    const media = fake.seedForeignIgMedia({ owner, caption: 'Լույսերը չեն վառվում @vanadzor.city', created_time: new Date(T0.getTime() - HOUR) });
    // Someone else's comment with the same words is not ours.
    fake.addIgComment({ mediaId: media.id, text: 'Կվառեն այսօր', from: citizen, created_time: new Date(T0.getTime() - HOUR / 2) });
    await ingest(igMentionPayload({ mediaId: media.id, at: new Date(T0.getTime() - HOUR) }));
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', media.id).executeTakeFirstOrThrow();
    postedThenTimedOut(media.id);
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Կվառեն այսօր' });
    startWorker();
    await producers.deliverReply(replyId);
    const sent = await settled(replyId);
    const ours = fake.igCommentsOn(media.id).filter((c) => c.from.id === IG.id);
    expect(ours.map((c) => c.text)).toEqual(['Կվառեն այսօր']);
    expect(fake.callCount(isMentionPost)).toBe(1);
    expect(sent).toMatchObject({ status: 'sent', channel: 'mention_reply', externalId: ours[0]!.id });
  }, 60_000);

  it('a comment mention whose answer timed out cannot be looked up: not posted again, failed as "may already be published"', async () => {
    const owner = { id: '1254459154689102', username: 'lusine.blog' };
    const media = fake.seedForeignIgMedia({ owner, caption: 'Մեր բակը', created_time: new Date(T0.getTime() - HOUR) });
    const comment = fake.addIgComment({ mediaId: media.id, text: '@vanadzor.city ե՞րբ', from: citizen, created_time: new Date(T0.getTime() - HOUR) });
    await ingest(igMentionPayload({ mediaId: media.id, commentId: comment.id, at: new Date(T0.getTime() - HOUR) }));
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', comment.id).executeTakeFirstOrThrow();
    postedThenTimedOut(media.id, comment.id);
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Գարնանը' });
    startWorker();
    await producers.deliverReply(replyId);
    const failed = await settled(replyId);
    // Instagram shows it once: the retry did not post it again.
    expect(fake.igCommentsOn(comment.id).filter((c) => c.from.id === IG.id).map((c) => c.text)).toEqual(['Գարնանը']);
    expect(fake.callCount(isMentionPost)).toBe(1);
    expect(failed.status).toBe('failed');
    expect(failed.failure).toEqual({
      code: 'may_be_published',
      params: { platform: 'instagram', cause: { code: 'mention_lookup_impossible', params: { platform: 'instagram', why: 'comment_replies' } } },
    });
    expect(failed.failureReason).toMatch(/^Not confirmed: an earlier attempt may have published this reply.*replies under a comment that mentioned it/);
    // Retry looks first (and fails the same way) instead of posting blindly.
    expect(failed.inFlightAt).not.toBeNull();
  }, 60_000);
});

describe('hiding an abusive comment', () => {
  it('a supervisor hides it on Instagram, recorded as an event; an agent may not', async () => {
    const media = fake.seedIgMedia({ created_time: new Date(T0.getTime() - 24 * HOUR) });
    const comment = fake.addIgComment({ mediaId: media.id, text: 'վիրավորական խոսքեր', from: citizen, created_time: new Date(T0.getTime() - HOUR) });
    await ingest(igCommentPayload({ commentId: comment.id, mediaId: media.id, text: comment.text, from: citizen, at: new Date(T0.getTime() - HOUR) }));
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', comment.id).executeTakeFirstOrThrow();
    const deps = { db: tdb.db, registry: createConnectorRegistry([instagramModuleOf({ sourceId: source.id, connector })]), producers, secrets: [TEST_PAGE_TOKEN] };
    const agent = await tdb.db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
    expect(await hideInquiryComment(deps, { inquiryId: inquiry.id, staff: agent, now: clock })).toMatchObject({ ok: false, reason: 'denied' });
    expect(fake.igComment(comment.id)!.hidden).toBe(false);

    const supervisor = await tdb.db.insertInto('staff').values({ telegramUserId: 881_500_001, name: 'Վերահսկիչ', role: 'supervisor' }).returningAll().executeTakeFirstOrThrow();
    expect(await hideInquiryComment(deps, { inquiryId: inquiry.id, staff: supervisor, now: clock })).toMatchObject({ ok: true });
    expect(fake.igComment(comment.id)!.hidden).toBe(true);
    const events = await tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', inquiry.id).where('type', '=', 'comment_hidden').execute();
    expect(events.map((e) => [e.actorKind, e.actorStaffId, e.payload])).toEqual([['staff', supervisor.id, { platform: 'instagram', externalId: comment.id }]]);

    // A hidden comment cannot be replied to: Graph refuses, the reply fails with the reason.
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Պատասխան' });
    startWorker();
    await producers.deliverReply(replyId);
    expect(await settled(replyId)).toMatchObject({ status: 'failed' });
  }, 60_000);
});
