/**
 * A loopback stand-in of the Telegram Bot API for tests and the demo.
 *
 * It speaks the real wire format, so the real telegraf talks to it through
 * its `apiRoot` option: `POST /bot<token>/<method>` with a JSON,
 * form-urlencoded or multipart body (query-string parameters work too), and
 * answers `{"ok":true,"result":…}` or `{"ok":false,"error_code":N,
 * "description":"…","parameters":{…}}` with the HTTP status equal to the
 * error code, as Telegram does.
 *
 * It keeps what a user would see: the messages in every chat with their
 * latest text and buttons after edits and deletions ({@link FakeBotApi.sent}),
 * and validates like Telegram: HTML parse mode (only Telegram's tags and
 * entities; malformed HTML is refused with "can't parse entities"), 1-4096
 * characters of text and 1024 of caption after parsing, 1-64 bytes of
 * callback data, unknown chats, messages to edit or delete that do not exist,
 * edits that change nothing. Lengths are counted in UTF-16 code units.
 *
 * Tests steer it with {@link FakeBotApi.failNext} (any error code, or a
 * dropped connection), {@link FakeBotApi.rateLimit} (429 with `retry_after`
 * like Telegram's flood control) and {@link FakeBotApi.block}, and feed
 * updates with {@link FakeBotApi.pushUpdate} (long polling) or
 * {@link FakeBotApi.postUpdateTo} (webhook), built by
 * {@link FakeBotApi.messageUpdate} and {@link FakeBotApi.callbackQueryUpdate}.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  InlineKeyboardMarkup,
  TelegramChat,
  TelegramMessage,
  TelegramUpdate,
  TelegramUser,
} from '../telegram/telegram-client.js';

/** A token of the right shape (bot id, colon, 35 characters), used unless a test sets its own. */
export const FAKE_BOT_TOKEN = '7000000001:AAEardzagankStandInToken_0123456789';

/** Options of {@link FakeBotApi.start}. */
export interface FakeBotApiOptions {
  /** The only token accepted; any other gets 401 Unauthorized. Default {@link FAKE_BOT_TOKEN}. */
  token?: string;
  /** Chats that exist from the start (the staff group, private chats). */
  chats?: TelegramChat[];
  /**
   * When true, only seeded or {@link FakeBotApi.addChat added} chats exist and
   * any other id gets "Bad Request: chat not found". When false (default), any
   * id is a chat: negative ids are groups (`-100…` supergroups), positive ones
   * private chats with that user.
   */
  strictChats?: boolean;
  /** The bot's own profile returned by getMe and used as `from` of its messages. */
  bot?: { first_name?: string; username?: string };
  /** Clock in milliseconds for message dates, flood control and query expiry; default `Date.now`. */
  now?: () => number;
  /** Longest a getUpdates call is held, in seconds, whatever `timeout` asks; default 10. */
  maxPollSeconds?: number;
}

/** One call as it arrived. */
export interface RecordedRequest {
  /** Bot API method as written in the path, e.g. `sendMessage`. */
  method: string;
  /** Parameters from the body and query string; JSON-typed fields (reply_markup, …) decoded. */
  params: Record<string, unknown>;
  /** Files uploaded in a multipart body. */
  files: RecordedFile[];
  /** `json`, `form`, `multipart` or `none` (query string only). */
  encoding: 'json' | 'form' | 'multipart' | 'none';
  /** False when the token in the path was wrong. */
  authorized: boolean;
  /** When it arrived, by the stand-in's clock (ms). */
  time: number;
  /** The HTTP status it was answered with; undefined while it is held, or when the client left or the connection was dropped first. */
  status?: number;
  /** When it was answered or its connection closed, by the stand-in's clock (ms); undefined while it is held. */
  endedAt?: number;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string | undefined;
  size: number;
  data: Buffer;
}

/** A button as the user sees it. */
export interface SentButton {
  text: string;
  callbackData?: string;
  url?: string;
}

/** A message as it currently is in a chat (after edits); deleted messages are gone. */
export interface SentMessage {
  chatId: number;
  messageId: number;
  kind: 'text' | 'photo' | 'document';
  /** What the user reads: the text (or caption) after HTML parsing; '' for a file without caption. */
  text: string;
  /** The text or caption as the bot sent it, before parsing. */
  sourceText: string;
  parseMode: string | undefined;
  /** Formatting Telegram derived from the HTML (bold, links, …), UTF-16 offsets. */
  entities: WireEntity[];
  /** Inline buttons, row by row; empty when the message has none. */
  buttons: SentButton[][];
  replyMarkup: InlineKeyboardMarkup | undefined;
  replyToMessageId: number | undefined;
  /** Uploaded file: size in bytes, PNG dimensions, document name. */
  file?: { size: number; width?: number; height?: number; filename?: string };
  /** How many successful edits it went through. */
  editCount: number;
  /** The Message object as Telegram would return it now. */
  message: TelegramMessage;
}

/** A formatting entity of a message (subset of Telegram's MessageEntity). */
export interface WireEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

/** An answer the bot gave to a button press. */
export interface CallbackAnswer {
  callbackQueryId: string;
  text: string | undefined;
  showAlert: boolean;
}

/** Options of {@link FakeBotApi.failNext}. */
export interface FailOptions {
  /** Telegram's `description`; a realistic default exists for each code. */
  description?: string;
  /** `parameters.retry_after` in seconds (429; default 1). */
  retry_after?: number;
  /** `parameters.migrate_to_chat_id` (400 for a group that became a supergroup). */
  migrate_to_chat_id?: number;
  /** How many consecutive calls fail; default 1. */
  count?: number;
}

/** Limits of {@link FakeBotApi.rateLimit}; counting covers sends and edits. */
export interface RateLimitOptions {
  /** Messages into one chat per rolling minute (Telegram: about 20 for groups). */
  perChatPerMinute?: number;
  /** Messages overall per rolling second (Telegram: about 30). */
  globalPerSecond?: number;
}

/** Who sends a message or presses a button in a built update. */
export type FakeUserInput = Partial<TelegramUser> & { id: number };

type Params = Record<string, unknown>;

interface WireMessage {
  message_id: number;
  from?: Record<string, unknown>;
  /** Sent on behalf of a chat: the channel (its posts, and messages "as the channel"), or the group itself (an anonymous admin). */
  sender_chat?: Record<string, unknown>;
  chat: Record<string, unknown>;
  date: number;
  edit_date?: number;
  message_thread_id?: number;
  /** A channel post the discussion group received automatically. */
  is_automatic_forward?: true;
  forward_origin?: Record<string, unknown>;
  reply_to_message?: WireMessage;
  sticker?: Record<string, unknown>;
  text?: string;
  entities?: WireEntity[];
  caption?: string;
  caption_entities?: WireEntity[];
  photo?: Array<Record<string, unknown>>;
  document?: Record<string, unknown>;
  reply_markup?: { inline_keyboard: Array<Array<Record<string, unknown>>> };
}

interface StoredMessage {
  wire: WireMessage;
  fromBot: boolean;
  sourceText: string;
  parseMode: string | undefined;
  editCount: number;
  /** Each person's reactions to it (ReactionType), by user id. */
  reactions?: Map<number, Array<{ type: 'emoji'; emoji: string }>>;
  file?: { size: number; width?: number; height?: number; filename?: string };
}

interface ChatState {
  chat: Record<string, unknown> & { id: number; type: string };
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  /** 403 description while the bot is blocked in / removed from this chat. */
  blocked?: string;
  /** A channel's discussion group, or a discussion group's channel (getChat's `linked_chat_id`). */
  linkedChatId?: number;
  /** Statuses of the members getChatMember and getChatAdministrators know (`creator`, `administrator`, `member`, `left`…). */
  members?: Map<number, { status: string; user: Record<string, unknown> }>;
}

/**
 * The senders Telegram puts in `from` of messages sent on behalf of a chat
 * (Bot API, Message.from: "a fake sender user in non-channel chats, if the
 * message was sent on behalf of a chat"): the automatic forward of a channel
 * post into its discussion group, a message "as the channel", and one of an
 * anonymous group administrator.
 */
export const TELEGRAM_SERVICE_USERS = {
  telegram: { id: 777000, is_bot: false, first_name: 'Telegram' },
  channelBot: { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' },
  groupAnonymousBot: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
} as const;

interface PendingFailure {
  method: string;
  code: number | 'network' | 'hang';
  description?: string;
  parameters: Record<string, number>;
  remaining: number;
}

interface PollWaiter {
  wake(): void;
  fail(failure: ApiFailure): void;
  finish(): void;
}

/** A refusal; turned into `{ok:false,…}` with the same HTTP status. */
class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, number>,
  ) {
    super(description);
  }
}

/** A successful answer that also carries Telegram's optional `description`. */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

const RATE_LIMITED_METHODS = new Set(['sendmessage', 'sendphoto', 'senddocument', 'editmessagetext', 'editmessagereplymarkup', 'editmessagecaption']);

const JSON_FIELDS = new Set([
  'reply_markup',
  'allowed_updates',
  'commands',
  'scope',
  'reply_parameters',
  'link_preview_options',
  'entities',
  'caption_entities',
  'media',
]);

const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** Update kinds Telegram sends when `allowed_updates` is empty or was never set. */
const OPT_IN_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/* ------------------------------------------------------------------ */
/* Telegram HTML, parsed the way the Bot API (tdlib) parses it.        */
/* ------------------------------------------------------------------ */

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  's',
  'strike',
  'del',
  'u',
  'ins',
  'tg-spoiler',
  'tg-emoji',
  'span',
  'pre',
  'code',
  'blockquote',
]);

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

function decodeEntityAt(text: string, start: number): { end: number; decoded: string } | undefined {
  let pos = start + 1;
  let decoded: string | undefined;
  if (text[pos] === '#') {
    pos++;
    const hex = text[pos] === 'x' || text[pos] === 'X';
    if (hex) pos++;
    const from = pos;
    while (pos < text.length && (hex ? /[0-9a-f]/i : /[0-9]/).test(text[pos]!)) pos++;
    if (pos === from || pos - from > 8) return undefined;
    const code = Number.parseInt(text.slice(from, pos), hex ? 16 : 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    decoded = String.fromCodePoint(code);
  } else {
    const from = pos;
    while (pos < text.length && /[a-z]/i.test(text[pos]!)) pos++;
    decoded = ({ lt: '<', gt: '>', amp: '&', quot: '"' } as Record<string, string>)[text.slice(from, pos)];
    if (decoded === undefined) return undefined;
  }
  if (text[pos] === ';') pos++;
  return { end: pos, decoded };
}

interface OpenTag {
  name: string;
  offset: number;
  attrs: Record<string, string>;
  language?: string;
}

function entityFor(tag: OpenTag, length: number): WireEntity | undefined {
  const base = { offset: tag.offset, length };
  switch (tag.name) {
    case 'b':
    case 'strong':
      return { type: 'bold', ...base };
    case 'i':
    case 'em':
      return { type: 'italic', ...base };
    case 'u':
    case 'ins':
      return { type: 'underline', ...base };
    case 's':
    case 'strike':
    case 'del':
      return { type: 'strikethrough', ...base };
    case 'tg-spoiler':
    case 'span':
      return { type: 'spoiler', ...base };
    case 'a': {
      const href = tag.attrs.href;
      return href ? { type: 'text_link', ...base, url: href } : undefined;
    }
    case 'code':
      return { type: 'code', ...base };
    case 'pre':
      return tag.language ? { type: 'pre', ...base, language: tag.language } : { type: 'pre', ...base };
    case 'blockquote':
      return { type: 'expandable' in tag.attrs ? 'expandable_blockquote' : 'blockquote', ...base };
    case 'tg-emoji':
      return { type: 'custom_emoji', ...base, custom_emoji_id: tag.attrs['emoji-id'] ?? '' };
    default:
      return undefined;
  }
}

/** Parses Telegram HTML into text and entities; throws the Bot API's "can't parse entities" refusal. */
function parseHtml(html: string): { text: string; entities: WireEntity[] } {
  const fail = (why: string): never => {
    throw new ApiFailure(400, `Bad Request: can't parse entities: ${why}`);
  };
  const at = (index: number): number => Buffer.byteLength(html.slice(0, index), 'utf8');
  let out = '';
  const stack: OpenTag[] = [];
  const entities: WireEntity[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const entity = decodeEntityAt(html, i);
      if (entity) {
        out += entity.decoded;
        i = entity.end;
        continue;
      }
    }
    if (ch !== '<') {
      out += ch;
      i++;
      continue;
    }
    const begin = i++;
    if (html[i] !== '/') {
      const nameStart = i;
      while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
      if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
      const name = html.slice(nameStart, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${at(begin)}`);
      const attrs: Record<string, string> = {};
      for (;;) {
        while (i < html.length && isSpace(html[i])) i++;
        if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
        if (html[i] === '>') break;
        const attrStart = i;
        while (i < html.length && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>') i++;
        const attr = html.slice(attrStart, i).toLowerCase();
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] !== '=') {
          if (name === 'blockquote' && attr === 'expandable') {
            attrs[attr] = '';
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${at(begin)}`);
        }
        i++;
        while (i < html.length && isSpace(html[i])) i++;
        let value = '';
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          i++;
          while (i < html.length && html[i] !== quote) {
            const entity = html[i] === '&' ? decodeEntityAt(html, i) : undefined;
            if (entity) {
              value += entity.decoded;
              i = entity.end;
            } else {
              value += html[i++];
            }
          }
          if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
          i++;
        } else {
          const valueStart = i;
          while (i < html.length && /[A-Za-z0-9.\-]/.test(html[i]!)) i++;
          if (i === valueStart) fail(`Unexpected end of name token at byte offset ${at(i)}`);
          value = html.slice(valueStart, i);
        }
        attrs[attr] = value;
      }
      i++;
      if (name === 'span' && attrs.class !== 'tg-spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
      if (name === 'tg-emoji' && !/^\d+$/.test(attrs['emoji-id'] ?? '')) fail(`Custom emoji entity must have valid "emoji-id" at byte offset ${at(begin)}`);
      stack.push({ name, offset: out.length, attrs });
    } else {
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${at(begin)}`);
      i++;
      const nameStart = i;
      while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
      const endName = html.slice(nameStart, i).toLowerCase();
      while (i < html.length && isSpace(html[i])) i++;
      if (html[i] !== '>') fail(`Unclosed end tag at byte offset ${at(begin)}`);
      i++;
      const open = stack.pop()!;
      if (endName !== '' && endName !== open.name) {
        fail(`Unmatched end tag at byte offset ${at(begin)}, expected "</${open.name}>", found "</${endName}>"`);
      }
      const parent = stack[stack.length - 1];
      const codeClass = open.attrs.class ?? '';
      if (open.name === 'code' && parent?.name === 'pre' && parent.offset === open.offset && codeClass.startsWith('language-')) {
        // <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
        parent.language = codeClass.slice('language-'.length);
        continue;
      }
      const entity = entityFor(open, out.length - open.offset);
      if (entity && entity.length > 0) entities.push(entity);
    }
  }
  if (stack.length > 0) fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1]!.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

/** Telegram strips leading and trailing whitespace and moves entities accordingly. */
function trimFormatted(text: string, entities: WireEntity[]): { text: string; entities: WireEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const moved: WireEntity[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset - lead);
    const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
    if (end > start) moved.push({ ...entity, offset: start, length: end - start });
  }
  return { text: trimmed, entities: moved };
}

function formatText(source: string, parseMode: unknown): { text: string; entities: WireEntity[] } {
  if (parseMode === undefined || parseMode === '') return trimFormatted(source, []);
  if (typeof parseMode === 'string' && parseMode.toLowerCase() === 'html') {
    const parsed = parseHtml(source);
    return trimFormatted(parsed.text, parsed.entities);
  }
  if (parseMode === 'Markdown' || parseMode === 'MarkdownV2') {
    throw new ApiFailure(400, `Bad Request: the Bot API stand-in parses only HTML; Ardzagank sends parse_mode HTML`);
  }
  throw new ApiFailure(400, `Bad Request: unsupported parse_mode`);
}

/**
 * What Telegram makes of `html` in HTML parse mode: the text users see
 * (trimmed, entities decoded) and its formatting entities. Throws an error
 * whose message is the Bot API's "Bad Request: can't parse entities: …"
 * for HTML Telegram would refuse. Exported so tests can check generated HTML
 * without a round trip.
 */
export function parseTelegramHtml(html: string): { text: string; entities: WireEntity[] } {
  return formatText(html, 'HTML');
}

/* ------------------------------------------------------------------ */
/* Request parsing helpers.                                            */
/* ------------------------------------------------------------------ */

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function intParam(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new ApiFailure(400, `Bad Request: invalid ${name} specified`);
  return n;
}

function boolParam(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === 1 || value === '1';
}

function stringParam(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function parseMultipart(body: Buffer, boundary: string): { fields: Params; files: RecordedFile[] } {
  const fields: Params = {};
  const files: RecordedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) break;
    const headers = new Map<string, string>();
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const end = body.indexOf(nextDelimiter, headerEnd + 4);
    if (end === -1) break;
    const content = body.subarray(headerEnd + 4, end);
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) {
        files.push({ field: name, filename, contentType: headers.get('content-type'), size: content.length, data: Buffer.from(content) });
      } else {
        fields[name] = content.toString('utf8');
      }
    }
    pos = end + 2;
  }
  return { fields, files };
}

function pngSize(data: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature)) return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/* ------------------------------------------------------------------ */
/* The stand-in.                                                       */
/* ------------------------------------------------------------------ */

type MethodHandler = (params: Params, files: RecordedFile[], res: ServerResponse) => unknown;

/** A ChatMember as the Bot API writes it: an administrator with the rights a discussion group's admin bot has. */
function chatMemberWire(member: { status: string; user: Record<string, unknown> }): Record<string, unknown> {
  if (member.status !== 'administrator') return { status: member.status, user: member.user, ...(member.status === 'creator' ? { is_anonymous: false } : {}) };
  return {
    status: 'administrator',
    user: member.user,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: false,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: false,
    can_invite_users: true,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: true,
  };
}

/** The stand-in server and its control API. Create it with {@link FakeBotApi.start}. */
export class FakeBotApi {
  /** The token the stand-in accepts. */
  readonly token: string;
  /** The bot's own user, as getMe returns it. */
  readonly botUser: TelegramUser & { is_bot: true; username: string };

  readonly #server: Server;
  readonly #now: () => number;
  readonly #strictChats: boolean;
  readonly #maxPollSeconds: number;
  readonly #seededChats: TelegramChat[];
  readonly #methods: Map<string, MethodHandler>;
  #url = '';
  #requests: RecordedRequest[] = [];
  /** The record of each request being answered, to note how and when it was. */
  readonly #recorded = new WeakMap<ServerResponse, RecordedRequest>();
  #chats = new Map<number, ChatState>();
  #updates: TelegramUpdate[] = [];
  #nextUpdateId = 1;
  #allowedUpdates: Set<string> | undefined;
  #waiter: PollWaiter | undefined;
  #failures: PendingFailure[] = [];
  #rate: Required<RateLimitOptions> | undefined;
  #globalSends: number[] = [];
  #chatSends = new Map<number, number[]>();
  #webhook: { url: string; secretToken: string | undefined; allowedUpdates: string[] | undefined } | undefined;
  #commands = new Map<string, unknown[]>();
  #callbackQueries = new Map<string, { createdAt: number; answered: boolean }>();
  #callbackAnswers: CallbackAnswer[] = [];
  #nextQueryId = 1;
  #nextFileId = 1;
  #closed = false;

  private constructor(options: FakeBotApiOptions) {
    this.token = options.token ?? FAKE_BOT_TOKEN;
    const botId = Number(this.token.split(':')[0]) || 7000000001;
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: options.bot?.first_name ?? 'Ardzagank',
      username: options.bot?.username ?? 'ardzagank_test_bot',
    };
    this.#now = options.now ?? Date.now;
    this.#strictChats = options.strictChats ?? false;
    this.#maxPollSeconds = options.maxPollSeconds ?? 10;
    this.#seededChats = options.chats ?? [];
    for (const chat of this.#seededChats) this.addChat(chat);
    this.#methods = this.#buildMethods();
    this.#server = createServer((req, res) => {
      this.#serve(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.#reply(res, new ApiFailure(500, `Internal Server Error: ${String(error)}`));
      });
    });
  }

  /** Starts a stand-in on 127.0.0.1 on a free port. */
  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options);
    await new Promise<void>((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.#server.address() as AddressInfo;
    fake.#url = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** The value for telegraf's `apiRoot` / `TELEGRAM_API_ROOT`, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.#url;
  }

  /** Every call received since start or {@link reset}, oldest first. */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** Calls of one method (case-insensitive), oldest first. */
  requestsFor(method: string): RecordedRequest[] {
    const wanted = method.toLowerCase();
    return this.#requests.filter((r) => r.method.toLowerCase() === wanted);
  }

  /** Answers the bot gave to button presses, oldest first. */
  get callbackAnswers(): readonly CallbackAnswer[] {
    return this.#callbackAnswers;
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): readonly TelegramUpdate[] {
    return this.#updates;
  }

  /** The registered webhook, if any. */
  get webhook(): { url: string; secretToken: string | undefined; allowedUpdates: string[] | undefined } | undefined {
    return this.#webhook;
  }

  /** Commands set with setMyCommands for a scope (default `{type:'default'}`) and language (default ''). */
  commands(scope: Record<string, unknown> = { type: 'default' }, languageCode = ''): unknown[] | undefined {
    return this.#commands.get(`${canonical(scope)}|${languageCode}`);
  }

  /**
   * Messages the bot sent that are currently in `chatId` (or in every chat),
   * with their latest text and buttons, oldest first.
   */
  sent(chatId?: number): SentMessage[] {
    const chats = chatId === undefined ? [...this.#chats.values()] : [this.#chats.get(chatId)].filter((c) => c !== undefined);
    const out: SentMessage[] = [];
    for (const chat of chats) {
      for (const stored of [...chat.messages.values()].sort((a, b) => a.wire.message_id - b.wire.message_id)) {
        if (stored.fromBot) out.push(this.#view(chat, stored));
      }
    }
    return out;
  }

  /** The newest message the bot has in `chatId`, or undefined. */
  lastSent(chatId: number): SentMessage | undefined {
    return this.sent(chatId).at(-1);
  }

  // -- a channel and its discussion group ------------------------------------------------

  /**
   * Creates a channel and, unless `discussion` is null, its linked discussion
   * supergroup (getChat of each names the other in `linked_chat_id`), with the
   * bot a member of the group with `botStatus` (default `administrator`) and
   * the `admins` given as administrators.
   */
  addChannel(input: {
    channel: { id: number; title: string; username?: string };
    discussion: { id: number; title: string; username?: string } | null;
    botStatus?: 'administrator' | 'member' | 'left' | 'kicked';
    admins?: FakeUserInput[];
  }): void {
    this.addChat({ ...input.channel, type: 'channel' } as TelegramChat);
    const channel = this.#chats.get(input.channel.id)!;
    channel.members = new Map([[this.botUser.id, { status: 'administrator', user: { ...this.botUser } }]]);
    if (!input.discussion) return;
    this.addChat({ ...input.discussion, type: 'supergroup' } as TelegramChat);
    const group = this.#chats.get(input.discussion.id)!;
    channel.linkedChatId = group.chat.id;
    group.linkedChatId = channel.chat.id;
    group.members = new Map([[this.botUser.id, { status: input.botStatus ?? 'administrator', user: { ...this.botUser } }]]);
    for (const admin of input.admins ?? []) group.members.set(admin.id, { status: 'administrator', user: this.#user(admin) });
  }

  /**
   * The channel publishes a post: it is stored in the channel and arrives in
   * the discussion group as an automatic forward (`is_automatic_forward`,
   * `sender_chat` = the channel, `forward_origin` of type `channel`, `from` =
   * Telegram's 777000), which starts the post's comment thread. Returns the
   * group's `message` update (the bot, an admin of the group, receives it).
   */
  channelPost(input: { channelId: number; text: string }): TelegramUpdate {
    const channel = this.#chatState(input.channelId, false);
    if (channel.linkedChatId === undefined) throw new Error(`Channel ${input.channelId} has no discussion group`);
    const post: WireMessage = { message_id: channel.nextMessageId++, sender_chat: channel.chat, chat: channel.chat, date: this.#seconds(), text: input.text };
    channel.messages.set(post.message_id, { wire: post, fromBot: false, sourceText: input.text, parseMode: undefined, editCount: 0 });
    const group = this.#chatState(channel.linkedChatId, false);
    const forward: WireMessage = {
      message_id: group.nextMessageId++,
      from: { ...TELEGRAM_SERVICE_USERS.telegram },
      sender_chat: channel.chat,
      chat: group.chat,
      date: post.date,
      is_automatic_forward: true,
      forward_origin: { type: 'channel', chat: channel.chat, message_id: post.message_id, date: post.date },
      text: input.text,
    };
    group.messages.set(forward.message_id, { wire: forward, fromBot: false, sourceText: input.text, parseMode: undefined, editCount: 0 });
    return { update_id: this.#nextUpdateId++, message: structuredClone(forward) } as unknown as TelegramUpdate;
  }

  /**
   * A message in a post's comment thread of the discussion group `chatId`:
   * `message_thread_id` = the automatic forward that started it, and
   * `reply_to_message` = the message answered (the post itself by default).
   * Written by a person (`from`), or on behalf of a chat (`as`: `channel`,
   * the linked channel through Channel_Bot 136817688; `group`, an anonymous
   * admin through GroupAnonymousBot 1087968824). A photo carries its sizes
   * and `caption`; a sticker its `emoji`, and no text.
   */
  commentUpdate(input: {
    chatId: number;
    threadId: number;
    from?: FakeUserInput;
    as?: 'channel' | 'group';
    replyTo?: number;
    text?: string;
    photo?: { caption?: string };
    sticker?: { emoji: string };
    voice?: { duration: number };
  }): TelegramUpdate {
    const group = this.#chatState(input.chatId, false);
    const root = group.messages.get(input.threadId);
    if (!root) throw new Error(`Chat ${input.chatId} has no message ${input.threadId} to comment on`);
    const replied = group.messages.get(input.replyTo ?? input.threadId);
    if (!replied) throw new Error(`Chat ${input.chatId} has no message ${input.replyTo} to reply to`);
    const wire: WireMessage = { message_id: group.nextMessageId++, chat: group.chat, date: this.#seconds(), message_thread_id: input.threadId };
    if (input.as === 'channel') {
      wire.from = { ...TELEGRAM_SERVICE_USERS.channelBot };
      wire.sender_chat = this.#chatState(group.linkedChatId!, false).chat;
    } else if (input.as === 'group') {
      wire.from = { ...TELEGRAM_SERVICE_USERS.groupAnonymousBot };
      wire.sender_chat = group.chat;
    } else {
      if (!input.from) throw new Error('commentUpdate needs from or as');
      wire.from = this.#user(input.from);
    }
    wire.reply_to_message = this.#withoutReply(replied.wire);
    let sourceText = '';
    if (input.photo) {
      const id = `AgACAgIAAxkBAAI${String(this.#nextFileId++).padStart(6, '0')}`;
      wire.photo = [
        { file_id: `${id}_s`, file_unique_id: `AQAD${id.slice(-6)}s`, width: 90, height: 67, file_size: 1_380 },
        { file_id: `${id}_m`, file_unique_id: `AQAD${id.slice(-6)}m`, width: 800, height: 600, file_size: 61_220 },
      ];
      if (input.photo.caption !== undefined) wire.caption = sourceText = input.photo.caption;
    } else if (input.sticker) {
      const id = `CAACAgIAAxkBAAI${String(this.#nextFileId++).padStart(6, '0')}`;
      wire.sticker = { file_id: id, file_unique_id: `AgAD${id.slice(-6)}`, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: input.sticker.emoji };
    } else if (input.voice) {
      const id = `AwACAgIAAxkBAAI${String(this.#nextFileId++).padStart(6, '0')}`;
      (wire as WireMessage & { voice?: unknown }).voice = { file_id: id, file_unique_id: `AgAD${id.slice(-6)}`, duration: input.voice.duration, mime_type: 'audio/ogg' };
    } else {
      wire.text = sourceText = input.text ?? '';
    }
    group.messages.set(wire.message_id, { wire, fromBot: false, sourceText, parseMode: undefined, editCount: 0 });
    return { update_id: this.#nextUpdateId++, message: structuredClone(wire) } as unknown as TelegramUpdate;
  }

  /** Its author edits a message of a group: an `edited_message` update with the new text (or caption) and `edit_date`. */
  editUpdate(input: { chatId: number; messageId: number; text: string }): TelegramUpdate {
    const group = this.#chatState(input.chatId, false);
    const stored = group.messages.get(input.messageId);
    if (!stored) throw new Error(`Chat ${input.chatId} has no message ${input.messageId}`);
    if (stored.wire.text !== undefined) stored.wire.text = input.text;
    else stored.wire.caption = input.text;
    stored.sourceText = input.text;
    stored.wire.edit_date = this.#seconds();
    stored.editCount++;
    return { update_id: this.#nextUpdateId++, edited_message: structuredClone(stored.wire) } as unknown as TelegramUpdate;
  }

  /**
   * A person sets their reactions to a message of a group (an empty list
   * takes them back): a `message_reaction` update (MessageReactionUpdated:
   * `chat`, `message_id`, `user`, `date`, `old_reaction`, `new_reaction`,
   * lists of ReactionTypeEmoji). Telegram sends it only to a bot that is an
   * administrator of the chat and asked for it in `allowed_updates`.
   */
  reactionUpdate(input: { chatId: number; messageId: number; from: FakeUserInput; emoji: string[] }): TelegramUpdate {
    const group = this.#chatState(input.chatId, false);
    const stored = group.messages.get(input.messageId);
    if (!stored) throw new Error(`Chat ${input.chatId} has no message ${input.messageId}`);
    const user = this.#user(input.from);
    stored.reactions ??= new Map();
    const before = stored.reactions.get(user.id) ?? [];
    const after = input.emoji.map((emoji) => ({ type: 'emoji' as const, emoji }));
    if (after.length > 0) stored.reactions.set(user.id, after);
    else stored.reactions.delete(user.id);
    const reaction = { chat: group.chat, message_id: input.messageId, user, date: this.#seconds(), old_reaction: before, new_reaction: after };
    return { update_id: this.#nextUpdateId++, message_reaction: structuredClone(reaction) } as unknown as TelegramUpdate;
  }

  /** Makes a chat exist (for `strictChats`), replacing an earlier one with the same id. */
  addChat(chat: TelegramChat): void {
    const existing = this.#chats.get(chat.id);
    this.#chats.set(chat.id, {
      chat: { ...(chat as unknown as Record<string, unknown>), id: chat.id, type: chat.type },
      nextMessageId: existing?.nextMessageId ?? 1,
      messages: existing?.messages ?? new Map(),
    });
  }

  /**
   * Makes every call into `chatId` fail with 403 until {@link unblock}: by
   * default "bot was blocked by the user" for a private chat and "bot was
   * kicked from the group chat" for groups.
   */
  block(chatId: number, description?: string): void {
    const state = this.#chatState(chatId, true);
    state.blocked =
      description ??
      (state.chat.type === 'private'
        ? 'Forbidden: bot was blocked by the user'
        : `Forbidden: bot was kicked from the ${state.chat.type === 'supergroup' ? 'supergroup' : 'group'} chat`);
  }

  /** Lifts {@link block}. */
  unblock(chatId: number): void {
    const state = this.#chats.get(chatId);
    if (state) delete state.blocked;
  }

  /**
   * Makes the next `count` (default 1) calls of `method` (case-insensitive;
   * `*` for any) fail with `errorCode` and a realistic description, e.g.
   * `failNext('sendMessage', 429, { retry_after: 3 })`. Instead of a code,
   * `'network'` drops the connection without an answer and `'hang'` never
   * answers (until the client gives up or {@link close}), for timeouts.
   */
  failNext(method: string, errorCode: number | 'network' | 'hang', options: FailOptions = {}): void {
    const parameters: Record<string, number> = {};
    if (errorCode === 429) parameters.retry_after = options.retry_after ?? 1;
    else if (options.retry_after !== undefined) parameters.retry_after = options.retry_after;
    if (options.migrate_to_chat_id !== undefined) parameters.migrate_to_chat_id = options.migrate_to_chat_id;
    const failure: PendingFailure = { method: method.toLowerCase(), code: errorCode, parameters, remaining: options.count ?? 1 };
    if (options.description !== undefined) failure.description = options.description;
    this.#failures.push(failure);
  }

  /**
   * Turns Telegram's flood control on (off by default): sends and edits over
   * the limits get 429 "Too Many Requests: retry after N" with
   * `parameters.retry_after` = seconds until the rolling window frees a slot.
   * Pass `false` to turn it off.
   */
  rateLimit(limits: RateLimitOptions | false): void {
    this.#rate = limits ? { perChatPerMinute: limits.perChatPerMinute ?? Infinity, globalPerSecond: limits.globalPerSecond ?? Infinity } : undefined;
    this.#globalSends = [];
    this.#chatSends.clear();
  }

  /**
   * Queues an update for getUpdates (assigning `update_id` when it has none)
   * and wakes a waiting long poll. Returns the queued update.
   */
  pushUpdate(update: TelegramUpdate | Omit<TelegramUpdate, 'update_id'>): TelegramUpdate {
    const withId = { ...update } as TelegramUpdate;
    if (typeof (withId as { update_id?: unknown }).update_id !== 'number') withId.update_id = this.#nextUpdateId++;
    else this.#nextUpdateId = Math.max(this.#nextUpdateId, withId.update_id + 1);
    this.#updates.push(withId);
    this.#waiter?.wake();
    return withId;
  }

  /**
   * Delivers an update the way Telegram calls a webhook: POST JSON, with
   * `X-Telegram-Bot-Api-Secret-Token` when `secretToken` is given.
   */
  async postUpdateTo(webhookUrl: string, update: TelegramUpdate, secretToken?: string): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = secretToken;
    const response = await fetch(webhookUrl, { method: 'POST', headers, body: JSON.stringify(update) });
    return { status: response.status, body: await response.text() };
  }

  /** Delivers an update to the webhook registered with setWebhook, with its secret. */
  async deliverToWebhook(update: TelegramUpdate): Promise<{ status: number; body: string }> {
    if (!this.#webhook) throw new Error('No webhook is registered: the bot has not called setWebhook');
    return this.postUpdateTo(this.#webhook.url, update, this.#webhook.secretToken);
  }

  /**
   * Builds a `message` update: `from` writes `text` in `chat` (a chat or an
   * id; default the private chat with `from`). A reply to a stored message
   * carries it whole, and a leading `/command` gets its bot_command entity.
   * The message takes the next id of its chat. Pass the result to
   * {@link pushUpdate} or {@link postUpdateTo}.
   */
  messageUpdate(input: {
    from: FakeUserInput;
    chat?: TelegramChat | number;
    text: string;
    reply_to_message_id?: number;
    message_thread_id?: number;
  }): TelegramUpdate {
    const from = this.#user(input.from);
    const chatInput = input.chat ?? from.id;
    if (typeof chatInput !== 'number' && !this.#chats.has(chatInput.id)) this.addChat(chatInput);
    const state = this.#chatState(typeof chatInput === 'number' ? chatInput : chatInput.id, true, from);
    const wire: WireMessage = { message_id: state.nextMessageId++, from, chat: state.chat, date: this.#seconds(), text: input.text };
    if (input.message_thread_id !== undefined) wire.message_thread_id = input.message_thread_id;
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(input.text);
    if (command) wire.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
    if (input.reply_to_message_id !== undefined) {
      const target = state.messages.get(input.reply_to_message_id);
      if (!target) throw new Error(`Chat ${state.chat.id} has no message ${input.reply_to_message_id} to reply to`);
      wire.reply_to_message = this.#withoutReply(target.wire);
    }
    state.messages.set(wire.message_id, { wire, fromBot: false, sourceText: input.text, parseMode: undefined, editCount: 0 });
    return { update_id: this.#nextUpdateId++, message: structuredClone(wire) } as unknown as TelegramUpdate;
  }

  /**
   * Builds a `callback_query` update: `from` presses a button of a message
   * the bot sent, as that message is now. Name the button by `buttonText` or
   * by `data`; pressing a button the message does not have throws (a user
   * cannot do it), unless `unchecked` is set to simulate a stale or forged
   * press.
   */
  callbackQueryUpdate(input: {
    from: FakeUserInput;
    message: { chatId: number; messageId: number } | TelegramMessage;
    data?: string;
    buttonText?: string;
    unchecked?: boolean;
  }): TelegramUpdate {
    const from = this.#user(input.from);
    const ref =
      'message_id' in input.message ? { chatId: input.message.chat.id, messageId: input.message.message_id } : input.message;
    const stored = this.#chats.get(ref.chatId)?.messages.get(ref.messageId);
    if (!stored) throw new Error(`Chat ${ref.chatId} has no message ${ref.messageId}; it was never sent or was deleted`);
    const buttons = (stored.wire.reply_markup?.inline_keyboard ?? []).flat();
    let data = input.data;
    if (input.buttonText !== undefined) {
      const button = buttons.find((b) => b.text === input.buttonText);
      if (!button && !input.unchecked) {
        throw new Error(`Message ${ref.messageId} has no button "${input.buttonText}"; it has: ${buttons.map((b) => `"${String(b.text)}"`).join(', ') || 'none'}`);
      }
      data ??= typeof button?.callback_data === 'string' ? button.callback_data : undefined;
    }
    if (data === undefined) throw new Error('callbackQueryUpdate needs data or buttonText');
    if (!input.unchecked && !buttons.some((b) => b.callback_data === data)) {
      throw new Error(`Message ${ref.messageId} has no button with callback data "${data}"`);
    }
    const id = `${this.botUser.id}${String(this.#nextQueryId++).padStart(6, '0')}`;
    this.#callbackQueries.set(id, { createdAt: this.#now(), answered: false });
    return {
      update_id: this.#nextUpdateId++,
      callback_query: {
        id,
        from,
        message: structuredClone(stored.wire),
        chat_instance: `ci${Math.abs(ref.chatId)}`,
        data,
      },
    } as unknown as TelegramUpdate;
  }

  /**
   * Forgets everything that happened (requests, messages, updates, failures,
   * flood control, webhook, commands, button answers) but keeps the token,
   * the port and the seeded chats. A held getUpdates is answered with [].
   */
  reset(): void {
    this.#waiter?.finish();
    this.#requests = [];
    this.#chats.clear();
    for (const chat of this.#seededChats) this.addChat(chat);
    this.#updates = [];
    this.#allowedUpdates = undefined;
    this.#failures = [];
    this.rateLimit(false);
    this.#webhook = undefined;
    this.#commands.clear();
    this.#callbackQueries.clear();
    this.#callbackAnswers = [];
  }

  /** Answers a held getUpdates with [], closes every connection and stops listening. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiter?.finish();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /* ---------------------------- HTTP ---------------------------- */

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) {
      this.#reply(res, new ApiFailure(404, 'Not Found'));
      return;
    }
    const [, token, method] = match as unknown as [string, string, string];
    const authorized = token === this.token;

    let params: Params = Object.fromEntries(url.searchParams);
    let files: RecordedFile[] = [];
    let encoding: RecordedRequest['encoding'] = 'none';
    const contentType = req.headers['content-type'] ?? '';
    try {
      if (body.length > 0 && contentType.startsWith('application/json')) {
        encoding = 'json';
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiFailure(400, 'Bad Request: request body must be a JSON object');
        params = { ...params, ...(parsed as Params) };
      } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
        encoding = 'form';
        params = { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
      } else if (contentType.startsWith('multipart/form-data')) {
        encoding = 'multipart';
        const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
        if (!boundary) throw new ApiFailure(400, 'Bad Request: multipart boundary is missing');
        const parsed = parseMultipart(body, (boundary[1] ?? boundary[2] ?? '').trim());
        params = { ...params, ...parsed.fields };
        files = parsed.files;
      }
      for (const field of JSON_FIELDS) {
        const value = params[field];
        if (typeof value === 'string' && value !== '') {
          try {
            params[field] = JSON.parse(value);
          } catch {
            throw new ApiFailure(400, `Bad Request: can't parse ${field} JSON object`);
          }
        }
      }
    } catch (error) {
      this.#requests.push({ method, params, files, encoding, authorized, time: this.#now() });
      this.#reply(res, error instanceof ApiFailure ? error : new ApiFailure(400, "Bad Request: can't parse JSON"));
      return;
    }
    const record: RecordedRequest = { method, params, files, encoding, authorized, time: this.#now() };
    this.#requests.push(record);
    this.#recorded.set(res, record);
    res.once('close', () => {
      record.endedAt ??= this.#now();
    });

    if (!authorized) {
      this.#reply(res, new ApiFailure(401, 'Unauthorized'));
      return;
    }
    const failure = this.#takeFailure(method);
    if (failure === 'network') {
      req.socket.destroy();
      return;
    }
    if (failure === 'hang') return;
    if (failure) {
      this.#reply(res, failure);
      return;
    }
    const handler = this.#methods.get(method.toLowerCase());
    if (!handler) {
      this.#reply(res, new ApiFailure(404, 'Not Found'));
      return;
    }
    try {
      this.#reply(res, await handler(params, files, res));
    } catch (error) {
      if (error instanceof ApiFailure) this.#reply(res, error);
      else throw error;
    }
  }

  #reply(res: ServerResponse, outcome: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    let status = 200;
    let payload: Record<string, unknown>;
    if (outcome instanceof ApiFailure) {
      status = outcome.code;
      payload = { ok: false, error_code: outcome.code, description: outcome.description };
      if (outcome.parameters && Object.keys(outcome.parameters).length > 0) payload.parameters = outcome.parameters;
    } else if (outcome instanceof Described) {
      payload = { ok: true, result: outcome.result, description: outcome.description };
    } else {
      payload = { ok: true, result: outcome };
    }
    const text = JSON.stringify(payload);
    const record = this.#recorded.get(res);
    if (record) {
      record.status = status;
      record.endedAt = this.#now();
    }
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  #takeFailure(method: string): ApiFailure | 'network' | 'hang' | undefined {
    const wanted = method.toLowerCase();
    const index = this.#failures.findIndex((f) => f.method === wanted || f.method === '*');
    if (index === -1) return undefined;
    const failure = this.#failures[index]!;
    if (--failure.remaining <= 0) this.#failures.splice(index, 1);
    if (failure.code === 'network' || failure.code === 'hang') return failure.code;
    const description =
      failure.description ??
      (failure.code === 429 ? `Too Many Requests: retry after ${failure.parameters.retry_after}` : (DEFAULT_DESCRIPTIONS[failure.code] ?? 'Error'));
    return new ApiFailure(failure.code, description, failure.parameters);
  }

  /* --------------------------- State ---------------------------- */

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  #user(input: FakeUserInput): Record<string, unknown> & { id: number } {
    return { is_bot: false, first_name: `User ${input.id}`, ...input };
  }

  #chatState(chatId: number, create: boolean, privateUser?: Record<string, unknown>): ChatState {
    const existing = this.#chats.get(chatId);
    if (existing) return existing;
    if (!create && this.#strictChats) throw new ApiFailure(400, 'Bad Request: chat not found');
    const chat: ChatState['chat'] =
      chatId > 0
        ? { id: chatId, type: 'private', first_name: String(privateUser?.first_name ?? `User ${chatId}`) }
        : String(chatId).startsWith('-100')
          ? { id: chatId, type: 'supergroup', title: `Supergroup ${chatId}` }
          : { id: chatId, type: 'group', title: `Group ${chatId}`, all_members_are_administrators: false };
    if (chat.type === 'private' && typeof privateUser?.username === 'string') chat.username = privateUser.username;
    const state: ChatState = { chat, nextMessageId: 1, messages: new Map() };
    this.#chats.set(chatId, state);
    return state;
  }

  /** The chat a call writes to: must exist and not have blocked the bot. */
  #targetChat(params: Params): ChatState {
    const raw = params.chat_id;
    if (raw === undefined || raw === null || raw === '') throw new ApiFailure(400, 'Bad Request: chat_id is empty');
    let state: ChatState | undefined;
    if (typeof raw === 'string' && raw.startsWith('@')) {
      state = [...this.#chats.values()].find((c) => c.chat.username === raw.slice(1));
      if (!state) throw new ApiFailure(400, 'Bad Request: chat not found');
    } else {
      const id = intParam(params, 'chat_id');
      if (id === undefined || id === 0) throw new ApiFailure(400, 'Bad Request: chat not found');
      state = this.#chatState(id, false);
    }
    if (state.blocked) throw new ApiFailure(403, state.blocked);
    return state;
  }

  /** A chat getChat and getChatMember read: it must exist (by id or `@username`); the bot need not be able to write in it. */
  #lookupChat(params: Params): ChatState {
    const raw = params.chat_id;
    if (typeof raw === 'string' && raw.startsWith('@')) {
      const state = [...this.#chats.values()].find((c) => c.chat.username === raw.slice(1));
      if (!state) throw new ApiFailure(400, 'Bad Request: chat not found');
      return state;
    }
    const id = intParam(params, 'chat_id');
    const state = id === undefined ? undefined : this.#chats.get(id);
    if (!state) throw new ApiFailure(400, 'Bad Request: chat not found');
    return state;
  }

  #checkFlood(method: string, chatId: number): void {
    if (!this.#rate || !RATE_LIMITED_METHODS.has(method)) return;
    const now = this.#now();
    this.#globalSends = this.#globalSends.filter((t) => t > now - 1000);
    const chatSends = (this.#chatSends.get(chatId) ?? []).filter((t) => t > now - 60_000);
    this.#chatSends.set(chatId, chatSends);
    let waitMs = 0;
    if (this.#globalSends.length >= this.#rate.globalPerSecond) waitMs = Math.max(waitMs, this.#globalSends[0]! + 1000 - now);
    if (chatSends.length >= this.#rate.perChatPerMinute) waitMs = Math.max(waitMs, chatSends[0]! + 60_000 - now);
    if (waitMs > 0) {
      const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiFailure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    this.#globalSends.push(now);
    chatSends.push(now);
  }

  /** Validates inline-keyboard markup; returns what a message keeps (inline buttons only). */
  #markup(params: Params): WireMessage['reply_markup'] {
    const markup = params.reply_markup;
    if (markup === undefined || markup === null || markup === '') return undefined;
    if (typeof markup !== 'object') throw new ApiFailure(400, "Bad Request: can't parse reply keyboard markup JSON object");
    const keyboard = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (keyboard === undefined) return undefined; // force_reply, keyboards: not part of the message
    const invalid = (why: string): never => {
      throw new ApiFailure(400, `Bad Request: can't parse inline keyboard button: ${why}`);
    };
    if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray)) invalid('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    const rows = keyboard as unknown[][];
    for (const row of rows) {
      for (const button of row) {
        if (!button || typeof button !== 'object') invalid('InlineKeyboardButton must be an Object');
        const b = button as Record<string, unknown>;
        if (typeof b.text !== 'string') invalid('Field "text" must be of type String');
        if ('callback_data' in b) {
          const bytes = typeof b.callback_data === 'string' ? Buffer.byteLength(b.callback_data, 'utf8') : 0;
          if (bytes < 1 || bytes > 64) throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
        } else if ('url' in b) {
          if (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url)) throw new ApiFailure(400, 'Bad Request: BUTTON_URL_INVALID');
        } else if (!['login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'web_app'].some((k) => k in b)) {
          invalid('Text buttons are unallowed in the inline keyboard');
        }
      }
    }
    const kept = rows.filter((row) => row.length > 0) as Array<Array<Record<string, unknown>>>;
    return kept.length > 0 ? { inline_keyboard: structuredClone(kept) } : undefined;
  }

  #withoutReply(wire: WireMessage): WireMessage {
    const copy = structuredClone(wire);
    delete copy.reply_to_message;
    return copy;
  }

  /** The message a new one replies to, from reply_parameters or the older reply_to_message_id. */
  #replyTarget(params: Params, chat: ChatState): WireMessage | undefined {
    const replyParameters = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const id = replyParameters?.message_id !== undefined ? Number(replyParameters.message_id) : intParam(params, 'reply_to_message_id');
    if (id === undefined) return undefined;
    const allowWithout = replyParameters?.allow_sending_without_reply === true || boolParam(params, 'allow_sending_without_reply');
    const target = chat.messages.get(id);
    if (!target) {
      if (allowWithout) return undefined;
      throw new ApiFailure(400, 'Bad Request: message to be replied not found');
    }
    return this.#withoutReply(target.wire);
  }

  #newMessage(chat: ChatState, params: Params): WireMessage {
    const wire: WireMessage = { message_id: chat.nextMessageId++, from: { ...this.botUser }, chat: chat.chat, date: this.#seconds() };
    const threadId = intParam(params, 'message_thread_id');
    if (threadId !== undefined) wire.message_thread_id = threadId;
    return wire;
  }

  #storeSent(chat: ChatState, wire: WireMessage, sourceText: string, parseMode: string | undefined, file?: StoredMessage['file']): WireMessage {
    const stored: StoredMessage = { wire, fromBot: true, sourceText, parseMode, editCount: 0 };
    if (file) stored.file = file;
    chat.messages.set(wire.message_id, stored);
    return structuredClone(wire);
  }

  #view(chat: ChatState, stored: StoredMessage): SentMessage {
    const wire = stored.wire;
    const kind: SentMessage['kind'] = wire.photo ? 'photo' : wire.document ? 'document' : 'text';
    const rows = wire.reply_markup?.inline_keyboard ?? [];
    const view: SentMessage = {
      chatId: chat.chat.id,
      messageId: wire.message_id,
      kind,
      text: wire.text ?? wire.caption ?? '',
      sourceText: stored.sourceText,
      parseMode: stored.parseMode,
      entities: structuredClone(wire.entities ?? wire.caption_entities ?? []),
      buttons: rows.map((row) =>
        row.map((b) => {
          const button: SentButton = { text: String(b.text) };
          if (typeof b.callback_data === 'string') button.callbackData = b.callback_data;
          if (typeof b.url === 'string') button.url = b.url;
          return button;
        }),
      ),
      replyMarkup: wire.reply_markup ? (structuredClone(wire.reply_markup) as unknown as InlineKeyboardMarkup) : undefined,
      replyToMessageId: wire.reply_to_message?.message_id,
      editCount: stored.editCount,
      message: structuredClone(wire) as unknown as TelegramMessage,
    };
    if (stored.file) view.file = { ...stored.file };
    return view;
  }

  /** The bot's message a call edits, with Telegram's refusals for missing or foreign ones. */
  #editable(params: Params): { chat: ChatState; stored: StoredMessage } {
    if (params.inline_message_id !== undefined) throw new ApiFailure(400, 'Bad Request: the Bot API stand-in does not support inline messages');
    const chat = this.#targetChat(params);
    const messageId = intParam(params, 'message_id');
    if (messageId === undefined) throw new ApiFailure(400, 'Bad Request: message identifier is not specified');
    const stored = chat.messages.get(messageId);
    if (!stored) throw new ApiFailure(400, 'Bad Request: message to edit not found');
    if (!stored.fromBot) throw new ApiFailure(400, "Bad Request: message can't be edited");
    return { chat, stored };
  }

  #queueDelivery(limit: number): TelegramUpdate[] {
    const allowed = this.#allowedUpdates;
    this.#updates = this.#updates.filter((update) => {
      const kind = Object.keys(update).find((k) => k !== 'update_id') ?? '';
      // Telegram never produces updates of kinds the bot did not ask for.
      return allowed ? allowed.has(kind) : !OPT_IN_UPDATES.has(kind);
    });
    return structuredClone(this.#updates.slice(0, limit));
  }

  /* -------------------------- Methods --------------------------- */

  #buildMethods(): Map<string, MethodHandler> {
    const methods: Record<string, MethodHandler> = {
      getMe: () => ({ ...this.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }),

      // ChatFullInfo: `linked_chat_id` names a channel's discussion group and a discussion group's channel.
      getChat: (params) => {
        const state = this.#lookupChat(params);
        const info: Record<string, unknown> = { ...state.chat, accent_color_id: 0, max_reaction_count: 11 };
        if (state.linkedChatId !== undefined) info.linked_chat_id = state.linkedChatId;
        return info;
      },

      // ChatMember: `creator`, `administrator` (with its rights), `member`, `restricted`, `left` or `kicked`.
      getChatMember: (params) => {
        const state = this.#lookupChat(params);
        const userId = intParam(params, 'user_id');
        if (userId === undefined) throw new ApiFailure(400, 'Bad Request: user_id is empty');
        const member = state.members?.get(userId);
        if (!member) {
          if (state.chat.type === 'channel') throw new ApiFailure(400, 'Bad Request: member list is inaccessible');
          return { status: 'left', user: this.#user({ id: userId }) };
        }
        return chatMemberWire(member);
      },

      getChatAdministrators: (params) => {
        const state = this.#lookupChat(params);
        if (state.chat.type === 'private') throw new ApiFailure(400, 'Bad Request: there are no administrators in the private chat');
        return [...(state.members?.values() ?? [])].filter((m) => m.status === 'administrator' || m.status === 'creator').map(chatMemberWire);
      },

      sendMessage: (params) => {
        const chat = this.#targetChat(params);
        this.#checkFlood('sendmessage', chat.chat.id);
        const source = stringParam(params, 'text') ?? '';
        const parseMode = stringParam(params, 'parse_mode');
        const { text, entities } = formatText(source, parseMode);
        if (text.length === 0) throw new ApiFailure(400, 'Bad Request: message text is empty');
        if (text.length > 4096) throw new ApiFailure(400, 'Bad Request: message is too long');
        const markup = this.#markup(params);
        const replyTo = this.#replyTarget(params, chat);
        const wire = this.#newMessage(chat, params);
        if (replyTo) wire.reply_to_message = replyTo;
        wire.text = text;
        if (entities.length > 0) wire.entities = entities;
        if (markup) wire.reply_markup = markup;
        return this.#storeSent(chat, wire, source, parseMode);
      },

      sendPhoto: (params, files) => this.#sendFile('photo', params, files),
      sendDocument: (params, files) => this.#sendFile('document', params, files),

      editMessageText: (params) => {
        const { chat, stored } = this.#editable(params);
        this.#checkFlood('editmessagetext', chat.chat.id);
        if (stored.wire.text === undefined) throw new ApiFailure(400, 'Bad Request: there is no text in the message to edit');
        const source = stringParam(params, 'text') ?? '';
        const parseMode = stringParam(params, 'parse_mode');
        const { text, entities } = formatText(source, parseMode);
        if (text.length === 0) throw new ApiFailure(400, 'Bad Request: message text is empty');
        if (text.length > 4096) throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
        // Telegram drops the buttons of a message edited without reply_markup.
        const markup = this.#markup(params);
        const before = canonical([stored.wire.text, stored.wire.entities ?? [], stored.wire.reply_markup ?? null]);
        if (before === canonical([text, entities, markup ?? null])) throw new ApiFailure(400, NOT_MODIFIED);
        stored.wire.text = text;
        if (entities.length > 0) stored.wire.entities = entities;
        else delete stored.wire.entities;
        if (markup) stored.wire.reply_markup = markup;
        else delete stored.wire.reply_markup;
        stored.wire.edit_date = this.#seconds();
        stored.sourceText = source;
        stored.parseMode = parseMode;
        stored.editCount++;
        return structuredClone(stored.wire);
      },

      editMessageReplyMarkup: (params) => {
        const { chat, stored } = this.#editable(params);
        this.#checkFlood('editmessagereplymarkup', chat.chat.id);
        const markup = this.#markup(params);
        if (canonical(stored.wire.reply_markup ?? null) === canonical(markup ?? null)) throw new ApiFailure(400, NOT_MODIFIED);
        if (markup) stored.wire.reply_markup = markup;
        else delete stored.wire.reply_markup;
        stored.wire.edit_date = this.#seconds();
        stored.editCount++;
        return structuredClone(stored.wire);
      },

      deleteMessage: (params) => {
        const chat = this.#targetChat(params);
        const messageId = intParam(params, 'message_id');
        if (messageId === undefined || !chat.messages.has(messageId)) throw new ApiFailure(400, 'Bad Request: message to delete not found');
        chat.messages.delete(messageId);
        return true;
      },

      answerCallbackQuery: (params) => {
        const id = stringParam(params, 'callback_query_id') ?? '';
        const query = this.#callbackQueries.get(id);
        // Telegram keeps a query answerable for about 15 minutes, once.
        if (!query || query.answered || this.#now() - query.createdAt > 15 * 60_000) {
          throw new ApiFailure(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        }
        const text = stringParam(params, 'text');
        if (text !== undefined && text.length > 200) throw new ApiFailure(400, 'Bad Request: MESSAGE_TOO_LONG');
        query.answered = true;
        this.#callbackAnswers.push({ callbackQueryId: id, text, showAlert: boolParam(params, 'show_alert') });
        return true;
      },

      setMyCommands: (params) => {
        const commands = params.commands;
        if (!Array.isArray(commands) || commands.length > 100) throw new ApiFailure(400, 'Bad Request: parameter "commands" must be an Array of BotCommand');
        for (const command of commands as Array<Record<string, unknown>>) {
          if (typeof command?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command.command)) throw new ApiFailure(400, 'Bad Request: BOT_COMMAND_INVALID');
          if (typeof command.description !== 'string' || command.description.length < 1 || command.description.length > 256) {
            throw new ApiFailure(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
          }
        }
        const scope = (params.scope as Record<string, unknown> | undefined) ?? { type: 'default' };
        this.#commands.set(`${canonical(scope)}|${stringParam(params, 'language_code') ?? ''}`, structuredClone(commands));
        return true;
      },

      getMyCommands: (params) => {
        const scope = (params.scope as Record<string, unknown> | undefined) ?? { type: 'default' };
        return this.#commands.get(`${canonical(scope)}|${stringParam(params, 'language_code') ?? ''}`) ?? [];
      },

      setWebhook: (params) => {
        const url = stringParam(params, 'url') ?? '';
        const secretToken = stringParam(params, 'secret_token');
        if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
          throw new ApiFailure(400, 'Bad Request: secret token contains unallowed characters');
        }
        if (url === '') {
          this.#webhook = undefined;
          return new Described(true, 'Webhook was deleted');
        }
        if (!/^https?:\/\/[^\s/]+/i.test(url)) throw new ApiFailure(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        const allowed = params.allowed_updates;
        this.#webhook = { url, secretToken, allowedUpdates: Array.isArray(allowed) ? allowed.map(String) : undefined };
        if (Array.isArray(allowed)) this.#allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
        if (boolParam(params, 'drop_pending_updates')) this.#updates = [];
        this.#waiter?.fail(new ApiFailure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
        return new Described(true, 'Webhook was set');
      },

      deleteWebhook: (params) => {
        if (boolParam(params, 'drop_pending_updates')) this.#updates = [];
        const had = this.#webhook !== undefined;
        this.#webhook = undefined;
        return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
      },

      getWebhookInfo: () => {
        const info: Record<string, unknown> = { url: this.#webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.#updates.length };
        if (this.#webhook) {
          info.max_connections = 40;
          if (this.#webhook.allowedUpdates) info.allowed_updates = this.#webhook.allowedUpdates;
        }
        return info;
      },

      getUpdates: (params, _files, res) => {
        if (this.#webhook) {
          throw new ApiFailure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        // A newer getUpdates ends the one still waiting, as on Telegram.
        this.#waiter?.fail(new ApiFailure(409, DEFAULT_DESCRIPTIONS[409]!));
        const offset = intParam(params, 'offset') ?? 0;
        if (offset > 0) this.#updates = this.#updates.filter((u) => u.update_id >= offset);
        else if (offset < 0) this.#updates = this.#updates.slice(offset);
        const limit = Math.min(100, Math.max(1, intParam(params, 'limit') ?? 100));
        const allowed = params.allowed_updates;
        if (Array.isArray(allowed)) this.#allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
        const ready = this.#queueDelivery(limit);
        const timeout = Math.min(this.#maxPollSeconds, Math.max(0, intParam(params, 'timeout') ?? 0));
        if (ready.length > 0 || timeout === 0 || this.#closed) return ready;
        return new Promise((resolve, reject) => {
          const done = (): void => {
            clearTimeout(timer);
            if (this.#waiter === waiter) this.#waiter = undefined;
          };
          const waiter: PollWaiter = {
            wake: () => {
              const updates = this.#queueDelivery(limit);
              if (updates.length === 0) return;
              done();
              resolve(updates);
            },
            fail: (failure) => {
              done();
              reject(failure);
            },
            finish: () => {
              done();
              resolve([]);
            },
          };
          const timer = setTimeout(() => waiter.finish(), timeout * 1000);
          this.#waiter = waiter;
          // The client gave up (telegraf aborts on stop): forget the request.
          res.once('close', () => {
            if (!res.writableEnded) waiter.finish();
          });
        });
      },
    };
    return new Map(Object.entries(methods).map(([name, handler]) => [name.toLowerCase(), handler]));
  }

  #sendFile(kind: 'photo' | 'document', params: Params, files: RecordedFile[]): WireMessage {
    const chat = this.#targetChat(params);
    this.#checkFlood(kind === 'photo' ? 'sendphoto' : 'senddocument', chat.chat.id);
    const upload = files.find((f) => f.field === kind);
    const reference = stringParam(params, kind);
    if (!upload && !reference) throw new ApiFailure(400, `Bad Request: there is no ${kind} in the request`);
    if (upload && upload.size === 0) throw new ApiFailure(400, 'Bad Request: file must be non-empty');
    const source = stringParam(params, 'caption') ?? '';
    const parseMode = stringParam(params, 'parse_mode');
    const { text, entities } = formatText(source, parseMode);
    if (text.length > 1024) throw new ApiFailure(400, 'Bad Request: message caption is too long');
    const markup = this.#markup(params);
    const replyTo = this.#replyTarget(params, chat);
    const wire = this.#newMessage(chat, params);
    if (replyTo) wire.reply_to_message = replyTo;
    const fileId = reference && !upload ? reference : `FAKE${kind.toUpperCase()}${this.#nextFileId++}`;
    const size = upload?.size ?? 0;
    const file: NonNullable<StoredMessage['file']> = { size };
    if (kind === 'photo') {
      const dims = upload ? pngSize(upload.data) : undefined;
      if (dims) Object.assign(file, dims);
      wire.photo = [{ file_id: fileId, file_unique_id: `U${fileId}`, file_size: size, width: dims?.width ?? 0, height: dims?.height ?? 0 }];
    } else {
      file.filename = upload?.filename ?? 'document';
      wire.document = { file_id: fileId, file_unique_id: `U${fileId}`, file_name: file.filename, mime_type: upload?.contentType ?? 'application/octet-stream', file_size: size };
    }
    if (text.length > 0) {
      wire.caption = text;
      if (entities.length > 0) wire.caption_entities = entities;
    }
    if (markup) wire.reply_markup = markup;
    return this.#storeSent(chat, wire, source, parseMode, file);
  }
}

/** Starts a {@link FakeBotApi} on a free loopback port. */
export function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  return FakeBotApi.start(options);
}
