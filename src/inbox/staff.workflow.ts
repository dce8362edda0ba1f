/**
 * The staff: access requests from Telegram, and the changes admins make
 * (from the bot or `ardzagank staff`). Every change is an event with its
 * actor. Admins listed in `TELEGRAM_ADMIN_IDS` are always active staff with
 * the role `admin`. What each role may do is `can()` in `domain/staff.ts`.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { insertStaffRequest, lockStaffRequest, updateStaffRequest } from '../db/repositories/staff-request.repository.js';
import {
  findStaffById,
  findStaffByTelegramId,
  listActiveStaffWithRoles,
  listStaff as listStaffRows,
  lockStaffByTelegramId,
  updateStaff,
  upsertStaff,
} from '../db/repositories/staff.repository.js';
import type { Locale, StaffRequestRow, StaffRow } from '../db/schema.js';
import { rolesThat, type StaffRole } from '../domain/staff.js';
import type { Producers } from '../queue/producers.js';
import { createNotices } from './staff-notices.workflow.js';

type Executor = Db;

/** What the access workflows need: they store notices for the people concerned and queue them after the commit. */
export interface AccessDeps {
  db: Db;
  producers: Pick<Producers, 'sendNotices'>;
  config: { telegram: Pick<Config['telegram'], 'adminIds'> };
}

/** Who did something: a staff member, or the system (CLI, schedules). */
export interface Actor {
  staffId: number | null;
  /** `cli`, `telegram`, `schedule`: recorded in the event payload. */
  via: string;
}

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
      const row = await upsertStaff(
        trx,
        { telegramUserId: person.id, name, username, role: 'admin', language: existing?.language ?? options.defaultLocale, active: true },
        { role: 'admin', active: true },
      );
      await insertEvent(trx, {
        type: existing ? 'staff_role_set' : 'staff_added',
        actorKind: 'system',
        payload: { staffId: row.id, telegramUserId: person.id, role: 'admin', via: 'TELEGRAM_ADMIN_IDS', ...(existing ? { from: existing.role, wasActive: existing.active } : {}) },
      });
      return row;
    });
  }
  if (!existing || !existing.active) return undefined;
  if (existing.name !== name || existing.username !== username) return updateStaff(db, existing.id, { name, username });
  return existing;
}

/** Everyone, active first, by name (`/staff`, `ardzagank staff list`). */
export async function listStaff(db: Executor, options: { activeOnly?: boolean } = {}): Promise<StaffRow[]> {
  return listStaffRows(db, options);
}

/** Active staff who may be given an inquiry (the roles that handle inquiries), by name. */
export async function listAssignableStaff(db: Executor): Promise<StaffRow[]> {
  return listActiveStaffWithRoles(db, rolesThat('handle'), 'name');
}

/** Active supervisors and admins (staff rows), who approve answers and get escalations. */
export async function listSupervisors(db: Executor): Promise<StaffRow[]> {
  return listActiveStaffWithRoles(db, rolesThat('supervise'), 'id');
}

/** Telegram ids of every admin: `TELEGRAM_ADMIN_IDS` and active staff who manage the staff. */
export async function adminTelegramIds(db: Executor, configured: readonly number[]): Promise<number[]> {
  const rows = await listActiveStaffWithRoles(db, rolesThat('manage_staff'), 'id');
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
    const before = await lockStaffByTelegramId(trx, input.telegramUserId);
    const row = await upsertStaff(
      trx,
      {
        telegramUserId: input.telegramUserId,
        name: input.name,
        username: input.username ?? null,
        role: input.role,
        ...(input.language ? { language: input.language } : {}),
        active: true,
      },
      {
        name: input.name,
        role: input.role,
        active: true,
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.language ? { language: input.language } : {}),
      },
    );
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
    const before = await lockStaffByTelegramId(trx, telegramUserId);
    if (!before) return undefined;
    if (!before.active) return before;
    const row = await updateStaff(trx, before.id, { active: false });
    await insertEvent(trx, { type: 'staff_removed', ...eventActor(actor), payload: { staffId: row.id, telegramUserId, via: actor.via } });
    return row;
  });
}

/** Changes a staff member's role. Undefined when unknown. */
export async function setStaffRole(db: Db, telegramUserId: number, role: StaffRole, actor: Actor): Promise<StaffRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await lockStaffByTelegramId(trx, telegramUserId);
    if (!before) return undefined;
    if (before.role === role) return before;
    const row = await updateStaff(trx, before.id, { role });
    await insertEvent(trx, { type: 'staff_role_set', ...eventActor(actor), payload: { staffId: row.id, telegramUserId, from: before.role, to: role, via: actor.via } });
    return row;
  });
}

export async function setStaffLanguage(db: Db, staff: StaffRow, language: Locale): Promise<StaffRow> {
  return db.transaction().execute(async (trx) => {
    const row = await updateStaff(trx, staff.id, { language });
    await insertEvent(trx, { type: 'language_set', actorKind: 'staff', actorStaffId: staff.id, payload: { from: staff.language, to: language } });
    return row;
  });
}

export type AccessRequestOutcome =
  | { status: 'requested'; request: StaffRequestRow }
  | { status: 'pending' | 'rejected'; request: StaffRequestRow };

/**
 * Someone who is not staff wrote /start. A first request (or a new one after
 * an approval was later revoked) is stored and reported as `requested`, and
 * every admin gets an `access.request` notice (queued after the commit), so
 * the admins are asked once; a pending or rejected one is left as it is.
 */
export async function requestAccess(deps: AccessDeps, person: TelegramPerson, language: Locale, now: Date): Promise<AccessRequestOutcome> {
  const { outcome, noticeIds } = await deps.db.transaction().execute(async (trx) => {
    const existing = await lockStaffRequest(trx, person.id);
    if (existing && existing.status !== 'approved') return { outcome: { status: existing.status, request: existing }, noticeIds: [] };
    const values = { name: displayName(person), username: person.username ?? null, language, status: 'pending' as const, requestedAt: now, decidedBy: null, decidedAt: null };
    const request = existing ? await updateStaffRequest(trx, person.id, values) : await insertStaffRequest(trx, { telegramUserId: person.id, ...values });
    await insertEvent(trx, {
      type: 'access_requested',
      actorKind: 'system',
      occurredAt: now,
      payload: { telegramUserId: person.id, name: request.name, username: request.username },
    });
    const admins = await adminTelegramIds(trx, deps.config.telegram.adminIds);
    const stamp = request.requestedAt.getTime();
    const noticeIds = await createNotices(
      trx,
      admins.map((chatId) => ({
        key: `access-request-${person.id}-${stamp}-to-${chatId}`,
        kind: 'access.request' as const,
        chatId,
        payload: { telegramUserId: person.id, name: request.name, username: request.username },
      })),
    );
    return { outcome: { status: 'requested' as const, request }, noticeIds };
  });
  await deps.producers.sendNotices(noticeIds);
  return outcome;
}

export type AccessDecision =
  | { ok: true; request: StaffRequestRow; staff: StaffRow | undefined }
  | { ok: false; reason: 'missing'; request: undefined }
  /** Another admin decided first: who, and the role they granted (null: rejected, or the person is no longer staff). */
  | { ok: false; reason: 'decided'; request: StaffRequestRow; decidedBy: StaffRow | undefined; grantedRole: StaffRole | null };

/**
 * An admin approves (with a role) or rejects a pending request; the first
 * decision wins. The person is told the decision (an `access.result`
 * notice, queued after the commit).
 */
export async function decideAccess(deps: AccessDeps, telegramUserId: number, role: StaffRole | null, admin: StaffRow, now: Date): Promise<AccessDecision> {
  const { db } = deps;
  const decision = await db.transaction().execute(async (trx) => {
    const request = await lockStaffRequest(trx, telegramUserId);
    if (!request) return { ok: false as const, reason: 'missing' as const, request };
    if (request.status !== 'pending') return { ok: false as const, reason: 'decided' as const, request };
    const decided = await updateStaffRequest(trx, telegramUserId, { status: role ? 'approved' : 'rejected', decidedBy: admin.id, decidedAt: now });
    let staff: StaffRow | undefined;
    if (role) {
      staff = await upsertStaff(
        trx,
        { telegramUserId, name: request.name, username: request.username, role, language: request.language, active: true },
        { role, active: true, name: request.name },
      );
      await insertEvent(trx, { type: 'staff_added', actorKind: 'staff', actorStaffId: admin.id, occurredAt: now, payload: { staffId: staff.id, telegramUserId, role, via: 'telegram' } });
    }
    await insertEvent(trx, {
      type: role ? 'access_approved' : 'access_rejected',
      actorKind: 'staff',
      actorStaffId: admin.id,
      occurredAt: now,
      payload: { telegramUserId, ...(role ? { role } : {}) },
    });
    const noticeIds = await createNotices(trx, [
      { key: `access-result-${telegramUserId}-${decided.requestedAt.getTime()}`, kind: 'access.result', chatId: telegramUserId, payload: { role } },
    ]);
    return { ok: true as const, request: decided, staff, noticeIds };
  });
  if (decision.ok) {
    await deps.producers.sendNotices(decision.noticeIds);
    return { ok: true, request: decision.request, staff: decision.staff };
  }
  if (decision.reason === 'missing') return { ok: false, reason: 'missing', request: undefined };
  const { request } = decision;
  const decidedBy = request.decidedBy === null ? undefined : await findStaffById(db, request.decidedBy);
  const granted = request.status === 'approved' ? await findStaffByTelegramId(db, telegramUserId) : undefined;
  return { ok: false, reason: 'decided', request, decidedBy, grantedRole: granted?.role ?? null };
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
