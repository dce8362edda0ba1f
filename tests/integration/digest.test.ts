/**
 * The weekly digest end to end: the real telegraf client against the
 * loopback Bot API stand-in, real Postgres and Redis (BullMQ), a frozen
 * clock. Sent once per week and recipient across a restart and two
 * workers; a missed week sent late when the service comes back.
 */
import type { Worker } from 'bullmq';
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { QUEUE_NAMES } from '../../src/queue/jobs.js';
import { createScheduleWorker } from '../../src/queue/workers/schedule.worker.js';
import { digestPart, dueAtOfJob, processDigestJob, scheduleDigest, type DigestPartContext } from '../../src/reports/digest/digest.part.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/reports/renderers/chart.renderer.js';
import { createDigestService, type DigestService } from '../../src/reports/digest/digest.service.js';
import { createTelegramClient } from '../../src/telegram/telegram-client.js';
import { FAKE_BOT_TOKEN, FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { insertInquiries, insertStaff } from '../factories/inquiry.factory.js';
import { createTestDatabase, openTestTransport, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

/** A Yerevan wall time (UTC+4) as an instant. */
const yvn = (local: string) => new Date(`${local}+04:00`);
const GROUP = -1001234567890;
const HEAD = 4242;

let tdb: TestDatabase;
let bot: FakeBotApi;
let config: Config;
const clock = { now: yvn('2026-11-23T09:00:05') };

beforeAll(async () => {
  bot = await FakeBotApi.start();
  config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: bot.url, DIGEST_CHAT_IDS: String(GROUP), LOCALE: 'hy' } });
});
afterAll(async () => {
  await bot.close();
});

beforeEach(async () => {
  tdb = await createTestDatabase();
  bot.reset();
  clock.now = yvn('2026-11-23T09:00:05');
  const aram = await insertStaff(tdb.db, { name: 'Արամ' });
  await insertStaff(tdb.db, { name: 'Head of community', role: 'head', telegramUserId: HEAD, language: 'en' });
  // The week reported on Monday 23 November: 16–22 November 2026, and the week before.
  await insertInquiries(tdb.db, [
    { postedAt: yvn('2026-11-16T10:00:00'), firstResponseAt: yvn('2026-11-16T10:40:00'), answeredBy: aram.id, sectorCode: 'water' },
    { postedAt: yvn('2026-11-17T11:00:00'), firstResponseAt: yvn('2026-11-17T13:00:00'), answeredVia: 'native', sectorCode: 'roads_transport' },
    { postedAt: yvn('2026-11-18T12:00:00'), text: 'Փողոցում լույս չկա <b>երեք</b> օր', permalink: 'https://www.facebook.com/100/posts/1?comment_id=7', sectorCode: 'street_lighting' },
    { postedAt: yvn('2026-11-10T09:30:00'), firstResponseAt: yvn('2026-11-10T15:30:00'), answeredBy: aram.id },
  ]);
});
afterEach(async () => {
  await tdb.close();
});

function service(): DigestService {
  const logger = silentLogger();
  return createDigestService({
    db: tdb.db,
    config,
    telegram: createTelegramClient({ token: FAKE_BOT_TOKEN, apiRoot: bot.url, logger }),
    logger,
    now: () => clock.now,
    sleep: async () => undefined,
  });
}

/** One "instance": a digest service and a schedule worker on the shared queue. */
function instance(transport: QueueTransport): { service: DigestService; worker: Worker } {
  const svc = service();
  const worker = createScheduleWorker({
    transport,
    logger: silentLogger(),
    metrics: createMetrics({ defaultMetrics: false }),
    handlers: { 'digest.send': (job, log) => processDigestJob(svc, job, log) },
  });
  return { service: svc, worker };
}

const texts = (chatId: number) => bot.sent(chatId).filter((m) => m.kind === 'text');
const photos = (chatId: number) => bot.sent(chatId).filter((m) => m.kind === 'photo');

describe('weekly digest', () => {
  it('goes out once per week and recipient, with two workers at once and across a restart', async () => {
    const transport = await openTestTransport(tdb.url, uniqueQueuePrefix('digest'));
    const queue = transport.queue(QUEUE_NAMES.schedule);
    try {
      const dueAt = yvn('2026-11-23T09:00:00');
      const a = instance(transport);
      const b = instance(transport);
      // The same week enqueued twice (the schedule's job and a catch-up), processed by two workers.
      await queue.addBulk([1, 2, 3].map((n) => ({ name: 'digest.send', data: { reason: 'schedule', dueAt: dueAt.toISOString() }, opts: { jobId: `dup-${n}` } })));
      await expect.poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 20_000 }).toBe(3);
      await Promise.all([a.worker.close(), b.worker.close()]);

      for (const chat of [GROUP, HEAD]) {
        expect(texts(chat)).toHaveLength(1);
        expect(photos(chat)).toHaveLength(1);
      }
      expect(texts(GROUP)[0]!.text).toMatch(/Արձագանք. շաբաթական ամփոփում/);
      expect(texts(GROUP)[0]!.text).toMatch(/Ստացված: 3 \(1, \+200%\)/);
      expect(texts(HEAD)[0]!.text).toMatch(/Ardzagank: weekly digest/);
      expect(texts(HEAD)[0]!.text).toMatch(/Received: 3 \(1, \+200%\)/);
      expect(texts(HEAD)[0]!.text).not.toMatch(/Late digest/);
      // The oldest open item is linked, its citizen text escaped (the fake parses the HTML like Telegram).
      expect(texts(GROUP)[0]!.entities.some((e) => e.type === 'text_link' && e.url === 'https://www.facebook.com/100/posts/1?comment_id=7')).toBe(true);
      expect(texts(GROUP)[0]!.text).toContain('Փողոցում լույս չկա <b>երեք</b> օր');
      expect(photos(HEAD)[0]!.file).toMatchObject({ width: CHART_WIDTH, height: CHART_HEIGHT });

      // Restart: new processes, the same week again, from the schedule and from the start-up check.
      const c = instance(transport);
      await scheduleDigest(queue, c.service, config, silentLogger());
      await queue.add('digest.send', { reason: 'schedule', dueAt: dueAt.toISOString() }, { jobId: 'after-restart' });
      await expect.poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 20_000 }).toBe(4);
      expect(bot.sent().filter((m) => m.kind === 'text')).toHaveLength(2);
      expect((await c.service.send({ dueAt })).skipped.sort()).toEqual([GROUP, HEAD].sort());

      // A week later it goes out again, once.
      clock.now = yvn('2026-11-30T09:00:02');
      await queue.add('digest.send', { reason: 'schedule', dueAt: yvn('2026-11-30T09:00:00').toISOString() }, { jobId: 'next-week' });
      await expect.poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 20_000 }).toBe(5);
      await c.worker.close();
      expect(texts(GROUP)).toHaveLength(2);
      const rows = await tdb.db.selectFrom('digestDeliveries').select(['week', 'chatId', 'status', 'late']).orderBy('week').orderBy('chatId').execute();
      expect(rows).toEqual([
        { week: '2026-W47', chatId: GROUP, status: 'sent', late: false },
        { week: '2026-W47', chatId: HEAD, status: 'sent', late: false },
        { week: '2026-W48', chatId: GROUP, status: 'sent', late: false },
        { week: '2026-W48', chatId: HEAD, status: 'sent', late: false },
      ]);
      const scheduler = await queue.getJobScheduler('digest-weekly');
      expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'Asia/Yerevan' });
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await transport.remove();
      await transport.close();
    }
  });

  it('sends a missed week when the service comes back, marked late', async () => {
    // The service ran the week before (it sent W46), then was down on Monday 23 November.
    await tdb.db
      .insertInto('digestDeliveries')
      .values({ week: '2026-W46', chatId: GROUP, status: 'sent', dueAt: yvn('2026-11-16T09:00:00'), claimToken: 'earlier', claimedAt: yvn('2026-11-16T09:00:01'), sentAt: yvn('2026-11-16T09:00:03') })
      .execute();
    clock.now = yvn('2026-11-24T15:20:00');
    const transport = await openTestTransport(tdb.url, uniqueQueuePrefix('digest-late'));
    const queue = transport.queue(QUEUE_NAMES.schedule);
    try {
      const svc = service();
      expect(await svc.dueCatchUp()).toEqual({ dueAt: yvn('2026-11-23T09:00:00'), week: '2026-W47' });
      await scheduleDigest(queue, svc, config, silentLogger());
      const job = await queue.getJob('digest-send-2026-W47');
      expect(job?.data).toEqual({ reason: 'catch_up', dueAt: yvn('2026-11-23T09:00:00').toISOString() });
      expect(dueAtOfJob(job!)).toEqual(yvn('2026-11-23T09:00:00'));
      const { worker } = instance(transport);
      await expect.poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 20_000 }).toBe(1);
      await worker.close();
      expect(texts(HEAD)[0]!.text).toMatch(/Late digest: it was due on 23\.11\.2026 09:00/);
      expect(texts(GROUP)[0]!.text).toMatch(/Ուշացած ամփոփում/);
      const late = await tdb.db.selectFrom('digestDeliveries').select(['chatId', 'late']).where('week', '=', '2026-W47').orderBy('chatId').execute();
      expect(late).toEqual([
        { chatId: GROUP, late: true },
        { chatId: HEAD, late: true },
      ]);
      // Once everyone has it, a further restart owes nothing.
      expect(await svc.dueCatchUp()).toBeUndefined();
    } finally {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await transport.remove();
      await transport.close();
    }
  });

  it('is off without a bot token, and says which variable turns it on', async () => {
    const ctx = { config: loadConfig({ env: {} }), logger: silentLogger() } as unknown as DigestPartContext;
    expect(await digestPart(ctx)).toEqual({ off: 'Weekly digest is off: it is sent by the Telegram bot (set TELEGRAM_BOT_TOKEN).' });
  });

  it('owes nothing on a fresh install that was not running when the digest was due', async () => {
    const fresh = await createTestDatabase();
    try {
      const svc = createDigestService({ db: fresh.db, config, telegram: createTelegramClient({ token: FAKE_BOT_TOKEN, apiRoot: bot.url, logger: silentLogger() }), logger: silentLogger(), now: () => clock.now });
      expect(await svc.dueCatchUp()).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('waits out a 429 and loses nothing; a chat that blocked the bot does not stop the others', async () => {
    bot.failNext('sendMessage', 429, { retry_after: 3 });
    bot.block(HEAD);
    const waits: number[] = [];
    const svc = createDigestService({
      db: tdb.db,
      config,
      telegram: createTelegramClient({ token: FAKE_BOT_TOKEN, apiRoot: bot.url, logger: silentLogger() }),
      logger: silentLogger(),
      now: () => clock.now,
      sleep: async (ms) => void waits.push(ms),
    });
    const result = await svc.send({ dueAt: yvn('2026-11-23T09:00:00') });
    expect(waits).toEqual([3000]);
    expect(result.sent).toEqual([GROUP]);
    expect(result.failed).toEqual([expect.objectContaining({ chatId: HEAD, retryable: false })]);
    expect(texts(GROUP)).toHaveLength(1);
    expect(photos(GROUP)).toHaveLength(1);
    const row = await tdb.db.selectFrom('digestDeliveries').selectAll().where('chatId', '=', HEAD).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.lastError).toMatch(/403|blocked/);
    expect(row.lastError).not.toContain(FAKE_BOT_TOKEN);
  });

  it('leaves thanks and emoji out of received and the oldest open, and counts them apart as reactions', async () => {
    await insertInquiries(tdb.db, [
      // An emoji of the week before, never dismissed: older than any open question.
      { postedAt: yvn('2026-11-14T08:00:00'), text: '👍👍👍', lowPriority: true },
      // A thanks in the reported week.
      { postedAt: yvn('2026-11-19T18:00:00'), text: 'Շնորհակալություն', lowPriority: true },
    ]);
    const preview = await service().preview({ lang: 'en' });
    expect(preview.data.comparison.current).toMatchObject({ received: 3, reactions: 1, open: 1 });
    expect(preview.data.openNow).toBe(1);
    expect(preview.data.oldestOpen.map((i) => i.text)).toEqual(['Փողոցում լույս չկա <b>երեք</b> օր']);
    expect(preview.html).toMatch(/Received: <b>3<\/b> \(1, \+200%\)/);
    expect(preview.html).toMatch(/Reactions \(thanks, emoji, tags\): <b>1<\/b> \(1, /);
    expect(preview.html).toMatch(/Open now: 1, the oldest waiting 4 d 21 h\./);
    expect(preview.html).not.toContain('👍');
    // The chart counts questions too.
    expect(preview.data.chartWeeks.at(-1)).toMatchObject({ received: 3, reactions: 1 });
  });

  it('renders a PNG of the expected size with --print-style text for any week', async () => {
    const preview = await service().preview({ lang: 'hy' });
    expect(preview.week.label).toBe('2026-W47');
    expect(preview.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(preview.png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(preview.png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    expect(preview.data.chartWeeks).toHaveLength(12);
    expect(preview.data.chartWeeks.at(-1)).toMatchObject({ label: '2026-W47', received: 3, answered: 2 });
    expect(preview.html).toMatch(/Ըստ ոլորտի/);
  });
});
