/**
 * The Facebook Page connector: comments and Messenger in (webhook payloads
 * and polls), staff replies out (public reply to a comment, private reply to
 * its author, Messenger message), all through our Graph client.
 *
 * Polling costs a constant number of Graph calls when nothing is new: one
 * `/{page}/feed` read of the posts active since the cursor, with their
 * comments created since the cursor expanded in the same call
 * (`comments.since(…)`), and one `/{page}/conversations` read whose newest
 * conversation tells whether anything changed. A post's `updated_time` moves
 * when it is commented on (Graph API reference, Post), and the feed's `since`
 * bounds `updated_time`, so a new comment on a post of any age brings its post
 * back into the read, while a quiet Page's read is empty however many posts it
 * has. `lookbackDays` only bounds how far back the first poll (or one after a
 * long pause) reaches. More calls happen only when there is more to read (over
 * 100 active posts, over 100 new comments on one post, over 25 new messages
 * in one conversation).
 *
 * Likes: the feed read lists each active post's comments of the last
 * `likesWindowMs` (not only the new ones), newest first, with their
 * `like_count`; the new ones become items, and every citizen comment's count
 * goes into {@link PullResult.likes}. A post's further comment pages are
 * read only while they may hold new comments, so the calls stay those above.
 * A post whose comments were only liked (no new comment) is not listed:
 * its likes are seen when it is commented on again.
 */
import type { ReplyChannel, ReplyVisibility } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import { failure } from '../../domain/failure-reason.js';
import type { Connector, ErrorVerdict, PlanResult, PublishedReply, PullResult, ReplyPlan, ReplyTarget } from '../connector.js';
import { MESSAGE_FIELDS, parseGraphTime, type GraphClient, type GraphMessage } from './graph-client.js';
import { classifyGraphError, type GraphErrorWording } from '../meta/graph-error-verdict.js';
import { planMetaReply } from '../meta/reply-windows.js';
import { pollBatchKey, pollItemKey, pollItemTime, type FacebookPollPayload, type PollItem } from './poll-payload.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The longest reply text per channel, in UTF-16 code units (`replyTextLength`).
 * Messenger: the Send API's `message.text` "has a 2000 character limit"
 * (Send API reference); a private reply to a comment is sent through the
 * same API (`recipient.comment_id`), so the same. Comment replies: 8,000,
 * Facebook's limit for a comment (the Graph reference of
 * `/{object-id}/comments` names none).
 */
export const FACEBOOK_REPLY_TEXT_LIMITS: Readonly<Partial<Record<ReplyChannel, number>>> = { comment_reply: 8000, private_reply: 2000, messenger: 2000 };

const POSTS_PER_PAGE = 100;
const COMMENTS_PER_POST = 100;
const CONVERSATIONS_PER_PAGE = 25;
const MESSAGES_PER_CONVERSATION = 25;
/** Keys remembered to skip items found again in the overlap window. */
const MAX_RECENT_KEYS = 2_000;

export interface FacebookConnectorOptions {
  graph: GraphClient;
  pageId: string;
  /**
   * The first poll (no cursor yet), or one after a longer pause, reads what
   * happened in this many last days; later polls read what happened since the
   * previous one, on posts of any age.
   */
  lookbackDays: number;
  /**
   * Each poll reads again what was created in this window before the
   * previous poll (Graph can show an item a little after its `created_time`);
   * items already stored are recognised by their keys. Default 2 minutes.
   */
  overlapMs?: number;
  /** How far back the like counts of an active post's comments are read again; default 24 hours (a wave's thread window). */
  likesWindowMs?: number;
  logger: Logger;
}

/** What a Facebook source keeps in `sources.cursor`. */
interface FacebookCursor {
  /** ISO time: comments and messages created at or after it are read. */
  since?: string;
  /** Keys of items stored whose time is at or after `since`. */
  recent?: string[];
}

function readCursor(raw: Record<string, unknown>): { since: Date | undefined; recent: Set<string> } {
  const c = raw as FacebookCursor;
  const since = typeof c.since === 'string' && !Number.isNaN(Date.parse(c.since)) ? new Date(c.since) : undefined;
  const recent = new Set(Array.isArray(c.recent) ? c.recent.filter((k): k is string => typeof k === 'string') : []);
  return { since, recent };
}

/** Whitespace-insensitive text comparison (Facebook may change line ends and trailing spaces). */
function sameText(a: string | undefined, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  return a !== undefined && norm(a) === norm(b);
}

/** The Graph permissions each kind of call needs, for refusals that do not name one. */
const PERMISSION_FOR: GraphErrorWording['permissionFor'] = {
  comment_reply: 'pages_manage_engagement',
  private_reply: 'pages_messaging',
  messenger: 'pages_messaging',
  read: 'pages_read_engagement and pages_read_user_content',
};

const FACEBOOK_WORDS: GraphErrorWording = {
  platform: 'facebook',
  permissionFor: PERMISSION_FOR,
  // Graph #100/33: the object does not exist (removed by its author, or hidden).
  refusal: (error) => (error.code === 100 && error.subcode === 33 ? failure('item_gone', { platform: 'facebook' }) : undefined),
};

export function createFacebookConnector(options: FacebookConnectorOptions): Connector & { pageId: string } {
  const { graph, pageId } = options;
  const overlapMs = options.overlapMs ?? 2 * 60_000;
  const likesWindowMs = options.likesWindowMs ?? DAY_MS;
  const log = options.logger.child({ component: 'facebook-connector' });

  /** Messages of a conversation created at or after `since`, reading further pages only when the first is all new. */
  async function messagesSince(conversationId: string, first: GraphMessage[], since: Date): Promise<GraphMessage[]> {
    const fresh = (list: GraphMessage[]) => list.filter((m) => parseGraphTime(m.created_time) >= since);
    const oldest = first.at(-1);
    if (first.length < MESSAGES_PER_CONVERSATION || !oldest || parseGraphTime(oldest.created_time) < since) return fresh(first);
    const out: GraphMessage[] = [];
    for await (const page of graph.iteratePages<GraphMessage>(`${conversationId}/messages`, { fields: MESSAGE_FIELDS.join(','), limit: 100 })) {
      out.push(...fresh(page.data));
      const last = page.data.at(-1);
      if (!last || parseGraphTime(last.created_time) < since) break;
    }
    return out;
  }

  return {
    platform: 'facebook',
    pageId,
    callTimeoutMs: graph.timeoutMs,

    async pull(rawCursor, now): Promise<PullResult> {
      const cursor = readCursor(rawCursor);
      const lookbackStart = new Date(now.getTime() - options.lookbackDays * DAY_MS);
      const since = cursor.since && cursor.since > lookbackStart ? cursor.since : lookbackStart;

      // Comments of the likes window (their counts), newest first: further pages only while they hold new ones.
      const likesSince = new Date(Math.max(lookbackStart.getTime(), Math.min(since.getTime(), now.getTime() - likesWindowMs)));
      const posts = await graph.getPagePostsWithComments(pageId, {
        // Posts created, edited or commented on since the cursor: old posts with new comments too.
        since,
        commentsSince: likesSince,
        commentsOrder: 'reverse_chronological',
        commentsPagesWhileSince: since,
        limit: POSTS_PER_PAGE,
        commentsLimit: COMMENTS_PER_POST,
        edge: 'feed',
      });
      const conversations = await graph.getConversations(pageId, { since, limit: CONVERSATIONS_PER_PAGE, messagesLimit: MESSAGES_PER_CONVERSATION });

      const found: PollItem[] = [];
      const likes: Array<{ externalId: string; likeCount: number }> = [];
      for (const post of posts) {
        if (post.from?.id === pageId && parseGraphTime(post.created_time) >= since) {
          found.push({ kind: 'post', post: { id: post.id, created_time: post.created_time, from: post.from } });
        }
        for (const comment of post.comments) {
          if (comment.from?.id !== pageId && typeof comment.like_count === 'number') likes.push({ externalId: comment.id, likeCount: comment.like_count });
          if (parseGraphTime(comment.created_time) < since) continue;
          found.push({ kind: 'comment', postId: post.id, ...(post.permalink_url ? { postPermalink: post.permalink_url } : {}), comment });
        }
      }
      for (const conversation of conversations) {
        const person = conversation.participants.find((p) => p.id !== pageId);
        if (!person) continue;
        for (const message of await messagesSince(conversation.id, conversation.messages, since)) {
          found.push({ kind: 'message', conversationId: conversation.id, participantId: person.id, message });
        }
      }

      // Oldest first; at the same second the citizen before the page, so an answer finds its question.
      const rank = (i: PollItem) => (i.kind === 'comment' ? i.comment.from?.id === pageId : i.kind === 'message' ? i.message.from?.id === pageId : false) ? 1 : 0;
      const fresh = found
        .filter((i) => !cursor.recent.has(pollItemKey(i)))
        .sort((a, b) => pollItemTime(a).getTime() - pollItemTime(b).getTime() || rank(a) - rank(b));

      const nextSince = new Date(Math.max(since.getTime(), now.getTime() - overlapMs));
      const recent = found
        .filter((i) => pollItemTime(i) >= nextSince)
        .map(pollItemKey)
        .slice(-MAX_RECENT_KEYS);
      const nextCursor: FacebookCursor = { since: nextSince.toISOString(), recent: [...new Set(recent)] };
      if (fresh.length === 0) return { batch: undefined, cursor: { ...nextCursor }, likes };
      const payload: FacebookPollPayload = { source: 'poll', pageId, polledAt: now.toISOString(), items: fresh };
      log.debug({ items: fresh.length, since: since.toISOString() }, 'poll found new items');
      return { batch: { dedupKey: pollBatchKey(pageId, fresh), payload, items: fresh.length }, cursor: { ...nextCursor }, likes };
    },

    planReply(target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult {
      return planMetaReply('facebook', target, visibility, now) ?? { ok: false, reason: failure('kind_not_answerable', { platform: 'facebook', kind: target.kind }) };
    },

    // A channel Facebook never plans (Instagram's mention replies) takes nothing.
    maxTextLength: (channel) => FACEBOOK_REPLY_TEXT_LIMITS[channel] ?? 0,

    async publishReply(plan, text, options = {}): Promise<PublishedReply> {
      const quickReplies = options.quickReplies && options.quickReplies.length > 0 ? options.quickReplies : undefined;
      switch (plan.channel) {
        case 'comment_reply':
          return { externalId: (await graph.replyToComment(plan.target, text)).id };
        case 'private_reply':
          return { externalId: (await graph.sendPrivateReply(pageId, plan.target, text, quickReplies)).message_id };
        case 'messenger': {
          const sent = await graph.sendMessage(pageId, {
            recipient: { id: plan.target },
            text,
            messagingType: plan.messagingType ?? 'RESPONSE',
            ...(plan.tag ? { tag: plan.tag } : {}),
            ...(quickReplies ? { quickReplies } : {}),
          });
          return { externalId: sent.message_id };
        }
        case 'mention_reply':
          throw new TypeError('a mention reply is an Instagram channel; a Facebook Page never plans one');
      }
    },

    async findPublishedReply(plan, text, since, exclude): Promise<PublishedReply | undefined> {
      // The page's own item with this text, new enough, and not already recorded as another reply.
      const ours = (m: { id: string; from?: { id: string }; created_time: string; message?: string }) =>
        !exclude.has(m.id) && m.from?.id === pageId && parseGraphTime(m.created_time) >= since && sameText(m.message, text);
      // Oldest first, so that repeated look-ups of one reply settle on the same item.
      const oldest = <T extends { created_time: string }>(items: T[]) => [...items].sort((a, b) => parseGraphTime(a.created_time).getTime() - parseGraphTime(b.created_time).getTime());
      switch (plan.channel) {
        case 'comment_reply': {
          // Under the citizen's top-level comment, where Facebook puts every reply of its thread.
          const replies = await graph.getComments(plan.threadRoot ?? plan.target, { since, order: 'reverse_chronological', maxPages: 3 });
          const found = oldest(replies).find(ours);
          return found ? { externalId: found.id } : undefined;
        }
        case 'private_reply': {
          // The conversation the private reply to this very comment opened.
          const found = oldest(await graph.getPrivateReplyMessages(plan.target)).find(ours);
          return found ? { externalId: found.id } : undefined;
        }
        case 'messenger': {
          // The conversation with this person only.
          const conversation = await graph.getConversationWith(pageId, plan.target);
          const found = oldest(conversation?.messages ?? []).find(ours);
          return found ? { externalId: found.id } : undefined;
        }
        case 'mention_reply':
          // Never planned on Facebook, so never published there.
          return undefined;
      }
    },

    classifyError(error: unknown, plan?: ReplyPlan): ErrorVerdict {
      return classifyGraphError(error, plan, FACEBOOK_WORDS);
    },

    usage() {
      const usage = graph.lastUsage();
      return usage ? { percent: usage.maxPercent, regainAccessInMs: usage.regainAccessInMs } : undefined;
    },
  };
}
