/**
 * The shape for many platforms: a second connector module registered next
 * to Facebook on the real composition (`startService`). Each platform's
 * payloads are parsed by its own module, both sources are polled through
 * the one `source.poll` handler, and the one `reply.deliver` worker
 * publishes each reply on its own platform (before, a second connector part
 * built a second deliver worker on the same queue, which failed the first
 * platform's replies for good, and overwrote its poll handler).
 *
 * The test platform speaks through its own loopback stand-in (a tiny HTTP
 * API below); it uses the platform name `instagram` only because the
 * database knows three platforms (the real Instagram module is left out).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramPart } from '../../src/bots/telegram.part.js';
import { publicPagePart } from '../../src/reports/public/public-page.part.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Connector, ConnectorModule, PublishedReply, ReplyPlan } from '../../src/connectors/connector.js';
import { PayloadError } from '../../src/connectors/payload-error.js';
import { instagramModule } from '../../src/connectors/instagram/instagram.module.js';
import { DEFAULT_CONNECTORS, type ConnectorFactory } from '../../src/connectors/registry.js';
import { upsertSource } from '../../src/db/repositories/source.repository.js';
import type { InboundItem } from '../../src/domain/inquiry.js';
import { DEFAULT_PARTS, startService, type RunningService } from '../../src/main.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { facebookJson, hubSignature, insertPendingReply, insertStaff, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { createTestDatabase, queueEnv, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const ACCOUNT = 'town-square-7';

/** The test platform's API: items to read, replies posted, every request recorded. */
interface TestPlatformStandIn {
  url: string;
  items: Array<{ id: string; thread: string; author: string; text: string; time: string }>;
  requests: Array<{ method: string; path: string; body: string }>;
  close(): Promise<void>;
}

async function startTestPlatform(): Promise<TestPlatformStandIn> {
  const items: TestPlatformStandIn['items'] = [];
  const requests: TestPlatformStandIn['requests'] = [];
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    return body;
  };
  let replies = 0;
  const server: Server = createServer((req, res) => {
    void read(req).then((body) => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, body });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && path.startsWith(`/${ACCOUNT}/items`)) return res.end(JSON.stringify({ items }));
      if (req.method === 'POST' && path === `/${ACCOUNT}/replies`) return res.end(JSON.stringify({ id: `reply-${++replies}` }));
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    items,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the test platform's payloads were parsed by (each module records its own). */
const parsedBy: Array<{ platform: string; payload: unknown }> = [];

function testPlatformModule(api: TestPlatformStandIn): ConnectorFactory {
  const parse = (payload: unknown): InboundItem[] => {
    parsedBy.push({ platform: 'test', payload });
    const items = (payload as { items?: TestPlatformStandIn['items'] }).items;
    if (!Array.isArray(items)) throw new PayloadError('not a test platform payload');
    return items.map((i) => ({
      type: 'citizen_item',
      platform: 'instagram',
      accountId: ACCOUNT,
      kind: 'comment',
      externalId: i.id,
      threadId: i.thread,
      parentId: null,
      authorId: i.author,
      authorName: i.author,
      text: i.text,
      attachments: [],
      permalink: null,
      postedAt: new Date(i.time),
    }));
  };
  return async (ctx) => {
    const source = await upsertSource(ctx.database.db, { platform: 'instagram', externalId: ACCOUNT, name: 'Test platform', credentialsRef: 'TEST_PLATFORM_TOKEN' });
    const connector: Connector = {
      platform: 'instagram',
      pull: async (cursor) => {
        const { items } = (await (await fetch(`${api.url}/${ACCOUNT}/items`)).json()) as { items: TestPlatformStandIn['items'] };
        const seen = new Set((cursor.seen as string[] | undefined) ?? []);
        const fresh = items.filter((i) => !seen.has(i.id));
        return {
          batch: fresh.length ? { dedupKey: `test-poll-${fresh.map((i) => i.id).join('-')}`, payload: { items: fresh }, items: fresh.length } : undefined,
          cursor: { seen: [...seen, ...fresh.map((i) => i.id)] },
        };
      },
      planReply: (target) => ({ ok: true, plan: { channel: 'comment_reply', target: target.externalId } }),
      maxTextLength: () => 1000,
      publishReply: async (plan: ReplyPlan, text: string): Promise<PublishedReply> => {
        const res = await fetch(`${api.url}/${ACCOUNT}/replies`, { method: 'POST', body: JSON.stringify({ to: plan.target, text }) });
        return { externalId: ((await res.json()) as { id: string }).id };
      },
      findPublishedReply: async () => undefined,
      classifyError: (error) => ({ action: 'retry', outcomeUnknown: false, summary: String(error) }),
      usage: () => undefined,
    };
    const module: ConnectorModule = { platform: 'instagram', parse, accounts: [{ sourceId: source.id, connector }] };
    return module;
  };
}

function configFor(tdb: TestDatabase, graph: GraphApiFake, extra: Record<string, string> = {}): Config {
  return loadConfig({
    env: {
      DATABASE_URL: tdb.url,
      ...queueEnv(),
      QUEUE_PREFIX: uniqueQueuePrefix('registry'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      ...extra,
    },
  });
}

let tdb: TestDatabase;
let graph: GraphApiFake;
let platform: TestPlatformStandIn;
let service: RunningService | undefined;

beforeAll(async () => {
  [tdb, graph, platform] = await Promise.all([
    createTestDatabase(),
    startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN } }),
    startTestPlatform(),
  ]);
});

afterAll(async () => {
  await service?.close();
  await Promise.all([graph.close(), platform.close()]);
  await tdb.close();
});

describe('a second connector next to Facebook', () => {
  it('ingests each platform through its own module, polls both, and the one deliver worker publishes each reply on its own platform', async () => {
    service = await startService({ config: configFor(tdb, graph), logger: silentLogger(), reconcileEveryMs: 3_600_000, connectors: [...DEFAULT_CONNECTORS.filter((f) => f !== instagramModule), testPlatformModule(platform)] });
    const db = tdb.db;

    // In: a Facebook comment (by webhook, and found again by the Page's poll), and a comment on the test platform found by its poll.
    const citizen = { id: '7300000000000009', name: 'Արամ' };
    const message = 'Երբ կվերանորոգեն մեր փողոցի լույսերը։';
    const postedAt = new Date(Date.now() - 60_000);
    const post = graph.seedPost({ id: `${PAGE_ID}_900000000000001`, message: 'Announcement', created_time: new Date(Date.now() - 86_400_000) });
    const comment = graph.addComment({ postId: post.id, id: '900000000000001_8101', message, from: citizen, created_time: postedAt });
    const body = facebookJson(feedCommentPayload({ commentId: comment.id, message, createdTime: postedAt, from: citizen }));
    const posted = await fetch(`${service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, body });
    expect(posted.status).toBe(200);
    platform.items.push({ id: 'tp-1', thread: 'post-1', author: 'citizen-1', text: 'When will the bus stop be repaired?', time: new Date().toISOString() });

    const sources = await db.selectFrom('sources').select(['id', 'platform']).orderBy('id').execute();
    expect(sources.map((s) => s.platform).sort()).toEqual(['facebook', 'instagram']);
    const graphReadsBefore = graph.requests.filter((r) => r.method === 'GET').length;
    for (const s of sources) await service.ctx.producers.pollSource(s.id);

    await expect.poll(async () => (await db.selectFrom('inquiries').select('platform').execute()).map((i) => i.platform).sort(), { timeout: 15_000 }).toEqual(['facebook', 'instagram']);
    // Both polls ran: the Graph API was read for the Page, the stand-in for the test account.
    await expect.poll(() => graph.requests.filter((r) => r.method === 'GET').length > graphReadsBefore, { timeout: 10_000 }).toBe(true);
    expect(platform.requests.some((r) => r.method === 'GET' && r.path.startsWith(`/${ACCOUNT}/items`))).toBe(true);
    // The test platform's payload went through its module only; Facebook's never did.
    expect(parsedBy.length).toBeGreaterThan(0);
    expect(parsedBy.every((p) => JSON.stringify(p.payload).includes('tp-1'))).toBe(true);

    // Out: one reply to each, through the one deliver worker.
    const staffId = await insertStaff(db);
    const inquiries = await db.selectFrom('inquiries').select(['id', 'platform', 'externalId']).execute();
    const replyIds: number[] = [];
    for (const inquiry of inquiries) {
      const replyId = await insertPendingReply(db, { inquiryId: inquiry.id, staffId, text: `Պատասխան ${inquiry.platform}` });
      replyIds.push(replyId);
      await service.ctx.producers.deliverReply(replyId);
    }
    await expect
      .poll(async () => (await db.selectFrom('replies').select('status').where('id', 'in', replyIds).execute()).map((r) => r.status), { timeout: 15_000 })
      .toEqual(['sent', 'sent']);

    const facebookPosts = graph.requests.filter((r) => r.method === 'POST' && r.graphPath.endsWith('/comments'));
    expect(facebookPosts).toHaveLength(1);
    expect(facebookPosts[0]!.graphPath).toContain('900000000000001_8101');
    const testPosts = platform.requests.filter((r) => r.method === 'POST');
    expect(testPosts).toHaveLength(1);
    expect(JSON.parse(testPosts[0]!.body)).toEqual({ to: 'tp-1', text: 'Պատասխան instagram' });
    const answered = await db.selectFrom('inquiries').select(['platform', 'status', 'answeredVia']).orderBy('platform').execute();
    expect(answered).toEqual([
      { platform: 'facebook', status: 'closed', answeredVia: 'telegram' },
      { platform: 'instagram', status: 'closed', answeredVia: 'telegram' },
    ]);
    await service.close();
    service = undefined;
  });
});

describe('the start', () => {
  it('fails with one sentence naming a job that has no handler', async () => {
    // Without the digest part, nothing handles the scheduled `digest.send`.
    const withoutDigest = DEFAULT_PARTS.filter((p) => p !== DEFAULT_PARTS.at(-1));
    expect(withoutDigest).toEqual([telegramPart, publicPagePart]);
    const db2 = await createTestDatabase();
    try {
      const started = startService({ config: configFor(db2, graph), logger: silentLogger(), http: false, defaultParts: withoutDigest });
      await expect(started).rejects.toThrow(/^The "schedule" queue has no handler for job "digest\.send": [^\n]+\.$/);
    } finally {
      await db2.close();
    }
  });
});
