import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, Platform, ReplyChannel, ReplyRow, ReplyTable } from '../schema.js';

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

/** Locks the reply for this transaction (recording its outcome). */
export async function lockReply(trx: Transaction<Database>, id: number): Promise<ReplyRow | undefined> {
  return trx.selectFrom('replies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The id of the reply published with this platform id, if it is one of ours. */
export async function findReplyIdByExternalId(db: Executor, externalId: string): Promise<number | undefined> {
  const row = await db.selectFrom('replies').select('id').where('externalId', '=', externalId).executeTakeFirst();
  return row?.id;
}

/**
 * A pending reply being published now (`in_flight_at` set) whose text,
 * trimmed, is `trimmedText`: a page answer with that text is our own reply
 * coming back before its external id was recorded.
 */
export async function findInFlightReplyIdWithText(db: Executor, trimmedText: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('replies')
    .select('id')
    .where('status', '=', 'pending')
    .where('inFlightAt', 'is not', null)
    .where(sql<string>`btrim(text)`, '=', trimmedText)
    .executeTakeFirst();
  return row?.id;
}

/** A pending reply is about to go to the platform by `channel`: in flight since `at`, or since an earlier attempt that set it. */
export async function markReplyInFlight(db: Executor, id: number, at: Date, channel: ReplyChannel): Promise<void> {
  await db
    .updateTable('replies')
    .set({ inFlightAt: sql<Date>`coalesce(in_flight_at, ${at})`, channel, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** The platform clearly did not publish a pending reply: its outcome is known again. */
export async function clearReplyInFlight(db: Executor, id: number): Promise<void> {
  await db.updateTable('replies').set({ inFlightAt: null, updatedAt: sql<Date>`now()` }).where('id', '=', id).where('status', '=', 'pending').execute();
}

/** How many attempts of a pending reply reached the platform (a transient failure). */
export async function updatePendingReplyAttempts(db: Executor, id: number, attempts: number): Promise<void> {
  await db.updateTable('replies').set({ attempts, updatedAt: sql<Date>`now()` }).where('id', '=', id).where('status', '=', 'pending').execute();
}

/** The reply is published (the caller holds its lock and saw it pending). */
export async function markReplySent(
  trx: Executor,
  id: number,
  sent: { externalId: string; sentAt: Date; channel: ReplyChannel; attempts: number },
): Promise<void> {
  await trx
    .updateTable('replies')
    .set({
      status: 'sent',
      externalId: sent.externalId,
      sentAt: sent.sentAt,
      inFlightAt: null,
      channel: sent.channel,
      failureReason: null,
      attempts: sent.attempts,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A pending reply will not be published: `failed` with `reason`;
 * `countAttempt` when this attempt reached the platform. Returns its id and
 * inquiry when this call failed it, undefined when it was no longer pending.
 */
export async function markReplyFailed(
  db: Executor,
  id: number,
  reason: string,
  countAttempt: boolean,
): Promise<Pick<ReplyRow, 'id' | 'inquiryId'> | undefined> {
  return db
    .updateTable('replies')
    .set({
      status: 'failed',
      failureReason: reason,
      inFlightAt: null,
      attempts: countAttempt ? sql<number>`attempts + 1` : sql<number>`attempts`,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id', 'inquiryId'])
    .executeTakeFirst();
}

/**
 * The reply of an inquiry on its way (pending), if any: there is at most one
 * (a partial unique index on `replies (inquiry_id) where status = 'pending'`).
 */
export async function findPendingReplyOfInquiry(db: Executor, inquiryId: number): Promise<ReplyRow | undefined> {
  return db.selectFrom('replies').selectAll().where('inquiryId', '=', inquiryId).where('status', '=', 'pending').orderBy('id').limit(1).executeTakeFirst();
}
