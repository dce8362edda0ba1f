/**
 * Like counts through the polls (webhooks carry none), with the real Graph
 * SDK against the loopback Graph API stand-in and real Postgres and Redis:
 * a poll that sees a known Facebook or Instagram comment with a new
 * `like_count` stores it — no new item, no inbound event, no event row, the
 * same Graph calls — and the wave's card is queued for an edit only when its
 * most-liked questions (or their counts) change; the card view lists them by likes.
 */
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createFacebookConnector } from '../../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../../src/connectors/facebook/graph-client.js';
import { instagramModuleOf } from '../../src/connectors/instagram/instagram.module.js';
import { createInstagramConnector } from '../../src/connectors/instagram/instagram.connector.js';
import { createInstagramGraphClient } from '../../src/connectors/instagram/instagram-graph-client.js';
import { findWaveCardView } from '../../src/db/repositories/wave.repository.js';
import type { Platform } from '../../src/db/schema.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { closeQueues, createProducers, createQueues, type Producers, type Queues } from '../../src/queue/producers.js';
import { processIngestJob, type IngestWorkerDeps } from '../../src/queue/workers/ingest.worker.js';
import { pollSource, type SourcePollDeps } from '../../src/inbox/poll-source.workflow.js';
import { ensureFacebookSource, ensureInstagramSource } from '../../src/inbox/source-health.workflow.js';
import { createIngestDeps } from '../../src/inbox/ingest-deps.js';
import { renderWaveCard } from '../../src/bots/cards/wave-card-render.js';
import { TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { IG_ACCOUNT_ID } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { createTestDatabase, openTestTransport, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const T0 = new Date('2026-12-07T06:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const config = loadConfig({ env: {} });
const IG = { id: IG_ACCOUNT_ID, username: 'yerevan.city' };

let fake: GraphApiFake;
let tdb: TestDatabase;
let transport: QueueTransport;
let queues: Queues;
let producers: Producers;
let metrics: Metrics;
let clock: Date;
let fbDeps: SourcePollDeps;
let igDeps: SourcePollDeps;
let fbSourceId: number;
let igSourceId: number;
let ingestDeps: IngestWorkerDeps;

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Երևանի քաղաքապետարան', accessToken: TEST_PAGE_TOKEN }, instagram: IG });
});
afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  tdb = await createTestDatabase();
  fake.reset();
  clock = new Date(T0.getTime());
  fake.setNow(clock);
  const prefix = uniqueQueuePrefix('likes');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  producers = createProducers(queues);
  metrics = createMetrics({ defaultMetrics: false });
  const logger = silentLogger();
  const onCall = (call: { purpose: string }) => metrics.graphApiCalls.inc({ source: 'meta', purpose: call.purpose });
  const graph = createGraphClient({ baseUrl: fake.url, version: 'v24.0', accessToken: TEST_PAGE_TOKEN, logger, timeoutMs: 2_000, onCall });
  const igGraph = createInstagramGraphClient({ baseUrl: fake.url, version: 'v24.0', accessToken: TEST_PAGE_TOKEN, logger, timeoutMs: 2_000, onCall });
  const fb = createFacebookConnector({ graph, pageId: PAGE_ID, lookbackDays: 14, logger });
  const ig = createInstagramConnector({ graph: igGraph, accountId: IG.id, pageId: PAGE_ID, lookbackDays: 14, logger });
  fbSourceId = (await ensureFacebookSource(tdb.db, PAGE_ID)).id;
  igSourceId = (await ensureInstagramSource(tdb.db, IG.id)).id;
  const registry = createConnectorRegistry([facebookModuleOf({ sourceId: fbSourceId, connector: fb }), instagramModuleOf({ sourceId: igSourceId, connector: ig })]);
  fbDeps = { db: tdb.db, producers, logger, metrics, now: () => clock, registry };
  igDeps = fbDeps;
  ingestDeps = {
    db: tdb.db,
    producers,
    logger,
    metrics,
    transport,
    ingest: createIngestDeps({ db: tdb.db, config, logger, now: () => clock, registry: createConnectorRegistry([facebookModuleOf(), instagramModuleOf()]) }),
  };
  return async () => {
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
  };
});

function advance(ms: number): void {
  clock = new Date(clock.getTime() + ms);
  fake.setNow(clock);
}

/** Runs the ingest jobs the poll queued, as the ingest worker would. */
async function ingestQueued(): Promise<void> {
  const jobs = await queues.ingest.getJobs(['waiting', 'delayed', 'prioritized']);
  for (const id of jobs.map((j) => (j.data as { inboundEventId: number }).inboundEventId).sort((a, b) => a - b)) {
    await processIngestJob(ingestDeps, { inboundEventId: id }, silentLogger());
  }
  for (const j of jobs) await j.remove();
}

/** Wave-card jobs queued (and removes them). */
async function takeWaveCardJobs(): Promise<number[]> {
  const jobs = (await queues.notify.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'wave.card');
  for (const j of jobs) await j.remove();
  return jobs.map((j) => (j.data as { waveId: number }).waveId);
}

async function graphCalls(): Promise<number> {
  return (await metrics.graphApiCalls.get()).values.reduce((sum, v) => sum + v.value, 0);
}

const likesOf = async (platform: Platform, externalId: string) =>
  (await tdb.db.selectFrom('inquiryMessages').select('likeCount').where('platform', '=', platform).where('externalId', '=', externalId).executeTakeFirstOrThrow()).likeCount;
const counts = async () => ({
  inquiries: (await tdb.db.selectFrom('inquiries').select('id').execute()).length,
  inbound: (await tdb.db.selectFrom('inboundEvents').select('id').execute()).length,
  events: (await tdb.db.selectFrom('events').select('id').execute()).length,
});
const theWave = async () => (await tdb.db.selectFrom('waves').selectAll().executeTakeFirstOrThrow());

describe('like counts from the polls', () => {
  it('Facebook: a poll stores new like counts of known comments, with no item, no event and no extra call; the card follows the most-liked', async () => {
    const post = fake.seedPost({ message: 'Ջրամատակարարում', created_time: new Date(T0.getTime() - 2 * HOUR) });
    const who = (n: number) => ({ id: `750000000000${n}`, name: `Քաղաքացի ${n}` });
    const c1 = fake.addComment({ postId: post.id, message: 'Արաբկիրում ջուր չկա առավոտվանից', from: who(1), created_time: new Date(T0.getTime() - 30 * MINUTE) });
    const c2 = fake.addComment({ postId: post.id, message: 'В Арабкире нет воды с утра', from: who(2), created_time: new Date(T0.getTime() - 20 * MINUTE) });
    const c3 = fake.addComment({ postId: post.id, message: 'No water in Arabkir since 7am', from: who(3), created_time: new Date(T0.getTime() - 10 * MINUTE) });
    fake.setCommentLikes(c3.id, 2);
    expect(await pollSource(fbDeps, fbSourceId)).toMatchObject({ status: 'stored', items: 4 }); // the post and its three comments
    await ingestQueued();
    expect((await tdb.db.selectFrom('waveMembers').select('inquiryId').execute()).length).toBe(3);
    await takeWaveCardJobs();

    // Likes pile up on older comments; a new comment brings the post back into the read.
    fake.setCommentLikes(c1.id, 5);
    fake.setCommentLikes(c2.id, 12);
    advance(MINUTE);
    fake.addComment({ postId: post.id, message: 'Арабкир, воды всё ещё нет', from: who(4), created_time: clock });
    advance(MINUTE);
    const revision = (await theWave()).revision;
    let calls = await graphCalls();
    expect(await pollSource(fbDeps, fbSourceId)).toMatchObject({ status: 'stored', items: 1 }); // only the new comment is an item
    expect((await graphCalls()) - calls).toBe(2); // the feed and the conversations, as before
    expect(await likesOf('facebook', c1.id)).toBe(5);
    expect(await likesOf('facebook', c2.id)).toBe(12);
    expect((await theWave()).revision).toBe(revision + 1);
    expect(await takeWaveCardJobs()).toEqual([(await theWave()).id]);
    await ingestQueued();
    await takeWaveCardJobs();

    // No new comment within the overlap: the post is still read; a like changes the top, nothing else is written.
    fake.setCommentLikes(c1.id, 20);
    advance(MINUTE);
    const before = await counts();
    calls = await graphCalls();
    expect(await pollSource(fbDeps, fbSourceId)).toEqual({ status: 'idle' });
    expect((await graphCalls()) - calls).toBe(2);
    expect(await likesOf('facebook', c1.id)).toBe(20);
    expect(await counts()).toEqual(before);
    const waveId = (await theWave()).id;
    expect(await takeWaveCardJobs()).toEqual([waveId]);

    const view = (await findWaveCardView(tdb.db, waveId))!;
    expect(view.mostLiked.map((q) => [q.text, q.likes])).toEqual([
      ['Արաբկիրում ջուր չկա առավոտվանից', 20],
      ['В Арабкире нет воды с утра', 12],
      ['No water in Arabkir since 7am', 2],
    ]);
    const html = renderWaveCard(view, { locale: 'en', timezone: 'Asia/Yerevan', now: clock }).html;
    expect(html).toContain('<b>Most-liked questions</b>\n• 👍 20 · Քաղաքացի 1: Արաբկիրում ջուր չկա առավոտվանից\n• 👍 12 · Քաղաքացի 2: В Арабкире нет воды с утра\n• 👍 2 · ');

    // The same counts again: nothing to store, no card edit.
    advance(MINUTE);
    const revisionNow = (await theWave()).revision;
    await pollSource(fbDeps, fbSourceId);
    expect((await theWave()).revision).toBe(revisionNow);
    expect(await takeWaveCardJobs()).toEqual([]);
  });

  it('a like outside the top three changes no card', async () => {
    const post = fake.seedPost({ message: 'Ջրամատակարարում', created_time: new Date(T0.getTime() - 2 * HOUR) });
    const texts = ['Արաբկիրում ջուր չկա', 'В Арабкире нет воды', 'No water in Arabkir', 'Արաբկիր, ջուր չկա դեռ', 'Арабкир без воды'];
    const comments = texts.map((message, i) =>
      fake.addComment({ postId: post.id, message, from: { id: `76000000000000${i}`, name: `C${i}` }, created_time: new Date(T0.getTime() - (50 - i) * MINUTE) }),
    );
    [9, 8, 7, 1, 0].forEach((n, i) => fake.setCommentLikes(comments[i]!.id, n));
    await pollSource(fbDeps, fbSourceId);
    await ingestQueued();
    expect((await tdb.db.selectFrom('waveMembers').select('inquiryId').execute()).length).toBe(5);
    // A comment's likes when the poll first read it are stored with it.
    expect(await likesOf('facebook', comments[0]!.id)).toBe(9);
    await takeWaveCardJobs();

    fake.setCommentLikes(comments[4]!.id, 3); // fourth place now, still outside the top three
    advance(MINUTE);
    fake.addComment({ postId: post.id, message: 'thanks', from: { id: '7600000000000099', name: 'X' }, created_time: clock });
    advance(MINUTE);
    const revision = (await theWave()).revision;
    await pollSource(fbDeps, fbSourceId);
    expect(await likesOf('facebook', comments[4]!.id)).toBe(3);
    expect((await theWave()).revision).toBe(revision);
    expect(await takeWaveCardJobs()).toEqual([]);
  });

  it('Instagram: the comments read for a new one bring the likes of the others', async () => {
    const media = fake.seedIgMedia({ caption: 'Ջրի անջատում', created_time: new Date(T0.getTime() - 2 * HOUR) });
    const who = (n: number) => ({ id: `12544591546829${n}`, username: `citizen_${n}` });
    const c1 = fake.addIgComment({ mediaId: media.id, text: 'Արաբկիրում ջուր չկա առավոտվանից', from: who(11), created_time: new Date(T0.getTime() - 30 * MINUTE) });
    const c2 = fake.addIgComment({ mediaId: media.id, text: 'В Арабкире нет воды с утра', from: who(12), created_time: new Date(T0.getTime() - 20 * MINUTE) });
    // The account's media (a published post) and the two comments.
    expect(await pollSource(igDeps, igSourceId)).toMatchObject({ status: 'stored', items: 3 });
    await ingestQueued();
    expect((await tdb.db.selectFrom('waveMembers').select('inquiryId').execute()).length).toBe(2);
    await takeWaveCardJobs();

    fake.setIgCommentLikes(c1.id, 4);
    fake.setIgCommentLikes(c2.id, 7);
    advance(MINUTE);
    fake.addIgComment({ mediaId: media.id, text: 'No water in Arabkir, when?', from: who(13), created_time: clock });
    advance(MINUTE);
    const calls = await graphCalls();
    expect(await pollSource(igDeps, igSourceId)).toMatchObject({ status: 'stored', items: 1 });
    // The media, its comments (its count moved) and the conversations: the calls a new comment always costs.
    expect((await graphCalls()) - calls).toBe(3);
    expect(await likesOf('instagram', c1.id)).toBe(4);
    expect(await likesOf('instagram', c2.id)).toBe(7);
    const waveId = (await theWave()).id;
    expect(await takeWaveCardJobs()).toEqual([waveId]);
    const view = (await findWaveCardView(tdb.db, waveId))!;
    expect(view.mostLiked.map((q) => [q.authorName, q.likes])).toEqual([
      ['citizen_12', 7],
      ['citizen_11', 4],
    ]);
    const fbCalls = fake.requests.filter((r) => r.graphPath.endsWith('/comments'));
    expect(fbCalls.at(-1)!.query.fields).toContain('like_count');
  });
});
