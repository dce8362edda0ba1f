/**
 * Instagram mentions end to end (issue 15): the whole service with the bot
 * (Bot API stand-in) and the Instagram connector (Graph API stand-in). The
 * `mentions` webhook gives only ids; the mention is taken in at once, its
 * text, author and time are read through the account
 * (`mentioned_comment` / `mentioned_media`) and shown on its card; a staff
 * member claims it and answers from the staff group, and the answer is
 * published once with `POST /{ig-user-id}/mentions`, where the mention was
 * made. A read that fails is tried again; one that can never work says so
 * on the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnsummarisedLowPriorityIds } from '../../src/db/repositories/low-priority.repository.js';
import { findSourceByExternalId } from '../../src/db/repositories/source.repository.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igMentionPayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { startBotHarness, STAFF_CHAT_ID, type BotHarness } from '../support/bot-harness.js';

const IG = { id: IG_ACCOUNT_ID, username: 'vanadzor.city' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let h: BotHarness;
let graph: GraphApiFake;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN }, instagram: IG });
  h = await startBotHarness({
    env: { FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN, INSTAGRAM_ACCOUNT_ID: IG.id, GRAPH_API_URL: graph.url, FACEBOOK_POLL_EVERY: 'off' },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await graph?.close();
});

const isMentionPost = (r: RecordedRequest) => r.method === 'POST' && r.graphPath === `${IG.id}/mentions`;
const isMentionRead = (field: string) => (r: RecordedRequest) => r.method === 'GET' && r.graphPath === IG.id && String(r.query.fields ?? '').startsWith(field);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

async function inquiryOf(externalId: string) {
  await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirst())?.id, { timeout: 15_000 }).toBeDefined();
  return h.tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', externalId).executeTakeFirstOrThrow();
}

async function read(inquiryId: number) {
  await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('detailsPending').where('id', '=', inquiryId).executeTakeFirstOrThrow()).detailsPending, { timeout: 20_000 }).toBe(false);
  return h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiryId).executeTakeFirstOrThrow();
}

async function answerFromStaffGroup(inquiryId: number, text: string): Promise<void> {
  let card = await h.card(inquiryId);
  await h.press(people.ani, card, { text: '✋ Վերցնել' });
  card = await h.card(inquiryId, (c) => c.text.includes('🙋'));
  await h.write(people.ani, text, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
  const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
  expect(preview.text).toContain(text);
  await h.press(people.ani, preview, { text: '📢 Հրապարակել' });
}

async function sentReplyOf(inquiryId: number) {
  await expect.poll(async () => (await h.tdb.db.selectFrom('replies').select('status').where('inquiryId', '=', inquiryId).executeTakeFirst())?.status, { timeout: 20_000 }).toBe('sent');
  return h.tdb.db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).executeTakeFirstOrThrow();
}

describe('a mention in a comment', () => {
  it('its card shows what the citizen wrote and who; the answer is published once under the comment, by /mentions', async () => {
    const owner = { id: '1254459154689001', username: 'lusine.blog' };
    const media = graph.seedForeignIgMedia({ owner, caption: 'Մեր բակը այսօր', created_time: new Date(Date.now() - DAY) });
    const citizen = { id: '1254459154689002', username: 'armen.p' };
    const text = '@vanadzor.city երբ կնորոգեն մեր բակի ճանապարհը՞ Արդեն երկու տարի է սպասում ենք։';
    const wroteAt = new Date(Date.now() - 5 * MINUTE);
    const comment = graph.addIgComment({ mediaId: media.id, text, from: citizen, created_time: wroteAt });
    // Graph fails the first read: the queue tries again, nothing is lost.
    graph.failNext(500, { code: 2, message: 'An unexpected error has occurred. Please retry your request later.', is_transient: true }, { match: isMentionRead('mentioned_comment') });
    await h.ingest(igMentionPayload({ mediaId: media.id, commentId: comment.id, at: new Date(wroteAt.getTime() + MINUTE) }));

    const taken = await inquiryOf(comment.id);
    expect(taken).toMatchObject({ kind: 'mention', threadId: media.id, lowPriority: false });
    const inquiry = await read(taken.id);
    expect(inquiry).toMatchObject({ text, authorName: citizen.username, detailsError: null, permalink: media.permalink });
    // The time the citizen wrote, not the webhook's.
    expect(seconds(inquiry.postedAt)).toBe(seconds(wroteAt));
    expect(graph.callCount(isMentionRead('mentioned_comment'))).toBe(2);
    expect((await h.tdb.db.selectFrom('inquiryMessages').select('text').where('inquiryId', '=', inquiry.id).execute()).map((m) => m.text)).toEqual([text]);

    const card = await h.card(inquiry.id, (c) => c.text.includes('երբ կնորոգեն'));
    expect(card.text).toContain(citizen.username);
    expect(card.text).toContain('Արդեն երկու տարի է սպասում ենք');

    const answer = 'Բարև ձեզ, ճանապարհը կնորոգվի գարնանը։';
    await answerFromStaffGroup(inquiry.id, answer);
    const reply = await sentReplyOf(inquiry.id);
    const posts = graph.requests.filter(isMentionPost);
    expect(posts).toHaveLength(1);
    expect({ ...posts[0]!.query, ...posts[0]!.body }).toMatchObject({ media_id: media.id, comment_id: comment.id, message: answer });
    const ours = graph.igCommentsOn(media.id).filter((c) => c.from.id === IG.id);
    expect(ours.map((c) => [c.text, c.parent_id])).toEqual([[answer, comment.id]]);
    expect(reply).toMatchObject({ channel: 'mention_reply', externalId: ours[0]!.id });
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).where('id', '=', inquiry.id).executeTakeFirstOrThrow()), { timeout: 15_000 }).toEqual({
      status: 'closed',
      answeredVia: 'telegram',
    });
  }, 90_000);
});

describe('a mention in a caption', () => {
  it('the caption is read as Graph gives it (without the @), and answered with a comment on the media, once', async () => {
    const owner = { id: '1254459154689011', username: 'gor.photos' };
    const caption = 'Տիգրան Մեծի փողոցի լույսերը երեք օր է չեն վառվում @vanadzor.city';
    const wroteAt = new Date(Date.now() - 10 * MINUTE);
    const media = graph.seedForeignIgMedia({ owner, caption, created_time: wroteAt });
    await h.ingest(igMentionPayload({ mediaId: media.id, at: new Date(wroteAt.getTime() + 2 * MINUTE) }));

    const inquiry = await read((await inquiryOf(media.id)).id);
    expect(inquiry).toMatchObject({
      kind: 'mention',
      threadId: media.id,
      text: 'Տիգրան Մեծի փողոցի լույսերը երեք օր է չեն վառվում vanadzor.city',
      authorName: owner.username,
      permalink: media.permalink,
    });
    expect(seconds(inquiry.postedAt)).toBe(seconds(wroteAt));
    const card = await h.card(inquiry.id, (c) => c.text.includes('լույսերը'));
    expect(card.text).toContain(owner.username);

    const answer = 'Շնորհակալություն, էլեկտրիկները այսօր կլինեն տեղում։';
    await answerFromStaffGroup(inquiry.id, answer);
    const reply = await sentReplyOf(inquiry.id);
    const posts = graph.requests.filter(isMentionPost).filter((r) => ({ ...r.query, ...r.body }).media_id === media.id);
    expect(posts).toHaveLength(1);
    expect({ ...posts[0]!.query, ...posts[0]!.body }).not.toHaveProperty('comment_id');
    const ours = graph.igCommentsOn(media.id).filter((c) => c.from.id === IG.id);
    expect(ours.map((c) => [c.text, c.parent_id])).toEqual([[answer, undefined]]);
    expect(reply).toMatchObject({ channel: 'mention_reply', externalId: ours[0]!.id });
  }, 90_000);
});

describe('a mention that is only thanks', () => {
  it('counts as a reaction once its text is read, as the same words in a comment do; its card says so and no summary lists it again', async () => {
    const owner = { id: '1254459154689041', username: 'mariam.h' };
    const media = graph.seedForeignIgMedia({ owner, caption: 'Նոր այգին', created_time: new Date(Date.now() - DAY) });
    const comment = graph.addIgComment({ mediaId: media.id, text: '@vanadzor.city շնորհակալություն 🙏🙏', from: { id: '1254459154689042', username: 'narek.s' }, created_time: new Date(Date.now() - 3 * MINUTE) });
    // The first read fails (retried in 2 s): the card is sent before the text is known, as when Graph is slow.
    graph.failNext(500, { code: 2, message: 'An unexpected error has occurred. Please retry your request later.', is_transient: true }, { match: isMentionRead('mentioned_comment') });
    await h.ingest(igMentionPayload({ mediaId: media.id, commentId: comment.id, at: new Date(Date.now() - 2 * MINUTE) }));
    await h.card((await inquiryOf(comment.id)).id);
    const inquiry = await read((await inquiryOf(comment.id)).id);
    expect(inquiry).toMatchObject({ lowPriority: true, status: 'new' });
    // Taken in as a question (its text unknown), read, then counted apart.
    const ingested = await h.tdb.db.selectFrom('events').select('payload').where('inquiryId', '=', inquiry.id).where('type', '=', 'ingested').executeTakeFirstOrThrow();
    expect(ingested.payload).toMatchObject({ lowPriority: false });
    const card = await h.card(inquiry.id, (c) => c.text.includes('շնորհակալություն'));
    expect(card.text).toContain('🙂 Միայն շնորհակալություն կամ էմոջի');
    const readEvent = await h.tdb.db.selectFrom('events').select('payload').where('inquiryId', '=', inquiry.id).where('type', '=', 'details_read').executeTakeFirstOrThrow();
    expect(readEvent.payload).toMatchObject({ lowPriority: true });
    expect(await findUnsummarisedLowPriorityIds(h.tdb.db, 100)).not.toContain(inquiry.id);
    // A card row whose message was never sent (it turned out a reaction while its send waited): the summary lists it.
    const unsent = await insertTestInquiry(h.tdb.db, { postedAt: new Date(Date.now() - MINUTE), text: '🙏', lowPriority: true });
    await h.tdb.db.insertInto('telegramCards').values({ inquiryId: unsent.id, chatId: STAFF_CHAT_ID }).execute();
    expect(await findUnsummarisedLowPriorityIds(h.tdb.db, 100)).toContain(unsent.id);
  }, 60_000);
});

describe('a mention that cannot be read', () => {
  it('Graph refuses for good (the comment is gone): the card says so, and it can still be handled', async () => {
    const owner = { id: '1254459154689021', username: 'someone.else' };
    const media = graph.seedForeignIgMedia({ owner, caption: 'Ամառ', created_time: new Date(Date.now() - DAY) });
    // A comment id Graph does not know (deleted before we read it).
    await h.ingest(igMentionPayload({ mediaId: media.id, commentId: '17899999999999991', at: new Date(Date.now() - MINUTE) }));
    const inquiry = await read((await inquiryOf('17899999999999991')).id);
    expect(inquiry.text).toBe('');
    // Kept as a code with Graph's words, shown in the reader's language (the group's: Armenian).
    expect(inquiry.detailsError).toMatchObject({ code: 'details_refused', params: { platform: 'instagram' } });
    const card = await h.card(inquiry.id, (c) => c.text.includes('⚠️'));
    expect(card.text).toMatch(/⚠️ Այս նշման տեքստը հնարավոր չեղավ կարդալ Instagram-ից\. Instagram-ը հրաժարվեց տրամադրել տեքստը \(/);
    const events = await h.tdb.db.selectFrom('events').select('type').where('inquiryId', '=', inquiry.id).execute();
    expect(events.map((e) => e.type)).toContain('details_unreadable');
  }, 60_000);
});

// Last: the token stays dead for the rest of the file.
describe('a dead token while reading a mention', () => {
  it('pauses the Instagram source; the mention stays to be read (the reconciler tries again once it is resumed)', async () => {
    const owner = { id: '1254459154689031', username: 'ani.k' };
    const media = graph.seedForeignIgMedia({ owner, caption: 'Աղբը @vanadzor.city', created_time: new Date(Date.now() - MINUTE) });
    graph.expireToken();
    await h.ingest(igMentionPayload({ mediaId: media.id, at: new Date(Date.now() - MINUTE) }));
    const inquiry = await inquiryOf(media.id);
    await expect.poll(async () => (await findSourceByExternalId(h.tdb.db, 'instagram', IG.id))!.enabled, { timeout: 20_000 }).toBe(false);
    const source = (await findSourceByExternalId(h.tdb.db, 'instagram', IG.id))!;
    expect(source.pausedReason).toMatch(/190|token/i);
    expect(source.pausedReason).not.toContain(TEST_PAGE_TOKEN);
    expect(await h.tdb.db.selectFrom('inquiries').select(['detailsPending', 'detailsError', 'text']).where('id', '=', inquiry.id).executeTakeFirstOrThrow()).toEqual({
      detailsPending: true,
      detailsError: null,
      text: '',
    });
    const card = await h.card(inquiry.id);
    expect(card.text).toContain('⏳');
  }, 60_000);
});
