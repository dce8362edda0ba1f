/**
 * Importing past inquiries: times in the city's zone, the audit events,
 * business-hours times and idempotency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { importInquiriesCsv, parseImportTime } from '../../src/inbox/import.workflow.js';
import { insertStaff } from '../factories/inquiry.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: {} });
const now = new Date('2026-11-28T12:00:00Z');
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.close();
});

describe('import of past inquiries', () => {
  it('reads local times in the city\'s zone, dotted dates and ISO times with offsets', () => {
    expect(parseImportTime('2018-05-03 10:15', 'Asia/Yerevan')?.toISOString()).toBe('2018-05-03T06:15:00.000Z');
    expect(parseImportTime('03.05.2018 10:15:30', 'Asia/Yerevan')?.toISOString()).toBe('2018-05-03T06:15:30.000Z');
    expect(parseImportTime('2018-05-03T10:15:00Z', 'Asia/Yerevan')?.toISOString()).toBe('2018-05-03T10:15:00.000Z');
    expect(parseImportTime('2018-05-03T10:15:00+02:00', 'Asia/Yerevan')?.toISOString()).toBe('2018-05-03T08:15:00.000Z');
    expect(parseImportTime('2018-02-30 10:15', 'Asia/Yerevan')).toBeUndefined();
    expect(parseImportTime('yesterday', 'Asia/Yerevan')).toBeUndefined();
  });

  it('stores inquiries with their events, messages, SLA and business-hours times, once', async () => {
    const staff = await insertStaff(tdb.db, { name: 'Գոհար Մելքոնյան' });
    const csv = [
      'Platform;Posted At;Answered At;Sector;Staff;Text;External_ID;Status',
      // Friday 17:00 → Monday 10:00 local: 2 business hours
      'facebook;2018-05-04 17:00;2018-05-07 10:00;roads_transport;Գոհար Մելքոնյան;"Փոս; մեծ փոս";fb_1;',
      'instagram;2018-05-05 12:00;;;;"Spam, really";ig_1;dismissed',
    ].join('\n');
    const first = await importInquiriesCsv(tdb.db, csv, { config, now, source: 'history.csv' });
    expect(first).toEqual({ rows: 2, imported: 2, skipped: 0, errors: [], unanswered: 0 });
    const rows = await tdb.db.selectFrom('inquiries').selectAll().orderBy('externalId').execute();
    // An answer in the history is the final one: the inquiry is closed then (its resolution time is its first-response time).
    expect(rows.map((r) => [r.externalId, r.status, r.answeredVia, r.answeredBy, r.sectorCode, r.text, r.frtBusinessMinutes, r.resolutionBusinessMinutes])).toEqual([
      ['fb_1', 'closed', 'native', staff.id, 'roads_transport', 'Փոս; մեծ փոս', 120, 120],
      ['ig_1', 'dismissed', null, null, null, 'Spam, really', null, null],
    ]);
    // 8 business hours after Friday 17:00 is Monday 16:00.
    expect(rows[0]!.slaDueAt?.toISOString()).toBe('2018-05-07T12:00:00.000Z');
    const events = await tdb.db.selectFrom('events').select(['type', 'inquiryId', 'occurredAt']).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['ingested', 'answered', 'closed', 'ingested', 'dismissed']);
    expect(events[1]!.occurredAt.toISOString()).toBe('2018-05-07T06:00:00.000Z');
    const messages = await tdb.db.selectFrom('inquiryMessages').select(['externalId']).orderBy('externalId').execute();
    expect(messages.map((m) => m.externalId)).toEqual(['fb_1', 'ig_1']);

    const again = await importInquiriesCsv(tdb.db, csv, { config, now });
    expect(again).toMatchObject({ imported: 0, skipped: 2, errors: [] });
    expect(await tdb.db.selectFrom('events').select('id').execute()).toHaveLength(5);
  });

  it('refuses rows from the future, duplicates in the file and an unclosed quote', async () => {
    const future = await importInquiriesCsv(tdb.db, 'platform,posted_at,external_id\nfacebook,2027-01-01 10:00,x1\nfacebook,2018-01-01 10:00,x2\nfacebook,2018-01-02 10:00,x2\n', { config, now, unanswered: 'open' });
    expect(future.errors).toEqual(['line 2: posted_at 2027-01-01 10:00 is in the future', 'line 4: external_id x2 already appears on line 3']);
    const quote = await importInquiriesCsv(tdb.db, 'platform,posted_at\nfacebook,"2018-01-01 10:00\n', { config, now });
    expect(quote.errors).toEqual(['line 2: a quoted field is never closed (a " is missing)']);
    const noHeader = await importInquiriesCsv(tdb.db, 'facebook,2018-01-01 10:00\n', { config, now });
    expect(noHeader.errors[0]).toMatch(/the header has no "platform" column/);
  });
});
