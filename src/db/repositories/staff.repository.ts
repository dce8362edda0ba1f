import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { StaffRole } from '../../domain/staff.js';
import type { Database, StaffRow, StaffTable } from '../schema.js';

type Executor = Kysely<Database>;
export type NewStaff = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;

export async function findStaffById(db: Executor, id: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findStaffByTelegramId(db: Executor, telegramUserId: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('telegramUserId', '=', telegramUserId).executeTakeFirst();
}

/** Locks a staff member's row for this transaction (role and activity changes). */
export async function lockStaffByTelegramId(trx: Transaction<Database>, telegramUserId: number): Promise<StaffRow | undefined> {
  return trx.selectFrom('staff').selectAll().where('telegramUserId', '=', telegramUserId).forUpdate().executeTakeFirst();
}

/** Everyone, active first, by name; `activeOnly` leaves out the deactivated. */
export async function listStaff(db: Executor, options: { activeOnly?: boolean } = {}): Promise<StaffRow[]> {
  let q = db.selectFrom('staff').selectAll();
  if (options.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('active', 'desc').orderBy('name').execute();
}

/** Everyone, active or not, in the order they were added. */
export async function listAllStaffById(db: Executor): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('id').execute();
}

/** Active staff with one of `roles`, by name or in the order they were added. */
export async function listActiveStaffWithRoles(db: Executor, roles: readonly StaffRole[], orderBy: 'name' | 'id'): Promise<StaffRow[]> {
  if (roles.length === 0) return [];
  return db.selectFrom('staff').selectAll().where('active', '=', true).where('role', 'in', roles).orderBy(orderBy).execute();
}

/**
 * Adds a staff member by Telegram id; an existing one gets `onConflict`
 * (and a new `updated_at`) instead.
 */
export async function upsertStaff(db: Executor, staff: NewStaff, onConflict: StaffUpdate): Promise<StaffRow> {
  return db
    .insertInto('staff')
    .values(staff)
    .onConflict((oc) => oc.column('telegramUserId').doUpdateSet({ ...onConflict, updatedAt: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateStaff(db: Executor, id: number, changes: StaffUpdate): Promise<StaffRow> {
  return db
    .updateTable('staff')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
