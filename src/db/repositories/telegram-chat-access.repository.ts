import type { Kysely, Transaction } from 'kysely';
import type { Database, TelegramChatAccessRow } from '../schema.js';

type Executor = Kysely<Database>;

/** What is known of the bot's access to `chatId` (nothing: it was never lost). */
export async function findChatAccess(db: Executor, chatId: number): Promise<TelegramChatAccessRow | undefined> {
  return db.selectFrom('telegramChatAccess').selectAll().where('chatId', '=', chatId).executeTakeFirst();
}

/** Locks the chat's access row for this transaction, creating it (as a member) first if there is none. */
export async function lockChatAccess(trx: Transaction<Database>, chatId: number): Promise<TelegramChatAccessRow> {
  await trx.insertInto('telegramChatAccess').values({ chatId, status: 'member' }).onConflict((oc) => oc.column('chatId').doNothing()).execute();
  return trx.selectFrom('telegramChatAccess').selectAll().where('chatId', '=', chatId).forUpdate().executeTakeFirstOrThrow();
}

export async function updateChatAccess(db: Executor, chatId: number, change: { status: 'member' | 'removed'; reason: string | null; at: Date }): Promise<void> {
  await db.updateTable('telegramChatAccess').set({ status: change.status, reason: change.reason, changedAt: change.at }).where('chatId', '=', chatId).execute();
}
