/**
 * The discussion group's pace applies to published answers as to cards: an
 * answer whose group slot is taken (by a card, another answer, another
 * instance — the pace lives in PostgreSQL, `telegram_group_pace`) is not sent; the connector says to
 * slow down for the time left, and the next attempt sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupPacer } from '../../src/bots/group-pacer.js';
import { createTelegramChannelConnector, GroupPaceWait } from '../../src/connectors/telegram-channel/telegram-channel.connector.js';
import { createTelegramClient } from '../../src/telegram/telegram-client.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-env.js';

const CHANNEL_ID = -1001900000001;
const DISCUSSION_ID = -1001900000002;
let bot: FakeBotApi;
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  bot = await FakeBotApi.start();
  bot.addChannel({ channel: { id: CHANNEL_ID, title: 'Channel' }, discussion: { id: DISCUSSION_ID, title: 'Discussion' } });
});

afterAll(async () => {
  await bot.close();
  await tdb.close();
});

describe('answers in the discussion group', () => {
  it('wait for the group\'s pace (shared with the cards) instead of being sent at once', async () => {
    const post = bot.channelPost({ channelId: CHANNEL_ID, text: 'Post' });
    const root = (post as unknown as { message: { message_id: number } }).message.message_id;
    const comment: TelegramUpdate = bot.commentUpdate({ chatId: DISCUSSION_ID, threadId: root, from: { id: 42, first_name: 'Citizen' }, text: 'Question?' });
    const commentId = (comment as unknown as { message: { message_id: number } }).message.message_id;

    // One message a minute: a card just took the group's slot.
    const pacer = createGroupPacer({ db: tdb.db, perMinute: 1 });
    expect(await pacer.reserve(DISCUSSION_ID)).toBe(0);
    const client = createTelegramClient({ token: bot.token, apiRoot: bot.url, logger: silentLogger() });
    const connector = createTelegramChannelConnector({ client, pacer, chatId: DISCUSSION_ID, name: 'Channel' });
    const planned = connector.planReply(
      { kind: 'comment', externalId: `${DISCUSSION_ID}:${commentId}`, parentId: null, threadId: `${DISCUSSION_ID}:${root}`, authorId: '42', postedAt: new Date(), lastCitizenAt: new Date() },
      'public',
      new Date(),
    );
    if (!planned.ok) throw new Error(planned.reason.code);

    const refused = await connector.publishReply(planned.plan, 'Answer').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GroupPaceWait);
    const verdict = connector.classifyError(refused);
    expect(verdict.action).toBe('slow_down');
    expect((verdict as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((verdict as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(bot.sent(DISCUSSION_ID)).toEqual([]);

    // With the slot free again (here: a faster pace), it goes out as a reply to the comment.
    await tdb.db.deleteFrom('telegramGroupPace').execute();
    const published = await connector.publishReply(planned.plan, 'Answer <b>& more</b>');
    expect(bot.sent(DISCUSSION_ID).map((m) => ({ text: m.text, replyTo: m.replyToMessageId, id: `${DISCUSSION_ID}:${m.messageId}` }))).toEqual([
      { text: 'Answer <b>& more</b>', replyTo: commentId, id: published.externalId },
    ]);
    // A private answer cannot go out in a discussion group.
    expect(connector.planReply({ kind: 'comment', externalId: `${DISCUSSION_ID}:${commentId}`, parentId: null, threadId: null, authorId: '42', postedAt: new Date(), lastCitizenAt: new Date() }, 'private', new Date()).ok).toBe(false);
  });
});
