/**
 * The city's Telegram channel (issue 14, "Done when"), end to end on the real
 * service and the Bot API stand-in, whose channel and discussion-group
 * updates are written from the Bot API documentation (Message:
 * is_automatic_forward, sender_chat, message_thread_id, reply_to_message,
 * edited_message, photo + caption, sticker; getChat's linked_chat_id;
 * getChatAdministrators): a channel post, three citizens' comments (one
 * edited, one a photo with a caption, one a sticker), a reply by the channel
 * itself to one of them, a comment by an admin of the group, and an answer
 * from the staff group published as a reply in the discussion group exactly
 * once. The report counts 2 received (the sticker is a reaction), 1 answered
 * natively, 1 through the bot, by source. The updates of the discussion
 * group and of the staff group come through the bot's one long poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSourcesCommand } from '../../src/commands/sources.command.js';
import { computePeriodFigures } from '../../src/reports/period-report.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { eventTypes, insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestClock, startBotHarness, STAFF_CHAT_ID, type BotHarness } from '../support/bot-harness.js';
import { silentLogger } from '../support/test-env.js';

export const CHANNEL_ID = -1001500000001;
export const DISCUSSION_ID = -1001500000002;
const cityAdmin = { id: 5100, first_name: 'Սոնա', last_name: 'Գրիգորյան' };
const citizens = {
  anna: { id: 7101, first_name: 'Աննա', last_name: 'Մելքոնյան' },
  karen: { id: 7102, first_name: 'Կարեն' },
  mher: { id: 7103, first_name: 'Մհեր', username: 'mher_y' },
};

const clock = createTestClock(new Date('2026-11-27T07:00:00Z'));
let h: BotHarness;

const idOf = (update: TelegramUpdate) => (update as unknown as { message: { message_id: number } }).message.message_id;

beforeAll(async () => {
  h = await startBotHarness({
    clock,
    // Message dates on the test's clock (the channel's answer comes 35 minutes after the comment, as a person's would).
    fake: { now: () => clock.now().getTime() },
    env: { TELEGRAM_CHANNEL_ID: String(CHANNEL_ID), TELEGRAM_DISCUSSION_CHAT_ID: String(DISCUSSION_ID) },
    beforeStart: (fake) =>
      fake.addChannel({
        channel: { id: CHANNEL_ID, title: 'Երևանի քաղաքապետարան', username: 'yerevan_city_test' },
        discussion: { id: DISCUSSION_ID, title: 'Երևանի քաղաքապետարան — քննարկում' },
        admins: [cityAdmin],
      }),
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});

afterAll(async () => {
  await h?.close();
});

async function inquiryOf(externalId: string) {
  let row: { id: number } | undefined;
  await expect.poll(async () => (row = await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirst()), { timeout: 15_000 }).toBeDefined();
  return h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', row!.id).executeTakeFirstOrThrow();
}

describe('the city\'s Telegram channel alone', () => {
  it('takes comments as inquiries, the channel\'s reply as a native answer, publishes a staff answer once as a reply, and counts them by source', async () => {
    const fake = h.fake;
    // The channel publishes a post; it arrives in the discussion group as an automatic forward.
    const post = fake.channelPost({ channelId: CHANNEL_ID, text: 'Վաղը Կենտրոնում ջուր չի լինի 10:00-18:00' });
    await h.deliver(post);
    const root = idOf(post);

    // Three citizens comment: a question (edited later), a photo with a caption, a sticker alone.
    clock.set(new Date('2026-11-27T07:05:00Z'));
    const annaComment = fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: citizens.anna, text: 'Իսկ Արաբկիրում էլ չի՞ լինի' });
    await h.deliver(annaComment);
    const karenComment = fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: citizens.karen, photo: { caption: 'Այստեղ խողովակը պայթել է, ե՞րբ կնորոգեք' } });
    await h.deliver(karenComment);
    const mherSticker = fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: citizens.mher, sticker: { emoji: '👍' } });
    await h.deliver(mherSticker);
    clock.set(new Date('2026-11-27T07:10:00Z'));
    await h.deliver(fake.editUpdate({ chatId: DISCUSSION_ID, messageId: idOf(annaComment), text: 'Իսկ Արաբկիրում էլ ջուր չի՞ լինի վաղը' }));

    const anna = await inquiryOf(`${DISCUSSION_ID}:${idOf(annaComment)}`);
    const karen = await inquiryOf(`${DISCUSSION_ID}:${idOf(karenComment)}`);
    const mher = await inquiryOf(`${DISCUSSION_ID}:${idOf(mherSticker)}`);
    expect(anna).toMatchObject({ platform: 'telegram', kind: 'comment', authorName: 'Աննա Մելքոնյան', threadId: `${DISCUSSION_ID}:${root}`, lowPriority: false });
    expect(anna.permalink).toBe(`https://t.me/yerevan_city_test/1?comment=${idOf(annaComment)}`);
    expect(karen).toMatchObject({ text: 'Այստեղ խողովակը պայթել է, ե՞րբ կնորոգեք [photo]', attachments: [{ kind: 'photo', url: null }], lowPriority: false });
    expect(mher).toMatchObject({ text: '👍 [sticker]', lowPriority: true });
    const sources = await h.tdb.db.selectFrom('sources').select(['id', 'platform', 'externalId', 'settings']).where('platform', '=', 'telegram').execute();
    expect(sources).toEqual([{ id: anna.sourceId, platform: 'telegram', externalId: String(DISCUSSION_ID), settings: { channelId: CHANNEL_ID, channelUsername: 'yerevan_city_test' } }]);
    expect(karen.sourceId).toBe(anna.sourceId);

    // The edit updated the inquiry, with its history.
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('text').where('id', '=', anna.id).executeTakeFirstOrThrow()).text, { timeout: 15_000 }).toBe('Իսկ Արաբկիրում էլ ջուր չի՞ լինի վաղը');
    const edited = await h.tdb.db.selectFrom('events').select('payload').where('inquiryId', '=', anna.id).where('type', '=', 'edited').executeTakeFirstOrThrow();
    expect(edited.payload).toMatchObject({ previousText: 'Իսկ Արաբկիրում էլ չի՞ լինի', text: 'Իսկ Արաբկիրում էլ ջուր չի՞ լինի վաղը' });

    // Cards: Anna's and Karen's (the sticker is a reaction: no card); each says bots do not see deletions and names the source.
    let card = await h.card(anna.id, (c) => c.text.includes('ջուր չի՞ լինի վաղը'));
    expect(card.text.split('\n')[0]).toBe(`🆕 #${anna.id} · Telegram · մեկնաբանություն · Telegram channel ${CHANNEL_ID}`);
    expect(card.text).toContain('Telegram-ը բոտերին չի հայտնում ջնջված մեկնաբանությունների մասին');
    await h.card(karen.id);
    expect(await h.tdb.db.selectFrom('telegramCards').select('inquiryId').where('inquiryId', '=', mher.id).execute()).toEqual([]);

    // The channel itself replies to Karen (a native answer); an admin of the group comments on the post (the city, not a citizen).
    clock.set(new Date('2026-11-27T07:40:00Z'));
    await h.deliver(fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, as: 'channel', replyTo: idOf(karenComment), text: 'Վթարային խումբն արդեն տեղում է' }));
    await h.deliver(fake.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: cityAdmin, text: 'Մանրամասները՝ կայքում' }));
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).where('id', '=', karen.id).executeTakeFirstOrThrow()), { timeout: 15_000 }).toEqual({ status: 'closed', answeredVia: 'native' });
    // Telegram's service senders and the city are never citizens: still three items in.
    expect(await h.tdb.db.selectFrom('inquiries').select('id').where('platform', '=', 'telegram').execute()).toHaveLength(3);

    // Staff answer Anna from the staff group; the answer goes out as a reply to her comment, once.
    clock.set(new Date('2026-11-27T08:00:00Z'));
    card = await h.card(anna.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(anna.id, (c) => c.text.includes('🙋'));
    const answer = 'Այո, Արաբկիրում նույնպես՝ 10:00-18:00։ Ներողություն անհարմարության համար։';
    await h.write(people.ani, answer, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toContain(answer);
    await h.press(people.ani, preview, { text: '📢 Հրապարակել' });
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).where('id', '=', anna.id).executeTakeFirstOrThrow()), { timeout: 20_000 }).toEqual({ status: 'closed', answeredVia: 'telegram' });
    const published = fake.sent(DISCUSSION_ID);
    expect(published.map((m) => ({ text: m.text, replyTo: m.replyToMessageId }))).toEqual([{ text: answer, replyTo: idOf(annaComment) }]);
    const reply = await h.tdb.db.selectFrom('replies').selectAll().where('inquiryId', '=', anna.id).executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ status: 'sent', channel: 'comment_reply', externalId: `${DISCUSSION_ID}:${published[0]!.messageId}` });
    expect(await eventTypes(h.tdb.db, anna.id)).toContain('answered');

    // The report: 2 received (the sticker is a reaction), 1 answered natively, 1 through the bot, by source.
    const [day] = await computePeriodFigures(h.tdb.db, h.config, [{ from: new Date('2026-11-26T20:00:00Z'), to: new Date('2026-11-27T20:00:00Z'), label: '2026-11-27' }], { now: clock.now() });
    expect(day).toMatchObject({ received: 2, reactions: 1, answered: 2, answeredNative: 1, answeredTelegram: 1 });
    expect(day!.bySource.map((s) => ({ sourceId: s.sourceId, platform: s.platform, received: s.received, reactions: s.reactions, answered: s.answered, answeredNative: s.answeredNative }))).toEqual([
      { sourceId: anna.sourceId, platform: 'telegram', received: 2, reactions: 1, answered: 2, answeredNative: 1 },
    ]);
    // The post counted as the city's published post.
    expect(await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'page_post').execute()).toEqual([{ payload: { platform: 'telegram', externalId: `${DISCUSSION_ID}:${root}` } }]);

    // Still once, after the service had time to do anything twice.
    await h.deliver(fake.messageUpdate({ from: people.ani, chat: STAFF_CHAT_ID, text: '/help' }));
    expect(fake.sent(DISCUSSION_ID)).toHaveLength(1);
  });
});

describe('ardzagank sources add telegram-channel', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSourcesCommand(['add', 'telegram-channel', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) }, { config: h.config, logger: silentLogger() });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const telegramSources = () => h.tdb.db.selectFrom('sources').select(['externalId', 'name', 'settings']).where('platform', '=', 'telegram').orderBy('id').execute();

  it('says what is missing, in the admin\'s language, and adds nothing: a channel without a discussion group, a group where the bot is not admin, not a channel', async () => {
    h.fake.addChannel({ channel: { id: -1001500000010, title: 'Առանց մեկնաբանությունների', username: 'no_comments_test' }, discussion: null });
    h.fake.addChannel({ channel: { id: -1001500000020, title: 'Մշակույթ', username: 'culture_test' }, discussion: { id: -1001500000021, title: 'Մշակույթ — քննարկում' }, botStatus: 'member' });
    const before = await telegramSources();

    const noGroup = await run(['@no_comments_test', '--lang', 'hy']);
    expect(noGroup.code).toBe(1);
    expect(noGroup.err).toBe('«Առանց մեկնաբանությունների» ալիքը կապված քննարկման խումբ չունի, ուստի մեկնաբանություններ չունի. ալիքի կարգավորումներում՝ «Քննարկում» բաժնում, կապեք խումբ, բոտին դարձրեք այդ խմբի ադմին և կրկին գործարկեք հրամանը։ Ոչինչ չավելացվեց։');
    const notAdmin = await run(['-1001500000020', '--lang', 'en']);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.err).toBe('The bot is not an admin of the discussion group "Մշակույթ — քննարկում" (its status there: member): add the bot to the group and make it an admin, then run this again. Nothing was added.');
    const notAdminRu = await run(['@culture_test', '--lang', 'ru']);
    expect(notAdminRu.err).toContain('Бот не администратор группы обсуждения «Մշակույթ — քննարկում» (его статус там: member)');
    const group = await run([String(DISCUSSION_ID)]);
    expect(group.code).toBe(1);
    expect(group.err).toContain('ալիք չէ'); // LOCALE defaults to hy
    const unknown = await run(['@nobody_here_test', '--lang', 'en']);
    expect(unknown.err).toMatch(/^Telegram does not know the channel @nobody_here_test/);
    expect(await telegramSources()).toEqual(before);

    // Once the bot is made an admin of the group, the same command adds it.
    h.fake.addChannel({ channel: { id: -1001500000020, title: 'Մշակույթ', username: 'culture_test' }, discussion: { id: -1001500000021, title: 'Մշակույթ — քննարկում' } });
    const added = await run(['@culture_test', '--lang', 'en']);
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added the channel Մշակույթ \(@culture_test\) as source \d+ \(its comments are read in "Մշակույթ — քննարկում"\)\./);
    expect((await telegramSources()).slice(before.length)).toEqual([{ externalId: '-1001500000021', name: 'Մշակույթ (@culture_test)', settings: { channelId: -1001500000020, channelUsername: 'culture_test' } }]);
  });
});
