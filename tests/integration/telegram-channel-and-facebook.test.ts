/**
 * A Facebook Page and the city's Telegram channel connected at once (issue
 * 14, "Done when"): a comment on each; a citizen's two consecutive comments
 * in the channel join one inquiry; staff answer both from the staff group,
 * and each answer goes out on its own platform — on Facebook under the
 * comment, in the discussion group as a reply to the comment — once; the
 * report counts each by its source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computePeriodFigures } from '../../src/reports/period-report.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestClock, startBotHarness, STAFF_CHAT_ID, type BotHarness } from '../support/bot-harness.js';

const CHANNEL_ID = -1001600000001;
const DISCUSSION_ID = -1001600000002;
const clock = createTestClock(new Date('2026-11-27T07:00:00Z'));
let graph: GraphApiFake;
let h: BotHarness;

const idOf = (update: TelegramUpdate) => (update as unknown as { message: { message_id: number } }).message.message_id;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN }, now: clock.now });
  h = await startBotHarness({
    clock,
    http: true,
    fake: { now: () => clock.now().getTime() },
    env: {
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      TELEGRAM_CHANNEL_ID: String(CHANNEL_ID),
      TELEGRAM_DISCUSSION_CHAT_ID: String(DISCUSSION_ID),
    },
    beforeStart: (fake) =>
      fake.addChannel({ channel: { id: CHANNEL_ID, title: 'Վանաձոր', username: 'vanadzor_test' }, discussion: { id: DISCUSSION_ID, title: 'Վանաձոր — քննարկում' } }),
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});

afterAll(async () => {
  await h?.close();
  await graph?.close();
});

async function answerFromStaffGroup(inquiryId: number, text: string): Promise<void> {
  let card = await h.card(inquiryId);
  await h.press(people.ani, card, { text: '✋ Վերցնել' });
  card = await h.card(inquiryId, (c) => c.text.includes('🙋'));
  await h.write(people.ani, text, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
  const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
  expect(preview.text).toContain(text);
  await h.press(people.ani, preview, { text: '📢 Հրապարակել' });
}

describe('a Facebook Page and the Telegram channel at once', () => {
  it('takes both in, each under its own source, and publishes each answer on its own platform, once', async () => {
    // Facebook: a comment, by signed webhook.
    const post = graph.seedPost({ message: 'Ճանապարհային աշխատանքներ', created_time: new Date('2026-11-26T08:00:00Z') });
    const from = { id: '7500000000000001', name: 'Լուսինե Ավագյան' };
    const fbQuestion = 'Երբ կավարտվեն աշխատանքները Տիգրան Մեծի վրա։';
    clock.set(new Date('2026-11-27T07:05:00Z'));
    const comment = graph.addComment({ postId: post.id, message: fbQuestion, from, created_time: clock.now() });
    const body = facebookJson(feedCommentPayload({ commentId: comment.id, postId: post.id, message: fbQuestion, createdTime: clock.now(), from }));
    const hook = await fetch(`${h.service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, body });
    expect(hook.status).toBe(200);

    // Telegram: a channel post, and one citizen's two consecutive comments (they join one inquiry).
    const channelPost = h.fake.channelPost({ channelId: CHANNEL_ID, text: 'Տիգրան Մեծի պողոտայում աշխատանքներ են' });
    await h.deliver(channelPost);
    const citizen = { id: 7201, first_name: 'Գայանե' };
    const first = h.fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: idOf(channelPost), from: citizen, text: 'Իսկ ավտոբուսները ինչպե՞ս են գնալու' });
    await h.deliver(first);
    clock.set(new Date('2026-11-27T07:06:00Z'));
    await h.deliver(h.fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: idOf(channelPost), from: citizen, text: 'Մասնավորապես 7 համարը' }));

    let fb: { id: number; sourceId: number | null } | undefined;
    let tg: { id: number; sourceId: number | null } | undefined;
    await expect.poll(async () => (fb = await h.tdb.db.selectFrom('inquiries').select(['id', 'sourceId']).where('externalId', '=', comment.id).executeTakeFirst()), { timeout: 15_000 }).toBeDefined();
    await expect.poll(async () => (tg = await h.tdb.db.selectFrom('inquiries').select(['id', 'sourceId']).where('externalId', '=', `${DISCUSSION_ID}:${idOf(first)}`).executeTakeFirst()), { timeout: 15_000 }).toBeDefined();
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiryMessages').select('text').where('inquiryId', '=', tg!.id).orderBy('id').execute()).map((m) => m.text), { timeout: 15_000 }).toEqual([
      'Իսկ ավտոբուսները ինչպե՞ս են գնալու',
      'Մասնավորապես 7 համարը',
    ]);
    expect(await h.tdb.db.selectFrom('inquiries').select('id').where('platform', '=', 'telegram').execute()).toHaveLength(1);
    const sources = new Map((await h.tdb.db.selectFrom('sources').select(['id', 'platform']).execute()).map((s) => [s.platform, s.id]));
    expect(fb!.sourceId).toBe(sources.get('facebook'));
    expect(tg!.sourceId).toBe(sources.get('telegram'));

    // Staff answer both from the staff group.
    clock.set(new Date('2026-11-27T08:00:00Z'));
    const fbAnswer = 'Աշխատանքները կավարտվեն դեկտեմբերի 5-ին։';
    const tgAnswer = 'Յոթ համարը կանցնի Մաշտոցի պողոտայով։';
    await answerFromStaffGroup(fb!.id, fbAnswer);
    await answerFromStaffGroup(tg!.id, tgAnswer);
    await expect
      .poll(async () => (await h.tdb.db.selectFrom('inquiries').select(['platform', 'status', 'answeredVia']).where('id', 'in', [fb!.id, tg!.id]).orderBy('platform').execute()), { timeout: 20_000 })
      .toEqual([
        { platform: 'facebook', status: 'closed', answeredVia: 'telegram' },
        { platform: 'telegram', status: 'closed', answeredVia: 'telegram' },
      ]);

    // Each on its own platform, once: Facebook under the comment; Telegram as a reply to the first comment.
    expect(graph.commentsOn(comment.id).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message)).toEqual([fbAnswer]);
    expect(h.fake.sent(DISCUSSION_ID).map((m) => ({ text: m.text, replyTo: m.replyToMessageId }))).toEqual([{ text: tgAnswer, replyTo: idOf(first) }]);
    expect(graph.requests.filter((r) => r.method === 'POST' && r.body.message === tgAnswer)).toEqual([]);

    const [day] = await computePeriodFigures(h.tdb.db, h.config, [{ from: new Date('2026-11-26T20:00:00Z'), to: new Date('2026-11-27T20:00:00Z'), label: '2026-11-27' }], { now: clock.now() });
    expect(day).toMatchObject({ received: 2, answered: 2, answeredNative: 0 });
    expect(day!.bySource.map((s) => [s.platform, s.received, s.answered])).toEqual([
      ['facebook', 1, 1],
      ['telegram', 1, 1],
    ]);
  });
});
