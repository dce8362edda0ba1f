import { describe, expect, it } from 'vitest';
import {
  instantOfLocalTime,
  localDateOf,
  monthRange,
  parsePeriodSpec,
  PeriodSpecError,
  splitPeriods,
  weekRange,
  type Period,
} from '../../src/domain/periods.js';

const TZ = 'Asia/Yerevan';

const contains = (period: Period, instant: Date): boolean =>
  period.from.getTime() <= instant.getTime() && instant.getTime() < period.to.getTime();

const iso = (period: Period) => ({ from: period.from.toISOString(), to: period.to.toISOString(), label: period.label });

describe('localDateOf', () => {
  it('puts an inquiry posted at 2026-04-30T21:30Z on 1 May in Yerevan', () => {
    const posted = new Date('2026-04-30T21:30:00Z');
    expect(localDateOf(posted, TZ)).toBe('2026-05-01');
    expect(localDateOf(posted, 'UTC')).toBe('2026-04-30');
    expect(contains(monthRange('2026-05', TZ), posted)).toBe(true);
    expect(contains(monthRange('2026-04', TZ), posted)).toBe(false);
    expect(contains(parsePeriodSpec('2026-05', TZ), posted)).toBe(true);
  });

  it('changes day at local midnight', () => {
    expect(localDateOf(new Date('2026-05-03T19:59:59Z'), TZ)).toBe('2026-05-03');
    expect(localDateOf(new Date('2026-05-03T20:00:00Z'), TZ)).toBe('2026-05-04');
  });

  it('refuses an invalid date', () => {
    expect(() => localDateOf(new Date('not a date'), TZ)).toThrow(RangeError);
  });
});

describe('monthRange', () => {
  it('runs from local midnight on the 1st to local midnight on the 1st of the next month', () => {
    expect(iso(monthRange('2018-05', TZ))).toEqual({
      from: '2018-04-30T20:00:00.000Z',
      to: '2018-05-31T20:00:00.000Z',
      label: '2018-05',
    });
  });

  it('crosses the year boundary in December', () => {
    const december = monthRange('2025-12', TZ);
    expect(december.to.toISOString()).toBe('2025-12-31T20:00:00.000Z');
    // 00:30 on 1 January in Yerevan is still 31 December in UTC.
    const newYear = new Date('2025-12-31T20:30:00Z');
    expect(contains(december, newYear)).toBe(false);
    expect(contains(monthRange('2026-01', TZ), newYear)).toBe(true);
  });

  it('follows the offset of each end in a DST zone', () => {
    expect(iso(monthRange('2026-03', 'Europe/Berlin'))).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
      label: '2026-03',
    });
  });

  it('refuses what is not a month', () => {
    expect(() => monthRange('2018-13', TZ)).toThrow(RangeError);
    expect(() => monthRange('May 2018', TZ)).toThrow(RangeError);
  });
});

describe('weekRange', () => {
  it('runs Monday 00:00 to Monday 00:00 in Yerevan', () => {
    // Monday 4 May 2026, 00:30 local.
    expect(iso(weekRange(new Date('2026-05-03T20:30:00Z'), TZ))).toEqual({
      from: '2026-05-03T20:00:00.000Z',
      to: '2026-05-10T20:00:00.000Z',
      label: '2026-W19',
    });
    // Sunday 3 May 2026, 23:59 local, is in the week before.
    expect(weekRange(new Date('2026-05-03T19:59:00Z'), TZ).label).toBe('2026-W18');
  });

  it('numbers weeks at year boundaries the ISO way', () => {
    expect(iso(weekRange('2026-01-01', TZ))).toEqual({
      from: '2025-12-28T20:00:00.000Z',
      to: '2026-01-04T20:00:00.000Z',
      label: '2026-W01',
    });
    expect(weekRange('2021-01-03', TZ).label).toBe('2020-W53');
    expect(weekRange('2024-12-30', TZ).label).toBe('2025-W01');
    expect(weekRange('2027-01-01', TZ).label).toBe('2026-W53');
  });
});

describe('parsePeriodSpec', () => {
  it('reads a month range inclusive of its last month', () => {
    expect(iso(parsePeriodSpec('2018-05..2018-12', TZ))).toEqual({
      from: '2018-04-30T20:00:00.000Z',
      to: '2018-12-31T20:00:00.000Z',
      label: '2018-05..2018-12',
    });
  });

  it('reads an ISO week', () => {
    expect(iso(parsePeriodSpec('2018-W19', TZ))).toEqual({
      from: '2018-05-06T20:00:00.000Z',
      to: '2018-05-13T20:00:00.000Z',
      label: '2018-W19',
    });
    expect(parsePeriodSpec('2018-w7', TZ).label).toBe('2018-W07');
  });

  it('reads a day range inclusive of its last day', () => {
    expect(iso(parsePeriodSpec('2018-01-01..2018-03-31', TZ))).toEqual({
      from: '2017-12-31T20:00:00.000Z',
      to: '2018-03-31T20:00:00.000Z',
      label: '2018-01-01..2018-03-31',
    });
  });

  it('reads a year and a single day', () => {
    expect(iso(parsePeriodSpec('2018', TZ))).toEqual({
      from: '2017-12-31T20:00:00.000Z',
      to: '2018-12-31T20:00:00.000Z',
      label: '2018',
    });
    expect(iso(parsePeriodSpec(' 2018-05-14 ', TZ))).toEqual({
      from: '2018-05-13T20:00:00.000Z',
      to: '2018-05-14T20:00:00.000Z',
      label: '2018-05-14',
    });
  });

  it('refuses what it does not understand, saying what it accepts', () => {
    for (const spec of ['2018-13', '2019-W53', '2018-W00', '2018-02-30', 'May', '2018-12..2018-05', '2018..2019..2020', '']) {
      expect(() => parsePeriodSpec(spec, TZ), spec).toThrow(PeriodSpecError);
    }
    expect(() => parsePeriodSpec('2018/05', TZ)).toThrow(/2018-05\.\.2018-12/);
    expect(parsePeriodSpec('2020-W53', TZ).label).toBe('2020-W53');
  });
});

describe('splitPeriods', () => {
  it('cuts a range into calendar months', () => {
    const range = parsePeriodSpec('2018-05..2018-12', TZ);
    const months = splitPeriods(range.from, range.to, 'month', TZ);
    expect(months.map((m) => m.label)).toEqual(['2018-05', '2018-06', '2018-07', '2018-08', '2018-09', '2018-10', '2018-11', '2018-12']);
    expect(months[0]!.from).toEqual(range.from);
    expect(months.at(-1)!.to).toEqual(range.to);
    for (let i = 1; i < months.length; i++) expect(months[i]!.from).toEqual(months[i - 1]!.to);
  });

  it('clips the first and last piece to the range', () => {
    const from = new Date('2026-03-15T00:00:00Z');
    const to = new Date('2026-05-10T00:00:00Z');
    expect(splitPeriods(from, to, 'month', 'Europe/Berlin').map(iso)).toEqual([
      { from: '2026-03-15T00:00:00.000Z', to: '2026-03-31T22:00:00.000Z', label: '2026-03' },
      { from: '2026-03-31T22:00:00.000Z', to: '2026-04-30T22:00:00.000Z', label: '2026-04' },
      { from: '2026-04-30T22:00:00.000Z', to: '2026-05-10T00:00:00.000Z', label: '2026-05' },
    ]);
  });

  it('cuts into ISO weeks across the new year', () => {
    const range = parsePeriodSpec('2025-12-22..2026-01-11', TZ);
    const weeks = splitPeriods(range.from, range.to, 'week', TZ);
    expect(weeks.map((w) => w.label)).toEqual(['2025-W52', '2026-W01', '2026-W02']);
    expect(weeks[1]!.from.toISOString()).toBe('2025-12-28T20:00:00.000Z');
  });

  it('is empty for an empty range', () => {
    const at = new Date('2026-05-01T00:00:00Z');
    expect(splitPeriods(at, at, 'month', TZ)).toEqual([]);
  });
});

describe('instantOfLocalTime', () => {
  it('turns a local wall time into an instant', () => {
    expect(instantOfLocalTime('2026-05-04', TZ, 540).toISOString()).toBe('2026-05-04T05:00:00.000Z');
    expect(instantOfLocalTime('2026-05-04', TZ, 1440).toISOString()).toBe('2026-05-04T20:00:00.000Z');
  });

  it('moves a skipped wall time forward and takes the earlier of a repeated one', () => {
    // 02:30 does not exist in Berlin on 29 March 2026: it becomes 03:30 CEST.
    expect(instantOfLocalTime('2026-03-29', 'Europe/Berlin', 150).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 25 October 2026: the first (CEST) one.
    expect(instantOfLocalTime('2026-10-25', 'Europe/Berlin', 150).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});
