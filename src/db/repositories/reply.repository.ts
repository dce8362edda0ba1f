import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, Platform, ReplyChannel, ReplyRow, ReplyTable } from '../schema.js';
import type { FailureReason } from '../../domain/failure-reason.js';

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

/**
 * Takes the lease of pending reply `id` for the attempt `token` until
 * `until`, when nobody holds it or its holder's lease ran out at `now` (the
 * holder died or hung). One conditional UPDATE, so of any number of attempts
 * at once exactly one gets it. Returns the reply as the new owner sees it, or
 * undefined when it is held, no longer pending, or missing.
 */
export async function takeReplyLease(db: Executor, id: number, lease: { token: string; now: Date; until: Date }): Promise<ReplyRow | undefined> {
  return db
    .updateTable('replies')
    .set({ leaseToken: lease.token, leaseExpiresAt: lease.until, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('leaseToken', 'is', null), eb('leaseExpiresAt', '<=', lease.now)]))
    .returningAll()
    .executeTakeFirst();
}

/**
 * The owner of the lease is about to call the platform by `channel`: the
 * reply is in flight since `at` (or since an earlier attempt whose outcome is
 * still unknown) and the lease runs until `until`. False, changing nothing,
 * when the lease is no longer `token`'s (it expired and another attempt took it).
 */
export async function markReplyInFlightUnderLease(
  db: Executor,
  id: number,
  lease: { token: string; at: Date; until: Date; channel: ReplyChannel },
): Promise<boolean> {
  const row = await db
    .updateTable('replies')
    .set({ inFlightAt: sql<Date>`coalesce(in_flight_at, ${lease.at})`, channel: lease.channel, leaseExpiresAt: lease.until, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('leaseToken', '=', lease.token)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The attempt `token` gives the reply up (its outcome is known, or it waits for something else). */
export async function releaseReplyLease(db: Executor, id: number, token: string): Promise<void> {
  await db
    .updateTable('replies')
    .set({ leaseToken: null, leaseExpiresAt: null, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('leaseToken', '=', token)
    .execute();
}

/**
 * Platform ids already recorded on replies other than `replyId` to inquiries
 * of `platform`, sent at or after `sentSince`: a look-up for `replyId` must
 * not take one of them for its own (two identical template answers).
 */
export async function findExternalIdsOfOtherReplies(db: Executor, q: { replyId: number; platform: Platform; sentSince: Date }): Promise<string[]> {
  const rows = await db
    .selectFrom('replies')
    .innerJoin('inquiries', 'inquiries.id', 'replies.inquiryId')
    .select('replies.externalId')
    .where('inquiries.platform', '=', q.platform)
    .where('replies.id', '<>', q.replyId)
    .where('replies.externalId', 'is not', null)
    .where('replies.sentAt', '>=', q.sentSince)
    .execute();
  return rows.flatMap((r) => (r.externalId === null ? [] : [r.externalId]));
}

/**
 * Serialises, until the transaction ends, the recording of platform id
 * `externalId` (two look-ups of different replies may find the same item),
 * and returns the reply other than `replyId` that already has it, if any.
 */
export async function lockExternalIdOfReply(trx: Transaction<Database>, externalId: string, replyId: number): Promise<number | undefined> {
  await sql`select pg_advisory_xact_lock(hashtext(${`reply-external-id:${externalId}`}))`.execute(trx);
  const row = await trx.selectFrom('replies').select('id').where('externalId', '=', externalId).where('id', '<>', replyId).executeTakeFirst();
  return row?.id;
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
      failure: null,
      attempts: sent.attempts,
      leaseToken: null,
      leaseExpiresAt: null,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * A pending reply will not be published: `failed` with `reason` (English)
 * and `failure` (its code and parameters);
 * `countAttempt` when this attempt reached the platform. `outcome: 'unknown'`
 * keeps `in_flight_at` (an attempt may have published it, so a retry looks
 * first); `'not_published'` clears it. The lease is released. Returns its id
 * and inquiry when this call failed it, undefined when it was no longer pending.
 */
export async function markReplyFailed(
  db: Executor,
  id: number,
  failure: { reason: string; failure: FailureReason; countAttempt: boolean; outcome: 'not_published' | 'unknown' },
): Promise<Pick<ReplyRow, 'id' | 'inquiryId'> | undefined> {
  return db
    .updateTable('replies')
    .set({
      status: 'failed',
      failureReason: failure.reason,
      failure: JSON.stringify(failure.failure),
      inFlightAt: failure.outcome === 'unknown' ? sql<Date | null>`in_flight_at` : null,
      attempts: failure.countAttempt ? sql<number>`attempts + 1` : sql<number>`attempts`,
      leaseToken: null,
      leaseExpiresAt: null,
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

/** Whether a private reply to the inquiry was sent (a comment has one private reply). */
export async function hasSentPrivateReply(db: Executor, inquiryId: number): Promise<boolean> {
  const row = await db.selectFrom('replies').select('id').where('inquiryId', '=', inquiryId).where('visibility', '=', 'private').where('status', '=', 'sent').limit(1).executeTakeFirst();
  return row !== undefined;
}
