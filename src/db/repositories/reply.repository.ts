import type { Insertable, Kysely } from 'kysely';
import type { Database, Platform, ReplyRow, ReplyTable } from '../schema.js';

type Executor = Kysely<Database>;

/** Replies still to publish (for the reconciler). */
export async function findPendingReplyIds(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db
    .selectFrom('replies')
    .select('id')
    .where('status', '=', 'pending')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function findReplyById(db: Executor, id: number): Promise<ReplyRow | undefined> {
  return db.selectFrom('replies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertReply(db: Executor, reply: Insertable<ReplyTable>): Promise<ReplyRow> {
  return db.insertInto('replies').values(reply).returningAll().executeTakeFirstOrThrow();
}

/** The newest reply of an inquiry after `afterId` that is on its way or sent (a retry already made). */
export async function findLiveReplyAfter(db: Executor, inquiryId: number, afterId: number): Promise<ReplyRow | undefined> {
  return db
    .selectFrom('replies')
    .selectAll()
    .where('inquiryId', '=', inquiryId)
    .where('id', '>', afterId)
    .where('status', 'in', ['pending', 'sent'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest reply to an inquiry, whatever its state. */
export async function findLatestReplyOfInquiry(db: Executor, inquiryId: number): Promise<ReplyRow | undefined> {
  return db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * Pending replies to inquiries of one source (or of its platform with no
 * source recorded), oldest first: the ones a paused source held back.
 */
export async function findPendingReplyIdsOfSource(db: Executor, source: { id: number; platform: Platform }): Promise<number[]> {
  const rows = await db
    .selectFrom('replies')
    .innerJoin('inquiries', 'inquiries.id', 'replies.inquiryId')
    .select('replies.id')
    .where('replies.status', '=', 'pending')
    .where('inquiries.platform', '=', source.platform)
    .where((eb) => eb.or([eb('inquiries.sourceId', '=', source.id), eb('inquiries.sourceId', 'is', null)]))
    .orderBy('replies.id')
    .execute();
  return rows.map((r) => r.id);
}
