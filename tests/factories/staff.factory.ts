/**
 * Staff members and inquiries for the bot's tests, written straight into
 * the database as ingest and earlier actions would have left them.
 */
import type { Db } from '../../src/db/create-db.js';
import { insertEvent } from '../../src/db/repositories/event.repository.js';
import type { InquiryKind, InquiryRow, Locale, Platform, StaffRole, StaffRow } from '../../src/db/schema.js';

/** A Telegram user as the stand-in's update builders take it. */
export interface Person {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export const people = {
  ani: { id: 5001, first_name: 'Անի', last_name: 'Պետրոսյան', username: 'ani_cityhall' },
  aram: { id: 5002, first_name: 'Արամ', last_name: 'Սարգսյան', username: 'aram_s' },
  lilit: { id: 5003, first_name: 'Լիլիթ', last_name: 'Հովհաննիսյան' },
  boss: { id: 5004, first_name: 'Գոհար', last_name: 'Մանուկյան', username: 'gohar_m' },
  admin: { id: 5005, first_name: 'Տիգրան', last_name: 'Ադամյան', username: 'tigran_it' },
  stranger: { id: 6666, first_name: 'Mallory', username: 'mallory', language_code: 'en' },
} satisfies Record<string, Person>;

export const fullName = (p: Person) => [p.first_name, p.last_name].filter(Boolean).join(' ');

export async function insertStaffMember(db: Db, person: Person, role: StaffRole, language: Locale = 'hy'): Promise<StaffRow> {
  return db
    .insertInto('staff')
    .values({ telegramUserId: person.id, name: fullName(person), username: person.username ?? null, role, language, active: true })
    .returningAll()
    .executeTakeFirstOrThrow();
}

let counter = 0;

export interface TestInquiry {
  postedAt: Date;
  text?: string;
  platform?: Platform;
  kind?: InquiryKind;
  authorName?: string;
  permalink?: string | null;
  threadId?: string | null;
  slaDueAt?: Date | null;
  lowPriority?: boolean;
  claimedBy?: number;
  claimedAt?: Date;
}

/** An inquiry with its first message and `ingested` event. */
export async function insertTestInquiry(db: Db, spec: TestInquiry): Promise<InquiryRow> {
  counter += 1;
  const externalId = `t-${process.pid}-${Date.now()}-${counter}`;
  const text = spec.text ?? `Հարց ${counter}`;
  const row = await db
    .insertInto('inquiries')
    .values({
      platform: spec.platform ?? 'facebook',
      kind: spec.kind ?? 'comment',
      externalId,
      threadId: spec.threadId === undefined ? '104857600000001_900000000000001' : spec.threadId,
      parentId: null,
      authorId: `citizen-${counter}`,
      authorName: spec.authorName ?? 'Անի Պետրոսյան',
      text,
      permalink: spec.permalink === undefined ? `https://www.facebook.com/104857600000001_900000000000001?comment_id=${counter}` : spec.permalink,
      postedAt: spec.postedAt,
      lastCitizenAt: spec.postedAt,
      slaDueAt: spec.slaDueAt ?? null,
      lowPriority: spec.lowPriority ?? false,
      status: spec.claimedBy ? 'claimed' : 'new',
      claimedBy: spec.claimedBy ?? null,
      claimedAt: spec.claimedBy ? (spec.claimedAt ?? spec.postedAt) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('inquiryMessages')
    .values({ inquiryId: row.id, platform: row.platform, externalId, authorId: row.authorId, text, postedAt: spec.postedAt })
    .execute();
  await insertEvent(db, { type: 'ingested', inquiryId: row.id, payload: { test: true } });
  return row;
}

/** Event types of an inquiry, oldest first. */
export async function eventTypes(db: Db, inquiryId: number): Promise<string[]> {
  const rows = await db.selectFrom('events').select('type').where('inquiryId', '=', inquiryId).orderBy('id').execute();
  return rows.map((r) => r.type);
}
