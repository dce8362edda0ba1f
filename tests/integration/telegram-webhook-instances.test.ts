/**
 * Webhook mode, the way to run many instances (README, "Several
 * instances"): two services on one database both registered the same
 * webhook and both take updates; nothing polls, nothing holds the polling
 * lease, both are ready. An update Telegram delivers again after it was
 * handled (its answer was lost on the way back, and the retry reached the
 * other instance behind the load balancer) is not handled a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { TELEGRAM_WEBHOOK_PATH } from '../../src/http/webhooks/telegram.webhook.js';
import { faultServiceEnv } from '../fault/support/fault-service.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const SECRET = 'two-instances-webhook-secret';
const AGENT = people.ani;
let tdb: TestDatabase;
let bot: FakeBotApi;
const prefix = uniqueQueuePrefix('tgwebhook');
const services: RunningService[] = [];

beforeAll(async () => {
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
  await insertStaffMember(tdb.db, AGENT, 'agent', 'en');
  const config = loadConfig({
    env: {
      ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot }),
      // The load balancer's address in production; each test request below picks an instance itself.
      TELEGRAM_WEBHOOK_URL: `https://ardzagank.example.am${TELEGRAM_WEBHOOK_PATH}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    },
  });
  for (let i = 0; i < 2; i++) services.push(await startService({ config, logger: silentLogger(), reconcileEveryMs: 3_600_000 }));
}, 60_000);

afterAll(async () => {
  for (const s of services) await s.close();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

const base = (s: RunningService) => `http://${new URL(s.address!).host}`;

describe('two instances in webhook mode', () => {
  it('both take updates and are ready; none polls or holds the polling lease', async () => {
    expect(bot.webhook?.url).toBe(`https://ardzagank.example.am${TELEGRAM_WEBHOOK_PATH}`);
    expect(bot.requestsFor('getUpdates')).toEqual([]);
    expect(await tdb.db.selectFrom('leases').select('name').where('name', '=', 'telegram-polling').execute()).toEqual([]);
    for (const s of services) {
      expect((await fetch(`${base(s)}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base(s)}/metrics`)).text()).toMatch(/^ardzagank_telegram_polling 0$/m);
    }

    const updates = [1, 2, 3, 4].map(() => bot.messageUpdate({ from: AGENT, chat: AGENT.id, text: '/help' }));
    for (const [i, update] of updates.entries()) {
      const answer = await bot.postUpdateTo(`${base(services[i % 2]!)}${TELEGRAM_WEBHOOK_PATH}`, update, SECRET);
      expect(answer.status).toBe(200);
    }
    expect(bot.sent(AGENT.id)).toHaveLength(4);
  });

  it('an update delivered again, to the other instance, is answered once', async () => {
    const before = bot.sent(AGENT.id).length;
    const update = bot.messageUpdate({ from: AGENT, chat: AGENT.id, text: '/help' });
    const [first, second] = services.map((s) => `${base(s)}${TELEGRAM_WEBHOOK_PATH}`);
    expect((await bot.postUpdateTo(first!, update, SECRET)).status).toBe(200);
    expect((await bot.postUpdateTo(second!, update, SECRET)).status).toBe(200);
    expect((await bot.postUpdateTo(first!, update, SECRET)).status).toBe(200);
    expect(bot.sent(AGENT.id)).toHaveLength(before + 1);
  });
});
