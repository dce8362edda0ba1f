/**
 * Supervisors: with REQUIRE_APPROVAL an agent's answer waits for a
 * supervisor, who sends it back with a comment or approves it (only then is
 * a reply created and delivered); a supervisor also reassigns inquiries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/queue/jobs.js';
import { eventTypes, insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { STAFF_CHAT_ID, startBotHarness, type BotHarness } from '../support/bot-harness.js';

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness({ env: { REQUIRE_APPROVAL: 'true' } });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.aram, 'agent');
  await insertStaffMember(h.tdb.db, people.boss, 'supervisor');
});
afterAll(async () => {
  await h?.close();
});

describe('REQUIRE_APPROVAL', () => {
  it('an agent submits, the supervisor sends it back with a comment, the agent rewrites, the supervisor approves: one reply, delivered', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:00:00Z'), text: 'Ինչու՞ է թանկացել աղբահանության վարձը' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);

    // Replying to an unclaimed card claims it on the way.
    await h.write(people.ani, 'Վարձը չի թանկացել', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toMatch(/Հրապարակե՞լ։\n\nՆիշեր՝ 17 \(առավելագույնը՝ 8000 հանրային պատասխանում, 2000՝ անձնական նամակում\)\nՊատասխանը նախ կհաստատի բաժնի պետը։\n✅ Վերջնական պատասխան՝ կփակի հարցը։$/);
    expect(preview.buttons.map((r) => r.map((b) => b.text))).toEqual([['📨 Հաստատման (հանրային)'], ['📨 Հաստատման (անձնական)'], ['⏳ Դարձնել միջանկյալ'], ['✖️ Չեղարկել']]);
    await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Անի Պետրոսյան'));
    await h.press(people.ani, preview, { text: '📨 Հաստատման (հանրային)' });
    expect(await h.tdb.db.selectFrom('replies').select('id').execute()).toEqual([]);
    await h.card(inquiry.id, (c) => c.text.includes('📝 Պատասխանը սպասում է հաստատման (հեղինակ՝ Անի Պետրոսյան)'));

    let request = await waitForPrivate(people.boss.id, (t) => t.startsWith(`📝 Պատասխան #${inquiry.id} հարցին`));
    expect(request.text).toBe(`📝 Պատասխան #${inquiry.id} հարցին՝ հաստատման համար (հեղինակ՝ Անի Պետրոսյան)․\n\nՎարձը չի թանկացել`);
    // An agent cannot approve.
    const agentTry = await h.press(people.aram, request, { text: '✅ Հաստատել' });
    expect(agentTry).toMatchObject({ text: 'Այս գործողությունը ձեզ հասանելի չէ', showAlert: true });

    await h.press(people.boss, request, { text: '↩️ Վերադարձնել' });
    const commentPrompt = h.privateMessages(people.boss.id).at(-1)!;
    expect(commentPrompt.text).toBe(`↩️ Գրեք՝ ինչ փոխել #${inquiry.id} հարցի պատասխանում (պատասխանեք այս հաղորդագրությանը)։`);
    await h.write(people.boss, 'Նշեք որոշման համարը և ամսաթիվը', { replyTo: commentPrompt.messageId });
    expect(h.privateMessages(people.boss.id).at(-1)!.text).toBe('↩️ Վերադարձվեց հեղինակին');
    const returned = await waitForPrivate(people.ani.id, (t) => t.startsWith('↩️'));
    expect(returned.text).toBe(`↩️ Ձեր պատասխանը #${inquiry.id} հարցին վերադարձվեց (Գոհար Մանուկյան)․\n\nՆշեք որոշման համարը և ամսաթիվը\n\nԳրեք նոր տարբերակը։`);
    expect(returned.buttons.flat().map((b) => b.text)).toEqual(['✍️ Գրել նորից', '📄 Քարտը']);

    // The agent writes again in reply to that message.
    await h.write(people.ani, 'Վարձը չի թանկացել. ավագանու 2026-ի մարտի 3-ի N 12-Ն որոշում', { replyTo: returned.messageId });
    const second = h.privateMessages(people.ani.id).at(-1)!;
    await h.press(people.ani, second, { text: '📨 Հաստատման (հանրային)' });
    request = await waitForPrivate(people.boss.id, (t) => t.includes('N 12-Ն'));
    await h.press(people.boss, request, { text: '✅ Հաստատել' });
    expect(h.privateMessages(people.boss.id).find((m) => m.messageId === request.messageId)!.text).toMatch(/\n\n✅ Հաստատեց՝ Գոհար Մանուկյան$/);
    // A second supervisor press finds it decided.
    const late = await h.press(people.boss, request, { data: request.buttons.flat()[0]?.callbackData ?? `ap:2`, unchecked: true });
    expect(late?.text).toBe('Այս կոճակն այլևս չի գործում');

    const replies = await h.tdb.db.selectFrom('replies').selectAll().execute();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ status: 'pending', visibility: 'public', text: 'Վարձը չի թանկացել. ավագանու 2026-ի մարտի 3-ի N 12-Ն որոշում' });
    expect(await h.service.ctx.queues.deliver.getJob(jobId.replyDeliver(replies[0]!.id))).toBeDefined();
    await waitForPrivate(people.ani.id, (t) => t === `✅ Ձեր պատասխանը #${inquiry.id} հարցին հաստատվեց (Գոհար Մանուկյան) և ուղարկվում է։`);
    await h.card(inquiry.id, (c) => c.text.includes('⏳ Պատասխանն ուղարկվում է'));

    const staff = Object.fromEntries((await h.tdb.db.selectFrom('staff').select(['id', 'telegramUserId']).execute()).map((s) => [s.telegramUserId, s.id]));
    const trail = await h.tdb.db.selectFrom('events').select(['type', 'actorStaffId']).where('inquiryId', '=', inquiry.id).orderBy('id').execute();
    expect(trail.map((e) => [e.type, e.actorStaffId])).toEqual([
      ['ingested', null],
      ['card_sent', null],
      ['claimed', staff[people.ani.id]],
      ['answer_drafted', staff[people.ani.id]],
      ['answer_submitted', staff[people.ani.id]],
      ['answer_returned', staff[people.boss.id]],
      ['answer_drafted', staff[people.ani.id]],
      ['answer_submitted', staff[people.ani.id]],
      ['reply_created', staff[people.boss.id]],
      ['answer_approved', staff[people.boss.id]],
    ]);
  });

  it('a supervisor answers without approval', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:30:00Z') });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    await h.write(people.boss, 'Շնորհակալություն, կստուգենք', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.buttons[0]![0]!.text).toBe('📢 Հրապարակել');
    await h.press(people.boss, preview, { text: '📢 Հրապարակել' });
    expect(await h.tdb.db.selectFrom('replies').select('status').where('inquiryId', '=', inquiry.id).execute()).toEqual([{ status: 'pending' }]);
  });
});

describe('one answer at a time, with approval', () => {
  it('while an answer awaits approval nobody starts another: not its author replying to her preview, not a supervisor replying to the card', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:45:00Z'), text: 'Ե՞րբ կբացվի նոր դպրոցը' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    await h.write(people.ani, 'Սեպտեմբերին', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    await h.press(people.ani, preview, { text: '📨 Հաստատման (հանրային)' });
    const waiting = await h.card(inquiry.id, (c) => c.text.includes('📝 Պատասխանը սպասում է հաստատման (հեղինակ՝ Անի Պետրոսյան)'));
    expect(waiting.buttons.flat().map((b) => b.text)).toEqual(['🏷 Ոլորտ']);

    // A second version from the author would be a second answer for the supervisors to approve.
    await h.write(people.ani, 'Սեպտեմբերի 1-ին', { chat: STAFF_CHAT_ID, replyTo: preview.messageId });
    expect(h.fake.lastSent(STAFF_CHAT_ID)!.text).toBe('Ձեր պատասխանն այս հարցին արդեն սպասում է հաստատման');
    // The card hides Answer, and a reply to it is refused the same way.
    await h.write(people.boss, 'Ես կպատասխանեմ', { chat: STAFF_CHAT_ID, replyTo: waiting.messageId });
    expect(h.fake.lastSent(STAFF_CHAT_ID)!.text).toBe('Այս հարցին արդեն պատասխանում է Անի Պետրոսյանը․ պատասխանը սպասում է հաստատման');
    const drafts = await h.tdb.db.selectFrom('replyDrafts').select(['staffId', 'status']).where('inquiryId', '=', inquiry.id).execute();
    expect(drafts.map((d) => d.status)).toEqual(['awaiting_approval']);

    const request = await waitForPrivate(people.boss.id, (t) => t.startsWith(`📝 Պատասխան #${inquiry.id} հարցին`));
    await h.press(people.boss, request, { text: '✅ Հաստատել' });
    expect(await h.tdb.db.selectFrom('replies').select(['text', 'status']).where('inquiryId', '=', inquiry.id).execute()).toEqual([{ text: 'Սեպտեմբերին', status: 'pending' }]);
  });
});

describe('reassigning', () => {
  it('a supervisor gives a claimed inquiry to someone else, who is told; agents cannot', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T09:00:00Z') });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋'));

    const refused = await h.press(people.aram, card, { text: '👥 Փոխանցել' });
    expect(refused?.showAlert).toBe(true);

    await h.press(people.boss, card, { text: '👥 Փոխանցել' });
    const menu = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === card.messageId)!;
    expect(menu.buttons.flat().map((b) => b.text)).toEqual(['👤 Արամ Սարգսյան', '👤 Գոհար Մանուկյան', '⬅️ Հետ']);
    const done = await h.press(people.boss, menu, { text: '👤 Արամ Սարգսյան' });
    expect(done?.text).toBe(`#${inquiry.id} հարցը փոխանցվեց՝ Արամ Սարգսյան`);
    await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Արամ Սարգսյան') && c.buttons.length === 3);
    await waitForPrivate(people.aram.id, (t) => t === `👥 Ձեզ փոխանցվեց #${inquiry.id} հարցը (փոխանցեց՝ Գոհար Մանուկյան)։`);
    expect((await eventTypes(h.tdb.db, inquiry.id)).at(-1)).toBe('reassigned');
  });
});

async function waitForPrivate(personId: number, match: (text: string) => boolean) {
  let found: ReturnType<BotHarness['privateMessages']>[number] | undefined;
  await expect.poll(() => (found = h.privateMessages(personId).findLast((m) => match(m.text))), { timeout: 10_000, interval: 20 }).toBeDefined();
  return found!;
}
