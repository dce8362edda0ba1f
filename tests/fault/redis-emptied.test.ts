/**
 * The queues emptied while work is pending: FLUSHALL on a private
 * redis-server when the run's queues are on Redis, every queue table
 * truncated when they are in PostgreSQL. With work pending:
 * webhooks stored but not ingested, cards not yet in the group, replies not
 * yet published. Postgres is the source of truth: the running service must
 * notice, restore its schedules and queue everything again, and nothing is
 * lost or done twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { jobId } from '../../src/queue/jobs.js';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { insertPendingReply, insertStaff } from '../factories/facebook-fixtures.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { sql } from 'kysely';
import { queueSchemaName } from '../../src/queue/transport.js';
import { createTestDatabase, silentLogger, testRedisUrl, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { cardsAtTelegram, citizenComments, count, faultServiceEnv, inquiryTally, PAGE_ID, SECRETS } from './support/fault-service.js';
import { startEmptiableQueues, type EmptiableQueues } from './support/private-servers.js';

let queuesStore: EmptiableQueues;
let tdb: TestDatabase;
const prefix = uniqueQueuePrefix('flush');
let graph: GraphApiFake;
let bot: FakeBotApi;
let service: RunningService | undefined;

beforeAll(async () => {
  [tdb, graph, bot] = await Promise.all([
    createTestDatabase(),
    startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: SECRETS.pageToken } }),
    FakeBotApi.start(),
  ]);
  queuesStore = await startEmptiableQueues(tdb.url, prefix);
});

afterAll(async () => {
  await service?.close();
  await Promise.all([queuesStore?.stop(), graph?.close(), bot?.close()]);
  await tdb?.close();
});

describe('the queues emptied with work pending (Redis FLUSHALL, or the PostgreSQL queue tables truncated)', () => {
  it('the reconciler restores every pending ingest, card and reply from Postgres: nothing lost, nothing twice', async () => {
    const config = loadConfig({ env: faultServiceEnv({ databaseUrl: tdb.url, redisUrl: queuesStore.redisUrl, prefix, graph, bot }) });
    service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 1_000 });
    const { queues, producers } = service.ctx;
    const base = service.address!;

    // Forty questions go the whole way to their cards.
    const answered = citizenComments(40, 'fl', graph);
    await sendDeliveries(answered, { baseUrl: base, concurrency: 8 });
    await expect.poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 20_000 }).toBe(40);

    // From now on the queues hold work without doing it: replies to those forty, two hundred new webhooks.
    await Promise.all([queues.ingest.pause(), queues.notify.pause(), queues.deliver.pause()]);
    const staffId = await insertStaff(tdb.db);
    const inquiries = await tdb.db.selectFrom('inquiries').select(['id', 'externalId']).orderBy('id').execute();
    const replyIds: number[] = [];
    for (const inquiry of inquiries) {
      const id = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: `Պատասխան ${inquiry.externalId}` });
      replyIds.push(id);
      await producers.deliverReply(id);
    }
    const waiting = citizenComments(200, 'fl', graph, 40);
    await sendDeliveries(waiting, { baseUrl: base, concurrency: 16 });
    expect(await count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' })).toBe(200);
    expect((await queues.deliver.getJob(jobId.replyDeliver(replyIds[0]!)))?.id).toBeDefined();

    await queuesStore.empty();

    await expect
      .poll(async () => ({ pendingInbound: await count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' }), pendingReplies: await count(tdb.db, 'replies', { column: 'status', value: 'pending' }) }), {
        timeout: 30_000,
        interval: 100,
      })
      .toEqual({ pendingInbound: 0, pendingReplies: 0 });
    await expect.poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 30_000 }).toBe(240);

    expect(await inquiryTally(tdb.db)).toEqual({ total: 240, distinctExternalIds: 240, ingestedEvents: 240 });
    // Each reply published once, under its own comment.
    expect(await count(tdb.db, 'replies', { column: 'status', value: 'sent' })).toBe(40);
    for (const inquiry of inquiries) {
      expect(graph.commentsOn(inquiry.externalId).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message)).toEqual([`Պատասխան ${inquiry.externalId}`]);
    }
    // One card message per inquiry in the group, the one its row records.
    const cards = await cardsAtTelegram(tdb.db, bot);
    expect(cards.strays).toBe(0);
    for (const [inquiryId, messages] of cards.perInquiry) expect({ inquiryId, messages }).toEqual({ inquiryId, messages: [cards.recorded.get(inquiryId)] });
    // The schedules the queues lost are back.
    expect(await queues.schedule.getJobScheduler('reconcile')).toBeDefined();
    expect(await queues.schedule.getJobScheduler('telegram-reminders')).toBeDefined();
  }, 90_000);
});

describe.skipIf(testRedisUrl() !== undefined)('the queue tables dropped while the service runs (queues in PostgreSQL)', () => {
  it('the watchdog creates them again, restores the schedules, and the reconciler every pending ingest and card: nothing lost, nothing twice', async () => {
    await service?.close();
    service = undefined;
    const dropPrefix = uniqueQueuePrefix('drop');
    const config = loadConfig({ env: faultServiceEnv({ databaseUrl: tdb.url, redisUrl: undefined, prefix: dropPrefix, graph, bot }) });
    service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 1_000 });
    const { queues } = service.ctx;
    const base = service.address!;
    const cardsBefore = (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length;
    const inquiriesBefore = await count(tdb.db, 'inquiries');

    await sendDeliveries(citizenComments(10, 'dr', graph, 1_000), { baseUrl: base, concurrency: 8 });
    await expect.poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 20_000 }).toBe(cardsBefore + 10);

    // Work waits in the queues, then their schema goes: tables, jobs, schedules, the paused state.
    await Promise.all([queues.ingest.pause(), queues.notify.pause()]);
    await sendDeliveries(citizenComments(30, 'dr', graph, 1_010), { baseUrl: base, concurrency: 8 });
    expect(await count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' })).toBe(30);
    await sql`drop schema ${sql.id(queueSchemaName(dropPrefix))} cascade`.execute(tdb.db);

    await expect.poll(() => count(tdb.db, 'inboundEvents', { column: 'status', value: 'pending' }), { timeout: 30_000, interval: 100 }).toBe(0);
    await expect
      .poll(async () => (await tdb.db.selectFrom('telegramCards').select('messageId').where('messageId', 'is not', null).execute()).length, { timeout: 30_000 })
      .toBe(cardsBefore + 40);
    expect(await count(tdb.db, 'inquiries')).toBe(inquiriesBefore + 40);
    const cards = await cardsAtTelegram(tdb.db, bot);
    expect(cards.strays).toBe(0);
    for (const [inquiryId, messages] of cards.perInquiry) expect({ inquiryId, messages }).toEqual({ inquiryId, messages: [cards.recorded.get(inquiryId)] });
    expect(await queues.schedule.getJobScheduler('reconcile')).toBeDefined();
    expect(await queues.schedule.getJobScheduler('telegram-reminders')).toBeDefined();
  }, 90_000);
});
