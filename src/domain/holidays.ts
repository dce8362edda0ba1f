/**
 * Armenia's non-working days, year by year, plus the one-off days off the
 * government declares (`HOLIDAYS` in the configuration).
 *
 * The legal calendar (Law of the Republic of Armenia "On Holidays and
 * Memorial Days", as DESIGN.md, Metrics, summarises it):
 *
 * - every year: 31 December; 1, 2 and 6 January (New Year, Christmas);
 *   28 January (Army Day); 8 March; 24 April (Genocide Remembrance Day);
 *   1 May; 9 May; 28 May (First Republic Day); 5 July (Constitution Day);
 *   21 September (Independence Day);
 * - from 2010 to 2021 also 3, 4, 5 and 7 January. The amendment of
 *   November 2021 made them working days again, so 2022 and later years do
 *   not have them.
 *
 * Years before 2010 use the every-year list only. That is a deliberate
 * simplification (the law in force then may have differed): the service
 * holds no inquiries from before 2010, and a report on such a year that needs
 * the exact calendar lists the missing days in `HOLIDAYS`.
 *
 * A holiday that falls on a weekend is not moved to a weekday here; any
 * transfer or bridge day the government declares is a one-off day and goes in
 * `HOLIDAYS` too.
 */

/** Which local dates are days off. Dates are `YYYY-MM-DD` in the city's time zone. */
export interface HolidayCalendar {
  /** Whether the local date is a non-working day by law or by the configured extra days. */
  isHoliday(localDate: string): boolean;
  /** Every day off of the year (legal and extra), sorted, as `YYYY-MM-DD`. */
  holidaysIn(year: number): string[];
}

/** Month-day of the days off every year. */
const EVERY_YEAR = ['01-01', '01-02', '01-06', '01-28', '03-08', '04-24', '05-01', '05-09', '05-28', '07-05', '09-21', '12-31'] as const;

/** Month-day of the New Year holidays that were days off from 2010 to 2021 only. */
const NEW_YEAR_WEEK_2010_2021 = ['01-03', '01-04', '01-05', '01-07'] as const;
const NEW_YEAR_WEEK_FIRST_YEAR = 2010;
const NEW_YEAR_WEEK_LAST_YEAR = 2021;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

function isRealDate(localDate: string): boolean {
  const m = DATE_RE.exec(localDate);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function requireYear(year: number): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be a whole number from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`);
  }
  return year;
}

/** The legal days off of a year, without the configured extra days. */
function legalDaysOff(year: number): string[] {
  const monthDays: readonly string[] =
    year >= NEW_YEAR_WEEK_FIRST_YEAR && year <= NEW_YEAR_WEEK_LAST_YEAR ? [...EVERY_YEAR, ...NEW_YEAR_WEEK_2010_2021] : EVERY_YEAR;
  return monthDays.map((md) => `${year}-${md}`);
}

/**
 * Builds the calendar of days off: Armenia's legal non-working days for each
 * year plus `extraDays` (the `HOLIDAYS` configuration, `YYYY-MM-DD`).
 *
 * Each year's set is built once, on first use, so `isHoliday` is a string
 * check and a set lookup — cheap enough for loops over many years of days.
 *
 * @throws {RangeError} if an extra day is not a real `YYYY-MM-DD` date.
 */
export function createHolidayCalendar(extraDays: readonly string[] = []): HolidayCalendar {
  const extrasByYear = new Map<number, string[]>();
  for (const raw of extraDays) {
    const day = raw.trim();
    if (!isRealDate(day)) throw new RangeError(`extra day off "${raw}" is not a date; write it as YYYY-MM-DD`);
    const year = Number(day.slice(0, 4));
    const list = extrasByYear.get(year) ?? [];
    list.push(day);
    extrasByYear.set(year, list);
  }

  const byYear = new Map<number, { set: ReadonlySet<string>; sorted: readonly string[] }>();
  const yearEntry = (year: number) => {
    let entry = byYear.get(year);
    if (entry === undefined) {
      const set = new Set([...legalDaysOff(year), ...(extrasByYear.get(year) ?? [])]);
      // Same-length YYYY-MM-DD strings sort chronologically.
      entry = { set, sorted: [...set].sort() };
      byYear.set(year, entry);
    }
    return entry;
  };

  return {
    isHoliday(localDate: string): boolean {
      // The shape check is enough to take the year; impossible dates such as
      // 2026-02-30 are simply not in any set.
      if (localDate.length !== 10 || !DATE_RE.test(localDate)) {
        throw new RangeError(`"${localDate}" is not a local date; write it as YYYY-MM-DD`);
      }
      const year = Number(localDate.slice(0, 4));
      if (year < MIN_YEAR) return false;
      return yearEntry(year).set.has(localDate);
    },
    holidaysIn(year: number): string[] {
      return [...yearEntry(requireYear(year)).sorted];
    },
  };
}
