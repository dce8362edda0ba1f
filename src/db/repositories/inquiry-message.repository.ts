import { sql, type Kysely, type Transaction } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Attachment } from '../../domain/inquiry.js';
import type { Database, Platform } from '../schema.js';
import { bulkInsert, column } from './bulk-insert.js';

type Executor = Kysely<Database>;

/** A citizen item (comment or message) to store as a message of its inquiry. */
export interface NewInquiryMessage {
  inquiryId: number;
  platform: Platform;
  externalId: string;
  authorId: string | null;
  text: string;
  postedAt: Date;
  /** What the citizen attached to the item; none when not given. */
  attachments?: readonly Attachment[];
  /** Likes when a poll read it; 0 when not given. */
  likeCount?: number;
}

const MESSAGE_COLUMNS = [
  column<NewInquiryMessage, 'bigint'>('inquiry_id', 'bigint', (m) => m.inquiryId),
  column<NewInquiryMessage, 'text'>('platform', 'text', (m) => m.platform),
  column<NewInquiryMessage, 'text'>('external_id', 'text', (m) => m.externalId),
  column<NewInquiryMessage, 'text'>('author_id', 'text', (m) => m.authorId ?? null),
  column<NewInquiryMessage, 'text'>('text', 'text', (m) => m.text),
  column<NewInquiryMessage, 'timestamptz'>('posted_at', 'timestamptz', (m) => m.postedAt),
  column<NewInquiryMessage, 'jsonb'>('attachments', 'jsonb', (m) => JSON.stringify(m.attachments ?? [])),
  column<NewInquiryMessage, 'bigint'>('like_count', 'bigint', (m) => m.likeCount ?? 0),
];

/**
 * Stores several citizen items with one statement (one array per column),
 * in order; an item stored before (the same comment seen by webhook and by
 * poll) is skipped.
 */
export async function insertInquiryMessages(db: Executor, messages: readonly NewInquiryMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await bulkInsert('inquiryMessages', MESSAGE_COLUMNS, messages, sql`on conflict (platform, external_id) do nothing`).execute(db);
}

/** A stored citizen item by its platform id; throws {@link NotFoundError} when there is none. */
export async function getInquiryMessageByExternalId(db: Executor, platform: Platform, externalId: string): Promise<{ id: number; text: string }> {
  const row = await db.selectFrom('inquiryMessages').select(['id', 'text']).where('platform', '=', platform).where('externalId', '=', externalId).executeTakeFirst();
  if (!row) throw new NotFoundError('inquiry message', `${platform} ${externalId}`);
  return row;
}

/** The citizen edited the item: its stored text follows (the `edited` event keeps the history). */
export async function updateInquiryMessageText(db: Executor, id: number, text: string): Promise<void> {
  await db.updateTable('inquiryMessages').set({ text }).where('id', '=', id).execute();
}

/** A citizen item's likes as a poll saw them. */
export interface LikeCount {
  externalId: string;
  likeCount: number;
}

function latestCounts(counts: readonly LikeCount[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const c of counts) if (Number.isSafeInteger(c.likeCount) && c.likeCount >= 0) latest.set(c.externalId, c.likeCount);
  return latest;
}

/** The inquiries whose stored items have another like count than `counts` (items not stored yet are skipped). */
export async function findLikeCountChanges(db: Executor, platform: Platform, counts: readonly LikeCount[]): Promise<number[]> {
  const latest = latestCounts(counts);
  if (latest.size === 0) return [];
  const result = await sql<{ inquiryId: string | number }>`
    select distinct m.inquiry_id as "inquiryId"
    from inquiry_messages m
    join unnest(${[...latest.keys()]}::text[], ${[...latest.values()]}::int[]) as u(external_id, like_count) on u.external_id = m.external_id
    where m.platform = ${platform} and m.like_count <> u.like_count
  `.execute(db);
  return result.rows.map((r) => Number(r.inquiryId));
}

/**
 * Stores the like counts a poll saw, with one statement; only items whose
 * count changed are written (items not stored yet are skipped: the next poll
 * sees them again). {@link findLikeCountChanges} tells which inquiries that touches.
 */
export async function updateLikeCounts(db: Executor, platform: Platform, counts: readonly LikeCount[]): Promise<void> {
  const latest = latestCounts(counts);
  if (latest.size === 0) return;
  await sql`
    update inquiry_messages m set like_count = u.like_count
    from unnest(${[...latest.keys()]}::text[], ${[...latest.values()]}::int[]) as u(external_id, like_count)
    where m.platform = ${platform} and m.external_id = u.external_id and m.like_count <> u.like_count
  `.execute(db);
}

/** The inquiry an item belongs to, by its platform id. */
export async function findInquiryIdOfMessage(db: Executor, platform: Platform, externalId: string): Promise<number | undefined> {
  const row = await db.selectFrom('inquiryMessages').select('inquiryId').where('platform', '=', platform).where('externalId', '=', externalId).executeTakeFirst();
  return row?.inquiryId;
}

/**
 * Records one person's latest reactions to a Telegram item (a later change of
 * theirs wins, by its date and then `update_id`; an older one delivered late
 * changes nothing) and sets the item's like count to the people who react to
 * it now. The caller holds the item's lock ({@link lockTelegramItems}), so
 * the count sees every change committed before it.
 */
export async function recordTelegramReaction(db: Executor, reaction: { externalId: string; actor: string; reacted: boolean; order: number; at: Date }): Promise<void> {
  await db
    .insertInto('telegramReactions')
    .values({ itemExternalId: reaction.externalId, actor: reaction.actor, reacted: reaction.reacted, updateId: reaction.order, changedAt: reaction.at })
    .onConflict((oc) =>
      oc.columns(['itemExternalId', 'actor']).doUpdateSet((eb) => ({
        reacted: eb.ref('excluded.reacted'),
        updateId: eb.ref('excluded.updateId'),
        changedAt: eb.ref('excluded.changedAt'),
      })).where(sql<boolean>`(telegram_reactions.changed_at, telegram_reactions.update_id) < (excluded.changed_at, excluded.update_id)`),
    )
    .execute();
  await recountTelegramLikes(db, [reaction.externalId]);
}

/**
 * Serialises the writers of these Telegram items' likes until the transaction
 * ends (a reaction and another, or a reaction and its comment's insert, in
 * two batches): each then counts what the other committed. Taken in one
 * order, all at once, so two batches cannot wait on each other.
 */
export async function lockTelegramItems(trx: Transaction<Database>, externalIds: readonly string[]): Promise<void> {
  const keys = [...new Set(externalIds)].map((id) => `ardzagank:telegram-item:${id}`);
  if (keys.length === 0) return;
  // In the order of the lock keys themselves (the sorted subquery feeds the aggregate row by row).
  await sql`
    select count(pg_advisory_xact_lock(h))
    from (select distinct hashtextextended(k, 0) as h from unnest(${keys}::text[]) as u(k) order by h) as s
  `.execute(trx);
}

/**
 * Sets these Telegram items' like counts to the people who react to them now
 * (after a reaction, and for items just stored: a reaction can be taken in
 * before its comment).
 */
export async function recountTelegramLikes(db: Executor, externalIds: readonly string[]): Promise<void> {
  if (externalIds.length === 0) return;
  await sql`
    update inquiry_messages m set like_count = r.n
    from (
      select item_external_id, (count(*) filter (where reacted))::int as n
      from telegram_reactions where item_external_id = any(${[...externalIds]}::text[]) group by item_external_id
    ) as r
    where m.platform = 'telegram' and m.external_id = r.item_external_id and m.like_count <> r.n
  `.execute(db);
}

/** What the platform said of an item taken in with its ids only (an Instagram mention): its text and, if it moved, its time. */
export async function updateInquiryMessageDetails(db: Executor, platform: Platform, externalId: string, details: { text: string; postedAt?: Date }): Promise<void> {
  await db
    .updateTable('inquiryMessages')
    .set({ text: details.text, ...(details.postedAt ? { postedAt: details.postedAt } : {}) })
    .where('platform', '=', platform)
    .where('externalId', '=', externalId)
    .execute();
}
