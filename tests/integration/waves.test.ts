/**
 * Waves end to end, through the real composition (startService with its
 * default parts), the real telegraf against the Bot API stand-in and the real
 * Graph SDK against the Graph API stand-in:
 *
 * 1. Comments under one post and Messenger messages about the same outage
 *    become one wave with one card (not a card each); a statement written as
 *    a reply to the wave card is published to every one of them on its own
 *    platform — public replies under the comments, Messenger within the
 *    window — and the Messenger question whose window closed is refused and
 *    reported on the wave card.
 * 2. A question joining after the statement is offered it in one tap and gets
 *    it; a supervisor marks the wave as a rumour; questions after that get the
 *    rebuttal without anyone pressing anything, and the supervisors are told
 *    when they keep coming (RUMOUR_ALERT_AFTER).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { buildWaveReport, renderWaveReportText } from '../../src/reports/waves.report.js';
import { buildDigestData } from '../../src/reports/digest/digest.data.js';
import { renderDigestHtml } from '../../src/reports/digest/digest.text.js';
import { catalogFor } from '../../src/reports/i18n/index.js';
import { weekRange } from '../../src/domain/periods.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const D = new Date('2026-12-07T04:10:00Z'); // Monday 08:10 in Yerevan
const clock = createTestClock(new Date(D.getTime() + 60_000));
const DAY = 86_400_000;
let graph: GraphApiFake;
let h: BotHarness;
let seq = 0;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Երևանի քաղաքապետարան', accessToken: TEST_PAGE_TOKEN }, now: clock.now });
  h = await startBotHarness({
    clock,
    env: {
      WAVES: 'on',
      WAVE_CARD_EVERY_SECONDS: '1',
      RUMOUR_ALERT_AFTER: '2',
      STATEMENT_REPLIES_PER_MINUTE: '6000',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.aram, 'supervisor');
}, 60_000);
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

async function comment(postId: string, text: string, at: Date) {
  const from = { id: `75000000000${String(++seq).padStart(5, '0')}`, name: `Քաղաքացի ${seq}` };
  const c = graph.addComment({ postId, message: text, from, created_time: at });
  await h.ingest(feedCommentPayload({ commentId: c.id, postId, message: text, createdTime: at, from }));
  return c;
}
async function message(psid: string, text: string, at: Date) {
  graph.addMessage({ psid, text, created_time: at });
  await h.ingest(messengerPayload({ mid: `m_${++seq}`, senderId: psid, text, at }));
}
const inquiryOf = async (externalId: string) => (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirst())?.id;
const waveCard = (waveId: number) => h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.includes(`Ալիք #${waveId} `));
const latestWaveCard = (waveId: number) => waveCard(waveId).at(-1);
const pageRepliesTo = (commentId: string) => graph.commentsOn(commentId).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message);

describe('waves', () => {
  it('one card for a wave across comments and Messenger; one statement answers all, the closed Messenger window is refused and shown', async () => {
    const post = graph.seedPost({ message: 'Մանկապարտեզի վերանորոգում', created_time: new Date(D.getTime() - DAY) });
    const c1 = await comment(post.id, 'Արաբկիրում ջուր չկա առավոտվանից, ե՞րբ կտան', D);
    // The first question is alone: it gets its own card.
    await expect.poll(async () => inquiryOf(c1.id), { timeout: 15_000 }).toBeDefined();
    await h.card((await inquiryOf(c1.id))!);
    const groupBefore = h.fake.sent(STAFF_CHAT_ID).length;
    const c2 = await comment(post.id, 'В Арабкире нет воды с утра. Когда дадут?', new Date(D.getTime() + 60_000));
    const c3 = await comment(post.id, 'No water in Arabkir since 7am, any news?', new Date(D.getTime() + 120_000));
    await message('9100000000000001', 'Բարև Ձեզ, Արաբկիրում ջուր չկա, խնդրում եմ տեղեկացնել երբ կվերականգնվի', new Date(D.getTime() + 180_000));
    await message('9100000000000002', 'Здравствуйте, в Арабкире нет воды, когда починят аварию?', new Date(D.getTime() + 240_000));

    // One wave of five, with one card that says so (edited as it grew), and no card for each.
    await expect.poll(async () => (await h.tdb.db.selectFrom('waveMembers').select('waveId').execute()).length, { timeout: 20_000 }).toBe(5);
    const [{ waveId }] = await h.tdb.db.selectFrom('waveMembers').select('waveId').distinct().execute() as [{ waveId: number }];
    await expect.poll(() => latestWaveCard(waveId)?.text, { timeout: 20_000 }).toContain(`Ալիք #${waveId} · 5 հարց`);
    expect(latestWaveCard(waveId)!.text).toContain('Facebook 3');
    expect(latestWaveCard(waveId)!.text).toContain('Messenger 2');
    const sentAfter = h.fake.sent(STAFF_CHAT_ID).slice(groupBefore);
    // New messages into the group since the first card: the wave card only (the rest were edits of it).
    expect(sentAfter.filter((m) => !m.text.includes(`Ալիք #${waveId} `))).toEqual([]);
    expect(new Set(sentAfter.map((m) => m.messageId)).size).toBe(1);

    // Eight days later: one citizen writes again on Messenger (window open), the other stays silent (closed).
    clock.set(new Date(D.getTime() + 8 * DAY));
    await message('9100000000000001', 'Հիմա էլ ջուր չկա', new Date(D.getTime() + 8 * DAY));
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiryMessages').select('id').execute()).length, { timeout: 15_000 }).toBe(6);

    // A staff member replies to the wave card with the statement and publishes it as interim.
    const statement = 'Արաբկիրում վթար է, ջուրը կվերականգնվի այսօր 18:00-ին։ / Авария в Арабкире, вода будет к 18:00.';
    const card = latestWaveCard(waveId)!;
    await h.write(people.ani, statement, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toContain(statement);
    await h.press(people.ani, preview, { text: '📣 Հրապարակել որպես միջանկյալ' });

    // Each comment gets the statement under it once; the open Messenger chat gets it; the closed one is refused.
    for (const c of [c1, c2, c3]) await expect.poll(() => pageRepliesTo(c.id), { timeout: 20_000 }).toEqual([statement]);
    await expect.poll(() => graph.messagesWith('9100000000000001').filter((m) => m.from.id === PAGE_ID).map((m) => m.message), { timeout: 20_000 }).toEqual([statement]);
    expect(graph.messagesWith('9100000000000002').filter((m) => m.from.id === PAGE_ID)).toEqual([]);
    await expect.poll(() => latestWaveCard(waveId)?.text, { timeout: 20_000 }).toContain('ուղարկված՝ 4 · սպասում է՝ 0 · մերժված՝ 1');
    // Why, in the group's language (Armenian by default).
    expect(latestWaveCard(waveId)!.text).toMatch(/Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է \d+ օր առաջ, իսկ Messenger-ում էջը կարող է պատասխանել միայն 24 ժամվա ընթացքում[^\n]* \(1\)/);
    const answered = await h.tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).where('status', '=', 'answered').execute();
    expect(answered).toHaveLength(4);
    // The author is not sent one private message per reply.
    expect(h.privateMessages(people.ani.id).filter((m) => m.text.includes('հրապարակվեց'))).toEqual([]);
  });

  it('a later question is offered the statement in one tap; a rumour rebuttal reaches late questions and the supervisors hear when they keep coming', async () => {
    const T = new Date(D.getTime() + 10 * DAY);
    clock.set(T);
    const post = graph.seedPost({ message: 'Տրանսպորտի նորություններ', created_time: new Date(T.getTime() - DAY) });
    const q1 = await comment(post.id, 'Ճի՞շտ է, որ հունվարից մետրոն փակվելու է 3 ամսով', T);
    const q2 = await comment(post.id, 'Правда, что метро закроют на 3 месяца с января?', new Date(T.getTime() + 60_000));
    await expect.poll(async () => (await inquiryOf(q2.id)) !== undefined && (await h.tdb.db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', (await inquiryOf(q2.id))!).executeTakeFirst()), { timeout: 20_000 }).toBeTruthy();
    const waveId = (await h.tdb.db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', (await inquiryOf(q2.id))!).executeTakeFirstOrThrow()).waveId;
    await expect.poll(() => latestWaveCard(waveId)?.text, { timeout: 20_000 }).toContain('2 հարց');

    const rebuttal = 'Մետրոն չի փակվում։ Метро не закрывается. The metro is not closing.';
    clock.set(new Date(T.getTime() + 3_600_000));
    await h.write(people.aram, rebuttal, { chat: STAFF_CHAT_ID, replyTo: latestWaveCard(waveId)!.messageId });
    await h.press(people.aram, h.fake.lastSent(STAFF_CHAT_ID)!, { text: '📣 Հրապարակել որպես վերջնական' });
    for (const q of [q1, q2]) await expect.poll(() => pageRepliesTo(q.id), { timeout: 20_000 }).toEqual([rebuttal]);

    // A question joining later: the card offers the statement; one tap sends it.
    const q3 = await comment(post.id, 'Метро закрывают? Как ездить на работу', new Date(T.getTime() + 2 * 3_600_000));
    await expect.poll(() => latestWaveCard(waveId)?.buttons.flat().map((b) => b.text), { timeout: 20_000 }).toContain('📣 Ուղարկել հայտարարությունը ևս 1-ին');
    await h.press(people.ani, latestWaveCard(waveId)!, { text: '📣 Ուղարկել հայտարարությունը ևս 1-ին' });
    await expect.poll(() => pageRepliesTo(q3.id), { timeout: 20_000 }).toEqual([rebuttal]);

    // The supervisor marks it a rumour; later questions get the rebuttal by themselves, and the supervisors are told.
    await expect.poll(() => latestWaveCard(waveId)?.buttons.flat().map((b) => b.text), { timeout: 20_000 }).toContain('⚠️ Նշել որպես ապատեղեկատվություն');
    await h.press(people.aram, latestWaveCard(waveId)!, { text: '⚠️ Նշել որպես ապատեղեկատվություն' });
    await expect.poll(() => latestWaveCard(waveId)?.text, { timeout: 20_000 }).toContain('ապատեղեկատվություն');
    const q4 = await comment(post.id, 'metro@ pakum en? chisht e?', new Date(T.getTime() + 3 * 3_600_000));
    const q5 = await comment(post.id, 'Մետրոն փակվելու է, թե սուտ է', new Date(T.getTime() + 3 * 3_600_000 + 60_000));
    for (const q of [q4, q5]) await expect.poll(() => pageRepliesTo(q.id), { timeout: 20_000 }).toEqual([rebuttal]);
    await expect.poll(() => h.privateMessages(people.aram.id).map((m) => m.text).find((t) => t.includes(`ալիք #${waveId}`)), { timeout: 20_000 }).toContain('հերքումից հետո եկել է');

    // `report --by wave`: the rumour with its questions before and after the rebuttal, and the time to it.
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('id').where('firstResponseAt', 'is not', null).execute()).length, { timeout: 20_000 }).toBe(9);
    const rows = await buildWaveReport(h.tdb.db, { from: new Date(T.getTime() - DAY), to: new Date(T.getTime() + DAY) });
    expect(rows).toEqual([
      expect.objectContaining({ id: waveId, size: 5, answered: 5, answeredRate: 1, minutesToFirstStatement: 60, rumour: true, beforeRebuttal: 2, afterRebuttal: 3, minutesToRebuttal: 60 }),
    ]);
    expect(renderWaveReportText(rows, 'en', 'Asia/Yerevan')).toContain('rumour: 2 before the rebuttal, 3 after; rebutted after 60 min');
    // …and the weekly digest of that week lists it.
    const config = h.service.ctx.config;
    const digest = renderDigestHtml(await buildDigestData(h.tdb.db, config, weekRange(T, config.timezone), clock.now()), catalogFor('en'), { timezone: config.timezone });
    expect(digest).toContain('Waves and rumours');
    expect(digest).toContain(`Wave #${waveId}`);
    expect(digest).toContain('rumour: 2 before the rebuttal, 3 after');
  });
});
