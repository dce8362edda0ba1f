import type { Kysely } from 'kysely';
import type { Database, InquiryRow } from '../schema.js';

type Executor = Kysely<Database>;

/** One line of a staff list (`/queue`, `/mine`, `/find`). */
export type InquiryListItem = Pick<InquiryRow, 'id' | 'status' | 'postedAt' | 'authorName' | 'text' | 'claimedBy'> & {
  claimantName: string | null;
  /** Who answered it, for an inquiry waiting for its final answer. */
  answererName: string | null;
};

/** The first `limit` items of a list and how many the list holds in all. */
export interface InquiryListPage {
  items: InquiryListItem[];
  total: number;
}

function listQuery(db: Executor) {
  return db
    .selectFrom('inquiries')
    .leftJoin('staff', 'staff.id', 'inquiries.claimedBy')
    .leftJoin('staff as answerer', 'answerer.id', 'inquiries.answeredBy')
    .select([
      'inquiries.id',
      'inquiries.status',
      'inquiries.postedAt',
      'inquiries.authorName',
      'inquiries.text',
      'inquiries.claimedBy',
      'staff.name as claimantName',
      'answerer.name as answererName',
    ]);
}

type ListQuery = ReturnType<typeof listQuery>;

/** Runs a list query with its order and limit, and counts its matches (only when the page is not empty). */
async function pageOf(filtered: ListQuery, ordered: ListQuery, limit: number): Promise<InquiryListPage> {
  const items = await ordered.limit(limit).execute();
  if (items.length === 0) return { items, total: 0 };
  const row = await filtered.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return { items, total: Number(row.total) };
}

/** Open inquiries that have a card, oldest first. */
export async function findQueuePage(db: Executor, limit: number): Promise<InquiryListPage> {
  const base = listQuery(db).where('inquiries.status', 'in', ['new', 'claimed']).where('inquiries.lowPriority', '=', false);
  return pageOf(base, base.orderBy('inquiries.postedAt').orderBy('inquiries.id'), limit);
}

/** Inquiries a staff member has claimed, oldest first. */
export async function findClaimedPage(db: Executor, staffId: number, limit: number): Promise<InquiryListPage> {
  const base = listQuery(db).where('inquiries.status', '=', 'claimed').where('inquiries.claimedBy', '=', staffId);
  return pageOf(base, base.orderBy('inquiries.postedAt').orderBy('inquiries.id'), limit);
}

/**
 * Inquiries answered with an interim answer and still open for the final one
 * (status `answered`; a final answer closes them), oldest first; with
 * `staffId`, only those that staff member claimed or answered.
 */
export async function findAwaitingFinalPage(db: Executor, limit: number, staffId?: number): Promise<InquiryListPage> {
  let base = listQuery(db).where('inquiries.status', '=', 'answered').where('inquiries.lowPriority', '=', false);
  if (staffId !== undefined) base = base.where((eb) => eb.or([eb('inquiries.claimedBy', '=', staffId), eb('inquiries.answeredBy', '=', staffId)]));
  return pageOf(base, base.orderBy('inquiries.postedAt').orderBy('inquiries.id'), limit);
}

/**
 * Inquiries whose text, author name or any citizen message contains `text`
 * (any case), or whose id it is (`123`, `#123`), newest first.
 */
export async function findMatchingPage(db: Executor, text: string, limit: number): Promise<InquiryListPage> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matching = listQuery(db).where((eb) =>
    eb.or([
      eb('inquiries.text', 'ilike', pattern),
      eb('inquiries.authorName', 'ilike', pattern),
      eb.exists(eb.selectFrom('inquiryMessages').select('inquiryMessages.id').whereRef('inquiryMessages.inquiryId', '=', 'inquiries.id').where('inquiryMessages.text', 'ilike', pattern)),
      ...(/^#?\d+$/.test(text) ? [eb('inquiries.id', '=', Number(text.replace('#', '')))] : []),
    ]),
  );
  return pageOf(matching, matching.orderBy('inquiries.postedAt', 'desc').orderBy('inquiries.id', 'desc'), limit);
}
