/**
 * The bot removed from the staff group (issue 12, item 12). Before, cards
 * failed for good on 403 and were retried only by the reconciler, `/readyz`
 * stayed green and `my_chat_member` was ignored. Now: the admins are told
 * privately, `/readyz` is red with the reason, the cards wait (nothing
 * failed), and when the bot is back they go out, once each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { createTelegramPart } from '../../src/bots/telegram.part.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_PARTS, startService, type RunningService } from '../../src/main.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { citizenComments, count, faultServiceEnv, STAFF_CHAT_ID } from '../fault/support/fault-service.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const ADMIN_ID = 4_100_000_001;
const GROUP_ADMIN = { id: 4_100_000_002, is_bot: false, first_name: 'Գոռ' };

let tdb: TestDatabase;
let bot: FakeBotApi;
let service: RunningService | undefined;
let prefix: string;

beforeEach(async () => {
  prefix = uniqueQueuePrefix('groupgone');
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
});

afterEach(async () => {
  await service?.close();
  service = undefined;
  await bot.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb.close();
});

/** A `my_chat_member` update as the Bot API sends it (ChatMemberUpdated), the bot's status in the staff group changing. */
function membership(from: 'administrator' | 'kicked', to: 'administrator' | 'kicked'): Omit<TelegramUpdate, 'update_id'> {
  const member = (status: 'administrator' | 'kicked') =>
    status === 'kicked'
      ? { status, user: bot.botUser, until_date: 0 }
      : {
          status,
          user: bot.botUser,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: false,
          can_restrict_members: false,
          can_promote_members: false,
          can_change_info: false,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        };
  return {
    my_chat_member: {
      chat: { id: STAFF_CHAT_ID, title: 'Staff', type: 'supergroup' },
      from: GROUP_ADMIN,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: member(from),
      new_chat_member: member(to),
    },
  } as unknown as Omit<TelegramUpdate, 'update_id'>;
}

async function readiness(base: string): Promise<{ status: number; telegram: string }> {
  const response = await fetch(`${base}/readyz`);
  const body = (await response.json()) as { checks: Record<string, string> };
  return { status: response.status, telegram: body.checks.telegram ?? '' };
}

/** Failed notify jobs, with why (none expected: waiting is not failing). */
const failedNotify = async () => (await service!.ctx.queues.notify.getFailed()).map((j) => `${j.name}: ${j.failedReason}`);

const cardsInGroup = () => bot.sent(STAFF_CHAT_ID).filter((m) => m.text.includes('#'));
const toAdmin = () => bot.sent(ADMIN_ID).map((m) => m.text);

async function start(parkMs?: number) {
  const config = loadConfig({ env: { ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot }), TELEGRAM_ADMIN_IDS: String(ADMIN_ID) } });
  const telegram = createTelegramPart(parkMs === undefined ? {} : { staffGroupParkMs: parkMs });
  service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 3_600_000, defaultParts: [telegram, ...DEFAULT_PARTS.slice(1)] });
  const base = `http://${new URL(service.address!).host}`;
  await expect.poll(async () => (await readiness(base)).status, { timeout: 10_000 }).toBe(200);
  return base;
}

describe('the bot removed from the staff group', () => {
  it('told by my_chat_member: admins told privately, /readyz red, cards wait and go out once the bot is back', async () => {
    const base = await start();
    bot.block(STAFF_CHAT_ID);
    bot.pushUpdate(membership('administrator', 'kicked'));

    await expect.poll(async () => (await readiness(base)).status, { timeout: 10_000, interval: 100 }).toBe(503);
    const { telegram } = await readiness(base);
    expect(telegram).toContain(`staff group ${STAFF_CHAT_ID}`);
    expect(telegram).toContain('add the bot back');
    expect(JSON.stringify(telegram)).not.toContain(bot.token);
    await expect.poll(() => toAdmin().some((t) => t.includes('Բոտն այլևս չի կարող գրել աշխատակազմի խմբում')), { timeout: 10_000 }).toBe(true);
    expect(toAdmin().filter((t) => t.includes('Բոտն այլևս')).length).toBe(1);

    // Questions keep coming; their cards wait, none fails.
    await sendDeliveries(citizenComments(3, 'gone1'), { baseUrl: service!.address!, concurrency: 3 });
    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 10_000 }).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cardsInGroup()).toHaveLength(0);
    expect(await failedNotify()).toEqual([]);

    // Added back: the cards go out, once each, and /readyz is green again.
    bot.unblock(STAFF_CHAT_ID);
    bot.pushUpdate(membership('kicked', 'administrator'));
    await expect.poll(() => cardsInGroup().length, { timeout: 15_000, interval: 100 }).toBe(3);
    await expect.poll(async () => (await readiness(base)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(() => toAdmin().some((t) => t.includes('Բոտը կրկին աշխատակազմի խմբում է')), { timeout: 10_000 }).toBe(true);
    // Telegram has the third card a moment before its job commits the card row.
    const recorded = async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length;
    await expect.poll(recorded, { timeout: 10_000, interval: 50 }).toBe(3);
    expect(await failedNotify()).toEqual([]);
  });

  it('found by a 403 on a card, without the update: the same, and a later card probes and finds the bot back', async () => {
    const base = await start(300);
    bot.block(STAFF_CHAT_ID);
    await sendDeliveries(citizenComments(2, 'gone2'), { baseUrl: service!.address!, concurrency: 2 });

    await expect.poll(async () => (await readiness(base)).status, { timeout: 15_000, interval: 100 }).toBe(503);
    expect((await readiness(base)).telegram).toContain('kicked');
    await expect.poll(() => toAdmin().filter((t) => t.includes('Բոտն այլևս')).length, { timeout: 10_000 }).toBe(1);
    expect(await failedNotify()).toEqual([]);

    bot.unblock(STAFF_CHAT_ID);
    await expect.poll(() => cardsInGroup().length, { timeout: 20_000, interval: 100 }).toBe(2);
    await expect.poll(async () => (await readiness(base)).status, { timeout: 10_000 }).toBe(200);
    expect(await failedNotify()).toEqual([]);
  });
});
