/**
 * The service process (HTTP, ingest and card workers) killed with SIGKILL in
 * the middle of 2,000 webhooks, then started again. Facebook delivers again
 * what was not answered 200 (the sender here does the same). Afterwards every
 * comment is exactly one inquiry with one `ingested` event and one card in
 * the staff group of the Bot API stand-in (Telegram's sendMessage cannot be
 * made idempotent: a card in flight at the moment of the kill may be shown
 * twice; the test bounds that to the sends then in flight).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { startServiceProcess, type ServiceProcess } from '../../bench/support/service-process.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { holdRefusedPort, type RefusedPort } from '../support/refused-port.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { assertBuildIsFresh } from './support/built-service.js';
import { cardsAtTelegram, citizenComments, count, faultServiceEnv, inquiryTally, STAFF_CHAT_ID } from './support/fault-service.js';

const TOTAL = 2_000;
let tdb: TestDatabase;
let bot: FakeBotApi;
let prefix: string;
const running: ServiceProcess[] = [];
let between: RefusedPort | undefined;

beforeAll(async () => {
  assertBuildIsFresh();
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
  prefix = uniqueQueuePrefix('sigkill');
});

afterAll(async () => {
  for (const s of running) await s.kill();
  await between?.close();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

describe('a worker process killed with SIGKILL', () => {
  it('in the middle of 2,000 inquiries: after restart each exists once, with one card in the group', async () => {
    // No HTTP_PORT: each start takes a port of its own (a port freed by the kill could be taken by another program before the restart).
    const { HTTP_PORT: _anyPort, ...env } = faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot });
    running.push(await startServiceProcess({ env }));
    // Between the kill and the restart, deliveries go to a port that stays refused, as the dead process's did.
    between = await holdRefusedPort();
    let target = running[0]!.url;
    const items = citizenComments(TOTAL, 'k');
    const sending = sendDeliveries(items, { baseUrl: () => target, concurrency: 16, retryDelayMs: 50, giveUpAfterMs: 100_000 });

    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(400);
    await running[0]!.kill();
    target = between.url;
    // The group as it was when the process died (nothing can reach the stand-in until the restart).
    const lastMessageAtKill = Math.max(0, ...bot.sent(STAFF_CHAT_ID).map((m) => m.messageId));
    const atKill = await count(tdb.db, 'inquiries');
    expect(atKill).toBeLessThan(TOTAL);

    running.push(await startServiceProcess({ env }));
    target = running[1]!.url;
    const sent = await sending;
    expect(sent.refusals.network ?? 0).toBeGreaterThan(0);

    // Jobs the dead process held are taken up again once their locks expire (BullMQ's stalled-job check).
    await expect.poll(async () => (await inquiryTally(tdb.db)).total, { timeout: 100_000, interval: 200 }).toBe(TOTAL);
    await expect.poll(() => count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' }), { timeout: 60_000, interval: 200 }).toBe(0);
    await expect
      .poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 100_000, interval: 200 })
      .toBe(TOTAL);

    expect(await inquiryTally(tdb.db)).toEqual({ total: TOTAL, distinctExternalIds: TOTAL, ingestedEvents: TOTAL });
    const cards = await cardsAtTelegram(tdb.db, bot);
    expect(cards.strays).toBe(0);
    // Every inquiry's card is in the group, and it is the message its row records.
    const missing = [...cards.perInquiry].filter(([id, messages]) => !messages.includes(cards.recorded.get(id)!));
    expect(missing).toEqual([]);
    // sendMessage is not idempotent: a card Telegram took in the last moment before the kill,
    // whose commit the kill prevented, is sent again. Only those can be doubles: sent before
    // the kill, at most one per card send then in flight (the notify worker's concurrency, 4).
    const doubles = [...cards.perInquiry].flatMap(([id, messages]) => messages.filter((m) => m !== cards.recorded.get(id)));
    expect(doubles.every((m) => m <= lastMessageAtKill)).toBe(true);
    expect(doubles.length).toBeLessThanOrEqual(4);
  }, 240_000);
});
