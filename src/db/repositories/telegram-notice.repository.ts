import type { Kysely, Transaction } from 'kysely';
import type { Database, ReplyStatus, TelegramNoticeRow } from '../schema.js';

type Executor = Kysely<Database>;

/** A notice to store; `key` names its occasion, so each occasion is stored once. */
export interface NewNoticeRow {
  key: string;
  kind: string;
  chatId: number;
  inquiryId?: number | null;
  payload?: Record<string, unknown>;
  replyToMessageId?: number | null;
}

/** Stores notices, skipping keys already stored; returns the ids of the new ones. */
export async function insertNotices(db: Executor, notices: NewNoticeRow[]): Promise<number[]> {
  if (notices.length === 0) return [];
  const rows = await db
    .insertInto('telegramNotices')
    .values(
      notices.map((n) => ({
        key: n.key,
        kind: n.kind,
        chatId: n.chatId,
        inquiryId: n.inquiryId ?? null,
        payload: JSON.stringify(n.payload ?? {}),
        replyToMessageId: n.replyToMessageId ?? null,
      })),
    )
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Locks a notice for this transaction, while it is sent. */
export async function lockNotice(trx: Transaction<Database>, id: number): Promise<TelegramNoticeRow | undefined> {
  return trx.selectFrom('telegramNotices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findNoticeById(db: Executor, id: number): Promise<TelegramNoticeRow | undefined> {
  return db.selectFrom('telegramNotices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findNoticeByMessage(db: Executor, chatId: number, messageId: number): Promise<TelegramNoticeRow | undefined> {
  return db.selectFrom('telegramNotices').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

/** Notices still unsent a while after they were stored (their job was lost), oldest first. */
export async function findUnsentNoticeIds(db: Executor, storedBefore: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('telegramNotices')
    .select('id')
    .where('messageId', 'is', null)
    .where('failure', 'is', null)
    .where('createdAt', '<', storedBefore)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The message Telegram accepted as the notice. */
export async function updateNoticeSent(db: Executor, id: number, messageId: number, at: Date): Promise<void> {
  await db.updateTable('telegramNotices').set({ messageId, sentAt: at }).where('id', '=', id).execute();
}

/** Why the notice can never be sent (the person blocked the bot…). */
export async function updateNoticeFailed(db: Executor, id: number, failure: string): Promise<void> {
  await db.updateTable('telegramNotices').set({ failure }).where('id', '=', id).execute();
}

/** How a reply ended and whom to tell: its author's Telegram id (null when the author is gone or unknown). */
export interface ReplyResultRecipient {
  replyId: number;
  inquiryId: number;
  status: ReplyStatus;
  /** Why it failed, in English (`replies.failure_reason`). */
  failureReason: string | null;
  /** Why it failed as a code and parameters (`replies.failure`; unchecked, null on older rows). */
  failure: unknown;
  authorTelegramUserId: number | null;
}

/** The reply and its author's Telegram id, for the `reply.result` notice. */
export async function findReplyResultRecipient(db: Executor, replyId: number): Promise<ReplyResultRecipient | undefined> {
  const row = await db
    .selectFrom('replies')
    .leftJoin('staff', 'staff.id', 'replies.staffId')
    .select(['replies.id', 'replies.inquiryId', 'replies.status', 'replies.failureReason', 'replies.failure', 'staff.telegramUserId'])
    .where('replies.id', '=', replyId)
    .executeTakeFirst();
  return (
    row && {
      replyId: row.id,
      inquiryId: row.inquiryId,
      status: row.status,
      failureReason: row.failureReason,
      failure: row.failure ?? null,
      authorTelegramUserId: row.telegramUserId,
    }
  );
}
