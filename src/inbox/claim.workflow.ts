/**
 * What staff do to an inquiry from its card: claim, release, reassign,
 * dismiss, tag a sector. Each is one transaction that checks the current
 * state and who may act, changes the row and appends the event with its
 * actor; after the commit it queues what follows (the card shows the new
 * state, a person given an inquiry is told), so the bot and a web page get
 * the same effects. A claim is one conditional UPDATE
 * (`… where status = 'new'`), so of any number of simultaneous claims
 * exactly one wins.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findInquiryById, lockInquiry, updateInquiry, updateInquiryIfNew } from '../db/repositories/inquiry.repository.js';
import { findActiveSector, listActiveSectors } from '../db/repositories/sector.repository.js';
import { findStaffById } from '../db/repositories/staff.repository.js';
import type { Database, InquiryRow, StaffRow } from '../db/schema.js';
import { canTransition, isOpen, type DismissReason } from '../domain/inquiry.js';
import type { Sector } from '../domain/sectors.js';
import { can } from '../domain/staff.js';
import type { Producers } from '../queue/producers.js';
import { createNotices } from './staff-notices.workflow.js';
import { listAssignableStaff } from './staff.workflow.js';

/** What the card actions need: the database, and the queues for what follows a change. */
export interface StaffActionDeps {
  db: Db;
  producers: Pick<Producers, 'updateCards' | 'sendNotices'>;
}

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

/** After a change: the card shows the new state. */
async function refreshCard(deps: StaffActionDeps, outcome: Outcome<unknown>): Promise<void> {
  if (outcome.ok) await deps.producers.updateCards([outcome.inquiry.id]);
}

/** Claims a new inquiry; exactly one of any number of simultaneous claims wins. */
export async function claimInquiry(deps: StaffActionDeps, input: ActionInput): Promise<Outcome> {
  const { db } = deps;
  const { staff, now } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot claim` };
  const won = await db.transaction().execute(async (trx) => {
    const row = await updateInquiryIfNew(trx, input.inquiryId, { status: 'claimed', claimedBy: staff.id, claimedAt: now });
    if (row) {
      await insertEvent(trx, { type: 'claimed', inquiryId: row.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: {} });
    }
    return row;
  });
  if (!won) return refusalFor(db, await findInquiryById(db, input.inquiryId), staff);
  const outcome: Outcome = { ok: true, inquiry: won };
  await refreshCard(deps, outcome);
  return outcome;
}

/** The claimant (or a supervisor) gives the inquiry back to the queue. */
export async function releaseInquiry(deps: StaffActionDeps, input: ActionInput): Promise<Outcome> {
  const { staff, now } = input;
  const outcome = await deps.db.transaction().execute(async (trx): Promise<Outcome> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    // Only a claimed inquiry can go back to the queue.
    if (!canTransition(inquiry.status, 'new')) return isOpen(inquiry.status) ? { ok: false, reason: 'invalid', why: 'not claimed' } : { ok: false, reason: 'closed', inquiry };
    if (inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) return { ok: false, reason: 'denied', inquiry, why: 'only the claimant or a supervisor can release' };
    const row = await updateInquiry(trx, inquiry.id, { status: 'new', claimedBy: null, claimedAt: null });
    await insertEvent(trx, { type: 'released', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { claimant: inquiry.claimedBy } });
    return { ok: true, inquiry: row };
  });
  await refreshCard(deps, outcome);
  return outcome;
}

/** Whether an inquiry exists and is open (before a menu of choices for it is shown). */
export async function checkOpen(db: Db, inquiryId: number): Promise<Outcome> {
  const inquiry = await findInquiryById(db, inquiryId);
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed', inquiry };
  return { ok: true, inquiry };
}

/** Who an open inquiry can be given to: everyone who takes inquiries, except its current claimant. */
export async function reassignChoices(db: Db, inquiryId: number): Promise<Outcome<{ people: StaffRow[] }>> {
  const open = await checkOpen(db, inquiryId);
  if (!open.ok) return open;
  const people = (await listAssignableStaff(db)).filter((s) => s.id !== open.inquiry.claimedBy);
  return { ok: true, inquiry: open.inquiry, people };
}

/**
 * A supervisor gives an open inquiry to another staff member, who is told
 * (a `reassigned` notice) unless they gave it to themselves.
 */
export async function reassignInquiry(deps: StaffActionDeps, input: ActionInput & { toStaffId: number }): Promise<Outcome<{ assignee: StaffRow }>> {
  const { staff, now } = input;
  if (!can(staff, 'supervise')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot reassign` };
  const { outcome, noticeIds } = await deps.db.transaction().execute(async (trx) => {
    const done = await reassignLocked(trx, input);
    if (!done.ok || done.assignee.id === staff.id) return { outcome: done, noticeIds: [] };
    const ids = await createNotices(trx, [
      {
        key: `reassigned-${done.inquiry.id}-${done.assignee.id}-${now.getTime()}`,
        kind: 'reassigned',
        chatId: done.assignee.telegramUserId,
        inquiryId: done.inquiry.id,
        payload: { byName: staff.name },
      },
    ]);
    return { outcome: done, noticeIds: ids };
  });
  await refreshCard(deps, outcome);
  await deps.producers.sendNotices(noticeIds);
  return outcome;
}

async function reassignLocked(trx: Transaction<Database>, input: ActionInput & { toStaffId: number }): Promise<Outcome<{ assignee: StaffRow }>> {
  const { staff, now } = input;
  const inquiry = await lockInquiry(trx, input.inquiryId);
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed', inquiry };
  const assignee = await findStaffById(trx, input.toStaffId);
  if (!assignee || !can(assignee, 'handle')) return { ok: false, reason: 'invalid', why: 'the chosen person cannot take inquiries' };
  if (inquiry.claimedBy === assignee.id) return { ok: true, inquiry, assignee };
  const row = await updateInquiry(trx, inquiry.id, { status: 'claimed', claimedBy: assignee.id, claimedAt: inquiry.claimedAt ?? now });
  await insertEvent(trx, {
    type: 'reassigned',
    inquiryId: inquiry.id,
    actorKind: 'staff',
    actorStaffId: staff.id,
    occurredAt: now,
    payload: { from: inquiry.claimedBy, to: assignee.id },
  });
  return { ok: true, inquiry: row, assignee };
}

/** Not an inquiry (spam, duplicate, handled offline): any staff for a new one, the claimant or a supervisor for a claimed one. */
export async function dismissInquiry(deps: StaffActionDeps, input: ActionInput & { reason: DismissReason }): Promise<Outcome> {
  const { staff, now, reason } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot dismiss` };
  const outcome = await deps.db.transaction().execute(async (trx): Promise<Outcome> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (!canTransition(inquiry.status, 'dismissed')) return { ok: false, reason: 'closed', inquiry };
    if (inquiry.status === 'claimed' && inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) {
      return { ok: false, reason: 'taken', inquiry, holder: inquiry.claimedBy === null ? undefined : await findStaffById(trx, inquiry.claimedBy) };
    }
    const row = await updateInquiry(trx, inquiry.id, { status: 'dismissed', dismissReason: reason });
    await insertEvent(trx, { type: 'dismissed', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { reason, from: inquiry.status } });
    return { ok: true, inquiry: row };
  });
  await refreshCard(deps, outcome);
  return outcome;
}

/** The active sectors an inquiry can be tagged with, in display order. */
export async function sectorChoices(db: Db, inquiryId: number): Promise<{ ok: true; sectors: Sector[] } | { ok: false; reason: 'missing' }> {
  if (!(await findInquiryById(db, inquiryId))) return { ok: false, reason: 'missing' };
  return { ok: true, sectors: await listActiveSectors(db) };
}

/** Confirms or changes the sector (also after the answer: reports count by sector). */
export async function setInquirySector(deps: StaffActionDeps, input: ActionInput & { sectorCode: string }): Promise<Outcome<{ sectorName: Sector['names'] }>> {
  const { staff, now } = input;
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', inquiry: undefined, why: `role ${staff.role} cannot set a sector` };
  const outcome = await deps.db.transaction().execute(async (trx): Promise<Outcome<{ sectorName: Sector['names'] }>> => {
    const inquiry = await lockInquiry(trx, input.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (inquiry.status === 'dismissed') return { ok: false, reason: 'closed', inquiry };
    const sector = await findActiveSector(trx, input.sectorCode);
    if (!sector) return { ok: false, reason: 'invalid', why: `no active sector ${input.sectorCode}` };
    const sectorName = sector.names;
    if (inquiry.sectorCode === sector.code) return { ok: true, inquiry, sectorName };
    const row = await updateInquiry(trx, inquiry.id, { sectorCode: sector.code });
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
  await refreshCard(deps, outcome);
  return outcome;
}
