/**
 * Who may do what: a person who is not active staff can do nothing and see
 * no inquiry; their claim, answer and forged button presses are refused and
 * leave nothing but `denied` events. /start asks the admins, who approve
 * with a role or reject; `/lang` changes a person's own language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, insertStaffMember, insertTestInquiry, people, type Person } from '../factories/staff.factory.js';
import { STAFF_CHAT_ID, startBotHarness, type BotHarness } from '../support/bot-harness.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness({ env: { TELEGRAM_ADMIN_IDS: String(people.admin.id) } });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});
afterAll(async () => {
  await h?.close();
});

async function deniedOf(person: Person) {
  const rows = await h.tdb.db.selectFrom('events').selectAll().where('type', '=', 'denied').orderBy('id').execute();
  return rows.filter((r) => r.payload.telegramUserId === person.id);
}

async function tableCount(table: 'replies' | 'replyDrafts' | 'telegramPrompts' | 'staff'): Promise<number> {
  const row = await h.tdb.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('someone who is not staff', () => {
  it('cannot claim, answer, press forged buttons or list inquiries; each attempt is one denied event and nothing else', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:00:00Z'), text: 'Երբ կվերանորոգեն մեր բակը' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    const before = { events: await eventTypes(h.tdb.db, inquiry.id), staff: await tableCount('staff') };
    const mallory = people.stranger;

    const claim = await h.press(mallory, card, { text: '✋ Վերցնել' });
    expect(claim).toMatchObject({ text: 'You are not on the staff. Send /start to the bot to ask for access', showAlert: true });

    await h.write(mallory, 'Ես կպատասխանեմ՝ ամեն ինչ կարգին է', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const forgedPublish = await h.press(mallory, card, { data: 'pb:1:u', unchecked: true });
    const forgedApprove = await h.press(mallory, card, { data: `ga:${mallory.id}:supervisor`, unchecked: true });
    const garbage = await h.press(mallory, card, { data: 'zz:<script>', unchecked: true });
    for (const answer of [forgedPublish, forgedApprove, garbage]) expect(answer?.text).toBe('You are not on the staff. Send /start to the bot to ask for access');
    await h.write(mallory, '/queue');
    await h.write(mallory, '/find բակ');

    // What they saw: refusals only, never an inquiry.
    const seen = h.privateMessages(mallory.id).map((m) => m.text);
    expect(seen).toEqual(['You are not on the staff list. Send /start to ask for access.', 'You are not on the staff list. Send /start to ask for access.']);
    const inGroup = h.fake.sent(STAFF_CHAT_ID).filter((m) => m.replyToMessageId !== undefined);
    // Told in their own language, as a reply to their message.
    expect(inGroup.map((m) => m.text)).toEqual(['You are not on the staff list. Send /start to ask for access.']);

    // What is left: the inquiry as it was, no draft, no reply, no prompt, no staff row; seven denied events.
    const after = await h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'new', claimedBy: null });
    expect(await eventTypes(h.tdb.db, inquiry.id)).toEqual(before.events);
    expect(await tableCount('replies')).toBe(0);
    expect(await tableCount('replyDrafts')).toBe(0);
    expect(await tableCount('telegramPrompts')).toBe(0);
    expect(await tableCount('staff')).toBe(before.staff);
    const denied = await deniedOf(mallory);
    expect(denied.map((d) => d.payload.action)).toEqual(['callback', 'answer', 'callback', 'callback', 'callback', 'command:queue', 'command:find']);
    expect(denied.every((d) => d.actorStaffId === null && d.inquiryId === null)).toBe(true);
    expect(denied[2]!.payload.data).toBe('pb:1:u');
    // The card did not move.
    expect((await h.card(inquiry.id)).text).toBe(card.text);
  });

  it('a staff member pressing an admin button is refused too', async () => {
    const card = h.fake.sent(STAFF_CHAT_ID)[0]!;
    const answer = await h.press(people.ani, card, { data: `ga:${people.ani.id}:supervisor`, unchecked: true });
    expect(answer).toMatchObject({ text: 'Այս գործողությունը ձեզ հասանելի չէ', showAlert: true });
    const denied = await deniedOf(people.ani);
    expect(denied.at(-1)!.payload).toMatchObject({ action: 'callback:ga', reason: 'role agent' });
    const ani = await h.tdb.db.selectFrom('staff').select('role').where('telegramUserId', '=', people.ani.id).executeTakeFirstOrThrow();
    expect(ani.role).toBe('agent');
  });
});

describe('asking for access', () => {
  it('/start sends the request to the admins; an approval makes the person staff in their language', async () => {
    const newcomer: Person = { id: 7101, first_name: 'Նարե', last_name: 'Գևորգյան', username: 'nare_g', language_code: 'ru' };
    await h.write(newcomer, '/start');
    expect(h.privateMessages(newcomer.id).map((m) => m.text)).toEqual(['✅ Ваша заявка отправлена администраторам. Мы сообщим, когда они примут решение.']);
    await h.write(newcomer, '/start');
    expect(h.privateMessages(newcomer.id).at(-1)!.text).toBe('⏳ Ваша заявка уже отправлена и ждёт решения администратора.');

    // The admin of TELEGRAM_ADMIN_IDS is asked (once), in the default language.
    let request: ReturnType<BotHarness['privateMessages']>[number] | undefined;
    await expect.poll(() => (request = h.privateMessages(people.admin.id).find((m) => m.text.includes('Նարե Գևորգյան'))), { timeout: 10_000 }).toBeDefined();
    expect(request!.text).toBe(`👤 Մուտքի նոր հայտ՝ Նարե Գևորգյան (@nare_g) · Telegram id ${newcomer.id}\nԱվելացնե՞լ աշխատակազմին։`);
    expect(request!.buttons.flat().map((b) => b.text)).toEqual(['✅ Որպես աշխատակից', '✅ Որպես բաժնի պետ', '❌ Մերժել']);

    const approved = await h.press(people.admin, request!, { text: '✅ Որպես աշխատակից' });
    expect(approved?.text).toBe('Պատրաստ է');
    const decided = h.privateMessages(people.admin.id).find((m) => m.messageId === request!.messageId)!;
    expect(decided.text).toBe('✅ Նարե Գևորգյան՝ ավելացվեց որպես աշխատակից · որոշեց՝ Տիգրան Ադամյան');
    expect(decided.buttons).toEqual([]);
    await expect.poll(() => h.privateMessages(newcomer.id).at(-1)?.text, { timeout: 10_000 }).toBe('✅ Вас добавили в команду, роль — сотрудник. Список команд: /help');

    const staff = await h.tdb.db.selectFrom('staff').selectAll().where('telegramUserId', '=', newcomer.id).executeTakeFirstOrThrow();
    expect(staff).toMatchObject({ role: 'agent', language: 'ru', active: true, name: 'Նարե Գևորգյան' });
    const admin = await h.tdb.db.selectFrom('staff').selectAll().where('telegramUserId', '=', people.admin.id).executeTakeFirstOrThrow();
    expect(admin.role).toBe('admin');
    const trail = await h.tdb.db.selectFrom('events').select(['type', 'actorStaffId', 'payload']).where('type', 'in', ['access_requested', 'access_approved']).orderBy('id').execute();
    expect(trail.map((e) => [e.type, e.actorStaffId, e.payload.telegramUserId])).toEqual([
      ['access_requested', null, newcomer.id],
      ['access_approved', admin.id, newcomer.id],
    ]);

    // Now they are staff: /queue works and speaks Russian; /lang switches it.
    await h.write(newcomer, '/queue');
    expect(h.privateMessages(newcomer.id).at(-1)!.text).toMatch(/^📋 Открытые вопросы: \d+ \(сначала самые старые\)/);
    await h.write(newcomer, '/lang');
    const picker = h.privateMessages(newcomer.id).at(-1)!;
    expect(picker.buttons.flat().map((b) => b.text)).toEqual(['Հայերեն', 'English', 'Русский']);
    await h.press(newcomer, picker, { text: 'Հայերեն' });
    await h.write(newcomer, '/mine');
    expect(h.privateMessages(newcomer.id).at(-1)!.text).toBe('Դուք բաց հարց չունեք');
  });

  it('a rejected person is told, and asking again changes nothing', async () => {
    const other: Person = { id: 7102, first_name: 'Eve', language_code: 'en' };
    await h.write(other, '/start');
    let request: ReturnType<BotHarness['privateMessages']>[number] | undefined;
    await expect.poll(() => (request = h.privateMessages(people.admin.id).find((m) => m.text.includes(`Telegram id ${other.id}`))), { timeout: 10_000 }).toBeDefined();
    await h.press(people.admin, request!, { text: '❌ Մերժել' });
    await expect.poll(() => h.privateMessages(other.id).at(-1)?.text, { timeout: 10_000 }).toBe('Your access request was rejected.');
    // Pressing approve on the decided request now does nothing.
    const late = await h.press(people.admin, request!, { data: `ga:${other.id}:agent`, unchecked: true });
    expect(late?.text).toBe('Այս կոճակն այլևս չի գործում');
    await h.write(other, '/start');
    expect(h.privateMessages(other.id).at(-1)!.text).toBe('Your request was rejected. Please contact an admin if you have questions.');
    expect(await h.tdb.db.selectFrom('staff').select('id').where('telegramUserId', '=', other.id).executeTakeFirst()).toBeUndefined();
  });
});
