/**
 * Webhook mode: the discussion group's updates arrive through the same
 * `POST /webhooks/telegram` as the staff group's (one update source; nothing
 * calls getUpdates). A comment becomes one inquiry even when Telegram
 * delivers it twice; a staff member's command in the same webhook is answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { TELEGRAM_WEBHOOK_PATH } from '../../src/http/webhooks/telegram.webhook.js';
import { startService, type RunningService } from '../../src/main.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { faultServiceEnv } from '../fault/support/fault-service.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestDatabase, removeTestQueues, silentLogger, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const SECRET = 'channel-webhook-secret';
const CHANNEL_ID = -1001700000001;
const DISCUSSION_ID = -1001700000002;
const prefix = uniqueQueuePrefix('tgchannelhook');
let tdb: TestDatabase;
let bot: FakeBotApi;
let service: RunningService;

beforeAll(async () => {
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
  bot.addChannel({ channel: { id: CHANNEL_ID, title: 'Գյումրի', username: 'gyumri_test' }, discussion: { id: DISCUSSION_ID, title: 'Գյումրի — քննարկում' } });
  await insertStaffMember(tdb.db, people.ani, 'agent', 'en');
  const config = loadConfig({
    env: {
      ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot }),
      TELEGRAM_WEBHOOK_URL: `https://ardzagank.example.am${TELEGRAM_WEBHOOK_PATH}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_CHANNEL_ID: String(CHANNEL_ID),
      TELEGRAM_DISCUSSION_CHAT_ID: String(DISCUSSION_ID),
    },
  });
  service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 3_600_000 });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

const idOf = (update: TelegramUpdate) => (update as unknown as { message: { message_id: number } }).message.message_id;

describe('the channel in webhook mode', () => {
  it('takes the discussion group\'s updates through the one webhook, once each, next to the staff bot\'s', async () => {
    const hook = `http://${new URL(service.address!).host}${TELEGRAM_WEBHOOK_PATH}`;
    const post = bot.channelPost({ channelId: CHANNEL_ID, text: 'Հայտարարություն' });
    expect((await bot.postUpdateTo(hook, post, SECRET)).status).toBe(200);
    const comment = bot.commentUpdate({ chatId: DISCUSSION_ID, threadId: idOf(post), from: { id: 7301, first_name: 'Արմեն' }, text: 'Ե՞րբ կբացվի այգին' });
    for (let i = 0; i < 2; i++) expect((await bot.postUpdateTo(hook, comment, SECRET)).status).toBe(200);
    expect((await bot.postUpdateTo(hook, bot.messageUpdate({ from: people.ani, chat: people.ani.id, text: '/help' }), SECRET)).status).toBe(200);

    await expect.poll(async () => (await tdb.db.selectFrom('inquiries').select(['externalId', 'permalink']).where('platform', '=', 'telegram').execute()), { timeout: 15_000 }).toEqual([
      { externalId: `${DISCUSSION_ID}:${idOf(comment)}`, permalink: `https://t.me/gyumri_test/1?comment=${idOf(comment)}` },
    ]);
    expect(await tdb.db.selectFrom('inboundEvents').select('id').where('platform', '=', 'telegram').execute()).toHaveLength(2);
    expect(bot.sent(people.ani.id)).toHaveLength(1);
    expect(bot.requestsFor('getUpdates')).toEqual([]);
  });
});
