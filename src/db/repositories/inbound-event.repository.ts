import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, InboundEventRow, Platform } from '../schema.js';
import { bulkInsert, column } from './bulk-insert.js';

type Executor = Kysely<Database>;

export interface NewInboundEvent {
  platform: Platform;
  origin: 'webhook' | 'poll' | 'import';
  dedupKey: string;
  /** The payload, made storable by {@link payloadJson}; ignored when `json` is given. */
  payload?: unknown;
  /**
   * The payload as the JSON text it arrived as, stored exactly so:
   * PostgreSQL parses it into `jsonb` (it does that in any case), so a
   * webhook body costs no parse and serialise in Node. Text PostgreSQL
   * refuses (not JSON, `\u0000`, a lone surrogate, nesting too deep) fails
   * the insert: the caller then parses it itself and stores `payload`.
   */
  json?: string;
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
  const [stored] = await insertInboundEvents(db, [event]);
  return stored!;
}

const INBOUND_COLUMNS = [
  column<NewInboundEvent, 'text'>('platform', 'text', (e) => e.platform),
  column<NewInboundEvent, 'text'>('origin', 'text', (e) => e.origin),
  column<NewInboundEvent, 'text'>('dedup_key', 'text', (e) => e.dedupKey),
  column<NewInboundEvent, 'jsonb'>('payload', 'jsonb', (e) => e.json ?? payloadJson(e.payload)),
];

/**
 * Stores several raw payloads with one statement (one round trip, one
 * commit); each gets its id, `inserted: false` when its dedup key was
 * already stored (before, or earlier in the same list). Results are in the
 * order of `events`.
 */
export async function insertInboundEvents(db: Executor, events: NewInboundEvent[]): Promise<Array<{ id: number; inserted: boolean }>> {
  if (events.length === 0) return [];
  const first = new Map<string, number>();
  const unique: NewInboundEvent[] = [];
  for (const [index, event] of events.entries()) {
    if (first.has(event.dedupKey)) continue;
    first.set(event.dedupKey, index);
    unique.push(event);
  }
  const { rows: inserted } = await bulkInsert<NewInboundEvent, { id: number; dedupKey: string }>(
    'inboundEvents',
    INBOUND_COLUMNS,
    unique,
    sql`on conflict (dedup_key) do nothing returning id, dedup_key`,
  ).execute(db);
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

/** An inbound event as {@link takeInboundEvents} found it. */
export interface TakenInboundEvent {
  id: number;
  /** Its status before: only a `pending` event was taken (and is `processed` now). */
  status: InboundEventRow['status'];
  platform: Platform;
  /** The stored payload of a taken event; null for one that was not pending. */
  payload: unknown;
}

/**
 * Locks several inbound events for this transaction, in id order (so two
 * batches never wait on each other in a circle), and marks the pending ones
 * processed at `at` in the same statement: one row version and one round
 * trip per batch instead of a lock and a later update. The caller's
 * transaction makes it all-or-nothing; an event it cannot process after all
 * is handed back with {@link returnInboundEvents}. Ids that do not exist are
 * absent from the result.
 */
export async function takeInboundEvents(trx: Transaction<Database>, ids: number[], at: Date): Promise<TakenInboundEvent[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<TakenInboundEvent>`
    with locked as (
      select id, status, platform from inbound_events where id = any(${ids}::bigint[]) order by id for update
    ), taken as (
      update inbound_events e
      set status = 'processed', processed_at = ${at.toISOString()}::timestamptz, attempts = e.attempts + 1, last_error = null
      from locked
      where e.id = locked.id and locked.status = 'pending'
      returning e.id, e.payload
    )
    select locked.id, locked.status, locked.platform, taken.payload
    from locked left join taken on taken.id = locked.id
    order by locked.id`.execute(trx);
  return rows;
}

/** Undoes {@link takeInboundEvents} for events of this transaction that could not be processed: pending again, as before. */
export async function returnInboundEvents(trx: Transaction<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('inboundEvents')
    .set({ status: 'pending', processedAt: null, attempts: sql`attempts - 1` })
    .where('id', 'in', ids)
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
