import { sql, type Kysely, type Transaction } from 'kysely';
import { isOpen } from '../../domain/inquiry.js';
import type { Database, InquiryRow } from '../schema.js';

type Executor = Kysely<Database>;

/**
 * Serialises the making of low-priority summaries across instances, until
 * this transaction ends (so no inquiry lands in two summaries).
 */
export async function lockLowPrioritySummaries(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('ardzagank:low-priority-summary', 0))`.execute(trx);
}

/**
 * Open low-priority inquiries not yet put in a summary (no `summarized`
 * event) and without a card of their own (a mention whose text, read after
 * its card was sent, is only thanks: its card says so), oldest first.
 */
export async function findUnsummarisedLowPriorityIds(db: Executor, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('inquiries')
    .select('id')
    .where('lowPriority', '=', true)
    .where('status', 'in', ['new', 'claimed'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('events')
            .select('events.id')
            .whereRef('events.inquiryId', '=', 'inquiries.id')
            .where('events.type', '=', 'summarized'),
        ),
      ),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('telegramCards').select('telegramCards.inquiryId').whereRef('telegramCards.inquiryId', '=', 'inquiries.id').where('telegramCards.messageId', 'is not', null))),
    )
    .orderBy('postedAt')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The inquiries among `ids` that are still open, by id. */
export async function findOpenInquiriesAmong(db: Executor, ids: number[]): Promise<InquiryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('inquiries').selectAll().where('id', 'in', ids).where('status', 'in', ['new', 'claimed']).orderBy('id').execute();
}

/** An item of a low-priority summary, as it is now: still waiting, made a card, or closed. */
export interface SummaryItem {
  id: number;
  authorName: string | null;
  text: string;
  state: 'waiting' | 'card' | 'closed';
}

/** The items of a low-priority summary, as they are now, by id. */
export async function findSummaryItems(db: Executor, ids: number[]): Promise<SummaryItem[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('inquiries').select(['id', 'authorName', 'text', 'status', 'lowPriority']).where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, authorName: r.authorName, text: r.text, state: !isOpen(r.status) ? 'closed' : r.lowPriority ? 'waiting' : 'card' }));
}
