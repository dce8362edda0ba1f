/**
 * Cards in the staff group, through the whole service and the real telegraf
 * against the Bot API stand-in: what a new inquiry's card shows (a hostile
 * and multilingual citizen text exactly as written), and how it changes as
 * staff claim, tag, release and dismiss it from its buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

// Friday 28 November 2026, 14:30 in Yerevan.
const clock = createTestClock(new Date('2026-11-28T10:30:00Z'));
let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness({ clock });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.aram, 'agent');
  await insertStaffMember(h.tdb.db, people.boss, 'supervisor', 'en');
});
afterAll(async () => {
  await h?.close();
});

async function inquiryIdOf(externalId: string): Promise<number> {
  const row = await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirstOrThrow();
  return row.id;
}

describe('a new inquiry', () => {
  it('gets one card that shows the citizen text exactly as written, escaped, with its author, time, post, sector and buttons', async () => {
    const text = 'Բարև 👋 <script>alert("x")</script> & Co — Կոմիտասի 12-ում ջուր չկա 💧 <b>շտապ</b>';
    await h.ingest(feedCommentPayload({ commentId: '900000000000001_701', message: text, createdTime: new Date('2026-11-28T10:05:00Z') }));
    await expect.poll(() => h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_701').executeTakeFirst(), { timeout: 10_000 }).toBeDefined();
    const id = await inquiryIdOf('900000000000001_701');
    const card = await h.card(id);

    expect(card.chatId).toBe(STAFF_CHAT_ID);
    expect(card.text).toContain(text);
    expect(card.text.split('\n')[0]).toBe(`🆕 #${id} · Facebook · մեկնաբանություն · Facebook Page ${PAGE_ID}`);
    expect(card.text).toContain('👤 Անի Պետրոսյան · 14:05');
    expect(card.text).toContain('🏷 Ոլորտ՝ Ջրամատակարարում և ջրահեռացում (առաջարկ)');
    expect(card.text).toContain('Բացել Facebook-ում');
    // Citizen markup is text, never formatting: the only bold spans are ours.
    const bold = card.entities.filter((e) => e.type === 'bold').map((e) => card.text.slice(e.offset, e.offset + e.length));
    expect(bold).toEqual([`#${id}`, 'Անի Պետրոսյան']);
    expect(card.entities.some((e) => e.type === 'blockquote')).toBe(true);
    expect(card.buttons.map((row) => row.map((b) => b.text))).toEqual([['✋ Վերցնել', '🚫 Հարց չէ'], ['🏷 Ոլորտ']]);
    expect(card.buttons.flat().every((b) => Buffer.byteLength(b.callbackData ?? '', 'utf8') <= 64)).toBe(true);

    // Delivered twice (webhook and poll): still one card.
    await h.service.ctx.producers.sendCards([id]);
    await h.service.ctx.producers.sendCard(id);
    await expect.poll(async () => (await h.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'prioritized', 'delayed')), { timeout: 5_000 }).toEqual({
      waiting: 0,
      active: 0,
      prioritized: 0,
      delayed: 0,
    });
    expect(h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.includes(`#${id} `))).toHaveLength(1);
    expect(await eventTypes(h.tdb.db, id)).toEqual(['ingested', 'card_sent']);
  });
});

describe('acting on a card', () => {
  it('claim, sector, release, dismiss: each changes the card, each is an event with its actor', async () => {
    await h.ingest(feedCommentPayload({ commentId: '900000000000001_702', message: 'Փողոցում լույս չկա արդեն երկու օր', createdTime: new Date('2026-11-28T10:10:00Z'), from: { id: '7000000000000002', name: 'Սոնա' } }));
    await expect.poll(() => h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_702').executeTakeFirst(), { timeout: 10_000 }).toBeDefined();
    const id = await inquiryIdOf('900000000000001_702');
    let card = await h.card(id);

    clock.set(new Date('2026-11-28T10:40:00Z'));
    const claimed = await h.press(people.ani, card, { text: '✋ Վերցնել' });
    expect(claimed?.text).toBe(`✅ Դուք վերցրիք #${id} հարցը`);
    card = await h.card(id, (c) => c.text.includes('🙋 Վերցրեց՝ Անի Պետրոսյան, 14:40'));
    expect(card.text.split('\n')[0]).toBe(`🙋 #${id} · Facebook · մեկնաբանություն · Facebook Page ${PAGE_ID}`);
    expect(card.buttons.map((row) => row.map((b) => b.text))).toEqual([['✍️ Պատասխանել', '↩️ Հրաժարվել'], ['🏷 Ոլորտ', '🚫 Հարց չէ'], ['👥 Փոխանցել']]);

    // Someone else presses the (stale) claim button: told who has it, nothing changes.
    const late = await h.press(people.aram, card, { data: `c:${id}`, unchecked: true });
    expect(late?.text).toBe('Այս հարցով արդեն զբաղվում է Անի Պետրոսյանը');

    // An agent cannot release someone else's inquiry.
    const notYours = await h.press(people.aram, card, { text: '↩️ Հրաժարվել' });
    expect(notYours).toMatchObject({ text: 'Այս հարցով զբաղվում է մեկ ուրիշը', showAlert: true });

    await h.press(people.ani, card, { text: '🏷 Ոլորտ' });
    const menu = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === card.messageId)!;
    expect(menu.buttons.flat().map((b) => b.text)).toContain('Արտաքին լուսավորություն');
    const set = await h.press(people.ani, menu, { text: 'Արտաքին լուսավորություն' });
    expect(set?.text).toBe('Ոլորտը՝ Արտաքին լուսավորություն');
    card = await h.card(id, (c) => c.text.includes('🏷 Ոլորտ՝ Արտաքին լուսավորություն') && c.buttons.length === 3);
    expect(card.text).not.toContain('(առաջարկ)');

    const released = await h.press(people.ani, card, { text: '↩️ Հրաժարվել' });
    expect(released?.text).toBe(`Դուք հրաժարվեցիք #${id} հարցից`);
    card = await h.card(id, (c) => c.text.startsWith('🆕'));

    await h.press(people.aram, card, { text: '🚫 Հարց չէ' });
    const reasons = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === card.messageId)!;
    expect(reasons.buttons.map((r) => r[0]!.text)).toEqual(['🚫 հարց չէ', '🚫 սպամ', '🚫 կրկնություն', '🚫 լուծվել է այլ կերպ', '⬅️ Հետ']);
    await h.press(people.aram, reasons, { text: '🚫 սպամ' });
    card = await h.card(id, (c) => c.text.includes('🚫 Փակեց՝ Արամ Սարգսյան · պատճառը՝ սպամ'));
    expect(card.buttons).toEqual([]);

    const events = await h.tdb.db.selectFrom('events').select(['type', 'actorStaffId', 'payload']).where('inquiryId', '=', id).orderBy('id').execute();
    const staffIds = Object.fromEntries((await h.tdb.db.selectFrom('staff').select(['id', 'telegramUserId']).execute()).map((s) => [s.telegramUserId, s.id]));
    expect(events.map((e) => [e.type, e.actorStaffId])).toEqual([
      ['ingested', null],
      ['card_sent', null],
      ['claimed', staffIds[people.ani.id]],
      ['sector_set', staffIds[people.ani.id]],
      ['released', staffIds[people.ani.id]],
      ['dismissed', staffIds[people.aram.id]],
    ]);
    // The refused release left a denied event, not tied to any inquiry row.
    const denied = await h.tdb.db.selectFrom('events').select(['actorStaffId', 'payload']).where('type', '=', 'denied').execute();
    expect(denied.map((d) => [d.actorStaffId, d.payload.action])).toContainEqual([staffIds[people.aram.id], 'release']);
  });
});

describe('a menu open on a card', () => {
  it('stays open while the card is refreshed with nothing changed, and gives way when the inquiry changes', async () => {
    await h.ingest(feedCommentPayload({ commentId: '900000000000001_719', from: { id: '7000000000000042', name: 'Գոռ Հակոբյան' }, message: 'Երբ կվերանորոգեն Մաշտոցի կանգառը', createdTime: new Date('2026-11-28T10:06:00Z') }));
    await expect.poll(() => h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_719').executeTakeFirst(), { timeout: 10_000 }).toBeDefined();
    const id = await inquiryIdOf('900000000000001_719');
    const card = await h.card(id);
    const updatesDone = async () => (await h.service.ctx.metrics.jobsProcessed.get()).values.filter((v) => v.labels.name === 'card.update').reduce((n, v) => n + v.value, 0);
    const shown = () => h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === card.messageId)!;

    await h.press(people.aram, card, { text: '🚫 Հարց չէ' });
    expect(shown().buttons.map((r) => r[0]!.text)).toContain('🚫 սպամ');
    // The same menu asked for again on the open menu (a double tap, a second person): still one menu over the card.
    await h.press(people.ani, { chatId: card.chatId, messageId: card.messageId }, { data: `dm:${id}`, unchecked: true });
    // A refresh queued by anything else (a late job of an earlier action, the reconciler) while the menu is open.
    const before = await updatesDone();
    await h.service.ctx.producers.updateCards([id]);
    await expect.poll(updatesDone, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(shown().buttons.map((r) => r[0]!.text)).toContain('🚫 սպամ');

    // The inquiry changes elsewhere (a sector set from another screen): the refresh shows it, the stale menu is gone.
    await h.tdb.db.updateTable('inquiries').set({ sectorCode: 'street_lighting' }).where('id', '=', id).execute();
    await h.service.ctx.producers.updateCards([id]);
    const changed = await h.card(id, (c) => c.text.includes('Արտաքին լուսավորություն') && !c.text.includes('(առաջարկ)'));
    expect(changed.buttons.map((r) => r.map((b) => b.text))).toEqual([['✋ Վերցնել', '🚫 Հարց չէ'], ['🏷 Ոլորտ']]);

    // A menu opened again, and closed with Back: the card's own buttons return though nothing else changed.
    await h.press(people.aram, changed, { text: '🚫 Հարց չէ' });
    expect(shown().buttons.map((r) => r[0]!.text)).toContain('⬅️ Հետ');
    await h.press(people.aram, shown(), { text: '⬅️ Հետ' });
    await h.card(id, (c) => c.buttons.flat().some((b) => b.text === '✋ Վերցնել'));
  });
});

describe('across restarts', () => {
  it('a sent card is never sent again, and one whose job was lost (Redis emptied, a crash before Telegram took it) is sent once', async () => {
    const before = h.fake.sent(STAFF_CHAT_ID).length;
    // A card row without a message: the process died before Telegram accepted the card.
    const orphan = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:20:00Z'), text: 'Կանգառում նստարան չկա' });
    await h.tdb.db.insertInto('telegramCards').values({ inquiryId: orphan.id, chatId: STAFF_CHAT_ID }).execute();

    await h.restart({ emptyQueues: true });
    await h.card(orphan.id);
    // The reconciler ran at start; once more for good measure.
    await h.restart();
    await expect.poll(async () => h.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'prioritized', 'delayed'), { timeout: 5_000 }).toEqual({
      waiting: 0,
      active: 0,
      prioritized: 0,
      delayed: 0,
    });
    expect(h.fake.sent(STAFF_CHAT_ID)).toHaveLength(before + 1);
    const cards = await h.tdb.db.selectFrom('telegramCards').select(['inquiryId', 'messageId']).execute();
    expect(new Set(cards.map((c) => c.messageId)).size).toBe(cards.length);
  });
});
