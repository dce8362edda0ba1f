/**
 * Fifty staff answers in flight against a Graph API stand-in whose POSTs take
 * longer than the client's deadline (Facebook slow to process them: the
 * client gives up, the comment or message is published anyway), while the queues
 * are emptied twice and one of the two service processes publishing them is
 * killed with SIGKILL. Every answer ends up on Facebook exactly once, on its
 * own citizen's comment or in their own conversation, although three
 * template texts are shared by all fifty.
 *
 * What holds it together: a delivery attempt owns its reply by a lease in
 * Postgres (the reconciler's second job for the same reply backs off), an
 * attempt whose outcome is unknown keeps the reply until its lease runs out
 * (so the slow POST lands before anyone looks), the dead process's leases
 * expire, and the look-up before posting again is scoped to the citizen's
 * thread and skips what other replies already recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebookJson, sendDeliveries, signBody, type CommentLoadItem } from '../../bench/support/facebook-load.js';
import { openQueueTransport } from '../../src/queue/transport.js';
import { closeQueues, createProducers, createQueues } from '../../src/queue/producers.js';
import { messengerPayload } from '../../src/stand-ins/facebook-webhook-payloads.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { insertPendingReply, insertStaff } from '../factories/facebook-fixtures.js';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { assertBuildIsFresh } from './support/built-service.js';
import { citizenComments, count, faultServiceEnv, PAGE_ID, SECRETS } from './support/fault-service.js';
import { startEmptiableQueues, type EmptiableQueues } from './support/private-servers.js';
import { startTunedService, type TunedService, type TunedServiceTuning } from './support/tuned-service.js';

const COMMENTS = 40;
const CONVERSATIONS = 10;
const ANSWERS = COMMENTS + CONVERSATIONS;
const PAGE = { id: PAGE_ID, name: 'City Hall' };
/** Facebook takes this long to carry out a POST, far beyond the client's deadline. */
const POST_TAKES_MS = 2_500;
const TUNING: TunedServiceTuning = {
  graphTimeoutMs: 1_500,
  // Longer than the deadline, and than the POST itself, with room for a slow machine.
  leaseMs: 6_000,
  retryDelayMs: 300,
  parkDelayMs: 1_000,
  maxAttempts: 30,
  concurrency: 6,
  reconcileEveryMs: 1_000,
};
const TEMPLATES = [
  'Շնորհակալություն, ձեր դիմումը փոխանցվել է համապատասխան ծառայությանը։',
  'Խնդիրը հայտնի է, աշխատանքները կավարտվեն այս շաբաթ։',
  'Здравствуйте, заявка передана в службу, ответим сегодня.',
];

let queuesStore: EmptiableQueues;
let tdb: TestDatabase;
const prefix = uniqueQueuePrefix('publish');
let graph: GraphApiFake;
const services: TunedService[] = [];

beforeAll(async () => {
  assertBuildIsFresh();
  [tdb, graph] = await Promise.all([createTestDatabase(), startGraphApiFake({ page: { ...PAGE, accessToken: SECRETS.pageToken } })]);
  queuesStore = await startEmptiableQueues(tdb.url, prefix);
});

afterAll(async () => {
  for (const s of services) await s.kill();
  await Promise.all([queuesStore?.stop(), graph?.close()]);
  await tdb?.close();
});

const isPost = (r: RecordedRequest) => r.method === 'POST';

/** Messenger messages of `count` citizens, on the stand-in and as signed webhook deliveries. */
function citizenMessages(n: number): Array<CommentLoadItem & { psid: string }> {
  return Array.from({ length: n }, (_, i) => {
    const psid = `93000000000000${String(i).padStart(2, '0')}`;
    const at = new Date(Date.now() - 60_000);
    const m = graph.addMessage({ psid, name: `Քաղաքացի ${i}`, text: `Բարև, հարց ունեմ աղբահանության մասին (#m${i})`, created_time: at });
    const body = facebookJson(messengerPayload({ mid: m.id, senderId: psid, text: m.message, at, pageId: PAGE_ID }));
    return { commentId: m.id, body, signature: signBody(body, SECRETS.appSecret), psid };
  });
}

describe('publishing through slow POSTs, emptied queues (twice) and a killed worker', () => {
  it('puts every answer on Facebook exactly once, each on its own citizen’s comment or conversation', async () => {
    const env = { ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: queuesStore.redisUrl, prefix, graph }), LOG_LEVEL: 'info' };
    services.push(await startTunedService(env, TUNING));
    services.push(await startTunedService(env, TUNING));
    const [first, second] = services as [TunedService, TunedService];

    // Fifty citizens ask: forty comments, ten Messenger conversations.
    const comments = citizenComments(COMMENTS, 'px', graph);
    const messages = citizenMessages(CONVERSATIONS);
    await sendDeliveries([...comments, ...messages], { baseUrl: first.address, concurrency: 8 });
    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 30_000, interval: 100 }).toBe(ANSWERS);

    // From now on Facebook publishes every POST only after the client has given up on it.
    graph.delayNext({ delayMs: POST_TAKES_MS, count: Number.POSITIVE_INFINITY, match: isPost });
    const staffId = await insertStaff(tdb.db);
    const inquiries = await tdb.db.selectFrom('inquiries').select(['id', 'externalId', 'kind', 'authorId']).orderBy('id').execute();
    const transport = await openQueueTransport({ redisUrl: queuesStore.redisUrl, databaseUrl: tdb.url, prefix, name: 'fault-test' });
    const queues = createQueues(transport);
    const producers = createProducers(queues);
    const textOf = new Map<number, string>();
    for (const [i, inquiry] of inquiries.entries()) {
      const text = TEMPLATES[i % TEMPLATES.length]!;
      const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text, visibility: inquiry.kind === 'message' ? 'private' : 'public' });
      textOf.set(inquiry.id, text);
      await producers.deliverReply(replyId);
    }
    await closeQueues(queues);
    await transport.close();

    // POSTs in flight: the queues lose every job; the reconcilers queue the replies again.
    await expect.poll(() => graph.callCount(isPost), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(6);
    await queuesStore.empty();
    // More in flight: one of the two processes dies with them.
    const postsBefore = graph.callCount(isPost);
    await expect.poll(() => graph.callCount(isPost), { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(postsBefore + 4);
    await first.kill();
    const postsAtKill = graph.callCount(isPost);
    // And the queues are emptied once more while the dead process's leases still hold its replies.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await queuesStore.empty();

    await expect.poll(() => count(tdb.db, 'replies', { column: 'status', value: 'pending' }), { timeout: 60_000, interval: 200 }).toBe(0);

    // Every reply was sent, and each is the one item of the page under its own citizen's comment or in their conversation.
    const replies = await tdb.db
      .selectFrom('replies')
      .innerJoin('inquiries', 'inquiries.id', 'replies.inquiryId')
      .select(['replies.status', 'replies.externalId', 'replies.inquiryId', 'inquiries.kind', 'inquiries.externalId as item', 'inquiries.authorId'])
      .execute();
    expect(replies.filter((r) => r.status !== 'sent')).toEqual([]);
    for (const r of replies) {
      const fromPage =
        r.kind === 'comment'
          ? graph.commentsOn(r.item).filter((c) => c.from?.id === PAGE.id).map((c) => ({ id: c.id, text: c.message }))
          : graph.messagesWith(r.authorId!).filter((m) => m.from.id === PAGE.id).map((m) => ({ id: m.id, text: m.message }));
      expect({ item: r.item, fromPage }).toEqual({ item: r.item, fromPage: [{ id: r.externalId, text: textOf.get(r.inquiryId) }] });
    }
    const pageComments = graph.pagePosts().flatMap((p) => graph.commentsOn(p.id)).filter((c) => c.from?.id === PAGE.id);
    expect(pageComments).toHaveLength(COMMENTS);
    expect(graph.sentMessages()).toHaveLength(CONVERSATIONS);
    // Every POST took effect, so one POST per answer is the same as no answer twice.
    expect(graph.callCount(isPost)).toBe(ANSWERS);

    // The faults really happened: POSTs outlived their clients (and were found by a look-up afterwards), the
    // killed process had POSTs in flight, and attempts found their reply owned by another and backed off.
    expect(graph.requests.filter((r) => isPost(r) && r.abandoned).length).toBeGreaterThan(0);
    const found = await tdb.db.selectFrom('events').select('payload').where('type', '=', 'reply_sent').execute();
    expect(found.filter((e) => (e.payload as { foundAfterUnknownOutcome?: boolean }).foundAfterUnknownOutcome === true).length).toBeGreaterThan(0);
    expect(postsAtKill).toBeGreaterThan(postsBefore);
    const backedOff = services.map((s) => s.output().split('\n').filter((l) => l.includes('another attempt owns this reply')).length);
    expect(backedOff.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(await count(tdb.db, 'inquiries', { column: 'answeredVia', value: 'telegram' })).toBe(ANSWERS);
    expect(second.output()).not.toContain(SECRETS.pageToken);
  }, 120_000);
});
