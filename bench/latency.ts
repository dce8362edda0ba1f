/**
 * Latency: from a signed webhook sent to the service (`ardzagank start` as a
 * child process, every part on) to its card's `sendMessage` arriving at the
 * Bot API stand-in, for 1,000 inquiries at a steady rate, with the group
 * rate limit off (TELEGRAM_GROUP_MESSAGES_PER_MINUTE and
 * TELEGRAM_MESSAGES_PER_SECOND far above the load). The default rate, 25
 * webhooks a second, is what Telegram could take: it accepts about 30
 * messages a second from a bot in all, so a faster steady stream of cards
 * would only queue (a burst is the throughput benchmark's business). Both
 * ends are timed by this process's clock: the stand-in runs here.
 */
import { FakeBotApi } from '../src/stand-ins/bot-api.stand-in.js';
import { BENCH_QUEUES, benchQueuePrefix, benchRedisUrlFor, createBenchDatabase, removeBenchQueues } from './support/bench-env.js';
import { commentDelivery, loadServiceEnv, sendDeliveries } from './support/facebook-load.js';
import { percentile, round, type Figure } from './support/figures.js';
import { startServiceProcess } from './support/service-process.js';

export interface LatencyResult {
  inquiries: number;
  ratePerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  figures: Figure[];
}

const STAFF_CHAT_ID = -1001000000055;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const clock = () => performance.timeOrigin + performance.now();

export async function benchLatency(options: { count?: number; ratePerSecond?: number; log?: (line: string) => void } = {}): Promise<LatencyResult> {
  const count = options.count ?? 1_000;
  const rate = options.ratePerSecond ?? 25;
  const database = await createBenchDatabase('latency');
  const prefix = benchQueuePrefix('latency');
  const bot = await FakeBotApi.start({ now: clock });
  const service = await startServiceProcess({
    env: loadServiceEnv({
      databaseUrl: database.url,
      redisUrl: benchRedisUrlFor(BENCH_QUEUES),
      queuePrefix: prefix,
      telegram: { token: bot.token, apiRoot: bot.url, staffChatId: STAFF_CHAT_ID, groupPerMinute: 6_000_000, perSecond: 100_000 },
    }),
  });
  try {
    const marker = /\(#(\d+)\)/;
    const cardAt = (from: number) => {
      const at = new Map<number, number>();
      for (const r of bot.requestsFor('sendMessage')) {
        if (Number(r.params.chat_id) !== STAFF_CHAT_ID) continue;
        const n = Number(marker.exec(String(r.params.text))?.[1]);
        if (n >= from && !at.has(n)) at.set(n, r.time);
      }
      return at;
    };
    // Warm-up, not counted: connections, JIT, the sector rules cache.
    const warmup = Array.from({ length: 100 }, (_, n) => commentDelivery(n, { runTag: 'lw' }));
    await sendDeliveries(warmup, { baseUrl: service.url, concurrency: 4, intervalMs: 1000 / rate });
    while (cardAt(0).size < warmup.length) await sleep(50);

    options.log?.(`latency: ${count} webhooks at ${rate}/s…`);
    const offset = 1_000_000;
    const items = Array.from({ length: count }, (_, i) => commentDelivery(offset + i, { runTag: 'lt' }));
    const result = await sendDeliveries(items, { baseUrl: service.url, concurrency: 8, intervalMs: 1000 / rate });
    // Sent at: when the first attempt left (performance.now(), turned into this clock).
    const sentAt = new Map(result.records.map((record, index) => [offset + index, performance.timeOrigin + record.firstSentAt] as const));
    const deadline = Date.now() + 120_000;
    let arrived = cardAt(offset);
    while (arrived.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${arrived.size} of ${count} cards arrived within 2 minutes`);
      await sleep(50);
      arrived = cardAt(offset);
    }
    const latencies = [...sentAt].map(([n, sent]) => arrived.get(n)! - sent);
    const p = (q: number) => round(percentile(latencies, q));
    return {
      inquiries: count,
      ratePerSecond: rate,
      p50Ms: p(50),
      p90Ms: p(90),
      p99Ms: p(99),
      maxMs: round(Math.max(...latencies)),
      figures: [
        { benchmark: 'latency', measure: `webhook → card at Telegram, p50 (${count} at ${rate}/s)`, value: p(50), unit: 'ms', target: { op: '<=', value: 50 } },
        { benchmark: 'latency', measure: `webhook → card at Telegram, p99 (${count} at ${rate}/s)`, value: p(99), unit: 'ms', target: { op: '<=', value: 250 } },
        { benchmark: 'latency', measure: 'webhook → card at Telegram, max', value: round(Math.max(...latencies)), unit: 'ms' },
      ],
    };
  } finally {
    await service.stop();
    await bot.close();
    await removeBenchQueues(BENCH_QUEUES, prefix);
    await database.drop();
  }
}
