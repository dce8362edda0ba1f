import type { Kysely } from 'kysely';
import type { Database, EventRow } from '../schema.js';

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
  await db
    .insertInto('events')
    .values({
      type: event.type,
      inquiryId: event.inquiryId ?? null,
      actorStaffId: event.actorStaffId ?? null,
      actorKind: event.actorKind ?? 'system',
      payload: JSON.stringify(event.payload ?? {}),
      ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
    })
    .execute();
}

/** Appends several events with one statement, in order. */
export async function insertEvents(db: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('events')
    .values(
      events.map((event) => ({
        type: event.type,
        inquiryId: event.inquiryId ?? null,
        actorStaffId: event.actorStaffId ?? null,
        actorKind: event.actorKind ?? 'system',
        payload: JSON.stringify(event.payload ?? {}),
        ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
      })),
    )
    .execute();
}

export async function findEventsForInquiry(db: Executor, inquiryId: number): Promise<EventRow[]> {
  return db.selectFrom('events').selectAll().where('inquiryId', '=', inquiryId).orderBy('id').execute();
}
