/**
 * The Instagram connector end to end: the whole service (real PostgreSQL,
 * Redis, BullMQ workers, the real Graph SDK through our client) with
 * INSTAGRAM_ACCOUNT_ID set, against the loopback Graph API stand-in serving
 * the Page and its linked Instagram account. Webhooks are signed and POSTed
 * to the Page's endpoint with `object: "instagram"`; answers are published
 * through the one deliver worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { DEFAULT_CONNECTORS } from '../../src/connectors/registry.js';
import { findSourceByExternalId } from '../../src/db/repositories/source.repository.js';
import { startService, type RunningService } from '../../src/main.js';
import { computePeriodFigures } from '../../src/reports/period-report.js';
import { buildYearReport } from '../../src/reports/year/year-report.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igCommentPayload, igMentionPayload, igMessagePayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { facebookJson, hubSignature, insertPendingReply, insertStaff, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { createTestDatabase, queueEnv, removeTestQueues, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const IG = { id: IG_ACCOUNT_ID, username: 'vanadzor.city' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function configFor(tdb: TestDatabase, graph: GraphApiFake): Config {
  return loadConfig({
    env: {
      DATABASE_URL: tdb.url,
      ...queueEnv(),
      QUEUE_PREFIX: prefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      INSTAGRAM_ACCOUNT_ID: IG.id,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
}

let tdb: TestDatabase;
let graph: GraphApiFake;
let service: RunningService;

beforeAll(async () => {
  [tdb, graph] = await Promise.all([createTestDatabase(), startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN }, instagram: IG })]);
  service = await startService({ config: configFor(tdb, graph), logger: silentLogger(), reconcileEveryMs: 3_600_000, connectors: DEFAULT_CONNECTORS });
}, 60_000);

const prefix = uniqueQueuePrefix('instagram');

afterAll(async () => {
  await service?.close();
  await graph?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

async function deliver(payload: unknown): Promise<void> {
  const body = facebookJson(payload);
  const res = await fetch(`${service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, body });
  expect(res.status).toBe(200);
}

const inquiryOf = (externalId: string) => tdb.db.selectFrom('inquiries').selectAll().where('platform', '=', 'instagram').where('externalId', '=', externalId).executeTakeFirst();

async function waitInquiry(externalId: string) {
  await expect.poll(async () => (await inquiryOf(externalId)) !== undefined, { timeout: 15_000 }).toBe(true);
  return (await inquiryOf(externalId))!;
}

async function settled(replyId: number) {
  await expect.poll(async () => (await tdb.db.selectFrom('replies').select('status').where('id', '=', replyId).executeTakeFirstOrThrow()).status, { timeout: 30_000 }).not.toBe('pending');
  return tdb.db.selectFrom('replies').selectAll().where('id', '=', replyId).executeTakeFirstOrThrow();
}

describe('Instagram webhooks on the Page endpoint', () => {
  it('takes in a comment, a reply to it, a mention, two DMs of one citizen, an echo and a native reply; another account is ignored', async () => {
    const now = new Date();
    const media = graph.seedIgMedia({ caption: 'Այգու վերանորոգում', created_time: new Date(now.getTime() - DAY) });
    const anna = { id: '1254459154682919', username: 'anna.h' };
    const aram = { id: '1254459154682920', username: 'aram_v' };
    const comment = graph.addIgComment({ mediaId: media.id, text: 'Երբ կավարտվի այգու աշխատանքը։', from: anna, created_time: new Date(now.getTime() - 10 * MINUTE) });
    await deliver(igCommentPayload({ commentId: comment.id, mediaId: media.id, text: comment.text, from: anna, at: new Date(now.getTime() - 10 * MINUTE) }));
    const first = await waitInquiry(comment.id);
    expect(first).toMatchObject({ kind: 'comment', threadId: media.id, authorId: anna.id, authorName: anna.username, status: 'new', parentId: null });
    expect(first.sourceId).toBe((await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.id);

    // Another citizen replies under Anna's comment: a comment of its own, with its parent.
    const reply = graph.addIgComment({ mediaId: media.id, parentId: comment.id, text: 'Նույն հարցն ունեմ նստարանների մասին', from: aram, created_time: new Date(now.getTime() - 9 * MINUTE) });
    await deliver(igCommentPayload({ commentId: reply.id, parentId: comment.id, mediaId: media.id, text: reply.text, from: aram, at: new Date(now.getTime() - 9 * MINUTE) }));
    expect(await waitInquiry(reply.id)).toMatchObject({ kind: 'comment', parentId: comment.id, authorId: aram.id });

    // A mention of the city in someone's comment.
    await deliver(igMentionPayload({ mediaId: '17918195224117851', commentId: '17894227972186120', at: new Date(now.getTime() - 8 * MINUTE) }));
    // Its text is not in the delivery: not taken for a reaction, staff get a card.
    expect(await waitInquiry('17894227972186120')).toMatchObject({ kind: 'mention', threadId: '17918195224117851', lowPriority: false });

    // Two DMs of one citizen: one inquiry.
    const igsid = '6723094128839211';
    await deliver(igMessagePayload({ mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE', igsid, text: 'Բարև, ջուր չկա Տիգրանյան 5-ում', at: new Date(now.getTime() - 7 * MINUTE), accountId: IG.id }));
    const dm = await waitInquiry('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE');
    await deliver(igMessagePayload({ mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjI', igsid, text: 'Արդեն երկրորդ օրն է', at: new Date(now.getTime() - 6 * MINUTE), accountId: IG.id }));
    await expect.poll(async () => (await tdb.db.selectFrom('inquiryMessages').select('externalId').where('inquiryId', '=', dm.id).execute()).length, { timeout: 15_000 }).toBe(2);
    expect(await inquiryOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjI')).toBeUndefined();

    // The city answers the DM in the Instagram app (an echo): a native answer.
    await deliver(igMessagePayload({ mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjM', igsid, text: 'Կփոխանցենք ջրմուղին', at: new Date(now.getTime() - 2 * MINUTE), echo: true, accountId: IG.id }));
    await expect.poll(async () => (await inquiryOf(dm.externalId))?.answeredVia, { timeout: 15_000 }).toBe('native');

    // The account's own reply under Anna's comment: a native answer to it.
    await deliver(igCommentPayload({ commentId: '17873440459141021', parentId: comment.id, mediaId: media.id, text: 'Մինչև ամսի վերջ', from: IG, at: new Date(now.getTime() - MINUTE), accountId: IG.id }));
    await expect.poll(async () => (await inquiryOf(comment.id))?.answeredVia, { timeout: 15_000 }).toBe('native');

    // A comment for an account that is not a source: stored, ignored.
    await deliver(igCommentPayload({ commentId: '17800000000000077', mediaId: '17800000000000078', text: 'Ուրիշ հաշիվ', from: aram, at: now, accountId: '17841499999999999' }));
    await expect
      .poll(async () => (await tdb.db.selectFrom('events').select('payload').where('type', '=', 'inbound_ignored').execute()).some((e) => JSON.stringify(e.payload).includes('17841499999999999')), { timeout: 15_000 })
      .toBe(true);
    expect(await inquiryOf('17800000000000077')).toBeUndefined();
  }, 90_000);
});

describe('answers published on Instagram', () => {
  const isReplies = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/replies');
  const isMessages = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/messages');

  it('a public reply, a private reply and DMs are published once each; a DM a day old goes with HUMAN_AGENT; one 8 days old is refused with the reason', async () => {
    const now = new Date();
    const staffId = await insertStaff(tdb.db);
    const media = graph.seedIgMedia({ caption: 'Ճանապարհներ', created_time: new Date(now.getTime() - DAY) });
    const citizen = { id: '1254459154682931', username: 'gayane.m' };
    const comment = graph.addIgComment({ mediaId: media.id, text: 'Փոսը դեռ չեն փակել', from: citizen, created_time: new Date(now.getTime() - HOUR) });
    await deliver(igCommentPayload({ commentId: comment.id, mediaId: media.id, text: comment.text, from: citizen, at: new Date(now.getTime() - HOUR) }));
    const inquiry = await waitInquiry(comment.id);

    const repliesBefore = graph.callCount(isReplies);
    const text = 'Բարև ձեզ, փոսը կփակեն այս շաբաթ։';
    const publicId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text });
    await service.ctx.producers.deliverReply(publicId);
    const sentPublic = await settled(publicId);
    const ours = graph.igCommentsOn(comment.id).filter((c) => c.from.id === IG.id);
    expect(ours.map((c) => c.text)).toEqual([text]);
    expect(sentPublic).toMatchObject({ status: 'sent', channel: 'comment_reply', externalId: ours[0]!.id });
    expect(graph.callCount(isReplies)).toBe(repliesBefore + 1);
    await expect.poll(async () => (await inquiryOf(comment.id))?.answeredVia, { timeout: 15_000 }).toBe('telegram');

    // A private reply to another commenter: once.
    const other = { id: '1254459154682932', username: 'levon' };
    const second = graph.addIgComment({ mediaId: media.id, text: 'Իսկ լույսերը՞', from: other, created_time: new Date(now.getTime() - HOUR) });
    await deliver(igCommentPayload({ commentId: second.id, mediaId: media.id, text: second.text, from: other, at: new Date(now.getTime() - HOUR) }));
    const secondInquiry = await waitInquiry(second.id);
    const privateId = await insertPendingReply(tdb.db, { inquiryId: secondInquiry.id, staffId, text: 'Գրեցինք ձեզ նամակով', visibility: 'private' });
    await service.ctx.producers.deliverReply(privateId);
    expect(await settled(privateId)).toMatchObject({ status: 'sent', channel: 'private_reply' });
    expect(graph.igComment(second.id)!.private_reply_message_id).toBeDefined();
    expect(graph.igMessagesWith(other.id).map((m) => m.message)).toEqual(['Գրեցինք ձեզ նամակով']);

    // A DM a day and a bit old: sent with the HUMAN_AGENT tag.
    const igsid = '6723094128839300';
    const oldDm = graph.addIgMessage({ igsid, username: 'narek', text: 'Աղբը չեն տարել', created_time: new Date(now.getTime() - DAY - HOUR) });
    await deliver(igMessagePayload({ mid: oldDm.id, igsid, text: oldDm.message, at: new Date(now.getTime() - DAY - HOUR), accountId: IG.id }));
    const dmInquiry = await waitInquiry(oldDm.id);
    const dmId = await insertPendingReply(tdb.db, { inquiryId: dmInquiry.id, staffId, text: 'Վաղը կտանեն' });
    const messagesBefore = graph.callCount(isMessages);
    await service.ctx.producers.deliverReply(dmId);
    expect(await settled(dmId)).toMatchObject({ status: 'sent', channel: 'messenger' });
    expect(graph.callCount(isMessages)).toBe(messagesBefore + 1);
    const sent = graph.igMessagesWith(igsid).filter((m) => m.from.id === IG.id);
    expect(sent.map((m) => [m.message, m.messaging_type, m.tag])).toEqual([['Վաղը կտանեն', 'MESSAGE_TAG', 'HUMAN_AGENT']]);

    // A DM 8 days old: refused without calling Graph, the reason for the staff member.
    const igsid2 = '6723094128839301';
    const staleDm = graph.addIgMessage({ igsid: igsid2, username: 'ani', text: 'Բարև', created_time: new Date(now.getTime() - 8 * DAY) });
    await deliver(igMessagePayload({ mid: staleDm.id, igsid: igsid2, text: 'Բարև', at: new Date(now.getTime() - 8 * DAY), accountId: IG.id }));
    const staleInquiry = await waitInquiry(staleDm.id);
    const staleId = await insertPendingReply(tdb.db, { inquiryId: staleInquiry.id, staffId, text: 'Պատասխան' });
    const callsBefore = graph.callCount(isMessages);
    await service.ctx.producers.deliverReply(staleId);
    const refused = await settled(staleId);
    expect(refused.status).toBe('failed');
    expect(refused.failureReason).toMatch(/8 days ago.*Instagram lets the account answer a direct message only within 24 hours/);
    expect(graph.callCount(isMessages)).toBe(callsBefore);
  }, 120_000);
});

describe('polling the Instagram account', () => {
  it('finds new comments and DMs; with nothing new it makes the same two calls', async () => {
    const source = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!;
    const now = new Date();
    const media = graph.seedIgMedia({ caption: 'Նոր կանգառ', created_time: new Date(now.getTime() - 2 * DAY) });
    const polled = graph.addIgComment({ mediaId: media.id, text: 'Կանգառը առանց տանիքի է', from: { id: '1254459154682950', username: 'tigran' }, created_time: new Date(now.getTime() - 3 * MINUTE) });
    const dm = graph.addIgMessage({ igsid: '6723094128839350', username: 'mari', text: 'Լույսը չկա', created_time: new Date(now.getTime() - 2 * MINUTE) });
    await service.ctx.producers.pollSource(source.id);
    expect(await waitInquiry(polled.id)).toMatchObject({ kind: 'comment', threadId: media.id, authorName: 'tigran' });
    expect(await waitInquiry(dm.id)).toMatchObject({ kind: 'message', authorId: '6723094128839350' });

    // Nothing new: one call for the media, one for the conversations.
    const countCalls = () => graph.requests.filter((r) => r.method === 'GET').length;
    await expect.poll(async () => ((await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.cursor as { counts?: Record<string, number> }).counts?.[media.id], { timeout: 15_000 }).toBe(1);
    for (let i = 0; i < 2; i++) {
      const before = countCalls();
      const polledAt = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.lastPolledAt?.getTime() ?? 0;
      await service.ctx.producers.pollSource(source.id);
      await expect.poll(async () => ((await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.lastPolledAt?.getTime() ?? 0) > polledAt, { timeout: 15_000 }).toBe(true);
      expect(countCalls() - before).toBe(2);
    }
  }, 60_000);
});

describe("the account's own media: published posts", () => {
  it('are recorded once each with the media time and kind, whatever the polls, and counted in the year', async () => {
    const source = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!;
    const postsOf = () =>
      tdb.db.selectFrom('publishedPosts').select(['externalId', 'sourceId', 'kind', 'postedAt']).where('platform', '=', 'instagram').orderBy('postedAt').execute();
    const pollOnce = async () => {
      const polledAt = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.lastPolledAt?.getTime() ?? 0;
      await service.ctx.producers.pollSource(source.id);
      await expect.poll(async () => ((await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.lastPolledAt?.getTime() ?? 0) > polledAt, { timeout: 15_000 }).toBe(true);
    };
    // Three posts of 2025 (Graph gives the time to the second, in +0000): a photo, a reel, an album.
    const photo = graph.seedIgMedia({ caption: 'Ամանորյա տոնածառ', created_time: new Date('2025-12-31T19:30:00Z'), media_type: 'IMAGE' });
    const reel = graph.seedIgMedia({ caption: 'Քաղաքի օրը', created_time: new Date('2025-10-04T08:15:42Z'), media_product_type: 'REELS' });
    const album = graph.seedIgMedia({ caption: 'Նոր խաղահրապարակ', created_time: new Date('2025-06-01T06:00:07Z'), media_type: 'CAROUSEL_ALBUM' });
    // Its year is Yerevan's: 20:30 UTC on 31 December is already 2026 there.
    const nextYear = graph.seedIgMedia({ created_time: new Date('2025-12-31T20:30:00Z') });
    await pollOnce();
    await expect.poll(async () => (await postsOf()).filter((p) => [photo.id, reel.id, album.id, nextYear.id].includes(p.externalId)).length, { timeout: 15_000 }).toBe(4);

    // The poll asked Graph for the media's type and time, as Meta names them, and got them in Meta's wire format.
    const listing = graph.requests.filter((r) => r.method === 'GET' && r.graphPath === `${IG.id}/media`).at(-1)!;
    expect(listing.query.fields?.split(',')).toEqual(expect.arrayContaining(['id', 'timestamp', 'media_type', 'media_product_type', 'permalink']));
    expect(photo).toMatchObject({ timestamp: '2025-12-31T19:30:00+0000', media_type: 'IMAGE', media_product_type: 'FEED' });
    expect(reel).toMatchObject({ media_type: 'VIDEO', media_product_type: 'REELS' });

    const byId = new Map((await postsOf()).map((p) => [p.externalId, p]));
    expect(byId.get(photo.id)).toEqual({ externalId: photo.id, sourceId: source.id, kind: 'photo', postedAt: new Date('2025-12-31T19:30:00Z') });
    expect(byId.get(reel.id)).toMatchObject({ kind: 'reel', postedAt: new Date('2025-10-04T08:15:42Z') });
    expect(byId.get(album.id)).toMatchObject({ kind: 'album', postedAt: new Date('2025-06-01T06:00:07Z') });
    // Media the earlier tests published (2026) are posts too, recorded by this first listing.
    const before = (await postsOf()).length;

    // Nothing new, a comment on the photo, a poll after the cursor was lost (a new deployment): still one row and one event each.
    await pollOnce();
    graph.addIgComment({ mediaId: photo.id, text: 'Շնորհավոր', from: { id: '1254459154682960', username: 'sona' }, created_time: new Date() });
    await deliver(igCommentPayload({ commentId: '17873440459149999', mediaId: photo.id, text: 'Շնորհավոր', from: { id: '1254459154682960', username: 'sona' }, at: new Date() }));
    await pollOnce();
    await tdb.db.updateTable('sources').set({ cursor: JSON.stringify({}) }).where('id', '=', source.id).execute();
    await pollOnce();
    await expect.poll(async () => (await tdb.db.selectFrom('inboundEvents').select('id').where('platform', '=', 'instagram').where('processedAt', 'is', null).execute()).length, { timeout: 15_000 }).toBe(0);
    expect((await postsOf()).length).toBe(before);
    const events = await tdb.db.selectFrom('events').select('payload').where('type', '=', 'page_post').execute();
    expect(events.filter((e) => (e.payload as { externalId?: string }).externalId === photo.id)).toHaveLength(1);

    // A new post: recorded at the next poll.
    const fresh = graph.seedIgMedia({ caption: 'Հանդիպում բնակիչների հետ', created_time: new Date(Date.now() - MINUTE) });
    await pollOnce();
    await expect.poll(async () => (await postsOf()).length, { timeout: 15_000 }).toBe(before + 1);
    expect((await postsOf()).find((p) => p.externalId === fresh.id)).toMatchObject({ kind: 'photo', sourceId: source.id });

    // `ardzagank year 2025` counts them: three on Instagram in 2025 (Yerevan time).
    const year = await buildYearReport(tdb.db, service.ctx.config, { year: 2025, now: new Date() });
    const published = year.lines.find((l) => l.code === 'published_posts')!;
    expect(published.current.byPlatform).toEqual([{ platform: 'instagram', count: 3 }]);
    expect(published.current.count).toBe(3);
  }, 90_000);
});

describe('token errors', () => {
  it('a dead token (190) pauses the Instagram source', async () => {
    const staffId = await insertStaff(tdb.db);
    const now = new Date();
    const igsid = '6723094128839400';
    const m = graph.addIgMessage({ igsid, username: 'karen', text: 'Բարև, հարց ունեմ', created_time: new Date(now.getTime() - MINUTE) });
    await deliver(igMessagePayload({ mid: m.id, igsid, text: m.message, at: new Date(now.getTime() - MINUTE), accountId: IG.id }));
    const inquiry = await waitInquiry(m.id);
    graph.expireToken();
    const replyId = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Պատասխան' });
    await service.ctx.producers.deliverReply(replyId);
    await expect.poll(async () => (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!.enabled, { timeout: 30_000 }).toBe(false);
    const source = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!;
    expect(source.pausedReason).toMatch(/190|token/i);
    expect(source.pausedReason).not.toContain(TEST_PAGE_TOKEN);
  }, 60_000);
});

describe('the report', () => {
  it('counts Instagram by platform and by source', async () => {
    const now = new Date();
    const [figures] = await computePeriodFigures(tdb.db, service.ctx.config, [{ from: new Date(now.getTime() - 30 * DAY), to: new Date(now.getTime() + MINUTE), label: 'month' }], { now });
    // Received: what is neither dismissed nor low priority.
    const received = await tdb.db.selectFrom('inquiries').select((eb) => eb.fn.countAll<string>().as('n')).where('platform', '=', 'instagram').where('status', '!=', 'dismissed').where('lowPriority', '=', false).executeTakeFirstOrThrow();
    const source = (await findSourceByExternalId(tdb.db, 'instagram', IG.id))!;
    expect(figures!.byPlatform.find((p) => p.platform === 'instagram')).toMatchObject({ received: Number(received.n) });
    expect(figures!.bySource.find((s) => s.sourceId === source.id)).toMatchObject({ platform: 'instagram', name: source.name, received: Number(received.n) });
  });
});
