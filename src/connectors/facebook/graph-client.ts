/**
 * The Graph client of a Facebook Page: the Page and Messenger endpoints the
 * Facebook connector uses (posts with their comments, comment replies,
 * private replies, conversations, the Send API) and their wire types, over
 * the Meta Graph transport (`connectors/meta/graph-transport.ts`), which
 * owns the SDK, the deadlines, the usage headers and the scrubbing of the
 * token. Failures are the two typed errors of `connectors/meta/graph-errors.ts`.
 */
import type { GraphApiError } from '../meta/graph-errors.js';
import {
  createGraphTransport,
  parseNextUrl,
  type GraphPage,
  type GraphParams,
  type GraphTransport,
  type GraphTransportOptions,
  type PagingOptions,
} from '../meta/graph-transport.js';

// ---------------------------------------------------------------------------
// Wire types (Graph API v24.0 field names, as Facebook sends them).

/** A person or Page as Graph shows it in `from`, `to` and `participants`. */
export interface GraphProfile {
  id: string;
  name?: string;
  email?: string;
}

/**
 * What is attached to a comment (a StoryAttachment): `type` is `photo`,
 * `video_inline`, `sticker`, `animated_image_share`, `share`…; a picture's
 * link is in `media.image.src`, a video's file in `media.source`.
 */
export interface GraphCommentAttachment {
  type?: string;
  url?: string;
  title?: string;
  description?: string;
  media?: { image?: { src?: string; width?: number; height?: number }; source?: string };
  target?: { id?: string; url?: string };
}

/** A file sent with a Messenger message (the `attachments` of a Message). */
export interface GraphMessageAttachment {
  id?: string;
  mime_type?: string;
  name?: string;
  size?: number;
  /** Files that are neither pictures nor videos (audio, documents). */
  file_url?: string;
  image_data?: { url?: string; preview_url?: string; width?: number; height?: number };
  video_data?: { url?: string; preview_url?: string; width?: number; height?: number };
}

/** A comment on a Page post (or a reply to a comment). */
export interface GraphComment {
  /** `{post-object-id}_{comment-id}`. */
  id: string;
  message?: string;
  /** ISO time with offset, e.g. `2026-11-28T10:00:00+0000`; see {@link parseGraphTime}. */
  created_time: string;
  /** Absent when Facebook hides the author (no Page token, or a deleted account). */
  from?: GraphProfile;
  /** Set on replies: the comment replied to. */
  parent?: { id: string };
  /** False once a private reply was sent, after 7 days, or when the author cannot be messaged. */
  can_reply_privately?: boolean;
  permalink_url?: string;
  /** A photo, video, sticker or link posted with the comment (its `message` may then be empty). */
  attachment?: GraphCommentAttachment;
  /** How many people liked it (Graph API reference, Comment: `like_count`, int32). */
  like_count?: number;
}

/** A Page post with its comments (replies included; oldest first unless `commentsOrder` says otherwise). */
export interface GraphPostWithComments {
  /** `{page-id}_{post-id}`. */
  id: string;
  message?: string;
  created_time: string;
  /** When the post was last updated: created, edited, or commented on (Graph API reference, Post). */
  updated_time?: string;
  permalink_url?: string;
  from?: GraphProfile;
  comments: GraphComment[];
}

/** One Messenger message in a conversation. */
export interface GraphMessage {
  /** `m_…`. */
  id: string;
  message?: string;
  created_time: string;
  from?: GraphProfile;
  to?: { data: GraphProfile[] };
  /** Files sent with the message (pictures, videos, audio, documents). */
  attachments?: { data?: GraphMessageAttachment[] };
  /** For a sticker: the link of its picture. */
  sticker?: string;
}

/** A Messenger conversation between the Page and one person. */
export interface GraphConversation {
  /** `t_…`. */
  id: string;
  updated_time: string;
  /** The person and the Page. */
  participants: GraphProfile[];
  /** The newest messages first, at most `messagesLimit` of them. */
  messages: GraphMessage[];
}

/** Who a Messenger message goes to: a person (PSID), or the author of a comment (private reply). */
export type GraphRecipient = { id: string } | { comment_id: string };

/** Messenger `messaging_type`. */
export type MessagingType = 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';

/** Messenger message tags that allow a message outside the 24-hour window. */
export type MessageTag = 'HUMAN_AGENT' | 'ACCOUNT_UPDATE' | 'CONFIRMED_EVENT_UPDATE' | 'POST_PURCHASE_UPDATE';

/** What the Send API returns. */
export interface GraphSendResult {
  recipient_id: string;
  message_id: string;
}

/**
 * The client returned by {@link createGraphClient}: the Page's endpoints, and
 * the transport's `get`, `post` and paging for anything else.
 */
/** A text quick reply of the Messenger Send API: a button title (Messenger shows 20 characters) and the payload its webhook carries back. */
export interface GraphQuickReply {
  title: string;
  payload: string;
}

export interface GraphClient extends GraphTransport {
  /**
   * Posts of the Page (newest first) with their comments (replies included,
   * oldest first unless `commentsOrder` says otherwise), each post's comments
   * complete across pages unless `commentsPagesWhileSince` stops the paging.
   */
  getPagePostsWithComments(
    pageId: string,
    options?: {
      /**
       * Only posts updated at or after this time (Graph's `since`): a post's
       * `updated_time` moves when it is created, edited or commented on, so
       * an old post with a new comment is listed.
       */
      since?: Date;
      /** Only posts updated before this time (Graph's `until`). */
      until?: Date;
      /** Posts per page; default 25, at most 100. */
      limit?: number;
      /** Only comments created at or after this time. */
      commentsSince?: Date;
      /** Comments per nested page; default 100. */
      commentsLimit?: number;
      /** Order of each post's comments (Graph's `order`); default Graph's, `chronological`. */
      commentsOrder?: 'chronological' | 'reverse_chronological';
      /**
       * Further pages of a post's comments are read only while the page just
       * read ends with a comment created at or after this time: with
       * `reverse_chronological`, the pages after one that reaches an older
       * comment hold only older ones. Default: every page.
       */
      commentsPagesWhileSince?: Date;
      /** `feed` (everything on the Page, visitor posts too; default) or `posts` (the Page's own). */
      edge?: 'feed' | 'posts';
    } & PagingOptions,
  ): Promise<GraphPostWithComments[]>;
  /** Comments of a post or comment; `filter: 'stream'` (default) includes replies. */
  getComments(
    objectId: string,
    options?: {
      since?: Date;
      limit?: number;
      filter?: 'stream' | 'toplevel';
      order?: 'chronological' | 'reverse_chronological';
    } & PagingOptions,
  ): Promise<GraphComment[]>;
  /** Public reply in the comment's thread, as the Page. Resolves with the new comment id. */
  replyToComment(commentId: string, message: string): Promise<{ id: string }>;
  /**
   * Messenger Send API. `RESPONSE` works within 24 h of the person's last
   * message; `MESSAGE_TAG` with `HUMAN_AGENT` within 7 days. Outside, the
   * call fails with a {@link GraphApiError} whose `isOutsideMessagingWindow()`.
   */
  sendMessage(
    pageId: string,
    message: { recipient: GraphRecipient; text: string; messagingType: MessagingType; tag?: MessageTag; quickReplies?: GraphQuickReply[] },
  ): Promise<GraphSendResult>;
  /** One private Messenger reply to the author of a comment (once per comment, within 7 days). */
  sendPrivateReply(pageId: string, commentId: string, text: string, quickReplies?: GraphQuickReply[]): Promise<GraphSendResult>;
  /**
   * Messenger conversations of the Page updated at or after `since` (all
   * when not given), newest first, each with its newest messages.
   */
  getConversations(
    pageId: string,
    options?: { since?: Date; limit?: number; messagesLimit?: number } & PagingOptions,
  ): Promise<GraphConversation[]>;
  /**
   * The Messenger conversation between the Page and one person (PSID), with
   * its newest messages first; undefined when they never wrote to each other.
   */
  getConversationWith(pageId: string, userId: string, options?: { messagesLimit?: number }): Promise<GraphConversation | undefined>;
  /**
   * The newest messages of the conversation a private reply to this comment
   * opened (`private_reply_conversation`); empty when no private reply was sent.
   */
  getPrivateReplyMessages(commentId: string, options?: { messagesLimit?: number }): Promise<GraphMessage[]>;
  /** One node with the given fields, e.g. `getNode(pageId, ['id', 'name'])`. */
  getNode<T>(id: string, fields: readonly string[]): Promise<T>;
}

/** Fields read for each post. */
const POST_FIELDS = ['id', 'message', 'created_time', 'updated_time', 'permalink_url', 'from'] as const;
/** Fields read for each comment. */
const COMMENT_FIELDS = ['id', 'message', 'created_time', 'from', 'parent{id}', 'can_reply_privately', 'permalink_url', 'attachment', 'like_count'] as const;
/** Fields read for each Messenger message: a photo sent by poll is the same item as by webhook. */
export const MESSAGE_FIELDS = ['id', 'message', 'created_time', 'from', 'to', 'attachments{id,mime_type,name,size,file_url,image_data,video_data}', 'sticker'] as const;

/** Parses Graph's `2026-11-28T10:00:00+0000` (offset without colon) into a Date. */
export function parseGraphTime(text: string): Date {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalized);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a Graph API time: ${JSON.stringify(text)}`);
  return date;
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

interface RawConversation {
  id: string;
  updated_time: string;
  participants?: { data?: GraphProfile[] };
  messages?: { data?: GraphMessage[] };
}

interface RawPost extends Omit<GraphPostWithComments, 'comments'> {
  comments?: GraphPage<GraphComment>;
}

// ---------------------------------------------------------------------------

/**
 * Creates the Graph client of one Page, bound to its access token.
 *
 * @example
 * const graph = createGraphClient({ baseUrl: config.facebook.graphApiUrl, version: config.facebook.graphApiVersion,
 *   accessToken: config.facebook.pageAccessToken, logger, onCall: (c) => metrics.graphApiCalls.inc({ source: 'facebook', purpose: c.purpose }) });
 */
export function createGraphClient(options: GraphTransportOptions): GraphClient {
  if (!options.accessToken) throw new TypeError('createGraphClient needs an access token (FACEBOOK_PAGE_ACCESS_TOKEN)');
  const graph = createGraphTransport(options);

  async function sendMessage(
    pageId: string,
    message: { recipient: GraphRecipient; text: string; messagingType: MessagingType; tag?: MessageTag; quickReplies?: GraphQuickReply[] },
    purpose = 'sendMessage',
  ): Promise<GraphSendResult> {
    if (message.messagingType === 'MESSAGE_TAG' && !message.tag) {
      throw new TypeError('messagingType MESSAGE_TAG needs a tag (HUMAN_AGENT for a staff answer up to 7 days later)');
    }
    if (message.tag && message.messagingType !== 'MESSAGE_TAG') {
      throw new TypeError(`tag ${message.tag} is only allowed with messagingType MESSAGE_TAG`);
    }
    return graph.post<GraphSendResult>(
      `${pageId}/messages`,
      {
        recipient: message.recipient,
        messaging_type: message.messagingType,
        tag: message.tag,
        message: {
          text: message.text,
          ...(message.quickReplies && message.quickReplies.length > 0
            ? { quick_replies: message.quickReplies.map((q) => ({ content_type: 'text', title: q.title, payload: q.payload })) }
            : {}),
        },
      },
      purpose,
    );
  }

  return {
    ...graph,

    async getPagePostsWithComments(pageId, o = {}) {
      const purpose = 'getPagePostsWithComments';
      const commentsLimit = o.commentsLimit ?? 100;
      const modifiers = [
        `.filter(stream)`,
        o.commentsSince ? `.since(${unixSeconds(o.commentsSince)})` : '',
        o.commentsOrder ? `.order(${o.commentsOrder})` : '',
        `.limit(${commentsLimit})`,
      ].join('');
      const morePages = (page: readonly GraphComment[]) => {
        const last = page.at(-1);
        return o.commentsPagesWhileSince === undefined || (last !== undefined && parseGraphTime(last.created_time) >= o.commentsPagesWhileSince);
      };
      const commentsField = `comments${modifiers}{${COMMENT_FIELDS.join(',')}}`;
      const posts: GraphPostWithComments[] = [];
      const pagingOptions = o.maxPages === undefined ? {} : { maxPages: o.maxPages };
      const params: GraphParams = {
        fields: [...POST_FIELDS, commentsField].join(','),
        since: o.since ? unixSeconds(o.since) : undefined,
        until: o.until ? unixSeconds(o.until) : undefined,
        limit: Math.min(o.limit ?? 25, 100),
      };
      for await (const page of graph.iteratePages<RawPost>(`${pageId}/${o.edge ?? 'feed'}`, params, pagingOptions, purpose)) {
        for (const raw of page.data) {
          const { comments: firstPage, ...post } = raw;
          const comments = [...(firstPage?.data ?? [])];
          const next = firstPage?.paging?.next;
          const target = next && morePages(comments) ? parseNextUrl(next) : undefined;
          if (target) {
            for await (const more of graph.iteratePages<GraphComment>(target.path, target.params, pagingOptions, purpose)) {
              comments.push(...more.data);
              if (!morePages(more.data)) break;
            }
          }
          posts.push({ ...post, comments });
        }
      }
      return posts;
    },

    async getComments(objectId, o = {}) {
      return graph.getAllPages<GraphComment>(
        `${objectId}/comments`,
        {
          fields: COMMENT_FIELDS.join(','),
          filter: o.filter ?? 'stream',
          order: o.order,
          since: o.since ? unixSeconds(o.since) : undefined,
          limit: o.limit ?? 100,
        },
        o.maxPages === undefined ? {} : { maxPages: o.maxPages },
        'getComments',
      );
    },

    replyToComment: (commentId, message) => graph.post<{ id: string }>(`${commentId}/comments`, { message }, 'replyToComment'),

    sendMessage: (pageId, message) => sendMessage(pageId, message),

    sendPrivateReply: (pageId, commentId, text, quickReplies) =>
      sendMessage(pageId, { recipient: { comment_id: commentId }, text, messagingType: 'RESPONSE', ...(quickReplies ? { quickReplies } : {}) }, 'sendPrivateReply'),

    async getConversations(pageId, o = {}) {
      const since = o.since?.getTime();
      const conversations: GraphConversation[] = [];
      const params: GraphParams = {
        platform: 'messenger',
        fields: `id,participants,updated_time,messages.limit(${o.messagesLimit ?? 25}){${MESSAGE_FIELDS.join(',')}}`,
        limit: o.limit ?? 25,
      };
      // Conversations come most recently updated first, so paging stops at the first older one.
      for await (const page of graph.iteratePages<RawConversation>(`${pageId}/conversations`, params, o.maxPages === undefined ? {} : { maxPages: o.maxPages }, 'getConversations')) {
        for (const raw of page.data) {
          if (since !== undefined && parseGraphTime(raw.updated_time).getTime() < since) return conversations;
          conversations.push({
            id: raw.id,
            updated_time: raw.updated_time,
            participants: raw.participants?.data ?? [],
            messages: raw.messages?.data ?? [],
          });
        }
      }
      return conversations;
    },

    async getConversationWith(pageId, userId, o = {}) {
      const page = await graph.get<GraphPage<RawConversation>>(
        `${pageId}/conversations`,
        {
          platform: 'messenger',
          user_id: userId,
          fields: `id,participants,updated_time,messages.limit(${o.messagesLimit ?? 25}){${MESSAGE_FIELDS.join(',')}}`,
        },
        'getConversationWith',
      );
      const raw = page.data?.[0];
      if (!raw) return undefined;
      return { id: raw.id, updated_time: raw.updated_time, participants: raw.participants?.data ?? [], messages: raw.messages?.data ?? [] };
    },

    async getPrivateReplyMessages(commentId, o = {}) {
      const comment = await graph.get<{ private_reply_conversation?: { id?: string } }>(
        commentId,
        { fields: 'private_reply_conversation' },
        'getPrivateReplyMessages',
      );
      const conversationId = comment.private_reply_conversation?.id;
      if (!conversationId) return [];
      const conversation = await graph.get<RawConversation>(
        conversationId,
        { fields: `messages.limit(${o.messagesLimit ?? 25}){${MESSAGE_FIELDS.join(',')}}` },
        'getPrivateReplyMessages',
      );
      return conversation.messages?.data ?? [];
    },

    getNode: <T>(id: string, fields: readonly string[]) => graph.get<T>(id, { fields: fields.join(',') }, 'getNode'),
  };
}
