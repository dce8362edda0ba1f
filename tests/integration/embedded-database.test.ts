/**
 * The whole path on the embedded database (what `npm start` uses without
 * DATABASE_URL: a PostgreSQL the service starts in DATA_DIR and stops when it
 * closes). Through the real composition (startService with DEFAULT_PARTS),
 * the Graph API and Bot API stand-ins: a comment arrives by a signed webhook,
 * card, claim, answer, published under the comment, card "answered", author
 * told privately; then a second comment arrives and gets its card. (The
 * second comment once hung on the former embedded engine, PGlite, whose one
 * connection a notice's transaction waited for.) At the end the server is
 * gone and nothing holds its folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { testRedisUrl } from '../support/test-env.js';


const clock = createTestClock(new Date('2026-11-27T07:06:00Z')); // Friday 11:06 in Yerevan
const citizen = { id: '7500000000000001', name: 'Լուսինե Ավագյան' };
const WAIT = { timeout: 10_000 };
let graph: GraphApiFake;
let h: BotHarness;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN }, now: clock.now });
  h = await startBotHarness({
    database: 'embedded',
    clock,
    http: true,
    env: {
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function comment(postId: string, message: string, at: Date, from = citizen): Promise<{ commentId: string; inquiryId: number }> {
  const c = graph.addComment({ postId, message, from, created_time: at });
  const body = facebookJson(feedCommentPayload({ commentId: c.id, postId, message, createdTime: at, from }));
  const hook = await fetch(`${h.service.address}/webhooks/facebook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) },
    body,
  });
  expect(hook.status).toBe(200);
  let inquiryId: number | undefined;
  await expect.poll(async () => (inquiryId = (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', c.id).executeTakeFirst())?.id), WAIT).toBeDefined();
  return { commentId: c.id, inquiryId: inquiryId! };
}

describe('the embedded database', () => {
  it('runs the whole path, and the next comment after an answer still gets its card', async () => {
    expect(h.service.ctx.database.kind).toBe('embedded');
    // A real PostgreSQL server of its own (a child process), not the test server.
    const server = (await sql<{ version: string; pid: number }>`select version(), pg_backend_pid() as pid`.execute(h.service.ctx.database.db)).rows[0]!;
    expect(server.version).toMatch(/^PostgreSQL 18\./);
    const postmaster = Number(readFileSync(path.join(h.tdb.name, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(postmaster)).toBe(true);
    const post = graph.seedPost({ message: 'Ջրամատակարարման աշխատանքներ', created_time: new Date('2026-11-26T08:00:00Z') });

    // 1. A comment arrives by a signed webhook and gets its card.
    const question = 'Բարև ձեզ, Կոմիտասի 12 շենքում երեք օր է ջուր չկա։ Ե՞րբ կմիացնեն։';
    const { commentId, inquiryId: first } = await comment(post.id, question, new Date('2026-11-27T07:05:00Z'));
    let card = await h.card(first);
    expect(card.text).toContain(question);

    // 2. Claimed, answered by a reply to the card, confirmed.
    clock.set(new Date('2026-11-27T07:30:00Z'));
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(first, (c) => c.text.includes('Անի Պետրոսյան'));
    const answer = 'Բարև ձեզ, Լուսինե։ Ջուրը կմիացվի այսօր՝ 18:00-ին։';
    await h.write(people.ani, answer, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toContain(answer);
    clock.set(new Date('2026-11-27T08:17:00Z'));
    await h.press(people.ani, preview, { text: '📢 Հրապարակել' });

    // 3. Published under the comment; the card says so; the author is told
    //    privately (a notice: the path that used to hold the one connection forever).
    await expect.poll(() => graph.commentsOn(commentId).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message), WAIT).toEqual([answer]);
    await h.card(first, (c) => c.text.startsWith('✅'));
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, WAIT).toBe(`✅ Ձեր պատասխանը #${first} հարցին հրապարակվեց Facebook-ում։`);
    expect(await h.tdb.db.selectFrom('inquiries').select(['status', 'answeredVia']).where('id', '=', first).executeTakeFirstOrThrow()).toEqual({ status: 'closed', answeredVia: 'telegram' });

    // 4. The next comment after an answer (another citizen's: the same citizen's would reopen the first) is stored and gets its card.
    clock.set(new Date('2026-11-27T08:40:00Z'));
    const { inquiryId: second } = await comment(post.id, 'Իսկ Աբովյան 5-ում էլ ջուր չկա։', new Date('2026-11-27T08:40:00Z'), { id: '7100000000000002', name: 'Լուսինե' });
    expect(second).not.toBe(first);
    expect((await h.card(second)).text).toContain('Աբովյան 5-ում');

    // 5. Closing the service stops its PostgreSQL.
    await h.service.close();
    await expect.poll(() => alive(postmaster), WAIT).toBe(false);
    expect(existsSync(path.join(h.tdb.name, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
