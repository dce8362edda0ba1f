/**
 * A refusal in the staff member's language, end to end (the real
 * composition, the real Graph SDK against the Graph API stand-in, the real
 * telegraf against the Bot API stand-in): a citizen's Messenger message 9
 * days old and an Instagram DM 8 days old arrive by signed webhooks; a staff
 * member who reads Russian and one who reads Armenian answer them from the
 * bot; the connector refuses each without calling Graph (past the 24-hour
 * window and the 7-day HUMAN_AGENT one). Each author is told why in their
 * own language, the group's card says it in the group's (Armenian), and the
 * database keeps the code, its parameters and the English sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { insertStaffMember, people, type Person } from '../factories/staff.factory.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igMessagePayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const DAY = 24 * 3_600_000;
const clock = createTestClock(new Date('2026-11-27T07:06:00Z'));
let graph: GraphApiFake;
let h: BotHarness;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN }, instagram: { id: IG_ACCOUNT_ID, username: 'vanadzor.city' }, now: clock.now });
  h = await startBotHarness({
    clock,
    http: true,
    env: {
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      INSTAGRAM_ACCOUNT_ID: IG_ACCOUNT_ID,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent', 'hy');
  await insertStaffMember(h.tdb.db, people.lilit, 'agent', 'ru');
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

async function webhook(payload: unknown): Promise<void> {
  const body = facebookJson(payload);
  const res = await fetch(`${h.service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, body });
  expect(res.status).toBe(200);
}

async function inquiryOf(externalId: string): Promise<number> {
  let id: number | undefined;
  await expect.poll(async () => (id = (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirst())?.id), { timeout: 15_000 }).toBeDefined();
  return id!;
}

/** `person` claims the card, presses Answer, writes `text` to the bot's prompt and sends it from the preview (`send`: the button in their language). */
async function answerFromTheBot(person: Person, inquiryId: number, text: string, send: string): Promise<void> {
  let card = await h.card(inquiryId);
  await h.press(person, card, { text: '✋ Վերցնել' });
  card = await h.card(inquiryId, (c) => c.text.includes('🙋'));
  await h.press(person, card, { text: '✍️ Պատասխանել' });
  const prompt = h.privateMessages(person.id).at(-1)!;
  await h.write(person, text, { replyTo: prompt.messageId });
  const preview = h.privateMessages(person.id).at(-1)!;
  expect(preview.text).toContain(text);
  await h.press(person, preview, { text: send });
}

const isPostMessages = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/messages');

describe('a refusal in the reader’s language', () => {
  it('a Messenger message 9 days old, answered by a staff member who reads Russian: told in Russian; the group’s card says it in Armenian', async () => {
    const psid = '7600000000000101';
    const writtenAt = new Date(clock.now().getTime() - 9 * DAY);
    const m = graph.addMessage({ psid, name: 'Սոնա', text: 'Բարև, երբ կվերանորոգեն բակի լույսերը', created_time: writtenAt });
    await webhook(messengerPayload({ mid: m.id, senderId: psid, text: m.message, at: writtenAt }));
    const inquiryId = await inquiryOf(m.id);
    const postsBefore = graph.callCount(isPostMessages);

    await answerFromTheBot(people.lilit, inquiryId, 'Здравствуйте, свет починят на этой неделе.', '✉️ Отправить');

    await expect.poll(() => h.privateMessages(people.lilit.id).at(-1)?.text, { timeout: 20_000 }).toMatch(/^⚠️ Ваш ответ на вопрос #\d+ не опубликован/);
    expect(h.privateMessages(people.lilit.id).at(-1)!.text).toBe(
      `⚠️ Ваш ответ на вопрос #${inquiryId} не опубликован: Не отправлено: гражданин писал в последний раз 9 дней назад, ` +
        'а Messenger позволяет странице отвечать только в течение 24 часов или в течение 7 дней от имени сотрудника (human agent). ' +
        'Свяжитесь с ним иначе (по телефону или публично) или дождитесь, пока он напишет снова.',
    );
    const card = await h.card(inquiryId, (c) => c.text.includes('⚠️ Պատասխանը չհրապարակվեց'));
    expect(card.text).toContain('⚠️ Պատասխանը չհրապարակվեց՝ Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է 9 օր առաջ, իսկ Messenger-ում էջը կարող է պատասխանել միայն 24 ժամվա ընթացքում');
    expect(graph.callCount(isPostMessages)).toBe(postsBefore);

    const reply = await h.tdb.db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ status: 'failed', failure: { code: 'dm_window_closed', params: { platform: 'facebook', ageDays: 9 } } });
    expect(reply.failureReason).toMatch(/^Not sent: the citizen last wrote 9 days ago, and Messenger lets the Page answer only within 24 hours/);
  }, 60_000);

  it('an Instagram DM 8 days old, answered by a staff member who reads Armenian: told in Armenian', async () => {
    const igsid = '6723094128839501';
    const writtenAt = new Date(clock.now().getTime() - 8 * DAY);
    const dm = graph.addIgMessage({ igsid, username: 'sona.k', text: 'Աղբը երեք օր է չեն տարել', created_time: writtenAt });
    await webhook(igMessagePayload({ mid: dm.id, igsid, text: dm.message, at: writtenAt, accountId: IG_ACCOUNT_ID }));
    const inquiryId = await inquiryOf(dm.id);
    const postsBefore = graph.callCount(isPostMessages);

    await answerFromTheBot(people.ani, inquiryId, 'Բարև ձեզ, վաղը կտանեն։', '✉️ Ուղարկել');

    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, { timeout: 20_000 }).toMatch(/^⚠️ Ձեր պատասխանը #\d+ հարցին չհրապարակվեց/);
    expect(h.privateMessages(people.ani.id).at(-1)!.text).toBe(
      `⚠️ Ձեր պատասխանը #${inquiryId} հարցին չհրապարակվեց՝ Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է 8 օր առաջ, ` +
        'իսկ Instagram-ում հաշիվը կարող է անձնական նամակին պատասխանել միայն 24 ժամվա ընթացքում, կամ 7 օրվա ընթացքում՝ որպես աշխատակից (human agent)։ ' +
        'Կապվեք նրա հետ այլ կերպ կամ սպասեք, մինչև նա նորից գրի։',
    );
    expect(graph.callCount(isPostMessages)).toBe(postsBefore);
    const reply = await h.tdb.db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ status: 'failed', failure: { code: 'dm_window_closed', params: { platform: 'instagram', ageDays: 8 } } });
    expect(reply.failureReason).toMatch(/^Not sent: the citizen last wrote 8 days ago, and Instagram lets the account answer a direct message only within 24 hours/);
  }, 60_000);
});
