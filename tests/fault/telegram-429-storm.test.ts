/**
 * A storm of 429 "Too Many Requests" with `retry_after` from the Bot API
 * stand-in (its flood control on, and extra 429s on sends and edits) while
 * cards are sent and then edited twice per inquiry (the citizen edits the
 * comment, the Page answers it on Facebook): every card arrives once, every
 * change reaches it, and no older state overwrites a newer one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesFor } from '../../src/bots/i18n/index.js';
import { loadConfig } from '../../src/config.js';
import { startService, type RunningService } from '../../src/main.js';
import { facebookJson, sendDeliveries, signBody, type CommentLoadItem } from '../../bench/support/facebook-load.js';
import { feedCommentPayload } from '../factories/facebook-payloads.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { createTestDatabase, removeTestQueues, testRedisUrl, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';
import { citizenComments, count, faultServiceEnv, PAGE_ID, SECRETS, STAFF_CHAT_ID } from './support/fault-service.js';

const N = 40;
let tdb: TestDatabase;
let bot: FakeBotApi;
let service: RunningService | undefined;
const prefix = uniqueQueuePrefix('storm');

beforeAll(async () => {
  [tdb, bot] = await Promise.all([createTestDatabase(), FakeBotApi.start()]);
});

afterAll(async () => {
  await service?.close();
  await bot?.close();
  if (tdb) await removeTestQueues(tdb.url, prefix);
  await tdb?.close();
});

function delivery(payload: unknown, commentId: string): CommentLoadItem {
  const body = facebookJson(payload);
  return { commentId, body, signature: signBody(body, SECRETS.appSecret) };
}

/** What the load comment `n` looks like on Facebook (see bench/support/facebook-load.ts). */
function comment(item: CommentLoadItem) {
  const value = (JSON.parse(item.body) as { entry: Array<{ changes: Array<{ value: { post_id: string; message: string; from: { id: string; name: string } } }> }> }).entry[0]!.changes[0]!.value;
  return { commentId: item.commentId, postId: value.post_id, message: value.message, from: value.from };
}

describe('a storm of 429 from Telegram', () => {
  it('every card and every edit arrives, once, and each card ends showing the latest state', async () => {
    const config = loadConfig({ env: { ...faultServiceEnv({ databaseUrl: tdb.url, redisUrl: testRedisUrl(), prefix, bot }), LOCALE: 'en' } });
    service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 60_000 });
    const base = service.address!;

    // Low enough that the burst after each 429 pause meets it on either queue transport, even on a busy machine.
    bot.rateLimit({ globalPerSecond: 10 });
    bot.failNext('sendMessage', 429, { retry_after: 1, count: 3 });

    const asked = citizenComments(N, 'st');
    await sendDeliveries(asked, { baseUrl: base, concurrency: 8 });
    await expect.poll(() => count(tdb.db, 'inquiries'), { timeout: 20_000 }).toBe(N);
    await expect.poll(() => bot.sent(STAFF_CHAT_ID).length, { timeout: 30_000, interval: 100 }).toBe(N);
    bot.failNext('editMessageText', 429, { retry_after: 1, count: 4 });

    // The citizens edit their comments, then the Page answers each on Facebook: two changes per card.
    const at = new Date();
    const edits = asked.map((item) => {
      const c = comment(item);
      return delivery(feedCommentPayload({ commentId: c.commentId, postId: c.postId, message: `${c.message} — edited`, createdTime: at, verb: 'edited', from: c.from, pageId: PAGE_ID }), c.commentId);
    });
    await sendDeliveries(edits, { baseUrl: base, concurrency: 8 });
    await expect.poll(async () => (await tdb.db.selectFrom('events').select('id').where('type', '=', 'edited').execute()).length, { timeout: 20_000 }).toBe(N);
    const answers = asked.map((item, i) => {
      const c = comment(item);
      return delivery(
        feedCommentPayload({ commentId: `${c.commentId}9${i}`, postId: c.postId, parentId: c.commentId, message: 'We have passed it on.', createdTime: new Date(at.getTime() + 60_000), from: { id: PAGE_ID, name: 'City Hall' }, pageId: PAGE_ID }),
        c.commentId,
      );
    });
    await sendDeliveries(answers, { baseUrl: base, concurrency: 8 });

    const answeredLine = messagesFor('en').stateAnsweredNative('facebook', '\u0000').split('\u0000')[0]!;
    const latest = async () => {
      const cards = await tdb.db.selectFrom('telegramCards').innerJoin('inquiries', 'inquiries.id', 'telegramCards.inquiryId').select(['telegramCards.messageId', 'inquiries.text']).execute();
      const shown = new Map(bot.sent(STAFF_CHAT_ID).map((m) => [m.messageId, m.text]));
      return cards.filter((c) => c.messageId !== null && shown.get(c.messageId)?.includes(c.text) && shown.get(c.messageId)?.includes(answeredLine)).length;
    };
    await expect.poll(latest, { timeout: 60_000, interval: 200 }).toBe(N);

    // One card per inquiry; each shows its own edited text and the answer.
    const group = bot.sent(STAFF_CHAT_ID);
    expect(group).toHaveLength(N);
    // The storm was real: besides the 7 refusals asked for, the flood control refused sends and edits, and all were waited out.
    const calls = bot.requestsFor('sendMessage').length + bot.requestsFor('editMessageText').length;
    const accepted = N + group.reduce((sum, m) => sum + m.editCount, 0);
    expect(calls - accepted).toBeGreaterThan(7);
    const inquiries = await tdb.db.selectFrom('inquiries').select(['text', 'status', 'answeredVia']).execute();
    expect(inquiries.every((i) => i.text.endsWith('— edited') && i.status === 'closed' && i.answeredVia === 'native')).toBe(true);
    for (const i of inquiries) expect(group.filter((m) => m.text.includes(i.text))).toHaveLength(1);
    expect(group.every((m) => m.editCount >= 1)).toBe(true);
  }, 120_000);
});
