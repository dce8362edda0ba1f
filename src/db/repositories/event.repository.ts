import { sql, type Kysely } from 'kysely';
import type { Database, EventRow } from '../schema.js';
import { bulkInsert, column } from './bulk-insert.js';

type Executor = Kysely<Database>;

export interface NewEvent {
  type: string;
  inquiryId?: number | null;
  actorStaffId?: number | null;
  actorKind?: 'system' | 'staff' | 'citizen' | 'page';
  payload?: Record<string, unknown>;
  occurredAt?: Date;
}

/** Appends to the audit log (the table refuses updates and deletes). */
export async function insertEvent(db: Executor, event: NewEvent): Promise<void> {
  await insertEvents(db, [event]);
}

const EVENT_COLUMNS = [
  column<NewEvent, 'text'>('type', 'text', (e) => e.type),
  column<NewEvent, 'bigint'>('inquiry_id', 'bigint', (e) => e.inquiryId ?? null),
  column<NewEvent, 'bigint'>('actor_staff_id', 'bigint', (e) => e.actorStaffId ?? null),
  column<NewEvent, 'text'>('actor_kind', 'text', (e) => e.actorKind ?? 'system'),
  column<NewEvent, 'jsonb'>('payload', 'jsonb', (e) => JSON.stringify(e.payload ?? {})),
  // The column's default where the event gives no time of its own.
  column<NewEvent, 'timestamptz'>('occurred_at', 'timestamptz', (e) => e.occurredAt ?? null, sql`now()`),
];

/** Appends several events with one statement (one array per column), in order. */
export async function insertEvents(db: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await bulkInsert('events', EVENT_COLUMNS, events).execute(db);
}

export async function findEventsForInquiry(db: Executor, inquiryId: number): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('inquiryId', '=', inquiryId).orderBy('id').execute();
}

/**
 * Whether the page's message `externalId` in this inquiry is recorded
 * already: as a person's answer (`native_answer`) or as an automated one
 * (`automated_page_message`), whichever way it came first (webhook or poll).
 */
export async function hasPageMessageEvent(db: Executor, inquiryId: number, externalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('inquiryId', '=', inquiryId)
    .where('type', 'in', ['native_answer', 'automated_page_message'])
    .where(sql<string>`payload->>'externalId'`, '=', externalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the page's own post `externalId` is recorded already (`page_post`). */
export async function hasPagePostEvent(db: Executor, externalId: string): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').where('type', '=', 'page_post').where(sql<string>`payload->>'externalId'`, '=', externalId).executeTakeFirst();
  return row !== undefined;
}
