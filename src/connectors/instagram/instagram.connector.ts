/**
 * The connector of one Instagram professional account linked to the city's
 * Page (read and answered with the Page's token): polls recent media with
 * new comments and the Page's Instagram conversations, plans and publishes
 * answers (a public reply `POST /{ig-comment-id}/replies`, one private reply
 * to a commenter within 7 days, a DM within 24 hours or with the
 * `HUMAN_AGENT` tag within 7 days, a comment where the account was
 * mentioned `POST /{ig-user-id}/mentions`), reads what a mention says (its
 * webhook gives only ids), looks a reply up before posting again, and
 * classifies Graph's errors as the Facebook connector does. The comments
 * of a media read for its new ones bring every comment's `like_count`
 * ({@link PullResult.likes}); likes alone do not move a media's
 * `comments_count`, so they wait for its next comment.
 *
 * A mention is read and answered through the account (`mentioned_comment`,
 * `mentioned_media`, `/mentions`): the media and comment are someone
 * else's, and Graph does not let the account read them directly. Its
 * inquiry's `externalId` is the mentioning comment, or the media for a
 * mention in a caption (then `threadId` is the same media). Polling cannot
 * find mentions: Graph has no edge listing them (`/{ig-user-id}/tags` is
 * photo tags, not @mentions) and Meta does not keep mention webhooks, so
 * they come by webhook only.
 */
import { classifyGraphError, type GraphErrorWording } from '../meta/graph-error-verdict.js';
import { planMetaReply } from '../meta/reply-windows.js';
import type { Logger } from '../../observability/logger.js';
import { failure, type MentionLookUpObstacle } from '../../domain/failure-reason.js';
import type { ReplyChannel, ReplyVisibility } from '../../db/schema.js';
import type { Connector, ErrorVerdict, ItemDetails, PlanResult, PublishedReply, PullResult, ReplyPlan, ReplyTarget } from '../connector.js';
import { facebookTime } from '../meta/webhook-fields.js';
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

/**
 * The longest answer by channel (UTF-16 code units, see `replyTextLength`).
 * A comment: 2,200 characters (Instagram's limit for captions and comments).
 * A direct message (and a private reply, which is one): Meta's Send API for
 * Instagram takes text "less than 1000 bytes" of UTF-8: 500 units is 1,000
 * bytes of Armenian or Cyrillic; publishing also checks the bytes (3-byte
 * characters such as `…` would pass 500 units and still be too long).
 * An answer to a mention is a comment too (`POST /{ig-user-id}/mentions`
 * creates an IG Comment): 2,200.
 */
export const INSTAGRAM_REPLY_TEXT_LIMITS: Readonly<Record<ReplyChannel, number>> = { comment_reply: 2200, private_reply: 500, messenger: 500, mention_reply: 2200 };
export const INSTAGRAM_MESSAGE_MAX_BYTES = 1000;

const RECENT_MEDIA = 25;
const CONVERSATIONS = 25;
const MESSAGES_PER_CONVERSATION = 25;
const MAX_RECENT_KEYS = 2_000;

/** A DM longer than Instagram takes in bytes: refused before calling Graph. */
export class InstagramTextTooLongError extends Error {
  constructor(
    /** The text's length in bytes of UTF-8. */
    readonly bytes: number,
  ) {
    super(`the message is ${bytes} bytes of UTF-8; Instagram takes less than ${INSTAGRAM_MESSAGE_MAX_BYTES}`);
    this.name = this.constructor.name;
  }
}

/**
 * Graph gives no way to see whether the account's answer to a mention is
 * there: the replies under someone else's comment cannot be read, and a
 * media with more comments than one read shows only part of them. The
 * outcome of an earlier attempt stays unknown.
 */
export class MentionLookUpImpossibleError extends Error {
  constructor(readonly why: MentionLookUpObstacle) {
    super(
      {
        comment_replies: 'Instagram does not let the account read the replies under a comment that mentioned it',
        too_many_comments: 'the media has more comments than Instagram shows the account at once',
        no_username: "Instagram did not give the account's username, so its comments cannot be told apart",
      }[why],
    );
    this.name = this.constructor.name;
  }
}

/** A mention's media and, for one in a comment, the comment (see the file's header). */
function mentionRef(item: Pick<ReplyTarget, 'externalId' | 'threadId'>): { mediaId: string | null; commentId: string | undefined } {
  if (item.threadId !== null && item.threadId === item.externalId) return { mediaId: item.threadId, commentId: undefined };
  return { mediaId: item.threadId, commentId: item.externalId };
}

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

/** The Graph permissions each kind of call needs, for refusals that do not name one. */
const PERMISSION_FOR: Record<ReplyChannel | 'read', string> = {
  comment_reply: 'instagram_manage_comments',
  private_reply: 'instagram_manage_messages',
  messenger: 'instagram_manage_messages',
  mention_reply: 'instagram_manage_comments',
  read: 'instagram_basic and instagram_manage_comments',
};

const INSTAGRAM_WORDS: GraphErrorWording = { platform: 'instagram', permissionFor: PERMISSION_FOR };

/** How a mention is answered: a comment where it was made, through the account's `/mentions` edge. */
function planMentionReply(target: ReplyTarget, visibility: ReplyVisibility): PlanResult {
  if (visibility === 'private') {
    return { ok: false, reason: failure('mention_no_private_answer', { platform: 'instagram' }) };
  }
  const { mediaId, commentId } = mentionRef(target);
  if (mediaId === null) {
    return { ok: false, reason: failure('mention_media_unknown', { platform: 'instagram' }) };
  }
  return { ok: true, plan: { channel: 'mention_reply', target: commentId ?? mediaId, mediaId } };
}

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
      // Likes of every comment of the media read anyway (a media is read when it has new comments; likes alone do not move its count).
      const likes: Array<{ externalId: string; likeCount: number }> = [];
      // The account's own media, new to this listing: published posts (Instagram sends no webhook for them).
      const published: InstagramPollItem[] = media.filter((m) => !cursor.media.has(m.id)).map((m) => ({ kind: 'media', media: m }));
      for (const m of media) {
        const count = m.comments_count ?? 0;
        counts[m.id] = count;
        if (count === 0 || cursor.counts[m.id] === count) continue;
        for (const comment of await graph.getMediaComments(m.id)) {
          if (comment.from?.id !== accountId && typeof comment.like_count === 'number') likes.push({ externalId: comment.id, likeCount: comment.like_count });
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
      if (fresh.length === 0) return { batch: undefined, cursor: { ...nextCursor }, likes };
      const payload: InstagramPollPayload = { source: 'poll', platform: 'instagram', accountId, polledAt: now.toISOString(), items: fresh };
      log.debug({ items: fresh.length, since: since.toISOString() }, 'poll found new Instagram items');
      return { batch: { dedupKey: instagramPollBatchKey(accountId, fresh), payload, items: fresh.length }, cursor: { ...nextCursor }, likes };
    },

    planReply(target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult {
      return planMetaReply('instagram', target, visibility, now) ?? planMentionReply(target, visibility);
    },

    maxTextLength: (channel) => INSTAGRAM_REPLY_TEXT_LIMITS[channel],

    async publishReply(plan, text): Promise<PublishedReply> {
      const isMessage = plan.channel === 'private_reply' || plan.channel === 'messenger';
      if (isMessage && Buffer.byteLength(text, 'utf8') >= INSTAGRAM_MESSAGE_MAX_BYTES) {
        throw new InstagramTextTooLongError(Buffer.byteLength(text, 'utf8'));
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
        case 'mention_reply': {
          const mediaId = plan.mediaId ?? plan.target;
          const commentId = plan.target === mediaId ? undefined : plan.target;
          return { externalId: (await graph.replyToMention(accountId, { mediaId, ...(commentId ? { commentId } : {}), message: text })).id };
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
        case 'mention_reply': {
          const mediaId = plan.mediaId ?? plan.target;
          if (plan.target !== mediaId) {
            // Graph's mentioned_comment gives the comment, not the replies under it, and someone else's comment cannot be read directly.
            throw new MentionLookUpImpossibleError('comment_replies');
          }
          // A caption mention: the answer is a top-level comment of the media, which mentioned_media lists.
          const read = await graph.getMentionedMediaComments(accountId, mediaId);
          const ours = (c: { id: string; text?: string; timestamp?: string; username?: string }) =>
            !exclude.has(c.id) && read.username !== undefined && c.username === read.username && timeOf(c.timestamp) >= since && sameText(c.text, text);
          const found = oldestFirst(read.comments, (c) => timeOf(c.timestamp)).find(ours);
          if (found) return { externalId: found.id };
          if (read.username === undefined) throw new MentionLookUpImpossibleError('no_username');
          if (read.more) throw new MentionLookUpImpossibleError('too_many_comments');
          return undefined;
        }
      }
    },

    async readDetails(item): Promise<ItemDetails | undefined> {
      if (item.kind !== 'mention') return undefined;
      const { mediaId, commentId } = mentionRef(item);
      if (commentId === undefined) {
        const media = await graph.getMentionedMedia(accountId, mediaId!);
        if (!media) return undefined;
        return {
          text: media.caption ?? '',
          authorName: media.username ?? null,
          postedAt: facebookTime(media.timestamp),
          permalink: media.permalink ?? null,
          threadId: media.id,
        };
      }
      const comment = await graph.getMentionedComment(accountId, commentId);
      if (!comment) return undefined;
      return {
        text: comment.text ?? '',
        authorName: comment.username ?? null,
        postedAt: facebookTime(comment.timestamp),
        permalink: comment.media?.permalink ?? null,
        threadId: comment.media?.id ?? mediaId,
      };
    },

    async hideComment(commentId: string): Promise<void> {
      await graph.hideComment(commentId, true);
    },

    classifyError(error: unknown, plan?: ReplyPlan): ErrorVerdict {
      if (error instanceof MentionLookUpImpossibleError) {
        // Only a look-up throws it: the delivery reports the outcome as unknown (it may be published).
        return { action: 'fail', reason: failure('mention_lookup_impossible', { platform: 'instagram', why: error.why }), summary: error.message };
      }
      if (error instanceof InstagramTextTooLongError) {
        return { action: 'fail', reason: failure('instagram_message_too_long', { bytes: error.bytes, maxBytes: INSTAGRAM_MESSAGE_MAX_BYTES }), summary: error.message };
      }
      return classifyGraphError(error, plan, INSTAGRAM_WORDS);
    },

    usage() {
      const usage = graph.lastUsage();
      return usage ? { percent: usage.maxPercent, regainAccessInMs: usage.regainAccessInMs } : undefined;
    },
  };
}
