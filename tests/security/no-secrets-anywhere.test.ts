/**
 * No secret anywhere, after a whole-service run where everything outside
 * fails: the Graph API answers 500s (one an HTML page echoing the request
 * URL with its access_token), times out, throttles, refuses a permission
 * with the token in its message and finally declares the token expired;
 * the Bot API drops connections and answers 5xx. Every log line (at debug),
 * every row of every table, every key of the service's queues in Redis,
 * every HTTP answer and the metrics are searched for the Page token, the bot
 * token, the app secret and the verify token, also URL-encoded. The logger
 * is built as `ardzagank start` builds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { configSecrets, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { startService, type RunningService } from '../../src/main.js';
import { createFacebookModule } from '../../src/connectors/facebook/facebook.module.js';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { insertPendingReply, insertStaff } from '../factories/facebook-fixtures.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { startGraphApiFake, type GraphApiFake, type RecordedRequest } from '../../src/stand-ins/graph-api.stand-in.js';
import { Redis } from 'ioredis';
import { queueSchemaName } from '../../src/queue/transport.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { citizenComments, count, faultServiceEnv, PAGE_ID, SECRETS } from '../fault/support/fault-service.js';

const ADMIN_ID = 5005;
let tdb: TestDatabase;
let graph: GraphApiFake;
let bot: FakeBotApi;
let service: RunningService | undefined;
const prefix = uniqueQueuePrefix('leak');
const lines: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  [tdb, graph, bot] = await Promise.all([createTestDatabase(), startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: SECRETS.pageToken } }), FakeBotApi.start()]);
});

afterAll(async () => {
  await service?.close();
  await Promise.all([graph?.close(), bot?.close()]);
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

const isPost = (r: RecordedRequest) => r.method === 'POST' && r.graphPath.endsWith('/comments');

async function everyRowAsText(): Promise<string> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(tdb.db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(name)} as t`.execute(tdb.db);
    parts.push(...rows.rows.map((r) => `${name}: ${r.row}`));
  }
  return parts.join('\n');
}

async function everyQueueKeyAsText(): Promise<string> {
  const url = testRedisUrl();
  // Queues in PostgreSQL: every row of their schema.
  if (!url) {
    const schema = queueSchemaName(prefix);
    const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(tdb.db);
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(`${schema}.${name}`)} as t`.execute(tdb.db);
      parts.push(...rows.rows.map((r) => `${name}: ${r.row}`));
    }
    return parts.join('\n');
  }
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') parts.push(key, JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') parts.push(key, (await redis.get(key)) ?? '');
        else if (type === 'list') parts.push(key, ...(await redis.lrange(key, '0', '-1')));
        else if (type === 'set') parts.push(key, ...(await redis.smembers(key)));
        else if (type === 'zset') parts.push(key, ...(await redis.zrange(key, '0', '-1')));
        else if (type === 'stream') parts.push(key, JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return parts.join('\n');
}

describe('secrets in a run where every outside call fails', () => {
  it('appear in no log line, no stored error, no queue entry, no answer', async () => {
    const env: Record<string, string> = { ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, graph, bot }), TELEGRAM_ADMIN_IDS: String(ADMIN_ID), LOG_LEVEL: 'debug' };
    const full = loadConfig({ env });
    // The logger as `ardzagank start` builds it, writing into memory.
    const logger = createLogger({ level: 'debug', secrets: configSecrets(full), destination: { write: (line: string) => lines.push(line) } });
    const { FACEBOOK_PAGE_ID: _p, FACEBOOK_PAGE_ACCESS_TOKEN: _t, ...withoutPage } = env;
    const tuned = createFacebookModule({ graphTimeoutMs: 300 });
    service = await startService({
      config: loadConfig({ env: withoutPage }),
      logger,
      reconcileEveryMs: 1_000,
      connectors: [(ctx) => tuned({ ...ctx, config: { ...ctx.config, facebook: full.facebook } })],
      tuning: { delivery: { retryDelayMs: () => 30, slowDownMs: 150, maxRateLimitMs: 500, parkDelayMs: 60_000, leaseMs: 1_000 }, pollSlowDownMs: 150 },
    });
    const base = service.address!;

    // Telegram fails too: dropped connections and 5xx on sends, a dropped long poll.
    bot.failNext('sendMessage', 'network', { count: 3 });
    bot.failNext('sendMessage', 502, { count: 2 });
    bot.failNext('getUpdates', 'network', { count: 2 });
    const comments = citizenComments(8, 'lk', graph);
    const sent = await sendDeliveries(comments, { baseUrl: base, concurrency: 4 });
    answers.push(...sent.records.map(() => 'ok'));
    await expect.poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 30_000 }).toBe(8);

    // Graph: an HTML error page echoing the URL with the token, timeouts, throttling,
    // a permission refusal quoting the token, then the token declared expired.
    graph.failNext(502, `<html><body>Bad gateway while fetching ${graph.url}/v24.0/${PAGE_ID}/feed?access_token=${SECRETS.pageToken}</body></html>`, { count: 3, match: isPost });
    graph.timeoutNext({ count: 2, match: isPost });
    graph.failNext(400, { code: 613 }, { match: isPost });
    graph.failNext(403, { code: 200, message: `(#200) Permissions error: the token ${SECRETS.pageToken} lacks pages_manage_engagement` }, { match: isPost });
    const staffId = await insertStaff(tdb.db);
    const inquiries = await tdb.db.selectFrom('inquiries').select(['id']).orderBy('id').execute();
    for (const inquiry of inquiries.slice(0, 4)) await service.ctx.producers.deliverReply(await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: `Պատասխան ${inquiry.id}` }));
    await expect.poll(() => count(tdb.db, 'replies', { column: 'status', value: 'pending' }), { timeout: 30_000, interval: 100 }).toBe(0);
    expect(await count(tdb.db, 'replies', { column: 'status', value: 'failed' })).toBe(1);

    // Polls failing, then the token dies: the source is paused and the admins are told in Telegram.
    const source = await tdb.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow();
    graph.failNext(500, `upstream error for ?access_token=${encodeURIComponent(SECRETS.pageToken)}`, { count: 1 });
    await service.ctx.producers.pollSource(source.id);
    graph.failNext(400, { code: 190, error_subcode: 463, message: `Error validating access token ${SECRETS.pageToken}: Session has expired.` }, { count: 5 });
    await service.ctx.producers.deliverReply(await insertPendingReply(tdb.db, { inquiryId: inquiries[5]!.id, staffId, text: 'Վերջին պատասխանը' }));
    await expect.poll(async () => (await tdb.db.selectFrom('sources').select('enabled').where('id', '=', source.id).executeTakeFirstOrThrow()).enabled, { timeout: 20_000 }).toBe(false);
    await expect.poll(() => bot.sent(ADMIN_ID).length, { timeout: 20_000 }).toBeGreaterThan(0);

    // Answers to outsiders: a bad webhook, readiness, metrics.
    answers.push(await (await fetch(`${base}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, body: '{}' })).text());
    answers.push(await (await fetch(`${base}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).text());
    answers.push(await (await fetch(`${base}/readyz`)).text());
    answers.push(await (await fetch(`${base}/metrics`)).text());

    const stored = await everyRowAsText();
    const queued = await everyQueueKeyAsText();
    const logs = lines.join('');
    // The run really failed in all these ways, and it was logged and stored.
    expect(logs).toMatch(/"level":(40|50)/);
    expect(stored).toMatch(/lacks the permission pages_manage_engagement/);
    expect(stored).toMatch(/source_paused/);
    expect(queued.length).toBeGreaterThan(1000);
    // Secrets did reach the service's errors, and were scrubbed on the way out.
    expect(`${logs}${stored}`).toContain('[REDACTED]');

    const secrets = [SECRETS.pageToken, bot.token, bot.token.split(':')[1]!, SECRETS.appSecret, SECRETS.verifyToken];
    for (const secret of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        expect({ where: 'logs', found: logs.includes(form) }).toEqual({ where: 'logs', found: false });
        expect({ where: 'database', found: stored.includes(form) }).toEqual({ where: 'database', found: false });
        expect({ where: 'queues', found: queued.includes(form) }).toEqual({ where: 'queues', found: false });
        expect({ where: 'answers', found: answers.join('\n').includes(form) }).toEqual({ where: 'answers', found: false });
      }
    }
    // Nor in what the admins were told.
    for (const m of bot.sent(ADMIN_ID)) expect(m.text).not.toContain(SECRETS.pageToken);
  }, 120_000);
});
