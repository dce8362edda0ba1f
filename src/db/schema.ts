/**
 * Table types, kept by hand next to the migrations (Kysely's recommended
 * shape). Column names are camelCase here; `CamelCasePlugin` maps them to
 * the snake_case columns of the migrations.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz with a database default. */
export type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: read as the parsed value, written as a JSON string (`JSON.stringify`). */
type Json<T> = ColumnType<T, string, string>;

export type Platform = 'facebook' | 'instagram' | 'telegram';
export type InquiryKind = 'comment' | 'message' | 'mention';
export type InquiryStatus = 'new' | 'claimed' | 'answered' | 'dismissed' | 'closed';
export type AnsweredVia = 'telegram' | 'native';
export type StaffRole = 'agent' | 'supervisor' | 'head' | 'admin';
export type Locale = 'hy' | 'en' | 'ru';
export type ReplyStatus = 'pending' | 'sent' | 'failed';
export type ReplyVisibility = 'public' | 'private';
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
}

export interface ReplyTable {
  id: Generated<number>;
  inquiryId: number;
  staffId: number | null;
  visibility: ReplyVisibility;
  text: string;
  status: Generated<ReplyStatus>;
  externalId: string | null;
  failureReason: string | null;
  attempts: Generated<number>;
  createdAt: TimestampDefault;
  sentAt: Timestamp | null;
  updatedAt: TimestampDefault;
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
  baselines: BaselineTable;
}

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
export type BaselineRow = Selectable<BaselineTable>;
