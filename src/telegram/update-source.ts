/**
 * The updates the bot receives, by long polling or by webhook, handed one by
 * one to a handler ({@link createUpdateSource}). The Bot API calls it makes
 * (getMe, getUpdates, setWebhook…) go through the client's caller
 * (`telegram-client.ts`, the only module that imports telegraf); the polling
 * loop, its retries and stopping are ours.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { scrubSecrets } from '../observability/redact.js';
import { createBotApiCaller, type BotApiOptions, type TelegramUpdate, type TelegramUpdateType } from './telegram-client.js';
import { TelegramApiError } from './telegram-errors.js';

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
  handler: (update: TelegramUpdate) => Promise<void>;
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
   * update being handled, and confirms the handled ones to Telegram (unless
   * `confirm` is false: another instance may be polling already, and a
   * getUpdates from here would cut its long poll off with 409; the updates
   * not confirmed reach that instance again, which skips the handled ones).
   * Webhook mode keeps the webhook registered, so Telegram holds new updates
   * until the next start. Safe to call twice; it can be started again after.
   */
  stop(options?: { confirm?: boolean }): Promise<void>;
  /**
   * Webhook mode: checks the secret header, then hands the body to the
   * handler. Resolves `{ accepted: true }` once the handler is done; the
   * handler's errors are thrown.
   */
  handleWebhook(update: unknown, secretTokenHeader: string | undefined): Promise<WebhookOutcome>;
}

function isUpdate(value: unknown): value is TelegramUpdate {
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
  const callApi = createBotApiCaller(options);
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

  async function handleWithRetry(update: TelegramUpdate, signal: AbortSignal): Promise<boolean> {
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
      let updates: TelegramUpdate[];
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

  async function shutdown(confirm: boolean): Promise<void> {
    const wasRunning = state === 'running' || state === 'starting';
    state = 'stopping';
    stopController.abort();
    await loop;
    loop = undefined;
    await Promise.allSettled(inFlight);
    if (mode.kind === 'polling' && confirm) await confirmHandled();
    state = 'stopped';
    if (wasRunning) log.info('stopped receiving Telegram updates');
  }

  function stop(stopOptions: { confirm?: boolean } = {}): Promise<void> {
    if (state === 'new') return Promise.resolve();
    stopping ??= shutdown(stopOptions.confirm ?? true).finally(() => {
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
