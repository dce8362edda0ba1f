/**
 * Several sources per platform (issue 14): two Facebook Pages connected at
 * once — one the quick way (FACEBOOK_PAGE_ID + FACEBOOK_PAGE_ACCESS_TOKEN),
 * one added with `ardzagank sources add facebook-page … --token-stdin` (its
 * token stored encrypted with SOURCES_SECRET_KEY) — on the real service
 * against the Graph API stand-in serving both Pages. Each comment becomes an
 * inquiry of its own Page's source, each Page is polled with its own token,
 * each answer is published with its own Page's token, and the card, the
 * report's `bySource` and `/report` name the source. Then the sources CLI:
 * list, pause, resume, remove (said first, done only with --yes), and what
 * it refuses.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSourcesCommand } from '../../src/commands/sources.command.js';
import { loadConfig, type Config } from '../../src/config.js';
import { findCardView } from '../../src/db/repositories/card-view.repository.js';
import { DEFAULT_CONNECTORS } from '../../src/connectors/registry.js';
import { startService, type RunningService } from '../../src/main.js';
import { computePeriodFigures } from '../../src/reports/period-report.js';
import { renderReportForTelegram } from '../../src/reports/telegram-report.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { facebookJson, hubSignature, insertPendingReply, insertStaff, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { captureLogger, createTestDatabase, redisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const SECOND_PAGE_ID = '104710000000777';
const SECOND_PAGE_TOKEN = 'EAAGm0PX4ZCpsBASecondPageToken9b8c7d6e5f4a3b2c1d0e';
const SECRET_KEY = randomBytes(32).toString('hex');

let tdb: TestDatabase;
let graph: GraphApiFake;
let service: RunningService | undefined;
let prefix: string;

function configFor(extra: Record<string, string> = {}): Config {
  return loadConfig({
    env: {
      DATABASE_URL: tdb.url,
      REDIS_URL: redisUrl(),
      QUEUE_PREFIX: prefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      SOURCES_SECRET_KEY: SECRET_KEY,
      ...extra,
    },
  });
}

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

beforeAll(async () => {
  prefix = uniqueQueuePrefix('sources');
  [tdb, graph] = await Promise.all([
    createTestDatabase(),
    startGraphApiFake({
      page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN },
      otherPages: [{ id: SECOND_PAGE_ID, name: 'City Transport', accessToken: SECOND_PAGE_TOKEN }],
    }),
  ]);
});

afterAll(async () => {
  await service?.close();
  await graph.close();
  await tdb.close();
});

describe('two Facebook Pages at once', () => {
  it('gives each inquiry its own source, polls and answers each Page with its own token, and names the source on the card and in reports', async () => {
    // The second Page is added from the command line, its token read from standard input and stored encrypted.
    const added = cli();
    const code = await runSourcesCommand(['add', 'facebook-page', SECOND_PAGE_ID, '--name', 'City Transport', '--token-stdin'], added.io, {
      config: configFor(),
      logger: silentLogger(),
      readStdin: async () => `${SECOND_PAGE_TOKEN}\n`,
    });
    expect(added.err).toEqual([]);
    expect(code).toBe(0);
    expect(added.out.join('\n')).toMatch(/^Added City Transport as source \d+ \(facebook\)\.$/m);
    const stored = await tdb.db.selectFrom('sources').selectAll().where('externalId', '=', SECOND_PAGE_ID).executeTakeFirstOrThrow();
    expect(stored.credentialsRef).toBeNull();
    expect(stored.credentialsEncrypted).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(SECOND_PAGE_TOKEN);

    const captured = captureLogger({ level: 'debug' });
    service = await startService({ config: configFor(), logger: captured.logger, reconcileEveryMs: 3_600_000, connectors: DEFAULT_CONNECTORS });
    const db = tdb.db;
    const sources = await db.selectFrom('sources').select(['id', 'externalId', 'name']).orderBy('id').execute();
    expect(sources.map((s) => s.externalId)).toEqual([SECOND_PAGE_ID, PAGE_ID]);
    const sourceOf = new Map(sources.map((s) => [s.externalId, s.id]));

    // One comment on each Page, in one webhook delivery (Facebook batches entries of several Pages).
    const postedAt = new Date(Date.now() - 60_000);
    const firstPost = graph.seedPost({ id: `${PAGE_ID}_900000000000001`, message: 'Water works', created_time: new Date(Date.now() - 86_400_000) });
    const secondPost = graph.asPage(SECOND_PAGE_ID, () => graph.seedPost({ id: `${SECOND_PAGE_ID}_900000000000002`, message: 'Bus timetable', created_time: new Date(Date.now() - 86_400_000) }));
    const first = graph.addComment({ postId: firstPost.id, id: '900000000000001_8101', message: 'Երբ ջուր կլինի Կենտրոնում։', from: { id: '7300000000000001', name: 'Աննա' }, created_time: postedAt });
    const second = graph.asPage(SECOND_PAGE_ID, () =>
      graph.addComment({ postId: secondPost.id, id: '900000000000002_8202', message: 'Ինչու չկա 18 համարի ավտոբուսը։', from: { id: '7300000000000002', name: 'Արամ' }, created_time: postedAt }),
    );
    const a = feedCommentPayload({ commentId: first.id, postId: firstPost.id, message: first.message, createdTime: postedAt, from: { id: '7300000000000001', name: 'Աննա' } });
    const b = feedCommentPayload({ pageId: SECOND_PAGE_ID, postId: secondPost.id, commentId: second.id, message: second.message, createdTime: postedAt, from: { id: '7300000000000002', name: 'Արամ' } });
    const body = facebookJson({ object: 'page', entry: [...a.entry, ...b.entry] });
    const posted = await fetch(`${service.address}/webhooks/facebook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) }, body });
    expect(posted.status).toBe(200);

    await expect
      .poll(async () => (await db.selectFrom('inquiries').select(['externalId', 'sourceId']).orderBy('externalId').execute()), { timeout: 15_000 })
      .toEqual([
        { externalId: first.id, sourceId: sourceOf.get(PAGE_ID) },
        { externalId: second.id, sourceId: sourceOf.get(SECOND_PAGE_ID) },
      ]);

    // Each Page is polled with its own token.
    const readsBefore = graph.requests.length;
    for (const s of sources) await service.ctx.producers.pollSource(s.id);
    const feedReads = () => graph.requests.slice(readsBefore).filter((r) => r.method === 'GET' && /\/(feed|posts|conversations)$/.test(r.graphPath));
    await expect.poll(() => new Set(feedReads().map((r) => r.graphPath.split('/')[0])).size, { timeout: 15_000 }).toBe(2);
    for (const r of feedReads()) expect(r.accessToken).toBe(r.graphPath.startsWith(SECOND_PAGE_ID) ? SECOND_PAGE_TOKEN : TEST_PAGE_TOKEN);

    // One answer to each; each goes out with its own Page's token, as its own Page.
    const staffId = await insertStaff(db);
    const inquiries = await db.selectFrom('inquiries').select(['id', 'externalId']).orderBy('externalId').execute();
    const replyIds: number[] = [];
    for (const inquiry of inquiries) {
      const replyId = await insertPendingReply(db, { inquiryId: inquiry.id, staffId, text: `Պատասխան ${inquiry.externalId}` });
      replyIds.push(replyId);
      await service.ctx.producers.deliverReply(replyId);
    }
    await expect
      .poll(async () => (await db.selectFrom('replies').select('status').where('id', 'in', replyIds).orderBy('id').execute()).map((r) => r.status), { timeout: 20_000 })
      .toEqual(['sent', 'sent']);
    const publishes = graph.requests.filter((r) => r.method === 'POST' && r.graphPath.endsWith('/comments'));
    expect(publishes.map((r) => [r.graphPath, r.accessToken]).sort()).toEqual(
      [
        [`${first.id}/comments`, TEST_PAGE_TOKEN],
        [`${second.id}/comments`, SECOND_PAGE_TOKEN],
      ].sort(),
    );

    // The card, the report's bySource and /report name the source.
    const card = await findCardView(db, inquiries.find((i) => i.externalId === second.id)!.id);
    expect(card?.sourceName).toBe('City Transport');
    const config = configFor();
    const now = new Date();
    const [figures] = await computePeriodFigures(db, config, [{ from: new Date(now.getTime() - 86_400_000), to: new Date(now.getTime() + 60_000), label: 'today' }], { now });
    expect(figures!.bySource.map((s) => ({ name: s.name, sourceId: s.sourceId, received: s.received, answered: s.answered }))).toEqual([
      { name: 'City Transport', sourceId: sourceOf.get(SECOND_PAGE_ID), received: 1, answered: 1 },
      { name: `Facebook Page ${PAGE_ID}`, sourceId: sourceOf.get(PAGE_ID), received: 1, answered: 1 },
    ]);
    const telegramReport = await renderReportForTelegram(db, '', 'en', config, now);
    expect(telegramReport).toContain('<b>By source</b> (');
    expect(telegramReport).toContain('• City Transport: 1 / 1');

    // No token in any log line.
    const logged = captured.lines().join('\n');
    expect(logged).not.toContain(SECOND_PAGE_TOKEN);
    expect(logged).not.toContain(TEST_PAGE_TOKEN);
    await service.close();
    service = undefined;
  });
});

describe('ardzagank sources', () => {
  it('lists, pauses, resumes, and removes a source only once told what happens to its open inquiries', async () => {
    const config = configFor({ CITY_THIRD_PAGE_TOKEN: 'EAAGthirdPageTokenNeverShown0123456789' });
    const options = { config, logger: silentLogger() };
    const add = cli();
    expect(await runSourcesCommand(['add', 'facebook-page', '104710000000888', '--token-env', 'CITY_THIRD_PAGE_TOKEN'], add.io, options)).toBe(0);
    const id = Number(/as source (\d+)/.exec(add.out.join('\n'))![1]);

    const list = cli();
    expect(await runSourcesCommand(['list'], list.io, options)).toBe(0);
    expect(list.out.join('\n')).toMatch(new RegExp(`^${id}\\tfacebook\\t104710000000888\\tFacebook Page 104710000000888\\tactive\\tnever polled\\ttoken from CITY_THIRD_PAGE_TOKEN$`, 'm'));
    expect(list.out.join('\n')).not.toContain('EAAGthirdPageTokenNeverShown');

    // Adding it again is refused: nothing changes.
    const again = cli();
    expect(await runSourcesCommand(['add', 'facebook-page', '104710000000888', '--token-env', 'OTHER_TOKEN'], again.io, options)).toBe(1);
    expect(again.err.join('\n')).toContain(`is already source ${id}; nothing was added`);
    // Mistakes say what to do; a token on the command line is not taken as a variable's name.
    await expect(runSourcesCommand(['add', 'facebook-page', '104710000000999'], cli().io, options)).rejects.toThrow(/--token-env VARIABLE .* or --token-stdin/);
    await expect(runSourcesCommand(['add', 'facebook-page', '104710000000999', '--token-env', 'EAAGsecretvalue123456789012345678901234'], cli().io, options)).rejects.toThrow(/^--token-env takes the NAME of an environment variable ending in _TOKEN \(for example CITY_PAGE_2_TOKEN\), never the token itself/);
    const noKey = cli();
    expect(await runSourcesCommand(['add', 'instagram', '178414000000001', '--token-stdin'], noKey.io, { ...options, config: { ...config, sources: { ...config.sources, secretKey: undefined } }, readStdin: async () => 'x' })).toBe(1);
    expect(noKey.err.join('\n')).toContain('needs SOURCES_SECRET_KEY');
    expect(await tdb.db.selectFrom('sources').select('id').where('externalId', 'in', ['104710000000999', '178414000000001']).execute()).toEqual([]);

    const pause = cli();
    expect(await runSourcesCommand(['pause', String(id), 'moving', 'to', 'a', 'new', 'token'], pause.io, options)).toBe(0);
    expect(pause.out.join('\n')).toContain(`Source ${id} (Facebook Page 104710000000888) is paused`);
    const resume = cli();
    expect(await runSourcesCommand(['resume', String(id)], resume.io, options)).toBe(0);
    expect(resume.out.join('\n')).toContain(`Source ${id} (Facebook Page 104710000000888) is resumed.`);

    // An open inquiry of it: remove says what becomes of it, and removes nothing without --yes.
    await tdb.db
      .insertInto('inquiries')
      .values({ sourceId: id, platform: 'facebook', kind: 'comment', externalId: '888_1', threadId: '104710000000888_1', text: 'Հարց', postedAt: new Date(), lastCitizenAt: new Date() })
      .execute();
    const asked = cli();
    expect(await runSourcesCommand(['remove', String(id)], asked.io, options)).toBe(1);
    expect(asked.out.join('\n')).toContain('Its 1 open inquiry stays in the staff group as it is (0 claimed)');
    expect(asked.err.join('\n')).toContain(`Nothing was removed. Run "ardzagank sources remove ${id} --yes"`);
    expect((await tdb.db.selectFrom('sources').select('removedAt').where('id', '=', id).executeTakeFirstOrThrow()).removedAt).toBeNull();

    const removed = cli();
    expect(await runSourcesCommand(['remove', String(id), '--yes'], removed.io, options)).toBe(0);
    expect(removed.out.join('\n')).toContain(`Source ${id} is removed.`);
    const afterList = cli();
    await runSourcesCommand(['list'], afterList.io, options);
    expect(afterList.out.join('\n')).not.toContain('104710000000888');
    expect(await tdb.db.selectFrom('events').select('type').where('type', 'in', ['source_added', 'source_removed']).execute()).toEqual(
      expect.arrayContaining([{ type: 'source_added' }, { type: 'source_removed' }]),
    );
    // Items for a removed source are stored and ignored: it is no longer a source.
    const pauseRemoved = cli();
    expect(await runSourcesCommand(['pause', String(id)], pauseRemoved.io, options)).toBe(1);
    expect(pauseRemoved.err.join('\n')).toContain('was removed');
  });
});
