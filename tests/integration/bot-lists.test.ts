/**
 * Lists and long texts: /queue (oldest first, linked to the cards), /mine,
 * /find; a citizen text longer than a card shows shortened with a link that
 * opens the whole text in the private chat, split over messages; and
 * low-priority items (thanks, emoji) arrive as one summary message instead
 * of a card each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { feedCommentPayload } from '../factories/facebook-payloads.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const clock = createTestClock(new Date('2026-11-28T12:00:00Z'));
let h: BotHarness;
let aniId: number;

beforeAll(async () => {
  h = await startBotHarness({ clock });
  aniId = (await insertStaffMember(h.tdb.db, people.ani, 'agent')).id;
  await insertStaffMember(h.tdb.db, people.aram, 'agent', 'ru');
});
afterAll(async () => {
  await h?.close();
});

async function runScheduled(name: 'lowpriority.summary' | 'reminders.check', id: string): Promise<void> {
  const job = await h.service.ctx.queues.schedule.add(name, { reason: 'manual' }, { jobId: id });
  await expect.poll(() => job.getState(), { timeout: 10_000, interval: 20 }).toBe('completed');
}

describe('lists', () => {
  it('/queue shows open inquiries oldest first with links to their cards; /mine and /find', async () => {
    const older = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T09:00:00Z'), text: 'Կոյուղին խցանված է', authorName: 'Կարեն' });
    const newer = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T11:30:00Z'), text: 'Ավտոբուս 7-ը չի գալիս', authorName: 'Սոնա' });
    await h.service.ctx.producers.sendCards([older.id, newer.id]);
    const olderCard = await h.card(older.id);
    await h.card(newer.id);
    await h.press(people.ani, olderCard, { text: '✋ Վերցնել' });

    await h.write(people.ani, '/queue', { chat: STAFF_CHAT_ID });
    const queue = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(queue.text.split('\n')).toEqual([
      '📋 Բաց հարցեր՝ 2 (ամենահները՝ վերևում)',
      '',
      `#${older.id} · 3 ժ · Կարեն · «Կոյուղին խցանված է» · 🙋 Անի Պետրոսյան`,
      `#${newer.id} · 30 ր · Սոնա · «Ավտոբուս 7-ը չի գալիս»`,
    ]);
    const links = queue.entities.filter((e) => e.type === 'text_link').map((e) => e.url);
    expect(links).toEqual([`https://t.me/c/1234567890/${olderCard.messageId}`, expect.stringMatching(/^https:\/\/t\.me\/c\/1234567890\/\d+$/)]);

    await h.write(people.ani, '/mine');
    expect(h.privateMessages(people.ani.id).at(-1)!.text).toBe(`🙋 Ձեր բաց հարցերը՝ 1\n\n#${older.id} · 3 ժ · Կարեն · «Կոյուղին խցանված է» · 🙋 Անի Պետրոսյան`);

    await h.write(people.aram, '/find автобус');
    expect(h.privateMessages(people.aram.id).at(-1)!.text).toBe('🔎 «автобус»: ничего не найдено');
    await h.write(people.aram, '/find ավտոբուս');
    expect(h.privateMessages(people.aram.id).at(-1)!.text).toBe(`🔎 «ավտոբուս»: найдено 1\n\n#${newer.id} · 15:30 · Սոնա · «Ավտոբուս 7-ը չի գալիս» · 🆕 новый`);
    await h.write(people.aram, '/find');
    expect(h.privateMessages(people.aram.id).at(-1)!.text).toBe('🔎 Напишите /find и искомое слово, например: /find вода');
  });
});

describe('inquiries waiting for their final answer', () => {
  it('/queue lists them apart after the open ones, and /mine shows the ones I answered with an interim answer', async () => {
    const interim = await insertTestInquiry(h.tdb.db, {
      postedAt: new Date('2026-11-28T10:00:00Z'),
      text: 'Ջուրը երբ կտան',
      authorName: 'Լիլիթ',
      claimedBy: aniId,
    });
    // An interim answer leaves the inquiry answered and open (closed_at null) for the final one.
    await h.tdb.db
      .updateTable('inquiries')
      .set({ status: 'answered', firstResponseAt: new Date('2026-11-28T10:20:00Z'), answeredVia: 'telegram', answeredBy: aniId })
      .where('id', '=', interim.id)
      .execute();

    await h.write(people.ani, '/queue', { chat: STAFF_CHAT_ID });
    const queue = h.fake.lastSent(STAFF_CHAT_ID)!.text.split('\n');
    const at = queue.indexOf('⏳ Վերջնական պատասխանի սպասող՝ 1');
    expect(at).toBeGreaterThan(0);
    expect(queue.slice(at)).toEqual(['⏳ Վերջնական պատասխանի սպասող՝ 1', '', `#${interim.id} · 2 ժ · Լիլիթ · «Ջուրը երբ կտան» · ✍️ Անի Պետրոսյան`]);

    await h.write(people.ani, '/mine');
    const mine = h.privateMessages(people.ani.id).at(-1)!.text.split('\n');
    expect(mine.slice(mine.indexOf('⏳ Վերջնական պատասխանի սպասող՝ 1'))).toEqual([
      '⏳ Վերջնական պատասխանի սպասող՝ 1',
      '',
      `#${interim.id} · 2 ժ · Լիլիթ · «Ջուրը երբ կտան» · ✍️ Անի Պետրոսյան`,
    ]);
    await h.write(people.aram, '/mine');
    expect(h.privateMessages(people.aram.id).at(-1)!.text).toBe('У вас нет открытых вопросов');
  });
});

describe('a long citizen text', () => {
  it('is shortened on the card with a link to the whole, which the bot sends in as many messages as it takes', async () => {
    const paragraph = 'Մեր շենքի բակում արդեն երկու շաբաթ է՝ խողովակը պայթել է, ջուրը հոսում է, երեխաները չեն կարողանում խաղալ 🚸։ ';
    const text = paragraph.repeat(70).trim();
    expect(text.length).toBeGreaterThan(7000);
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T11:50:00Z'), text });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    expect(card.text.length).toBeLessThanOrEqual(4096);
    expect(card.text).toContain(`${text.slice(0, 200)}`);
    const whole = card.entities.find((e) => e.type === 'text_link' && card.text.slice(e.offset, e.offset + e.length) === 'ամբողջ տեքստը');
    expect(whole?.url).toBe(`https://t.me/ardzagank_test_bot?start=i${inquiry.id}`);

    // The link sends "/start i<id>" in the private chat.
    await h.write(people.ani, `/start i${inquiry.id}`);
    const pieces = h.privateMessages(people.ani.id).filter((m) => m.text.includes('Մեր շենքի բակում') || m.text.startsWith('📄'));
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.every((p) => p.text.length <= 4096)).toBe(true);
    expect(pieces[0]!.text.split('\n')[0]).toBe(`📄 #${inquiry.id} հարցի ամբողջ տեքստը`);
    const shown = pieces.map((p, i) => (i === 0 ? p.text.split('\n').slice(4).join('\n') : p.text)).join(' ');
    expect(shown.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });
});

describe('low-priority items', () => {
  it('are summarised in one message; one can be made a card, the rest dismissed at once', async () => {
    clock.set(new Date('2026-11-28T12:10:00Z'));
    for (const [i, message] of ['👍👍', 'Շնորհակալություն', '❤️'].entries()) {
      await h.ingest(feedCommentPayload({ commentId: `900000000000001_8${i}`, message, createdTime: new Date(`2026-11-28T12:0${i}:00Z`), from: { id: `73000000000000${i}`, name: `Քաղաքացի ${i}` } }));
    }
    await expect.poll(() => h.tdb.db.selectFrom('inquiries').select('id').where('lowPriority', '=', true).execute().then((r) => r.length), { timeout: 10_000 }).toBe(3);
    // Ingested concurrently: ids need not follow the order of posting.
    const lows = await h.tdb.db.selectFrom('inquiries').select(['id', 'authorName', 'text']).where('lowPriority', '=', true).orderBy('id').execute();
    const line = (i: number, mark = '') => `${mark}#${lows[i]!.id} · ${lows[i]!.authorName} · «${lows[i]!.text}»`;
    expect(await h.tdb.db.selectFrom('telegramCards').select('inquiryId').where('inquiryId', 'in', lows.map((l) => l.id)).execute()).toEqual([]);

    await runScheduled('lowpriority.summary', 'summary-1');
    let summary: ReturnType<typeof h.fake.sent>[number] | undefined;
    await expect.poll(() => (summary = h.fake.sent(STAFF_CHAT_ID).find((m) => m.text.startsWith('🗂'))), { timeout: 10_000 }).toBeDefined();
    expect(summary!.text.split('\n')).toEqual([
      '🗂 Երկրորդական արձագանքներ՝ 3',
      'Շնորհակալություններ, էմոջիներ, նշումներ․ սովորաբար պատասխան չեն պահանջում։ Եթե դրանց մեջ հարց կա, դարձրեք այն քարտ։',
      '',
      line(0),
      line(1),
      line(2),
    ]);
    // A second run finds nothing new: one summary, not a stream.
    await runScheduled('lowpriority.summary', 'summary-2');
    expect(h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.startsWith('🗂'))).toHaveLength(1);

    await h.press(people.ani, summary!, { text: `📄 #${lows[1]!.id}՝ քարտ` });
    await h.card(lows[1]!.id, (c) => c.text.includes(lows[1]!.text));
    await h.press(people.ani, h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === summary!.messageId)!, { text: '🚫 Բոլորը՝ հարց չեն' });
    const after = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === summary!.messageId)!;
    expect(after.text.split('\n').slice(3)).toEqual([
      line(0, '✔️ '),
      line(1, '📄 '),
      line(2, '✔️ '),
      '',
      '🚫 Բոլորը փակվեցին որպես «հարց չէ» · Անի Պետրոսյան',
    ]);
    expect(after.buttons).toEqual([]);
    const statuses = await h.tdb.db.selectFrom('inquiries').select(['id', 'status']).where('id', 'in', lows.map((l) => l.id)).orderBy('id').execute();
    expect(statuses.map((s) => s.status)).toEqual(['dismissed', 'new', 'dismissed']);
    expect(await eventTypes(h.tdb.db, lows[1]!.id)).toEqual(['ingested', 'summarized', 'promoted', 'card_sent']);
  });

  it('a low-priority item whose author then writes something substantial gets its card', async () => {
    await h.ingest(feedCommentPayload({ commentId: '900000000000001_90', message: '🙏', createdTime: new Date('2026-11-28T12:20:00Z'), from: { id: '7400000000000001', name: 'Մարիամ' } }));
    await h.ingest(
      feedCommentPayload({ commentId: '900000000000001_91', message: 'Իսկ ե՞րբ կվերանորոգեն խաղահրապարակը', createdTime: new Date('2026-11-28T12:21:00Z'), from: { id: '7400000000000001', name: 'Մարիամ' } }),
    );
    let id: number | undefined;
    await expect.poll(async () => (id = (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_90').executeTakeFirst())?.id), { timeout: 10_000 }).toBeDefined();
    const card = await h.card(id!, (c) => c.text.includes('Իսկ ե՞րբ կվերանորոգեն խաղահրապարակը'));
    expect(card.text).toContain('🙏');
    expect(card.text).toContain('➕ Լրացում՝');
  });
});

describe('reports in Telegram', () => {
  it('/report and /stats answer with the reports part\'s figures; the head of community reads them but cannot claim', async () => {
    const head = { id: 5010, first_name: 'Քաղաքապետ' };
    await insertStaffMember(h.tdb.db, head, 'head');
    await h.write(head, '/stats');
    expect(h.privateMessages(head.id).at(-1)!.text.split('\n')[0]).toBe('Համեմատություն');
    await h.write(head, '/report 2026-11');
    const report = h.privateMessages(head.id).at(-1)!.text;
    expect(report.split('\n')[0]).toBe('Քաղաքացիների հարցումներ. հաշվետվություն');
    expect(report).toMatch(/Ստացված: \d+/);
    await h.write(people.aram, '/report 2026-13');
    expect(h.privateMessages(people.aram.id).at(-1)!.text).toMatch(/^Период «2026-13» не распознан\./);

    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T11:55:00Z') });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    const refused = await h.press(head, card, { text: '✋ Վերցնել' });
    expect(refused).toMatchObject({ text: 'Այս գործողությունը ձեզ հասանելի չէ', showAlert: true });
    const menu = h.fake.commands();
    expect((menu as Array<{ command: string }>).map((c) => c.command)).toEqual(['queue', 'mine', 'find', 'report', 'stats', 'log', 'remark', 'year', 'help', 'lang']);
  });
});
