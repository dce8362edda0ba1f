/**
 * Errors of the Telegram Bot API client, split the way grammY splits them
 * (`GrammyError` vs `HttpError`):
 *
 * - {@link TelegramApiError}: Telegram answered and refused the call
 *   (`{"ok":false,"error_code":…}`). Whether to retry depends on the code:
 *   429 after `retryAfterSeconds`, 5xx later, 400/401/403 never as is.
 * - {@link TelegramHttpError}: no answer arrived (network, DNS, timeout, a
 *   proxy's non-JSON page). The call may or may not have taken effect, so a
 *   retried `sendMessage` can post twice.
 *
 * Messages never contain the bot token: telegraf puts it in request URLs,
 * and every text that ends up here passes through `scrubSecrets` first.
 */

/** What Telegram sent back with a refusal (the `parameters` object of the Bot API). */
export interface TelegramErrorParameters {
  /** Seconds to wait before repeating the request (429 Too Many Requests). */
  retry_after?: number;
  /** The group became a supergroup with this new id (400). */
  migrate_to_chat_id?: number;
}

const MESSAGE_NOT_FOUND = [
  'message to edit not found',
  'message to delete not found',
  'message to be replied not found',
  'message_id_invalid',
];

/** The next step an operator or developer should take for a refusal, added to the message. */
function adviceFor(code: number, description: string, parameters: TelegramErrorParameters): string {
  const text = description.toLowerCase();
  if (code === 401 || code === 404) {
    return 'Check TELEGRAM_BOT_TOKEN: the token is mistyped or was revoked in @BotFather.';
  }
  if (code === 429) {
    return `Wait ${parameters.retry_after ?? 1} s before sending to this chat again; nothing was sent.`;
  }
  if (code === 409) {
    return 'Another process uses this bot token (a second instance, or a webhook while polling); run only one.';
  }
  if (code === 403) {
    return 'The bot cannot write to this chat: the user blocked it or it was removed from the group; ask them to /start it or add it back.';
  }
  if (parameters.migrate_to_chat_id !== undefined) {
    return `The group was upgraded to a supergroup: use chat id ${parameters.migrate_to_chat_id} (update TELEGRAM_STAFF_CHAT_ID if it is the staff group).`;
  }
  if (text.includes('chat not found')) {
    return 'Check the chat id and that the bot is a member of that chat.';
  }
  if (text.includes("can't parse entities")) {
    return 'The HTML is malformed: escape every outside text with escapeHtml().';
  }
  if (text.includes('message is too long') || text.includes('caption is too long')) {
    return 'Shorten the text with truncateForTelegram().';
  }
  if (text.includes('button_data_invalid')) {
    return 'Callback data must be 1-64 bytes: build it with callbackData().';
  }
  if (code >= 500) {
    return 'Telegram is having trouble; retry later.';
  }
  return '';
}

/** Telegram answered the call with `ok: false`. */
export class TelegramApiError extends Error {
  override readonly name = 'TelegramApiError';
  /** Bot API method that was called, e.g. `sendMessage`. */
  readonly method: string;
  /** `error_code`, equal to the HTTP status: 400, 401, 403, 404, 409, 429, 5xx. */
  readonly code: number;
  /** Telegram's `description`, e.g. `Forbidden: bot was blocked by the user`. */
  readonly description: string;
  /** Seconds to wait before trying again; set only for 429 Too Many Requests. */
  readonly retryAfterSeconds: number | undefined;
  /** New id of a group that became a supergroup; the call must be repeated with it. */
  readonly migrateToChatId: number | undefined;

  constructor(method: string, code: number, description: string, parameters: TelegramErrorParameters = {}) {
    const advice = adviceFor(code, description, parameters);
    super(`Telegram ${method} failed: ${code} ${description}${advice ? `. ${advice}` : ''}`);
    this.method = method;
    this.code = code;
    this.description = description;
    this.retryAfterSeconds = code === 429 ? (parameters.retry_after ?? 1) : undefined;
    this.migrateToChatId = parameters.migrate_to_chat_id;
  }

  /** 429 Too Many Requests: wait {@link retryAfterSeconds}, then repeat the same call. */
  isRateLimit(): boolean {
    return this.code === 429;
  }

  /** 403: the user blocked the bot, or the bot is no longer in the group. Retrying will not help. */
  isForbidden(): boolean {
    return this.code === 403;
  }

  /** 401 (or 404 for a malformed token): the bot token is wrong or revoked. */
  isUnauthorized(): boolean {
    return this.code === 401 || (this.code === 404 && this.description.toLowerCase().startsWith('not found'));
  }

  /** An edit that would change nothing; callers usually treat it as success. */
  isNotModified(): boolean {
    return this.code === 400 && this.description.toLowerCase().includes('message is not modified');
  }

  /** The message to edit, delete or reply to does not exist (any more). */
  isMessageNotFound(): boolean {
    const text = this.description.toLowerCase();
    return this.code === 400 && MESSAGE_NOT_FOUND.some((needle) => text.includes(needle));
  }

  /** The callback query is older than Telegram keeps it (about 15 minutes) or was answered already. */
  isCallbackQueryExpired(): boolean {
    const text = this.description.toLowerCase();
    return this.code === 400 && (text.includes('query is too old') || text.includes('query id is invalid'));
  }

  /** 400: the request itself is wrong; repeating it unchanged fails again. */
  isBadRequest(): boolean {
    return this.code === 400;
  }

  /** 5xx or 429: the same call may succeed later. */
  isRetryable(): boolean {
    return this.code === 429 || this.code >= 500;
  }
}

/**
 * No answer from the Bot API (connection refused, reset, DNS, timeout, or a
 * body that is not Telegram's JSON). `cause` is a scrubbed copy of the
 * underlying error; whether the call took effect is unknown.
 */
export class TelegramHttpError extends Error {
  override readonly name = 'TelegramHttpError';
  /** Bot API method that was called. */
  readonly method: string;
  /** True when our own request deadline expired (as opposed to a network failure). */
  readonly timedOut: boolean;

  constructor(method: string, detail: string, options: { cause?: Error; timedOut?: boolean } = {}) {
    super(
      `Telegram ${method} got no answer: ${detail}. Check the network and TELEGRAM_API_ROOT; the call may or may not have taken effect.`,
      options.cause ? { cause: options.cause } : undefined,
    );
    this.method = method;
    this.timedOut = options.timedOut ?? false;
  }
}
