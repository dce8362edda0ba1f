import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Database, InquiryRow, InquiryUpdate, NewInquiry, Platform } from '../schema.js';

type Executor = Kysely<Database>;

export async function findInquiryById(db: Executor, id: number): Promise<InquiryRow | undefined> {
  return db.selectFrom('inquiries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getInquiryById(db: Executor, id: number): Promise<InquiryRow> {
  const row = await findInquiryById(db, id);
  if (!row) throw new NotFoundError('inquiry', id);
  return row;
}

/** Locks the inquiry for this transaction (claims, answers, edits). */
export async function lockInquiry(trx: Executor, id: number): Promise<InquiryRow | undefined> {
  return trx.selectFrom('inquiries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertInquiry(db: Executor, inquiry: NewInquiry): Promise<InquiryRow> {
  return db.insertInto('inquiries').values(inquiry).returningAll().executeTakeFirstOrThrow();
}

export async function updateInquiry(db: Executor, id: number, changes: InquiryUpdate): Promise<InquiryRow> {
  return db
    .updateTable('inquiries')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The inquiry a citizen item (comment or message) belongs to, by the item's platform id. */
export async function findInquiryByItemExternalId(db: Executor, platform: Platform, externalId: string): Promise<InquiryRow | undefined> {
  return db
    .selectFrom('inquiries')
    .selectAll('inquiries')
    .innerJoin('inquiryMessages', 'inquiryMessages.inquiryId', 'inquiries.id')
    .where('inquiryMessages.platform', '=', platform)
    .where('inquiryMessages.externalId', '=', externalId)
    .executeTakeFirst();
}

/** The latest inquiry of one citizen in one thread (post or conversation). */
export async function findLatestInquiryInThread(
  db: Executor,
  platform: Platform,
  threadId: string,
  authorId: string,
): Promise<InquiryRow | undefined> {
  return db
    .selectFrom('inquiries')
    .selectAll()
    .where('platform', '=', platform)
    .where('threadId', '=', threadId)
    .where('authorId', '=', authorId)
    .orderBy('postedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The open inquiry of a citizen in a thread, for native answers by message. */
export async function findOpenInquiryInThread(db: Executor, platform: Platform, threadId: string, authorId: string | null) {
  let q = db
    .selectFrom('inquiries')
    .selectAll()
    .where('platform', '=', platform)
    .where('threadId', '=', threadId)
    .where('status', 'in', ['new', 'claimed']);
  if (authorId) q = q.where('authorId', '=', authorId);
  return q.orderBy('postedAt', 'asc').limit(1).executeTakeFirst();
}

/**
 * Records one citizen item; returns false when it was already stored
 * (the same comment seen by webhook and by poll).
 */
export async function insertInquiryMessage(
  db: Executor,
  message: { inquiryId: number; platform: Platform; externalId: string; authorId: string | null; text: string; postedAt: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('inquiryMessages')
    .values(message)
    .onConflict((oc) => oc.columns(['platform', 'externalId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function isItemKnown(db: Executor, platform: Platform, externalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('inquiryMessages')
    .select('id')
    .where('platform', '=', platform)
    .where('externalId', '=', externalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Open inquiries whose card Telegram has not accepted yet (for the reconciler). */
export async function findInquiryIdsWithoutCard(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db
    .selectFrom('inquiries')
    .leftJoin('telegramCards', 'telegramCards.inquiryId', 'inquiries.id')
    .select('inquiries.id')
    .where('inquiries.status', 'in', ['new', 'claimed'])
    .where('inquiries.lowPriority', '=', false)
    .where('inquiries.id', '>', afterId)
    .where((eb) => eb.or([eb('telegramCards.inquiryId', 'is', null), eb('telegramCards.messageId', 'is', null)]))
    .orderBy('inquiries.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function countInquiriesByStatus(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('inquiries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}

/** Every citizen message of an inquiry, oldest first. */
export async function findInquiryMessages(db: Executor, inquiryId: number): Promise<Array<{ text: string; postedAt: Date }>> {
  return db.selectFrom('inquiryMessages').select(['text', 'postedAt']).where('inquiryId', '=', inquiryId).orderBy('postedAt').orderBy('id').execute();
}
