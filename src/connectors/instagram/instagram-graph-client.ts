/**
 * The Graph client of an Instagram professional account linked to a Page,
 * read and answered with the Page's token (Instagram API with Facebook
 * Login, `graph.facebook.com`), over the Meta Graph transport
 * (`connectors/meta/graph-transport.ts`): the account's recent media and
 * their comments, comment replies, hiding a comment, Instagram
 * conversations of the Page and the Send API (`/{page-id}/messages`, which
 * Meta's Messenger Platform for Instagram uses for both Messenger and
 * Instagram), and mentions of the account in other people's comments and
 * captions (`mentioned_comment`, `mentioned_media`, `POST
 * /{ig-user-id}/mentions`). Failures are the typed errors of
 * `connectors/meta/graph-errors.ts`.
 */
import { createGraphTransport, type GraphParams, type GraphTransport, type GraphTransportOptions } from '../meta/graph-transport.js';

// ---------------------------------------------------------------------------
// Wire types (IG Media, IG Comment, Instagram conversations: Graph field names).

/** An IG Comment (or reply), as `GET /{ig-media-id}/comments` gives it. */
export interface IgComment {
  /** Numeric string, e.g. `17870913679156914`. */
  id: string;
  text?: string;
  /** ISO time, e.g. `2017-08-31T18:10:30+0000`. */
  timestamp: string;
  username?: string;
  /** The author: their Instagram-scoped id and username. */
  from?: { id: string; username?: string };
  /** Set on replies: the top-level comment. */
  parent_id?: string;
  hidden?: boolean;
  /** How many people liked it (IG Comment reference: `like_count`). */
  like_count?: number;
  /** Replies of a top-level comment (the `replies` edge). */
  replies?: { data?: IgComment[] };
}

/**
 * An IG Media of the account, with what polling needs (Graph's field names;
 * `caption` is not asked for: the city's own text is not needed here).
 */
export interface IgMedia {
  /** Numeric string, e.g. `17895695668004550`. */
  id: string;
  /** ISO 8601 publishing time, e.g. `2017-08-31T18:10:00+0000`. */
  timestamp: string;
  permalink?: string;
  /** `CAROUSEL_ALBUM`, `IMAGE` or `VIDEO`. */
  media_type?: string;
  /** `FEED`, `REELS`, `STORY`, `AD`. */
  media_product_type?: string;
  /** Comments on it, replies included. */
  comments_count?: number;
}

/** One Instagram direct message as the Page's conversations show it. */
export interface IgMessage {
  /** Base64-like, e.g. `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE…`. */
  id: string;
  message?: string;
  created_time: string;
  from?: { id: string; username?: string };
  to?: { data: Array<{ id: string; username?: string }> };
  attachments?: { data?: Array<{ image_data?: { url?: string }; video_data?: { url?: string }; file_url?: string }> };
}

/** An Instagram conversation of the Page with one person. */
export interface IgConversation {
  id: string;
  updated_time: string;
  participants: Array<{ id: string; username?: string }>;
  /** Newest first. */
  messages: IgMessage[];
}

/**
 * A comment in which someone @mentioned the account, as
 * `GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){…}` gives it
 * (IG User Mentioned Comment). Graph leaves out what it does not know.
 */
export interface IgMentionedComment {
  id: string;
  text?: string;
  /** ISO time, e.g. `2017-05-03T16:09:08+0000`. */
  timestamp?: string;
  /** The commenter's username. */
  username?: string;
  /** The media it was made on (field expansion: its id and permalink). */
  media?: { id: string; permalink?: string };
}

/**
 * Someone else's media whose caption @mentions the account, as
 * `GET /{ig-user-id}?fields=mentioned_media.media_id({id}){…}` gives it
 * (Mentioned Media). The caption leaves out the `@` of the mentions.
 */
export interface IgMentionedMedia {
  id: string;
  caption?: string;
  timestamp?: string;
  /** The media owner's username. */
  username?: string;
  permalink?: string;
  media_type?: string;
}

/** The top-level comments of a mentioned media (the account's answers to a caption mention are among them). */
export interface IgMentionedMediaComments {
  /** The account's own username, to know its comments by. */
  username?: string;
  comments: Array<{ id: string; text?: string; timestamp?: string; username?: string }>;
  /** Whether Graph has more comments than it gave (`paging.next`). */
  more: boolean;
}

const MENTIONED_COMMENT_FIELDS = 'id,text,timestamp,username,media{id,permalink}';
const MENTIONED_MEDIA_FIELDS = 'id,caption,timestamp,username,permalink,media_type';
/** Top-level comments read on a mentioned media when looking for the account's answer. */
const MENTION_COMMENTS_LIMIT = 50;

/** An IG id is digits; anything else would change the `fields` expression it is put in. */
function igNodeId(id: string): string {
  if (!/^\d+$/.test(id)) throw new TypeError(`not an Instagram id: ${JSON.stringify(id.slice(0, 40))}`);
  return id;
}

export const IG_COMMENT_FIELDS = ['id', 'text', 'timestamp', 'username', 'from', 'parent_id', 'hidden', 'like_count'] as const;
const IG_MEDIA_FIELDS = ['id', 'timestamp', 'permalink', 'media_type', 'media_product_type', 'comments_count'] as const;
const IG_MESSAGE_FIELDS = ['id', 'message', 'created_time', 'from', 'to', 'attachments'] as const;

interface RawConversation {
  id: string;
  updated_time: string;
  participants?: { data?: Array<{ id: string; username?: string }> };
  messages?: { data?: IgMessage[] };
}

const conversationOf = (raw: RawConversation): IgConversation => ({
  id: raw.id,
  updated_time: raw.updated_time,
  participants: raw.participants?.data ?? [],
  messages: raw.messages?.data ?? [],
});

export interface InstagramGraphClient extends GraphTransport {
  /** The account's newest media (one call), newest first. */
  getRecentMedia(accountId: string, limit: number): Promise<IgMedia[]>;
  /** Every comment of a media, replies included (flattened), oldest first. */
  getMediaComments(mediaId: string): Promise<IgComment[]>;
  /** Replies of a top-level comment. */
  getReplies(commentId: string): Promise<IgComment[]>;
  /** `POST /{ig-comment-id}/replies`: a public reply (under the top-level comment). */
  replyToComment(commentId: string, message: string): Promise<{ id: string }>;
  /** `POST /{ig-comment-id}?hide=true|false`. */
  hideComment(commentId: string, hide: boolean): Promise<{ success: boolean }>;
  /** Send API through the Page: a DM to an IGSID, or the one private reply to a comment. */
  sendMessage(
    pageId: string,
    message: { recipient: { id: string } | { comment_id: string }; text: string; messagingType: 'RESPONSE' | 'MESSAGE_TAG'; tag?: 'HUMAN_AGENT' },
  ): Promise<{ recipient_id: string; message_id: string }>;
  /** The Page's Instagram conversations (one page, most recently updated first). */
  getConversations(pageId: string, options: { limit: number; messagesLimit: number }): Promise<IgConversation[]>;
  /** The Instagram conversation with one person (IGSID), undefined when there is none. */
  getConversationWith(pageId: string, userId: string): Promise<IgConversation | undefined>;
  /** A comment that @mentions the account (`mentioned_comment`); undefined when Graph gives none. */
  getMentionedComment(accountId: string, commentId: string): Promise<IgMentionedComment | undefined>;
  /** Someone else's media whose caption @mentions the account (`mentioned_media`); undefined when Graph gives none. */
  getMentionedMedia(accountId: string, mediaId: string): Promise<IgMentionedMedia | undefined>;
  /** The account's username and the newest top-level comments of a media whose caption mentions it (one call). */
  getMentionedMediaComments(accountId: string, mediaId: string): Promise<IgMentionedMediaComments>;
  /**
   * `POST /{ig-user-id}/mentions`: the account's comment on the media where
   * it was mentioned in the caption, or (with `commentId`) its reply under
   * the comment that mentioned it.
   */
  replyToMention(accountId: string, mention: { mediaId: string; commentId?: string; message: string }): Promise<{ id: string }>;
}

export function createInstagramGraphClient(options: GraphTransportOptions): InstagramGraphClient {
  if (!options.accessToken) throw new TypeError('createInstagramGraphClient needs the Page access token (FACEBOOK_PAGE_ACCESS_TOKEN)');
  const graph = createGraphTransport(options);
  const conversationFields = (messagesLimit: number) => `id,updated_time,participants,messages.limit(${messagesLimit}){${IG_MESSAGE_FIELDS.join(',')}}`;
  const byTime = (a: IgComment, b: IgComment) => Date.parse(fix(a.timestamp)) - Date.parse(fix(b.timestamp)) || a.id.localeCompare(b.id);

  return {
    ...graph,

    async getRecentMedia(accountId, limit) {
      const page = await graph.get<{ data?: IgMedia[] }>(`${accountId}/media`, { fields: IG_MEDIA_FIELDS.join(','), limit }, 'igRecentMedia');
      return page.data ?? [];
    },

    async getMediaComments(mediaId) {
      const params: GraphParams = { fields: [...IG_COMMENT_FIELDS, `replies{${IG_COMMENT_FIELDS.join(',')}}`].join(','), limit: 50 };
      const top = await graph.getAllPages<IgComment>(`${mediaId}/comments`, params, { maxPages: 5 }, 'igMediaComments');
      const all: IgComment[] = [];
      for (const comment of top) {
        const { replies, ...rest } = comment;
        all.push(rest);
        for (const reply of replies?.data ?? []) all.push({ ...reply, parent_id: reply.parent_id ?? comment.id });
      }
      return all.sort(byTime);
    },

    async getReplies(commentId) {
      const replies = await graph.getAllPages<IgComment>(`${commentId}/replies`, { fields: IG_COMMENT_FIELDS.join(','), limit: 50 }, { maxPages: 3 }, 'igReplies');
      return replies.sort(byTime);
    },

    replyToComment: (commentId, message) => graph.post<{ id: string }>(`${commentId}/replies`, { message }, 'igReplyToComment'),

    hideComment: (commentId, hide) => graph.post<{ success: boolean }>(commentId, { hide }, 'igHideComment'),

    sendMessage(pageId, message) {
      if (message.messagingType === 'MESSAGE_TAG' && !message.tag) throw new TypeError('messagingType MESSAGE_TAG needs the HUMAN_AGENT tag');
      const purpose = 'comment_id' in message.recipient ? 'igPrivateReply' : 'igSendMessage';
      return graph.post(
        `${pageId}/messages`,
        { recipient: message.recipient, messaging_type: message.messagingType, tag: message.tag, message: { text: message.text } },
        purpose,
      );
    },

    async getConversations(pageId, o) {
      const page = await graph.get<{ data?: RawConversation[] }>(
        `${pageId}/conversations`,
        { platform: 'instagram', fields: conversationFields(o.messagesLimit), limit: o.limit },
        'igConversations',
      );
      return (page.data ?? []).map(conversationOf);
    },

    async getMentionedComment(accountId, commentId) {
      const fields = `mentioned_comment.comment_id(${igNodeId(commentId)}){${MENTIONED_COMMENT_FIELDS}}`;
      const user = await graph.get<{ mentioned_comment?: IgMentionedComment }>(igNodeId(accountId), { fields }, 'igMentionedComment');
      return user.mentioned_comment;
    },

    async getMentionedMedia(accountId, mediaId) {
      const fields = `mentioned_media.media_id(${igNodeId(mediaId)}){${MENTIONED_MEDIA_FIELDS}}`;
      const user = await graph.get<{ mentioned_media?: IgMentionedMedia }>(igNodeId(accountId), { fields }, 'igMentionedMedia');
      return user.mentioned_media;
    },

    async getMentionedMediaComments(accountId, mediaId) {
      const fields = `username,mentioned_media.media_id(${igNodeId(mediaId)}){comments.limit(${MENTION_COMMENTS_LIMIT}){id,text,timestamp,username}}`;
      const user = await graph.get<{
        username?: string;
        mentioned_media?: { comments?: { data?: IgMentionedMediaComments['comments']; paging?: { next?: string } } };
      }>(igNodeId(accountId), { fields }, 'igMentionedMediaComments');
      const comments = user.mentioned_media?.comments;
      return { ...(user.username ? { username: user.username } : {}), comments: comments?.data ?? [], more: typeof comments?.paging?.next === 'string' };
    },

    replyToMention: (accountId, mention) =>
      graph.post<{ id: string }>(
        `${igNodeId(accountId)}/mentions`,
        { media_id: mention.mediaId, ...(mention.commentId === undefined ? {} : { comment_id: mention.commentId }), message: mention.message },
        'igReplyToMention',
      ),

    async getConversationWith(pageId, userId) {
      const page = await graph.get<{ data?: RawConversation[] }>(
        `${pageId}/conversations`,
        { platform: 'instagram', user_id: userId, fields: conversationFields(25) },
        'igConversationWith',
      );
      const raw = page.data?.[0];
      return raw ? conversationOf(raw) : undefined;
    },
  };
}

/** `+0000` → `+00:00`, so Date.parse reads Graph's times everywhere. */
function fix(time: string): string {
  return time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
