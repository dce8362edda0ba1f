import { sql, type Kysely } from 'kysely';
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
}

const MESSAGE_COLUMNS = [
  column<NewInquiryMessage, 'bigint'>('inquiry_id', 'bigint', (m) => m.inquiryId),
  column<NewInquiryMessage, 'text'>('platform', 'text', (m) => m.platform),
  column<NewInquiryMessage, 'text'>('external_id', 'text', (m) => m.externalId),
  column<NewInquiryMessage, 'text'>('author_id', 'text', (m) => m.authorId ?? null),
  column<NewInquiryMessage, 'text'>('text', 'text', (m) => m.text),
  column<NewInquiryMessage, 'timestamptz'>('posted_at', 'timestamptz', (m) => m.postedAt),
  column<NewInquiryMessage, 'jsonb'>('attachments', 'jsonb', (m) => JSON.stringify(m.attachments ?? [])),
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

/** A stored citizen item's id by its platform id, undefined when there is none. */
export async function findInquiryMessageIdByExternalId(db: Executor, platform: Platform, externalId: string): Promise<number | undefined> {
  const row = await db.selectFrom('inquiryMessages').select('id').where('platform', '=', platform).where('externalId', '=', externalId).executeTakeFirst();
  return row?.id;
}

/** What the platform said of an item taken in with its ids only (an Instagram mention): its text and, if it moved, its time. */
export async function updateInquiryMessageDetails(db: Executor, id: number, details: { text: string; postedAt?: Date }): Promise<void> {
  await db
    .updateTable('inquiryMessages')
    .set({ text: details.text, ...(details.postedAt ? { postedAt: details.postedAt } : {}) })
    .where('id', '=', id)
    .execute();
}
