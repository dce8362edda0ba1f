/**
 * Each figure of DESIGN.md (Metrics) on a few inquiries put in the database
 * the way ingest, the bot and delivery leave them, computed by the real SQL
 * on a real Postgres. Times are written in Yerevan local time (UTC+4).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBusinessClock } from '../../src/domain/business-time.js';
import { createHolidayCalendar } from '../../src/domain/holidays.js';
import { monthRange, parsePeriodSpec } from '../../src/domain/periods.js';
import { ensureBusinessCalendar } from '../../src/reports/business-calendar.service.js';
import { countInquiriesByStatus } from '../../src/db/repositories/inquiry.repository.js';
import { createMetrics, registerStateGauges } from '../../src/observability/metrics.js';
import { buildRangeReport, comparePeriods, computePeriodFigures } from '../../src/reports/period-report.js';
import { renderReportForTelegram, renderStatsForTelegram } from '../../src/reports/telegram-report.js';
import { insertInquiries, insertInquiry, insertStaff } from '../factories/inquiry.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: {} });
const tz = config.timezone;
/** A Yerevan wall time (UTC+4, no DST since 2012) as an instant. */
const yvn = (local: string) => new Date(`${local}+04:00`);
const NOW = yvn('2026-07-01T12:00:00');

let tdb: TestDatabase;
beforeEach(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await tdb.close();
});

async function month(label: string, now = NOW) {
  const [figures] = await computePeriodFigures(tdb.db, config, [monthRange(label, tz)], { now });
  return figures!;
}

describe('received and the time zone', () => {
  it('counts an inquiry posted 30 April 21:30 UTC in May (01:30 in Yerevan), and 23:59 local on 30 April in April', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: '2026-04-30T21:30:00Z' }, // 1 May 01:30 local
      { postedAt: '2026-04-30T19:59:00Z' }, // 30 April 23:59 local
      { postedAt: '2026-05-31T20:30:00Z' }, // 1 June 00:30 local
      { postedAt: '2026-05-31T19:30:00Z' }, // 31 May 23:30 local
    ]);
    expect((await month('2026-04')).received).toBe(1);
    expect((await month('2026-05')).received).toBe(2);
    expect((await month('2026-06')).received).toBe(1);
  });

  it('puts a Sunday 20:30 UTC inquiry in the next ISO week (Monday 00:30 in Yerevan)', async () => {
    await insertInquiries(tdb.db, [{ postedAt: '2026-05-17T20:30:00Z' }, { postedAt: '2026-05-17T19:30:00Z' }]);
    const report = await buildRangeReport(tdb.db, config, { range: parsePeriodSpec('2026-W20..2026-W21', tz), by: 'week', now: NOW });
    expect(report.periods.map((p) => [p.label, p.from, p.to, p.received])).toEqual([
      ['2026-W20', '2026-05-11', '2026-05-17', 1],
      ['2026-W21', '2026-05-18', '2026-05-24', 1],
    ]);
    expect(report.total?.received).toBe(2);
  });
});

describe('answered, native answers and dismissed items', () => {
  it('counts answered by the month of the first response, split by how it was given', async () => {
    const ani = await insertStaff(tdb.db, { name: 'Անի' });
    await insertInquiries(tdb.db, [
      // received in April, answered in May through Telegram
      { postedAt: yvn('2026-04-29T10:00:00'), firstResponseAt: yvn('2026-05-04T10:00:00'), answeredBy: ani.id },
      // received and answered in May, natively on the page
      { postedAt: yvn('2026-05-05T10:00:00'), firstResponseAt: yvn('2026-05-05T10:30:00'), answeredVia: 'native' },
      // received in May, answered in June
      { postedAt: yvn('2026-05-29T17:00:00'), firstResponseAt: yvn('2026-06-01T09:10:00'), answeredBy: ani.id },
    ]);
    const april = await month('2026-04');
    const may = await month('2026-05');
    expect(april).toMatchObject({ received: 1, answered: 0, answeredSoFar: 1, responseRate: 1 });
    expect(may).toMatchObject({ received: 2, answered: 2, answeredNative: 1, answeredTelegram: 1, answeredSoFar: 2, responseRate: 1 });
    // Native answers count in the first-response time: 30 min and 5 days.
    expect(may.frtMedianMinutes).toBe((30 + 5 * 24 * 60) / 2);
  });

  it('leaves dismissed items out of received, the response rate and the backlog', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2026-05-04T10:00:00'), dismissed: true },
      { postedAt: yvn('2026-05-04T11:00:00'), firstResponseAt: yvn('2026-05-04T12:00:00') },
      { postedAt: yvn('2026-05-04T12:00:00') },
    ]);
    const may = await month('2026-05');
    expect(may).toMatchObject({ received: 2, dismissed: 1, answered: 1, answeredSoFar: 1, responseRate: 0.5, open: 1 });
  });

  it('counts a follow-up after an answer as an inquiry of its own, timed from its own posting', async () => {
    const first = await insertInquiry(tdb.db, { postedAt: yvn('2026-05-11T10:00:00'), firstResponseAt: yvn('2026-05-11T10:20:00'), threadId: 't1', authorId: 'c1' });
    await insertInquiry(tdb.db, {
      postedAt: yvn('2026-05-11T11:00:00'),
      firstResponseAt: yvn('2026-05-11T11:40:00'),
      threadId: 't1',
      authorId: 'c1',
      previousInquiryId: first.id,
    });
    const may = await month('2026-05');
    expect(may).toMatchObject({ received: 2, answered: 2, frtMedianMinutes: 30, frtP90Minutes: 38 });
  });
});

describe('first-response time', () => {
  it('gives the median and the 90th percentile (interpolated) in minutes', async () => {
    await insertInquiries(
      tdb.db,
      [10, 20, 30, 40, 50].map((m, i) => ({ postedAt: yvn(`2026-05-12T1${i}:00:00`), firstResponseAt: new Date(yvn(`2026-05-12T1${i}:00:00`).getTime() + m * 60_000) })),
    );
    const may = await month('2026-05');
    expect(may.frtMedianMinutes).toBe(30);
    expect(may.frtP90Minutes).toBe(46);
    expect(may.frtBusinessMedianMinutes).toBe(30);
  });

  it('counts business hours across a weekend and across a legal holiday (28 May 2026, a Thursday)', async () => {
    await insertInquiries(tdb.db, [
      // Friday 17:00 → Monday 10:00: 60 + 60 business minutes, 65 h wall-clock.
      { postedAt: yvn('2026-05-15T17:00:00'), firstResponseAt: yvn('2026-05-18T10:00:00') },
      // Wednesday 17:30 → Friday 09:30 over the holiday: 30 + 30 business minutes, 40 h wall-clock.
      { postedAt: yvn('2026-05-27T17:30:00'), firstResponseAt: yvn('2026-05-29T09:30:00') },
      // Saturday noon → Monday 09:45: 45 business minutes.
      { postedAt: yvn('2026-05-16T12:00:00'), firstResponseAt: yvn('2026-05-18T09:45:00') },
    ]);
    const may = await month('2026-05');
    expect(may.frtBusinessMedianMinutes).toBe(60);
    expect(may.frtBusinessP90Minutes).toBe(108); // sorted 45, 60, 120: 60 + 0.8 × (120 − 60)
    expect(may.frtMedianMinutes).toBe(45 * 60 + 45); // wall-clock: 65 h, 40 h, 45 h 45 min
    // The SLA of 8 business hours is met by all three, though each took 40 h or more on the wall clock.
    expect(may.withinSlaRate).toBe(1);
  });

  it("uses each year's legal calendar: 4-7 January were days off until 2021, not from 2022", async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2021-01-04T10:00:00'), firstResponseAt: yvn('2021-01-08T10:00:00') },
      { postedAt: yvn('2022-01-04T10:00:00'), firstResponseAt: yvn('2022-01-05T10:00:00') },
    ]);
    expect((await month('2021-01')).frtBusinessMedianMinutes).toBe(60);
    expect((await month('2022-01')).frtBusinessMedianMinutes).toBe(8 * 60 + 60);
  });

  it('honours extra days off from HOLIDAYS', async () => {
    const withHoliday = loadConfig({ env: { HOLIDAYS: '2026-05-12' } });
    await insertInquiry(tdb.db, { postedAt: yvn('2026-05-11T17:00:00'), firstResponseAt: yvn('2026-05-13T10:00:00') });
    const [plain] = await computePeriodFigures(tdb.db, config, [monthRange('2026-05', tz)], { now: NOW });
    const [extra] = await computePeriodFigures(tdb.db, withHoliday, [monthRange('2026-05', tz)], { now: NOW });
    expect(plain!.frtBusinessMedianMinutes).toBe(60 + 9 * 60 + 60);
    expect(extra!.frtBusinessMedianMinutes).toBe(60 + 60);
  });

  it('agrees with the TypeScript business clock on every pair of a varied sample', async () => {
    const clock = createBusinessClock({ timezone: tz, hours: config.businessHours, holidays: createHolidayCalendar(config.holidays) });
    // Deterministic spread: every 37 h 11 min from late 2020, answered after 0 min to 9 days.
    const start = yvn('2020-12-20T06:13:00').getTime();
    const pairs = Array.from({ length: 60 }, (_, i) => {
      const posted = new Date(start + i * (37 * 3600_000 + 11 * 60_000));
      return { posted, answered: new Date(posted.getTime() + ((i * 7919) % (9 * 24 * 60)) * 60_000) };
    });
    await insertInquiries(tdb.db, pairs.map((p) => ({ postedAt: p.posted, firstResponseAt: p.answered })));
    await ensureBusinessCalendar(tdb.db, config, NOW);
    const result = { rows: await tdb.db.selectFrom('inquiries').select(['postedAt', 'frtBusinessMinutes as minutes']).orderBy('postedAt').execute() };
    expect(result.rows).toHaveLength(pairs.length);
    for (const [i, row] of result.rows.entries()) {
      expect(row.minutes, `pair ${i} posted ${pairs[i]!.posted.toISOString()}`).toBeCloseTo(clock.businessMinutesBetween(pairs[i]!.posted, pairs[i]!.answered), 6);
    }
  });

  it('is filled when a first response is recorded later, whoever records it, and recomputed when the calendar changes', async () => {
    await ensureBusinessCalendar(tdb.db, config, NOW);
    const row = await insertInquiry(tdb.db, { postedAt: yvn('2026-05-11T17:00:00') });
    expect(row.frtBusinessMinutes).toBeNull();
    // As reply delivery does: set the first response on the row.
    await tdb.db.updateTable('inquiries').set({ status: 'answered', firstResponseAt: yvn('2026-05-12T09:30:00'), answeredVia: 'telegram' }).where('id', '=', row.id).execute();
    const stored = async () => (await tdb.db.selectFrom('inquiries').select('frtBusinessMinutes').where('id', '=', row.id).executeTakeFirstOrThrow()).frtBusinessMinutes;
    expect(await stored()).toBe(90);
    expect(await ensureBusinessCalendar(tdb.db, config, NOW)).toEqual({ action: 'none', recomputed: 0 });
    const tenToSix = loadConfig({ env: { BUSINESS_HOURS: 'Mon-Fri 10:00-18:00' } });
    expect(await ensureBusinessCalendar(tdb.db, tenToSix, NOW)).toEqual({ action: 'rebuilt', recomputed: 1 });
    expect(await stored()).toBe(60);
  });
});

describe('response rate, SLA, backlog and time to claim', () => {
  it('counts the response rate so far and within the 8 business-hour target over the received cohort', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2026-05-04T10:00:00'), firstResponseAt: yvn('2026-05-04T12:00:00') }, // 2 h: within
      { postedAt: yvn('2026-05-04T10:00:00'), firstResponseAt: yvn('2026-05-05T12:00:00') }, // 8 h + 3 h: late
      { postedAt: yvn('2026-05-04T10:00:00'), firstResponseAt: yvn('2026-06-05T12:00:00') }, // answered in June: late
      { postedAt: yvn('2026-05-04T10:00:00') }, // not answered
    ]);
    const may = await month('2026-05');
    expect(may).toMatchObject({ received: 4, answeredSoFar: 3, answeredWithinSla: 1, responseRate: 0.75, withinSlaRate: 0.25, answered: 2 });
    const wall = loadConfig({ env: { SLA_CLOCK: 'wall', SLA_FIRST_RESPONSE: '26h' } });
    const [mayWall] = await computePeriodFigures(tdb.db, wall, [monthRange('2026-05', tz)], { now: NOW });
    expect(mayWall!.withinSlaRate).toBe(0.5);
  });

  it('counts the open backlog at the end of a period, with the age of the oldest', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2026-04-20T10:00:00'), firstResponseAt: yvn('2026-06-02T10:00:00') }, // open at the end of April and of May
      { postedAt: yvn('2026-05-20T10:00:00'), firstResponseAt: yvn('2026-06-03T10:00:00') }, // open at the end of May
      { postedAt: yvn('2026-05-25T10:00:00'), firstResponseAt: yvn('2026-05-26T10:00:00') }, // answered within May
      { postedAt: yvn('2026-05-30T10:00:00'), dismissed: true },
      { postedAt: yvn('2026-06-10T10:00:00') }, // still open now
    ]);
    const april = await month('2026-04');
    const may = await month('2026-05');
    const june = await month('2026-06');
    expect(april).toMatchObject({ open: 1, openAt: yvn('2026-05-01T00:00:00').toISOString() });
    expect(may.open).toBe(2);
    expect(may.oldestOpenAgeMinutes).toBe(Math.round((yvn('2026-06-01T00:00:00').getTime() - yvn('2026-04-20T10:00:00').getTime()) / 60_000));
    expect(june.open).toBe(1);
    // July is not over: its backlog is counted now.
    const july = await month('2026-07');
    expect(july).toMatchObject({ open: 1, openAt: NOW.toISOString() });
  });

  it('measures time to claim over the inquiries claimed in the period, and per staff member', async () => {
    const ani = await insertStaff(tdb.db, { name: 'Անի' });
    const aram = await insertStaff(tdb.db, { name: 'Արամ' });
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2026-05-04T10:00:00'), claimedAt: yvn('2026-05-04T10:05:00'), claimedBy: ani.id, firstResponseAt: yvn('2026-05-04T10:30:00'), answeredBy: ani.id },
      { postedAt: yvn('2026-05-04T10:00:00'), claimedAt: yvn('2026-05-04T10:15:00'), claimedBy: ani.id },
      { postedAt: yvn('2026-05-04T10:00:00'), claimedAt: yvn('2026-05-04T11:00:00'), claimedBy: aram.id, firstResponseAt: yvn('2026-05-04T13:00:00'), answeredBy: aram.id },
    ]);
    const may = await month('2026-05');
    expect(may.claimMedianMinutes).toBe(15);
    expect(may.byStaff).toEqual([
      { staffId: ani.id, name: 'Անի', answered: 1, answeredWithinSla: 1, frtMedianMinutes: 30, frtBusinessMedianMinutes: 30, claimed: 2, claimMedianMinutes: 10 },
      { staffId: aram.id, name: 'Արամ', answered: 1, answeredWithinSla: 1, frtMedianMinutes: 180, frtBusinessMedianMinutes: 180, claimed: 1, claimMedianMinutes: 60 },
    ]);
  });
});

describe('breakdowns', () => {
  it('splits by platform and by sector (the one staff set, else the suggested one)', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2026-05-04T10:00:00'), platform: 'facebook', sectorCode: 'water', firstResponseAt: yvn('2026-05-04T10:10:00'), answeredVia: 'telegram' },
      { postedAt: yvn('2026-05-04T10:00:00'), platform: 'facebook', suggestedSectorCode: 'water' },
      { postedAt: yvn('2026-05-04T10:00:00'), platform: 'instagram', sectorCode: 'roads_transport', suggestedSectorCode: 'water', firstResponseAt: yvn('2026-05-04T11:00:00'), answeredVia: 'native' },
      { postedAt: yvn('2026-05-04T10:00:00'), platform: 'telegram' },
    ]);
    const may = await month('2026-05');
    expect(may.byPlatform.map((p) => [p.platform, p.received, p.answered, p.answeredNative, p.open])).toEqual([
      ['facebook', 2, 1, 0, 1],
      ['instagram', 1, 1, 1, 0],
      ['telegram', 1, 0, 0, 1],
    ]);
    const sectors = Object.fromEntries(may.bySector.map((s) => [String(s.sector), [s.received, s.answered, s.responseRate]]));
    expect(sectors).toEqual({ water: [2, 1, 0.5], roads_transport: [1, 1, 1], null: [1, 0, 0] });
    expect(may.bySector.find((s) => s.sector === 'water')?.names?.hy).toMatch(/Ջր/);
  });
});

describe('low-priority items (thanks, emoji, a tag): reactions, counted apart', () => {
  /** May 2026, seen on 10 May: two questions and three reactions. */
  async function mayWithReactions() {
    const ani = await insertStaff(tdb.db, { name: 'Անի' });
    const rows = await insertInquiries(tdb.db, [
      // Two questions: one answered through Telegram in 30 min, one still open.
      { postedAt: yvn('2026-05-04T10:00:00'), firstResponseAt: yvn('2026-05-04T10:30:00'), answeredBy: ani.id },
      { postedAt: yvn('2026-05-06T10:00:00') },
      // An emoji of 2 May still waiting in the low-priority summary (older than any question),
      { postedAt: yvn('2026-05-02T09:00:00'), lowPriority: true, text: '👍👍' },
      // a thanks on Instagram the page answered natively a minute later,
      { postedAt: yvn('2026-05-04T11:00:00'), lowPriority: true, text: 'Շնորհակալություն', platform: 'instagram', firstResponseAt: yvn('2026-05-04T11:01:00'), answeredVia: 'native' },
      // and a tag of a friend dismissed with the summary's "not inquiries".
      { postedAt: yvn('2026-05-05T11:00:00'), lowPriority: true, text: 'Աննա Պետրոսյան', dismissed: true },
    ]);
    return { ani, rows };
  }
  const MAY_10 = yvn('2026-05-10T10:00:00');

  it('leaves them out of received, dismissed, answered, the rates, the first-response times and the backlog', async () => {
    const { ani } = await mayWithReactions();
    const may = await month('2026-05', MAY_10);
    expect(may).toMatchObject({
      received: 2,
      reactions: 3,
      dismissed: 0,
      answered: 1,
      answeredNative: 0,
      answeredTelegram: 1,
      answeredSoFar: 1,
      responseRate: 0.5,
      withinSlaRate: 0.5,
      frtMedianMinutes: 30,
      frtP90Minutes: 30,
      open: 1,
      openAt: MAY_10.toISOString(),
    });
    // The oldest open is the question of 6 May, not the emoji of 2 May.
    expect(may.oldestOpenAgeMinutes).toBe(4 * 24 * 60);
    expect(may.byPlatform.map((p) => [p.platform, p.received, p.reactions, p.answered, p.answeredNative, p.open])).toEqual([
      ['facebook', 2, 2, 1, 0, 1],
      ['instagram', 0, 1, 0, 0, 0],
    ]);
    expect(may.byStaff).toEqual([expect.objectContaining({ staffId: ani.id, answered: 1 })]);
  });

  it('counts an item staff made a card of as an inquiry', async () => {
    const { rows } = await mayWithReactions();
    await tdb.db.updateTable('inquiries').set({ lowPriority: false }).where('id', '=', rows[2]!.id).execute();
    const may = await month('2026-05', MAY_10);
    expect(may).toMatchObject({ received: 3, reactions: 2, open: 2, responseRate: 0.3333 });
    expect(may.oldestOpenAgeMinutes).toBe(8 * 24 * 60 + 60);
  });

  it('shows them apart in comparisons, /report and /stats, in the reader\'s language', async () => {
    await mayWithReactions();
    const { current, changes } = await comparePeriods(tdb.db, config, monthRange('2026-05', tz), monthRange('2026-04', tz), { now: MAY_10 });
    expect(current).toMatchObject({ received: 2, reactions: 3 });
    expect(changes.reactions).toEqual({ difference: 3, percent: null });

    const en = await renderReportForTelegram(tdb.db, '2026-05', 'en', config, MAY_10);
    expect(en).toContain('Received: <b>2</b>');
    expect(en).toContain('Reactions (thanks, emoji, tags): 3');
    expect(en).toContain('Response rate: <b>50%</b>');
    const hy = await renderReportForTelegram(tdb.db, '2026-05', 'hy', config, MAY_10);
    expect(hy).toContain('Ստացված: <b>2</b>');
    expect(hy).toMatch(/Արձագանքներ[^:]*: 3/);
    // Week 19 (4–10 May) against week 18: three questions' worth of figures, reactions apart.
    const ru = await renderStatsForTelegram(tdb.db, 'ru', config, MAY_10);
    expect(ru).toMatch(/Получено: <b>2<\/b>/);
    expect(ru).toMatch(/Реакции[^:]*: <b>2<\/b> \(1,/);
    expect(ru).toMatch(/Без ответа на [^<]+: <b>1<\/b>/);
  });

  it('keeps the inquiries gauge for questions and counts reactions in a gauge of their own', async () => {
    await mayWithReactions();
    const metrics = createMetrics({ defaultMetrics: false });
    registerStateGauges(metrics, { queueCounts: async () => ({}), inquiriesByStatus: () => countInquiriesByStatus(tdb.db) });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/ardzagank_inquiries\{status="new"\} 1\n/);
    expect(text).toMatch(/ardzagank_inquiries\{status="answered"\} 1\n/);
    expect(text).toMatch(/ardzagank_inquiries\{status="dismissed"\} 0\n/);
    expect(text).toMatch(/ardzagank_reactions\{status="new"\} 1\n/);
    expect(text).toMatch(/ardzagank_reactions\{status="answered"\} 1\n/);
    expect(text).toMatch(/ardzagank_reactions\{status="dismissed"\} 1\n/);
  });
});
