/**
 * The staff: who may do what, access requests from Telegram, and the changes
 * admins make (from the bot or `ardzagank staff`). Every change is an event
 * with its actor. Admins listed in `TELEGRAM_ADMIN_IDS` are always active
 * staff with the role `admin`.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import type { Locale, StaffRequestRow, StaffRole, StaffRow } from '../db/schema.js';

type Executor = Db;

export const STAFF_ROLES: readonly StaffRole[] = ['agent', 'supervisor', 'head', 'admin'];

/** What a role allows. */
export type Permission =
  /** claim, answer, dismiss, tag a sector */
  | 'handle'
  /** reassign, release or answer someone else's inquiry, approve answers */
  | 'supervise'
  /** approve access requests, list the staff */
  | 'manage_staff'
  /** /report and /stats */
  | 'reports';

const PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  agent: ['handle', 'reports'],
  supervisor: ['handle', 'supervise', 'reports'],
  head: ['reports'],
  admin: ['handle', 'supervise', 'manage_staff', 'reports'],
};

export function can(staff: Pick<StaffRow, 'role' | 'active'>, permission: Permission): boolean {
  return staff.active && PERMISSIONS[staff.role].includes(permission);
}

/** Who did something: a staff member, or the system (CLI, schedules). */
export interface Actor {
  staffId: number | null;
  /** `cli`, `telegram`, `schedule`: recorded in the event payload. */
  via: string;
}

export const actorOf = (staff: StaffRow): Actor => ({ staffId: staff.id, via: 'telegram' });

function eventActor(actor: Actor) {
  return actor.staffId === null ? { actorKind: 'system' as const } : { actorKind: 'staff' as const, actorStaffId: actor.staffId };
}

/** The person behind a Telegram update. */
export interface TelegramPerson {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

export function displayName(person: TelegramPerson): string {
  return [person.first_name, person.last_name].filter(Boolean).join(' ').trim() || `id ${person.id}`;
}

export async function findStaffByTelegramId(db: Executor, telegramUserId: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('telegramUserId', '=', telegramUserId).executeTakeFirst();
}

export async function findStaffById(db: Executor, id: number): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The active staff member behind a Telegram user, or undefined. Admins of
 * `TELEGRAM_ADMIN_IDS` are added (or made active admins again) on their
 * first contact; names and usernames follow what Telegram says.
 */
export async function resolveStaff(
  db: Db,
  person: TelegramPerson,
  options: { adminIds: readonly number[]; defaultLocale: Locale },
): Promise<StaffRow | undefined> {
  const existing = await findStaffByTelegramId(db, person.id);
  const name = displayName(person);
  const username = person.username ?? null;
  if (options.adminIds.includes(person.id) && (!existing || !existing.active || existing.role !== 'admin')) {
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('staff')
        .values({ telegramUserId: person.id, name, username, role: 'admin', language: existing?.language ?? options.defaultLocale, active: true })
        .onConflict((oc) => oc.column('telegramUserId').doUpdateSet({ role: 'admin', active: true, updatedAt: sql<Date>`now()` }))
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEvent(trx, {
        type: existing ? 'staff_role_set' : 'staff_added',
        actorKind: 'system',
        payload: { staffId: row.id, telegramUserId: person.id, role: 'admin', via: 'TELEGRAM_ADMIN_IDS', ...(existing ? { from: existing.role, wasActive: existing.active } : {}) },
      });
      return row;
    });
  }
  if (!existing || !existing.active) return undefined;
  if (existing.name !== name || existing.username !== username) {
    return db.updateTable('staff').set({ name, username, updatedAt: sql<Date>`now()` }).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  }
  return existing;
}

export async function listStaff(db: Executor, options: { activeOnly?: boolean } = {}): Promise<StaffRow[]> {
  let q = db.selectFrom('staff').selectAll();
  if (options.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('active', 'desc').orderBy('name').execute();
}

/** Active staff who may be given an inquiry (agents, supervisors, admins). */
export async function listAssignableStaff(db: Executor): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().where('active', '=', true).where('role', 'in', ['agent', 'supervisor', 'admin']).orderBy('name').execute();
}

/** Active supervisors and admins (staff rows), who approve answers and get escalations. */
export async function listSupervisors(db: Executor): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().where('active', '=', true).where('role', 'in', ['supervisor', 'admin']).orderBy('id').execute();
}

/** Telegram ids of every admin: `TELEGRAM_ADMIN_IDS` and active staff with the role admin. */
export async function adminTelegramIds(db: Executor, configured: readonly number[]): Promise<number[]> {
  const rows = await db.selectFrom('staff').select('telegramUserId').where('active', '=', true).where('role', '=', 'admin').execute();
  return [...new Set([...configured, ...rows.map((r) => r.telegramUserId)])];
}

export interface StaffInput {
  telegramUserId: number;
  name: string;
  username?: string | null;
  role: StaffRole;
  language?: Locale;
}

/** Adds a staff member, or makes an existing one active with this role and name. */
export async function addStaff(db: Db, input: StaffInput, actor: Actor): Promise<StaffRow> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('staff').selectAll().where('telegramUserId', '=', input.telegramUserId).forUpdate().executeTakeFirst();
    const row = await trx
      .insertInto('staff')
      .values({
        telegramUserId: input.telegramUserId,
        name: input.name,
        username: input.username ?? null,
        role: input.role,
        ...(input.language ? { language: input.language } : {}),
        active: true,
      })
      .onConflict((oc) =>
        oc.column('telegramUserId').doUpdateSet({
          name: input.name,
          role: input.role,
          active: true,
          ...(input.username !== undefined ? { username: input.username } : {}),
          ...(input.language ? { language: input.language } : {}),
          updatedAt: sql<Date>`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, {
      type: 'staff_added',
      ...eventActor(actor),
      payload: { staffId: row.id, telegramUserId: row.telegramUserId, role: row.role, via: actor.via, ...(before ? { from: before.role, wasActive: before.active } : {}) },
    });
    return row;
  });
}

/** Deactivates a staff member (rows stay: events and reports refer to them). Undefined when unknown. */
export async function removeStaff(db: Db, telegramUserId: number, actor: Actor): Promise<StaffRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('staff').selectAll().where('telegramUserId', '=', telegramUserId).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    if (!before.active) return before;
    const row = await trx.updateTable('staff').set({ active: false, updatedAt: sql<Date>`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'staff_removed', ...eventActor(actor), payload: { staffId: row.id, telegramUserId, via: actor.via } });
    return row;
  });
}

/** Changes a staff member's role. Undefined when unknown. */
export async function setStaffRole(db: Db, telegramUserId: number, role: StaffRole, actor: Actor): Promise<StaffRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('staff').selectAll().where('telegramUserId', '=', telegramUserId).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    if (before.role === role) return before;
    const row = await trx.updateTable('staff').set({ role, updatedAt: sql<Date>`now()` }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'staff_role_set', ...eventActor(actor), payload: { staffId: row.id, telegramUserId, from: before.role, to: role, via: actor.via } });
    return row;
  });
}

export async function setStaffLanguage(db: Db, staff: StaffRow, language: Locale): Promise<StaffRow> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('staff').set({ language, updatedAt: sql<Date>`now()` }).where('id', '=', staff.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'language_set', actorKind: 'staff', actorStaffId: staff.id, payload: { from: staff.language, to: language } });
    return row;
  });
}

export type AccessRequestOutcome =
  | { status: 'requested'; request: StaffRequestRow }
  | { status: 'pending' | 'rejected'; request: StaffRequestRow };

/**
 * Someone who is not staff wrote /start. A first request (or a new one after
 * an approval was later revoked) is stored and reported as `requested`, so
 * the admins are asked once; a pending or rejected one is left as it is.
 */
export async function requestAccess(db: Db, person: TelegramPerson, language: Locale, now: Date): Promise<AccessRequestOutcome> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('staffRequests').selectAll().where('telegramUserId', '=', person.id).forUpdate().executeTakeFirst();
    if (existing && existing.status !== 'approved') return { status: existing.status, request: existing };
    const values = { name: displayName(person), username: person.username ?? null, language, status: 'pending' as const, requestedAt: now, decidedBy: null, decidedAt: null };
    const request = existing
      ? await trx.updateTable('staffRequests').set(values).where('telegramUserId', '=', person.id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('staffRequests').values({ telegramUserId: person.id, ...values }).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, {
      type: 'access_requested',
      actorKind: 'system',
      occurredAt: now,
      payload: { telegramUserId: person.id, name: request.name, username: request.username },
    });
    return { status: 'requested', request };
  });
}

export type AccessDecision =
  | { ok: true; request: StaffRequestRow; staff: StaffRow | undefined }
  | { ok: false; reason: 'missing' | 'decided'; request: StaffRequestRow | undefined };

/** An admin approves (with a role) or rejects a pending request; the first decision wins. */
export async function decideAccess(db: Db, telegramUserId: number, role: StaffRole | null, admin: StaffRow, now: Date): Promise<AccessDecision> {
  return db.transaction().execute(async (trx) => {
    const request = await trx.selectFrom('staffRequests').selectAll().where('telegramUserId', '=', telegramUserId).forUpdate().executeTakeFirst();
    if (!request) return { ok: false, reason: 'missing', request };
    if (request.status !== 'pending') return { ok: false, reason: 'decided', request };
    const decided = await trx
      .updateTable('staffRequests')
      .set({ status: role ? 'approved' : 'rejected', decidedBy: admin.id, decidedAt: now })
      .where('telegramUserId', '=', telegramUserId)
      .returningAll()
      .executeTakeFirstOrThrow();
    let staff: StaffRow | undefined;
    if (role) {
      staff = await trx
        .insertInto('staff')
        .values({ telegramUserId, name: request.name, username: request.username, role, language: request.language, active: true })
        .onConflict((oc) => oc.column('telegramUserId').doUpdateSet({ role, active: true, name: request.name, updatedAt: sql<Date>`now()` }))
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEvent(trx, { type: 'staff_added', actorKind: 'staff', actorStaffId: admin.id, occurredAt: now, payload: { staffId: staff.id, telegramUserId, role, via: 'telegram' } });
    }
    await insertEvent(trx, {
      type: role ? 'access_approved' : 'access_rejected',
      actorKind: 'staff',
      actorStaffId: admin.id,
      occurredAt: now,
      payload: { telegramUserId, ...(role ? { role } : {}) },
    });
    return { ok: true, request: decided, staff };
  });
}

export async function findStaffRequest(db: Executor, telegramUserId: number): Promise<StaffRequestRow | undefined> {
  return db.selectFrom('staffRequests').selectAll().where('telegramUserId', '=', telegramUserId).executeTakeFirst();
}

/**
 * A refused action: the only trace it leaves. `who` is the Telegram user
 * (staff or not); `action` names what was tried (`claim`, `answer`,
 * `callback`…).
 */
export async function recordDenied(
  db: Executor,
  denied: { person: TelegramPerson; staff: StaffRow | undefined; action: string; reason: string; at: Date; details?: Record<string, unknown> },
): Promise<void> {
  await insertEvent(db, {
    type: 'denied',
    ...(denied.staff ? { actorKind: 'staff' as const, actorStaffId: denied.staff.id } : { actorKind: 'system' as const }),
    occurredAt: denied.at,
    payload: {
      telegramUserId: denied.person.id,
      name: displayName(denied.person),
      ...(denied.person.username ? { username: denied.person.username } : {}),
      action: denied.action,
      reason: denied.reason,
      ...(denied.details ?? {}),
    },
  });
}
