/**
 * `GET|POST /webhooks/facebook` on the real service: `startService` with the
 * Facebook parts (the HTTP server built by createHttpServer, the ingest
 * worker), real Postgres and Redis, raw request bytes over loopback HTTP.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/create-db.js';
import { createHttpServer } from '../../src/http/server.js';
import { facebookWebhookRoutes } from '../../src/http/webhooks/facebook.webhook.js';
import { startService, type RunningService } from '../../src/main.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { captureLogger, createTestDatabase, queueEnv, silentLogger, uniqueQueuePrefix, type CapturedLogger, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
let fake: GraphApiFake;
let service: RunningService;
let captured: CapturedLogger;
let base: string;

beforeAll(async () => {
  [tdb, fake] = await Promise.all([createTestDatabase(), startGraphApiFake({ page: { id: PAGE_ID, name: 'Page', accessToken: TEST_PAGE_TOKEN } })]);
  captured = captureLogger({ level: 'info' });
  const config = loadConfig({
    env: {
      DATABASE_URL: tdb.url,
      ...queueEnv(),
      QUEUE_PREFIX: uniqueQueuePrefix('fbhook'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: fake.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
  // The logger is not told the secrets: the code must keep them out by itself.
  service = await startService({ config, logger: captured.logger, reconcileEveryMs: 3_600_000 });
  base = `${service.address}/webhooks/facebook`;
});

afterAll(async () => {
  await service?.close();
  await fake.close();
  await tdb.close();
});

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(base, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function inboundCount(): Promise<number> {
  return Number((await tdb.db.selectFrom('inboundEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

async function cardJobs(inquiryId: number): Promise<string[]> {
  const jobs = await service.ctx.queues.notify.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed']);
  return jobs.filter((j) => j.name === 'card.send' && j.data.inquiryId === inquiryId).map((j) => j.id!);
}

const citizen = { id: '7300000000000001', name: 'Հասմիկ Ավետիսյան' };

describe('POST /webhooks/facebook', () => {
  it('a signed feed webhook with an Armenian comment becomes one inquiry and one card job; the same delivery again changes nothing', async () => {
    const text = 'Բարև ձեզ, Երևանյան խճուղու 14 շենքի բակում երեկվանից կոյուղին է հոսում, խնդրում ենք միջոցներ ձեռնարկել։';
    const body = facebookJson(feedCommentPayload({ commentId: '900000000000001_7001', message: text, createdTime: new Date('2026-11-27T18:30:00Z'), from: citizen }));
    expect(body).toContain('\\u0532'); // as Facebook sends it: non-ASCII escaped

    const first = await post(body, { 'x-hub-signature-256': hubSignature(body) });
    expect(first.status).toBe(200);
    // Stored before the answer: the row is there as soon as the 200 is.
    const stored = await tdb.db.selectFrom('inboundEvents').selectAll().where('dedupKey', '=', createHash('sha256').update(body).digest('hex')).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.origin).toBe('webhook');

    await expect.poll(async () => (await tdb.db.selectFrom('inboundEvents').select('status').where('id', '=', stored[0]!.id).executeTakeFirstOrThrow()).status, { timeout: 10_000 }).toBe('processed');
    const inquiries = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', '900000000000001_7001').execute();
    expect(inquiries).toHaveLength(1);
    expect(inquiries[0]).toMatchObject({ platform: 'facebook', kind: 'comment', text, authorName: citizen.name, status: 'new' });
    expect(inquiries[0]!.postedAt.toISOString()).toBe('2026-11-27T18:30:00.000Z');
    // The card job is queued just after the ingest commits (the event reads 'processed' a moment before).
    await expect.poll(() => cardJobs(inquiries[0]!.id), { timeout: 10_000 }).toEqual([`card-send-${inquiries[0]!.id}`]);

    const count = await inboundCount();
    const again = await post(body, { 'x-hub-signature-256': hubSignature(body) });
    expect(again.status).toBe(200);
    expect(await inboundCount()).toBe(count);
    const metrics = await (await fetch(`${service.address}/metrics`)).text();
    expect(metrics).toContain('ardzagank_inbound_events_total{platform="facebook",origin="webhook",duplicate="true"} 1');
    expect(await tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_7001').execute()).toHaveLength(1);
    expect(await cardJobs(inquiries[0]!.id)).toHaveLength(1);
  });

  it('unsigned, wrongly signed and re-serialised deliveries get 401 and store nothing', async () => {
    const body = facebookJson(feedCommentPayload({ commentId: '900000000000001_7002', message: 'Ո՞վ է պատասխանատու', createdTime: new Date('2026-11-27T19:00:00Z'), from: citizen }));
    const before = await inboundCount();

    const unsigned = await post(body);
    const wrongSecret = await post(body, { 'x-hub-signature-256': hubSignature(body, 'not-the-app-secret-0000') });
    const malformed = await post(body, { 'x-hub-signature-256': 'sha1=abc' });
    // Parsed and serialised again: the same JSON value, other bytes (the Armenian text unescaped).
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).not.toBe(body);
    const replayed = await post(reserialised, { 'x-hub-signature-256': hubSignature(body) });

    expect([unsigned.status, wrongSecret.status, malformed.status, replayed.status]).toEqual([401, 401, 401, 401]);
    expect(await inboundCount()).toBe(before);
    expect(await tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_7002').execute()).toEqual([]);
  });

  it("a page reply on Facebook marks the citizen's inquiry answered natively, at the reply's time", async () => {
    const asked = new Date('2026-11-27T08:00:00Z');
    const answered = new Date('2026-11-27T09:47:00Z');
    const question = facebookJson(feedCommentPayload({ commentId: '900000000000001_7003', message: 'Ե՞րբ կբացվի մանկապարտեզը', createdTime: asked, from: citizen }));
    const answer = facebookJson(
      feedCommentPayload({ commentId: '900000000000001_7004', parentId: '900000000000001_7003', message: 'Սեպտեմբերի 1-ից', createdTime: answered, from: { id: PAGE_ID, name: 'Page' } }),
    );
    expect((await post(question, { 'x-hub-signature-256': hubSignature(question) })).status).toBe(200);
    await expect.poll(async () => (await tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', '900000000000001_7003').execute()).length, { timeout: 10_000 }).toBe(1);
    expect((await post(answer, { 'x-hub-signature-256': hubSignature(answer) })).status).toBe(200);

    await expect
      .poll(async () => (await tdb.db.selectFrom('inquiries').select('status').where('externalId', '=', '900000000000001_7003').executeTakeFirstOrThrow()).status, { timeout: 10_000 })
      .toBe('closed');
    const row = await tdb.db.selectFrom('inquiries').selectAll().where('externalId', '=', '900000000000001_7003').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answeredVia: 'native', answeredBy: null });
    expect(row.firstResponseAt!.toISOString()).toBe(answered.toISOString());
    expect((row.firstResponseAt!.getTime() - row.postedAt.getTime()) / 60_000).toBe(107);
  });

  it('answers 503 and stores nothing when the database cannot store the delivery, so Facebook retries; a database that is down is tried once', async () => {
    const broken = await openDatabase({ databaseUrl: tdb.url, dataDir: '/nonexistent', logger: silentLogger() });
    await broken.close();
    // Counts the statements tried: the careful way (parse, clean, store again) is for values PostgreSQL refuses, not for a database that is down.
    let attempts = 0;
    const db = broken.db.withPlugin({
      transformQuery: (args) => {
        attempts++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const app = await createHttpServer({
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      readiness: [],
      routes: [facebookWebhookRoutes({ db, producers: { ingest: async () => undefined }, logger: silentLogger(), appSecret: TEST_APP_SECRET, verifyToken: TEST_VERIFY_TOKEN })],
    });
    try {
      const body = facebookJson(feedCommentPayload({ commentId: '900000000000001_7005', message: 'Բարև', createdTime: new Date('2026-11-27T10:00:00Z'), from: citizen }));
      const response = await app.inject({ method: 'POST', url: '/webhooks/facebook', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, payload: body });
      expect(response.statusCode).toBe(503);
      expect(attempts).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('GET /webhooks/facebook (subscription handshake)', () => {
  it('echoes hub.challenge for the right verify token and refuses a wrong one with 403', async () => {
    const ok = await fetch(`${base}?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');

    const wrong = await fetch(`${base}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`);
    const noMode = await fetch(`${base}?hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1`);
    expect([wrong.status, noMode.status]).toEqual([403, 403]);
    expect(await wrong.text()).not.toContain('1158201444');
  });

  it('keeps the token, the app secret and the verify token out of every log line', () => {
    const text = captured.text();
    expect(text).toMatch(/webhook refused: missing or wrong X-Hub-Signature-256/);
    for (const secret of [TEST_PAGE_TOKEN, TEST_APP_SECRET, TEST_VERIFY_TOKEN]) expect(text).not.toContain(secret);
  });
});
