/**
 * The Graph API failing 30 % of all calls (HTTP 500, no answer, and the
 * "slow down" codes 4, 17 and 613; half of the failed publishing calls did
 * publish before failing): every staff reply is published exactly once, on
 * its own comment. The whole service runs; only the Facebook part's waits
 * are in milliseconds instead of seconds and minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { createFacebookModule } from '../../src/connectors/facebook/facebook.module.js';
import { sendDeliveries } from '../../bench/support/facebook-load.js';
import { insertPendingReply, insertStaff } from '../factories/facebook-fixtures.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { citizenComments, count, faultServiceEnv, PAGE_ID, SECRETS } from './support/fault-service.js';
import { unleashGraphChaos } from './support/graph-chaos.js';

const REPLIES = 60;
const PAGE = { id: PAGE_ID, name: 'City Hall' };
let tdb: TestDatabase;
let graph: GraphApiFake;
let service: RunningService | undefined;
const prefix = uniqueQueuePrefix('graph30');

beforeAll(async () => {
  [tdb, graph] = await Promise.all([createTestDatabase(), startGraphApiFake({ page: { ...PAGE, accessToken: SECRETS.pageToken } })]);
});

afterAll(async () => {
  await service?.close();
  await graph?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

describe('Graph API with 30 % of calls failing', () => {
  it('publishes every reply exactly once', async () => {
    const config = loadConfig({ env: { ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix }), GRAPH_API_URL: graph.url } });
    // The production Facebook part, with its deadlines and waits shortened.
    const tunedFacebook = createFacebookModule({ graphTimeoutMs: 300 });
    service = await startService({
      config,
      logger: silentLogger(),
      reconcileEveryMs: 2_000,
      connectors: [(ctx) => tunedFacebook({ ...ctx, config: { ...ctx.config, facebook: { ...ctx.config.facebook, pageId: PAGE_ID, pageAccessToken: SECRETS.pageToken } } })],
      // An attempt whose outcome is unknown holds its reply for the lease: longer than the 300 ms deadline, yet short.
      tuning: { delivery: { retryDelayMs: () => 30, slowDownMs: 150, maxRateLimitMs: 500, parkDelayMs: 500, leaseMs: 1_000 } },
    });

    const comments = citizenComments(REPLIES, 'g3', graph);
    await sendDeliveries(comments, { baseUrl: service.address!, concurrency: 8 });
    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 20_000 }).toBe(REPLIES);

    const tally = unleashGraphChaos(graph, { share: 0.3, seed: 20261128, pageId: PAGE.id, pageName: PAGE.name });
    const staffId = await insertStaff(tdb.db);
    const inquiries = await tdb.db.selectFrom('inquiries').select(['id', 'externalId']).orderBy('id').execute();
    const texts = new Map<string, string>();
    for (const inquiry of inquiries) {
      const text = `Պատասխան՝ ${inquiry.externalId}`;
      texts.set(inquiry.externalId, text);
      await service.ctx.producers.deliverReply(await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text }));
    }

    await expect.poll(() => count(tdb.db, 'replies', { column: 'status', value: 'pending' }), { timeout: 90_000, interval: 100 }).toBe(0);

    // The chaos really happened, of every kind.
    expect(tally.calls).toBeGreaterThan(REPLIES);
    expect(Object.values(tally.failed).every((n) => n > 0)).toBe(true);
    expect(tally.publishedThenFailed).toBeGreaterThan(0);

    const replies = await tdb.db.selectFrom('replies').innerJoin('inquiries', 'inquiries.id', 'replies.inquiryId').select(['replies.status', 'replies.externalId', 'inquiries.externalId as comment']).execute();
    expect(replies.filter((r) => r.status !== 'sent')).toEqual([]);
    for (const reply of replies) {
      const published = graph.commentsOn(reply.comment).filter((c) => c.from?.id === PAGE.id);
      expect({ comment: reply.comment, published: published.map((c) => c.message) }).toEqual({ comment: reply.comment, published: [texts.get(reply.comment)] });
      expect(reply.externalId).toBe(published[0]!.id);
    }
    // Each inquiry answered once, through Telegram, by its reply.
    expect(await count(tdb.db, 'inquiries', { column: 'answeredVia', value: 'telegram' })).toBe(REPLIES);
  }, 120_000);
});
