/**
 * The connector of one Instagram professional account linked to the city's
 * Page (read and answered with the Page's token): polls recent media with
 * new comments and the Page's Instagram conversations, plans and publishes
 * answers (a public reply `POST /{ig-comment-id}/replies`, one private reply
 * to a commenter within 7 days, a DM within 24 hours or with the
 * `HUMAN_AGENT` tag within 7 days), looks a reply up before posting again,
 * and classifies Graph's errors as the Facebook connector does.
 */
import { classifyGraphError, type GraphErrorWording } from '../meta/graph-error-verdict.js';
import type { Logger } from '../../observability/logger.js';
import type { ReplyChannel, ReplyVisibility } from '../../db/schema.js';
import type { Connector, ErrorVerdict, PlanResult, PublishedReply, PullResult, ReplyPlan, ReplyTarget } from '../connector.js';
import { facebookTime } from '../facebook/webhook-parser.js';
import type { InstagramGraphClient, IgComment, IgMessage } from './instagram-graph-client.js';
import {
  instagramPollBatchKey,
  instagramPollItemKey,
  instagramPollItemTime,
  type InstagramPollItem,
  type InstagramPollPayload,
} from './poll-payload.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const RESPONSE_WINDOW_MS = DAY_MS;
const HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;
const PRIVATE_REPLY_WINDOW_MS = 7 * DAY_MS;

/**
 * The longest answer by channel (UTF-16 code units, see `replyTextLength`).
 * A comment: 2,200 characters (Instagram's limit for captions and comments).
 * A direct message (and a private reply, which is one): Meta's Send API for
 * Instagram takes text "less than 1000 bytes" of UTF-8: 500 units is 1,000
 * bytes of Armenian or Cyrillic; publishing also checks the bytes (3-byte
 * characters such as `…` would pass 500 units and still be too long).
 */
export const INSTAGRAM_REPLY_TEXT_LIMITS: Readonly<Record<ReplyChannel, number>> = { comment_reply: 2200, private_reply: 500, messenger: 500 };
export const INSTAGRAM_MESSAGE_MAX_BYTES = 1000;

const RECENT_MEDIA = 25;
const CONVERSATIONS = 25;
const MESSAGES_PER_CONVERSATION = 25;
const MAX_RECENT_KEYS = 2_000;

/** A DM longer than Instagram takes in bytes: refused before calling Graph. */
export class InstagramTextTooLongError extends Error {}

export interface InstagramConnectorOptions {
  graph: InstagramGraphClient;
  /** The Instagram professional account id (`17841…`). */
  accountId: string;
  /** The Page the account is linked to (its Send API and conversations); `me` with a Page token. */
  pageId: string;
  lookbackDays: number;
  overlapMs?: number;
  logger: Logger;
}

/** What an Instagram source keeps in `sources.cursor`. */
interface InstagramCursor {
  since?: string;
  recent?: string[];
  /** `comments_count` of each recent media at the last poll: a media is read again only when it changed. */
  counts?: Record<string, number>;
  /**
   * The media of the last listing, already handed to ingest as published
   * posts: a media is recorded once, when it first appears (absent in a
   * cursor of before this field: every listed media is recorded once more,
   * and `published_posts` keeps one row each).
   */
  media?: string[];
}

function readCursor(raw: Record<string, unknown>) {
  const c = raw as InstagramCursor;
  const since = typeof c.since === 'string' && !Number.isNaN(Date.parse(c.since)) ? new Date(c.since) : undefined;
  const recent = new Set(Array.isArray(c.recent) ? c.recent.filter((k): k is string => typeof k === 'string') : []);
  const counts: Record<string, number> = {};
  if (c.counts && typeof c.counts === 'object') for (const [k, v] of Object.entries(c.counts)) if (typeof v === 'number') counts[k] = v;
  const media = new Set(Array.isArray(c.media) ? c.media.filter((k): k is string => typeof k === 'string') : []);
  return { since, recent, counts, media };
}

const timeOf = (text: string | undefined): Date => facebookTime(text) ?? new Date(0);

function sameText(a: string | undefined, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  return a !== undefined && norm(a) === norm(b);
}

function days(ms: number): string {
  const d = ms / DAY_MS;
  return d >= 2 ? `${Math.floor(d)} days` : `${Math.max(1, Math.floor(ms / HOUR_MS))} hours`;
}

const PERMISSION_FOR: Record<ReplyChannel | 'read', { permission: string; why: string }> = {
  comment_reply: { permission: 'instagram_manage_comments', why: 'needed to reply to Instagram comments as the account' },
  private_reply: { permission: 'instagram_manage_messages', why: 'needed to answer an Instagram commenter privately' },
  messenger: { permission: 'instagram_manage_messages', why: 'needed to send Instagram direct messages' },
  read: { permission: 'instagram_basic and instagram_manage_comments', why: 'needed to read the account media and comments' },
};

const INSTAGRAM_WORDS: GraphErrorWording = {
  platform: 'Instagram',
  alreadyReplied: 'This comment already got its one private reply (Instagram allows one). Answer it publicly instead.',
  privateReplyClosed:
    'Instagram no longer allows a private reply to this comment (it is older than 7 days, or its author cannot receive messages). Answer it publicly instead.',
  messageWindowClosed:
    "Instagram refused the message: the citizen's messaging window is closed (24 hours after their last message, 7 days for a staff answer). Answer them another way, or wait until they write again.",
  permissionFor: PERMISSION_FOR,
  permissionFix: (permission) => `An admin must add ${permission} to the Facebook app and set a new FACEBOOK_PAGE_ACCESS_TOKEN.`,
};

export function createInstagramConnector(options: InstagramConnectorOptions): Connector & { accountId: string; hideComment(commentId: string): Promise<void> } {
  const { graph, accountId, pageId } = options;
  const overlapMs = options.overlapMs ?? 2 * 60_000;
  const log = options.logger.child({ component: 'instagram-connector' });

  return {
    platform: 'instagram',
    accountId,
    callTimeoutMs: graph.timeoutMs,

    async pull(rawCursor, now): Promise<PullResult> {
      const cursor = readCursor(rawCursor);
      const lookbackStart = new Date(now.getTime() - options.lookbackDays * DAY_MS);
      const since = cursor.since && cursor.since > lookbackStart ? cursor.since : lookbackStart;

      // One call for the media, one for the conversations; comments only of media whose count moved.
      const media = await graph.getRecentMedia(accountId, RECENT_MEDIA);
      const found: InstagramPollItem[] = [];
      const counts: Record<string, number> = {};
      // The account's own media, new to this listing: published posts (Instagram sends no webhook for them).
      const published: InstagramPollItem[] = media.filter((m) => !cursor.media.has(m.id)).map((m) => ({ kind: 'media', media: m }));
      for (const m of media) {
        const count = m.comments_count ?? 0;
        counts[m.id] = count;
        if (count === 0 || cursor.counts[m.id] === count) continue;
        for (const comment of await graph.getMediaComments(m.id)) {
          if (timeOf(comment.timestamp) < since) continue;
          found.push({ kind: 'comment', mediaId: m.id, ...(m.permalink ? { mediaPermalink: m.permalink } : {}), comment });
        }
      }
      for (const conversation of await graph.getConversations(pageId, { limit: CONVERSATIONS, messagesLimit: MESSAGES_PER_CONVERSATION })) {
        if (timeOf(conversation.updated_time) < since) continue;
        const person = conversation.participants.find((p) => p.id !== accountId);
        if (!person) continue;
        for (const message of conversation.messages) {
          if (timeOf(message.created_time) < since) continue;
          found.push({ kind: 'message', conversationId: conversation.id, participantId: person.id, message });
        }
      }

      const ours = (i: InstagramPollItem) => (i.kind === 'media' || (i.kind === 'comment' ? i.comment.from?.id === accountId : i.message.from?.id === accountId) ? 1 : 0);
      const fresh = [...published, ...found.filter((i) => !cursor.recent.has(instagramPollItemKey(i)))].sort(
        (a, b) => instagramPollItemTime(a).getTime() - instagramPollItemTime(b).getTime() || ours(a) - ours(b),
      );
      const nextSince = new Date(Math.max(since.getTime(), now.getTime() - overlapMs));
      const recent = [...new Set(found.filter((i) => instagramPollItemTime(i) >= nextSince).map(instagramPollItemKey))].slice(-MAX_RECENT_KEYS);
      const nextCursor: InstagramCursor = { since: nextSince.toISOString(), recent, counts, media: media.map((m) => m.id) };
      if (fresh.length === 0) return { batch: undefined, cursor: { ...nextCursor } };
      const payload: InstagramPollPayload = { source: 'poll', platform: 'instagram', accountId, polledAt: now.toISOString(), items: fresh };
      log.debug({ items: fresh.length, since: since.toISOString() }, 'poll found new Instagram items');
      return { batch: { dedupKey: instagramPollBatchKey(accountId, fresh), payload, items: fresh.length }, cursor: { ...nextCursor } };
    },

    planReply(target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult {
      if (target.kind === 'comment') {
        if (visibility === 'private') {
          const age = now.getTime() - target.postedAt.getTime();
          if (age > PRIVATE_REPLY_WINDOW_MS) {
            return { ok: false, reason: `Instagram allows a private reply to a comment only within 7 days; this comment is ${days(age)} old. Answer it publicly instead.` };
          }
          return { ok: true, plan: { channel: 'private_reply', target: target.externalId } };
        }
        return { ok: true, plan: { channel: 'comment_reply', target: target.externalId, threadRoot: target.parentId ?? target.externalId } };
      }
      if (target.kind === 'message') {
        const igsid = target.authorId ?? target.threadId;
        if (!igsid) return { ok: false, reason: 'This Instagram message has no sender id, so it cannot be answered from here. Answer it in the Instagram inbox.' };
        const age = now.getTime() - target.lastCitizenAt.getTime();
        if (age <= RESPONSE_WINDOW_MS) return { ok: true, plan: { channel: 'messenger', target: igsid, messagingType: 'RESPONSE' } };
        if (age <= HUMAN_AGENT_WINDOW_MS) return { ok: true, plan: { channel: 'messenger', target: igsid, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } };
        return {
          ok: false,
          reason:
            `Not sent: the citizen last wrote ${days(age)} ago, and Instagram lets the account answer a direct message only within 24 hours, ` +
            'or within 7 days as a staff member (human agent). Answer them another way, or wait until they write again.',
        };
      }
      return { ok: false, reason: 'An Instagram mention (the city tagged in someone else\'s post or comment) cannot be answered from here. Answer it on Instagram.' };
    },

    maxTextLength: (channel) => INSTAGRAM_REPLY_TEXT_LIMITS[channel],

    async publishReply(plan, text): Promise<PublishedReply> {
      if (plan.channel !== 'comment_reply' && Buffer.byteLength(text, 'utf8') >= INSTAGRAM_MESSAGE_MAX_BYTES) {
        throw new InstagramTextTooLongError(`the message is ${Buffer.byteLength(text, 'utf8')} bytes of UTF-8; Instagram takes less than ${INSTAGRAM_MESSAGE_MAX_BYTES}`);
      }
      switch (plan.channel) {
        case 'comment_reply':
          return { externalId: (await graph.replyToComment(plan.threadRoot ?? plan.target, text)).id };
        case 'private_reply':
          return { externalId: (await graph.sendMessage(pageId, { recipient: { comment_id: plan.target }, text, messagingType: 'RESPONSE' })).message_id };
        case 'messenger': {
          const sent = await graph.sendMessage(pageId, {
            recipient: { id: plan.target },
            text,
            messagingType: plan.messagingType ?? 'RESPONSE',
            ...(plan.tag ? { tag: plan.tag } : {}),
          });
          return { externalId: sent.message_id };
        }
      }
    },

    async findPublishedReply(plan, text, since, exclude): Promise<PublishedReply | undefined> {
      const oldestFirst = <T>(items: T[], time: (t: T) => Date) => [...items].sort((a, b) => time(a).getTime() - time(b).getTime());
      const ourMessage = (m: IgMessage) => !exclude.has(m.id) && m.from?.id === accountId && timeOf(m.created_time) >= since && sameText(m.message, text);
      switch (plan.channel) {
        case 'comment_reply': {
          const ours = (c: IgComment) => !exclude.has(c.id) && c.from?.id === accountId && timeOf(c.timestamp) >= since && sameText(c.text, text);
          const found = oldestFirst(await graph.getReplies(plan.threadRoot ?? plan.target), (c) => timeOf(c.timestamp)).find(ours);
          return found ? { externalId: found.id } : undefined;
        }
        case 'private_reply': {
          // The commenter's conversation with the account: the private reply lands there.
          const comment = await graph.get<{ from?: { id?: string } }>(plan.target, { fields: 'from' }, 'igCommentAuthor');
          const author = comment.from?.id;
          if (!author) return undefined;
          const conversation = await graph.getConversationWith(pageId, author);
          const found = oldestFirst(conversation?.messages ?? [], (m) => timeOf(m.created_time)).find(ourMessage);
          return found ? { externalId: found.id } : undefined;
        }
        case 'messenger': {
          const conversation = await graph.getConversationWith(pageId, plan.target);
          const found = oldestFirst(conversation?.messages ?? [], (m) => timeOf(m.created_time)).find(ourMessage);
          return found ? { externalId: found.id } : undefined;
        }
      }
    },

    async hideComment(commentId: string): Promise<void> {
      await graph.hideComment(commentId, true);
    },

    classifyError(error: unknown, plan?: ReplyPlan): ErrorVerdict {
      if (error instanceof InstagramTextTooLongError) {
        return {
          action: 'fail',
          reason: `Not sent: the answer is too long for an Instagram message (${error.message}). Shorten it and send it again.`,
          summary: error.message,
        };
      }
      return classifyGraphError(error, plan, INSTAGRAM_WORDS);
    },

    usage() {
      const usage = graph.lastUsage();
      return usage ? { percent: usage.maxPercent, regainAccessInMs: usage.regainAccessInMs } : undefined;
    },
  };
}
