/**
 * The Telegram Bot API client, as the rest of Ardzagank sees it, and the only
 * module of ours that imports telegraf: other modules use the functions and
 * the re-exported types below, so features are plain functions over plain
 * Telegram objects and can be tested without a bot framework.
 *
 * - {@link createTelegramClient}: the calls we make (send, edit, delete,
 *   answer buttons, photos, documents, commands). Always `parse_mode: HTML`;
 *   refusals become {@link TelegramApiError}, lost requests
 *   {@link TelegramHttpError}; no message carries the bot token.
 * - {@link createBotApiCaller}: the one way to call a Bot API method, with a
 *   deadline and our errors; the client and the update source
 *   (`update-source.ts`, long polling or webhook) both call through it.
 *
 * telegraf is used as a Bot API transport only (`new Telegram(token,
 * { apiRoot })` and its `callApi`), which gives us its typed payloads and its
 * multipart upload, while the polling loop, retries and stopping are ours.
 */
import { createRequire } from 'node:module';
import type { Telegram } from 'telegraf';
import type * as tg from 'telegraf/types';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import { TelegramApiError, TelegramHttpError } from './telegram-errors.js';


export type {
  Update as TelegramUpdate,
  Message as TelegramMessage,
  User as TelegramUser,
  UserFromGetMe as TelegramBotUser,
  Chat as TelegramChat,
  CallbackQuery as TelegramCallbackQuery,
  ChatMemberUpdated as TelegramChatMemberUpdated,
  InlineKeyboardMarkup,
  InlineKeyboardButton,
  ForceReply,
  BotCommand,
  BotCommandScope,
} from 'telegraf/types';

/** A chat id (negative for groups) or `@channelusername`. */
export type ChatId = number | string;

/** A kind of update, as used in `allowed_updates` (`message`, `callback_query`, …). */
export type TelegramUpdateType = NonNullable<tg.Opts<'getUpdates'>['allowed_updates']>[number];

/** Default address of the Bot API; `TELEGRAM_API_ROOT` overrides it. */
export const TELEGRAM_DEFAULT_API_ROOT = 'https://api.telegram.org';

/** What both the client and the update source need to reach the Bot API. */
export interface BotApiOptions {
  /** Bot token from @BotFather (`TELEGRAM_BOT_TOKEN`). */
  token: string;
  /** Base URL without `/bot<token>` (`TELEGRAM_API_ROOT`); default {@link TELEGRAM_DEFAULT_API_ROOT}. */
  apiRoot?: string;
  logger: Logger;
  /** More secret values to scrub from error messages; the token is always scrubbed. */
  secrets?: readonly string[];
}

/** Options of {@link createTelegramClient}. */
export interface TelegramClientOptions extends BotApiOptions {
  /** Deadline of one ordinary call, in milliseconds; default 30 000. */
  requestTimeoutMs?: number;
  /** Deadline of a file upload (sendPhoto, sendDocument), in milliseconds; default 120 000. */
  uploadTimeoutMs?: number;
}

/** Markup a sent message may carry: inline buttons, or a force-reply prompt. */
export type SendReplyMarkup = tg.InlineKeyboardMarkup | tg.ForceReply;

/** Options of {@link TelegramClient.sendMessage}. */
export interface SendMessageOptions {
  replyMarkup?: SendReplyMarkup;
  /** Shown as a reply to this message of the same chat; sent anyway if that message is gone, unless `requireReplyTarget`. */
  replyToMessageId?: number;
  /** Fail ("message to be replied not found") rather than send without the reply when that message is gone. */
  requireReplyTarget?: boolean;
  /** No preview card for the first link of the text. */
  disableLinkPreview?: boolean;
  /** Deliver without a sound. */
  disableNotification?: boolean;
  /** Forum topic of a supergroup with topics. */
  messageThreadId?: number;
}

/** Options of {@link TelegramClient.editMessageText}. */
export interface EditMessageTextOptions {
  /**
   * Buttons of the edited message. Telegram removes the buttons of a message
   * edited without markup, so pass the current ones to keep them.
   */
  replyMarkup?: tg.InlineKeyboardMarkup;
  disableLinkPreview?: boolean;
}

/** Options of {@link TelegramClient.answerCallbackQuery}. */
export interface AnswerCallbackQueryOptions {
  /** A dialog the user must dismiss instead of a short notice at the top of the chat. */
  showAlert?: boolean;
  /** How long the client may cache the answer, in seconds; default 0. */
  cacheTimeSeconds?: number;
}

/** Options of {@link TelegramClient.sendPhoto} and {@link TelegramClient.sendDocument}. */
export interface SendFileOptions {
  replyMarkup?: SendReplyMarkup;
  disableNotification?: boolean;
  messageThreadId?: number;
}

/** Options of {@link TelegramClient.setMyCommands}. */
export interface SetMyCommandsOptions {
  /** Who sees the list (default: everyone); e.g. `{ type: 'all_private_chats' }`. */
  scope?: tg.BotCommandScope;
  /** Two-letter language of the users who see this list (`hy`, `ru`, `en`); empty for everyone else. */
  languageCode?: string;
}

/** Result of an edit: `modified` is false when the message already looked like that. */
export interface EditResult {
  modified: boolean;
}

/** The calls Ardzagank makes to the Bot API. Every text argument is Telegram HTML. */
export interface TelegramClient {
  /** The bot's own user (id, username); throws a 401 {@link TelegramApiError} for a bad token. */
  getMe(): Promise<tg.UserFromGetMe>;
  /**
   * Sends `html` (at most 4096 visible characters: see `truncateForTelegram`)
   * with `parse_mode: HTML`. Every outside text in it must be escaped with `escapeHtml`.
   */
  sendMessage(chatId: ChatId, html: string, options?: SendMessageOptions): Promise<tg.Message.TextMessage>;
  /**
   * Replaces the text (and buttons) of a message the bot sent. An edit that
   * would change nothing succeeds with `modified: false`.
   */
  editMessageText(chatId: ChatId, messageId: number, html: string, options?: EditMessageTextOptions): Promise<EditResult>;
  /** Replaces only the buttons; `undefined` removes them. An identical markup succeeds with `modified: false`. */
  editMessageReplyMarkup(chatId: ChatId, messageId: number, replyMarkup: tg.InlineKeyboardMarkup | undefined): Promise<EditResult>;
  /** Deletes a message; returns false when it was already gone. */
  deleteMessage(chatId: ChatId, messageId: number): Promise<boolean>;
  /**
   * Stops the button's loading spinner, optionally with a notice (at most 200
   * characters, plain text). Returns false when the query is too old to answer
   * (the user pressed it long ago, or it was answered already).
   */
  answerCallbackQuery(callbackQueryId: string, text?: string, options?: AnswerCallbackQueryOptions): Promise<boolean>;
  /** Uploads a PNG (a report chart) with an optional HTML caption of at most 1024 visible characters. */
  sendPhoto(chatId: ChatId, png: Buffer, captionHtml?: string, options?: SendFileOptions & { filename?: string }): Promise<tg.Message.PhotoMessage>;
  /** Uploads a file (a CSV or XLSX report) under `filename`. */
  sendDocument(chatId: ChatId, content: Buffer, filename: string, captionHtml?: string, options?: SendFileOptions): Promise<tg.Message.DocumentMessage>;
  /** Sets the command menu shown by Telegram clients. */
  setMyCommands(commands: readonly tg.BotCommand[], options?: SetMyCommandsOptions): Promise<void>;
  /** What Telegram says of a chat (ChatFullInfo: a channel's `linked_chat_id` is its discussion group). */
  getChat(chatId: ChatId): Promise<tg.ChatFromGetChat>;
  /** A member's status in a chat (`creator`, `administrator`, `member`, `restricted`, `left`, `kicked`). */
  getChatMember(chatId: ChatId, userId: number): Promise<tg.ChatMember>;
  /** The chat's administrators (people and bots; anonymous ones included). */
  getChatAdministrators(chatId: ChatId): Promise<tg.ChatMember[]>;
}

/** Deadline and cancellation of one Bot API call. */
export interface BotApiCallOptions {
  timeoutMs: number;
  /** Cancels the call (used by stop()); the call then fails with a TelegramHttpError. */
  signal?: AbortSignal;
}

/** Calls one Bot API method with its typed payload; resolves with its typed result. */
export type BotApiCaller = <M extends keyof tg.Telegram>(method: M, payload: tg.Opts<M>, options: BotApiCallOptions) => Promise<ReturnType<tg.Telegram[M]>>;

type TelegrafCallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

// telegraf is loaded by the first Bot API caller: a service whose bot is off never loads it (~5 MB at start).
let telegraf: typeof import('telegraf') | undefined;
const loadTelegraf = () => (telegraf ??= createRequire(import.meta.url)('telegraf') as typeof import('telegraf'));

/** A copy of `error` whose message is scrubbed, keeping its name and system code. */
function scrubbedCopy(error: unknown, secrets: readonly string[]): Error {
  if (!(error instanceof Error)) return new Error(scrubSecrets(String(error), secrets));
  const copy = new Error(scrubSecrets(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}

/**
 * One Bot API caller over telegraf's `Telegram.callApi`, with a deadline per
 * call and errors mapped to ours. Shared by the client and the update source.
 */
export function createBotApiCaller(options: BotApiOptions): BotApiCaller {
  const apiRoot = options.apiRoot ?? TELEGRAM_DEFAULT_API_ROOT;
  const secrets = [options.token, ...(options.secrets ?? [])];
  // webhookReply only applies to telegraf's own webhook server, which we do not use.
  const { Telegram, TelegramError } = loadTelegraf();
  const telegram = new Telegram(options.token, { apiRoot, webhookReply: false });
  const log = options.logger.child({ component: 'telegram' });

  return async (method, payload, { timeoutMs, signal }) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const started = performance.now();
    try {
      // node-fetch (inside telegraf) accepts any object whose class is named AbortSignal.
      const result = await telegram.callApi(method, payload, { signal: combined } as unknown as TelegrafCallOptions);
      log.debug({ method, ms: Math.round(performance.now() - started) }, 'telegram call');
      return result;
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      if (error instanceof TelegramError) {
        const description = scrubSecrets(String(error.description ?? 'no description'), secrets);
        log.debug({ method, ms, code: error.code }, 'telegram call refused');
        throw new TelegramApiError(method, error.code, description, error.parameters ?? {});
      }
      log.debug({ method, ms }, 'telegram call got no answer');
      const cause = scrubbedCopy(error, secrets);
      if (signal?.aborted) throw new TelegramHttpError(method, 'cancelled because the bot is stopping', { cause });
      if (deadline.aborted) {
        throw new TelegramHttpError(method, `no answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`, { cause, timedOut: true });
      }
      throw new TelegramHttpError(method, cause.message, { cause });
    }
  };
}

/**
 * Creates the Bot API client. telegraf is configured with `apiRoot` (so the
 * loopback stand-in in tests and the demo works) and `webhookReply: false`;
 * each call has its own deadline.
 */
export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const callApi = createBotApiCaller(options);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;

  async function allowing<T>(call: Promise<T>, accept: (error: TelegramApiError) => boolean, fallback: T): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof TelegramApiError && accept(error)) return fallback;
      throw error;
    }
  }

  return {
    getMe: () => callApi('getMe', {}, { timeoutMs }),
    getChat: (chatId) => callApi('getChat', { chat_id: chatId }, { timeoutMs }),
    getChatMember: (chatId, userId) => callApi('getChatMember', { chat_id: chatId, user_id: userId }, { timeoutMs }),
    getChatAdministrators: (chatId) => callApi('getChatAdministrators', { chat_id: chatId }, { timeoutMs }),

    sendMessage: (chatId, html, opts = {}) =>
      callApi(
        'sendMessage',
        {
          chat_id: chatId,
          text: html,
          parse_mode: 'HTML',
          reply_markup: opts.replyMarkup,
          reply_parameters:
            opts.replyToMessageId === undefined ? undefined : { message_id: opts.replyToMessageId, allow_sending_without_reply: !opts.requireReplyTarget },
          link_preview_options: opts.disableLinkPreview ? { is_disabled: true } : undefined,
          disable_notification: opts.disableNotification,
          message_thread_id: opts.messageThreadId,
        },
        { timeoutMs },
      ),

    editMessageText: async (chatId, messageId, html, opts = {}) =>
      allowing(
        callApi(
          'editMessageText',
          {
            chat_id: chatId,
            message_id: messageId,
            text: html,
            parse_mode: 'HTML',
            reply_markup: opts.replyMarkup,
            link_preview_options: opts.disableLinkPreview ? { is_disabled: true } : undefined,
          },
          { timeoutMs },
        ).then(() => ({ modified: true })),
        (error) => error.isNotModified(),
        { modified: false },
      ),

    editMessageReplyMarkup: async (chatId, messageId, replyMarkup) =>
      allowing(
        callApi('editMessageReplyMarkup', { chat_id: chatId, message_id: messageId, reply_markup: replyMarkup }, { timeoutMs }).then(() => ({
          modified: true,
        })),
        (error) => error.isNotModified(),
        { modified: false },
      ),

    deleteMessage: async (chatId, messageId) =>
      allowing(
        callApi('deleteMessage', { chat_id: chatId, message_id: messageId }, { timeoutMs }),
        (error) => error.isMessageNotFound(),
        false,
      ),

    answerCallbackQuery: async (callbackQueryId, text, opts = {}) =>
      allowing(
        callApi(
          'answerCallbackQuery',
          { callback_query_id: callbackQueryId, text, show_alert: opts.showAlert, cache_time: opts.cacheTimeSeconds },
          { timeoutMs },
        ),
        (error) => error.isCallbackQueryExpired(),
        false,
      ),

    sendPhoto: (chatId, png, captionHtml, opts = {}) =>
      callApi(
        'sendPhoto',
        {
          chat_id: chatId,
          photo: { source: png, filename: opts.filename ?? 'chart.png' },
          caption: captionHtml,
          parse_mode: captionHtml === undefined ? undefined : 'HTML',
          reply_markup: opts.replyMarkup,
          disable_notification: opts.disableNotification,
          message_thread_id: opts.messageThreadId,
        },
        { timeoutMs: uploadTimeoutMs },
      ),

    sendDocument: (chatId, content, filename, captionHtml, opts = {}) =>
      callApi(
        'sendDocument',
        {
          chat_id: chatId,
          document: { source: content, filename },
          caption: captionHtml,
          parse_mode: captionHtml === undefined ? undefined : 'HTML',
          reply_markup: opts.replyMarkup,
          disable_notification: opts.disableNotification,
          message_thread_id: opts.messageThreadId,
        },
        { timeoutMs: uploadTimeoutMs },
      ),

    setMyCommands: async (commands, opts = {}) => {
      await callApi('setMyCommands', { commands: [...commands], scope: opts.scope, language_code: opts.languageCode }, { timeoutMs });
    },
  };
}
