/**
 * Table types, kept by hand next to the migrations (Kysely's recommended
 * shape). Column names are camelCase here; `CamelCasePlugin` maps them to
 * the snake_case columns of the migrations.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AnsweredVia, Attachment, InquiryKind, InquiryStatus, Platform } from '../domain/inquiry.js';
import type { Locale } from '../domain/locale.js';
import type { AnswerKind, ReplyChannel, ReplyKind, ReplyVisibility, SolvedAnswer } from '../domain/reply.js';
import type { StaffRole } from '../domain/staff.js';

// The domain owns these; re-exported for modules that still import them from here (new code imports them from domain/).
export type { AnsweredVia, AnswerKind, InquiryKind, InquiryStatus, Locale, Platform, ReplyChannel, ReplyKind, ReplyVisibility, SolvedAnswer, StaffRole };

/** A timestamptz: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz with a database default. */
export type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as the parsed value, written as a JSON string (`JSON.stringify`). */
type Json<T> = ColumnType<T, string, string>;

export type ReplyStatus = 'pending' | 'sent' | 'failed';
export type InboundStatus = 'pending' | 'processed' | 'failed';

export interface SourceTable {
  id: Generated<number>;
  platform: Platform;
  externalId: string;
  name: string;
  /** Name of the environment variable that holds the credential, never the credential. */
  credentialsRef: string | null;
  cursor: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  pausedReason: string | null;
  pausedAt: Timestamp | null;
  /** The platform asked us to slow down: polls wait until then (migration 1010). */
  throttledUntil: Timestamp | null;
  /**
   * The platform blocked the account from posting (Graph 368): replies wait
   * until then, polling goes on; `ardzagank sources resume` ends it earlier
   * (migration 2026_12_03_1010).
   */
  publishingPausedUntil: Timestamp | null;
  /** Why publishing is paused (scrubbed), while `publishingPausedUntil` is set. */
  publishingPausedReason: string | null;
  /** The next free moment for a statement reply on this source (migration 2026_12_16_0900). */
  statementNextAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lastPolledAt: Timestamp | null;
  /** Scrubbed error of the latest failed poll; null after a good one. */
  lastPollError: string | null;
  /** The credential encrypted with SOURCES_SECRET_KEY (`v1:iv:tag:data`, base64), when not read from the environment (migration 2026_12_12_0900). */
  credentialsEncrypted: string | null;
  /** Platform-specific settings of the account (a Telegram channel's id and username); `{}` when none. */
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** When an admin removed the source (`ardzagank sources remove`); null while it is connected. */
  removedAt: Timestamp | null;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
}

export interface StaffTable {
  id: Generated<number>;
  telegramUserId: number;
  name: string;
  username: string | null;
  role: StaffRole;
  language: Generated<Locale>;
  active: Generated<boolean>;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
}

export interface SectorTable {
  code: string;
  position: number;
  nameHy: string;
  nameEn: string;
  nameRu: string;
  keywords: Json<{ hy: string[]; en: string[]; ru: string[] }>;
  active: Generated<boolean>;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
}

export interface InquiryTable {
  id: Generated<number>;
  sourceId: number | null;
  platform: Platform;
  kind: InquiryKind;
  /** Platform id of the first citizen item of this inquiry. */
  externalId: string;
  /** Post id (comments) or conversation id (messages). */
  threadId: string | null;
  /** Parent comment id for replies to comments. */
  parentId: string | null;
  authorId: string | null;
  authorName: string | null;
  /** The whole citizen text, never shortened. */
  text: string;
  permalink: string | null;
  postedAt: Timestamp;
  ingestedAt: TimestampDefault;
  /** Time of the citizen's latest message in this inquiry (Messenger windows). */
  lastCitizenAt: Timestamp;
  status: Generated<InquiryStatus>;
  dismissReason: string | null;
  sectorCode: string | null;
  suggestedSectorCode: string | null;
  claimedBy: number | null;
  claimedAt: Timestamp | null;
  firstResponseAt: Timestamp | null;
  answeredVia: AnsweredVia | null;
  answeredBy: number | null;
  slaDueAt: Timestamp | null;
  lowPriority: Generated<boolean>;
  previousInquiryId: number | null;
  updatedAt: TimestampDefault;
  /** Business-hours first-response time, set by a trigger from `business_calendar` (migration 1210); read-only. */
  frtBusinessMinutes: ColumnType<number | null, never, never>;
  /** What the citizen attached to the first item, kind and link (migration 2026_12_03_1030); `[]` when nothing. */
  attachments: ColumnType<Attachment[], string | undefined, string>;
  /** When the final answer closed it (migration 2026_12_13_0900); null while open or reopened. */
  closedAt: Timestamp | null;
  /** Resolution target (`SLA_RESOLUTION` from `posted_at`), set at ingest. */
  resolutionDueAt: Timestamp | null;
  /** How often a citizen's follow-up or a "not solved" reopened it. */
  reopenCount: Generated<number>;
  /** Business-hours resolution time, set by a trigger from `business_calendar`; read-only. */
  resolutionBusinessMinutes: ColumnType<number | null, never, never>;
  /** When the citizen was asked whether it was solved (ASK_IF_SOLVED); set once, never again. */
  solvedAskedAt: Timestamp | null;
  solvedAnswer: SolvedAnswer | null;
  solvedAnsweredAt: Timestamp | null;
  /**
   * Taken in without its text and author (an Instagram mention: the webhook
   * gives only ids); the `mention.read` job fetches them and clears it
   * (migration 2026_12_20_0900).
   */
  detailsPending: Generated<boolean>;
  /**
   * Why the mention's text could not be read, for good, as `{ code, params }`
   * (`domain/failure-reason.ts`, scrubbed; check it with `readFailureReason`);
   * null otherwise.
   */
  detailsError: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface InquiryMessageTable {
  id: Generated<number>;
  inquiryId: number;
  platform: Platform;
  externalId: string;
  authorId: string | null;
  text: string;
  postedAt: Timestamp;
  createdAt: TimestampDefault;
  /** What the citizen attached to this item (migration 2026_12_03_1030); `[]` when nothing. */
  attachments: ColumnType<Attachment[], string | undefined, string>;
  /** Likes on the platform as the latest poll saw them (migration 2026_12_18_0900); 0 until then. */
  likeCount: Generated<number>;
}

export interface ReplyTable {
  id: Generated<number>;
  inquiryId: number;
  staffId: number | null;
  visibility: ReplyVisibility;
  text: string;
  status: Generated<ReplyStatus>;
  externalId: string | null;
  /** Why it failed, in English (logs, exports; the only reason rows from before 2026_12_17_0900 have). */
  failureReason: string | null;
  /**
   * Why it failed as `{ code, params }` (`domain/failure-reason.ts`), shown in
   * each reader's language (migration 2026_12_17_0900); read as `unknown`:
   * check it with `readFailureReason`, a row may be older or newer than this code.
   */
  failure: ColumnType<unknown, string | null | undefined, string | null>;
  attempts: Generated<number>;
  createdAt: TimestampDefault;
  sentAt: Timestamp | null;
  updatedAt: TimestampDefault;
  /**
   * Set before the reply is sent to the platform, cleared on a clear verdict:
   * while set, whether it was published is unknown (migration 1010). A reply
   * that failed with its outcome unknown keeps it, so a retry looks first.
   */
  inFlightAt: Timestamp | null;
  /** How it was published: `comment_reply`, `private_reply`, `messenger`, `mention_reply`. */
  channel: ReplyChannel | null;
  /**
   * The delivery attempt that owns this pending reply (a random token) and
   * until when; both null when nobody does (migration 2026_12_03_1010).
   */
  leaseToken: string | null;
  leaseExpiresAt: Timestamp | null;
  /** `final` (default), `interim`, `correction`, `solved_question` (migration 2026_12_13_0900). */
  kind: ColumnType<ReplyKind, ReplyKind | undefined, ReplyKind>;
  /** The statement this reply publishes, for a wave's inquiry (migration 2026_12_16_0900). */
  statementId: ColumnType<number | null, number | null | undefined, number | null>;
}

export type WaveStatus = 'suggested' | 'confirmed' | 'merged' | 'closed';
export type StatementKind = 'interim' | 'final';
export type StatementStatus = 'draft' | 'awaiting_approval' | 'published' | 'cancelled';

/** Many inquiries about one thing, with one card that is edited as it grows (migration 2026_12_16_0900). */
export interface WaveTable {
  id: Generated<number>;
  status: Generated<WaveStatus>;
  /** The first question's text, shortened. */
  title: string;
  mergedIntoId: number | null;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
  firstPostedAt: Timestamp;
  /** Goes up with every change the card shows. */
  revision: Generated<number>;
  cardChatId: number | null;
  cardMessageId: number | null;
  /** The revision the card shows. */
  cardRevision: Generated<number>;
  cardEditedAt: Timestamp | null;
  rumourAt: Timestamp | null;
  rumourBy: number | null;
  rebuttalStatementId: number | null;
  /** Supervisors told of this many late questions (multiples of the threshold). */
  rumourAlerts: Generated<number>;
}

export interface WaveMemberTable {
  inquiryId: number;
  waveId: number;
  joinedAt: TimestampDefault;
  /** Staff who put it there; null when suggested. */
  addedBy: number | null;
}

export interface StatementTable {
  id: Generated<number>;
  waveId: number;
  kind: StatementKind;
  text: string;
  staffId: number;
  status: Generated<StatementStatus>;
  createdAt: TimestampDefault;
  approvedBy: number | null;
  publishedAt: Timestamp | null;
  previewChatId: number | null;
  previewMessageId: number | null;
}

export interface EventTable {
  id: Generated<number>;
  occurredAt: TimestampDefault;
  type: string;
  inquiryId: number | null;
  actorStaffId: number | null;
  /** `system`, `staff`, `citizen`, `page` (the page answering natively). */
  actorKind: string;
  payload: Json<Record<string, unknown>>;
}

export interface InboundEventTable {
  id: Generated<number>;
  platform: Platform;
  /** `webhook` or `poll`. */
  origin: string;
  /** Same delivery twice → same key → stored once. */
  dedupKey: string;
  receivedAt: TimestampDefault;
  payload: Json<unknown>;
  status: Generated<InboundStatus>;
  attempts: Generated<number>;
  processedAt: Timestamp | null;
  lastError: string | null;
}

export interface TelegramCardTable {
  inquiryId: number;
  chatId: number;
  /** Null until Telegram has accepted the card. */
  messageId: number | null;
  /** Hash of the last text+buttons sent, to skip edits that change nothing. */
  renderedHash: string | null;
  createdAt: TimestampDefault;
  sentAt: Timestamp | null;
  updatedAt: TimestampDefault;
}

export interface BaselineTable {
  id: Generated<number>;
  periodFrom: string;
  periodTo: string;
  metric: string;
  value: number;
  note: string | null;
  enteredBy: string | null;
  createdAt: TimestampDefault;
}

/** One weekly digest to one chat (migration 1200): claimed before sending, so it goes out once. */
export interface DigestDeliveryTable {
  id: Generated<number>;
  /** ISO week reported on, `2026-W47`. */
  week: string;
  chatId: number;
  status: Generated<'sending' | 'sent' | 'failed'>;
  dueAt: Timestamp;
  late: Generated<boolean>;
  claimToken: string;
  claimedAt: Timestamp;
  attempts: Generated<number>;
  textMessageId: number | null;
  photoMessageId: number | null;
  sentAt: Timestamp | null;
  lastError: string | null;
  createdAt: TimestampDefault;
}

/** Someone who wrote /start to the bot and waits for an admin (migration 1110). */
export interface StaffRequestTable {
  telegramUserId: number;
  name: string;
  username: string | null;
  language: Locale;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: Timestamp;
  decidedBy: number | null;
  decidedAt: Timestamp | null;
}

export type ReplyDraftStatus = 'draft' | 'awaiting_approval' | 'returned' | 'confirmed' | 'cancelled';

/** An answer shown back to its author before publishing; may wait for approval (migration 1110). */
export interface ReplyDraftTable {
  id: Generated<number>;
  inquiryId: number;
  staffId: number;
  text: string;
  visibility: ReplyVisibility | null;
  status: Generated<ReplyDraftStatus>;
  /** The reply created when the draft was confirmed or approved. */
  replyId: number | null;
  reviewerId: number | null;
  reviewComment: string | null;
  /** Where the preview was shown. */
  chatId: number | null;
  previewMessageId: number | null;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
  /** What the answer will do: `final` (default), `interim`, `correction` (migration 2026_12_13_0900). */
  kind: ColumnType<AnswerKind, AnswerKind | undefined, AnswerKind>;
}

/** A force-reply prompt of the bot, so the reply to it is matched (migration 1110). */
export interface TelegramPromptTable {
  chatId: number;
  messageId: number;
  kind: 'answer' | 'send_back';
  inquiryId: number | null;
  draftId: number | null;
  staffId: number;
  createdAt: TimestampDefault;
}

/** A message of the bot other than a card; `key` makes each occasion send once (migration 1110). */
export interface TelegramNoticeTable {
  id: Generated<number>;
  key: string;
  kind: string;
  chatId: number;
  inquiryId: number | null;
  payload: Json<Record<string, unknown>>;
  replyToMessageId: number | null;
  /** Null until Telegram has accepted it. */
  messageId: number | null;
  /** Why it can never be sent (the person blocked the bot…). */
  failure: string | null;
  createdAt: TimestampDefault;
  sentAt: Timestamp | null;
}

/** One local day of the business calendar (migration 1210), built from the configuration. */
export interface BusinessCalendarTable {
  day: string;
  openAt: Timestamp | null;
  lenMinutes: number;
  cumMinutes: number;
}

export interface BusinessCalendarStateTable {
  id: Generated<number>;
  fingerprint: string;
  timezone: string;
  firstDay: string;
  lastDay: string;
  builtAt: TimestampDefault;
}

/** Whether the bot can write into a chat it serves (migration 2026_12_03_1050). */
export interface TelegramChatAccessTable {
  chatId: number;
  status: 'member' | 'removed';
  reason: string | null;
  changedAt: TimestampDefault;
}

/** Work one instance does at a time, held until `expiresAt` (migration 2026_12_10_0900). */
export interface LeaseTable {
  name: string;
  holder: string;
  acquiredAt: Date;
  renewedAt: Date;
  expiresAt: Date;
}

/** Telegram updates already handled, per bot (migration 2026_12_10_0900). */
export interface TelegramUpdateTable {
  botId: number;
  updateId: number;
  handledAt: TimestampDefault;
}

/** A figure of the department's year that is not an inquiry (migration 2026_12_14_0010). */
export interface CounterTable {
  id: Generated<number>;
  code: string;
  section: 'public_relations' | 'information' | 'protocol';
  position: number;
  nameHy: string;
  nameEn: string;
  nameRu: string;
  figure: 'count' | 'amount' | 'both';
  amountHy: string | null;
  amountEn: string | null;
  amountRu: string | null;
  hasNote: Generated<boolean>;
  source: Generated<'logged' | 'published_posts'>;
  active: Generated<boolean>;
  createdAt: TimestampDefault;
}

/** One thing logged on a counter; corrected in place, each change an event (migration 2026_12_14_0010). */
export interface CounterEntryTable {
  id: Generated<number>;
  counterId: number;
  /** Local day, `YYYY-MM-DD`. */
  occurredOn: ColumnType<string, string, string>;
  quantity: Generated<number>;
  /** numeric: read as a string by pg. */
  amount: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  note: string | null;
  staffId: number | null;
  enteredBy: string | null;
  createdAt: TimestampDefault;
  updatedAt: TimestampDefault;
  voidedAt: Date | null;
  voidedByStaffId: number | null;
}

/** What the year's report says of a counter instead of, or beside, its figure (migration 2026_12_14_0010). */
export interface CounterRemarkTable {
  counterId: number;
  year: number;
  text: string;
  staffId: number | null;
  enteredBy: string | null;
  updatedAt: TimestampDefault;
}

/** A force-reply prompt of the bot for a counter's amount, note or remark (migration 2026_12_14_0010). */
export interface CounterPromptTable {
  chatId: number;
  messageId: number;
  kind: 'amount' | 'note' | 'remark';
  counterId: number;
  entryId: number | null;
  occurredOn: ColumnType<string | null, string | null | undefined, string | null>;
  year: number | null;
  staffId: number;
  createdAt: TimestampDefault;
}

/** A post a connected source published, written by its connector from the feed (migration 2026_12_14_0010). */
export interface PublishedPostTable {
  id: Generated<number>;
  sourceId: number | null;
  platform: string;
  externalId: string;
  kind: string | null;
  postedAt: Timestamp;
  recordedAt: TimestampDefault;
}

/** The next free moment of each Telegram group's message pace (migration 2026_12_11_0900). */
export interface TelegramGroupPaceTable {
  chatId: number;
  nextAt: Date;
}

/** A person's latest reactions to a message of a discussion group (see migration 2026_12_21_0900). */
export interface TelegramReactionTable {
  itemExternalId: string;
  /** The user id, or `chat:<id>` for a reaction on behalf of a chat. */
  actor: string;
  reacted: boolean;
  updateId: number;
  changedAt: Date;
}

export interface Database {
  sources: SourceTable;
  staff: StaffTable;
  sectors: SectorTable;
  inquiries: InquiryTable;
  inquiryMessages: InquiryMessageTable;
  replies: ReplyTable;
  events: EventTable;
  inboundEvents: InboundEventTable;
  telegramCards: TelegramCardTable;
  staffRequests: StaffRequestTable;
  replyDrafts: ReplyDraftTable;
  telegramPrompts: TelegramPromptTable;
  telegramNotices: TelegramNoticeTable;
  telegramChatAccess: TelegramChatAccessTable;
  leases: LeaseTable;
  telegramUpdates: TelegramUpdateTable;
  telegramGroupPace: TelegramGroupPaceTable;
  telegramReactions: TelegramReactionTable;
  baselines: BaselineTable;
  digestDeliveries: DigestDeliveryTable;
  businessCalendar: BusinessCalendarTable;
  businessCalendarState: BusinessCalendarStateTable;
  counters: CounterTable;
  counterEntries: CounterEntryTable;
  counterRemarks: CounterRemarkTable;
  counterPrompts: CounterPromptTable;
  publishedPosts: PublishedPostTable;
  waves: WaveTable;
  waveMembers: WaveMemberTable;
  statements: StatementTable;
}

export type WaveRow = Selectable<WaveTable>;
export type StatementRow = Selectable<StatementTable>;

export type InquiryRow = Selectable<InquiryTable>;
export type NewInquiry = Insertable<InquiryTable>;
export type InquiryUpdate = Updateable<InquiryTable>;
export type InboundEventRow = Selectable<InboundEventTable>;
export type EventRow = Selectable<EventTable>;
export type StaffRow = Selectable<StaffTable>;
export type SourceRow = Selectable<SourceTable>;
export type ReplyRow = Selectable<ReplyTable>;
export type SectorRow = Selectable<SectorTable>;
export type TelegramCardRow = Selectable<TelegramCardTable>;
export type StaffRequestRow = Selectable<StaffRequestTable>;
export type ReplyDraftRow = Selectable<ReplyDraftTable>;
export type TelegramPromptRow = Selectable<TelegramPromptTable>;
export type TelegramNoticeRow = Selectable<TelegramNoticeTable>;
export type TelegramChatAccessRow = Selectable<TelegramChatAccessTable>;
export type LeaseRow = Selectable<LeaseTable>;
export type BaselineRow = Selectable<BaselineTable>;
export type DigestDeliveryRow = Selectable<DigestDeliveryTable>;
export type CounterRow = Selectable<CounterTable>;
export type CounterEntryRow = Selectable<CounterEntryTable>;
export type CounterRemarkRow = Selectable<CounterRemarkTable>;
export type CounterPromptRow = Selectable<CounterPromptTable>;
