/**
 * One Telegram channel's discussion group as a connector: staff answers are
 * posted in the group as replies to the citizen's comment, at the group's
 * pace (TELEGRAM_GROUP_MESSAGES_PER_MINUTE, shared with the cards through
 * Redis). Nothing is polled: the group's updates come through the bot's one
 * update source (long polling or webhook) and are stored as they arrive.
 * Bots cannot read a group's history, so a reply whose outcome is unknown
 * cannot be looked up.
 */
import type { GroupPacer } from '../../bots/group-pacer.js';
import type { ReplyVisibility } from '../../domain/reply.js';
import { failure } from '../../domain/failure-reason.js';
import type { TelegramClient } from '../../telegram/telegram-client.js';
import { TelegramApiError, TelegramHttpError } from '../../telegram/telegram-errors.js';
import { escapeHtml } from '../../telegram/telegram-text.js';
import type { Connector, ErrorVerdict, PlanResult, ReplyPlan, ReplyTarget } from '../connector.js';
import { parseTelegramItemId, telegramItemId } from './channel-update-parser.js';

/** The group's pace says to wait before the next message into it. */
export class GroupPaceWait extends Error {
  constructor(readonly waitMs: number) {
    super(`the discussion group's pace: the next message in ${waitMs} ms`);
    this.name = this.constructor.name;
  }
}

/** Telegram's longest message, in UTF-16 code units after parsing (the text is sent escaped, as plain text). */
const TELEGRAM_TEXT_MAX = 4096;

export interface TelegramChannelConnectorOptions {
  client: TelegramClient;
  pacer: GroupPacer;
  /** The discussion group's chat id (the source's external id). */
  chatId: number;
  /** How the source is called in what staff read. */
  name: string;
}

export function createTelegramChannelConnector(options: TelegramChannelConnectorOptions): Connector {
  const { client, pacer, chatId } = options;
  return {
    platform: 'telegram',
    callTimeoutMs: 30_000,
    pull: async (cursor) => ({ batch: undefined, cursor }),
    planReply(target: ReplyTarget, visibility: ReplyVisibility): PlanResult {
      if (visibility === 'private') {
        return { ok: false, reason: failure('telegram_no_private_reply', {}) };
      }
      if (!parseTelegramItemId(target.externalId)) return { ok: false, reason: failure('telegram_not_a_comment', { source: options.name }) };
      return { ok: true, plan: { channel: 'comment_reply', target: target.externalId } };
    },
    maxTextLength: () => TELEGRAM_TEXT_MAX,
    async publishReply(plan: ReplyPlan, text: string) {
      const target = parseTelegramItemId(plan.target)!;
      // The group's pace applies to answers as to cards: wait in the queue, not here.
      const waitMs = await pacer.reserve(chatId);
      if (waitMs > 0) throw new GroupPaceWait(waitMs);
      const sent = await client.sendMessage(target.chatId, escapeHtml(text), { replyToMessageId: target.messageId, requireReplyTarget: true, disableLinkPreview: true });
      return { externalId: telegramItemId(target.chatId, sent.message_id) };
    },
    findPublishedReply: async () => undefined,
    classifyError(error: unknown): ErrorVerdict {
      if (error instanceof GroupPaceWait) return { action: 'slow_down', retryAfterMs: error.waitMs, summary: error.message };
      if (error instanceof TelegramApiError) {
        const summary = `Telegram ${error.code}: ${error.description}`;
        if (error.isRateLimit()) return { action: 'slow_down', retryAfterMs: (error.retryAfterSeconds ?? 1) * 1000, summary };
        if (error.isUnauthorized()) return { action: 'pause_source', summary };
        if (error.isForbidden()) {
          return { action: 'fail', reason: failure('telegram_bot_removed', { source: options.name }), summary };
        }
        if (/message to be replied not found/i.test(error.description)) {
          return { action: 'fail', reason: failure('telegram_comment_gone', {}), summary };
        }
        if (/not enough rights/i.test(error.description)) {
          return { action: 'fail', reason: failure('telegram_no_rights', { source: options.name }), summary };
        }
        if (error.isRetryable()) return { action: 'retry', outcomeUnknown: false, summary };
        return { action: 'fail', reason: failure('telegram_refused', { description: error.description }), summary };
      }
      if (error instanceof TelegramHttpError) return { action: 'retry', outcomeUnknown: error.timedOut, summary: error.message };
      return { action: 'retry', outcomeUnknown: true, summary: error instanceof Error ? error.message : String(error) };
    },
    usage: () => undefined,
  };
}
