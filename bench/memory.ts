/**
 * Memory: the service (`ardzagank start` as a child process, every part on:
 * Facebook webhooks, the Telegram bot against the Bot API stand-in with the
 * group pace opened up) ingesting 10,000 signed webhooks until every card is
 * in the group. Its resident set size is sampled every 50 ms from /proc, and
 * the kernel's own high-water mark (VmHWM) is read at the end.
 */
import pg from 'pg';
import { FakeBotApi } from '../src/stand-ins/bot-api.stand-in.js';
import { BENCH_QUEUES, benchQueuePrefix, benchRedisUrlFor, createBenchDatabase, removeBenchQueues } from './support/bench-env.js';
import { commentDelivery, loadServiceEnv, sendDeliveries } from './support/facebook-load.js';
import { round, type Figure } from './support/figures.js';
import { startServiceProcess } from './support/service-process.js';

export interface MemoryResult {
  inquiries: number;
  startRssMb: number;
  peakRssMb: number;
  /** The kernel's high-water mark of the process (VmHWM). */
  peakHwmMb: number;
  endRssMb: number;
  seconds: number;
  figures: Figure[];
}

const MB = 1024 * 1024;
const STAFF_CHAT_ID = -1001000000099;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function benchMemory(options: { count?: number; log?: (line: string) => void } = {}): Promise<MemoryResult> {
  const count = options.count ?? 10_000;
  const database = await createBenchDatabase('memory');
  const prefix = benchQueuePrefix('memory');
  const bot = await FakeBotApi.start();
  const service = await startServiceProcess({
    env: loadServiceEnv({
      databaseUrl: database.url,
      redisUrl: benchRedisUrlFor(BENCH_QUEUES),
      queuePrefix: prefix,
      telegram: { token: bot.token, apiRoot: bot.url, staffChatId: STAFF_CHAT_ID, groupPerMinute: 600_000, perSecond: 10_000 },
    }),
  });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const m = service.memory();
      if (m) peak = Math.max(peak, m.rss);
      await sleep(50);
    }
  })();
  try {
    const start = service.memory()!.rss;
    const t0 = performance.now();
    const items = Array.from({ length: count }, (_, n) => commentDelivery(n, { runTag: 'm' }));
    options.log?.(`memory: ${count} webhooks…`);
    await sendDeliveries(items, { baseUrl: service.url, concurrency: 32 });
    const cards = async () => Number((await client.query<{ n: string }>('select count(*) as n from telegram_cards where message_id is not null')).rows[0]!.n);
    while ((await cards()) < count) {
      if (performance.now() - t0 > 600_000) throw new Error('the cards did not all arrive within 10 minutes');
      await sleep(200);
    }
    const seconds = (performance.now() - t0) / 1000;
    const end = service.memory()!;
    sampling = false;
    await sampler;
    return {
      inquiries: count,
      startRssMb: round(start / MB),
      peakRssMb: round(peak / MB),
      peakHwmMb: round(end.peak / MB),
      endRssMb: round(end.rss / MB),
      seconds: round(seconds),
      figures: [
        { benchmark: 'memory', measure: `peak RSS ingesting ${count} inquiries (cards sent)`, value: Math.max(peak, end.peak) / MB, unit: 'MB', target: { op: '<=', value: 180 } },
        { benchmark: 'memory', measure: 'RSS at start, ready', value: start / MB, unit: 'MB', target: { op: '<=', value: 120 } },
      ],
    };
  } finally {
    sampling = false;
    await sampler;
    await client.end();
    await service.stop();
    await bot.close();
    await removeBenchQueues(BENCH_QUEUES, prefix);
    await database.drop();
  }
}
