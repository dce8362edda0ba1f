/**
 * Inserts inquiries, staff and their events straight into the database, as
 * ingest, the bot and reply delivery would have left them, so report tests
 * can describe a month in a few lines.
 */
import type { Db } from '../../src/db/create-db.js';
import { insertEvent } from '../../src/db/repositories/event.repository.js';
import type { AnsweredVia, InquiryRow, Platform, StaffRole, StaffRow } from '../../src/db/schema.js';

export interface InquirySpec {
  postedAt: Date | string;
  platform?: Platform;
  kind?: 'comment' | 'message' | 'mention';
  text?: string;
  externalId?: string;
  threadId?: string;
  authorId?: string;
  permalink?: string;
  /** First response; sets status `answered`. */
  firstResponseAt?: Date | string;
  answeredVia?: AnsweredVia;
  answeredBy?: number;
  claimedAt?: Date | string;
  claimedBy?: number;
  dismissed?: boolean;
  sectorCode?: string;
  suggestedSectorCode?: string;
  previousInquiryId?: number;
  lowPriority?: boolean;
  /** The final answer; sets status `closed` (with a first response). */
  closedAt?: Date | string;
  reopenCount?: number;
  solvedAskedAt?: Date | string;
  solvedAnswer?: 'yes' | 'no' | 'no_reply';
}

let counter = 0;
const toDate = (d: Date | string): Date => (d instanceof Date ? d : new Date(d));

/** Inserts one inquiry with its `ingested`, `claimed`, `answered` and `dismissed` events. */
export async function insertInquiry(db: Db, spec: InquirySpec): Promise<InquiryRow> {
  counter += 1;
  const postedAt = toDate(spec.postedAt);
  const platform = spec.platform ?? 'facebook';
  const firstResponseAt = spec.firstResponseAt ? toDate(spec.firstResponseAt) : null;
  const claimedAt = spec.claimedAt ? toDate(spec.claimedAt) : null;
  const closedAt = spec.closedAt ? toDate(spec.closedAt) : null;
  const status = spec.dismissed ? 'dismissed' : closedAt ? 'closed' : firstResponseAt ? 'answered' : claimedAt ? 'claimed' : 'new';
  const row = await db
    .insertInto('inquiries')
    .values({
      platform,
      kind: spec.kind ?? 'comment',
      externalId: spec.externalId ?? `f-${process.pid}-${Date.now()}-${counter}`,
      threadId: spec.threadId ?? null,
      parentId: null,
      authorId: spec.authorId ?? `citizen-${counter}`,
      authorName: 'Անի Պետրոսյան',
      text: spec.text ?? `Հարց ${counter}`,
      permalink: spec.permalink ?? null,
      postedAt,
      lastCitizenAt: postedAt,
      status,
      dismissReason: spec.dismissed ? 'not_inquiry' : null,
      sectorCode: spec.sectorCode ?? null,
      suggestedSectorCode: spec.suggestedSectorCode ?? null,
      claimedBy: spec.claimedBy ?? null,
      claimedAt,
      firstResponseAt,
      answeredVia: firstResponseAt ? (spec.answeredVia ?? (spec.answeredBy ? 'telegram' : 'native')) : null,
      answeredBy: spec.answeredBy ?? null,
      lowPriority: spec.lowPriority ?? false,
      previousInquiryId: spec.previousInquiryId ?? null,
      closedAt,
      reopenCount: spec.reopenCount ?? 0,
      solvedAskedAt: spec.solvedAskedAt ? toDate(spec.solvedAskedAt) : null,
      solvedAnswer: spec.solvedAnswer ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertEvent(db, { type: 'ingested', inquiryId: row.id, occurredAt: postedAt, payload: { platform, postedAt: postedAt.toISOString() } });
  if (claimedAt) await insertEvent(db, { type: 'claimed', inquiryId: row.id, actorKind: 'staff', actorStaffId: spec.claimedBy ?? null, occurredAt: claimedAt });
  if (firstResponseAt) {
    await insertEvent(db, {
      type: 'answered',
      inquiryId: row.id,
      actorKind: row.answeredVia === 'native' ? 'page' : 'staff',
      actorStaffId: spec.answeredBy ?? null,
      occurredAt: firstResponseAt,
      payload: { via: row.answeredVia, at: firstResponseAt.toISOString() },
    });
  }
  if (closedAt) await insertEvent(db, { type: 'closed', inquiryId: row.id, occurredAt: closedAt, payload: { at: closedAt.toISOString() } });
  if (spec.dismissed) await insertEvent(db, { type: 'dismissed', inquiryId: row.id, payload: { reason: 'not_inquiry' } });
  return row;
}

export async function insertInquiries(db: Db, specs: InquirySpec[]): Promise<InquiryRow[]> {
  const rows: InquiryRow[] = [];
  for (const spec of specs) rows.push(await insertInquiry(db, spec));
  return rows;
}

/** `count` inquiries alike (spread over a minute each from `postedAt`). */
export async function insertMany(db: Db, count: number, spec: InquirySpec): Promise<InquiryRow[]> {
  const base = toDate(spec.postedAt).getTime();
  const shift = (d: Date | string | undefined, i: number) => (d === undefined ? undefined : new Date(toDate(d).getTime() + i * 60_000));
  const specs = Array.from({ length: count }, (_, i) => ({
    ...spec,
    postedAt: new Date(base + i * 60_000),
    firstResponseAt: shift(spec.firstResponseAt, i),
    claimedAt: shift(spec.claimedAt, i),
  }));
  return insertInquiries(db, specs);
}

let staffCounter = 0;
export async function insertStaff(
  db: Db,
  spec: { name: string; role?: StaffRole; telegramUserId?: number; language?: 'hy' | 'en' | 'ru'; active?: boolean },
): Promise<StaffRow> {
  staffCounter += 1;
  return db
    .insertInto('staff')
    .values({
      name: spec.name,
      role: spec.role ?? 'agent',
      telegramUserId: spec.telegramUserId ?? 900_000 + staffCounter + process.pid * 100,
      username: null,
      language: spec.language ?? 'hy',
      active: spec.active ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
