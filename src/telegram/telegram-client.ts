/**
 * The Telegram Bot API, as the rest of Ardzagank sees it. This folder is the
 * only place that imports telegraf; other modules use the functions and the
 * re-exported types below, so features are plain functions over plain
 * Telegram objects and can be tested without a bot framework.
 *
 * - {@link createTelegramClient}: the calls we make (send, edit, delete,
 *   answer buttons, photos, documents, commands). Always `parse_mode: HTML`;
 *   refusals become {@link TelegramApiError}, lost requests
 *   {@link TelegramHttpError}; no message carries the bot token.
 * - {@link createUpdateSource}: the updates we receive, by long polling or
 *   by webhook, handed one by one to a handler.
 *
 * telegraf is used as a Bot API transport only (`new Telegram(token,
 * { apiRoot })` and its `callApi`), which gives us its typed payloads and its
 * multipart upload, while the polling loop, retries and stopping are ours.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Telegram, TelegramError } from 'telegraf';
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

/**
 * Updates we ask Telegram for unless told otherwise: messages and their
 * edits (staff replies, citizen comments in a channel's discussion group),
 * channel posts (to link comments to posts), button presses, and changes of
 * the bot's own membership (added to or removed from a group).
 */
export const DEFAULT_ALLOWED_UPDATES: readonly TelegramUpdateType[] = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'my_chat_member',
];

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
  /** Shown as a reply to this message of the same chat; sent anyway if that message is gone. */
  replyToMessageId?: number;
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
}

interface CallOptions {
  timeoutMs: number;
  /** Cancels the call (used by stop()); the call then fails with a TelegramHttpError. */
  signal?: AbortSignal;
}

type CallApi = <M extends keyof tg.Telegram>(method: M, payload: tg.Opts<M>, options: CallOptions) => Promise<ReturnType<tg.Telegram[M]>>;

type TelegrafCallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

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
function createCallApi(options: BotApiOptions): CallApi {
  const apiRoot = options.apiRoot ?? TELEGRAM_DEFAULT_API_ROOT;
  const secrets = [options.token, ...(options.secrets ?? [])];
  // webhookReply only applies to telegraf's own webhook server, which we do not use.
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
  const callApi = createCallApi(options);
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

    sendMessage: (chatId, html, opts = {}) =>
      callApi(
        'sendMessage',
        {
          chat_id: chatId,
          text: html,
          parse_mode: 'HTML',
          reply_markup: opts.replyMarkup,
          reply_parameters:
            opts.replyToMessageId === undefined ? undefined : { message_id: opts.replyToMessageId, allow_sending_without_reply: true },
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

/**
 * Compares the `X-Telegram-Bot-Api-Secret-Token` header with the configured
 * secret in constant time (both sides are hashed first, so not even the
 * length leaks).
 */
export function verifyWebhookSecret(expected: string, received: string | undefined): boolean {
  if (received === undefined || expected === '') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(received, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** How updates arrive. */
export type UpdateSourceMode =
  | {
      kind: 'polling';
      /** Seconds Telegram holds one getUpdates call open while there is nothing new (0-50); default 30. */
      timeoutSeconds?: number;
    }
  | {
      kind: 'webhook';
      /** Public HTTPS address of `POST /webhooks/telegram` (`TELEGRAM_WEBHOOK_URL`). */
      url: string;
      /** `secret_token` Telegram echoes in `X-Telegram-Bot-Api-Secret-Token` (`TELEGRAM_WEBHOOK_SECRET`). */
      secret: string;
    };

/** Options of {@link createUpdateSource}. */
export interface UpdateSourceOptions extends BotApiOptions {
  /**
   * Called once per update, one update at a time, in Telegram's order. In
   * polling mode an update is confirmed to Telegram only after the handler
   * resolves; a throwing handler is retried (see `maxHandlerAttempts`). In
   * webhook mode the error reaches the HTTP layer, which answers 500 so
   * Telegram delivers the update again later. Either way an update can
   * arrive twice: deduplicate on `update_id`.
   */
  handler: (update: tg.Update) => Promise<void>;
  mode: UpdateSourceMode;
  /** Update kinds to receive; default {@link DEFAULT_ALLOWED_UPDATES}. */
  allowedUpdates?: readonly TelegramUpdateType[];
  /** Polling: attempts per update before it is logged and skipped; default 5. */
  maxHandlerAttempts?: number;
  /** Polling: waits between retries grow from `initialMs` (default 1000) doubling up to `maxMs` (default 30 000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Called when polling stops for good because retrying cannot help (the
   * token was revoked: 401). The composition root should exit so the
   * supervisor restarts the service and the admin notices.
   */
  onFatalError?: (error: Error) => void;
}

/** Why {@link UpdateSource.handleWebhook} refused a request, to map to an HTTP status. */
export type WebhookRefusal =
  /** Missing or wrong secret header: answer 401. */
  | 'wrong-secret'
  /** The body is not an Update: answer 400. */
  | 'malformed'
  /** The source is not started, already stopped, or polls: answer 503 so Telegram retries. */
  | 'not-listening';

/** Outcome of one webhook request. */
export type WebhookOutcome = { accepted: true } | { accepted: false; reason: WebhookRefusal };

/** A running stream of updates. */
export interface UpdateSource {
  readonly mode: UpdateSourceMode['kind'];
  /**
   * Checks the token (getMe), then polling: removes a leftover webhook and
   * starts the getUpdates loop in the background; webhook: registers the
   * webhook with its secret. Resolves once updates can arrive.
   */
  start(): Promise<void>;
  /**
   * Stops receiving: cancels the pending getUpdates at once, waits for the
   * update being handled, and confirms the handled ones to Telegram.
   * Webhook mode keeps the webhook registered, so Telegram holds new updates
   * until the next start. Safe to call twice.
   */
  stop(): Promise<void>;
  /**
   * Webhook mode: checks the secret header, then hands the body to the
   * handler. Resolves `{ accepted: true }` once the handler is done; the
   * handler's errors are thrown.
   */
  handleWebhook(update: unknown, secretTokenHeader: string | undefined): Promise<WebhookOutcome>;
}

function isUpdate(value: unknown): value is tg.Update {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger((value as { update_id?: unknown }).update_id) &&
    Object.keys(value).length >= 2
  );
}

/** Resolves after `ms`, or at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Creates the source of incoming updates (long polling or webhook, from
 * `mode`). See {@link UpdateSource} for the life cycle and
 * {@link UpdateSourceOptions.handler} for the delivery guarantees.
 */
export function createUpdateSource(options: UpdateSourceOptions): UpdateSource {
  const callApi = createCallApi(options);
  const log = options.logger.child({ component: 'telegram-updates', mode: options.mode.kind });
  const allowedUpdates = [...(options.allowedUpdates ?? DEFAULT_ALLOWED_UPDATES)];
  const maxAttempts = Math.max(1, options.maxHandlerAttempts ?? 5);
  const initialBackoffMs = options.backoff?.initialMs ?? 1000;
  const maxBackoffMs = options.backoff?.maxMs ?? 30_000;
  const backoffMs = (failures: number): number => Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(failures, 20));
  const mode = options.mode;

  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let stopController = new AbortController();
  let loop: Promise<void> | undefined;
  /** Offset after the last handled update (0: nothing handled yet, Telegram starts at the oldest unconfirmed). */
  let offset = 0;
  /** Offset sent with the last getUpdates, i.e. what Telegram already knows is handled. */
  let confirmedOffset = 0;
  const inFlight = new Set<Promise<unknown>>();

  async function handleWithRetry(update: tg.Update, signal: AbortSignal): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.handler(update);
        return true;
      } catch (error) {
        if (attempt >= maxAttempts) {
          log.error({ err: error, updateId: update.update_id, attempts: attempt }, 'update handler kept failing; skipping this update');
          return true;
        }
        log.warn({ err: error, updateId: update.update_id, attempt }, 'update handler failed; retrying');
        await pause(backoffMs(attempt - 1), signal);
        if (signal.aborted) return false;
      }
    }
  }

  async function pollLoop(timeoutSeconds: number, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let updates: tg.Update[];
      try {
        const sentOffset = offset;
        updates = await callApi(
          'getUpdates',
          { offset: sentOffset, timeout: timeoutSeconds, limit: 100, allowed_updates: allowedUpdates },
          { signal, timeoutMs: (timeoutSeconds + 15) * 1000 },
        );
        confirmedOffset = sentOffset;
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        // A revoked token or a request Telegram calls malformed will not get better by waiting.
        if (error instanceof TelegramApiError && (error.isUnauthorized() || error.isBadRequest())) throw error;
        const waitMs = error instanceof TelegramApiError && error.isRateLimit() ? (error.retryAfterSeconds ?? 1) * 1000 : backoffMs(failures++);
        const conflict = error instanceof TelegramApiError && error.code === 409;
        log[conflict ? 'error' : 'warn']({ err: error, waitMs }, 'getUpdates failed; retrying');
        await pause(waitMs, signal);
        continue;
      }
      for (const update of updates) {
        if (!(await handleWithRetry(update, signal))) return;
        offset = update.update_id + 1;
        if (signal.aborted) return;
      }
    }
  }

  /** Tells Telegram which updates were handled since the last getUpdates, so they are not sent again. */
  async function confirmHandled(): Promise<void> {
    if (offset === confirmedOffset) return;
    try {
      await callApi('getUpdates', { offset, limit: 1, timeout: 0 }, { timeoutMs: 2000 });
      confirmedOffset = offset;
    } catch (error) {
      log.warn({ err: error, offset }, 'could not confirm handled updates; Telegram will send them again after restart');
    }
  }

  async function start(): Promise<void> {
    if (state !== 'new' && state !== 'stopped') throw new Error(`Telegram update source cannot start while ${state}`);
    state = 'starting';
    const controller = new AbortController();
    stopController = controller;
    const signal = controller.signal;
    const setup = { timeoutMs: 30_000, signal };
    try {
      const me = await callApi('getMe', {}, setup);
      if (mode.kind === 'webhook') {
        await callApi('setWebhook', { url: mode.url, secret_token: mode.secret, allowed_updates: allowedUpdates, drop_pending_updates: false }, setup);
        log.info({ bot: me.username, url: scrubSecrets(mode.url, [options.token]) }, 'receiving Telegram updates by webhook');
      } else {
        const webhook = await callApi('getWebhookInfo', {}, setup);
        if (webhook.url) {
          log.warn({ url: scrubSecrets(webhook.url, [options.token]) }, 'removing the registered webhook to receive updates by long polling');
          await callApi('deleteWebhook', { drop_pending_updates: false }, setup);
        }
        const timeoutSeconds = Math.min(50, Math.max(0, Math.round(mode.timeoutSeconds ?? 30)));
        loop = pollLoop(timeoutSeconds, signal).catch((error: unknown) => {
          const fatal = error instanceof Error ? error : new Error(String(error));
          log.fatal({ err: fatal }, 'stopped receiving Telegram updates; fix the cause and restart');
          state = 'stopped';
          options.onFatalError?.(fatal);
        });
        log.info({ bot: me.username }, 'receiving Telegram updates by long polling');
      }
      // stop() during start wins: it already finished (or is finishing) the shutdown.
      if (!signal.aborted) state = 'running';
    } catch (error) {
      if (signal.aborted) return;
      state = 'stopped';
      throw error;
    }
  }

  let stopping: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    const wasRunning = state === 'running' || state === 'starting';
    state = 'stopping';
    stopController.abort();
    await loop;
    loop = undefined;
    await Promise.allSettled(inFlight);
    if (mode.kind === 'polling') await confirmHandled();
    state = 'stopped';
    if (wasRunning) log.info('stopped receiving Telegram updates');
  }

  function stop(): Promise<void> {
    if (state === 'new') return Promise.resolve();
    stopping ??= shutdown().finally(() => {
      stopping = undefined;
    });
    return stopping;
  }

  async function handleWebhook(update: unknown, secretTokenHeader: string | undefined): Promise<WebhookOutcome> {
    if (mode.kind !== 'webhook' || state !== 'running') return { accepted: false, reason: 'not-listening' };
    if (!verifyWebhookSecret(mode.secret, secretTokenHeader)) {
      log.warn({ headerPresent: secretTokenHeader !== undefined }, 'refused a Telegram webhook request with a wrong secret');
      return { accepted: false, reason: 'wrong-secret' };
    }
    if (!isUpdate(update)) return { accepted: false, reason: 'malformed' };
    const handling = options.handler(update);
    inFlight.add(handling);
    try {
      await handling;
    } finally {
      inFlight.delete(handling);
    }
    return { accepted: true };
  }

  return { mode: mode.kind, start, stop, handleWebhook };
}
