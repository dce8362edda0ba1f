/**
 * Queries of the follow-through (issue 18): who handled an inquiry last,
 * inquiries past their resolution target, and inquiries whose citizen is
 * to be asked whether it was solved.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, InquiryRow, StaffRow } from '../schema.js';

type Executor = Kysely<Database>;

/**
 * The staff member who handled an inquiry last: the author of its latest
 * published staff reply, else its claimant, else whoever answered it first.
 */
export async function findLastHandler(db: Executor, inquiry: Pick<InquiryRow, 'id' | 'claimedBy' | 'answeredBy'>): Promise<StaffRow | undefined> {
  const latest = await db
    .selectFrom('replies')
    .select('staffId')
    .where('inquiryId', '=', inquiry.id)
    .where('status', '=', 'sent')
    .where('staffId', 'is not', null)
    .orderBy('sentAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const id = latest?.staffId ?? inquiry.claimedBy ?? inquiry.answeredBy;
  if (id === null || id === undefined) return undefined;
  return db.selectFrom('staff').selectAll().where('id', '=', id).where('active', '=', true).executeTakeFirst();
}

/**
 * Inquiries past their resolution target (`resolution_due_at <= now`) with
 * no final answer, not low-priority, whose current round (`reopen_count`)
 * has had no `resolution_overdue` event yet.
 */
export async function findResolutionOverdue(db: Executor, now: Date, limit: number): Promise<InquiryRow[]> {
  return db
    .selectFrom('inquiries as i')
    .selectAll('i')
    .where('i.status', 'in', ['new', 'claimed', 'answered'])
    .where('i.closedAt', 'is', null)
    .where('i.lowPriority', '=', false)
    .where('i.resolutionDueAt', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('events as e')
            .select('e.id')
            .whereRef('e.inquiryId', '=', 'i.id')
            .where('e.type', '=', 'resolution_overdue')
            .where(sql<boolean>`(e.payload->>'round')::int = i.reopen_count`),
        ),
      ),
    )
    .orderBy('i.id')
    .limit(limit)
    .execute();
}

/** Closed inquiries whose citizen was never asked whether it was solved, closed at or before `closedBefore`. */
export async function findToAskIfSolved(db: Executor, closedBefore: Date, limit: number): Promise<InquiryRow[]> {
  return db
    .selectFrom('inquiries')
    .selectAll()
    .where('status', '=', 'closed')
    .where('solvedAskedAt', 'is', null)
    .where('closedAt', 'is not', null)
    .where('closedAt', '<=', closedBefore)
    .where('lowPriority', '=', false)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('events as e').select('e.id').whereRef('e.inquiryId', '=', 'inquiries.id').where('e.type', 'in', ['solved_not_asked', 'solved_question_created']))),
    )
    .orderBy('closedAt')
    .limit(limit)
    .execute();
}

/** Inquiries asked whether it was solved at or before `askedBefore` with no answer recorded. */
export async function findSolvedUnanswered(db: Executor, askedBefore: Date, limit: number): Promise<InquiryRow[]> {
  return db
    .selectFrom('inquiries')
    .selectAll()
    .where('solvedAskedAt', '<=', askedBefore)
    .where('solvedAnswer', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}
