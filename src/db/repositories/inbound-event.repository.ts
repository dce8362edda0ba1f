import { sql, type Kysely } from 'kysely';
import type { Database, InboundEventRow, Platform } from '../schema.js';

type Executor = Kysely<Database>;

export interface NewInboundEvent {
  platform: Platform;
  origin: 'webhook' | 'poll' | 'import';
  dedupKey: string;
  payload: unknown;
}

/**
 * A payload as text for a `jsonb` column. PostgreSQL refuses `\u0000` and
 * unpaired UTF-16 surrogates in JSON, which a platform can send (a citizen's
 * text pasted from anywhere): one such character would make the delivery
 * impossible to store, so it would be refused and redelivered for ever. They
 * become U+FFFD, the replacement character, and everything else is kept.
 */
export function payloadJson(payload: unknown): string {
  // JSON.stringify writes NUL and lone surrogates (never a valid pair) as \uXXXX escapes;
  // an even number of backslashes before one means the backslash is its own.
  return JSON.stringify(payload).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, '$1\\ufffd');
}

/**
 * Stores a raw payload once: a second delivery with the same dedup key
 * returns the first one's id with `inserted: false`.
 */
export async function insertInboundEvent(db: Executor, event: NewInboundEvent): Promise<{ id: number; inserted: boolean }> {
  const inserted = await db
    .insertInto('inboundEvents')
    .values({ platform: event.platform, origin: event.origin, dedupKey: event.dedupKey, payload: payloadJson(event.payload) })
    .onConflict((oc) => oc.column('dedupKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, inserted: true };
  const existing = await db.selectFrom('inboundEvents').select('id').where('dedupKey', '=', event.dedupKey).executeTakeFirstOrThrow();
  return { id: existing.id, inserted: false };
}

/**
 * Stores several raw payloads with one statement (one round trip, one
 * commit); each gets its id, `inserted: false` when its dedup key was
 * already stored (before, or earlier in the same list). Results are in the
 * order of `events`.
 */
export async function insertInboundEvents(db: Executor, events: NewInboundEvent[]): Promise<Array<{ id: number; inserted: boolean }>> {
  if (events.length === 0) return [];
  const first = new Map<string, number>();
  const values = [];
  for (const [index, event] of events.entries()) {
    if (first.has(event.dedupKey)) continue;
    first.set(event.dedupKey, index);
    values.push({ platform: event.platform, origin: event.origin, dedupKey: event.dedupKey, payload: payloadJson(event.payload) });
  }
  const inserted = await db
    .insertInto('inboundEvents')
    .values(values)
    .onConflict((oc) => oc.column('dedupKey').doNothing())
    .returning(['id', 'dedupKey'])
    .execute();
  const ids = new Map(inserted.map((r) => [r.dedupKey, { id: r.id, fresh: true }]));
  const missing = [...first.keys()].filter((key) => !ids.has(key));
  if (missing.length > 0) {
    const existing = await db.selectFrom('inboundEvents').select(['id', 'dedupKey']).where('dedupKey', 'in', missing).execute();
    for (const r of existing) ids.set(r.dedupKey, { id: r.id, fresh: false });
  }
  return events.map((event, index) => {
    const found = ids.get(event.dedupKey);
    if (!found) throw new Error(`inbound event ${event.dedupKey} was neither stored nor found`);
    return { id: found.id, inserted: found.fresh && first.get(event.dedupKey) === index };
  });
}

/** Locks the row for this transaction; concurrent processors of one event queue up here. */
export async function lockInboundEvent(trx: Executor, id: number): Promise<InboundEventRow | undefined> {
  return trx.selectFrom('inboundEvents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks several rows for this transaction, in id order (so two batches never wait on each other in a circle). */
export async function lockInboundEvents(trx: Executor, ids: number[]): Promise<InboundEventRow[]> {
  if (ids.length === 0) return [];
  return trx.selectFrom('inboundEvents').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function markInboundEventsProcessed(trx: Executor, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('inboundEvents')
    .set({ status: 'processed', processedAt: at, attempts: sql`attempts + 1`, lastError: null })
    .where('id', 'in', ids)
    .execute();
}

export async function markInboundProcessed(trx: Executor, id: number, at: Date): Promise<void> {
  await trx
    .updateTable('inboundEvents')
    .set({ status: 'processed', processedAt: at, attempts: sql`attempts + 1`, lastError: null })
    .where('id', '=', id)
    .execute();
}

export async function markInboundFailed(db: Executor, id: number, error: string, permanent: boolean): Promise<void> {
  await db
    .updateTable('inboundEvents')
    .set({ status: permanent ? 'failed' : 'pending', attempts: sql`attempts + 1`, lastError: error })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function findPendingInboundEventIds(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db
    .selectFrom('inboundEvents')
    .select('id')
    .where('status', '=', 'pending')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
