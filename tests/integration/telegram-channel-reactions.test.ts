/**
 * Reactions to a channel's comments are their likes, as Facebook's and
 * Instagram's like counts are (issue 16: the wave card shows the most-liked
 * questions). End to end on the real service and telegraf against the Bot
 * API stand-in, whose `message_reaction` updates (MessageReactionUpdated:
 * one person's `old_reaction` → `new_reaction`) Telegram sends only when the
 * bot asks for them in `allowed_updates`: three citizens' comments about one
 * outage under a channel post become a wave; people react, swap a reaction
 * and take one back; each comment's like count follows, and the wave card
 * lists the most-liked questions with their counts. A reaction of the city
 * (an admin of the group) is no like; changes processed out of order, and a
 * reaction taken in before its comment, still count right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeChannelUpdate } from '../../src/inbox/channel-updates.workflow.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestClock, startBotHarness, STAFF_CHAT_ID, type BotHarness } from '../support/bot-harness.js';

const CHANNEL_ID = -1001500000011;
const DISCUSSION_ID = -1001500000012;
const clock = createTestClock(new Date('2026-12-07T05:00:00Z'));
let h: BotHarness;

const idOf = (update: TelegramUpdate) => (update as unknown as { message: { message_id: number } }).message.message_id;
const reader = (n: number) => ({ id: 7300 + n, first_name: `Ընթերցող ${n}` });
const cityAdmin = { id: 5200, first_name: 'Լիանա', last_name: 'Սարգսյան' };

beforeAll(async () => {
  h = await startBotHarness({
    clock,
    fake: { now: () => clock.now().getTime() },
    env: { TELEGRAM_CHANNEL_ID: String(CHANNEL_ID), TELEGRAM_DISCUSSION_CHAT_ID: String(DISCUSSION_ID), WAVES: 'on', WAVE_CARD_EVERY_SECONDS: '1' },
    beforeStart: (fake) =>
      fake.addChannel({
        channel: { id: CHANNEL_ID, title: 'Երևանի քաղաքապետարան', username: 'yerevan_city_likes' },
        discussion: { id: DISCUSSION_ID, title: 'Երևանի քաղաքապետարան — քննարկում' },
        admins: [cityAdmin],
      }),
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});
afterAll(async () => {
  await h?.close();
});

const likesOf = async (messageId: number) =>
  (await h.tdb.db.selectFrom('inquiryMessages').select('likeCount').where('platform', '=', 'telegram').where('externalId', '=', `${DISCUSSION_ID}:${messageId}`).executeTakeFirst())?.likeCount;

describe('reactions to a channel comment', () => {
  it('are its likes: counted per person, a swap changes nothing, a reaction taken back is one less, and the wave card shows the most-liked', async () => {
    const fake = h.fake;
    const post = fake.channelPost({ channelId: CHANNEL_ID, text: 'Արաբկիրում վթարային աշխատանքներ են' });
    await h.deliver(post);
    const root = idOf(post);
    const texts = ['Արաբկիրում ջուր չկա առավոտվանից, ե՞րբ կտան', 'В Арабкире нет воды с утра, когда дадут?', 'No water in Arabkir since the morning, when will it be back?'];
    const comments: number[] = [];
    for (const [i, text] of texts.entries()) {
      clock.set(new Date(clock.now().getTime() + 60_000));
      const update = fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: { id: 7200 + i, first_name: `Քաղաքացի ${i}` }, text });
      await h.deliver(update);
      comments.push(idOf(update));
    }
    await expect.poll(async () => (await h.tdb.db.selectFrom('waveMembers').select('waveId').execute()).length, { timeout: 20_000 }).toBe(3);
    const { waveId } = await h.tdb.db.selectFrom('waveMembers').select('waveId').executeTakeFirstOrThrow();
    const waveCard = () => h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.includes(`Ալիք #${waveId} `)).at(-1)?.text ?? '';
    await expect.poll(waveCard, { timeout: 20_000 }).toContain('3 հարց');

    const [first, second, third] = comments as [number, number, number];
    // Three people react to the Russian question, one of them with two emoji; one to the English one.
    for (const n of [1, 2]) await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: second, from: reader(n), emoji: ['👍'] }));
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: second, from: reader(3), emoji: ['👍', '🔥'] }));
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: third, from: reader(4), emoji: ['❤'] }));
    await expect.poll(() => likesOf(second), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => likesOf(third), { timeout: 15_000 }).toBe(1);
    expect(await likesOf(first)).toBe(0);

    // A swap (👍 → 😢) is still one person; one reader takes theirs back.
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: second, from: reader(1), emoji: ['😢'] }));
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: second, from: reader(2), emoji: [] }));
    await expect.poll(() => likesOf(second), { timeout: 15_000 }).toBe(2);

    // The wave card lists the most-liked questions with their counts, most first.
    await expect.poll(waveCard, { timeout: 20_000 }).toContain('👍 2 · ');
    const card = waveCard();
    expect(card).toContain('👍 1 · ');
    expect(card.indexOf('👍 2 · ')).toBeLessThan(card.indexOf('👍 1 · '));
    expect(card.split('\n').find((l) => l.includes('👍 2 · '))).toContain('В Арабкире нет воды');

    // The city's own reaction (an admin of the group) is no like.
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: first, from: cityAdmin, emoji: ['👍'] }));
    // Out of order (a batch retried, two instances): a reader reacts and takes it back; the later change is processed first.
    const on = fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: first, from: reader(5), emoji: ['👍'] });
    const off = fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: first, from: reader(5), emoji: [] });
    const botId = Number(fake.token.split(':')[0]);
    const stored: number[] = [];
    for (const u of [off, on]) {
      const envelope = { update: u, channelId: CHANNEL_ID, channelUsername: 'yerevan_city_likes' };
      stored.push((await storeChannelUpdate({ db: h.tdb.db, producers: h.service.ctx.producers }, { botId, updateId: u.update_id, origin: 'poll', envelope })).inboundEventId);
      await expect.poll(async () => (await h.tdb.db.selectFrom('inboundEvents').select('status').where('id', '=', stored.at(-1)!).executeTakeFirstOrThrow()).status, { timeout: 15_000 }).toBe('processed');
    }
    expect(await likesOf(third)).toBe(1);
    expect(await likesOf(first)).toBe(0);

    // A reaction taken in before the comment it is about (ingest order is not Telegram's) still counts.
    clock.set(new Date(clock.now().getTime() + 60_000));
    const late = fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: { id: 7299, first_name: 'Վարդան' }, text: 'Իսկ Ավանում ջուր կա՞' });
    await h.deliver(fake.reactionUpdate({ chatId: DISCUSSION_ID, messageId: idOf(late), from: reader(6), emoji: ['🙏'] }));
    await h.deliver(late);
    await expect.poll(() => likesOf(idOf(late)), { timeout: 15_000 }).toBe(1);

    // Reactions are no inquiries and no events of one.
    expect(await h.tdb.db.selectFrom('inquiries').select('id').where('platform', '=', 'telegram').execute()).toHaveLength(4);
  });
});
