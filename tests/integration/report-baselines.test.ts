/**
 * Comparisons and baselines: the department's own example ("in January–April
 * 12 inquiries were answered; from May to the end of December, 75") comes
 * out of a comparison of an entered period with a measured one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parsePeriodSpec } from '../../src/domain/periods.js';
import { buildRangeReport, comparePeriods } from '../../src/reports/period-report.js';
import { renderReportForTelegram, renderStatsForTelegram } from '../../src/reports/telegram-report.js';
import {
  BaselineError,
  baselineDaysOf,
  deleteBaseline,
  importBaselinesCsv,
  listBaselines,
  parseBaselineAssignment,
  setBaseline,
} from '../../src/reports/baseline.service.js';
import { insertInquiries, insertMany } from '../factories/inquiry.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: {} });
const tz = config.timezone;
const yvn = (local: string) => new Date(`${local}+04:00`);
const NOW = yvn('2019-02-01T12:00:00');
const spec = (s: string) => parsePeriodSpec(s, tz);

let tdb: TestDatabase;
beforeEach(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await tdb.close();
});

/** 2018 as the department lived it: the system from May, 75 answered from May to December. */
async function seed2018() {
  await setBaseline(tdb.db, { days: baselineDaysOf('2018-01..2018-04', tz), values: { answered: 12 }, note: 'annual report 2018' });
  // 75 answered between May and December (30 of them natively on the page), 5 still open, 3 dismissed.
  await insertMany(tdb.db, 40, { postedAt: yvn('2018-05-02T10:00:00'), firstResponseAt: yvn('2018-05-02T11:00:00'), answeredVia: 'telegram' });
  await insertMany(tdb.db, 30, { postedAt: yvn('2018-09-03T10:00:00'), firstResponseAt: yvn('2018-09-03T12:00:00'), answeredVia: 'native' });
  await insertMany(tdb.db, 5, { postedAt: yvn('2018-12-27T16:00:00'), firstResponseAt: yvn('2018-12-28T10:00:00'), answeredVia: 'telegram' });
  await insertMany(tdb.db, 5, { postedAt: yvn('2018-11-05T10:00:00') });
  await insertMany(tdb.db, 3, { postedAt: yvn('2018-06-01T10:00:00'), dismissed: true });
}

describe('comparison of two periods', () => {
  it('gives the department\'s example: answered January–April (entered: 12) against May–December (measured: 75)', async () => {
    await seed2018();
    const c = await comparePeriods(tdb.db, config, spec('2018-05..2018-12'), spec('2018-01..2018-04'), { now: NOW });
    expect(c.current).toMatchObject({ label: '2018-05..2018-12', from: '2018-05-01', to: '2018-12-31', answered: 75, answeredNative: 30, received: 80, baseline: false });
    expect(c.previous).toMatchObject({ label: '2018-01..2018-04', from: '2018-01-01', to: '2018-04-30', answered: 12, baseline: true });
    // Nothing measured and nothing entered: unknown, not zero.
    expect(c.previous.received).toBeNull();
    expect(c.previous.responseRate).toBeNull();
    expect(c.previous.entered).toEqual([{ from: '2018-01-01', to: '2018-04-30', metric: 'answered', value: 12, note: 'annual report 2018' }]);
    expect(c.changes.answered).toEqual({ difference: 63, percent: 525 });
    expect(c.changes.received).toEqual({ difference: null, percent: null });
  });

  it('compares rates in points and times in percent between two measured periods', async () => {
    await insertInquiries(tdb.db, [
      { postedAt: yvn('2018-05-02T10:00:00'), firstResponseAt: yvn('2018-05-02T12:00:00') },
      { postedAt: yvn('2018-05-03T10:00:00') },
      { postedAt: yvn('2018-06-04T10:00:00'), firstResponseAt: yvn('2018-06-04T11:00:00') },
      { postedAt: yvn('2018-06-05T10:00:00'), firstResponseAt: yvn('2018-06-05T11:00:00') },
    ]);
    const c = await comparePeriods(tdb.db, config, spec('2018-06'), spec('2018-05'), { now: NOW });
    expect(c.changes.responseRate).toEqual({ difference: 0.5, percent: 100 });
    expect(c.changes.frtMedianMinutes).toEqual({ difference: -60, percent: -50 });
    expect(c.changes.received).toEqual({ difference: 0, percent: 0 });
  });

  it('adds entered counts to what was measured on the other days of a longer period', async () => {
    await seed2018();
    const [year] = (await buildRangeReport(tdb.db, config, { range: spec('2018'), by: 'month', now: NOW })).periods.filter((p) => p.label === '2018-01..2018-04');
    expect(year).toMatchObject({ answered: 12, baseline: true });
    const report = await buildRangeReport(tdb.db, config, { range: spec('2018'), by: 'month', now: NOW });
    expect(report.total).toMatchObject({ label: '2018', answered: 87, received: 80, baseline: true });
    // The empty months January–April are replaced by the entered period.
    expect(report.periods.map((p) => p.label)).toEqual([
      '2018-01..2018-04',
      '2018-05',
      '2018-06',
      '2018-07',
      '2018-08',
      '2018-09',
      '2018-10',
      '2018-11',
      '2018-12',
    ]);
  });
});

describe('baselines', () => {
  it('parses FIGURE=COUNT and period specs into local days', () => {
    expect(parseBaselineAssignment('answered=12')).toEqual({ metric: 'answered', value: 12 });
    expect(parseBaselineAssignment('answeredNative=3')).toEqual({ metric: 'answered_native', value: 3 });
    expect(() => parseBaselineAssignment('answered=-1')).toThrow(BaselineError);
    expect(() => parseBaselineAssignment('likes=5')).toThrow(/received, answered, answered_native, dismissed/);
    expect(baselineDaysOf('2018-01..2018-04', tz)).toEqual({ from: '2018-01-01', to: '2018-04-30' });
    expect(baselineDaysOf('2016', tz)).toEqual({ from: '2016-01-01', to: '2016-12-31' });
  });

  it('replaces the same period and figure, refuses an overlapping one, and deletes', async () => {
    const days = baselineDaysOf('2018-01..2018-04', tz);
    await setBaseline(tdb.db, { days, values: { answered: 10 } });
    await setBaseline(tdb.db, { days, values: { answered: 12, received: 40 } });
    expect((await listBaselines(tdb.db)).map((b) => [b.metric, b.value])).toEqual([
      ['answered', 12],
      ['received', 40],
    ]);
    await expect(setBaseline(tdb.db, { days: baselineDaysOf('2018-03', tz), values: { answered: 4 } })).rejects.toThrow(/overlaps the one entered for 2018-01-01\.\.2018-04-30/);
    // Another figure for the same days is fine.
    await setBaseline(tdb.db, { days: baselineDaysOf('2018-03', tz), values: { dismissed: 1 } });
    expect(await deleteBaseline(tdb.db, days, 'answered')).toBe(1);
    expect((await listBaselines(tdb.db)).map((b) => b.metric).sort()).toEqual(['dismissed', 'received']);
  });

  it('imports a CSV in either shape, and nothing at all when one line is wrong', async () => {
    const wide = 'period,received,answered,note\n2017,150,90,"annual report, 2017"\n2018-01..2018-04,40,12,\n';
    expect(await importBaselinesCsv(tdb.db, wide, { timezone: tz })).toEqual({ stored: 4, errors: [] });
    const bad = 'from,to,metric,value\n2016-01,2016-06,answered,30\n2016-07,2016-12,likes,3\n2016-07,2016-12,answered,x\n';
    const result = await importBaselinesCsv(tdb.db, bad, { timezone: tz });
    expect(result.stored).toBe(0);
    expect(result.errors).toEqual([expect.stringMatching(/^line 3: "likes=3" is not understood/), expect.stringMatching(/^line 4: "answered=x" is not understood/)]);
    expect((await listBaselines(tdb.db)).filter((b) => b.periodFrom.startsWith('2016'))).toEqual([]);
    const rows = await listBaselines(tdb.db);
    expect(rows.find((b) => b.periodFrom === '2017-01-01' && b.metric === 'received')).toMatchObject({ value: 150, note: 'annual report, 2017', periodTo: '2017-12-31' });
  });
});

describe('reports in Telegram', () => {
  it('answers "/report 2018-05..2018-12 vs 2018-01..2018-04" with the comparison, marking the entered figures', async () => {
    await seed2018();
    const html = await renderReportForTelegram(tdb.db, '2018-05..2018-12 vs 2018-01..2018-04', 'hy', config, NOW);
    expect(html).toContain('<b>2018 թ. մայիս – դեկտեմբեր</b> — 2018 թ. հունվար – ապրիլ*');
    expect(html).toContain('Պատասխանված: <b>75</b> (12, +525%)');
    expect(html).toContain('* ձեռքով մուտքագրված թվեր');
    const en = await renderReportForTelegram(tdb.db, '2018-05..2018-12 vs 2018-01..2018-04', 'en', config, NOW);
    expect(en).toContain('Answered: <b>75</b> (12, +525%)');
    const ru = await renderReportForTelegram(tdb.db, '2018-05..2018-12 против 2018-01..2018-04', 'ru', config, NOW);
    expect(ru).toContain('Отвечено: <b>75</b> (12, +525%)');
  });

  it('shows one period, this month against the last by default, and explains bad arguments in the user\'s language', async () => {
    await seed2018();
    const one = await renderReportForTelegram(tdb.db, '2018-09', 'en', config, NOW);
    expect(one).toContain('<b>September 2018</b>');
    expect(one).toContain('Answered: <b>30</b>');
    expect(one).toContain('of which on the platform directly: 30');
    const byDefault = await renderReportForTelegram(tdb.db, '', 'en', config, yvn('2018-12-29T12:00:00'));
    expect(byDefault).toContain('<b>December 2018</b> — November 2018');
    const bad = await renderReportForTelegram(tdb.db, '2018-13', 'hy', config, NOW);
    expect(bad).toMatch(/^«2018-13» ժամանակահատվածը հասկանալի չէ։/);
    expect(bad).toContain('/report 2018-05..2018-12 vs 2018-01..2018-04');
    const stats = await renderStatsForTelegram(tdb.db, 'ru', config, yvn('2018-12-29T12:00:00'));
    expect(stats).toContain('Без ответа на 29.12.2018 12:00: <b>5</b>');
  });
});
