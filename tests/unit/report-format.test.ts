import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../src/reports/csv.js';
import { formatChangePercent, formatChangePoints, formatDuration, formatPeriodName, formatRate } from '../../src/reports/format.js';
import { catalogFor } from '../../src/reports/i18n/index.js';
import { changeOf, compareFigures, labelForDays } from '../../src/reports/period-report.js';
import { CSV_COLUMNS, renderReportCsv } from '../../src/reports/renderers/csv.renderer.js';
import { renderReportText } from '../../src/reports/renderers/text.renderer.js';
import type { PeriodFigures, RangeReport } from '../../src/reports/report.model.js';

const hy = catalogFor('hy');
const en = catalogFor('en');
const ru = catalogFor('ru');

describe('durations', () => {
  it('read as people say them, in each language', () => {
    expect(formatDuration(72, hy)).toBe('1 ժ 12 ր');
    expect(formatDuration(45, hy)).toBe('45 ր');
    expect(formatDuration(120, hy)).toBe('2 ժ');
    expect(formatDuration(51 * 60 + 10, hy)).toBe('2 օր 3 ժ');
    expect(formatDuration(0.2, hy)).toBe('<1 ր');
    expect(formatDuration(null, hy)).toBe('—');
    expect(formatDuration(72, en)).toBe('1 h 12 min');
    expect(formatDuration(72, ru)).toBe('1 ч 12 мин');
    expect(formatDuration(48 * 60, ru)).toBe('2 д');
  });
});

describe('rates, changes and period names', () => {
  it('format percentages and changes with the locale\'s decimal mark', () => {
    expect(formatRate(0.755, hy)).toBe('75,5%');
    expect(formatRate(0.755, en)).toBe('75.5%');
    expect(formatChangePercent(changeOf(75, 12), hy)).toBe('+525%');
    expect(formatChangePercent(changeOf(9, 12), en)).toBe('−25%');
    expect(formatChangePercent(changeOf(3, 0), en)).toBe('—');
    expect(formatChangePoints(changeOf(0.9, 0.86), hy)).toBe('+4 տ.կ.');
    expect(formatChangePoints(changeOf(0.5, 0.5), en)).toBe('±0 pp');
  });

  it('name months, ranges, weeks and years', () => {
    expect(formatPeriodName({ label: '2018-05', from: '2018-05-01', to: '2018-05-31' }, hy)).toBe('2018 թ. մայիս');
    expect(formatPeriodName({ label: '2018-01..2018-04', from: '2018-01-01', to: '2018-04-30' }, hy)).toBe('2018 թ. հունվար – ապրիլ');
    expect(formatPeriodName({ label: '2018-01..2018-04', from: '2018-01-01', to: '2018-04-30' }, en)).toBe('January – April 2018');
    expect(formatPeriodName({ label: '2017-12..2018-02', from: '2017-12-01', to: '2018-02-28' }, ru)).toBe('декабрь 2017 – февраль 2018');
    expect(formatPeriodName({ label: '2026-W47', from: '2026-11-16', to: '2026-11-22' }, hy)).toBe('2026 թ. 47-րդ շաբաթ (16.11–22.11)');
    expect(formatPeriodName({ label: '2018', from: '2018-01-01', to: '2018-12-31' }, ru)).toBe('2018 г.');
    expect(formatPeriodName({ label: '2018-05-14..2018-05-20', from: '2018-05-14', to: '2018-05-20' }, en)).toBe('14.05.2018 – 20.05.2018');
    expect(labelForDays('2018-01-01', '2018-04-30')).toBe('2018-01..2018-04');
    expect(labelForDays('2018-02-01', '2018-02-28')).toBe('2018-02');
    expect(labelForDays('2018-01-15', '2018-04-30')).toBe('2018-01-15..2018-04-30');
  });
});

describe('CSV', () => {
  it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF, a BOM and semicolons', () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n2,"two\nlines",\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', '3'] },
      { line: 4, fields: ['2', 'two\nlines', ''] },
    ]);
    expect(parseCsv('a;b\n1;2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv(toCsv([['q"uote', 'a,b', 1, null, true]]))[0]!.fields).toEqual(['q"uote', 'a,b', '1', '', 'true']);
  });
});

/** A measured month with nothing in it but what `over` says. */
function month(label: string, over: Partial<PeriodFigures>): PeriodFigures {
  const [y, m] = label.split('-');
  return {
    label,
    from: `${label}-01`,
    to: `${y}-${m}-28`,
    received: 0,
    reactions: 0,
    answered: 0,
    answeredNative: 0,
    answeredTelegram: 0,
    dismissed: 0,
    open: 0,
    openAt: `${label}-28T20:00:00.000Z`,
    oldestOpenAgeMinutes: null,
    answeredSoFar: 0,
    answeredWithinSla: 0,
    responseRate: null,
    withinSlaRate: null,
    frtMedianMinutes: null,
    frtP90Minutes: null,
    frtBusinessMedianMinutes: null,
    frtBusinessP90Minutes: null,
    claimMedianMinutes: null,
    claimP90Minutes: null,
    byPlatform: [],
    bySource: [],
    bySector: [],
    byStaff: [],
    baseline: false,
    entered: [],
    ...over,
  };
}

function report(periods: PeriodFigures[], comparison: RangeReport['comparison'] = null): RangeReport {
  return { timezone: 'Asia/Yerevan', generatedAt: '2026-06-01T00:00:00.000Z', sla: { firstResponseMinutes: 480, clock: 'business' }, by: 'month', periods, total: null, comparison };
}

describe('reactions (thanks, emoji, tags) in the renderers', () => {
  it('get a row of their own next to received, in text and CSV, and in the comparison', () => {
    const may = month('2026-05', { received: 2, reactions: 3, answered: 1, answeredTelegram: 1, open: 1, responseRate: 0.5 });
    const april = month('2026-04', { received: 1, reactions: 1 });
    const text = renderReportText(report([may], compareFigures(may, april)), en);
    expect(text).toMatch(/^Received\s+2$/m);
    expect(text).toMatch(/^Reactions \(thanks, emoji, tags\)\s+3$/m);
    expect(text).toMatch(/^Reactions \(thanks, emoji, tags\)\s+3\s+1\s+\+200%$/m);
    expect(renderReportText(report([may]), ru)).toMatch(/^Реакции \(благодарности, эмодзи, отметки\)\s+3$/m);

    const rows = parseCsv(renderReportCsv(report([may], compareFigures(may, april))));
    const at = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect(rows[0]!.fields.slice(at('received'), at('received') + 3)).toEqual(['received', 'reactions', 'answered']);
    expect(rows[1]!.fields[at('reactions')]).toBe('3');
    expect(rows.at(-1)!.fields[at('reactions')]).toBe('200');
  });

  it('make a month with only reactions a month with something in it', () => {
    expect(renderReportText(report([month('2026-05', {})]), en)).toMatch(/No inquiries in this period\./);
    const onlyReactions = renderReportText(report([month('2026-05', { reactions: 4 })]), en);
    expect(onlyReactions).not.toMatch(/No inquiries in this period\./);
    expect(onlyReactions).toMatch(/^Received\s+0$/m);
    expect(onlyReactions).toMatch(/^Reactions \(thanks, emoji, tags\)\s+4$/m);
  });
});
