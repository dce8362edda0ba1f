/**
 * Logging the department's counters (DESIGN.md, Domain: counter): what the
 * bot (`/log`, `/remark`) and the command line (`ardzagank log`,
 * `ardzagank counters`) call. Every entry, correction, cancellation and
 * remark is an event of the audit log with who and when; corrections
 * change the entry's row, so the year's sums read the corrected values.
 */
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import {
  findCounterByCode,
  findCounterById,
  insertCounterEntry,
  lockCounterEntry,
  updateCounterEntry,
  upsertCounterRemark,
} from '../db/repositories/counter.repository.js';
import type { CounterEntryRow, CounterRemarkRow, CounterRow, StaffRow } from '../db/schema.js';

/** Who logs: a staff member (the bot) or the operator of the command line (a name, or the system user). */
export type CounterActor = { staff: Pick<StaffRow, 'id' | 'name'> } | { enteredBy: string };

export class CounterError extends Error {
  override name = 'CounterError';
  constructor(
    message: string,
    readonly reason: 'no_such_counter' | 'not_loggable' | 'inactive' | 'no_such_entry' | 'voided' | 'invalid',
  ) {
    super(message);
  }
}

export interface LogEntryInput {
  counter: CounterRow;
  /** Local day, `YYYY-MM-DD`. */
  occurredOn: string;
  quantity?: number;
  amount?: number | null;
  note?: string | null;
  actor: CounterActor;
}

/** Notes are stored whole up to this many characters (a note is a line, not a document). */
export const COUNTER_NOTE_MAX = 1000;

function actorFields(actor: CounterActor): { staffId: number | null; enteredBy: string | null; actorKind: 'staff' | 'system'; actorStaffId: number | null } {
  return 'staff' in actor
    ? { staffId: actor.staff.id, enteredBy: null, actorKind: 'staff', actorStaffId: actor.staff.id }
    : { staffId: null, enteredBy: actor.enteredBy, actorKind: 'system', actorStaffId: null };
}

function checkDay(day: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new CounterError(`"${day}" is not a day (YYYY-MM-DD)`, 'invalid');
  }
}

function checkAmount(counter: CounterRow, amount: number | null | undefined): void {
  if (amount === undefined || amount === null) return;
  if (counter.figure === 'count') throw new CounterError(`${counter.code} has no amount`, 'invalid');
  if (!Number.isFinite(amount) || amount < 0 || amount >= 1e12) throw new CounterError(`the amount must be a number of 0 or more`, 'invalid');
}

function cleanNote(note: string | null | undefined): string | null {
  const text = note?.trim();
  if (!text) return null;
  return Array.from(text).slice(0, COUNTER_NOTE_MAX).join('');
}

/** An entry's amount as a number (numeric columns are read as text). */
function amountOf(entry: CounterEntryRow): number | null {
  return entry.amount === null ? null : Number(entry.amount);
}

/** Finds a counter by its code, or throws a {@link CounterError} listing the codes. */
export async function getCounterByCode(db: Db, code: string): Promise<CounterRow> {
  const counter = await findCounterByCode(db, code);
  if (!counter) throw new CounterError(`No counter "${code}" (ardzagank counters lists them)`, 'no_such_counter');
  return counter;
}

/** Logs one entry of a counter (a tap, a line of the CLI). */
export async function logCounterEntry(db: Db, input: LogEntryInput): Promise<CounterEntryRow> {
  const { counter } = input;
  if (counter.source !== 'logged') throw new CounterError(`${counter.code} is counted from the platforms' feeds, not logged`, 'not_loggable');
  if (!counter.active) throw new CounterError(`${counter.code} is switched off`, 'inactive');
  checkDay(input.occurredOn);
  checkAmount(counter, input.amount);
  const quantity = input.quantity ?? 1;
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > 1_000_000) throw new CounterError('the quantity must be a whole number from 1', 'invalid');
  const who = actorFields(input.actor);
  return db.transaction().execute(async (trx) => {
    const entry = await insertCounterEntry(trx, {
      counterId: counter.id,
      occurredOn: input.occurredOn,
      quantity,
      amount: input.amount ?? null,
      note: cleanNote(input.note),
      staffId: who.staffId,
      enteredBy: who.enteredBy,
    });
    await insertEvent(trx, {
      type: 'counter_logged',
      actorKind: who.actorKind,
      actorStaffId: who.actorStaffId,
      payload: {
        entryId: entry.id,
        counter: counter.code,
        occurredOn: input.occurredOn,
        quantity,
        amount: input.amount ?? null,
        ...(who.enteredBy ? { enteredBy: who.enteredBy } : {}),
      },
    });
    return entry;
  });
}

export interface CorrectEntryInput {
  entryId: number;
  occurredOn?: string;
  quantity?: number;
  amount?: number | null;
  note?: string | null;
  /** Cancels the entry: it no longer counts (it stays, voided, with the event). */
  void?: boolean;
  actor: CounterActor;
}

/** Corrects (or cancels) an entry; the event holds the values before and after. */
export async function correctCounterEntry(db: Db, input: CorrectEntryInput): Promise<{ entry: CounterEntryRow; counter: CounterRow }> {
  if (input.occurredOn !== undefined) checkDay(input.occurredOn);
  if (input.quantity !== undefined && (!Number.isSafeInteger(input.quantity) || input.quantity < 1)) throw new CounterError('the quantity must be a whole number from 1', 'invalid');
  const who = actorFields(input.actor);
  return db.transaction().execute(async (trx) => {
    const before = await lockCounterEntry(trx, input.entryId);
    if (!before) throw new CounterError(`No counter entry ${input.entryId}`, 'no_such_entry');
    if (before.voidedAt) throw new CounterError(`Entry ${input.entryId} was cancelled`, 'voided');
    const counter = (await findCounterById(trx, before.counterId))!;
    checkAmount(counter, input.amount);
    const changes = {
      ...(input.occurredOn !== undefined ? { occurredOn: input.occurredOn } : {}),
      ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.note !== undefined ? { note: cleanNote(input.note) } : {}),
      ...(input.void ? { voidedAt: new Date(), voidedByStaffId: who.staffId } : {}),
    };
    const entry = await updateCounterEntry(trx, before.id, changes);
    await insertEvent(trx, {
      type: input.void ? 'counter_voided' : 'counter_corrected',
      actorKind: who.actorKind,
      actorStaffId: who.actorStaffId,
      payload: {
        entryId: entry.id,
        counter: counter.code,
        before: { occurredOn: before.occurredOn, quantity: before.quantity, amount: amountOf(before), note: before.note },
        after: { occurredOn: entry.occurredOn, quantity: entry.quantity, amount: amountOf(entry), note: entry.note },
        ...(who.enteredBy ? { enteredBy: who.enteredBy } : {}),
      },
    });
    return { entry, counter };
  });
}

/** Sets what the year's report says of a counter for a year ("no special counting was done, more than 10 a day"). */
export async function setCounterRemark(db: Db, input: { counter: CounterRow; year: number; text: string; actor: CounterActor }): Promise<CounterRemarkRow> {
  const text = cleanNote(input.text);
  if (!text) throw new CounterError('the remark is empty', 'invalid');
  if (!Number.isInteger(input.year) || input.year < 1900 || input.year > 2999) throw new CounterError('the year must be like 2018', 'invalid');
  const who = actorFields(input.actor);
  return db.transaction().execute(async (trx) => {
    const row = await upsertCounterRemark(trx, { counterId: input.counter.id, year: input.year, text, staffId: who.staffId, enteredBy: who.enteredBy });
    await insertEvent(trx, {
      type: 'counter_remark',
      actorKind: who.actorKind,
      actorStaffId: who.actorStaffId,
      payload: { counter: input.counter.code, year: input.year, text, ...(who.enteredBy ? { enteredBy: who.enteredBy } : {}) },
    });
    return row;
  });
}
