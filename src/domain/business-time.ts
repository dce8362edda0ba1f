/**
 * Business-hours arithmetic in the city's time zone.
 *
 * DESIGN.md (Metrics): first response time is reported in wall-clock and in
 * business time, and the SLA due time of an inquiry is counted in business
 * time when `SLA_CLOCK=business`. Business time runs only inside the opening
 * window (`BUSINESS_HOURS`, default Mon–Fri 09:00–18:00) of local days that
 * are not days off ({@link HolidayCalendar}).
 *
 * Each local day has at most one window, `[open, close)` as UTC instants,
 * computed with the zone's rules for that very day, so a window on a DST
 * change day is as long as the clocks say (an 00:00–24:00 window on the
 * spring-forward day in Europe/Berlin holds 23 hours). Windows are cached per
 * local day, and every operation walks days, never minutes: a span of five
 * years is some 1,800 cheap steps.
 */
import type { HolidayCalendar } from './holidays.js';
import { instantOfLocalTime, localDateOf } from './periods.js';

/** Business hours: which weekdays (0 = Sunday) and the minutes of the local day they span (`BUSINESS_HOURS`). */
export interface BusinessHours {
  days: number[];
  startMinute: number;
  endMinute: number;
}

/** What {@link createBusinessClock} needs. */
export interface BusinessClockOptions {
  /** IANA time zone of the city, e.g. `Asia/Yerevan`. */
  timezone: string;
  /** Opening days (0 = Sunday) and the minutes of the local day they span. */
  hours: BusinessHours;
  /** Days off; a day off has no business time at all. */
  holidays: HolidayCalendar;
}

/** Business-time arithmetic bound to one zone, one set of hours and one holiday calendar. */
export interface BusinessClock {
  /**
   * Business minutes elapsed from `start` to `end`: the time both inside the
   * interval and inside opening windows. 0 when `end <= start`. Time before
   * the office opens does not count, so work that starts at night counts from
   * the next opening. The result is exact, not rounded (30 s is 0.5).
   */
  businessMinutesBetween(start: Date, end: Date): number;
  /**
   * The earliest instant at which `minutes` business minutes have elapsed
   * since `start` — the SLA due time of an inquiry posted at `start`.
   * 0 minutes gives `start` itself. If the last minute runs out exactly at
   * closing time, the result is that closing instant, not the next opening.
   * @throws {RangeError} if `minutes` is negative or not finite.
   */
  addBusinessMinutes(start: Date, minutes: number): Date;
  /** Whether `at` is inside an opening window (opening instant included, closing instant excluded). */
  isOpen(at: Date): boolean;
  /** `at` itself if the office is open then, otherwise the start of the next opening window. */
  nextOpening(at: Date): Date;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** A run of closed days longer than this means the calendar can never open. */
const MAX_CLOSED_DAYS_IN_A_ROW = 3_660;
/** Bound on cached day windows; reports touch a few thousand distinct days at most. */
const WINDOW_CACHE_LIMIT = 50_000;

/** An opening window as UTC milliseconds, `[open, close)`. */
interface Window {
  open: number;
  close: number;
}

function validateHours(hours: BusinessHours): void {
  const { days, startMinute, endMinute } = hours;
  if (!Array.isArray(days) || days.length === 0) {
    throw new RangeError('business hours need at least one opening day (0 = Sunday … 6 = Saturday)');
  }
  for (const d of days) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`opening day ${d} is not 0 (Sunday) to 6 (Saturday)`);
  }
  if (!Number.isInteger(startMinute) || !Number.isInteger(endMinute) || startMinute < 0 || endMinute > 1440 || startMinute >= endMinute) {
    throw new RangeError(
      `business hours ${startMinute}–${endMinute} are not minutes of the day with start before end (0 ≤ start < end ≤ 1440)`,
    );
  }
}

function instantMs(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

/** Days since 1970-01-01 of a well-formed `YYYY-MM-DD`. */
function epochDayOf(localDate: string): number {
  return Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10))) / MS_PER_DAY;
}

function localDateOfEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as in {@link BusinessHours.days}. */
function weekdayOf(epochDay: number): number {
  // 1970-01-01 was a Thursday.
  return (((epochDay + 4) % 7) + 7) % 7;
}

/**
 * Creates a {@link BusinessClock}.
 *
 * @throws {RangeError} for an unknown time zone or business hours that are
 *   not a non-empty set of weekdays with `0 ≤ startMinute < endMinute ≤ 1440`.
 *
 * @example
 * const clock = createBusinessClock({
 *   timezone: config.timezone,
 *   hours: config.businessHours,
 *   holidays: createHolidayCalendar(config.holidays),
 * });
 * const due = clock.addBusinessMinutes(inquiry.postedAt, config.sla.firstResponseMinutes);
 */
export function createBusinessClock(options: BusinessClockOptions): BusinessClock {
  const { timezone, holidays } = options;
  validateHours(options.hours);
  const openDays = new Set(options.hours.days);
  const { startMinute, endMinute } = options.hours;
  // Fail now, not at the first inquiry, if the zone is unknown.
  localDateOf(new Date(0), timezone);

  const windows = new Map<number, Window | null>();

  /** The opening window of a local day, or null if the office stays closed. */
  const windowOf = (epochDay: number): Window | null => {
    const cached = windows.get(epochDay);
    if (cached !== undefined) return cached;
    let window: Window | null = null;
    if (openDays.has(weekdayOf(epochDay))) {
      const localDate = localDateOfEpochDay(epochDay);
      if (!holidays.isHoliday(localDate)) {
        const open = instantOfLocalTime(localDate, timezone, startMinute).getTime();
        const close = instantOfLocalTime(localDate, timezone, endMinute).getTime();
        // A window can collapse only if a DST gap swallows it whole.
        if (close > open) window = { open, close };
      }
    }
    if (windows.size >= WINDOW_CACHE_LIMIT) windows.clear();
    windows.set(epochDay, window);
    return window;
  };

  const epochDayAt = (ms: number): number => epochDayOf(localDateOf(new Date(ms), timezone));

  /** The first window that ends after `ms`, searching from the local day of `ms`. */
  const firstWindowEndingAfter = (ms: number): Window => {
    let day = epochDayAt(ms);
    for (let closed = 0; closed <= MAX_CLOSED_DAYS_IN_A_ROW; day++) {
      const w = windowOf(day);
      if (w !== null && w.close > ms) return w;
      closed = w === null ? closed + 1 : 0;
    }
    throw new Error(
      `no opening in ${MAX_CLOSED_DAYS_IN_A_ROW} days after ${new Date(ms).toISOString()}: check BUSINESS_HOURS and HOLIDAYS`,
    );
  };

  return {
    businessMinutesBetween(start: Date, end: Date): number {
      const startMs = instantMs(start, 'start');
      const endMs = instantMs(end, 'end');
      if (endMs <= startMs) return 0;
      const lastDay = epochDayAt(endMs);
      let total = 0;
      for (let day = epochDayAt(startMs); day <= lastDay; day++) {
        const w = windowOf(day);
        if (w === null) continue;
        const from = Math.max(w.open, startMs);
        const to = Math.min(w.close, endMs);
        if (to > from) total += to - from;
      }
      return total / MS_PER_MINUTE;
    },

    addBusinessMinutes(start: Date, minutes: number): Date {
      const startMs = instantMs(start, 'start');
      if (!Number.isFinite(minutes) || minutes < 0) {
        throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
      }
      let remaining = minutes * MS_PER_MINUTE;
      if (remaining === 0) return new Date(startMs);
      let day = epochDayAt(startMs);
      for (let closed = 0; closed <= MAX_CLOSED_DAYS_IN_A_ROW; day++) {
        const w = windowOf(day);
        closed = w === null ? closed + 1 : 0;
        if (w === null || w.close <= startMs) continue;
        const from = Math.max(w.open, startMs);
        const available = w.close - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
      throw new Error(
        `no opening in ${MAX_CLOSED_DAYS_IN_A_ROW} days after ${new Date(startMs).toISOString()}: check BUSINESS_HOURS and HOLIDAYS`,
      );
    },

    isOpen(at: Date): boolean {
      const ms = instantMs(at, 'at');
      const w = windowOf(epochDayAt(ms));
      return w !== null && w.open <= ms && ms < w.close;
    },

    nextOpening(at: Date): Date {
      const ms = instantMs(at, 'at');
      const w = firstWindowEndingAfter(ms);
      return new Date(Math.max(w.open, ms));
    },
  };
}
