/**
 * Two service processes (`ardzagank start`, built) on one database and one
 * queue prefix, as "Many cities or heavy load" runs them: 500 signed
 * webhooks split between them (a load balancer in front), a staff member
 * writing to the bot all along, and the weekly digest due every minute
 * (`DIGEST_CRON`). Midway the instance that long-polls Telegram is killed
 * with SIGKILL; the load balancer sends its share to the other.
 *
 * Afterwards: every comment is one inquiry with one card in the staff
 * group (a card Telegram accepted in the last moment before the kill may be
 * shown twice, as with one instance: README, "Telegram's limits"); the
 * digest went out once; only one instance polled Telegram at any moment (no
 * two getUpdates calls overlap at the Bot API stand-in, none ended in 409),
 * the standby started polling within a minute of the kill, and each staff
 * message was answered once (the one being answered at the kill aside).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { freePort, startServiceProcess, type ServiceProcess } from '../../bench/support/service-process.js';
import { FakeBotApi, type RecordedRequest } from '../../src/stand-ins/bot-api.stand-in.js';
import { people, insertStaffMember } from '../factories/staff.factory.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { assertBuildIsFresh } from './support/built-service.js';
import { cardsAtTelegram, citizenComments, count, faultServiceEnv, inquiryTally, STAFF_CHAT_ID } from './support/fault-service.js';

const TOTAL = 500;
const DIGEST_CHAT_ID = -1001000000555;
const AGENT = people.ani;
let tdb: TestDatabase;
let bot: FakeBotApi;
let prefix: string;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  assertBuildIsFresh();
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
  prefix = uniqueQueuePrefix('two');
  await insertStaffMember(tdb.db, AGENT, 'agent', 'en');
});

afterAll(async () => {
  for (const s of running) await s.kill();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

/** The pid in the polling lease's holder (`host:pid:random`), if anyone holds it. */
async function pollerPid(): Promise<number | undefined> {
  const lease = await tdb.db.selectFrom('leases').select('holder').where('name', '=', 'telegram-polling').executeTakeFirst();
  return lease ? Number(lease.holder.split(':').at(-2)) : undefined;
}

/** `ardzagank_telegram_polling` on an instance's /metrics. */
async function pollingGauge(service: ServiceProcess): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(/^ardzagank_telegram_polling (\S+)$/m.exec(text)?.[1]);
}

/** getUpdates calls whose time at the stand-in overlaps another's: two pollers at once. */
function overlappingPolls(calls: readonly RecordedRequest[]): Array<[RecordedRequest, RecordedRequest]> {
  const sorted = [...calls].sort((a, b) => a.time - b.time);
  const pairs: Array<[RecordedRequest, RecordedRequest]> = [];
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if ((previous.endedAt ?? Infinity) > sorted[i]!.time) pairs.push([previous, sorted[i]!]);
  }
  return pairs;
}

describe('two instances on one database', () => {
  it('with the poller killed midway: each inquiry and card once, one digest, one poller at a time', async () => {
    const env = async () => ({
      ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot, port: await freePort() }),
      LOG_LEVEL: 'info',
      INSTANCE_LEASE_SECONDS: '3',
      DIGEST_CRON: '* * * * *',
      DIGEST_CHAT_IDS: String(DIGEST_CHAT_ID),
    });
    const first = await startServiceProcess({ env: await env() });
    running.push(first);
    const second = await startServiceProcess({ env: await env() });
    running.push(second);

    // One of them polls; the other stands by and is ready all the same (startServiceProcess waited for /readyz).
    await expect.poll(pollerPid, { timeout: 15_000 }).toBeDefined();
    const poller = (await pollerPid()) === first.pid ? first : second;
    const standby = poller === first ? second : first;
    expect([first.pid, second.pid]).toContain(await pollerPid());
    expect(await pollingGauge(poller)).toBe(1);
    expect(await pollingGauge(standby)).toBe(0);
    expect((await fetch(`${standby.url}/readyz`)).status).toBe(200);

    // The staff member writes /help every 200 ms for the whole test.
    const pushed: number[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        pushed.push(bot.pushUpdate(bot.messageUpdate({ from: AGENT, chat: AGENT.id, text: '/help' })).update_id);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    // The digest, due every minute on both instances, goes out (before the kill, so the kill cannot leave it half sent).
    await expect
      .poll(() => tdb.db.selectFrom('digestDeliveries').select(['chatId', 'status']).execute(), { timeout: 90_000, interval: 200 })
      .toEqual([{ chatId: DIGEST_CHAT_ID, status: 'sent' }]);

    // Half of the webhooks to each; a load balancer stops sending to an instance that died.
    const dead = new Set<ServiceProcess>();
    const via = (own: ServiceProcess, other: ServiceProcess) => () => (dead.has(own) ? other.url : own.url);
    const items = citizenComments(TOTAL, 'two');
    const options = { concurrency: 8, retryDelayMs: 50, giveUpAfterMs: 100_000 };
    const sending = Promise.all([
      sendDeliveries(items.slice(0, TOTAL / 2), { ...options, baseUrl: via(first, second) }),
      sendDeliveries(items.slice(TOTAL / 2), { ...options, baseUrl: via(second, first) }),
    ]);

    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(150);
    const killedAt = Date.now();
    await poller.kill();
    dead.add(poller);
    const lastMessageAtKill = Math.max(0, ...bot.sent(STAFF_CHAT_ID).map((m) => m.messageId));
    const handledAtKill = bot.sent(AGENT.id).length;
    expect(await count(tdb.db, 'inquiries')).toBeLessThan(TOTAL);

    await sending;

    // The standby polls within a minute of the kill (the lease lasts 3 s here, 30 s by default).
    await expect.poll(() => bot.requestsFor('getUpdates').some((r) => r.time > killedAt), { timeout: 60_000, interval: 100 }).toBe(true);
    expect(await pollerPid()).toBe(standby.pid);
    expect(await pollingGauge(standby)).toBe(1);
    // The survivor saw the other's lease expire and removed it (queueing the work it left again).
    const survivor = (await tdb.db.selectFrom('leases').select('holder').where('name', '=', 'telegram-polling').executeTakeFirstOrThrow()).holder;
    await expect
      .poll(async () => (await tdb.db.selectFrom('leases').select('name').orderBy('name').execute()).map((l) => l.name), { timeout: 30_000, interval: 200 })
      .toEqual([`instance:${survivor}`, 'telegram-polling']);
    // …and answers the staff again.
    await expect.poll(() => bot.sent(AGENT.id).length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(handledAtKill);

    // Every comment once, every card once.
    await expect.poll(async () => (await inquiryTally(tdb.db)).total, { timeout: 100_000, interval: 200 }).toBe(TOTAL);
    await expect.poll(() => count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' }), { timeout: 60_000, interval: 200 }).toBe(0);
    await expect
      .poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 100_000, interval: 200 })
      .toBe(TOTAL);
    expect(await inquiryTally(tdb.db)).toEqual({ total: TOTAL, distinctExternalIds: TOTAL, ingestedEvents: TOTAL });
    const cards = await cardsAtTelegram(tdb.db, bot);
    expect(cards.strays).toBe(0);
    expect([...cards.perInquiry].filter(([id, messages]) => !messages.includes(cards.recorded.get(id)!))).toEqual([]);
    // Only a card Telegram took just before the kill, whose commit the kill prevented, can be doubled.
    const doubles = [...cards.perInquiry].flatMap(([id, messages]) => messages.filter((m) => m !== cards.recorded.get(id)));
    expect(doubles.every((m) => m <= lastMessageAtKill)).toBe(true);
    expect(doubles.length).toBeLessThanOrEqual(4);

    // The digest went out once (its text and its chart), though its schedule fired again since and found it sent.
    const skippedRun = () =>
      [first, second].some((s) => s.output().split('\n').some((line) => line.includes('weekly digest job done') && /"skipped":[1-9]/.test(line)));
    await expect.poll(skippedRun, { timeout: 90_000, interval: 500 }).toBe(true);
    expect(await tdb.db.selectFrom('digestDeliveries').select(['chatId', 'status']).execute()).toEqual([{ chatId: DIGEST_CHAT_ID, status: 'sent' }]);
    const digest = bot.sent(DIGEST_CHAT_ID);
    expect(digest.filter((m) => m.kind === 'photo')).toHaveLength(1);
    expect(digest.filter((m) => m.kind === 'text')).toHaveLength(1);

    // The staff's updates: each answered once, but for at most the one in hand at the kill.
    writing = false;
    await writer;
    await expect.poll(() => bot.pendingUpdates.length, { timeout: 30_000, interval: 100 }).toBe(0);
    await expect.poll(() => bot.sent(AGENT.id).length, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(pushed.length);
    expect(bot.sent(AGENT.id).length - pushed.length).toBeLessThanOrEqual(1);

    // One poller at a time, never a 409.
    const polls = bot.requestsFor('getUpdates');
    expect(polls.filter((r) => r.status === 409)).toEqual([]);
    expect(overlappingPolls(polls)).toEqual([]);
    expect(standby.output()).not.toMatch(/Conflict|terminated by other getUpdates/);
  }, 400_000);
});
