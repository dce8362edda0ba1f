/**
 * The follow-through figures (issue 18) on a hand-computed May 2026 in
 * Yerevan (UTC+4; business hours Mon-Fri 09:00-18:00, 540 minutes a day;
 * 28 May, First Republic Day, is a day off by law), computed by the real SQL
 * and carried by the report's JSON. SLA_RESOLUTION=1d: one business day,
 * 540 business minutes.
 *
 * | | posted | first response | final answer | wall min | business min |
 * |---|---|---|---|---|---|
 * | A | Wed 27 May 10:00 | 27 May 10:30 | Fri 29 May 11:00 | 2940 | 480 + 0 (28 May) + 120 = 600 |
 * | B | Mon 25 May 09:30 | 25 May 10:00 (interim) | Mon 25 May 15:30 | 360 | 360 |
 * | C | Tue 26 May 17:00 | 26 May 17:30 (interim) | — | | |
 * | D | Mon 18 May 12:00 | 18 May 13:00 | Tue 19 May 12:00 (reopened once, closed again) | 1440 | 360 + 180 = 540 |
 * | E | Fri 22 May 16:00 | 22 May 16:30 | Mon 25 May 10:00 | 3960 | 120 + 60 = 180 |
 * | F | Mon 4 May 10:00 | 4 May 10:20 | closed 4 May 11:00, then reopened ("not solved"): none now | | |
 * | G | Sun 10 May 10:00 | — | — | | |
 * | H | dismissed | | | | |
 *
 * Resolved in May (final answer in May): A, B, D, E. Wall: 360, 1440, 2940,
 * 3960 → median 2190, p90 (percentile_cont: 2940 + 0.7 × 1020) 3654.
 * Business: 180, 360, 540, 600 → median 450, p90 540 + 0.7 × 60 = 582.
 * Within one business day: B, D, E → 3/4. Without the holiday A would
 * count 1140 business minutes.
 * Received in May with a first response: A-F (6); finally answered now
 * A, B, D, E (4/6), only an interim answer now C, F (2/6). Ever closed:
 * A, B, D, E, F (5), reopened D, F: 2/5.
 * Asked "was it solved?" in May: D yes, E no reply, F no → solved 1/(1+1).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parsePeriodSpec } from '../../src/domain/periods.js';
import { buildRangeReport } from '../../src/reports/period-report.js';
import { renderReportJson } from '../../src/reports/renderers/json.renderer.js';
import { renderReportCsv } from '../../src/reports/renderers/csv.renderer.js';
import { renderReportText } from '../../src/reports/renderers/text.renderer.js';
import { catalogFor } from '../../src/reports/i18n/index.js';
import { insertInquiries } from '../factories/inquiry.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: { SLA_RESOLUTION: '1d' } });
const tz = config.timezone;
const yvn = (local: string) => new Date(`${local}+04:00`);
const NOW = yvn('2026-07-01T12:00:00');

let tdb: TestDatabase;
beforeEach(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await tdb.close();
});

async function seedMay(): Promise<void> {
  await insertInquiries(tdb.db, [
    { postedAt: yvn('2026-05-27T10:00:00'), firstResponseAt: yvn('2026-05-27T10:30:00'), closedAt: yvn('2026-05-29T11:00:00') }, // A
    { postedAt: yvn('2026-05-25T09:30:00'), firstResponseAt: yvn('2026-05-25T10:00:00'), closedAt: yvn('2026-05-25T15:30:00') }, // B
    { postedAt: yvn('2026-05-26T17:00:00'), firstResponseAt: yvn('2026-05-26T17:30:00') }, // C
    {
      postedAt: yvn('2026-05-18T12:00:00'),
      firstResponseAt: yvn('2026-05-18T13:00:00'),
      closedAt: yvn('2026-05-19T12:00:00'),
      reopenCount: 1,
      solvedAskedAt: yvn('2026-05-22T10:00:00'),
      solvedAnswer: 'yes',
    }, // D
    { postedAt: yvn('2026-05-22T16:00:00'), firstResponseAt: yvn('2026-05-22T16:30:00'), closedAt: yvn('2026-05-25T10:00:00'), solvedAskedAt: yvn('2026-05-27T10:00:00'), solvedAnswer: 'no_reply' }, // E
    { postedAt: yvn('2026-05-04T10:00:00'), firstResponseAt: yvn('2026-05-04T10:20:00'), reopenCount: 1, solvedAskedAt: yvn('2026-05-07T10:00:00'), solvedAnswer: 'no' }, // F
    { postedAt: yvn('2026-05-10T10:00:00') }, // G
    { postedAt: yvn('2026-05-12T10:00:00'), dismissed: true }, // H
  ]);
}

describe('follow-through figures', () => {
  it('resolution times (wall and business clock across 28 May), final vs interim-only, reopen and solved rates, in the JSON', async () => {
    await seedMay();
    const report = await buildRangeReport(tdb.db, config, { range: parsePeriodSpec('2026-05', tz), by: 'month', now: NOW });
    const json = JSON.parse(renderReportJson(report)) as typeof report;
    expect(json.sla).toEqual({ firstResponseMinutes: 480, resolutionMinutes: 540, clock: 'business' });
    expect(json.periods[0]).toMatchObject({
      label: '2026-05',
      received: 7,
      resolved: 4,
      resolutionMedianMinutes: 2190,
      resolutionP90Minutes: 3654,
      resolutionBusinessMedianMinutes: 450,
      resolutionBusinessP90Minutes: 582,
      resolvedWithinTarget: 3,
      resolutionWithinTargetRate: 0.75,
      answeredFinally: 4,
      answeredOnlyInterim: 2,
      finalShare: 0.6667,
      interimOnlyShare: 0.3333,
      reopened: 2,
      reopenRate: 0.4,
      solvedAsked: 3,
      solvedYes: 1,
      solvedNo: 1,
      solvedNoReply: 1,
      solvedRate: 0.5,
    });
    // The stored business minutes of A skip the holiday (a trigger, like the first-response time).
    const a = await tdb.db.selectFrom('inquiries').select('resolutionBusinessMinutes').where('postedAt', '=', yvn('2026-05-27T10:00:00')).executeTakeFirstOrThrow();
    expect(a.resolutionBusinessMinutes).toBe(600);

    // June: nothing resolved, nothing asked.
    const june = await buildRangeReport(tdb.db, config, { range: parsePeriodSpec('2026-06', tz), by: 'month', now: NOW });
    expect(june.periods[0]).toMatchObject({ resolved: 0, resolutionMedianMinutes: null, finalShare: null, reopenRate: null, solvedRate: null });

    // The same figures in the CSV and the text.
    const csv = renderReportCsv(report).split(/\r?\n/);
    const header = csv[0]!.split(',');
    const all = csv[1]!.split(',');
    const cell = (name: string) => all[header.indexOf(name)];
    expect([cell('resolved'), cell('resolution_median_minutes'), cell('resolution_business_median_minutes'), cell('final_share'), cell('reopen_rate'), cell('solved_rate')]).toEqual([
      '4',
      '2190',
      '450',
      '0.6667',
      '0.4',
      '0.5',
    ]);
    const text = renderReportText(report, catalogFor('en'));
    expect(text).toMatch(/Resolved within target\s+75%/);
    expect(text).toMatch(/Reopened\s+40%/);
  });

  it('a change of business hours or days off recomputes the stored resolution times', async () => {
    await seedMay();
    // 28 May a working day after all (HOLIDAYS cannot remove a legal day off, but other hours change every value).
    const longer = loadConfig({ env: { SLA_RESOLUTION: '1d', BUSINESS_HOURS: 'Mon-Fri 09:00-19:00' } });
    const report = await buildRangeReport(tdb.db, longer, { range: parsePeriodSpec('2026-05', tz), by: 'month', now: NOW });
    // A: 27 May 10:00-19:00 = 540, 28 May off, 29 May 09:00-11:00 = 120 → 660. B 360, D 420 + 180 = 600, E 180 + 60 = 240.
    expect(report.periods[0]).toMatchObject({ resolutionBusinessMedianMinutes: (360 + 600) / 2 });
  });
});
