/**
 * A loopback stand-in of the Facebook Graph API (v24.0 wire format) for
 * tests: the real facebook-nodejs-business-sdk, through our graph client,
 * talks to it over HTTP exactly as it would talk to graph.facebook.com.
 *
 * It serves one Page with its posts, comments (with replies) and Messenger
 * conversations, checks the access token (query, form/JSON body or
 * `Authorization: OAuth|Bearer`), enforces the Messenger windows (24 h for
 * `RESPONSE`/`UPDATE`, 7 days for the `HUMAN_AGENT` tag, one private reply per
 * comment within 7 days), pages with cursors and absolute `paging.next` URLs,
 * answers with Graph's error envelope and headers (`x-fb-trace-id`,
 * `x-fb-rev`, `x-app-usage`, `x-business-use-case-usage`), records every
 * request, and can be told to fail, hang, or take its time.
 *
 * It also serves the Instagram professional account linked to the Page
 * (Instagram API with Facebook Login, the Page's token): the IG User
 * (`/{ig-user-id}`, its `media` edge), IG Media (`comments` edge, `POST
 * /{ig-media-id}/comments`), IG Comments (`replies` edge, `POST
 * /{ig-comment-id}/replies`, `POST /{ig-comment-id}?hide=true`), the Page's
 * Instagram conversations (`/{page-id}/conversations?platform=instagram`)
 * and Instagram direct messages and private replies through the Page's Send
 * API (`/{page-id}/messages`, windows as on Messenger), and mentions of the
 * account on other people's media (`seedForeignIgMedia`): read through the
 * IG User's `mentioned_comment` / `mentioned_media` fields and answered with
 * `POST /{ig-user-id}/mentions`; those media are not readable directly. Ids as Instagram
 * writes them: numeric 17-18 digit media and comment ids, `17841…` account
 * ids, Instagram-scoped user ids (IGSID), `aWdfZAG1…` message ids. A reply to
 * a reply lands under the top-level comment; a hidden comment cannot be
 * replied to (IG Comment Replies reference).
 *
 * A post's `updated_time` is "the time the post was last updated, which
 * occurs when the post was created, edited, or a user comments on a post"
 * (Graph API reference, Post): a comment or reply moves it.
 *
 * Behaviour chosen where Facebook does not document it (kept close to what
 * Facebook is seen doing):
 * - `since` is inclusive and `until` exclusive. On a Page's `feed` and `posts`
 *   they bound the posts' `updated_time`, so a post created long ago that was
 *   commented on recently is listed (seen by Graph users for years, e.g.
 *   Rfacebook's getPage: "since and until parameters are applied to the
 *   updated_time field in the post objects, and not the created_time");
 *   posts still come newest created first. On comments they bound
 *   `created_time`; on conversations `updated_time`.
 * - A reply to a reply is attached to the top-level comment (Facebook keeps
 *   two levels).
 * - A private reply to a comment older than 7 days, or whose author is
 *   hidden, fails with `(#10903) This user can't reply to this activity`.
 * - `limit` above 100 is lowered to 100.
 * - A missing token gets Graph's `code 104` ("An access token is required…");
 *   a wrong one `code 190` ("Invalid OAuth access token - Cannot parse access token").
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// ---------------------------------------------------------------------------
// Public types

/** A person or Page as Graph shows it in `from`. */
export interface FakeProfile {
  id: string;
  name?: string;
}

/** The Page the stand-in serves. */
export interface FakePageOptions {
  id: string;
  name: string;
  /** The only token accepted. */
  accessToken: string;
  /** When set, every call must carry a valid `appsecret_proof` (HMAC-SHA256 of the token). */
  appSecret?: string;
}

/** The Instagram professional account the stand-in serves (linked to the first Page, read with its token). */
export interface FakeInstagramAccount {
  id: string;
  username: string;
}

/** An Instagram user as comments and conversations show them: Instagram-scoped id and username. */
export interface FakeIgUser {
  id: string;
  username: string;
}

/** An IG Media of the account. */
export interface FakeIgMedia {
  id: string;
  caption: string | undefined;
  timestamp: string;
  media_type: string;
  media_product_type: string;
  permalink: string;
  comments_count: number;
}

/** An IG Comment as stored by the stand-in. */
export interface FakeIgComment {
  id: string;
  media_id: string;
  /** The top-level comment it replies to. */
  parent_id: string | undefined;
  text: string;
  timestamp: string;
  from: FakeIgUser;
  hidden: boolean;
  /** Id of the direct message sent as the private reply, once sent. */
  private_reply_message_id: string | undefined;
}

/** Options of {@link startGraphApiFake}. */
export interface GraphApiFakeOptions {
  page?: Partial<FakePageOptions>;
  /**
   * More Pages served by the same Graph API (a city with several Pages):
   * each call acts as the Page whose token it carries, as Graph does with a
   * Page access token; each Page's feed holds its own posts.
   */
  otherPages?: FakePageOptions[];
  /** The Instagram professional account linked to the (first) Page. */
  instagram?: Partial<FakeInstagramAccount>;
  /** The stand-in's clock (windows, `created_time` of new objects); defaults to the real clock. */
  now?: () => Date;
}

/** A request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path as sent, e.g. `/v24.0/1000_2000/comments`. */
  path: string;
  /** Path without the version, e.g. `1000_2000/comments`. */
  graphPath: string;
  /** `v24.0`, or undefined for an unversioned call. */
  version: string | undefined;
  query: Record<string, string>;
  /** Parsed JSON or form body (empty object when none). */
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The token the request carried, wherever it was. */
  accessToken: string | undefined;
  at: Date;
  /** True once the client closed the connection before the answer was sent (it gave up). */
  abandoned: boolean;
}

/** A post as published on the stand-in's Page. */
export interface FakePost {
  id: string;
  message: string | undefined;
  created_time: string;
  updated_time: string;
  from: FakeProfile;
  permalink_url: string;
}

/**
 * What Graph shows in a comment's `attachment` (a StoryAttachment): a photo
 * (`type: "photo"`, the picture in `media.image.src`), a video
 * (`video_inline`, the file in `media.source`), a sticker, a shared link.
 */
export interface FakeCommentAttachment {
  type: string;
  url?: string;
  title?: string;
  description?: string;
  media?: { image?: { src: string; width?: number; height?: number }; source?: string };
  target?: { id?: string; url?: string };
}

/** A file of a Messenger message as Graph shows it in `attachments`. */
export interface FakeMessageAttachment {
  id?: string;
  mime_type?: string;
  name?: string;
  size?: number;
  file_url?: string;
  image_data?: { url: string; preview_url?: string; width?: number; height?: number };
  video_data?: { url: string; preview_url?: string; width?: number; height?: number };
}

/** A comment (or reply) as stored by the stand-in. */
export interface FakeComment {
  id: string;
  post_id: string;
  /** The top-level comment this one replies to. */
  parent_id: string | undefined;
  message: string;
  created_time: string;
  from: FakeProfile | undefined;
  can_reply_privately: boolean;
  permalink_url: string;
  /** Id of the Messenger message sent as the private reply, once sent. */
  private_reply_message_id: string | undefined;
  attachment: FakeCommentAttachment | undefined;
}

/** A Messenger message as stored by the stand-in. */
export interface FakeMessage {
  id: string;
  conversation_id: string;
  message: string;
  created_time: string;
  from: FakeProfile;
  to: FakeProfile;
  /** `messaging_type` (and `tag`) the Page sent it with; undefined for the person's messages. */
  messaging_type: string | undefined;
  tag: string | undefined;
  attachments: FakeMessageAttachment[] | undefined;
  /** The sticker's picture, for a message that is a sticker. */
  sticker: string | undefined;
  /** Quick replies the Page offered with the message (Send API `message.quick_replies`). */
  quick_replies?: FakeQuickReply[];
}

/** A text quick reply as the Send API takes it. */
export interface FakeQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/** A Graph error as tests describe it to {@link GraphApiFake.failNext}; missing parts get Graph's usual values. */
export interface GraphErrorSpec {
  code: number;
  message?: string;
  type?: string;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

/** Which requests a failure or hang applies to, and how many times. */
export interface RuleOptions {
  /** How many matching requests it applies to; default 1. */
  count?: number;
  /** Only requests for which this returns true; default every request. */
  match?: (request: RecordedRequest) => boolean;
}

/** A filter for {@link GraphApiFake.callCount}. */
export type RequestFilter = ((request: RecordedRequest) => boolean) | { method?: string; path?: string | RegExp };

// ---------------------------------------------------------------------------
// Internal state

interface PostState {
  id: string;
  /** The Page whose feed the post is on. */
  pageId: string;
  message: string | undefined;
  created: Date;
  updated: Date;
  from: FakeProfile;
}

interface CommentState {
  id: string;
  postId: string;
  parentId: string | undefined;
  message: string;
  created: Date;
  from: FakeProfile | undefined;
  canReplyPrivately: boolean;
  privateReplyMessageId: string | undefined;
  attachment: FakeCommentAttachment | undefined;
  /** People who liked it (`like_count`). */
  likes: number;
}

interface MessageState {
  id: string;
  conversationId: string;
  text: string;
  created: Date;
  fromPage: boolean;
  messagingType: string | undefined;
  tag: string | undefined;
  attachments?: FakeMessageAttachment[];
  sticker?: string;
  quickReplies?: FakeQuickReply[];
}

interface ConversationState {
  id: string;
  /** Messenger (a Page's) or Instagram (the linked account's). */
  platform: 'messenger' | 'instagram';
  /** The person, by PSID. */
  user: FakeProfile;
  /** Oldest first. */
  messages: MessageState[];
}

type Rule =
  | { kind: 'fail'; remaining: number; match: ((r: RecordedRequest) => boolean) | undefined; status: number; body: string; contentType: string; headers: Record<string, string> }
  | { kind: 'timeout'; remaining: number; match: ((r: RecordedRequest) => boolean) | undefined; destroyAfterMs: number | undefined }
  | { kind: 'delay'; remaining: number; match: ((r: RecordedRequest) => boolean) | undefined; delayMs: number };

interface FieldNode {
  name: string;
  modifiers: Record<string, string>;
  children: FieldNode[] | undefined;
}

type NodeType = 'Page' | 'Post' | 'Comment' | 'Conversation' | 'Message' | 'User';

interface IgMediaState {
  id: string;
  caption: string | undefined;
  created: Date;
  productType: string;
  mediaType: string;
  shortcode: string;
  /** Someone else's media (where the account can be mentioned); undefined for the account's own. */
  owner?: FakeIgUser;
}

interface IgCommentState {
  id: string;
  mediaId: string;
  parentId: string | undefined;
  text: string;
  created: Date;
  from: FakeIgUser;
  hidden: boolean;
  privateReplyMessageId: string | undefined;
  /** People who liked it (`like_count`). */
  likes: number;
}

interface Resolved {
  type: NodeType;
  id: string;
}

class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly spec: GraphErrorSpec,
    readonly headers: Record<string, string> = {},
  ) {
    super(spec.message ?? `Graph error ${spec.code}`);
  }
}

// ---------------------------------------------------------------------------
// Wire helpers

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 25;
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const MESSAGE_TAGS = ['HUMAN_AGENT', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];

/** `2026-11-28T10:00:00+0000`, the way Graph writes times. */
export function formatGraphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function toDate(value: Date | string | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  if (value instanceof Date) return new Date(value.getTime());
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a time: ${value}`);
  return date;
}

function traceId(): string {
  return randomBytes(8).toString('base64').replace(/[+/=]/g, '').slice(0, 11);
}

function cursorOf(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function idOfCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Graph's usual text and type for an error code, so tests can write `failNext(400, { code: 613 })`. */
const DEFAULT_ERRORS: Record<number, { message: string; type?: string; is_transient?: boolean }> = {
  1: { message: 'An unknown error occurred', is_transient: true },
  2: { message: 'An unexpected error has occurred. Please retry your request later.', is_transient: true },
  4: { message: '(#4) Application request limit reached', is_transient: true },
  10: { message: '(#10) Application does not have permission for this action' },
  17: { message: '(#17) User request limit reached', is_transient: true },
  32: { message: '(#32) Page request limit reached', is_transient: true },
  100: { message: '(#100) Invalid parameter' },
  104: { message: 'An access token is required to request this resource.' },
  190: { message: 'Invalid OAuth access token - Cannot parse access token' },
  200: { message: '(#200) Permissions error' },
  368: { message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed' },
  613: { message: '(#613) Calls to this api have exceeded the rate limit.', is_transient: true },
  80001: {
    message:
      '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    is_transient: true,
  },
};

function defaultSpecForStatus(status: number): GraphErrorSpec {
  if (status === 403) return { code: 10 };
  if (status === 429) return { code: 4 };
  if (status === 503) return { code: 2 };
  if (status >= 500) return { code: 1 };
  return { code: 100 };
}

function envelope(spec: GraphErrorSpec, fbtraceId: string): { error: Record<string, unknown> } {
  const known = DEFAULT_ERRORS[spec.code];
  const error: Record<string, unknown> = {
    message: spec.message ?? known?.message ?? `(#${spec.code}) Error`,
    type: spec.type ?? known?.type ?? 'OAuthException',
    code: spec.code,
  };
  if (spec.error_subcode !== undefined) error.error_subcode = spec.error_subcode;
  const transient = spec.is_transient ?? known?.is_transient;
  if (transient !== undefined) error.is_transient = transient;
  if (spec.error_user_title !== undefined) error.error_user_title = spec.error_user_title;
  if (spec.error_user_msg !== undefined) error.error_user_msg = spec.error_user_msg;
  error.fbtrace_id = fbtraceId;
  return { error };
}

function paramError(message: string, subcode?: number): GraphFailure {
  return new GraphFailure(400, { code: 100, message, ...(subcode === undefined ? {} : { error_subcode: subcode }) });
}

function unsupported(method: string, id: string): GraphFailure {
  return new GraphFailure(400, {
    code: 100,
    error_subcode: 33,
    type: 'GraphMethodException',
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

function outsideWindow(): GraphFailure {
  return new GraphFailure(400, {
    code: 10,
    error_subcode: 2018278,
    message: '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
  });
}

/** Parses `id,message,comments.limit(5).since(123){id,from{name}}`. */
export function parseFields(fields: string): FieldNode[] {
  const text = fields.replace(/\s+/g, '');
  let pos = 0;
  const syntaxError = (): GraphFailure =>
    paramError(`(#100) Syntax error "Expected end of string instead of "${text.slice(pos, pos + 1)}"." at character ${pos}: ${text}`);
  const parseList = (): FieldNode[] => {
    const nodes: FieldNode[] = [];
    for (;;) {
      const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
      if (!nameMatch) throw syntaxError();
      const node: FieldNode = { name: nameMatch[0], modifiers: {}, children: undefined };
      pos += nameMatch[0].length;
      while (text[pos] === '.') {
        const mod = /^\.([A-Za-z_]+)\(([^)]*)\)/.exec(text.slice(pos));
        if (!mod) throw syntaxError();
        node.modifiers[mod[1]!] = mod[2]!;
        pos += mod[0].length;
      }
      if (text[pos] === '{') {
        pos++;
        node.children = parseList();
        if (text[pos] !== '}') throw syntaxError();
        pos++;
      }
      nodes.push(node);
      if (text[pos] !== ',') return nodes;
      pos++;
    }
  };
  if (text === '') return [];
  const nodes = parseList();
  if (pos !== text.length) throw syntaxError();
  return nodes;
}

function serializeFields(nodes: FieldNode[]): string {
  return nodes
    .map((n) => `${n.name}${n.children ? `{${serializeFields(n.children)}}` : ''}`)
    .join(',');
}

function fieldsOf(names: readonly string[]): FieldNode[] {
  return names.map((name) => ({ name, modifiers: {}, children: undefined }));
}

/** Scalar and object fields each node type really has (values we do not store are omitted, as Graph omits empty ones). */
const KNOWN_FIELDS: Record<NodeType, readonly string[]> = {
  Page: ['id', 'name', 'username', 'link', 'category', 'about', 'fan_count', 'followers_count', 'website', 'verification_status', 'picture', 'access_token'],
  Post: ['id', 'message', 'created_time', 'updated_time', 'permalink_url', 'from', 'story', 'status_type', 'is_hidden', 'is_published', 'full_picture', 'attachments', 'shares', 'message_tags', 'privacy', 'parent_id'],
  Comment: [
    'id', 'message', 'created_time', 'from', 'parent', 'can_reply_privately', 'permalink_url', 'comment_count', 'like_count', 'is_hidden', 'can_hide',
    'can_remove', 'can_comment', 'can_like', 'user_likes', 'attachment', 'message_tags', 'object', 'private_reply_conversation', 'is_private',
  ],
  Conversation: ['id', 'updated_time', 'link', 'message_count', 'unread_count', 'participants', 'senders', 'can_reply', 'snippet', 'former_participants', 'is_subscribed'],
  Message: ['id', 'message', 'created_time', 'from', 'to', 'attachments', 'sticker', 'tags', 'shares'],
  User: ['id', 'name', 'first_name', 'last_name', 'profile_pic', 'locale', 'timezone', 'gender'],
};

const EDGES: Record<NodeType, readonly string[]> = {
  Page: ['feed', 'posts', 'conversations'],
  Post: ['comments'],
  Comment: ['comments'],
  Conversation: ['messages'],
  Message: [],
  User: [],
};

const DEFAULT_NODE_FIELDS: Record<NodeType, readonly string[]> = {
  Page: ['name', 'id'],
  Post: ['created_time', 'message', 'id'],
  Comment: ['created_time', 'from', 'message', 'id'],
  Conversation: ['id', 'link', 'updated_time'],
  Message: ['id', 'created_time'],
  User: ['name', 'id'],
};

/** Fields of the Instagram nodes (IG User, IG Media, IG Comment references). */
const IG_KNOWN_FIELDS: Record<'IGUser' | 'IGMedia' | 'IGComment', readonly string[]> = {
  IGUser: ['id', 'username', 'name', 'media_count', 'followers_count'],
  IGMedia: ['id', 'caption', 'timestamp', 'media_product_type', 'media_type', 'permalink', 'comments_count', 'like_count', 'username', 'owner', 'is_comment_enabled', 'shortcode'],
  IGComment: ['id', 'text', 'timestamp', 'username', 'from', 'parent_id', 'hidden', 'like_count', 'media'],
};
const IG_EDGES: Record<'IGUser' | 'IGMedia' | 'IGComment', string> = { IGUser: 'media', IGMedia: 'comments', IGComment: 'replies' };
const IG_DEFAULT_FIELDS: Record<'IGUser' | 'IGMedia' | 'IGComment', readonly string[]> = { IGUser: ['id'], IGMedia: ['id'], IGComment: ['timestamp', 'text', 'id'] };

/** Which node type the items of an edge are. */
const EDGE_ITEM_TYPE: Record<string, NodeType> = { feed: 'Post', posts: 'Post', comments: 'Comment', conversations: 'Conversation', messages: 'Message' };

// ---------------------------------------------------------------------------

/** The running stand-in. Create it with {@link startGraphApiFake}. */
export class GraphApiFake {
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /**
   * The Page served (the first): while a call is handled, or inside
   * {@link GraphApiFake.asPage}, the Page acted as.
   */
  get page(): FakePageOptions {
    return this.#acting ?? this.#primary;
  }

  /** Every Page served, the first one first. */
  get pages(): readonly FakePageOptions[] {
    return [this.#primary, ...this.#otherPages];
  }

  readonly #primary: FakePageOptions;
  readonly #otherPages: FakePageOptions[];
  #acting: FakePageOptions | undefined;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #clock: () => Date;
  #frozenNow: Date | undefined;
  #rules: Rule[] = [];
  /** Requests held by {@link GraphApiFake.delayNext} that have not been carried out yet. */
  readonly #delayed = new Set<NodeJS.Timeout>();
  #usagePercent = 0;
  #regainAccessMinutes = 0;
  #tokenExpiredAt: Date | undefined;
  #seq = 0;
  #posts = new Map<string, PostState>();
  #comments = new Map<string, CommentState>();
  #conversations = new Map<string, ConversationState>();
  #users = new Map<string, FakeProfile>();
  #psids = new Map<string, string>();
  readonly #instagram: FakeInstagramAccount;
  #igMedia = new Map<string, IgMediaState>();
  #igComments = new Map<string, IgCommentState>();

  /** @internal use {@link startGraphApiFake} */
  constructor(server: Server, options: GraphApiFakeOptions) {
    this.#server = server;
    this.#clock = options.now ?? (() => new Date());
    this.#otherPages = options.otherPages ?? [];
    this.#instagram = { id: options.instagram?.id ?? '17841400000000001', username: options.instagram?.username ?? 'city.hall' };
    this.#primary = {
      id: options.page?.id ?? '104710000000001',
      name: options.page?.name ?? 'City Hall',
      accessToken: options.page?.accessToken ?? 'EAAFakePageTokenForTests0123456789abcdef',
      ...(options.page?.appSecret === undefined ? {} : { appSecret: options.page.appSecret }),
    };
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`graph-api fake crashed: ${error instanceof Error ? error.stack : String(error)}`);
        }
      });
    });
  }

  /** Base URL, e.g. `http://127.0.0.1:41234` (no version, no trailing slash). */
  get url(): string {
    const address = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** The stand-in's current time. */
  now(): Date {
    return new Date((this.#frozenNow ?? this.#clock()).getTime());
  }

  /** Freezes the stand-in's clock at `date` (undefined returns to the configured clock). */
  setNow(date: Date | undefined): void {
    this.#frozenNow = date === undefined ? undefined : new Date(date.getTime());
  }

  // -- seeding ---------------------------------------------------------------

  /** Runs `fn` (seeding posts, comments…) as the Page `pageId`, one of {@link GraphApiFakeOptions.otherPages}. */
  asPage<T>(pageId: string, fn: () => T): T {
    const page = this.pages.find((p) => p.id === pageId);
    if (!page) throw new Error(`the stand-in serves no Page ${pageId}`);
    const before = this.#acting;
    this.#acting = page;
    try {
      return fn();
    } finally {
      this.#acting = before;
    }
  }

  /** Publishes a post on the Page (by the Page unless `from` says otherwise). */
  seedPost(post: { id?: string; message?: string; created_time?: Date | string; updated_time?: Date | string; from?: FakeProfile }): FakePost {
    const created = toDate(post.created_time, this.now());
    const id = post.id ?? `${this.page.id}_${this.#nextId()}`;
    if (this.#posts.has(id)) throw new Error(`post ${id} already exists`);
    const state: PostState = {
      id,
      pageId: this.page.id,
      message: post.message,
      created,
      updated: toDate(post.updated_time, created),
      from: post.from ?? { id: this.page.id, name: this.page.name },
    };
    if (post.from) this.#users.set(post.from.id, post.from);
    this.#posts.set(id, state);
    return this.#postView(state);
  }

  /**
   * Adds a comment to a post, or a reply when `parentId` is given (a reply to
   * a reply lands under the top-level comment). Bumps the post's `updated_time`.
   */
  addComment(comment: {
    postId: string;
    message: string;
    from?: FakeProfile | null;
    created_time?: Date | string;
    parentId?: string;
    id?: string;
    can_reply_privately?: boolean;
    /** A photo, video, sticker or link with the comment (its `message` may then be empty). */
    attachment?: FakeCommentAttachment;
  }): FakeComment {
    const post = this.#posts.get(comment.postId);
    if (!post) throw new Error(`no post ${comment.postId}; seed it first`);
    let parentId = comment.parentId;
    if (parentId !== undefined) {
      const parent = this.#comments.get(parentId);
      if (!parent) throw new Error(`no comment ${parentId}`);
      parentId = parent.parentId ?? parent.id;
    }
    const from = comment.from === null ? undefined : (comment.from ?? { id: String(100000000000000 + this.#nextId()), name: 'Citizen' });
    if (from) this.#users.set(from.id, from);
    const created = toDate(comment.created_time, this.now());
    const id = comment.id ?? `${this.#localId(post.id)}_${this.#nextId()}`;
    if (this.#comments.has(id)) throw new Error(`comment ${id} already exists`);
    const state: CommentState = {
      id,
      postId: post.id,
      parentId,
      message: comment.message,
      created,
      from,
      canReplyPrivately: comment.can_reply_privately ?? (from !== undefined && from.id !== this.page.id),
      privateReplyMessageId: undefined,
      attachment: comment.attachment,
      likes: 0,
    };
    this.#comments.set(id, state);
    if (created > post.updated) post.updated = created;
    return this.#commentView(state);
  }

  /**
   * Sets how many people liked a comment (its `like_count`). A like does not
   * move the post's `updated_time`: only a new comment or an edit does.
   */
  setCommentLikes(commentId: string, likes: number): void {
    const c = this.#comments.get(commentId);
    if (!c) throw new Error(`no comment ${commentId}`);
    c.likes = likes;
  }

  /**
   * Adds a Messenger message to the conversation with the person `psid`
   * (created when missing). `from: 'user'` is the citizen writing (opens the
   * 24-hour window), `from: 'page'` the Page answering.
   */
  addMessage(message: {
    psid: string;
    name?: string;
    text: string;
    from?: 'user' | 'page';
    created_time?: Date | string;
    /** Files sent with the message (a photo: `image_data`; a video: `video_data`; anything else: `file_url`). */
    attachments?: FakeMessageAttachment[];
    /** A sticker: its picture's link. */
    sticker?: string;
  }): FakeMessage {
    const conversation = this.#conversationWith({ id: message.psid, ...(message.name === undefined ? {} : { name: message.name }) });
    const state: MessageState = {
      id: this.#messageId(),
      conversationId: conversation.id,
      text: message.text,
      created: toDate(message.created_time, this.now()),
      fromPage: message.from === 'page',
      messagingType: undefined,
      tag: undefined,
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.sticker === undefined ? {} : { sticker: message.sticker }),
    };
    conversation.messages.push(state);
    conversation.messages.sort((a, b) => a.created.getTime() - b.created.getTime());
    return this.#messageView(state, conversation);
  }

  /** The Messenger PSID the stand-in uses for the author of comments with `from.id === userId`. */
  psidFor(userId: string): string {
    let psid = this.#psids.get(userId);
    if (!psid) {
      psid = /^\d+$/.test(userId) ? `9${userId}` : `psid_${userId}`;
      this.#psids.set(userId, psid);
    }
    return psid;
  }

  // -- inspection --------------------------------------------------------------

  /** Posts on the Page, newest first. */
  pagePosts(): FakePost[] {
    return [...this.#posts.values()].sort(byCreatedDesc).map((p) => this.#postView(p));
  }

  /** Comments of a post (all, replies included) or replies to a comment, oldest first. */
  commentsOn(id: string): FakeComment[] {
    const all = [...this.#comments.values()].sort(byCreatedAsc);
    if (this.#posts.has(id)) return all.filter((c) => c.postId === id).map((c) => this.#commentView(c));
    if (this.#comments.has(id)) return all.filter((c) => c.parentId === id).map((c) => this.#commentView(c));
    throw new Error(`no post or comment ${id}`);
  }

  /** Messenger messages with the person `psid`, oldest first (empty when there is no conversation). */
  messagesWith(psid: string): FakeMessage[] {
    const conversation = [...this.#conversations.values()].find((c) => c.user.id === psid);
    return conversation ? conversation.messages.map((m) => this.#messageView(m, conversation)) : [];
  }

  // -- Instagram ----------------------------------------------------------------

  /** The Instagram professional account served. */
  get instagram(): FakeInstagramAccount {
    return { ...this.#instagram };
  }

  /** Publishes a media on the Instagram account. */
  seedIgMedia(
    media: { id?: string; caption?: string; created_time?: Date | string; media_product_type?: string; /** `IMAGE` (default; `VIDEO` for a reel), `VIDEO`, `CAROUSEL_ALBUM`. */ media_type?: string } = {},
  ): FakeIgMedia {
    const id = media.id ?? this.#igId();
    if (this.#igMedia.has(id)) throw new Error(`IG media ${id} already exists`);
    const productType = media.media_product_type ?? 'FEED';
    const state: IgMediaState = {
      id,
      caption: media.caption,
      created: toDate(media.created_time, this.now()),
      productType,
      mediaType: media.media_type ?? (productType === 'REELS' ? 'VIDEO' : 'IMAGE'),
      shortcode: randomBytes(8).toString('base64url').slice(0, 11),
    };
    this.#igMedia.set(id, state);
    return this.#igMediaView(state);
  }

  /**
   * Publishes a media of another Instagram user (`owner`), where the account
   * can be @mentioned: in its caption, or in a comment on it
   * ({@link GraphApiFake.addIgComment}). The account cannot read it directly
   * (not in its `media` edge, `GET /{id}` refused), only through its
   * `mentioned_media` / `mentioned_comment` fields, as on Graph.
   */
  seedForeignIgMedia(media: { owner: FakeIgUser; caption?: string; id?: string; created_time?: Date | string; media_product_type?: string }): FakeIgMedia {
    const id = media.id ?? this.#igId();
    if (this.#igMedia.has(id)) throw new Error(`IG media ${id} already exists`);
    const state: IgMediaState = {
      id,
      caption: media.caption,
      created: toDate(media.created_time, this.now()),
      productType: media.media_product_type ?? 'FEED',
      mediaType: media.media_product_type === 'REELS' ? 'VIDEO' : 'IMAGE',
      shortcode: randomBytes(8).toString('base64url').slice(0, 11),
      owner: { ...media.owner },
    };
    this.#igMedia.set(id, state);
    return this.#igMediaView(state);
  }

  /**
   * Adds a comment to an IG media, or a reply when `parentId` is given (a
   * reply to a reply lands under the top-level comment). `from` defaults to
   * a new Instagram user.
   */
  addIgComment(comment: { mediaId: string; text: string; from?: FakeIgUser; created_time?: Date | string; parentId?: string; id?: string }): FakeIgComment {
    if (!this.#igMedia.has(comment.mediaId)) throw new Error(`no IG media ${comment.mediaId}; seed it first`);
    let parentId = comment.parentId;
    if (parentId !== undefined) {
      const parent = this.#igComments.get(parentId);
      if (!parent) throw new Error(`no IG comment ${parentId}`);
      parentId = parent.parentId ?? parent.id;
    }
    const id = comment.id ?? this.#igId();
    if (this.#igComments.has(id)) throw new Error(`IG comment ${id} already exists`);
    const from = comment.from ?? { id: String(1254459154600000 + (this.#nextId() % 100000)), username: 'citizen' };
    const state: IgCommentState = {
      id,
      mediaId: comment.mediaId,
      parentId,
      text: comment.text,
      created: toDate(comment.created_time, this.now()),
      from,
      hidden: false,
      privateReplyMessageId: undefined,
      likes: 0,
    };
    this.#igComments.set(id, state);
    return this.#igCommentView(state);
  }

  /** Sets how many people liked an IG comment (its `like_count`); the media's `comments_count` does not move. */
  setIgCommentLikes(commentId: string, likes: number): void {
    const c = this.#igComments.get(commentId);
    if (!c) throw new Error(`no IG comment ${commentId}`);
    c.likes = likes;
  }

  /**
   * Adds an Instagram direct message to the conversation with the person
   * `igsid` (created when missing): `from: 'user'` the citizen writing
   * (opens the 24-hour window), `from: 'account'` the city answering in the
   * Instagram app.
   */
  addIgMessage(message: { igsid: string; username?: string; text: string; from?: 'user' | 'account'; created_time?: Date | string }): FakeMessage {
    const conversation = this.#conversationWith({ id: message.igsid, ...(message.username === undefined ? {} : { name: message.username }) }, 'instagram');
    const state: MessageState = {
      id: this.#igMessageId(),
      conversationId: conversation.id,
      text: message.text,
      created: toDate(message.created_time, this.now()),
      fromPage: message.from === 'account',
      messagingType: undefined,
      tag: undefined,
    };
    conversation.messages.push(state);
    conversation.messages.sort((a, b) => a.created.getTime() - b.created.getTime());
    return this.#messageView(state, conversation);
  }

  /** Comments of an IG media (replies included) or replies to an IG comment, oldest first. */
  igCommentsOn(id: string): FakeIgComment[] {
    const all = [...this.#igComments.values()].sort(byCreatedAsc);
    if (this.#igMedia.has(id)) return all.filter((c) => c.mediaId === id).map((c) => this.#igCommentView(c));
    if (this.#igComments.has(id)) return all.filter((c) => c.parentId === id).map((c) => this.#igCommentView(c));
    throw new Error(`no IG media or comment ${id}`);
  }

  /** One IG comment (hidden or not), undefined when there is none. */
  igComment(id: string): FakeIgComment | undefined {
    const c = this.#igComments.get(id);
    return c ? this.#igCommentView(c) : undefined;
  }

  /** Instagram direct messages with the person `igsid`, oldest first. */
  igMessagesWith(igsid: string): FakeMessage[] {
    const conversation = [...this.#conversations.values()].find((c) => c.platform === 'instagram' && c.user.id === igsid);
    return conversation ? conversation.messages.map((m) => this.#messageView(m, conversation)) : [];
  }

  /** Every message the Page sent, oldest first. */
  sentMessages(): FakeMessage[] {
    const out: FakeMessage[] = [];
    for (const conversation of this.#conversations.values()) {
      for (const m of conversation.messages) if (m.fromPage) out.push(this.#messageView(m, conversation));
    }
    return out.sort((a, b) => a.created_time.localeCompare(b.created_time));
  }

  /** How many requests were received, all or those matching `filter` (`path` is matched against `graphPath`). */
  callCount(filter?: RequestFilter): number {
    if (!filter) return this.requests.length;
    if (typeof filter === 'function') return this.requests.filter(filter).length;
    return this.requests.filter((r) => {
      if (filter.method && r.method !== filter.method.toUpperCase()) return false;
      if (filter.path === undefined) return true;
      return typeof filter.path === 'string' ? r.graphPath === filter.path.replace(/^\/+/, '') : filter.path.test(r.graphPath);
    }).length;
  }

  // -- failure control -----------------------------------------------------------

  /**
   * The next matching request(s) get HTTP `status` with `body`: a Graph error
   * spec (`{ code: 613 }`, wrapped in the envelope with Graph's usual message),
   * a full object (sent as JSON as is), or a string (sent as `text/html`, `''`
   * for an empty body). Without a body, the usual Graph error for the status.
   */
  failNext(status: number, body?: GraphErrorSpec | Record<string, unknown> | string, options: RuleOptions & { headers?: Record<string, string> } = {}): void {
    let text: string;
    let contentType = 'application/json; charset=UTF-8';
    if (typeof body === 'string') {
      text = body;
      contentType = 'text/html; charset=utf-8';
    } else if (body === undefined || typeof (body as GraphErrorSpec).code === 'number') {
      // The trace id is filled in per response (see #respondRule).
      text = JSON.stringify(envelope((body as GraphErrorSpec | undefined) ?? defaultSpecForStatus(status), '__FBTRACE__'));
    } else {
      text = JSON.stringify(body);
    }
    this.#rules.push({ kind: 'fail', remaining: options.count ?? 1, match: options.match, status, body: text, contentType, headers: options.headers ?? {} });
  }

  /**
   * The next matching request(s) are accepted and never answered, so the
   * client's deadline expires; with `destroyAfterMs` the socket is destroyed
   * after that delay instead (the client sees a reset).
   */
  timeoutNext(options: RuleOptions & { destroyAfterMs?: number } = {}): void {
    this.#rules.push({ kind: 'timeout', remaining: options.count ?? 1, match: options.match, destroyAfterMs: options.destroyAfterMs });
  }

  /**
   * The next matching request(s) are carried out only after `delayMs` (Facebook
   * slow to process them) and answered then. A client whose deadline is
   * shorter has given up by that time, yet the call takes effect: a POST
   * publishes its comment or message `delayMs` after it arrived, whether or not
   * anyone still waits for the answer (`abandoned` on its record says whether).
   */
  delayNext(options: RuleOptions & { delayMs: number }): void {
    if (!(options.delayMs >= 0)) throw new RangeError('delayNext needs a delayMs of 0 or more');
    this.#rules.push({ kind: 'delay', remaining: options.count ?? 1, match: options.match, delayMs: options.delayMs });
  }

  /**
   * Usage reported in `x-app-usage` and `x-business-use-case-usage`, as a
   * percentage of the quota (0-100+), and the minutes Facebook says it takes
   * to regain access.
   */
  setUsage(percent: number, options: { regainAccessMinutes?: number } = {}): void {
    this.#usagePercent = percent;
    this.#regainAccessMinutes = options.regainAccessMinutes ?? 0;
  }

  /** From now on the Page token is refused as expired (code 190, subcode 463). */
  expireToken(): void {
    this.#tokenExpiredAt = this.now();
  }

  /**
   * Forgets requests, rules, usage, the token's expiry and all posts, comments
   * and conversations; requests still held by {@link delayNext} are dropped
   * (never carried out, never answered).
   */
  reset(): void {
    for (const timer of this.#delayed) clearTimeout(timer);
    this.#delayed.clear();
    this.requests.length = 0;
    this.#rules = [];
    this.#usagePercent = 0;
    this.#regainAccessMinutes = 0;
    this.#tokenExpiredAt = undefined;
    this.#frozenNow = undefined;
    this.#posts.clear();
    this.#comments.clear();
    this.#conversations.clear();
    this.#users.clear();
    this.#psids.clear();
    this.#igMedia.clear();
    this.#igComments.clear();
  }

  /** Stops listening and destroys every open connection (including hung ones). */
  async close(): Promise<void> {
    for (const timer of this.#delayed) clearTimeout(timer);
    this.#delayed.clear();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }

  // -- HTTP ------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const body = parseBody(raw, req.headers['content-type']);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const version = segments[0] !== undefined && /^v\d+\.\d+$/.test(segments[0]) ? segments.shift() : undefined;
    const token = tokenOf(query, body, req.headers);
    const record: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      graphPath: segments.join('/'),
      version,
      query,
      body,
      headers: req.headers,
      accessToken: token,
      at: this.now(),
      abandoned: false,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.abandoned = true;
    });
    const fbtraceId = traceId();
    const pageToken = this.pages.some((p) => p.accessToken === token);

    const rule = this.#takeRule(record);
    if (rule?.kind === 'timeout') {
      if (rule.destroyAfterMs !== undefined) setTimeout(() => req.socket.destroy(), rule.destroyAfterMs).unref();
      return;
    }
    if (rule?.kind === 'fail') {
      res.writeHead(rule.status, { ...this.#headers(fbtraceId, pageToken), 'content-type': rule.contentType, ...rule.headers });
      res.end(rule.body.replaceAll('__FBTRACE__', fbtraceId));
      return;
    }
    if (rule?.kind === 'delay') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#delayed.delete(timer);
          resolve();
        }, rule.delayMs);
        this.#delayed.add(timer);
      });
    }

    // A Page token acts as its Page (synchronously: nothing else runs until the answer is built).
    this.#acting = this.#otherPages.find((p) => p.accessToken === token);
    try {
      this.#authenticate(token, query, body);
      const result = this.#route(record);
      res.writeHead(200, { ...this.#headers(fbtraceId, true), 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(result));
    } catch (error) {
      if (!(error instanceof GraphFailure)) throw error;
      const headers: Record<string, string> = { ...this.#headers(fbtraceId, pageToken && error.spec.code !== 190), 'content-type': 'application/json; charset=UTF-8', ...error.headers };
      if (error.spec.code === 190 || error.spec.code === 104) {
        headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${error.spec.message ?? ''}"`;
      }
      res.writeHead(error.status, headers);
      res.end(JSON.stringify(envelope(error.spec, fbtraceId)));
    } finally {
      this.#acting = undefined;
    }
  }

  #takeRule(record: RecordedRequest): Rule | undefined {
    for (const rule of this.#rules) {
      if (rule.remaining <= 0) continue;
      if (rule.match && !rule.match(record)) continue;
      rule.remaining--;
      this.#rules = this.#rules.filter((r) => r.remaining > 0);
      return rule;
    }
    return undefined;
  }

  #headers(fbtraceId: string, withBusinessUsage: boolean): Record<string, string> {
    const p = this.#usagePercent;
    const headers: Record<string, string> = {
      'x-fb-trace-id': fbtraceId,
      'x-fb-rev': '1028831752',
      'x-fb-request-id': randomBytes(12).toString('base64url'),
      'facebook-api-version': 'v24.0',
      'x-app-usage': JSON.stringify({ call_count: p, total_time: p, total_cputime: p }),
      'cache-control': 'private, no-cache, no-store, must-revalidate',
      'access-control-allow-origin': '*',
    };
    if (withBusinessUsage) {
      headers['x-business-use-case-usage'] = JSON.stringify({
        [this.page.id]: [{ type: 'pages', call_count: p, total_cputime: p, total_time: p, estimated_time_to_regain_access: this.#regainAccessMinutes }],
      });
    }
    return headers;
  }

  #authenticate(token: string | undefined, query: Record<string, string>, body: Record<string, unknown>): void {
    if (token === undefined || token === '') throw new GraphFailure(400, { code: 104, message: DEFAULT_ERRORS[104]!.message });
    if (token !== this.page.accessToken) throw new GraphFailure(400, { code: 190, message: DEFAULT_ERRORS[190]!.message });
    if (this.#tokenExpiredAt) {
      throw new GraphFailure(400, {
        code: 190,
        error_subcode: 463,
        message: `Error validating access token: Session has expired on ${this.#tokenExpiredAt.toUTCString()}. The current time is ${this.now().toUTCString()}.`,
      });
    }
    if (this.page.appSecret !== undefined) {
      const proof = query.appsecret_proof ?? (typeof body.appsecret_proof === 'string' ? body.appsecret_proof : undefined);
      if (proof === undefined) {
        throw new GraphFailure(400, { code: 100, type: 'GraphMethodException', message: 'API calls from the server require an appsecret_proof argument' });
      }
      const expected = createHmac('sha256', this.page.appSecret).update(token).digest('hex');
      if (proof !== expected) throw new GraphFailure(400, { code: 100, type: 'GraphMethodException', message: 'Invalid appsecret_proof provided in the API argument' });
    }
  }

  #route(request: RecordedRequest): unknown {
    const segments = request.graphPath.split('/').filter(Boolean);
    const [id, edge, ...rest] = segments;
    if (id === undefined) throw unsupported(request.method, '');
    if (rest.length > 0) throw new GraphFailure(400, { code: 2500, message: `Unknown path components: /${rest.join('/')}` });
    if (this.#isInstagramNode(id, request.method)) return this.#routeInstagram(request, id, edge);
    const node = this.#resolve(id === 'me' ? this.page.id : id);
    if (request.method === 'GET') {
      if (!node) throw unsupported('GET', id);
      const params = { ...request.body, ...request.query } as Record<string, unknown>;
      if (edge === undefined) {
        const fields = typeof params.fields === 'string' ? parseFields(params.fields) : fieldsOf(DEFAULT_NODE_FIELDS[node.type]);
        return this.#renderNode(node, fields, request);
      }
      if (!EDGES[node.type].includes(edge)) throw new GraphFailure(400, { code: 2500, message: `Unknown path components: /${edge}` });
      if (node.type === 'Page' && edge === 'conversations' && typeof params.platform === 'string' && params.platform !== 'messenger' && params.platform !== 'instagram') {
        throw paramError('(#100) param platform must be one of {MESSENGER, INSTAGRAM}');
      }
      const modifiers: Record<string, string> = {};
      for (const key of ['limit', 'after', 'before', 'since', 'until', 'filter', 'order', 'summary', 'user_id', 'platform']) {
        const value = params[key];
        if (typeof value === 'string' || typeof value === 'number') modifiers[key] = String(value);
      }
      const itemType = EDGE_ITEM_TYPE[edge]!;
      const children = typeof params.fields === 'string' ? parseFields(params.fields) : undefined;
      return this.#renderEdge(node, { name: edge, modifiers, children }, itemType, request, { ...params });
    }
    if (request.method === 'POST') {
      if (!node) throw unsupported('POST', id);
      if (edge === 'comments' && (node.type === 'Post' || node.type === 'Comment')) return this.#postComment(node, request.body);
      if (edge === 'messages' && node.type === 'Page') return this.#sendMessage(request.body);
      throw unsupported('POST', edge === undefined ? id : `${id}/${edge}`);
    }
    throw unsupported(request.method, id);
  }

  // -- reading -----------------------------------------------------------------------

  #resolve(id: string): Resolved | undefined {
    if (id === this.page.id) return { type: 'Page', id };
    if (this.#posts.has(id)) return { type: 'Post', id };
    if (this.#comments.has(id)) return { type: 'Comment', id };
    if (this.#conversations.has(id)) return { type: 'Conversation', id };
    for (const c of this.#conversations.values()) if (c.messages.some((m) => m.id === id)) return { type: 'Message', id };
    if (this.#users.has(id) || [...this.#conversations.values()].some((c) => c.user.id === id)) return { type: 'User', id };
    return undefined;
  }

  #renderNode(node: Resolved, fields: FieldNode[], request: RecordedRequest): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (EDGES[node.type].includes(field.name)) {
        out[field.name] = this.#renderEdge(node, field, EDGE_ITEM_TYPE[field.name]!, request, {});
        continue;
      }
      if (!KNOWN_FIELDS[node.type].includes(field.name)) {
        throw paramError(`(#100) Tried accessing nonexisting field (${field.name}) on node type (${node.type})`);
      }
      const value = this.#scalar(node, field.name);
      if (value === undefined) continue;
      const list = value && typeof value === 'object' && Array.isArray((value as { data?: unknown }).data) ? (value as { data: Array<Record<string, unknown>> }).data : undefined;
      // A list of objects (`attachments{…}`) is picked item by item.
      if (field.children && list) out[field.name] = { data: list.map((item) => pick(item, field.children!)) };
      else out[field.name] = field.children && value && typeof value === 'object' && !Array.isArray(value) ? pick(value as Record<string, unknown>, field.children) : value;
    }
    return out;
  }

  #scalar(node: Resolved, field: string): unknown {
    switch (node.type) {
      case 'Page': {
        const values: Record<string, unknown> = { id: this.page.id, name: this.page.name, link: `https://www.facebook.com/${this.page.id}`, category: 'Government organization' };
        return values[field];
      }
      case 'Post': {
        const post = this.#posts.get(node.id)!;
        const view = this.#postView(post);
        const values: Record<string, unknown> = { ...view, is_hidden: false, is_published: true, status_type: 'mobile_status_update' };
        return values[field];
      }
      case 'Comment': {
        const c = this.#comments.get(node.id)!;
        const parent = c.parentId ? this.#comments.get(c.parentId) : undefined;
        const conversation = c.privateReplyMessageId ? [...this.#conversations.values()].find((x) => x.messages.some((m) => m.id === c.privateReplyMessageId)) : undefined;
        const values: Record<string, unknown> = {
          id: c.id,
          message: c.message,
          created_time: formatGraphTime(c.created),
          from: c.from,
          parent: parent ? { created_time: formatGraphTime(parent.created), from: parent.from, message: parent.message, id: parent.id } : undefined,
          can_reply_privately: c.canReplyPrivately && c.privateReplyMessageId === undefined && this.now().getTime() - c.created.getTime() <= 7 * DAY_MS,
          permalink_url: this.#commentView(c).permalink_url,
          comment_count: [...this.#comments.values()].filter((x) => x.parentId === c.id).length,
          like_count: c.likes,
          is_hidden: false,
          can_hide: true,
          can_remove: true,
          can_comment: c.parentId === undefined,
          can_like: true,
          user_likes: false,
          is_private: false,
          object: { id: c.postId },
          private_reply_conversation: conversation ? { id: conversation.id } : undefined,
          attachment: c.attachment,
        };
        return values[field];
      }
      case 'Conversation': {
        const c = this.#conversations.get(node.id)!;
        const last = c.messages.at(-1);
        const people =
          c.platform === 'instagram'
            ? { data: [{ username: c.user.name, id: c.user.id }, { username: this.#instagram.username, id: this.#instagram.id }] }
            : { data: [{ ...c.user }, { id: this.page.id, name: this.page.name }] };
        const values: Record<string, unknown> = {
          id: c.id,
          updated_time: formatGraphTime(last?.created ?? this.now()),
          link: `/${this.page.id}/inbox/${c.id.replace(/^t_/, '')}/`,
          message_count: c.messages.length,
          unread_count: 0,
          participants: people,
          senders: people,
          can_reply: true,
          snippet: last?.text,
          is_subscribed: true,
        };
        return values[field];
      }
      case 'Message': {
        for (const c of this.#conversations.values()) {
          const m = c.messages.find((x) => x.id === node.id);
          if (!m) continue;
          const view = this.#messageView(m, c);
          const values: Record<string, unknown> = {
            id: view.id,
            message: view.message,
            created_time: view.created_time,
            from: view.from,
            to: { data: [view.to] },
            attachments: view.attachments ? { data: view.attachments } : undefined,
            sticker: view.sticker,
          };
          return values[field];
        }
        return undefined;
      }
      case 'User': {
        const user = this.#users.get(node.id) ?? [...this.#conversations.values()].find((c) => c.user.id === node.id)?.user;
        const [first, ...last] = (user?.name ?? '').split(' ');
        const values: Record<string, unknown> = { id: node.id, name: user?.name, first_name: first || undefined, last_name: last.join(' ') || undefined };
        return values[field];
      }
    }
  }

  /** Items of an edge, ordered and filtered, before paging. */
  #edgeItems(node: Resolved, edge: string, modifiers: Record<string, string>): Resolved[] {
    const since = modifiers.since === undefined ? undefined : unixOrTime(modifiers.since);
    const until = modifiers.until === undefined ? undefined : unixOrTime(modifiers.until);
    const inRange = (t: Date): boolean => (since === undefined || t.getTime() >= since) && (until === undefined || t.getTime() < until);
    if (node.type === 'Page' && (edge === 'feed' || edge === 'posts')) {
      return [...this.#posts.values()]
        .filter((p) => p.pageId === this.page.id && (edge === 'feed' || p.from.id === this.page.id))
        .filter((p) => inRange(p.updated))
        .sort(byCreatedDesc)
        .map((p) => ({ type: 'Post', id: p.id }));
    }
    if (edge === 'comments') {
      const filter = modifiers.filter ?? 'toplevel';
      if (filter !== 'toplevel' && filter !== 'stream') throw paramError(`(#100) filter must be one of the following values: toplevel, stream`);
      let comments = [...this.#comments.values()];
      if (node.type === 'Post') comments = comments.filter((c) => c.postId === node.id && (filter === 'stream' || c.parentId === undefined));
      else comments = comments.filter((c) => c.parentId === node.id);
      const order = modifiers.order ?? 'chronological';
      if (order !== 'chronological' && order !== 'reverse_chronological') {
        throw paramError('(#100) order must be one of the following values: chronological, reverse_chronological');
      }
      comments = comments.filter((c) => inRange(c.created)).sort(byCreatedAsc);
      if (order === 'reverse_chronological') comments.reverse();
      return comments.map((c) => ({ type: 'Comment', id: c.id }));
    }
    if (node.type === 'Page' && edge === 'conversations') {
      return [...this.#conversations.values()]
        .filter((c) => c.messages.length > 0)
        .filter((c) => c.platform === (modifiers.platform ?? 'messenger'))
        .filter((c) => modifiers.user_id === undefined || c.user.id === modifiers.user_id)
        .map((c) => ({ c, updated: c.messages.at(-1)!.created }))
        .filter(({ updated }) => since === undefined || updated.getTime() >= since)
        .sort((a, b) => b.updated.getTime() - a.updated.getTime())
        .map(({ c }) => ({ type: 'Conversation', id: c.id }));
    }
    if (node.type === 'Conversation' && edge === 'messages') {
      const conversation = this.#conversations.get(node.id)!;
      return [...conversation.messages].reverse().map((m) => ({ type: 'Message', id: m.id }));
    }
    return [];
  }

  #renderEdge(node: Resolved, field: FieldNode, itemType: NodeType, request: RecordedRequest, topLevelParams: Record<string, unknown>): Record<string, unknown> {
    const modifiers = field.modifiers;
    const items = this.#edgeItems(node, field.name, modifiers);
    const requested = Number(modifiers.limit ?? DEFAULT_LIMIT);
    if (!Number.isInteger(requested) || requested < 0) throw paramError('(#100) param limit must be a non-negative integer');
    const limit = Math.min(requested, MAX_LIMIT);
    let start = 0;
    let end = items.length;
    if (modifiers.after !== undefined) {
      const index = items.findIndex((i) => i.id === idOfCursor(modifiers.after!));
      start = index < 0 ? items.length : index + 1;
    } else if (modifiers.before !== undefined) {
      const index = items.findIndex((i) => i.id === idOfCursor(modifiers.before!));
      end = index < 0 ? 0 : index;
      start = Math.max(0, end - limit);
    }
    const slice = items.slice(start, Math.min(end, start + limit));
    const childFields = field.children ?? fieldsOf(DEFAULT_NODE_FIELDS[itemType]);
    const data = slice.map((item) => this.#renderNode(item, childFields, request));
    const out: Record<string, unknown> = { data };
    if (slice.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: cursorOf(slice[0]!.id), after: cursorOf(slice.at(-1)!.id) } };
      const base = new URL(`${this.url}/${request.version ?? 'v24.0'}/${node.id}/${field.name}`);
      const carry: Record<string, string> = {};
      if (request.accessToken) carry.access_token = request.accessToken;
      for (const key of ['since', 'until', 'filter', 'order', 'summary', 'user_id', 'platform'] as const) {
        const value = modifiers[key] ?? (typeof topLevelParams[key] === 'string' ? (topLevelParams[key] as string) : undefined);
        if (value !== undefined) carry[key] = value;
      }
      if (field.children) carry.fields = serializeFields(field.children);
      carry.limit = String(limit);
      if (start + limit < end) {
        const next = new URL(base);
        for (const [k, v] of Object.entries({ ...carry, after: cursorOf(slice.at(-1)!.id) })) next.searchParams.set(k, v);
        paging.next = next.toString();
      }
      if (start > 0) {
        const previous = new URL(base);
        for (const [k, v] of Object.entries({ ...carry, before: cursorOf(slice[0]!.id) })) previous.searchParams.set(k, v);
        paging.previous = previous.toString();
      }
      out.paging = paging;
    }
    if (modifiers.summary === 'true' || modifiers.summary === '1') {
      out.summary = { order: modifiers.order ?? 'chronological', total_count: items.length, can_comment: true };
    }
    return out;
  }

  // -- writing ---------------------------------------------------------------------------

  #postComment(node: Resolved, body: Record<string, unknown>): { id: string } {
    const message = typeof body.message === 'string' ? body.message : '';
    if (message.trim() === '' && body.attachment_url === undefined && body.attachment_id === undefined) {
      throw paramError('(#100) Missing message or attachment');
    }
    const postId = node.type === 'Post' ? node.id : this.#comments.get(node.id)!.postId;
    const comment = this.addComment({
      postId,
      message,
      from: { id: this.page.id, name: this.page.name },
      ...(node.type === 'Comment' ? { parentId: node.id } : {}),
      can_reply_privately: false,
    });
    return { id: comment.id };
  }

  #sendMessage(body: Record<string, unknown>): { recipient_id: string; message_id: string } {
    const recipient = jsonObject(body.recipient);
    const message = jsonObject(body.message);
    if (!recipient || (typeof recipient.id !== 'string' && typeof recipient.comment_id !== 'string')) {
      throw paramError('(#100) param recipient must be non-empty.');
    }
    const text = message && typeof message.text === 'string' ? message.text : undefined;
    if (text === undefined || text === '') throw paramError('(#100) param message must be non-empty.');
    if (text.length > 2000) throw paramError('(#100) Length of param message[text] must be less than or equal to 2000');
    const quickReplies = readQuickReplies(message!.quick_replies);
    const messagingType = typeof body.messaging_type === 'string' ? body.messaging_type : undefined;
    const tag = typeof body.tag === 'string' ? body.tag : undefined;
    if (messagingType !== undefined && !MESSAGING_TYPES.includes(messagingType)) {
      throw paramError(`(#100) param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}} - got "${messagingType}"`);
    }
    if (messagingType === 'MESSAGE_TAG' && tag === undefined) throw paramError('(#100) Tag is required for MESSAGE_TAG messaging type.');
    if (tag !== undefined && !MESSAGE_TAGS.includes(tag)) throw paramError(`(#100) param tag must be one of {${MESSAGE_TAGS.join(', ')}} - got "${tag}"`);
    const now = this.now();

    if (typeof recipient.comment_id === 'string' && this.#igComments.has(recipient.comment_id)) {
      // A private reply to an Instagram commenter: once, within 7 days; it opens (or continues) their Instagram conversation.
      const comment = this.#igComments.get(recipient.comment_id)!;
      if (comment.privateReplyMessageId !== undefined) throw new GraphFailure(400, { code: 10900, message: '(#10900) Activity already replied to' });
      if (now.getTime() - comment.created.getTime() > 7 * DAY_MS) throw new GraphFailure(400, { code: 10903, message: "(#10903) This user can't reply to this activity" });
      const conversation = this.#conversationWith({ id: comment.from.id, name: comment.from.username }, 'instagram');
      const sent = this.#appendPageMessage(conversation, text, messagingType ?? 'RESPONSE', tag, now);
      comment.privateReplyMessageId = sent.id;
      return { recipient_id: comment.from.id, message_id: sent.id };
    }
    if (typeof recipient.comment_id === 'string') {
      const comment = this.#comments.get(recipient.comment_id);
      if (!comment) throw paramError('(#100) No matching user found', 2018001);
      if (comment.privateReplyMessageId !== undefined) throw new GraphFailure(400, { code: 10900, message: '(#10900) Activity already replied to' });
      if (!comment.from || !comment.canReplyPrivately || now.getTime() - comment.created.getTime() > 7 * DAY_MS) {
        throw new GraphFailure(400, { code: 10903, message: "(#10903) This user can't reply to this activity" });
      }
      const psid = this.psidFor(comment.from.id);
      const conversation = this.#conversationWith({ id: psid, ...(comment.from.name === undefined ? {} : { name: comment.from.name }) });
      const sent = this.#appendPageMessage(conversation, text, messagingType ?? 'RESPONSE', tag, now, quickReplies);
      comment.privateReplyMessageId = sent.id;
      return { recipient_id: psid, message_id: sent.id };
    }

    if (messagingType === undefined) throw paramError('(#100) The parameter messaging_type is required');
    const psid = recipient.id as string;
    const conversation = [...this.#conversations.values()].find((c) => c.user.id === psid);
    if (!conversation) throw paramError('(#100) No matching user found', 2018001);
    const lastFromUser = [...conversation.messages].reverse().find((m) => !m.fromPage);
    const age = lastFromUser ? now.getTime() - lastFromUser.created.getTime() : Number.POSITIVE_INFINITY;
    if (messagingType === 'RESPONSE' || messagingType === 'UPDATE') {
      if (age > DAY_MS) throw outsideWindow();
    } else if (tag === 'HUMAN_AGENT' && age > 7 * DAY_MS) {
      throw outsideWindow();
    }
    const sent = this.#appendPageMessage(conversation, text, messagingType, tag, now, quickReplies);
    return { recipient_id: psid, message_id: sent.id };
  }

  #appendPageMessage(conversation: ConversationState, text: string, messagingType: string, tag: string | undefined, at: Date, quickReplies?: FakeQuickReply[]): MessageState {
    const state: MessageState = {
      id: this.#messageId(),
      conversationId: conversation.id,
      text,
      created: at,
      fromPage: true,
      messagingType,
      tag,
      ...(quickReplies ? { quickReplies } : {}),
    };
    conversation.messages.push(state);
    return state;
  }

  // -- Instagram nodes ------------------------------------------------------------------------

  #isInstagramNode(id: string, method: string): boolean {
    if (id === this.#instagram.id) return true;
    const media = this.#igMedia.get(id) ?? this.#igMedia.get(this.#igComments.get(id)?.mediaId ?? '');
    if (media?.owner) {
      // Someone else's media and its comments: the account reads them only through mentioned_media / mentioned_comment.
      throw unsupported(method, id);
    }
    return media !== undefined;
  }

  #routeInstagram(request: RecordedRequest, id: string, edge: string | undefined): unknown {
    const params = { ...request.body, ...request.query } as Record<string, unknown>;
    const type = id === this.#instagram.id ? 'IGUser' : this.#igMedia.has(id) ? 'IGMedia' : 'IGComment';
    const fields = typeof params.fields === 'string' ? parseFields(params.fields) : undefined;
    if (request.method === 'GET') {
      if (edge === undefined) return this.#renderIg(type, id, fields ?? fieldsOf(IG_DEFAULT_FIELDS[type]), request);
      const edgeOf: Record<typeof type, string | undefined> = { IGUser: 'media', IGMedia: 'comments', IGComment: 'replies' };
      if (edgeOf[type] !== edge) throw new GraphFailure(400, { code: 2500, message: `Unknown path components: /${edge}` });
      const modifiers: Record<string, string> = {};
      for (const key of ['limit', 'after']) if (typeof params[key] === 'string' || typeof params[key] === 'number') modifiers[key] = String(params[key]);
      return this.#renderIgEdge(id, { name: edge, modifiers, children: fields }, request);
    }
    if (request.method === 'POST') {
      const message = typeof params.message === 'string' ? params.message : '';
      const at = this.now();
      const account = { id: this.#instagram.id, username: this.#instagram.username };
      if (type === 'IGUser' && edge === 'mentions') return this.#replyToMention(params, message, account, at);
      if (type === 'IGMedia' && edge === 'comments') {
        if (message.trim() === '') throw paramError('(#100) The parameter message is required');
        return { id: this.addIgComment({ mediaId: id, text: message, from: account, created_time: at }).id };
      }
      if (type === 'IGComment' && edge === 'replies') {
        if (message.trim() === '') throw paramError('(#100) The parameter message is required');
        const parent = this.#igComments.get(id)!;
        const root = this.#igComments.get(parent.parentId ?? parent.id)!;
        if (parent.hidden || root.hidden) throw paramError('(#100) You cannot reply to a hidden comment');
        return { id: this.addIgComment({ mediaId: parent.mediaId, parentId: id, text: message, from: account, created_time: at }).id };
      }
      if (type === 'IGComment' && edge === undefined && params.hide !== undefined) {
        const hide = String(params.hide);
        if (hide !== 'true' && hide !== 'false') throw paramError('(#100) param hide must be a boolean');
        this.#igComments.get(id)!.hidden = hide === 'true';
        return { success: true };
      }
    }
    throw unsupported(request.method, edge === undefined ? id : `${id}/${edge}`);
  }

  #igValues(type: 'IGUser' | 'IGMedia' | 'IGComment', id: string): Record<string, unknown> {
    if (type === 'IGUser') {
      return { id, username: this.#instagram.username, name: this.page.name, media_count: this.#igMedia.size, followers_count: 0 };
    }
    if (type === 'IGMedia') {
      const view = this.#igMediaView(this.#igMedia.get(id)!);
      return { ...view, like_count: 0, username: this.#instagram.username, owner: { id: this.#instagram.id }, is_comment_enabled: true, shortcode: view.permalink.split('/').at(-2) };
    }
    const c = this.#igComments.get(id)!;
    const media = this.#igMedia.get(c.mediaId)!;
    return {
      id: c.id,
      text: c.text,
      timestamp: formatGraphTime(c.created),
      username: c.from.username,
      from: { id: c.from.id, username: c.from.username },
      parent_id: c.parentId,
      hidden: c.hidden,
      like_count: c.likes,
      media: { id: media.id, media_product_type: media.productType },
    };
  }

  #renderIg(type: 'IGUser' | 'IGMedia' | 'IGComment', id: string, fields: FieldNode[], request: RecordedRequest): Record<string, unknown> {
    const values = this.#igValues(type, id);
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (IG_EDGES[type] === field.name) {
        out[field.name] = this.#renderIgEdge(id, field, request);
        continue;
      }
      if (type === 'IGUser' && (field.name === 'mentioned_comment' || field.name === 'mentioned_media')) {
        out[field.name] = field.name === 'mentioned_comment' ? this.#mentionedComment(field) : this.#mentionedMedia(field, request);
        // Meta's samples: the IG User's id comes along, asked for or not.
        out.id = id;
        continue;
      }
      if (!IG_KNOWN_FIELDS[type].includes(field.name)) throw paramError(`(#100) Tried accessing nonexisting field (${field.name}) on node type (${type})`);
      const value = values[field.name];
      if (value === undefined) continue;
      out[field.name] = field.children && value && typeof value === 'object' ? pick(value as Record<string, unknown>, field.children) : value;
    }
    return out;
  }

  /** `media` of the account (newest first), `comments` of a media (top-level, oldest first), `replies` of a comment (oldest first). */
  #renderIgEdge(id: string, field: FieldNode, request: RecordedRequest): Record<string, unknown> {
    let items: Array<{ type: 'IGMedia' | 'IGComment'; id: string }>;
    if (field.name === 'media') items = [...this.#igMedia.values()].filter((m) => !m.owner).sort(byCreatedDesc).map((m) => ({ type: 'IGMedia' as const, id: m.id }));
    else if (field.name === 'comments') items = [...this.#igComments.values()].filter((c) => c.mediaId === id && c.parentId === undefined).sort(byCreatedAsc).map((c) => ({ type: 'IGComment' as const, id: c.id }));
    else items = [...this.#igComments.values()].filter((c) => c.parentId === id).sort(byCreatedAsc).map((c) => ({ type: 'IGComment' as const, id: c.id }));
    const requested = Number(field.modifiers.limit ?? DEFAULT_LIMIT);
    if (!Number.isInteger(requested) || requested < 0) throw paramError('(#100) param limit must be a non-negative integer');
    const limit = Math.min(requested, MAX_LIMIT);
    let start = 0;
    if (field.modifiers.after !== undefined) {
      const index = items.findIndex((i) => i.id === idOfCursor(field.modifiers.after!));
      start = index < 0 ? items.length : index + 1;
    }
    const slice = items.slice(start, start + limit);
    const itemType = field.name === 'media' ? 'IGMedia' : 'IGComment';
    const data = slice.map((item) => this.#renderIg(item.type, item.id, field.children ?? fieldsOf(IG_DEFAULT_FIELDS[itemType]), request));
    const out: Record<string, unknown> = { data };
    if (slice.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: cursorOf(slice[0]!.id), after: cursorOf(slice.at(-1)!.id) } };
      if (start + limit < items.length) {
        const next = new URL(`${this.url}/${request.version ?? 'v24.0'}/${id}/${field.name}`);
        if (request.accessToken) next.searchParams.set('access_token', request.accessToken);
        if (field.children) next.searchParams.set('fields', serializeFields(field.children));
        next.searchParams.set('limit', String(limit));
        next.searchParams.set('after', cursorOf(slice.at(-1)!.id));
        paging.next = next.toString();
      }
      out.paging = paging;
    }
    return out;
  }

  /** Whether `text` @mentions the account (Instagram matches the username without case). */
  #mentionsAccount(text: string | undefined): boolean {
    return text !== undefined && text.toLowerCase().includes(`@${this.#instagram.username.toLowerCase()}`);
  }

  /**
   * `mentioned_comment.comment_id({id}){fields}` (IG User Mentioned Comment):
   * a comment that @mentions the account, on any media. Its `media` can be
   * expanded to the media's public fields.
   */
  #mentionedComment(field: FieldNode): Record<string, unknown> {
    const commentId = field.modifiers.comment_id;
    if (commentId === undefined) throw paramError('(#100) The parameter comment_id is required');
    const c = this.#igComments.get(commentId);
    if (!c || !this.#mentionsAccount(c.text)) throw paramError(`(#100) The comment ${commentId} does not exist or does not mention the user`);
    const media = this.#igMedia.get(c.mediaId)!;
    const values: Record<string, unknown> = {
      id: c.id,
      text: c.text,
      timestamp: formatGraphTime(c.created),
      username: c.from.username,
      like_count: 0,
      media: this.#publicMediaFields(media),
    };
    const out: Record<string, unknown> = {};
    for (const f of field.children ?? fieldsOf(IG_DEFAULT_FIELDS.IGComment)) {
      if (!(f.name in values)) throw paramError(`(#100) Tried accessing nonexisting field (${f.name}) on node type (IGComment)`);
      const value = values[f.name];
      out[f.name] = f.name === 'media' ? pick(value as Record<string, unknown>, f.children ?? fieldsOf(['id'])) : value;
    }
    return out;
  }

  /**
   * `mentioned_media.media_id({id}){fields}` (Mentioned Media): someone
   * else's media whose caption @mentions the account. As Graph documents,
   * the caption (and the text of comments read through it) leaves out the
   * `@` of a mention unless the account created the media.
   */
  #mentionedMedia(field: FieldNode, request: RecordedRequest): Record<string, unknown> {
    const mediaId = field.modifiers.media_id;
    if (mediaId === undefined) throw paramError('(#100) The parameter media_id is required');
    const media = this.#igMedia.get(mediaId);
    if (!media || !this.#mentionsAccount(media.caption)) throw paramError(`(#100) The media ${mediaId} does not exist or does not mention the user in its caption`);
    const values = this.#publicMediaFields(media);
    const out: Record<string, unknown> = {};
    for (const f of field.children ?? fieldsOf(IG_DEFAULT_FIELDS.IGMedia)) {
      if (f.name === 'comments') {
        out.comments = this.#mentionedMediaComments(media, f, request);
        continue;
      }
      if (!(f.name in values)) throw paramError(`(#100) Tried accessing nonexisting field (${f.name}) on node type (IGMedia)`);
      if (values[f.name] !== undefined) out[f.name] = values[f.name];
    }
    return out;
  }

  /** The public fields of a media (what field expansion gives of someone else's). */
  #publicMediaFields(media: IgMediaState): Record<string, unknown> {
    const view = this.#igMediaView(media);
    const own = media.owner === undefined;
    return {
      id: view.id,
      caption: own ? view.caption : view.caption?.replace(/@(?=[\p{L}\p{N}._])/gu, ''),
      timestamp: view.timestamp,
      media_type: media.mediaType,
      media_product_type: view.media_product_type,
      permalink: view.permalink,
      comments_count: view.comments_count,
      like_count: 0,
      username: media.owner?.username ?? this.#instagram.username,
    };
  }

  /** The newest top-level comments of a mentioned media (newest first), with `paging.next` when there are more. */
  #mentionedMediaComments(media: IgMediaState, field: FieldNode, request: RecordedRequest): Record<string, unknown> {
    const all = [...this.#igComments.values()].filter((c) => c.mediaId === media.id && c.parentId === undefined).sort(byCreatedDesc);
    const requested = Number(field.modifiers.limit ?? DEFAULT_LIMIT);
    if (!Number.isInteger(requested) || requested < 0) throw paramError('(#100) param limit must be a non-negative integer');
    const slice = all.slice(0, Math.min(requested, MAX_LIMIT));
    const data = slice.map((c) => {
      const values: Record<string, unknown> = {
        id: c.id,
        text: media.owner ? c.text.replace(/@(?=[\p{L}\p{N}._])/gu, '') : c.text,
        timestamp: formatGraphTime(c.created),
        username: c.from.username,
        like_count: 0,
      };
      return pick(values, field.children ?? fieldsOf(IG_DEFAULT_FIELDS.IGComment));
    });
    const out: Record<string, unknown> = { data };
    if (slice.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: cursorOf(slice[0]!.id), after: cursorOf(slice.at(-1)!.id) } };
      if (slice.length < all.length) paging.next = `${this.url}/${request.version ?? 'v24.0'}/${media.id}/comments?after=${cursorOf(slice.at(-1)!.id)}`;
      out.paging = paging;
    }
    return out;
  }

  /**
   * `POST /{ig-user-id}/mentions` (IG User Mentions): the account's comment
   * on a media whose caption mentions it, or (with `comment_id`) its reply
   * under a comment that mentions it. Returns the new comment's id.
   */
  #replyToMention(params: Record<string, unknown>, message: string, account: FakeIgUser, at: Date): { id: string } {
    const mediaId = typeof params.media_id === 'string' || typeof params.media_id === 'number' ? String(params.media_id) : undefined;
    if (mediaId === undefined) throw paramError('(#100) The parameter media_id is required');
    if (message.trim() === '') throw paramError('(#100) The parameter message is required');
    const media = this.#igMedia.get(mediaId);
    if (!media) throw paramError(`(#100) The media ${mediaId} does not exist`);
    const commentId = typeof params.comment_id === 'string' || typeof params.comment_id === 'number' ? String(params.comment_id) : undefined;
    if (commentId !== undefined) {
      const comment = this.#igComments.get(commentId);
      if (!comment || comment.mediaId !== mediaId || !this.#mentionsAccount(comment.text)) {
        throw paramError(`(#100) The comment ${commentId} does not exist on media ${mediaId} or does not mention the user`);
      }
      return { id: this.addIgComment({ mediaId, parentId: commentId, text: message, from: account, created_time: at }).id };
    }
    if (!this.#mentionsAccount(media.caption)) throw paramError(`(#100) The media ${mediaId} does not mention the user in its caption`);
    return { id: this.addIgComment({ mediaId, text: message, from: account, created_time: at }).id };
  }

  #igMediaView(m: IgMediaState): FakeIgMedia {
    return {
      id: m.id,
      caption: m.caption,
      timestamp: formatGraphTime(m.created),
      media_type: m.mediaType,
      media_product_type: m.productType,
      permalink: `https://www.instagram.com/p/${m.shortcode}/`,
      // Instagram counts replies too.
      comments_count: [...this.#igComments.values()].filter((c) => c.mediaId === m.id).length,
    };
  }

  #igCommentView(c: IgCommentState): FakeIgComment {
    return {
      id: c.id,
      media_id: c.mediaId,
      parent_id: c.parentId,
      text: c.text,
      timestamp: formatGraphTime(c.created),
      from: { ...c.from },
      hidden: c.hidden,
      private_reply_message_id: c.privateReplyMessageId,
    };
  }

  /** Instagram media and comment ids: 17 digits starting 178/179. */
  #igId(): string {
    return `1789${String(this.#nextId()).padStart(13, '0')}`;
  }

  #igMessageId(): string {
    return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlE${randomBytes(24).toString('base64url')}`;
  }

  // -- views and ids -----------------------------------------------------------------------

  #conversationWith(user: FakeProfile, platform: ConversationState['platform'] = 'messenger'): ConversationState {
    const existing = [...this.#conversations.values()].find((c) => c.user.id === user.id && c.platform === platform);
    if (existing) {
      if (user.name !== undefined && existing.user.name === undefined) existing.user.name = user.name;
      return existing;
    }
    const conversation: ConversationState = {
      id: platform === 'instagram' ? `aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6${Buffer.from(`${this.#instagram.id}:${user.id}`).toString('base64url')}` : `t_${this.#nextId()}`,
      platform,
      user: { ...user },
      messages: [],
    };
    this.#conversations.set(conversation.id, conversation);
    return conversation;
  }

  #nextId(): number {
    this.#seq += 1;
    return 122100000000 + this.#seq;
  }

  #localId(postId: string): string {
    return postId.includes('_') ? postId.slice(postId.indexOf('_') + 1) : postId;
  }

  #messageId(): string {
    return `m_${randomBytes(24).toString('base64url')}`;
  }

  #postView(post: PostState): FakePost {
    return {
      id: post.id,
      message: post.message,
      created_time: formatGraphTime(post.created),
      updated_time: formatGraphTime(post.updated),
      from: { ...post.from },
      permalink_url: `https://www.facebook.com/${this.page.id}/posts/${this.#localId(post.id)}`,
    };
  }

  #commentView(c: CommentState): FakeComment {
    return {
      id: c.id,
      post_id: c.postId,
      parent_id: c.parentId,
      message: c.message,
      created_time: formatGraphTime(c.created),
      from: c.from ? { ...c.from } : undefined,
      can_reply_privately: c.canReplyPrivately && c.privateReplyMessageId === undefined,
      permalink_url: `https://www.facebook.com/${this.page.id}/posts/${this.#localId(c.postId)}?comment_id=${this.#localId(c.id)}`,
      private_reply_message_id: c.privateReplyMessageId,
      attachment: c.attachment,
    };
  }

  #messageView(m: MessageState, conversation: ConversationState): FakeMessage {
    // Instagram shows people (and the account) by username and id.
    const page = conversation.platform === 'instagram' ? { username: this.#instagram.username, id: this.#instagram.id } : { id: this.page.id, name: this.page.name };
    const user = conversation.platform === 'instagram' ? { username: conversation.user.name ?? '', id: conversation.user.id } : { ...conversation.user };
    return {
      id: m.id,
      conversation_id: conversation.id,
      message: m.text,
      created_time: formatGraphTime(m.created),
      from: m.fromPage ? page : user,
      to: m.fromPage ? user : page,
      messaging_type: m.messagingType,
      tag: m.tag,
      attachments: m.attachments,
      sticker: m.sticker,
      ...(m.quickReplies ? { quick_replies: m.quickReplies } : {}),
    };
  }
}

/**
 * `message.quick_replies` of the Send API, checked as Meta documents it (up
 * to 13; a `text` quick reply needs a non-empty title, cut at 20 characters
 * in the app; a payload of at most 1000 characters).
 */
function readQuickReplies(value: unknown): FakeQuickReply[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > 13) throw paramError('(#100) param message[quick_replies] must be an array of 1 to 13 quick replies');
  return value.map((q, i) => {
    const item = jsonObject(q);
    if (!item || item.content_type !== 'text') throw paramError(`(#100) param message[quick_replies][${i}][content_type] must be one of {text, user_phone_number, user_email}`);
    if (typeof item.title !== 'string' || item.title === '') throw paramError(`(#100) param message[quick_replies][${i}][title] must be non-empty`);
    if (typeof item.payload !== 'string' || item.payload === '' || item.payload.length > 1000) throw paramError(`(#100) param message[quick_replies][${i}][payload] must be 1 to 1000 characters`);
    return { content_type: 'text', title: item.title.slice(0, 20), payload: item.payload };
  });
}

// ---------------------------------------------------------------------------

function byCreatedDesc(a: { created: Date; id: string }, b: { created: Date; id: string }): number {
  return b.created.getTime() - a.created.getTime() || b.id.localeCompare(a.id);
}

function byCreatedAsc(a: { created: Date; id: string }, b: { created: Date; id: string }): number {
  return a.created.getTime() - b.created.getTime() || a.id.localeCompare(b.id);
}

function pick(value: Record<string, unknown>, fields: FieldNode[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (value[f.name] !== undefined) out[f.name] = value[f.name];
  return out;
}

/** `since`/`until` as Graph takes them: unix seconds or a date string; milliseconds since epoch. */
function unixOrTime(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw paramError(`(#100) The parameter since/until must be a unix timestamp or a date, got "${value}"`);
  return time;
}

function jsonObject(value: unknown): Record<string, unknown> | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function tokenOf(query: Record<string, string>, body: Record<string, unknown>, headers: IncomingHttpHeaders): string | undefined {
  if (query.access_token) return query.access_token;
  if (typeof body.access_token === 'string') return body.access_token;
  const auth = headers.authorization;
  const match = auth ? /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 4 * 1024 * 1024) throw new Error('request body over 4 MiB');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw.trim() === '') return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) out[k] = v;
    return out;
  }
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Starts the stand-in on 127.0.0.1 with a free port. Close it with {@link GraphApiFake.close}. */
export async function startGraphApiFake(options: GraphApiFakeOptions = {}): Promise<GraphApiFake> {
  const server = createServer();
  const fake = new GraphApiFake(server, options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return fake;
}
