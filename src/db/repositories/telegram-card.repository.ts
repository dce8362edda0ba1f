import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, TelegramCardRow } from '../schema.js';

type Executor = Kysely<Database>;

/** Creates the card row of an inquiry (no message yet); does nothing when it has one. */
export async function insertCard(db: Executor, card: { inquiryId: number; chatId: number }): Promise<void> {
  await db.insertInto('telegramCards').values(card).onConflict((oc) => oc.column('inquiryId').doNothing()).execute();
}

/** Locks the card row of an inquiry for this transaction (sending and editing the card). */
export async function lockCard(trx: Transaction<Database>, inquiryId: number): Promise<TelegramCardRow | undefined> {
  return trx.selectFrom('telegramCards').selectAll().where('inquiryId', '=', inquiryId).forUpdate().executeTakeFirst();
}

export async function findCardByInquiryId(db: Executor, inquiryId: number): Promise<TelegramCardRow | undefined> {
  return db.selectFrom('telegramCards').selectAll().where('inquiryId', '=', inquiryId).executeTakeFirst();
}

/** The card shown as `messageId` in `chatId`, if that message is a card. */
export async function findCardByMessage(db: Executor, chatId: number, messageId: number): Promise<TelegramCardRow | undefined> {
  return db.selectFrom('telegramCards').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

/** Cards of many inquiries at once (lists link to them), by inquiry id. */
export async function findCardsByInquiryIds(db: Executor, inquiryIds: number[]): Promise<Map<number, TelegramCardRow>> {
  if (inquiryIds.length === 0) return new Map();
  const rows = await db.selectFrom('telegramCards').selectAll().where('inquiryId', 'in', inquiryIds).execute();
  return new Map(rows.map((r) => [r.inquiryId, r]));
}

/** The message Telegram accepted as the card. */
export async function updateCardSent(
  db: Executor,
  inquiryId: number,
  sent: { chatId: number; messageId: number; renderedHash: string; sentAt: Date },
): Promise<void> {
  await db
    .updateTable('telegramCards')
    .set({ chatId: sent.chatId, messageId: sent.messageId, renderedHash: sent.renderedHash, sentAt: sent.sentAt, updatedAt: sql<Date>`now()` })
    .where('inquiryId', '=', inquiryId)
    .execute();
}

/** Sets the rendered hash to `mark` only if it is still `shown` (one statement); false when the card changed meanwhile. */
export async function markCardMenuOpen(db: Executor, inquiryId: number, shown: string | null, mark: string): Promise<boolean> {
  const rows = await db
    .updateTable('telegramCards')
    .set({ renderedHash: mark, updatedAt: sql<Date>`now()` })
    .where('inquiryId', '=', inquiryId)
    .where(sql<boolean>`rendered_hash is not distinct from ${shown}`)
    .returning('inquiryId')
    .execute();
  return rows.length > 0;
}

/** Clears the rendered hash only if it starts with `mark` (one statement: a card edited meanwhile keeps its hash). */
export async function clearCardRenderedHashMarked(db: Executor, inquiryId: number, mark: string): Promise<void> {
  await db
    .updateTable('telegramCards')
    .set({ renderedHash: null, updatedAt: sql<Date>`now()` })
    .where('inquiryId', '=', inquiryId)
    .where(sql<boolean>`starts_with(rendered_hash, ${mark})`)
    .execute();
}

/** What the card shows now; null marks it dirty, so the next edit is made even if the state is the same. */
export async function updateCardRenderedHash(db: Executor, inquiryId: number, renderedHash: string | null): Promise<void> {
  await db.updateTable('telegramCards').set({ renderedHash, updatedAt: sql<Date>`now()` }).where('inquiryId', '=', inquiryId).execute();
}
