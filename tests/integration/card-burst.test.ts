/**
 * Telegram's flood control: a burst of 200 new inquiries reaches the staff
 * group with every card exactly once, although the Bot API stand-in answers
 * 429 (with retry_after) whenever more than 60 messages a second arrive: a
 * 429 pauses the notify queue and loses nothing. And the group pace alone
 * (TELEGRAM_GROUP_MESSAGES_PER_MINUTE) keeps the bot under a limit without
 * ever being refused. The limits are scaled down so the file runs in seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { feedCommentPayload } from '../factories/facebook-payloads.js';
import { STAFF_CHAT_ID, startBotHarness, type BotHarness } from '../support/bot-harness.js';

let h: BotHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function burst(harness: BotHarness, count: number, label: string): Promise<void> {
  // Posted now: questions posted days ago are past their first-response target, and the reminders
  // run (every minute) would tell the group (there is no supervisor here) in the middle of the count.
  const at = new Date();
  // As webhooks arrive: many at once.
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      harness.ingest(
        feedCommentPayload({
          commentId: `9100000000${label}_${i}`,
          message: `Հարց ${i}․ Երբ կնորոգեն ճանապարհը մեր թաղամասում`,
          createdTime: new Date(at.getTime() + i * 1000),
          from: { id: `72000${label}${String(i).padStart(4, '0')}`, name: `Քաղաքացի ${i}` },
        }),
      ),
    ),
  );
}

async function cardsInGroup(harness: BotHarness): Promise<Map<number, number>> {
  const rows = await harness.tdb.db.selectFrom('telegramCards').select(['inquiryId', 'messageId']).where('messageId', 'is not', null).execute();
  return new Map(rows.map((r) => [r.inquiryId, r.messageId!]));
}

describe('a burst of new inquiries', () => {
  it('200 cards reach the group exactly once through 429s', async () => {
    // Our pace is set far above the stand-in's limit, so it refuses many sends.
    h = await startBotHarness({ env: { TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '60000', TELEGRAM_MESSAGES_PER_SECOND: '1000' } });
    h.fake.rateLimit({ globalPerSecond: 60 });
    // However fast this machine is, the first card is refused once too.
    h.fake.failNext('sendMessage', 429, { retry_after: 1 });
    const harness = h;
    await burst(harness, 200, '1');

    await expect.poll(() => harness.fake.sent(STAFF_CHAT_ID).length, { timeout: 25_000, interval: 100 }).toBe(200);
    // Telegram has the 200th card a moment before its job commits the card row: read the rows once the queue is idle.
    const busy = async () => {
      const c = await harness.service.ctx.queues.notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return c.waiting! + c.active! + c.delayed! + c.prioritized!;
    };
    await expect.poll(busy, { timeout: 10_000, interval: 50 }).toBe(0);
    const inquiries = await harness.tdb.db.selectFrom('inquiries').select('id').execute();
    expect(inquiries).toHaveLength(200);
    const cards = await cardsInGroup(harness);
    expect(cards.size).toBe(200);
    // One message per inquiry, each showing its own inquiry.
    const shown = harness.fake.sent(STAFF_CHAT_ID);
    for (const { id } of inquiries) {
      const mine = shown.filter((m) => m.text.split('\n')[0]!.includes(`#${id} · Facebook · մեկնաբանություն`));
      expect(mine.map((m) => m.messageId)).toEqual([cards.get(id)]);
    }
    // Telegram refused some sends (429) and none of them was lost or failed.
    const refused = harness.fake.requestsFor('sendMessage').length - shown.length;
    expect(refused).toBeGreaterThan(0);
    const counts = await harness.service.ctx.queues.notify.getJobCounts('failed', 'waiting', 'active', 'delayed', 'prioritized');
    expect(counts).toEqual({ failed: 0, waiting: 0, active: 0, delayed: 0, prioritized: 0 });
    const sentEvents = await harness.tdb.db.selectFrom('events').select('inquiryId').where('type', '=', 'card_sent').execute();
    expect(sentEvents).toHaveLength(200);
  });

  it('the group pace keeps the bot under the limit, so Telegram never refuses', async () => {
    // 1200 a minute = one message every 50 ms, under the stand-in's 25 a second.
    h = await startBotHarness({ env: { TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '1200' } });
    h.fake.rateLimit({ globalPerSecond: 25 });
    const harness = h;
    await burst(harness, 40, '2');
    await expect.poll(() => harness.fake.sent(STAFF_CHAT_ID).length, { timeout: 15_000, interval: 100 }).toBe(40);
    expect(harness.fake.requestsFor('sendMessage')).toHaveLength(40);
    // Paced: 40 messages spread over at least 39 × 50 ms (less a little network jitter).
    const times = harness.fake.requestsFor('sendMessage').map((r) => r.time);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1800);
  });
});
