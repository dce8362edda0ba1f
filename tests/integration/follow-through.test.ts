/**
 * Follow-through end to end (issue 18), through the real composition with
 * the real Graph SDK against the Graph API stand-in and the real telegraf
 * against the Bot API stand-in: an interim answer then the final one on one
 * inquiry (two replies on Facebook, one first response, one closure); a
 * correction published to the closed inquiry; the citizen's follow-up within
 * FOLLOW_UP_WINDOW reopening it (its handler told); and a reminder when the
 * resolution target passes with only an interim answer; and (ASK_IF_SOLVED)
 * the citizen asked once, privately, whether it was solved, a "no"
 * reopening the inquiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { eventTypes, insertStaffMember, people } from '../factories/staff.factory.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const yerevan = (local: string) => new Date(`${local}+04:00`);
const clock = createTestClock(yerevan('2026-11-23T10:00:00')); // Monday
const WAIT = { timeout: 15_000, interval: 20 };
let graph: GraphApiFake;
let h: BotHarness;
let run = 0;
const lusine = { id: '7500000000000001', name: 'Լուսինե Ավագյան' };
const armen = { id: '7500000000000002', name: 'Արմեն Սարգսյան' };

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN }, now: clock.now });
  h = await startBotHarness({
    clock,
    http: true,
    env: {
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      SLA_CLOCK: 'business',
      SLA_FIRST_RESPONSE: '4h',
      SLA_RESOLUTION: '1d',
      FOLLOW_UP_WINDOW: '3d',
      ASK_IF_SOLVED: 'on',
      ASK_IF_SOLVED_AFTER: '2d',
    },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.boss, 'supervisor', 'en');
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

/** A citizen's comment on `postId`, delivered to our webhook, signed; returns its inquiry. */
async function comment(postId: string, message: string, at: Date, from = lusine): Promise<{ commentId: string; inquiryId: number }> {
  const c = graph.addComment({ postId, message, from, created_time: at });
  const body = facebookJson(feedCommentPayload({ commentId: c.id, postId, message, createdTime: at, from }));
  const hook = await fetch(`${h.service.address}/webhooks/facebook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) },
    body,
  });
  expect(hook.status).toBe(200);
  let inquiryId: number | undefined;
  await expect
    .poll(async () => {
      const message = await h.tdb.db.selectFrom('inquiryMessages').select('inquiryId').where('externalId', '=', c.id).executeTakeFirst();
      return (inquiryId = message?.inquiryId);
    }, WAIT)
    .toBeDefined();
  return { commentId: c.id, inquiryId: inquiryId! };
}

const inquiryRow = (id: number) => h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const pageReplies = (commentId: string) => graph.commentsOn(commentId).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message);

/** `ani` replies to the card with `text`, optionally changes what it is, and publishes it publicly at `at`. */
async function answer(inquiryId: number, text: string, at: Date, kindButton?: string): Promise<void> {
  const card = await h.card(inquiryId);
  await h.write(people.ani, text, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
  let preview = h.fake.lastSent(STAFF_CHAT_ID)!;
  expect(preview.text).toContain(text);
  if (kindButton) {
    await h.press(people.ani, preview, { text: kindButton });
    preview = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === preview.messageId)!;
  }
  clock.set(at);
  await h.press(people.ani, preview, { text: '📢 Հրապարակել' });
}

async function checkRemindersAt(at: Date): Promise<void> {
  clock.set(at);
  const job = await h.service.ctx.queues.schedule.add('reminders.check', { reason: 'manual' }, { jobId: `test-follow-reminders-${++run}` });
  await expect.poll(async () => job.getState(), WAIT).toBe('completed');
  await expect
    .poll(() => h.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'prioritized', 'delayed'), WAIT)
    .toEqual({ waiting: 0, active: 0, prioritized: 0, delayed: 0 });
}

describe('interim and final answers', () => {
  let inquiryId: number;
  let commentId: string;
  let postId: string;

  it('an interim answer, then the final one: two replies on Facebook, one first response, one closure', async () => {
    const post = graph.seedPost({ message: 'Ջրամատակարարման աշխատանքներ', created_time: yerevan('2026-11-22T12:00:00') });
    postId = post.id;
    ({ commentId, inquiryId } = await comment(post.id, 'Կոմիտասի 12-ում երեք օր է ջուր չկա', yerevan('2026-11-23T10:00:00')));
    let card = await h.card(inquiryId);
    clock.set(yerevan('2026-11-23T10:10:00'));
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiryId, (c) => c.text.includes('🙋'));

    // The preview says what the answer will do: final by default; the staff member makes it interim.
    const interim = 'Ստուգում ենք, վթարային խումբը ճանապարհին է։';
    await h.write(people.ani, interim, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toMatch(/\n✅ Վերջնական պատասխան՝ կփակի հարցը։$/);
    await h.press(people.ani, preview, { text: '⏳ Դարձնել միջանկյալ' });
    const changed = h.fake.sent(STAFF_CHAT_ID).find((m) => m.messageId === preview.messageId)!;
    expect(changed.text).toMatch(/\n⏳ Միջանկյալ պատասխան՝ առաջին արձագանքը․ հարցը բաց կմնա վերջնական պատասխանի համար։$/);
    expect(changed.buttons.map((r) => r.map((b) => b.text))).toEqual([['📢 Հրապարակել'], ['✉️ Անձնական նամակով'], ['✅ Դարձնել վերջնական'], ['✖️ Չեղարկել']]);
    clock.set(yerevan('2026-11-23T10:20:00'));
    await h.press(people.ani, changed, { text: '📢 Հրապարակել' });
    await expect.poll(() => pageReplies(commentId), WAIT).toEqual([interim]);

    // The first response is recorded; the inquiry stays open for the final answer, on its resolution clock.
    card = await h.card(inquiryId, (c) => c.text.includes('⏳ Տրված է միայն միջանկյալ պատասխան'));
    expect(card.text).toContain('վերջնականի ժամկետը՝ 24.11 10:00'); // one business day after Monday 10:00
    expect(card.buttons.map((r) => r.map((b) => b.text))).toEqual([['✍️ Պատասխանել', '🏷 Ոլորտ']]);
    let row = await inquiryRow(inquiryId);
    expect(row).toMatchObject({ status: 'answered', answeredVia: 'telegram', closedAt: null });
    expect(row.firstResponseAt!.toISOString()).toBe(yerevan('2026-11-23T10:20:00').toISOString());
    expect(row.resolutionDueAt!.toISOString()).toBe(yerevan('2026-11-24T10:00:00').toISOString());

    // The final answer (the default) closes it.
    const final = 'Վթարը վերացված է, ջուրը միացված է։ Շնորհակալություն համբերության համար։';
    await answer(inquiryId, final, yerevan('2026-11-23T15:00:00'));
    await expect.poll(() => pageReplies(commentId), WAIT).toEqual([interim, final]);
    card = await h.card(inquiryId, (c) => c.text.includes('🔒 Փակված է'));
    row = await inquiryRow(inquiryId);
    expect(row.status).toBe('closed');
    expect(row.firstResponseAt!.toISOString()).toBe(yerevan('2026-11-23T10:20:00').toISOString());
    expect(row.closedAt!.toISOString()).toBe(yerevan('2026-11-23T15:00:00').toISOString());
    const types = await eventTypes(h.tdb.db, inquiryId);
    expect(types.filter((t) => t === 'reply_sent')).toHaveLength(2);
    expect(types.filter((t) => t === 'answered')).toHaveLength(1);
    expect(types.filter((t) => t === 'closed')).toHaveLength(1);
    const replies = await h.tdb.db.selectFrom('replies').select(['kind', 'status']).where('inquiryId', '=', inquiryId).orderBy('id').execute();
    expect(replies).toEqual([
      { kind: 'interim', status: 'sent' },
      { kind: 'final', status: 'sent' },
    ]);
  });

  it('a correction published to the closed inquiry: on Facebook once, an event, the inquiry stays closed', async () => {
    const correction = 'Ուղղում՝ ջուրը միացվել է 14:30-ին, ոչ թե 15:00-ին։';
    await answer(inquiryId, correction, yerevan('2026-11-23T16:00:00'), '✏️ Դարձնել ուղղում');
    await expect.poll(() => pageReplies(commentId), WAIT).toHaveLength(3);
    expect(pageReplies(commentId).at(-1)).toBe(correction);
    await expect.poll(async () => (await eventTypes(h.tdb.db, inquiryId)).filter((t) => t === 'corrected').length, WAIT).toBe(1);
    const row = await inquiryRow(inquiryId);
    expect(row.status).toBe('closed');
    expect(row.closedAt!.toISOString()).toBe(yerevan('2026-11-23T15:00:00').toISOString());
    const corrected = await h.tdb.db.selectFrom('events').select(['payload', 'actorKind']).where('inquiryId', '=', inquiryId).where('type', '=', 'corrected').executeTakeFirstOrThrow();
    expect(corrected).toMatchObject({ actorKind: 'staff', payload: expect.objectContaining({ kind: 'correction' }) });
    // Published once: delivered again, nothing more.
    const reply = await h.tdb.db.selectFrom('replies').select('id').where('inquiryId', '=', inquiryId).where('kind', '=', 'correction').executeTakeFirstOrThrow();
    await h.service.ctx.producers.deliverReply(reply.id);
    await checkRemindersAt(yerevan('2026-11-23T16:01:00'));
    expect(pageReplies(commentId)).toHaveLength(3);
  });

  it("the citizen writes again the next day (within FOLLOW_UP_WINDOW): the same inquiry reopens, its handler is told", async () => {
    const followUp = await comment(postId, 'Նորից ջուր չկա, խնդրում եմ ստուգեք', yerevan('2026-11-24T09:30:00'));
    expect(followUp.inquiryId).toBe(inquiryId);
    const row = await inquiryRow(inquiryId);
    expect(row).toMatchObject({ status: 'answered', closedAt: null, reopenCount: 1 });
    expect(await h.tdb.db.selectFrom('inquiries').select('id').where('threadId', '=', postId).execute()).toHaveLength(1);
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, WAIT).toBe(`↩️ #${inquiryId} հարցը վերաբացվեց․ քաղաքացին կրկին գրեց վերջնական պատասխանից հետո։`);
    const card = await h.card(inquiryId, (c) => c.text.includes('↩️ Վերաբացված է'));
    expect(card.text).toContain('Նորից ջուր չկա');
  });
});

describe('the resolution target', () => {
  it('passing with only an interim answer: one reminder to the handler and the supervisor, once', async () => {
    const post = graph.seedPost({ message: 'Ճանապարհների նորոգում', created_time: yerevan('2026-11-25T08:00:00') });
    const { inquiryId } = await comment(post.id, 'Երբ կնորոգեն Աբովյան փողոցը', yerevan('2026-11-25T10:00:00'), armen); // Wednesday
    let card = await h.card(inquiryId);
    clock.set(yerevan('2026-11-25T10:05:00'));
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiryId, (c) => c.text.includes('🙋'));
    await answer(inquiryId, 'Հարցը փոխանցել ենք ճանապարհային ծառայությանը։', yerevan('2026-11-25T10:30:00'), '⏳ Դարձնել միջանկյալ');
    await h.card(inquiryId, (c) => c.text.includes('⏳ Տրված է միայն միջանկյալ պատասխան'));

    const overdue = () => [...h.privateMessages(people.ani.id), ...h.privateMessages(people.boss.id)].filter((m) => m.text.startsWith('⏰') && m.text.includes(`#${inquiryId} `));
    await checkRemindersAt(yerevan('2026-11-26T09:59:00')); // one business day is Thursday 10:00
    expect(overdue()).toEqual([]);
    await checkRemindersAt(yerevan('2026-11-26T10:01:00'));
    expect(overdue().map((m) => m.text).sort()).toEqual(
      [
        // One business day is 9 business hours (Mon-Fri 09:00-18:00).
        `⏰ #${inquiryId} հարցի լուծման ժամկետը (9 ժ) լրացել է, իսկ վերջնական պատասխան դեռ չկա։ Զբաղվում է՝ Անի Պետրոսյան։`,
        `⏰ The resolution target of #${inquiryId} (9 h) has passed and it has no final answer yet. Անի Պետրոսյան is handling it.`,
      ].sort(),
    );
    await checkRemindersAt(yerevan('2026-11-26T11:00:00'));
    expect(overdue()).toHaveLength(2);
    expect((await eventTypes(h.tdb.db, inquiryId)).filter((t) => t === 'resolution_overdue')).toHaveLength(1);
  });
});

describe('asking whether it was solved (ASK_IF_SOLVED)', () => {
  it('asked once, privately, two days after the final answer; "no" reopens the inquiry with a notice to its handler', async () => {
    const gohar = { id: '7500000000000003', name: 'Գոհար Մելքոնյան' };
    const post = graph.seedPost({ message: 'Աղբահանություն', created_time: yerevan('2026-11-26T08:00:00') });
    const { commentId, inquiryId } = await comment(post.id, 'Մեր բակից աղբը չեն տանում', yerevan('2026-11-26T11:00:00'), gohar);
    const card = await h.card(inquiryId);
    clock.set(yerevan('2026-11-26T11:05:00'));
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    await h.card(inquiryId, (c) => c.text.includes('🙋'));
    await answer(inquiryId, 'Այսօր աղբը կտանեն, ներողություն ուշացման համար։', yerevan('2026-11-26T11:30:00'));
    await h.card(inquiryId, (c) => c.text.includes('🔒 Փակված է'));

    const psid = graph.psidFor(gohar.id);
    const fromPage = () => graph.messagesWith(psid).filter((m) => m.from.id === PAGE_ID);
    await checkRemindersAt(yerevan('2026-11-28T11:29:00'));
    expect(fromPage()).toEqual([]);

    // Two days after the final answer: one private reply to the comment, with the two answers as quick replies.
    await checkRemindersAt(yerevan('2026-11-28T11:31:00'));
    await expect.poll(() => fromPage().length, WAIT).toBe(1);
    const question = fromPage()[0]!;
    expect(question.message).toBe('Բարև Ձեզ։ Մի քանի օր առաջ պատասխանել ենք Ձեր հարցին։ Խնդիրը լուծվե՞լ է։');
    expect(question.quick_replies).toEqual([
      { content_type: 'text', title: 'Այո, լուծվել է', payload: `SOLVED:${inquiryId}:YES` },
      { content_type: 'text', title: 'Ոչ, չի լուծվել', payload: `SOLVED:${inquiryId}:NO` },
    ]);
    await expect.poll(async () => (await inquiryRow(inquiryId)).solvedAskedAt?.toISOString(), WAIT).toBe(yerevan('2026-11-28T11:31:00').toISOString());
    expect(await h.tdb.db.selectFrom('replies').select(['kind', 'status', 'visibility', 'channel']).where('inquiryId', '=', inquiryId).where('kind', '=', 'solved_question').execute()).toEqual([
      { kind: 'solved_question', status: 'sent', visibility: 'private', channel: 'private_reply' },
    ]);
    // The public thread got nothing more; the card is still closed.
    expect(graph.commentsOn(commentId).filter((c) => c.from?.id === PAGE_ID)).toHaveLength(1);

    // Never more than once.
    await checkRemindersAt(yerevan('2026-11-28T12:00:00'));
    await checkRemindersAt(yerevan('2026-11-29T12:00:00'));
    expect(fromPage()).toHaveLength(1);

    // The citizen taps "No" in Messenger: recorded, the inquiry reopens, its handler is told.
    const tapped = yerevan('2026-11-29T13:00:00');
    const noBody = facebookJson(messengerPayload({ mid: 'm_solved_no', senderId: psid, text: 'Ոչ, չի լուծվել', at: tapped, quickReplyPayload: `SOLVED:${inquiryId}:NO` }));
    const hook = await fetch(`${h.service.address}/webhooks/facebook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(noBody) },
      body: noBody,
    });
    expect(hook.status).toBe(200);
    await expect.poll(async () => (await inquiryRow(inquiryId)).solvedAnswer, WAIT).toBe('no');
    const row = await inquiryRow(inquiryId);
    expect(row).toMatchObject({ status: 'answered', closedAt: null, reopenCount: 1 });
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, WAIT).toBe(`↩️ #${inquiryId} հարցը վերաբացվեց․ քաղաքացին ասում է, որ խնդիրը լուծված չէ։`);
    await h.card(inquiryId, (c) => c.text.includes('↩️ Վերաբացված է'));
    // The tap is no new inquiry.
    expect(await h.tdb.db.selectFrom('inquiries').select('id').where('authorId', '=', psid).execute()).toEqual([]);
    const reopened = await h.tdb.db.selectFrom('events').select('payload').where('inquiryId', '=', inquiryId).where('type', '=', 'reopened').execute();
    expect(reopened.map((e) => e.payload)).toEqual([expect.objectContaining({ why: 'not_solved', round: 1 })]);
  });
});
