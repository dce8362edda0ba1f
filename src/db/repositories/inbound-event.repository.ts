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
 * Stores a raw payload once: a second delivery with the same dedup key
 * returns the first one's id with `inserted: false`.
 */
export async function insertInboundEvent(db: Executor, event: NewInboundEvent): Promise<{ id: number; inserted: boolean }> {
  const inserted = await db
    .insertInto('inboundEvents')
    .values({ platform: event.platform, origin: event.origin, dedupKey: event.dedupKey, payload: JSON.stringify(event.payload) })
    .onConflict((oc) => oc.column('dedupKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, inserted: true };
  const existing = await db.selectFrom('inboundEvents').select('id').where('dedupKey', '=', event.dedupKey).executeTakeFirstOrThrow();
  return { id: existing.id, inserted: false };
}

/** Locks the row for this transaction; concurrent processors of one event queue up here. */
export async function lockInboundEvent(trx: Executor, id: number): Promise<InboundEventRow | undefined> {
  return trx.selectFrom('inboundEvents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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
