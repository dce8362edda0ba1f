/**
 * Messages the bot sends to people besides cards (reminders, escalations,
 * results of answers, approvals, access requests, admin alerts, low-priority
 * summaries) and its force-reply prompts. A notice is stored before it is
 * sent, under a key naming the occasion (`remind-unclaimed-12`), so each
 * occasion is sent once and a lost job is found again in Postgres.
 */
import type { Db } from '../db/create-db.js';
import type { TelegramNoticeRow, TelegramPromptRow } from '../db/schema.js';

/** Every kind of notice; the payload of each is documented where it is created. */
export type NoticeKind =
  | 'reminder.unclaimed'
  | 'reminder.claimed'
  | 'sla.escalation'
  | 'reply.result'
  | 'admin.alert'
  | 'access.request'
  | 'access.result'
  | 'approval.request'
  | 'approval.result'
  | 'reassigned'
  | 'lowpriority.summary';

export interface NewNotice {
  /** Unique name of the occasion; a second notice with the same key is not stored. */
  key: string;
  kind: NoticeKind;
  chatId: number;
  inquiryId?: number | null;
  payload?: Record<string, unknown>;
  replyToMessageId?: number | null;
}

/** Stores notices; returns the ids of the ones that were new (to enqueue `notice.send`). */
export async function createNotices(db: Db, notices: NewNotice[]): Promise<number[]> {
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

export async function lockNotice(trx: Db, id: number): Promise<TelegramNoticeRow | undefined> {
  return trx.selectFrom('telegramNotices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function recordNoticeSent(trx: Db, id: number, messageId: number, at: Date): Promise<void> {
  await trx.updateTable('telegramNotices').set({ messageId, sentAt: at }).where('id', '=', id).execute();
}

/** The notice can never be sent (the person blocked the bot…): it is not retried. */
export async function recordNoticeFailed(db: Db, id: number, failure: string): Promise<void> {
  await db.updateTable('telegramNotices').set({ failure }).where('id', '=', id).execute();
}

export async function findNotice(db: Db, id: number): Promise<TelegramNoticeRow | undefined> {
  return db.selectFrom('telegramNotices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findNoticeByMessage(db: Db, chatId: number, messageId: number): Promise<TelegramNoticeRow | undefined> {
  return db.selectFrom('telegramNotices').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

/** Notices still unsent a while after they were stored (their job was lost), oldest first. */
export async function findUnsentNoticeIds(db: Db, storedBefore: Date, limit: number): Promise<number[]> {
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

/** Remembers a force-reply prompt, so the reply to it is matched to what it asks for. */
export async function recordPrompt(
  db: Db,
  prompt: { chatId: number; messageId: number; kind: TelegramPromptRow['kind']; inquiryId?: number | null; draftId?: number | null; staffId: number },
): Promise<void> {
  await db
    .insertInto('telegramPrompts')
    .values({ chatId: prompt.chatId, messageId: prompt.messageId, kind: prompt.kind, inquiryId: prompt.inquiryId ?? null, draftId: prompt.draftId ?? null, staffId: prompt.staffId })
    .onConflict((oc) => oc.columns(['chatId', 'messageId']).doNothing())
    .execute();
}

export async function findPrompt(db: Db, chatId: number, messageId: number): Promise<TelegramPromptRow | undefined> {
  return db.selectFrom('telegramPrompts').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

/** Payload fields read back from a stored notice. */
export function payloadNumber(payload: Record<string, unknown>, key: string): number | undefined {
  const v = payload[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function payloadString(payload: Record<string, unknown>, key: string): string | undefined {
  const v = payload[key];
  return typeof v === 'string' ? v : undefined;
}
