import { sql, type Kysely, type Transaction } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Database, InquiryRow, InquiryUpdate, NewInquiry, Platform } from '../schema.js';
import { bulkInsert, column } from './bulk-insert.js';

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
export async function lockInquiry(trx: Transaction<Database>, id: number): Promise<InquiryRow | undefined> {
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

/**
 * The open inquiry of a citizen in a thread, for native answers by message:
 * the oldest without an answer, else the oldest awaiting its final answer
 * (after an interim one, or reopened).
 */
export async function findOpenInquiryInThread(db: Executor, platform: Platform, threadId: string, authorId: string | null) {
  let q = db
    .selectFrom('inquiries')
    .selectAll()
    .where('platform', '=', platform)
    .where('threadId', '=', threadId)
    .where('status', 'in', ['new', 'claimed', 'answered']);
  if (authorId) q = q.where('authorId', '=', authorId);
  return q
    .orderBy(sql`status = 'answered'`)
    .orderBy('postedAt', 'asc')
    .limit(1)
    .executeTakeFirst();
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

/** Open inquiries whose card Telegram has not accepted yet (for the reconciler); a wave's members are on its card. */
export async function findInquiryIdsWithoutCard(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db
    .selectFrom('inquiries')
    .leftJoin('telegramCards', 'telegramCards.inquiryId', 'inquiries.id')
    .select('inquiries.id')
    .where('inquiries.status', 'in', ['new', 'claimed'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('waveMembers').select('waveMembers.inquiryId').whereRef('waveMembers.inquiryId', '=', 'inquiries.id'))))
    .where('inquiries.lowPriority', '=', false)
    .where('inquiries.id', '>', afterId)
    .where((eb) => eb.or([eb('telegramCards.inquiryId', 'is', null), eb('telegramCards.messageId', 'is', null)]))
    .orderBy('inquiries.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Rows by status: inquiries, and low-priority items (thanks, emoji, a tag) apart as reactions. */
export async function countInquiriesByStatus(db: Executor): Promise<{ inquiries: Record<string, number>; reactions: Record<string, number> }> {
  const rows = await db
    .selectFrom('inquiries')
    .select(['status', 'lowPriority', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['status', 'lowPriority'])
    .execute();
  const out = { inquiries: {} as Record<string, number>, reactions: {} as Record<string, number> };
  for (const r of rows) out[r.lowPriority ? 'reactions' : 'inquiries'][r.status] = Number(r.count);
  return out;
}

/** Every citizen message of an inquiry, oldest first. */
export async function findInquiryMessages(db: Executor, inquiryId: number): Promise<Array<{ text: string; postedAt: Date }>> {
  return db.selectFrom('inquiryMessages').select(['text', 'postedAt']).where('inquiryId', '=', inquiryId).orderBy('postedAt').orderBy('id').execute();
}

/**
 * Changes an inquiry only while it is `new`: one conditional UPDATE, so of
 * any number of simultaneous claims exactly one gets the row back.
 */
export async function updateInquiryIfNew(db: Executor, id: number, changes: InquiryUpdate): Promise<InquiryRow | undefined> {
  return db
    .updateTable('inquiries')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .returningAll()
    .executeTakeFirst();
}

/** Stores many inquiries at once; ones already stored (same platform and external id) are left as they are and not returned. */
export async function insertInquiriesIfNew(
  db: Executor,
  inquiries: NewInquiry[],
): Promise<Array<Pick<InquiryRow, 'id' | 'platform' | 'externalId' | 'postedAt' | 'firstResponseAt' | 'answeredVia' | 'answeredBy' | 'status'>>> {
  if (inquiries.length === 0) return [];
  return db
    .insertInto('inquiries')
    .values(inquiries)
    .onConflict((oc) => oc.columns(['platform', 'externalId']).doNothing())
    .returning(['id', 'platform', 'externalId', 'postedAt', 'firstResponseAt', 'answeredVia', 'answeredBy', 'status'])
    .execute();
}

/**
 * New inquiries whose card was sent before `sentBefore` and that have no
 * notice keyed `remind-unclaimed-<id>` yet, oldest first.
 */
export async function findUnclaimedToRemind(
  db: Executor,
  sentBefore: Date,
  limit: number,
): Promise<Array<{ id: number; chatId: number; messageId: number | null; sentAt: Date | null }>> {
  return db
    .selectFrom('inquiries')
    .innerJoin('telegramCards', 'telegramCards.inquiryId', 'inquiries.id')
    .select(['inquiries.id', 'telegramCards.chatId', 'telegramCards.messageId', 'telegramCards.sentAt'])
    .where('inquiries.status', '=', 'new')
    .where('telegramCards.messageId', 'is not', null)
    .where('telegramCards.sentAt', '<=', sentBefore)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('telegramNotices').select('telegramNotices.id').where('telegramNotices.key', '=', sql<string>`'remind-unclaimed-' || inquiries.id`))))
    .orderBy('inquiries.id')
    .limit(limit)
    .execute();
}

/**
 * Inquiries claimed before `claimedBefore` and still unanswered (no reply on
 * its way or sent, none waiting for approval), with no notice keyed
 * `remind-claimed-<id>` yet, oldest first, with their claimant.
 */
export async function findClaimedToRemind(
  db: Executor,
  claimedBefore: Date,
  limit: number,
): Promise<Array<{ id: number; claimedAt: Date | null; staffId: number; telegramUserId: number }>> {
  return db
    .selectFrom('inquiries')
    .innerJoin('staff', 'staff.id', 'inquiries.claimedBy')
    .select(['inquiries.id', 'inquiries.claimedAt', 'staff.id as staffId', 'staff.telegramUserId'])
    .where('inquiries.status', '=', 'claimed')
    .where('inquiries.claimedAt', '<=', claimedBefore)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('telegramNotices').select('telegramNotices.id').where('telegramNotices.key', '=', sql<string>`'remind-claimed-' || inquiries.id`))))
    // An answer on its way or waiting for approval is not "unanswered".
    .where((eb) => eb.not(eb.exists(eb.selectFrom('replies').select('replies.id').whereRef('replies.inquiryId', '=', 'inquiries.id').where('replies.status', 'in', ['pending', 'sent']))))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('replyDrafts').select('replyDrafts.id').whereRef('replyDrafts.inquiryId', '=', 'inquiries.id').where('replyDrafts.status', '=', 'awaiting_approval'))),
    )
    .orderBy('inquiries.id')
    .limit(limit)
    .execute();
}

/**
 * Open inquiries (not low priority) past their first-response target and never escalated, oldest first, with their claimant's name.
 * A wave's questions are not escalated one by one (300 notices for one outage): the wave card shows them.
 */
export async function findOverdueToEscalate(
  db: Executor,
  now: Date,
  limit: number,
): Promise<Array<{ id: number; slaDueAt: Date | null; claimantName: string | null }>> {
  return db
    .selectFrom('inquiries')
    .leftJoin('staff', 'staff.id', 'inquiries.claimedBy')
    .select(['inquiries.id', 'inquiries.slaDueAt', 'staff.name as claimantName'])
    .where('inquiries.status', 'in', ['new', 'claimed'])
    .where('inquiries.lowPriority', '=', false)
    .where('inquiries.slaDueAt', '<=', now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('events').select('events.id').whereRef('events.inquiryId', '=', 'inquiries.id').where('events.type', '=', 'escalated'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('waveMembers').select('waveMembers.inquiryId').whereRef('waveMembers.inquiryId', '=', 'inquiries.id'))))
    .orderBy('inquiries.id')
    .limit(limit)
    .execute();
}

/**
 * Serialises, until this transaction ends, the work on each citizen thread
 * (one key per citizen in a thread, `platform|threadId|authorId`), so two
 * of their messages processed at once cannot open two inquiries. Taken in
 * sorted order, so two batches never wait on each other in a circle.
 */
export async function lockCitizenThreads(trx: Transaction<Database>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const sorted = [...keys].sort();
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${sorted}::text[]) as k`.execute(trx);
}

/** A citizen thread: one author in one post or conversation. */
export interface CitizenThread {
  platform: Platform;
  threadId: string;
  authorId: string;
}

/** The latest inquiry of a citizen thread, as much of it as ingest needs. */
export type LatestThreadInquiry = Pick<
  InquiryRow,
  'id' | 'platform' | 'threadId' | 'authorId' | 'status' | 'postedAt' | 'lastCitizenAt' | 'closedAt' | 'claimedBy' | 'answeredBy' | 'reopenCount'
>;

/** What {@link findStoredItemsAndLatestInquiries} found. */
export interface StoredItemsAndLatestInquiries {
  /**
   * Messages stored before, matched by platform and external id separately:
   * may hold more than the items asked about, so look each item up by both.
   */
  storedItems: Array<{ platform: Platform; externalId: string }>;
  /** The latest inquiry of each thread that has one. */
  latestInquiries: LatestThreadInquiry[];
}

/**
 * In one round trip: which of `items` are stored already (as messages), and
 * the latest inquiry of each thread (as {@link findLatestInquiryInThread},
 * for all at once).
 */
export async function findStoredItemsAndLatestInquiries(
  db: Executor,
  items: ReadonlyArray<{ platform: Platform; externalId: string }>,
  threads: readonly CitizenThread[],
): Promise<StoredItemsAndLatestInquiries> {
  const platforms = [...new Set(items.map((i) => i.platform))];
  const { rows } = await sql<
    { known: true; platform: Platform; externalId: string } | ({ known: false } & LatestThreadInquiry)
  >`
    select true as known, m.platform, m.external_id, null::bigint as id, null::text as thread_id, null::text as author_id,
      null::text as status, null::timestamptz as posted_at, null::timestamptz as last_citizen_at,
      null::timestamptz as closed_at, null::bigint as claimed_by, null::bigint as answered_by, null::int as reopen_count
    from inquiry_messages m
    where m.platform = any(${platforms}::text[]) and m.external_id = any(${items.map((i) => i.externalId)}::text[])
    union all
    select false, i.platform, null, i.id, i.thread_id, i.author_id, i.status, i.posted_at, i.last_citizen_at,
      i.closed_at, i.claimed_by, i.answered_by, i.reopen_count
    from unnest(${threads.map((k) => k.platform)}::text[], ${threads.map((k) => k.threadId)}::text[], ${threads.map((k) => k.authorId)}::text[]) as k(platform, thread_id, author_id)
    cross join lateral (
      select * from inquiries
      where platform = k.platform and thread_id = k.thread_id and author_id = k.author_id
      order by posted_at desc, id desc
      limit 1
    ) as i`.execute(db);
  const found: StoredItemsAndLatestInquiries = { storedItems: [], latestInquiries: [] };
  for (const r of rows) {
    if (r.known) found.storedItems.push({ platform: r.platform, externalId: r.externalId });
    else {
      found.latestInquiries.push({
        id: r.id,
        platform: r.platform,
        threadId: r.threadId,
        authorId: r.authorId,
        status: r.status,
        postedAt: r.postedAt,
        lastCitizenAt: r.lastCitizenAt,
        closedAt: r.closedAt,
        claimedBy: r.claimedBy === null ? null : Number(r.claimedBy),
        answeredBy: r.answeredBy === null ? null : Number(r.answeredBy),
        reopenCount: r.reopenCount,
      });
    }
  }
  return found;
}

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

// Stored with one array per column (see bulk-insert.ts): ingest's hot path.
const INQUIRY_COLUMNS = [
  column<NewInquiry, 'bigint'>('source_id', 'bigint', (i) => i.sourceId ?? null),
  column<NewInquiry, 'text'>('platform', 'text', (i) => i.platform),
  column<NewInquiry, 'text'>('kind', 'text', (i) => i.kind),
  column<NewInquiry, 'text'>('external_id', 'text', (i) => i.externalId),
  column<NewInquiry, 'text'>('thread_id', 'text', (i) => i.threadId ?? null),
  column<NewInquiry, 'text'>('parent_id', 'text', (i) => i.parentId ?? null),
  column<NewInquiry, 'text'>('author_id', 'text', (i) => i.authorId ?? null),
  column<NewInquiry, 'text'>('author_name', 'text', (i) => i.authorName ?? null),
  column<NewInquiry, 'text'>('text', 'text', (i) => i.text),
  column<NewInquiry, 'text'>('permalink', 'text', (i) => i.permalink ?? null),
  column<NewInquiry, 'timestamptz'>('posted_at', 'timestamptz', (i) => asDate(i.postedAt)),
  column<NewInquiry, 'timestamptz'>('last_citizen_at', 'timestamptz', (i) => asDate(i.lastCitizenAt)),
  column<NewInquiry, 'text'>('suggested_sector_code', 'text', (i) => i.suggestedSectorCode ?? null),
  column<NewInquiry, 'timestamptz'>('sla_due_at', 'timestamptz', (i) => (i.slaDueAt ? asDate(i.slaDueAt) : null)),
  column<NewInquiry, 'timestamptz'>('resolution_due_at', 'timestamptz', (i) => (i.resolutionDueAt ? asDate(i.resolutionDueAt) : null)),
  column<NewInquiry, 'boolean'>('low_priority', 'boolean', (i) => i.lowPriority ?? false),
  column<NewInquiry, 'bigint'>('previous_inquiry_id', 'bigint', (i) => i.previousInquiryId ?? null),
  // JSON text (see schema.ts); the column's default, `[]`, where none is given.
  column<NewInquiry, 'jsonb'>('attachments', 'jsonb', (i) => i.attachments ?? null, sql`'[]'::jsonb`),
  column<NewInquiry, 'boolean'>('details_pending', 'boolean', (i) => i.detailsPending ?? false),
];

/**
 * Stores several new inquiries with one statement, in order; returns each
 * one's id with its platform and external id (the columns the caller
 * matches them by). Only the columns ingest sets are written; the others
 * take their defaults.
 */
export async function insertInquiries(db: Executor, inquiries: readonly NewInquiry[]): Promise<Array<{ id: number; platform: Platform; externalId: string }>> {
  if (inquiries.length === 0) return [];
  const { rows } = await bulkInsert<NewInquiry, { id: number; platform: Platform; externalId: string }>(
    'inquiries',
    INQUIRY_COLUMNS,
    inquiries,
    sql`returning id, platform, external_id`,
  ).execute(db);
  return rows;
}

/**
 * When the citizen last wrote in an inquiry at or before `at` (its latest
 * item up to then), to tell how soon after it a page message came.
 */
export async function findCitizenWroteAt(db: Executor, inquiryId: number, at: Date): Promise<Date | undefined> {
  const row = await db
    .selectFrom('inquiryMessages')
    .select('postedAt')
    .where('inquiryId', '=', inquiryId)
    .where('postedAt', '<=', at)
    .orderBy('postedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.postedAt;
}

/** What a source still owes: its open inquiries (new and claimed) and the replies to its inquiries not yet published. */
export async function countOpenWorkOfSource(db: Executor, sourceId: number): Promise<{ open: number; claimed: number; pendingReplies: number }> {
  const inquiries = await db
    .selectFrom('inquiries')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('status', 'in', ['new', 'claimed']).filterWhere('lowPriority', '=', false).as('open'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'claimed').filterWhere('lowPriority', '=', false).as('claimed'),
    ])
    .where('sourceId', '=', sourceId)
    .executeTakeFirstOrThrow();
  const replies = await db
    .selectFrom('replies')
    .innerJoin('inquiries', 'inquiries.id', 'replies.inquiryId')
    .select((eb) => eb.fn.countAll<number>().as('pending'))
    .where('inquiries.sourceId', '=', sourceId)
    .where('replies.status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { open: Number(inquiries.open), claimed: Number(inquiries.claimed), pendingReplies: Number(replies.pending) };
}

/** Inquiries whose text is still to be read from the platform (Instagram mentions), in id order, for the reconciler. */
export async function findInquiryIdsWithDetailsPending(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db.selectFrom('inquiries').select('id').where('detailsPending', '=', true).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}
