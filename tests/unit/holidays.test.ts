import { describe, expect, it } from 'vitest';
import { createHolidayCalendar } from '../../src/domain/holidays.js';

const EVERY_YEAR_2026 = [
  '2026-01-01',
  '2026-01-02',
  '2026-01-06',
  '2026-01-28',
  '2026-03-08',
  '2026-04-24',
  '2026-05-01',
  '2026-05-09',
  '2026-05-28',
  '2026-07-05',
  '2026-09-21',
  '2026-12-31',
];

describe('createHolidayCalendar', () => {
  const calendar = createHolidayCalendar([]);

  it('lists the legal days off of a year after 2021, sorted', () => {
    expect(calendar.holidaysIn(2026)).toEqual(EVERY_YEAR_2026);
  });

  it('adds 3, 4, 5 and 7 January from 2010 to 2021 only', () => {
    for (const year of [2010, 2015, 2021]) {
      const days = calendar.holidaysIn(year);
      expect(days).toHaveLength(16);
      expect(days.slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `${year}-01-0${d}`));
    }
    for (const year of [2009, 2022, 2026]) {
      expect(calendar.holidaysIn(year)).toHaveLength(12);
      expect(calendar.isHoliday(`${year}-01-04`)).toBe(false);
    }
    expect(calendar.isHoliday('2021-01-07')).toBe(true);
    expect(calendar.isHoliday('2022-01-07')).toBe(false);
    expect(calendar.isHoliday('2022-01-06')).toBe(true);
  });

  it('uses the every-year list before 2010', () => {
    expect(calendar.holidaysIn(2005)).toEqual(EVERY_YEAR_2026.map((d) => d.replace('2026', '2005')));
  });

  it('answers day by day', () => {
    expect(calendar.isHoliday('2024-04-24')).toBe(true);
    expect(calendar.isHoliday('2024-04-25')).toBe(false);
    expect(calendar.isHoliday('2025-12-31')).toBe(true);
    expect(calendar.isHoliday('2025-12-30')).toBe(false);
    expect(calendar.isHoliday('2026-09-21')).toBe(true);
  });

  it('adds the configured one-off days to their year only', () => {
    const withExtras = createHolidayCalendar(['2026-06-01', ' 2027-01-03 ', '2026-05-09']);
    expect(withExtras.isHoliday('2026-06-01')).toBe(true);
    expect(withExtras.isHoliday('2027-06-01')).toBe(false);
    expect(withExtras.isHoliday('2027-01-03')).toBe(true);
    // A configured day that is already a legal one is listed once; the list stays sorted.
    expect(withExtras.holidaysIn(2026)).toEqual([...EVERY_YEAR_2026, '2026-06-01'].sort());
    expect(calendar.isHoliday('2026-06-01')).toBe(false);
  });

  it('refuses extra days that are not dates', () => {
    expect(() => createHolidayCalendar(['2026-02-30'])).toThrow(RangeError);
    expect(() => createHolidayCalendar(['1/6/2026'])).toThrow(/YYYY-MM-DD/);
    expect(() => createHolidayCalendar(['tomorrow'])).toThrow(RangeError);
  });

  it('refuses malformed dates and years', () => {
    expect(() => calendar.isHoliday('2026-1-6')).toThrow(RangeError);
    expect(() => calendar.isHoliday('06.01.2026')).toThrow(RangeError);
    expect(() => calendar.holidaysIn(2026.5)).toThrow(RangeError);
  });

  it('hands out copies, so callers cannot change the calendar', () => {
    const days = calendar.holidaysIn(2026);
    days.push('2026-06-15');
    days.length = 1;
    expect(calendar.holidaysIn(2026)).toEqual(EVERY_YEAR_2026);
    expect(calendar.isHoliday('2026-06-15')).toBe(false);
  });

  it('counts every year the same way in a loop over decades', () => {
    let total = 0;
    for (let year = 2000; year <= 2030; year++) total += calendar.holidaysIn(year).length;
    // 31 years of 12 days, and 4 more in each of the 12 years 2010–2021.
    expect(total).toBe(31 * 12 + 12 * 4);
  });
});
