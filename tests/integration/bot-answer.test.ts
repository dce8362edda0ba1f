/**
 * Answering from Telegram: replying to the card in the group or to the
 * bot's private prompt, the preview "as it will be published" with public /
 * private where the platform allows it, the hand-off to `reply.deliver`,
 * and the result coming back (`reply.result`) on the card and to the
 * author, including a failed delivery and its retry button. The delivery
 * itself is the Facebook connector's; here its outcome is written the way
 * its worker writes it, and the whole path with the real worker is in
 * bot-whole-path.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cb, VISIBILITY_CODE } from '../../src/bots/callbacks.js';
import { insertEvent } from '../../src/db/repositories/event.repository.js';
import type { StaffRow } from '../../src/db/schema.js';
import { confirmDraft, createDraft, type ComposeDeps } from '../../src/inbox/compose-reply.workflow.js';
import { jobId } from '../../src/queue/jobs.js';
import { eventTypes, insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const clock = createTestClock(new Date('2026-11-28T11:00:00Z'));
let h: BotHarness;
let aniId: number;
let ani: StaffRow;
let boss: StaffRow;

beforeAll(async () => {
  h = await startBotHarness({ clock, env: { TELEGRAM_ADMIN_IDS: String(people.admin.id) } });
  ani = await insertStaffMember(h.tdb.db, people.ani, 'agent');
  aniId = ani.id;
  await insertStaffMember(h.tdb.db, people.aram, 'agent', 'en');
  boss = await insertStaffMember(h.tdb.db, people.boss, 'supervisor');
  await insertStaffMember(h.tdb.db, people.lilit, 'supervisor', 'ru');
});
afterAll(async () => {
  await h?.close();
});

/** What the Facebook connector's `reply.deliver` worker leaves behind, then its `reply.result`. */
async function delivered(replyId: number, outcome: { sentAt: Date } | { failed: string }): Promise<void> {
  const reply = await h.tdb.db.selectFrom('replies').selectAll().where('id', '=', replyId).executeTakeFirstOrThrow();
  await h.tdb.db.transaction().execute(async (trx) => {
    if ('sentAt' in outcome) {
      await trx.updateTable('replies').set({ status: 'sent', externalId: `fb-${replyId}`, sentAt: outcome.sentAt }).where('id', '=', replyId).execute();
      await trx
        .updateTable('inquiries')
        .set({ status: 'closed', answeredVia: 'telegram', answeredBy: reply.staffId, firstResponseAt: outcome.sentAt, closedAt: outcome.sentAt })
        .where('id', '=', reply.inquiryId)
        .execute();
      await insertEvent(trx, { type: 'answered', inquiryId: reply.inquiryId, payload: { via: 'telegram', replyId } });
    } else {
      await trx.updateTable('replies').set({ status: 'failed', failureReason: outcome.failed }).where('id', '=', replyId).execute();
      await insertEvent(trx, { type: 'reply_failed', inquiryId: reply.inquiryId, payload: { replyId, reason: outcome.failed } });
    }
  });
  await h.service.ctx.producers.replyResult(replyId);
}

describe('answering in the group', () => {
  it('reply to the card → preview → publish → pending reply and a delivery job; a failure comes back with a retry; then published', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:00:00Z'), text: 'Ե՞րբ կմիացնեն ջուրը Կոմիտասի 12-ում' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց'));

    // Someone else's answer to a claimed inquiry is refused.
    await h.write(people.aram, 'Ես եմ պատասխանում', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    expect(h.fake.lastSent(STAFF_CHAT_ID)!.text).toBe('Անի Պետրոսյան is already handling this inquiry');
    const denied = await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'denied').execute();
    expect(denied.map((d) => d.payload)).toEqual([expect.objectContaining({ action: 'answer', telegramUserId: people.aram.id, inquiryId: inquiry.id })]);
    expect(await h.tdb.db.selectFrom('replyDrafts').select('id').execute()).toEqual([]);

    const answer = 'Բարև ձեզ։ Ջուրը կմիացվի այսօր՝ ժամը 18:00-ին։ <Ջրմուղ> & Co 🙏';
    await h.write(people.ani, answer, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toBe(
      `👀 Այսպես կհրապարակվի Facebook-ում՝ ի պատասխան #${inquiry.id} մեկնաբանության․\n\n${answer}\n\n` +
        '«Անձնական նամակով»՝ պատասխանը կգնա հեղինակին անձնական նամակով և չի երևա մեկնաբանությունների մեջ։\n\nՀրապարակե՞լ։\n\n' +
        // The length as Facebook counts it: the emoji is two of the 62.
        'Նիշեր՝ 62 (առավելագույնը՝ 8000 հանրային պատասխանում, 2000՝ անձնական նամակում)' +
        // What the answer will do: final by default, with a button to make it interim.
        '\n✅ Վերջնական պատասխան՝ կփակի հարցը։',
    );
    expect(preview.buttons.map((r) => r.map((b) => b.text))).toEqual([['📢 Հրապարակել'], ['✉️ Անձնական նամակով'], ['⏳ Դարձնել միջանկյալ'], ['✖️ Չեղարկել']]);

    // Only the author confirms their draft.
    const foreign = await h.press(people.aram, preview, { text: '📢 Հրապարակել' });
    expect(foreign).toMatchObject({ showAlert: true });
    expect(await h.tdb.db.selectFrom('replies').select('id').execute()).toEqual([]);

    clock.set(new Date('2026-11-28T11:05:00Z'));
    const published = await h.press(people.ani, preview, { text: '📢 Հրապարակել' });
    expect(published?.text).toBe('⏳ Պատասխանն ուղարկվում է…');
    // Pressing again (a double tap, a replay) makes no second reply.
    await h.press(people.ani, preview, { data: preview.buttons[0]![0]!.callbackData!, unchecked: true });
    const replies = await h.tdb.db.selectFrom('replies').selectAll().execute();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ inquiryId: inquiry.id, staffId: aniId, visibility: 'public', text: answer, status: 'pending' });
    expect(await h.service.ctx.queues.deliver.getJob(jobId.replyDeliver(replies[0]!.id))).toBeDefined();
    expect(h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === preview.messageId)!.text).toMatch(/⏳ Պատասխանն ուղարկվում է…$/);
    await h.card(inquiry.id, (c) => c.text.includes('⏳ Պատասխանն ուղարկվում է (հեղինակ՝ Անի Պետրոսյան)…'));

    // Delivery failed for good: the card says why and offers a retry; the author is told privately.
    await delivered(replies[0]!.id, { failed: 'Facebook refused: the comment was deleted (#100)' });
    card = await h.card(inquiry.id, (c) => c.text.includes('⚠️ Պատասխանը չհրապարակվեց՝ Facebook refused: the comment was deleted (#100)'));
    expect(card.buttons[0]!.map((b) => b.text)).toEqual(['🔁 Կրկին փորձել', '✍️ Պատասխանել']);
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, { timeout: 10_000 }).toBe(
      `⚠️ Ձեր պատասխանը #${inquiry.id} հարցին չհրապարակվեց՝ Facebook refused: the comment was deleted (#100)`,
    );

    const retried = await h.press(people.ani, card, { text: '🔁 Կրկին փորձել' });
    expect(retried?.text).toBe('🔁 Կրկին ուղարկում ենք');
    const again = await h.tdb.db.selectFrom('replies').selectAll().orderBy('id').execute();
    expect(again.map((r) => r.status)).toEqual(['failed', 'pending']);
    expect(again[1]!.text).toBe(answer);
    expect(await h.service.ctx.queues.deliver.getJob(jobId.replyDeliver(again[1]!.id))).toBeDefined();

    // Published 1 h 12 min after the citizen asked.
    await delivered(again[1]!.id, { sentAt: new Date('2026-11-28T11:12:00Z') });
    card = await h.card(inquiry.id, (c) => c.text.includes('✅ Պատասխանեց՝ Անի Պետրոսյան · 1 ժ 12 ր-ում · հանրային պատասխան Facebook-ում · տեսնել'));
    expect(card.text.split('\n')[0]).toBe(`✅ #${inquiry.id} · Facebook · մեկնաբանություն`);
    expect(card.buttons.map((r) => r.map((b) => b.text))).toEqual([['🏷 Ոլորտ']]);
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, { timeout: 10_000 }).toBe(`✅ Ձեր պատասխանը #${inquiry.id} հարցին հրապարակվեց Facebook-ում։`);
    // With a link to where it was published, and to the card.
    expect(h.privateMessages(people.ani.id).at(-1)!.buttons.flat()).toEqual([
      { text: 'Բացել Facebook-ում', url: inquiry.permalink },
      { text: '📄 Քարտը', url: `https://t.me/c/1234567890/${card.messageId}` },
    ]);

    expect(await eventTypes(h.tdb.db, inquiry.id)).toEqual([
      'ingested',
      'card_sent',
      'claimed',
      'answer_drafted',
      'reply_created',
      'reply_failed',
      'reply_retried',
      'answered',
    ]);
  });
});

describe('answering in private', () => {
  it('the answer button opens a prompt; the reply to it is previewed; a Messenger inquiry can only be answered privately; cancel keeps nothing', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, {
      postedAt: new Date('2026-11-28T10:30:00Z'),
      kind: 'message',
      threadId: 't_5550001',
      permalink: null,
      text: 'Ողջույն, ինչպե՞ս ստանալ սոցիալական աջակցություն',
    });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    expect(card.text).toContain('💬 Անձնական նամակ');
    await h.press(people.aram, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Արամ Սարգսյան'));

    const toast = await h.press(people.aram, card, { text: '✍️ Պատասխանել' });
    expect(toast?.text).toBe('Write your answer in the private chat with the bot');
    const prompt = h.privateMessages(people.aram.id).at(-1)!;
    expect(prompt.text).toBe(`✍️ Write your answer to #${inquiry.id} as a reply to this message.\n\nՈղջույն, ինչպե՞ս ստանալ սոցիալական աջակցություն`);
    const promptRequest = h.fake.requestsFor('sendMessage').at(-1)!;
    expect(promptRequest.params.reply_markup).toEqual({ force_reply: true });

    await h.write(people.aram, 'Please visit the social service office, Tigran Mets 4, room 12.', { replyTo: prompt.messageId });
    const preview = h.privateMessages(people.aram.id).at(-1)!;
    expect(preview.text).toBe(
      `👀 This is how it will be sent to the author of #${inquiry.id} as a private Facebook message:\n\nPlease visit the social service office, Tigran Mets 4, room 12.\n\nSend?\n\nCharacters: 63 (at most 2000)\n✅ Final answer: it closes the inquiry.`,
    );
    expect(preview.buttons.map((r) => r.map((b) => b.text))).toEqual([['✉️ Send'], ['⏳ Make it interim'], ['✖️ Cancel']]);
    await h.press(people.aram, preview, { text: '✖️ Cancel' });
    expect(h.privateMessages(people.aram.id).find((m) => m.messageId === preview.messageId)!.text).toMatch(/\n\n✖️ Cancelled$/);
    const drafts = await h.tdb.db.selectFrom('replyDrafts').selectAll().where('inquiryId', '=', inquiry.id).execute();
    expect(drafts.map((d) => d.status)).toEqual(['cancelled']);
    expect(await h.tdb.db.selectFrom('replies').select('id').where('inquiryId', '=', inquiry.id).execute()).toEqual([]);
  });

  it('an answer button pressed by someone whose private chat is closed says how to open it', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:40:00Z') });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋'));
    h.fake.block(people.ani.id);
    try {
      const toast = await h.press(people.ani, card, { text: '✍️ Պատասխանել' });
      expect(toast).toMatchObject({ text: 'Նախ բացեք զրույցը բոտի հետ և սեղմեք Start, հետո կրկին փորձեք', showAlert: true });
    } finally {
      h.fake.unblock(people.ani.id);
    }
  });
});

describe('one answer at a time', () => {
  const draftsOf = (inquiryId: number) => h.tdb.db.selectFrom('replyDrafts').select(['id', 'staffId', 'status']).where('inquiryId', '=', inquiryId).orderBy('id').execute();
  const repliesOf = (inquiryId: number) => h.tdb.db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).orderBy('id').execute();

  it('a second author cannot publish while an answer is on its way and is told whose it is, in their language; a reply to the card that hides Answer makes no draft', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:50:00Z'), text: 'Ե՞րբ կվերանորոգեն բակի խաղահրապարակը' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Անի Պետրոսյան'));

    // The claimant writes an answer and leaves its preview open; a supervisor writes another and publishes it.
    await h.write(people.ani, 'Աշխատանքները կսկսվեն գարնանը։', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const aniPreview = h.fake.lastSent(STAFF_CHAT_ID)!;
    await h.write(people.boss, 'Խաղահրապարակը կվերանորոգվի ապրիլին։', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const bossPreview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(bossPreview.messageId).not.toBe(aniPreview.messageId);
    expect((await h.press(people.boss, bossPreview, { text: '📢 Հրապարակել' }))?.text).toBe('⏳ Պատասխանն ուղարկվում է…');
    card = await h.card(inquiry.id, (c) => c.text.includes('⏳ Պատասխանն ուղարկվում է (հեղինակ՝ Գոհար Մանուկյան)…'));
    expect(card.buttons.flat().map((b) => b.text)).toEqual(['🏷 Ոլորտ']);

    // The claimant's open preview cannot publish a second answer: she is told who is answering.
    const refused = await h.press(people.ani, aniPreview, { text: '📢 Հրապարակել' });
    expect(refused).toMatchObject({ text: 'Այս հարցին արդեն պատասխանում է Գոհար Մանուկյանը․ պատասխանն ուղարկվում է', showAlert: true });
    expect((await repliesOf(inquiry.id)).map((r) => [r.staffId, r.status])).toEqual([[boss.id, 'pending']]);

    // The card hides Answer, so a reply to it cannot start one: no draft, and the reason, in each person's language.
    const drafts = await draftsOf(inquiry.id);
    await h.write(people.ani, 'Եվս մեկ պատասխան', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    expect(h.fake.lastSent(STAFF_CHAT_ID)!.text).toBe('Այս հարցին արդեն պատասխանում է Գոհար Մանուկյանը․ պատասխանն ուղարկվում է');
    await h.write(people.lilit, 'Ещё один ответ', { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    expect(h.fake.lastSent(STAFF_CHAT_ID)!.text).toBe('На этот вопрос уже отвечает Գոհար Մանուկյան: ответ отправляется');
    // …nor does a press of the Answer button from a keyboard shown before (a client that did not refresh the card).
    const viaButton = await h.press(people.lilit, card, { data: cb.answer.build({ id: inquiry.id }), unchecked: true });
    expect(viaButton).toMatchObject({ text: 'На этот вопрос уже отвечает Գոհար Մանուկյան: ответ отправляется', showAlert: true });
    expect(h.privateMessages(people.lilit.id)).toEqual([]);
    expect(await draftsOf(inquiry.id)).toEqual(drafts);

    // Once that answer has failed, the inquiry can be answered again (several replies over time, one in flight).
    await delivered((await repliesOf(inquiry.id))[0]!.id, { failed: 'Facebook refused: the comment was deleted (#100)' });
    await h.card(inquiry.id, (c) => c.text.includes('⚠️ Պատասխանը չհրապարակվեց'));
    expect((await h.press(people.ani, aniPreview, { text: '📢 Հրապարակել' }))?.text).toBe('⏳ Պատասխանն ուղարկվում է…');
    expect((await repliesOf(inquiry.id)).map((r) => [r.staffId, r.status])).toEqual([
      [boss.id, 'failed'],
      [aniId, 'pending'],
    ]);
  });

  it('of two authors confirming at the same moment, one answer goes out and the other is told whose', async () => {
    const deps: ComposeDeps = { db: h.tdb.db, producers: h.service.ctx.producers, config: h.config };
    const now = clock.now();
    for (let round = 0; round < 3; round++) {
      const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:55:00Z'), claimedBy: aniId });
      const mine = await createDraft(deps, { inquiryId: inquiry.id, staff: ani, text: 'Կստուգենք և կպատասխանենք։', now });
      const theirs = await createDraft(deps, { inquiryId: inquiry.id, staff: boss, text: 'Ստուգում ենք։', now });
      if (!mine.ok || !theirs.ok) throw new Error('both may write an answer');
      const outcomes = await Promise.all([
        confirmDraft(deps, { draftId: mine.draft.id, staff: ani, visibility: 'public', now }),
        confirmDraft(deps, { draftId: theirs.draft.id, staff: boss, visibility: 'public', now }),
      ]);
      expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
      const winner = outcomes[0]!.ok ? ani : boss;
      expect(outcomes.find((o) => !o.ok)).toMatchObject({ ok: false, reason: 'answering', author: { id: winner.id, name: winner.name }, awaitingApproval: false });
      expect((await repliesOf(inquiry.id)).map((r) => [r.staffId, r.status])).toEqual([[winner.id, 'pending']]);
    }
  });

  it('the database holds one pending reply per inquiry; sent and failed ones over time are fine', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:56:00Z'), claimedBy: aniId });
    const insert = (text: string) =>
      h.tdb.db.insertInto('replies').values({ inquiryId: inquiry.id, staffId: aniId, visibility: 'public', text }).returning('id').executeTakeFirstOrThrow();
    const first = await insert('Առաջինը');
    await expect(insert('Երկրորդը')).rejects.toMatchObject({ code: '23505' });
    await h.tdb.db.updateTable('replies').set({ status: 'failed', failureReason: 'test' }).where('id', '=', first.id).execute();
    const second = await insert('Երկրորդը');
    await h.tdb.db.updateTable('replies').set({ status: 'sent', externalId: `fb-${second.id}`, sentAt: new Date() }).where('id', '=', second.id).execute();
    await insert('Երրորդը');
    expect((await repliesOf(inquiry.id)).map((r) => r.status)).toEqual(['failed', 'sent', 'pending']);
  });
});

describe('length limits, before the preview is confirmed', () => {
  it('a Messenger answer over 2,000 characters cannot be sent: the preview shows the count and what to do; a shorter one in reply to it can', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:58:00Z'), kind: 'message', threadId: 't_5550002', permalink: null });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.aram, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Արամ Սարգսյան'));
    await h.press(people.aram, card, { text: '✍️ Պատասխանել' });
    const prompt = h.privateMessages(people.aram.id).at(-1)!;

    // 2,001 Armenian letters: 2,001 characters (4,002 bytes in UTF-8), one too many.
    const tooLong = 'Ա'.repeat(2001);
    await h.write(people.aram, tooLong, { replyTo: prompt.messageId });
    const preview = h.privateMessages(people.aram.id).at(-1)!;
    expect(preview.text).toBe(
      `👀 This is how it will be sent to the author of #${inquiry.id} as a private Facebook message:\n\n${tooLong}\n\n` +
        'Characters: 2001 (at most 2000)\n⛔ Too long (1 over the limit): shorten it and send the new text as a reply to this message.',
    );
    expect(preview.buttons.map((r) => r.map((b) => b.text))).toEqual([['✖️ Cancel']]);
    // A forged or stale publish press is refused the same way.
    const [draft] = await h.tdb.db.selectFrom('replyDrafts').select('id').where('inquiryId', '=', inquiry.id).execute();
    const forced = await h.press(people.aram, preview, { data: cb.publish.build({ draft: draft!.id, visibility: VISIBILITY_CODE.private }), unchecked: true });
    expect(forced).toMatchObject({ text: 'Too long: 2001 characters, at most 2000. Shorten it and send the new text as a reply to the preview', showAlert: true });
    expect(await h.tdb.db.selectFrom('replies').select('id').where('inquiryId', '=', inquiry.id).execute()).toEqual([]);

    // Exactly 2,000 fits.
    const fits = `${'Բ'.repeat(1998)}։)`;
    await h.write(people.aram, fits, { replyTo: preview.messageId });
    const second = h.privateMessages(people.aram.id).at(-1)!;
    expect(second.text).toMatch(/\n\nSend\?\n\nCharacters: 2000 \(at most 2000\)\n✅ Final answer: it closes the inquiry\.$/);
    expect(second.buttons.map((r) => r.map((b) => b.text))).toEqual([['✉️ Send'], ['⏳ Make it interim'], ['✖️ Cancel']]);
    expect((await h.press(people.aram, second, { text: '✉️ Send' }))?.text).toBe('⏳ Sending the answer…');
    expect(await h.tdb.db.selectFrom('replies').select(['text', 'status', 'visibility']).where('inquiryId', '=', inquiry.id).execute()).toEqual([
      { text: fits, status: 'pending', visibility: 'private' },
    ]);
  });

  it('a comment answer may be longer in public (8,000) than in private (2,000); past 8,000 it cannot be published at all', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T10:59:00Z') });
    await h.service.ctx.producers.sendCard(inquiry.id);
    let card = await h.card(inquiry.id);
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiry.id, (c) => c.text.includes('🙋 Վերցրեց՝ Անի Պետրոսյան'));

    await h.write(people.ani, 'Ջ'.repeat(2500), { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toMatch(
      /\n\nՀրապարակե՞լ։\n\nՆիշեր՝ 2500 \(առավելագույնը՝ 8000 հանրային պատասխանում, 2000՝ անձնական նամակում\)\n⚠️ Անձնական նամակի համար չափազանց երկար է \(առավելագույնը՝ 2000 նիշ\)․ հրապարակեք հանրային պատասխանով կամ կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով այս հաղորդագրությանը։\n✅ Վերջնական պատասխան՝ կփակի հարցը։$/,
    );
    expect(preview.buttons.map((r) => r.map((b) => b.text))).toEqual([['📢 Հրապարակել'], ['⏳ Դարձնել միջանկյալ'], ['✖️ Չեղարկել']]);

    await h.write(people.ani, 'Ջ'.repeat(8001), { chat: STAFF_CHAT_ID, replyTo: preview.messageId });
    const second = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(second.text).toMatch(
      /Ջ…\n\n\(նախադիտումը կրճատված է, կհրապարակվի ամբողջությամբ\)\nՆիշեր՝ 8001 \(առավելագույնը՝ 8000 հանրային պատասխանում, 2000՝ անձնական նամակում\)\n⛔ Չափազանց երկար է \(1 նիշ ավել\)․ կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով այս հաղորդագրությանը։$/,
    );
    expect(second.buttons.map((r) => r.map((b) => b.text))).toEqual([['✖️ Չեղարկել']]);
    const drafts = await h.tdb.db.selectFrom('replyDrafts').select(['id', 'status']).where('inquiryId', '=', inquiry.id).orderBy('id').execute();
    expect(drafts.map((d) => d.status)).toEqual(['cancelled', 'draft']);
    const forced = await h.press(people.ani, second, { data: cb.publish.build({ draft: drafts[1]!.id, visibility: VISIBILITY_CODE.public }), unchecked: true });
    expect(forced).toMatchObject({ text: 'Չափազանց երկար է՝ 8001 նիշ, առավելագույնը՝ 8000։ Կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով նախադիտմանը', showAlert: true });
    expect(await h.tdb.db.selectFrom('replies').select('id').where('inquiryId', '=', inquiry.id).execute()).toEqual([]);
  });
});

describe('admin alerts', () => {
  it('reach every admin: TELEGRAM_ADMIN_IDS and staff with the role admin', async () => {
    const second = await insertStaffMember(h.tdb.db, { id: 5099, first_name: 'Admin', last_name: 'Two' }, 'admin', 'en');
    await h.service.ctx.producers.adminAlert({ kind: 'source_paused', sourceId: 1, message: 'Facebook refused the Page token (190). Set a new FACEBOOK_PAGE_ACCESS_TOKEN & run "ardzagank sources resume 1".' }, 'source-paused-1-1');
    await expect.poll(() => h.privateMessages(second.telegramUserId).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => h.privateMessages(people.admin.id).length, { timeout: 10_000 }).toBe(1);
    expect(h.privateMessages(second.telegramUserId)[0]!.text).toBe(
      '⚠️ For the admins\n\nFacebook refused the Page token (190). Set a new FACEBOOK_PAGE_ACCESS_TOKEN & run "ardzagank sources resume 1".',
    );
    expect(h.privateMessages(people.admin.id)[0]!.text).toMatch(/^⚠️ Ադմինիստրատորների ուշադրությանը\n\nFacebook refused/);
    // The same occasion again alerts nobody twice.
    await h.service.ctx.producers.adminAlert({ kind: 'source_paused', sourceId: 1, message: 'again' }, 'source-paused-1-1');
    await expect.poll(() => h.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'prioritized', 'delayed'), { timeout: 10_000 }).toEqual({
      waiting: 0,
      active: 0,
      prioritized: 0,
      delayed: 0,
    });
    expect(h.privateMessages(second.telegramUserId)).toHaveLength(1);
    const notices = await h.tdb.db.selectFrom('telegramNotices').select('chatId').where('kind', '=', 'admin.alert').execute();
    expect(notices.map((n) => n.chatId).sort()).toEqual([people.admin.id, second.telegramUserId].sort());
  });
});
