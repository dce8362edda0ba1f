/**
 * What staff do to an inquiry from its card: claim, release, reassign,
 * dismiss, tag a sector. Each is one transaction that checks the current
 * state and who may act, changes the row and appends the event with its
 * actor. A claim is one conditional UPDATE (`… where status = 'new'`), so of
 * any number of simultaneous claims exactly one wins. Callers refresh the
 * card (a `card.update` job) after a change.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { lockInquiry } from '../db/repositories/inquiry.repository.js';
import type { InquiryRow, StaffRow } from '../db/schema.js';
import { DISMISS_REASONS, isOpen, type DismissReason } from '../domain/inquiry.js';
import { can, findStaffById } from './staff.workflow.js';

/** Why an action was not done. `denied` is a refusal by role or ownership. */
export type Refusal =
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'closed'; inquiry: InquiryRow }
  | { ok: false; reason: 'taken'; inquiry: InquiryRow; holder: StaffRow | undefined }
  | { ok: false; reason: 'already_yours'; inquiry: InquiryRow }
  | { ok: false; reason: 'denied'; inquiry: InquiryRow | undefined; why: string }
  | { ok: false; reason: 'invalid'; why: string };

export type Outcome<T = object> = ({ ok: true; inquiry: InquiryRow } & T) | Refusal;

export interface ActionInput {
  inquiryId: number;
  staff: StaffRow;
  now: Date;
}

async function refusalFor(db: Db, inquiry: InquiryRow | undefined, staff: StaffRow): Promise<Refusal> {
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed', inquiry };
  if (inquiry.claimedBy === staff.id) return { ok: false, reason: 'already_yours', inquiry };
  return { ok: false, reason: 'taken', inquiry, holder: inquiry.claimedBy === null ? undefined : await findStaffById(db, inquiry.claimedBy) };
}

/** Claims a new inquiry; exactly one of any number of simultaneous claims wins. */
export async function claimInquiry(db: Db, input: ActionInput): Promise<Outcome> {
  const { staff, now } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot claim` };
  const won = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('inquiries')
      .set({ status: 'claimed', claimedBy: staff.id, claimedAt: now, updatedAt: sql<Date>`now()` })
      .where('id', '=', input.inquiryId)
      .where('status', '=', 'new')
      .returningAll()
      .executeTakeFirst();
    if (row) {
      await insertEvent(trx, { type: 'claimed', inquiryId: row.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: {} });
    }
    return row;
  });
  if (won) return { ok: true, inquiry: won };
  const current = await db.selectFrom('inquiries').selectAll().where('id', '=', input.inquiryId).executeTakeFirst();
  return refusalFor(db, current, staff);
}

/** The claimant (or a supervisor) gives the inquiry back to the queue. */
export async function releaseInquiry(db: Db, input: ActionInput): Promise<Outcome> {
  const { staff, now } = input;
  return db.transaction().execute(async (trx): Promise<Outcome> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (inquiry.status !== 'claimed') return isOpen(inquiry.status) ? { ok: false, reason: 'invalid', why: 'not claimed' } : { ok: false, reason: 'closed', inquiry };
    if (inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) return { ok: false, reason: 'denied', inquiry, why: 'only the claimant or a supervisor can release' };
    const row = await trx
      .updateTable('inquiries')
      .set({ status: 'new', claimedBy: null, claimedAt: null, updatedAt: sql<Date>`now()` })
      .where('id', '=', inquiry.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'released', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { claimant: inquiry.claimedBy } });
    return { ok: true, inquiry: row };
  });
}

/** A supervisor gives an open inquiry to another staff member. */
export async function reassignInquiry(db: Db, input: ActionInput & { toStaffId: number }): Promise<Outcome<{ assignee: StaffRow }>> {
  const { staff, now } = input;
  if (!can(staff, 'supervise')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot reassign` };
  return db.transaction().execute(async (trx): Promise<Outcome<{ assignee: StaffRow }>> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed', inquiry };
    const assignee = await findStaffById(trx, input.toStaffId);
    if (!assignee || !can(assignee, 'handle')) return { ok: false, reason: 'invalid', why: 'the chosen person cannot take inquiries' };
    if (inquiry.claimedBy === assignee.id) return { ok: true, inquiry, assignee };
    const row = await trx
      .updateTable('inquiries')
      .set({ status: 'claimed', claimedBy: assignee.id, claimedAt: inquiry.claimedAt ?? now, updatedAt: sql<Date>`now()` })
      .where('id', '=', inquiry.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, {
      type: 'reassigned',
      inquiryId: inquiry.id,
      actorKind: 'staff',
      actorStaffId: staff.id,
      occurredAt: now,
      payload: { from: inquiry.claimedBy, to: assignee.id },
    });
    return { ok: true, inquiry: row, assignee };
  });
}

export function isDismissReason(value: string): value is DismissReason {
  return (DISMISS_REASONS as readonly string[]).includes(value);
}

/** Not an inquiry (spam, duplicate, handled offline): any staff for a new one, the claimant or a supervisor for a claimed one. */
export async function dismissInquiry(db: Db, input: ActionInput & { reason: DismissReason }): Promise<Outcome> {
  const { staff, now, reason } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot dismiss` };
  return db.transaction().execute(async (trx): Promise<Outcome> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed', inquiry };
    if (inquiry.status === 'claimed' && inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) {
      return { ok: false, reason: 'taken', inquiry, holder: inquiry.claimedBy === null ? undefined : await findStaffById(trx, inquiry.claimedBy) };
    }
    const row = await trx
      .updateTable('inquiries')
      .set({ status: 'dismissed', dismissReason: reason, updatedAt: sql<Date>`now()` })
      .where('id', '=', inquiry.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'dismissed', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { reason, from: inquiry.status } });
    return { ok: true, inquiry: row };
  });
}

/** Confirms or changes the sector (also after the answer: reports count by sector). */
export async function setInquirySector(db: Db, input: ActionInput & { sectorCode: string }): Promise<Outcome<{ sectorName: { hy: string; en: string; ru: string } }>> {
  const { staff, now } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot set a sector` };
  return db.transaction().execute(async (trx): Promise<Outcome<{ sectorName: { hy: string; en: string; ru: string } }>> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (inquiry.status === 'dismissed') return { ok: false, reason: 'closed', inquiry };
    const sector = await trx.selectFrom('sectors').selectAll().where('code', '=', input.sectorCode).where('active', '=', true).executeTakeFirst();
    if (!sector) return { ok: false, reason: 'invalid', why: `no active sector ${input.sectorCode}` };
    const sectorName = { hy: sector.nameHy, en: sector.nameEn, ru: sector.nameRu };
    if (inquiry.sectorCode === sector.code) return { ok: true, inquiry, sectorName };
    const row = await trx.updateTable('inquiries').set({ sectorCode: sector.code, updatedAt: sql<Date>`now()` }).where('id', '=', inquiry.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, {
      type: 'sector_set',
      inquiryId: inquiry.id,
      actorKind: 'staff',
      actorStaffId: staff.id,
      occurredAt: now,
      payload: { from: inquiry.sectorCode, to: sector.code, suggested: inquiry.suggestedSectorCode },
    });
    return { ok: true, inquiry: row, sectorName };
  });
}
