/**
 * Counters (the department's figures that are not inquiries), their
 * entries, remarks and the bot's prompts for them. The year's sums are read
 * by `reports/year/counter-figures.query.ts`.
 */
import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { CounterEntryRow, CounterEntryTable, CounterPromptRow, CounterPromptTable, CounterRemarkRow, CounterRow, CounterTable, Database } from '../schema.js';

type Executor = Kysely<Database>;

/** The counters in report order (section, position); `activeOnly` leaves out those switched off. */
export async function listCounters(db: Executor, options: { activeOnly?: boolean; loggable?: boolean } = {}): Promise<CounterRow[]> {
  let q = db.selectFrom('counters').selectAll();
  if (options.activeOnly) q = q.where('active', '=', true);
  if (options.loggable) q = q.where('source', '=', 'logged');
  return q
    .orderBy(sql`case section when 'public_relations' then 1 when 'information' then 2 else 3 end`)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function findCounterById(db: Executor, id: number): Promise<CounterRow | undefined> {
  return db.selectFrom('counters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCounterByCode(db: Executor, code: string): Promise<CounterRow | undefined> {
  return db.selectFrom('counters').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertCounter(db: Executor, counter: Insertable<CounterTable>): Promise<CounterRow> {
  return db.insertInto('counters').values(counter).returningAll().executeTakeFirstOrThrow();
}

export async function updateCounter(db: Executor, id: number, changes: Updateable<CounterTable>): Promise<CounterRow> {
  return db.updateTable('counters').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function insertCounterEntry(db: Executor, entry: Insertable<CounterEntryTable>): Promise<CounterEntryRow> {
  return db.insertInto('counterEntries').values(entry).returningAll().executeTakeFirstOrThrow();
}

export async function findCounterEntry(db: Executor, id: number): Promise<CounterEntryRow | undefined> {
  return db.selectFrom('counterEntries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks an entry for a correction in this transaction. */
export async function lockCounterEntry(trx: Transaction<Database>, id: number): Promise<CounterEntryRow | undefined> {
  return trx.selectFrom('counterEntries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateCounterEntry(db: Executor, id: number, changes: Updateable<CounterEntryTable>): Promise<CounterEntryRow> {
  return db
    .updateTable('counterEntries')
    .set({ ...changes, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Entries of a counter (or all counters) on local days `from`..`to`, newest first, voided ones included. */
export async function listCounterEntries(
  db: Executor,
  options: { counterId?: number; from: string; to: string; limit: number },
): Promise<Array<CounterEntryRow & { code: string; staffName: string | null }>> {
  let q = db
    .selectFrom('counterEntries as e')
    .innerJoin('counters as c', 'c.id', 'e.counterId')
    .leftJoin('staff as s', 's.id', 'e.staffId')
    .selectAll('e')
    .select(['c.code', 's.name as staffName'])
    .where('e.occurredOn', '>=', options.from)
    .where('e.occurredOn', '<=', options.to);
  if (options.counterId !== undefined) q = q.where('e.counterId', '=', options.counterId);
  return q.orderBy('e.occurredOn', 'desc').orderBy('e.id', 'desc').limit(options.limit).execute();
}

export async function upsertCounterRemark(db: Executor, remark: { counterId: number; year: number; text: string; staffId: number | null; enteredBy: string | null }): Promise<CounterRemarkRow> {
  return db
    .insertInto('counterRemarks')
    .values(remark)
    .onConflict((oc) => oc.columns(['counterId', 'year']).doUpdateSet({ text: remark.text, staffId: remark.staffId, enteredBy: remark.enteredBy, updatedAt: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteCounterRemark(db: Executor, counterId: number, year: number): Promise<number> {
  const result = await db.deleteFrom('counterRemarks').where('counterId', '=', counterId).where('year', '=', year).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertCounterPrompt(db: Executor, prompt: Insertable<CounterPromptTable>): Promise<void> {
  await db.insertInto('counterPrompts').values(prompt).onConflict((oc) => oc.columns(['chatId', 'messageId']).doNothing()).execute();
}

export async function findCounterPrompt(db: Executor, chatId: number, messageId: number): Promise<CounterPromptRow | undefined> {
  return db.selectFrom('counterPrompts').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

export async function deleteCounterPrompt(db: Executor, chatId: number, messageId: number): Promise<void> {
  await db.deleteFrom('counterPrompts').where('chatId', '=', chatId).where('messageId', '=', messageId).execute();
}

/** Sum of the quantities of a counter's entries (not cancelled) on local days `from`..`to`. */
export async function sumCounterEntries(db: Executor, counterId: number, from: string, to: string): Promise<number> {
  const row = await db
    .selectFrom('counterEntries')
    .select(sql<number>`coalesce(sum(quantity), 0)::int`.as('total'))
    .where('counterId', '=', counterId)
    .where('voidedAt', 'is', null)
    .where('occurredOn', '>=', from)
    .where('occurredOn', '<=', to)
    .executeTakeFirstOrThrow();
  return row.total;
}
