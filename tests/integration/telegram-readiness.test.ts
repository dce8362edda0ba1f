/**
 * A bot token revoked while the service runs (BotFather's /revoke): the long
 * poll gets 401 and stops for good. The service must say so where operators
 * and probes look (`/readyz` 503 with the reason, no token in it) and keep
 * storing citizens' questions meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { citizenComments, count, faultServiceEnv, STAFF_CHAT_ID } from '../fault/support/fault-service.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
let bot: FakeBotApi;
let service: RunningService | undefined;
const prefix = uniqueQueuePrefix('revoked');

beforeAll(async () => {
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
});

afterAll(async () => {
  await service?.close();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

async function readiness(base: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

describe('a bot token revoked while the service runs', () => {
  it('turns /readyz to 503 with the reason and no token, while webhooks are still stored', async () => {
    const config = loadConfig({ env: faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot }) });
    service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 3_600_000 });
    const base = `http://${new URL(service.address!).host}`;

    await expect.poll(async () => (await readiness(base)).status, { timeout: 10_000 }).toBe(200);
    expect((await readiness(base)).body.checks).toEqual({ database: 'ok', queues: 'ok', telegram: 'ok' });

    // From now on the Bot API refuses the token; an update ends the long poll that is waiting, so the next one asks again.
    bot.failNext('getUpdates', 401, { count: 1_000 });
    bot.pushUpdate(bot.messageUpdate({ from: { id: 555, first_name: 'Anna' }, chat: STAFF_CHAT_ID, text: 'hello' }));

    await expect.poll(async () => (await readiness(base)).status, { timeout: 15_000, interval: 100 }).toBe(503);
    const { body } = await readiness(base);
    expect(body.status).toBe('not ready');
    expect(body.checks.database).toBe('ok');
    expect(body.checks.queues).toBe('ok');
    expect(body.checks.telegram).toContain('TELEGRAM_BOT_TOKEN');
    expect(body.checks.telegram).toMatch(/401|Unauthorized/);
    expect(JSON.stringify(body)).not.toContain(bot.token);
    expect(JSON.stringify(body)).not.toContain(bot.token.split(':')[1]!);

    // Questions keep coming in and are stored; their cards wait for a working token.
    const asked = citizenComments(3, 'rv');
    const sent = await sendDeliveries(asked, { baseUrl: base, concurrency: 3 });
    expect(sent.refusals).toEqual({});
    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 15_000 }).toBe(3);
  }, 60_000);
});
