/**
 * After the final answer (DESIGN.md, Domain: status; issue 18):
 *
 * - **Reopening.** A citizen writing again in the same thread within
 *   `FOLLOW_UP_WINDOW` of the final answer (ingest calls
 *   {@link reopenInquiry}), or answering "no" to "was it solved?", reopens
 *   the inquiry: it is `answered` again (its first response stays), waiting
 *   for a final answer, `closed_at` cleared, `reopen_count` + 1, an event
 *   `reopened`, and a notice to its last handler (the card is refreshed by
 *   the caller).
 * - **Asking whether it was solved** (`ASK_IF_SOLVED=on`), see
 *   `solved-question.workflow.ts`.
 */
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findLastHandler } from '../db/repositories/follow-through.repository.js';
import { updateInquiry } from '../db/repositories/inquiry.repository.js';
import type { InquiryRow } from '../db/schema.js';
import { createNotices } from './staff-notices.workflow.js';

export type ReopenReason = 'follow_up' | 'not_solved';

/**
 * Reopens a closed inquiry (the caller holds its row or its thread's lock);
 * returns the ids of the notices to send after the commit. Does nothing to
 * an inquiry that is not closed.
 */
export async function reopenInquiry(
  trx: Db,
  inquiry: Pick<InquiryRow, 'id' | 'status' | 'closedAt' | 'claimedBy' | 'answeredBy' | 'reopenCount'>,
  why: ReopenReason,
  at: Date,
  payload: Record<string, unknown> = {},
): Promise<number[]> {
  if (inquiry.status !== 'closed') return [];
  const round = inquiry.reopenCount + 1;
  await updateInquiry(trx, inquiry.id, { status: 'answered', closedAt: null, reopenCount: round });
  await insertEvent(trx, {
    type: 'reopened',
    inquiryId: inquiry.id,
    actorKind: 'citizen',
    occurredAt: at,
    payload: { why, round, closedAt: inquiry.closedAt?.toISOString() ?? null, ...payload },
  });
  const handler = await findLastHandler(trx, inquiry);
  if (!handler) return [];
  return createNotices(trx, [{ key: `reopened-${inquiry.id}-${round}`, kind: 'reopened', chatId: handler.telegramUserId, inquiryId: inquiry.id, payload: { why } }]);
}
