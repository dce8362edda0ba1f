/**
 * Messages the bot sends to people besides cards (reminders, escalations,
 * results of answers, approvals, access requests, admin alerts, low-priority
 * summaries) and its force-reply prompts. A notice is stored before it is
 * sent, under a key naming the occasion (`remind-unclaimed-12`), so each
 * occasion is sent once and a lost job is found again in Postgres.
 */
import type { Db } from '../db/create-db.js';
import { insertNotices } from '../db/repositories/telegram-notice.repository.js';

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
  | 'lowpriority.summary'
  | 'rumour.alert'
  /** Follow-through (issue 18): payload `{ targetMinutes, handlerName }`. */
  | 'resolution.overdue'
  /** Payload `{ why: 'follow_up' | 'not_solved' }`. */
  | 'reopened'
  /** Payload `{ solved: boolean }`. */
  | 'solved.answer';

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
  return insertNotices(db, notices);
}

// Plain queries, kept under the names the bot's features and workflows import.
export {
  findNoticeById as findNotice,
  findNoticeByMessage,
  findUnsentNoticeIds,
} from '../db/repositories/telegram-notice.repository.js';
export { insertPrompt as recordPrompt, findPrompt } from '../db/repositories/telegram-prompt.repository.js';

/** Payload fields read back from a stored notice. */
export function payloadNumber(payload: Record<string, unknown>, key: string): number | undefined {
  const v = payload[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function payloadString(payload: Record<string, unknown>, key: string): string | undefined {
  const v = payload[key];
  return typeof v === 'string' ? v : undefined;
}
