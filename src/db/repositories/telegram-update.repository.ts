import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Executor = Kysely<Database>;

/** Whether update `updateId` of bot `botId` was handled already (by any instance). */
export async function isTelegramUpdateHandled(db: Executor, botId: number, updateId: number): Promise<boolean> {
  const row = await db.selectFrom('telegramUpdates').select('updateId').where('botId', '=', botId).where('updateId', '=', updateId).executeTakeFirst();
  return row !== undefined;
}

/** Records update `updateId` of bot `botId` as handled (again: a no-op). */
export async function recordTelegramUpdateHandled(db: Executor, botId: number, updateId: number): Promise<void> {
  await db
    .insertInto('telegramUpdates')
    .values({ botId, updateId })
    .onConflict((oc) => oc.columns(['botId', 'updateId']).doNothing())
    .execute();
}

/** Forgets updates handled more than `olderThanHours` ago (Telegram keeps an update 24 hours at most); returns how many. */
export async function pruneTelegramUpdates(db: Executor, olderThanHours: number): Promise<number> {
  const result = await db
    .deleteFrom('telegramUpdates')
    .where('handledAt', '<', sql<Date>`now() - make_interval(hours => ${olderThanHours})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
