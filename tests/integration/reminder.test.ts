/**
 * Reminders and escalation on a frozen clock, through the scheduled
 * `reminders.check` job of the running service: an unclaimed card gets one
 * reminder in the group, a claimed but unanswered inquiry one private
 * reminder to its claimant, an inquiry past its first-response target one
 * message to each supervisor; never a second one, and waiting counts in
 * business hours (nothing over the week end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes, insertStaffMember, insertTestInquiry, people } from '../factories/staff.factory.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

// Yerevan is UTC+4; Friday 27 November 2026.
const yerevan = (local: string) => new Date(`${local}+04:00`);
const clock = createTestClock(yerevan('2026-11-27T10:00:00'));
let h: BotHarness;
let run = 0;

beforeAll(async () => {
  h = await startBotHarness({
    clock,
    env: { REMIND_UNCLAIMED_AFTER: '30m', REMIND_CLAIMED_AFTER: '2h', SLA_FIRST_RESPONSE: '4h', SLA_CLOCK: 'business' },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.boss, 'supervisor', 'en');
});
afterAll(async () => {
  await h?.close();
});

/** Runs the scheduled check at `at` and waits for it and for the messages it queued. */
async function checkAt(at: Date): Promise<void> {
  clock.set(at);
  const job = await h.service.ctx.queues.schedule.add('reminders.check', { reason: 'manual' }, { jobId: `test-reminders-${++run}` });
  await expect.poll(async () => job.getState(), { timeout: 10_000, interval: 20 }).toBe('completed');
  await expect.poll(() => h.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'prioritized', 'delayed'), { timeout: 10_000, interval: 20 }).toEqual({
    waiting: 0,
    active: 0,
    prioritized: 0,
    delayed: 0,
  });
}

const reminders = () => h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.startsWith('⏰'));

describe('reminders', () => {
  let unclaimed: number;
  let claimed: number;

  it('an unclaimed card: one reminder in the group, as a reply to the card, after 30 minutes', async () => {
    const a = await insertTestInquiry(h.tdb.db, { postedAt: yerevan('2026-11-27T09:50:00'), slaDueAt: yerevan('2026-11-27T13:50:00'), text: 'Շենքի մուտքը մութ է' });
    const b = await insertTestInquiry(h.tdb.db, { postedAt: yerevan('2026-11-27T09:55:00'), slaDueAt: yerevan('2026-11-27T13:55:00'), text: 'Աղբը չեն տարել' });
    unclaimed = a.id;
    claimed = b.id;
    await h.service.ctx.producers.sendCards([a.id, b.id]);
    const cardA = await h.card(a.id);
    let cardB = await h.card(b.id);
    await h.press(people.ani, cardB, { text: '✋ Վերցնել' });
    cardB = await h.card(b.id, (c) => c.text.includes('🙋'));

    await checkAt(yerevan('2026-11-27T10:29:00'));
    expect(reminders()).toEqual([]);

    await checkAt(yerevan('2026-11-27T10:31:00'));
    expect(reminders()).toHaveLength(1);
    const reminder = reminders()[0]!;
    expect(reminder.text).toBe(`⏰ #${a.id} հարցը սպասում է արդեն 31 ր, բայց դեռ ոչ ոք չի վերցրել։ Ո՞վ կզբաղվի։`);
    expect(reminder.replyToMessageId).toBe(cardA.messageId);
    expect(reminder.buttons.flat().map((b) => b.text)).toEqual(['✋ Վերցնել']);

    await checkAt(yerevan('2026-11-27T10:45:00'));
    await checkAt(yerevan('2026-11-27T11:45:00'));
    expect(reminders()).toHaveLength(1);
    expect((await eventTypes(h.tdb.db, a.id)).filter((t) => t === 'reminded')).toHaveLength(1);
  });

  it('a claimed, unanswered inquiry: one private reminder to the claimant after 2 hours', async () => {
    await checkAt(yerevan('2026-11-27T11:59:00'));
    expect(h.privateMessages(people.ani.id).filter((m) => m.text.startsWith('⏰'))).toEqual([]);
    await checkAt(yerevan('2026-11-27T12:01:00'));
    const mine = h.privateMessages(people.ani.id).filter((m) => m.text.startsWith('⏰'));
    expect(mine.map((m) => m.text)).toEqual([`⏰ Դուք վերցրել եք #${claimed} հարցը 2 ժ 1 ր առաջ, բայց պատասխան դեռ չկա։`]);
    expect(mine[0]!.buttons.flat().map((b) => b.text)).toEqual(['✍️ Պատասխանել', '📄 Քարտը']);
    expect(mine[0]!.buttons.flat()[1]!.url).toMatch(/^https:\/\/t\.me\/c\/1234567890\/\d+$/);
    await checkAt(yerevan('2026-11-27T13:00:00'));
    expect(h.privateMessages(people.ani.id).filter((m) => m.text.startsWith('⏰'))).toHaveLength(1);
    // The group reminder was about the unclaimed one only.
    expect(reminders().map((m) => m.text)).not.toContainEqual(expect.stringContaining(`#${claimed} `));
  });

  it('past the first-response target: one message to each supervisor, naming who has it', async () => {
    await checkAt(yerevan('2026-11-27T13:49:00'));
    expect(h.privateMessages(people.boss.id)).toEqual([]);
    await checkAt(yerevan('2026-11-27T13:56:00'));
    await checkAt(yerevan('2026-11-27T17:00:00'));
    // Sent by concurrent jobs: in either order.
    const texts = h.privateMessages(people.boss.id).map((m) => m.text).sort();
    expect(texts).toEqual([
      `🚨 The first-response target of #${unclaimed} (4 h) has passed and there is still no answer. Nobody has claimed it.`,
      `🚨 The first-response target of #${claimed} (4 h) has passed and there is still no answer. Անի Պետրոսյան is handling it.`,
    ].sort());
    const escalated = await h.tdb.db.selectFrom('events').select(['inquiryId', 'payload']).where('type', '=', 'escalated').orderBy('id').execute();
    expect(escalated.map((e) => e.inquiryId)).toEqual([unclaimed, claimed]);
  });

  it('counts business hours: a card posted at 17:50 on Friday is reminded on Monday at 09:20, not over the week end', async () => {
    clock.set(yerevan('2026-11-27T17:50:00'));
    const late = await insertTestInquiry(h.tdb.db, { postedAt: yerevan('2026-11-27T17:50:00'), text: 'Լույսը չկա փողոցում' });
    await h.service.ctx.producers.sendCard(late.id);
    await h.card(late.id);
    const before = reminders().length;
    await checkAt(yerevan('2026-11-27T20:00:00'));
    await checkAt(yerevan('2026-11-28T12:00:00'));
    await checkAt(yerevan('2026-11-30T09:19:00'));
    expect(reminders()).toHaveLength(before);
    await checkAt(yerevan('2026-11-30T09:21:00'));
    expect(reminders().at(-1)!.text).toBe(`⏰ #${late.id} հարցը սպասում է արդեն 31 ր, բայց դեռ ոչ ոք չի վերցրել։ Ո՞վ կզբաղվի։`);
  });
});
