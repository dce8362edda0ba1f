import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, StaffRequestRow, StaffRequestTable } from '../schema.js';

type Executor = Kysely<Database>;

/** Locks the access request of a Telegram user for this transaction (the first decision wins). */
export async function lockStaffRequest(trx: Transaction<Database>, telegramUserId: number): Promise<StaffRequestRow | undefined> {
  return trx.selectFrom('staffRequests').selectAll().where('telegramUserId', '=', telegramUserId).forUpdate().executeTakeFirst();
}

export async function insertStaffRequest(db: Executor, request: Insertable<StaffRequestTable>): Promise<StaffRequestRow> {
  return db.insertInto('staffRequests').values(request).returningAll().executeTakeFirstOrThrow();
}

export async function updateStaffRequest(db: Executor, telegramUserId: number, changes: Updateable<StaffRequestTable>): Promise<StaffRequestRow> {
  return db.updateTable('staffRequests').set(changes).where('telegramUserId', '=', telegramUserId).returningAll().executeTakeFirstOrThrow();
}

export async function findStaffRequest(db: Executor, telegramUserId: number): Promise<StaffRequestRow | undefined> {
  return db.selectFrom('staffRequests').selectAll().where('telegramUserId', '=', telegramUserId).executeTakeFirst();
}
