/**
 * What a feature of the bot works with: the update's person (resolved to an
 * active staff member or not), their language, the chat, and helpers to
 * answer and to record a refusal. Features are plain objects of handlers;
 * `create-bot.ts` routes updates to them.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import type { InquiryRow, ReplyVisibility, StaffRow } from '../db/schema.js';
import type { FailureReason } from '../domain/failure-reason.js';
import type { Locale } from '../domain/locale.js';
import type { Logger } from '../observability/logger.js';
import type { Producers } from '../queue/producers.js';
import type { Permission } from '../domain/staff.js';
import type {
  SendMessageOptions,
  TelegramCallbackQuery,
  TelegramClient,
  TelegramMessage,
  TelegramUser,
} from '../telegram/telegram-client.js';
import type { CallbackCodec } from '../telegram/telegram-text.js';
import type { GroupPacer } from './group-pacer.js';
import type { Messages } from './i18n/index.js';

/** Reports the bot can show (`/report`, `/stats`), when the reports part provides them. */
export interface BotReports {
  /** Telegram HTML of a report; `args` is what followed the command. */
  report(args: string, locale: Locale): Promise<string>;
  stats(args: string, locale: Locale): Promise<string>;
}

import type { HideCommentOutcome } from '../inbox/hide-comment.workflow.js';

export interface BotDeps {
  config: Config;
  logger: Logger;
  db: Db;
  producers: Producers;
  /** The client that waits out 429s and paces group messages. */
  client: TelegramClient;
  pacer: GroupPacer;
  now: () => Date;
  botUsername: () => Promise<string | undefined>;
  reports?: BotReports;
  /** Hides a citizen's comment on its platform (a supervisor, from the card); absent without connectors. */
  hideComment?: (input: { inquiryId: number; staff: StaffRow; now: Date }) => Promise<HideCommentOutcome>;
  /** The ways a connector would refuse an answer to this inquiry now, and why (shown in the preview); absent without connectors. */
  plannedRefusals?: (inquiry: InquiryRow, now: Date) => Partial<Record<ReplyVisibility, FailureReason>>;
}

export interface BaseContext {
  deps: BotDeps;
  log: Logger;
  person: TelegramUser;
  /** Active staff member behind the update, if any. */
  staff: StaffRow | undefined;
  /** The person's language (for the group's own messages use `groupT`). */
  locale: Locale;
  t: Messages;
  /** The staff group's language. */
  groupT: Messages;
  /** The chat the update happened in. */
  chatId: number;
  isPrivate: boolean;
  now: Date;
  /** Records a refusal (the only trace it leaves) as a `denied` event. */
  deny(action: string, reason: string, details?: Record<string, unknown>): Promise<void>;
}

export interface MessageContext extends BaseContext {
  message: TelegramMessage.TextMessage;
  /** Answers in the same chat, as a reply to the person's message. */
  reply(html: string, options?: SendMessageOptions): Promise<TelegramMessage.TextMessage>;
}

export interface CommandContext extends MessageContext {
  /** What follows the command, trimmed. */
  args: string;
}

export interface CallbackContext extends BaseContext {
  query: TelegramCallbackQuery;
  /** The message whose button was pressed (absent when Telegram no longer has it). */
  message: { chatId: number; messageId: number; text: string | undefined } | undefined;
  /** Stops the button's spinner with a short plain-text notice; only the first call counts. */
  answer(text?: string, alert?: boolean): Promise<void>;
}

export interface CommandRoute {
  /** Who may run it; `public` commands also answer people who are not staff. */
  access: 'public' | 'staff' | Permission;
  run(ctx: CommandContext): Promise<void>;
}

export interface CallbackRoute {
  codec: CallbackCodec<string>;
  /** Checked before `run`: a press by someone without it is refused and recorded. */
  permission: Permission | 'staff';
  run(ctx: CallbackContext, values: Record<string, string>): Promise<void>;
}

/**
 * A staff member's message that replies to one of the bot's messages (a
 * card, a prompt, a reminder). Returns true when it was for this feature.
 */
export type ReplyRoute = (ctx: MessageContext, repliedTo: TelegramMessage) => Promise<boolean>;

export interface Feature {
  commands?: Record<string, CommandRoute>;
  callbacks?: CallbackRoute[];
  replies?: ReplyRoute[];
}
