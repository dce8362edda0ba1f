/**
 * Polling a Facebook Page (webhooks off) through the real Graph SDK against
 * the loopback Graph API stand-in, with real Postgres and Redis: new comments
 * on old posts are found, an idle poll costs a constant number of calls, the
 * page's own answers count as native answers, the cursor moves only with
 * committed items, and throttling / dead tokens slow down / pause the source.
 */
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createFacebookConnector } from '../../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../../src/connectors/facebook/graph-client.js';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import { getSourceById } from '../../src/db/repositories/source.repository.js';
import type { SourceRow } from '../../src/db/schema.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { closeQueues, createProducers, createQueues, type Producers, type Queues } from '../../src/queue/producers.js';
import { processIngestJob, type IngestWorkerDeps } from '../../src/queue/workers/ingest.worker.js';
import { createSourcePollHandlers } from '../../src/queue/workers/source-poll.worker.js';
import { pollSource, type SourcePollDeps } from '../../src/inbox/poll-source.workflow.js';
import { ensureFacebookSource } from '../../src/inbox/source-health.workflow.js';
import { createIngestDeps } from '../../src/inbox/ingest-deps.js';
import { TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { parseFacebookInbound } from '../../src/connectors/facebook/inbound-parser.js';
import { feedCommentPayload, messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { formatGraphTime, startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { captureLogger, createTestDatabase, openTestTransport, uniqueQueuePrefix, type CapturedLogger, type TestDatabase } from '../support/test-env.js';

const T0 = new Date('2026-11-28T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const config = loadConfig({ env: {} });

let tdb: TestDatabase;
let transport: QueueTransport;
let fake: GraphApiFake;

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Գյումրու համայնքապետարան', accessToken: TEST_PAGE_TOKEN } });
});
afterAll(async () => {
  await fake.close();
});

let clock: Date;
let prefix: string;
let queues: Queues;
let producers: Producers;
let metrics: Metrics;
let captured: CapturedLogger;
let deps: SourcePollDeps;
let source: SourceRow;
let ingestDeps: IngestWorkerDeps;

beforeEach(async () => {
  // A database of its own per test: counts of inquiries and events are exact.
  tdb = await createTestDatabase();
  fake.reset();
  clock = new Date(T0.getTime());
  fake.setNow(clock);
  prefix = uniqueQueuePrefix('fbpoll');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  producers = createProducers(queues);
  metrics = createMetrics({ defaultMetrics: false });
  // No secrets given to the logger: whatever the code logs must be clean by itself.
  captured = captureLogger();
  const graph = createGraphClient({
    baseUrl: fake.url,
    version: 'v24.0',
    accessToken: TEST_PAGE_TOKEN,
    logger: captured.logger,
    timeoutMs: 500,
    onCall: (call) => metrics.graphApiCalls.inc({ source: 'facebook', purpose: call.purpose }),
  });
  const connector = createFacebookConnector({ graph, pageId: PAGE_ID, lookbackDays: 14, logger: captured.logger });
  source = await ensureFacebookSource(tdb.db, PAGE_ID);
  deps = { db: tdb.db, producers, logger: captured.logger, metrics, now: () => clock, registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector })]), secrets: [TEST_PAGE_TOKEN] };
  ingestDeps = {
    db: tdb.db,
    producers,
    logger: captured.logger,
    metrics,
    transport,
    ingest: createIngestDeps({ db: tdb.db, config, logger: captured.logger, now: () => clock, registry: createConnectorRegistry([facebookModuleOf()]) }),
  };
  return async () => {
    for (const line of captured.lines()) expect(line).not.toContain(TEST_PAGE_TOKEN);
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
  };
});

const at = (ms: number) => new Date(T0.getTime() + ms);

function advance(to: Date): void {
  clock = new Date(to.getTime());
  fake.setNow(clock);
}

/** Runs the ingest jobs the poll queued, as the ingest worker would. */
async function ingestQueued(): Promise<number[]> {
  const jobs = await queues.ingest.getJobs(['waiting', 'delayed', 'prioritized']);
  const ids = jobs.map((j) => (j.data as { inboundEventId: number }).inboundEventId).sort((a, b) => a - b);
  for (const id of ids) await processIngestJob(ingestDeps, { inboundEventId: id }, captured.logger);
  for (const j of jobs) await j.remove();
  return ids;
}

async function graphCalls(): Promise<number> {
  const metric = await metrics.graphApiCalls.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

const citizen = { id: '7100000000000001', name: 'Արմեն Սարգսյան' };

describe('polling with webhooks off', () => {
  it('finds a comment made ten days after its post, and makes it one inquiry at the comment time', async () => {
    const post = fake.seedPost({ message: 'Ջրամատակարարման ժամանակացույց', created_time: at(-10 * DAY) });
    advance(at(-10 * DAY + HOUR));
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 1 }); // the page's own post
    await ingestQueued();

    advance(T0);
    const comment = fake.addComment({ postId: post.id, message: 'Բարև, Շիրակացու 5-ում արդեն երկու օր ջուր չկա, ե՞րբ կլինի։', from: citizen, created_time: at(-5 * MINUTE) });
    const outcome = await pollSource(deps, source.id);

    expect(outcome).toMatchObject({ status: 'stored', items: 1, duplicate: false });
    await ingestQueued();
    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().execute();
    expect(inquiries).toHaveLength(1);
    expect(inquiries[0]).toMatchObject({ platform: 'facebook', kind: 'comment', externalId: comment.id, threadId: post.id, authorId: citizen.id, authorName: citizen.name, status: 'new' });
    expect(inquiries[0]!.postedAt.toISOString()).toBe(at(-5 * MINUTE).toISOString());
    expect(inquiries[0]!.suggestedSectorCode).toBe('water');
    const stored = await tdb.db.selectFrom('inboundEvents').selectAll().where('origin', '=', 'poll').orderBy('id').execute();
    expect(stored.map((e) => e.dedupKey.startsWith(`fb:poll:${PAGE_ID}:`))).toEqual([true, true]);
    // The page's post was counted as published, not as an inquiry.
    const posts = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'page_post').execute();
    expect(posts.map((p) => p.payload)).toEqual([{ platform: 'facebook', externalId: post.id }]);
    const cursor = (await getSourceById(tdb.db, source.id)).cursor as { since: string };
    expect(cursor.since).toBe(at(-2 * MINUTE).toISOString());
  });

  it('an idle poll costs the same two Graph calls with 40 or 80 posts in the window, and stores nothing', async () => {
    for (let i = 0; i < 40; i++) {
      const post = fake.seedPost({ message: `Հայտարարություն ${i}`, created_time: at(-13 * DAY + i * 6 * HOUR) });
      fake.addComment({ postId: post.id, message: `Հարց ${i}`, from: citizen, created_time: at(-13 * DAY + i * 6 * HOUR + HOUR) });
    }
    await pollSource(deps, source.id); // the first poll reads the whole window
    advance(at(5 * MINUTE));

    const requestsBefore = fake.requests.length;
    const callsBefore = await graphCalls();
    const storedBefore = await tdb.db.selectFrom('inboundEvents').select('id').execute();
    expect(await pollSource(deps, source.id)).toEqual({ status: 'idle' });
    expect(fake.requests.length - requestsBefore).toBe(2);
    expect((await graphCalls()) - callsBefore).toBe(2);
    expect(fake.requests.slice(-2).map((r) => r.graphPath)).toEqual([`${PAGE_ID}/feed`, `${PAGE_ID}/conversations`]);
    // The comments of the last day (their likes), newest first; only the ones since the previous poll become items.
    expect(fake.requests.at(-2)!.query.fields).toContain(`comments.filter(stream).since(${(T0.getTime() + 5 * MINUTE - DAY) / 1000}).order(reverse_chronological)`);

    for (let i = 0; i < 40; i++) fake.seedPost({ message: `Նոր ${i}`, created_time: at(5 * MINUTE + i * 1000) });
    advance(at(10 * MINUTE));
    await pollSource(deps, source.id); // reads the 40 new posts once
    advance(at(15 * MINUTE));
    const again = fake.requests.length;
    expect(await pollSource(deps, source.id)).toEqual({ status: 'idle' });
    expect(fake.requests.length - again).toBe(2);
    expect(await tdb.db.selectFrom('inboundEvents').select('id').execute()).toHaveLength(storedBefore.length + 1);
  });

  it('finds a comment made 40 days after its post, past the lookback: a poll-only Page loses nothing on old posts', async () => {
    const post = fake.seedPost({ message: 'Բակերի բարեկարգման ծրագիր', created_time: at(-40 * DAY) });
    fake.addComment({ postId: post.id, message: 'Շնորհակալություն', from: { id: '7100000000000009', name: 'Անի' }, created_time: at(-39 * DAY) });
    advance(at(-HOUR));
    expect(await pollSource(deps, source.id)).toEqual({ status: 'idle' }); // nothing happened within the lookback

    advance(T0);
    const comment = fake.addComment({ postId: post.id, message: 'Մեր բակը ծրագրում կա՞, Մուշ 2, շենք 14', from: citizen, created_time: at(-3 * MINUTE) });
    expect(fake.pagePosts().find((p) => p.id === post.id)!.updated_time).toBe(formatGraphTime(at(-3 * MINUTE)));

    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 1 });
    await ingestQueued();
    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().execute();
    expect(inquiries).toHaveLength(1);
    expect(inquiries[0]).toMatchObject({ kind: 'comment', externalId: comment.id, threadId: post.id, authorId: citizen.id, status: 'new' });
    expect(inquiries[0]!.postedAt.toISOString()).toBe(at(-3 * MINUTE).toISOString());
    // The month-old thanks under the same post was not read again.
    expect(await tdb.db.selectFrom('inboundEvents').select('id').execute()).toHaveLength(1);
  });

  it('an idle poll costs two Graph calls however many posts were active in the window (150 commented posts)', async () => {
    for (let i = 0; i < 150; i++) {
      const post = fake.seedPost({ message: `Լուր ${i}`, created_time: at(-13 * DAY + i * 2 * HOUR) });
      fake.addComment({ postId: post.id, message: `Հարց ${i}`, from: citizen, created_time: at(-13 * DAY + i * 2 * HOUR + HOUR) });
    }
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored' }); // the first poll reads the whole window
    advance(at(5 * MINUTE));

    const requestsBefore = fake.requests.length;
    expect(await pollSource(deps, source.id)).toEqual({ status: 'idle' });
    expect(fake.requests.slice(requestsBefore).map((r) => r.graphPath)).toEqual([`${PAGE_ID}/feed`, `${PAGE_ID}/conversations`]);
    // The feed is asked for the posts active since the last poll (less the overlap), not for the whole window.
    expect(fake.requests.at(-2)!.query.since).toBe(String((T0.getTime() - 2 * MINUTE) / 1000));
  });

  it('reading the likes of a busy post costs no extra call: its older comments past the first page are not read again, 150 new ones are all read', async () => {
    const post = fake.seedPost({ message: 'Ջրի անջատում', created_time: at(-DAY) });
    for (let i = 0; i < 250; i++) fake.addComment({ postId: post.id, message: `Հարց ${i}`, from: citizen, created_time: at(-20 * HOUR + i * MINUTE) });
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 251 }); // the post and every comment, over three comment pages
    advance(at(5 * MINUTE));
    fake.addComment({ postId: post.id, message: 'Ու՞ր է ջուրը', from: citizen, created_time: at(4 * MINUTE) });
    let before = fake.requests.length;
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 1 });
    expect(fake.requests.slice(before).map((r) => r.graphPath)).toEqual([`${PAGE_ID}/feed`, `${PAGE_ID}/conversations`]);

    advance(at(20 * MINUTE));
    for (let i = 0; i < 150; i++) fake.addComment({ postId: post.id, message: `Նոր ${i}`, from: citizen, created_time: at(6 * MINUTE + i * 5_000) });
    before = fake.requests.length;
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 150 });
    // The feed with the newest 100, the next page (50 new, then older ones: paging stops), the conversations.
    expect(fake.requests.slice(before).map((r) => r.graphPath)).toEqual([`${PAGE_ID}/feed`, expect.stringMatching(/\/comments$/), `${PAGE_ID}/conversations`]);
  });

  it('a page reply on Facebook, found by the poll, marks the inquiry answered natively at the reply time', async () => {
    const post = fake.seedPost({ message: 'Աղբահանության գրաֆիկ', created_time: at(-3 * DAY) });
    const question = fake.addComment({ postId: post.id, message: 'Ինչու՞ աղբը չեն տարել երեք օր', from: citizen, created_time: at(-40 * MINUTE) });
    fake.addComment({ postId: post.id, parentId: question.id, message: 'Բարև ձեզ, այսօր կտանեն։', from: { id: PAGE_ID, name: 'Page' }, created_time: at(-10 * MINUTE) });

    await pollSource(deps, source.id);
    await ingestQueued();

    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', question.id).executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ status: 'closed', answeredVia: 'native', answeredBy: null });
    expect(inquiry.firstResponseAt!.toISOString()).toBe(at(-10 * MINUTE).toISOString());
    expect(inquiry.firstResponseAt!.getTime() - inquiry.postedAt.getTime()).toBe(30 * MINUTE);
    expect(await tdb.db.selectFrom('inquiries').select('id').execute()).toHaveLength(1);
  });

  it('Messenger by poll gives the same items as by webhook: one inquiry, answered natively by the page message', async () => {
    const psid = '24010000000000001';
    const asked = fake.addMessage({ psid, name: 'Լուսինե', text: 'Բարև, ո՞ւր դիմեմ աղբի համար', created_time: at(-30 * MINUTE) });
    // The webhook brought the citizen's message first.
    const hook = messengerPayload({ mid: asked.id, senderId: psid, text: asked.message, at: at(-30 * MINUTE) });
    const { id } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey: `test-${asked.id}`, payload: hook });
    await processIngestJob(ingestDeps, { inboundEventId: id }, captured.logger);
    fake.addMessage({ psid, text: 'Բարև, զանգահարեք 1-22', from: 'page', created_time: at(-5 * MINUTE) });

    await pollSource(deps, source.id);
    await ingestQueued();

    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().execute();
    expect(inquiries).toHaveLength(1);
    expect(inquiries[0]).toMatchObject({ kind: 'message', threadId: psid, authorId: psid, status: 'closed', answeredVia: 'native' });
    expect(inquiries[0]!.firstResponseAt!.toISOString()).toBe(at(-5 * MINUTE).toISOString());
    expect(await tdb.db.selectFrom('inquiryMessages').select('externalId').execute()).toEqual([{ externalId: asked.id }]);
  });

  it('reads every new message of a busy conversation, beyond the first 25, into one open inquiry', async () => {
    const psid = '24010000000000002';
    for (let i = 0; i < 30; i++) fake.addMessage({ psid, text: `Հաղորդագրություն ${i}`, created_time: at(-60 * MINUTE + i * MINUTE) });

    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 30 });
    await ingestQueued();

    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().execute();
    expect(inquiries).toHaveLength(1);
    expect(inquiries[0]!.text).toBe('Հաղորդագրություն 0');
    expect(inquiries[0]!.lastCitizenAt.toISOString()).toBe(at(-31 * MINUTE).toISOString());
    expect(await tdb.db.selectFrom('inquiryMessages').select('id').execute()).toHaveLength(30);
    expect(fake.callCount({ path: /^t_\d+\/messages$/ })).toBe(1);
  });

  it('moves the cursor only with committed items: a failed read stores nothing, and the next poll finds the comment', async () => {
    const post = fake.seedPost({ message: 'Ճանապարհների նորոգում', created_time: at(-2 * DAY) });
    await pollSource(deps, source.id);
    await ingestQueued();
    const before = await getSourceById(tdb.db, source.id);

    advance(at(10 * MINUTE));
    fake.addComment({ postId: post.id, message: 'Մեր բակի ճանապարհը ե՞րբ', from: citizen, created_time: at(8 * MINUTE) });
    fake.failNext(500, `<html>upstream failed for /v24.0/${PAGE_ID}/conversations?access_token=${TEST_PAGE_TOKEN}</html>`, {
      match: (r) => r.graphPath.endsWith('/conversations'),
    });
    await expect(pollSource(deps, source.id)).rejects.toThrow(/GraphHttpError|failed/);

    const after = await getSourceById(tdb.db, source.id);
    expect(after.cursor).toEqual(before.cursor);
    expect(after.lastPollError).toMatch(/HTTP 500/);
    expect(after.lastPollError).not.toContain(TEST_PAGE_TOKEN);
    expect(await queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 0 });

    advance(at(11 * MINUTE));
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored', items: 1 });
    await ingestQueued();
    expect(await tdb.db.selectFrom('inquiries').select('text').execute()).toEqual([{ text: 'Մեր բակի ճանապարհը ե՞րբ' }]);
    expect((await getSourceById(tdb.db, source.id)).lastPollError).toBeNull();
  });
});

describe('polling: the same items as the webhooks', () => {
  const CDN = 'https://scontent.xx.fbcdn.net/v/t39.30808-6/';

  it('a comment that is only a photo is the same item by poll as by webhook: a [photo] with its attachment, not an empty low-priority text', async () => {
    const post = fake.seedPost({ message: 'Բակերի բարեկարգում', created_time: at(-DAY) });
    const photo = `${CDN}990001.jpg`;
    const comment = fake.addComment({
      postId: post.id,
      message: '',
      from: citizen,
      created_time: at(-10 * MINUTE),
      attachment: { type: 'photo', url: `https://www.facebook.com/photo.php?fbid=990001`, media: { image: { src: photo, width: 960, height: 720 } }, target: { id: '990001', url: 'https://www.facebook.com/photo.php?fbid=990001' } },
    });

    await pollSource(deps, source.id);
    await ingestQueued();

    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', comment.id).executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ text: '[photo]', lowPriority: false });
    expect(inquiry.attachments).toEqual([{ kind: 'photo', url: photo }]);
    // Not low priority: it gets a card of its own.
    expect((await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'])).map((j) => j.id)).toContain(`card-send-${inquiry.id}`);

    // What the webhook makes of the same comment (Facebook puts the picture in `photo`).
    const hook = feedCommentPayload({ postId: post.id, commentId: comment.id, message: '', createdTime: at(-10 * MINUTE), from: citizen, photo });
    const [hooked] = parseFacebookInbound(hook);
    expect(hooked).toMatchObject({ type: 'citizen_item', text: inquiry.text, attachments: inquiry.attachments });
  });

  it('a Messenger photo is the same item by poll as by webhook', async () => {
    const psid = '24010000000000003';
    const url = `${CDN}990002.jpg`;
    const m = fake.addMessage({ psid, text: '', created_time: at(-10 * MINUTE), attachments: [{ id: '990002', mime_type: 'image/jpeg', name: 'image-990002.jpg', size: 81234, image_data: { url, preview_url: url, width: 960, height: 720 } }] });

    await pollSource(deps, source.id);
    await ingestQueued();

    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', m.id).executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ kind: 'message', text: '[photo]', lowPriority: false });
    expect(inquiry.attachments).toEqual([{ kind: 'photo', url }]);
    const [hooked] = parseFacebookInbound(messengerPayload({ mid: m.id, senderId: psid, text: '', at: at(-10 * MINUTE), attachments: [{ type: 'image', payload: { url } }] }));
    expect(hooked).toMatchObject({ type: 'citizen_item', text: inquiry.text, attachments: inquiry.attachments });
  });

  it("an Instant Reply found by the poll (the Page's message a second after the citizen's) is not an answer; the person's later message is", async () => {
    const psid = '24010000000000004';
    fake.addMessage({ psid, name: 'Կարինե', text: 'Բարև, ե՞րբ կլինի ջուրը', created_time: at(-30 * MINUTE) });
    const instant = fake.addMessage({ psid, text: 'Thanks for your message. We usually reply within a day.', from: 'page', created_time: at(-30 * MINUTE + 1000) });

    await pollSource(deps, source.id);
    await ingestQueued();
    const inquiry = await tdb.db.selectFrom('inquiries').selectAll().executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ status: 'new', answeredVia: null, firstResponseAt: null });
    const recorded = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'automated_page_message').execute();
    expect(recorded.map((e) => [e.inquiryId, e.payload])).toEqual([[inquiry.id, expect.objectContaining({ externalId: instant.id, reason: 'too_fast', afterMs: 1000 })]]);

    advance(at(5 * MINUTE));
    fake.addMessage({ psid, text: 'Բարև ձեզ, ժամը 18-ից', from: 'page', created_time: at(4 * MINUTE) });
    await pollSource(deps, source.id);
    await ingestQueued();
    const answered = await tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(answered).toMatchObject({ status: 'closed', answeredVia: 'native' });
    expect(answered.firstResponseAt!.toISOString()).toBe(at(4 * MINUTE).toISOString());
  });

  it('one item the poll cannot read is recorded; the others of the batch go on', async () => {
    const payload = {
      source: 'poll',
      pageId: PAGE_ID,
      polledAt: T0.toISOString(),
      items: [
        { kind: 'comment', postId: `${PAGE_ID}_1`, comment: { id: '1_1', message: 'Ե՞րբ', created_time: 'not a time', from: citizen } },
        { kind: 'comment', postId: `${PAGE_ID}_1`, comment: { id: '1_2', message: 'Ե՞րբ կբացվի', created_time: '2026-11-28T09:00:00+0000', from: citizen } },
      ],
    };
    const { id } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'poll', dedupKey: 'test-poll-one-bad', payload });
    await processIngestJob(ingestDeps, { inboundEventId: id }, captured.logger);
    expect(await tdb.db.selectFrom('inquiries').select('externalId').execute()).toEqual([{ externalId: '1_2' }]);
    const ignored = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'inbound_ignored').execute();
    expect(ignored.map((e) => e.payload)).toEqual([{ inboundEventId: id, items: [expect.objectContaining({ reason: 'not_understood', path: 'items[0]', externalId: '1_1' })] }]);
  });
});

describe('polling and the Graph API limits', () => {
  it('a 613 slows the source down: the cursor stays, polls wait, then catch up', async () => {
    const post = fake.seedPost({ message: 'Մշակութային միջոցառում', created_time: at(-DAY) });
    fake.addComment({ postId: post.id, message: 'Որտե՞ղ է անցկացվելու', from: citizen, created_time: at(-HOUR) });
    fake.setUsage(100, { regainAccessMinutes: 3 });
    fake.failNext(400, { code: 613 }, { match: (r) => r.graphPath.endsWith('/feed') });

    const outcome = await pollSource(deps, source.id);
    expect(outcome).toEqual({ status: 'throttled', until: at(3 * MINUTE) });
    const throttled = await getSourceById(tdb.db, source.id);
    expect(throttled.throttledUntil!.toISOString()).toBe(at(3 * MINUTE).toISOString());
    expect(throttled.cursor).toEqual({});

    fake.setUsage(10);
    advance(at(MINUTE));
    const calls = fake.requests.length;
    expect(await pollSource(deps, source.id)).toEqual({ status: 'skipped', reason: 'throttled' });
    expect(fake.requests.length).toBe(calls);

    advance(at(4 * MINUTE));
    expect(await pollSource(deps, source.id)).toMatchObject({ status: 'stored' });
    await ingestQueued();
    expect(await tdb.db.selectFrom('inquiries').select('id').execute()).toHaveLength(1);
  });

  it('high usage headers space the polls out even when the call succeeded', async () => {
    fake.setUsage(95, { regainAccessMinutes: 0 });
    expect(await pollSource({ ...deps, slowDownMs: 7 * MINUTE }, source.id)).toEqual({ status: 'idle' });
    expect((await getSourceById(tdb.db, source.id)).throttledUntil!.toISOString()).toBe(at(7 * MINUTE).toISOString());
    expect(captured.text()).toMatch(/usage at 95% of the quota/);
  });

  it('a 190 pauses the source, records it, alerts the admins once, and stops polling', async () => {
    fake.expireToken();
    const handlers = createSourcePollHandlers(deps);
    const job = { data: { sourceId: source.id } } as Parameters<(typeof handlers)['source.poll']>[0];

    expect(await handlers['source.poll']!(job, captured.logger)).toEqual({ status: 'paused' });

    const paused = await getSourceById(tdb.db, source.id);
    expect(paused).toMatchObject({ enabled: false });
    expect(paused.pausedAt!.toISOString()).toBe(T0.toISOString());
    expect(paused.pausedReason).toMatch(/FACEBOOK_PAGE_ACCESS_TOKEN/);
    const events = await tdb.db.selectFrom('events').selectAll().where('type', '=', 'source_paused').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ sourceId: source.id, reason: 'credentials_refused' });
    const alerts = (await queues.notify.getJobs(['waiting'])).filter((j) => j.name === 'admin.alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ kind: 'source_paused', sourceId: source.id });
    expect(alerts[0]!.data.message).toContain(`ardzagank sources resume ${source.id}`);

    const calls = fake.requests.length;
    expect(await handlers['source.poll']!(job, captured.logger)).toEqual({ status: 'skipped', reason: 'paused' });
    expect(fake.requests.length).toBe(calls);
    expect((await queues.notify.getJobs(['waiting'])).filter((j) => j.name === 'admin.alert')).toHaveLength(1);
  });
});
