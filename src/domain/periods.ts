/**
 * Calendar periods in the city's time zone.
 *
 * DESIGN.md (Metrics): every period a report speaks of — a month, an ISO week,
 * a range of days — is a calendar period in the city's time zone (default
 * `Asia/Yerevan`). Here a period is a half-open interval of instants
 * `[from, to)`: `from` is the UTC instant of local midnight on its first day,
 * `to` the UTC instant of local midnight on the day after its last day. A
 * comment posted at 2026-04-30T21:30:00Z is 01:30 on 1 May in Yerevan, so it
 * belongs to May 2026.
 *
 * Local dates are `YYYY-MM-DD` strings (years 1000–9999). Wall times are turned
 * into instants with the zone's rules from `Intl` (any IANA zone, DST
 * included): a wall time that does not exist (skipped by a spring-forward
 * transition) moves forward by the length of the gap, an ambiguous one
 * (repeated by a fall-back transition) is the earlier instant — the
 * `compatible` disambiguation of Temporal and of most calendars.
 */

/** A calendar period: the instants `from` (inclusive) to `to` (exclusive), and how reports name it. */
export interface Period {
  /** UTC instant of local midnight on the first day. */
  from: Date;
  /** UTC instant of local midnight on the day after the last day (exclusive). */
  to: Date;
  /** `2018-05`, `2018-W19`, `2018-05-14`, `2018`, or `first..last` for a range. */
  label: string;
}

/** Units {@link splitPeriods} cuts a range into. */
export type PeriodUnit = 'month' | 'week';

/** Thrown by {@link parsePeriodSpec} for text it does not understand; the message says what is accepted. */
export class PeriodSpecError extends Error {
  override name = 'PeriodSpecError';
  constructor(readonly spec: string, reason: string) {
    super(
      `Period "${spec}" is not understood: ${reason}. ` +
        'Write a month (2018-05), an ISO week (2018-W19), a day (2018-05-14), a year (2018) ' +
        'or a range of them joined by ".." (2018-05..2018-12, 2018-01-01..2018-03-31).',
    );
  }
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Time zone primitives
// ---------------------------------------------------------------------------

/** Broken-down wall-clock time of an instant in some zone. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building an Intl.DateTimeFormat costs far more than using one: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        // h23, not hour12:false: some ICU versions print midnight as "24" with the latter.
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (cause) {
      throw new RangeError(`"${timeZone}" is not an IANA time zone (for example Asia/Yerevan or Europe/Berlin)`, { cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// `format` is about three times faster than `formatToParts`; en-US output is
// stable ("04/30/2026, 21:30:00"), and formatToParts remains the fallback.
const EN_US_RE = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function wallClockAt(utcMs: number, timeZone: string): WallClock {
  const formatter = formatterFor(timeZone);
  const m = EN_US_RE.exec(formatter.format(utcMs));
  if (m) {
    return { year: +m[3]!, month: +m[1]!, day: +m[2]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]! };
  }
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(utcMs)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return wall;
}

/** `Date.UTC` without its quirk of mapping years 0–99 to 1900–1999. */
function utcMsOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** Offset of the zone from UTC at an instant, in milliseconds (Yerevan: +4 h). */
function offsetMsAt(utcMs: number, timeZone: string): number {
  const w = wallClockAt(utcMs, timeZone);
  // The formatter drops milliseconds, so compare whole seconds.
  return utcMsOf(w.year, w.month, w.day, w.hour, w.minute, w.second) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant at which the zone's clocks show `wallMs` (a wall time encoded as
 * if it were UTC). Gaps move forward, overlaps take the earlier instant.
 */
function instantOfWallMs(wallMs: number, timeZone: string): number {
  // Offsets a day either side bracket any transition near this wall time.
  const before = offsetMsAt(wallMs - MS_PER_DAY, timeZone);
  const after = offsetMsAt(wallMs + MS_PER_DAY, timeZone);
  const early = wallMs - before;
  const late = wallMs - after;
  const earlyValid = offsetMsAt(early, timeZone) === before;
  if (before === after && earlyValid) return early;
  const lateValid = offsetMsAt(late, timeZone) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // In a gap: read the wall time with the offset in force before it, which
  // lands as far past the transition as the wall time is past its start.
  return early;
}

// ---------------------------------------------------------------------------
// Local dates
// ---------------------------------------------------------------------------

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid local date; undefined for malformed or impossible dates. */
function epochDayOf(localDate: string): number | undefined {
  const m = LOCAL_DATE_RE.exec(localDate);
  if (!m) return undefined;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = utcMsOf(year, month, day);
  const back = new Date(ms);
  if (back.getUTCMonth() + 1 !== month || back.getUTCDate() !== day) return undefined;
  return ms / MS_PER_DAY;
}

function requireEpochDay(localDate: string): number {
  const day = epochDayOf(localDate);
  if (day === undefined) throw new RangeError(`"${localDate}" is not a date; write it as YYYY-MM-DD`);
  return day;
}

/** 0 = Monday … 6 = Sunday (ISO order). */
function isoWeekdayIndex(epochDay: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((epochDay + 3) % 7) + 7) % 7;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function requireInstant(instant: Date, what: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date`);
  return ms;
}

/**
 * The local calendar date of an instant in a time zone, as `YYYY-MM-DD`.
 *
 * @example localDateOf(new Date('2026-04-30T21:30:00Z'), 'Asia/Yerevan') // '2026-05-01'
 */
export function localDateOf(instant: Date, timeZone: string): string {
  const w = wallClockAt(requireInstant(instant, 'instant'), timeZone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)}`;
}

/**
 * The instant at which the clocks of `timeZone` show `minuteOfDay` minutes past
 * local midnight on `localDate` (`YYYY-MM-DD`). `minuteOfDay` may be 0–1440;
 * 1440 is midnight at the end of that day. Skipped wall times move forward by
 * the gap, repeated ones resolve to the earlier instant.
 *
 * @example instantOfLocalTime('2026-05-01', 'Asia/Yerevan')      // 2026-04-30T20:00:00Z
 * @example instantOfLocalTime('2026-05-04', 'Asia/Yerevan', 540) // 2026-05-04T05:00:00Z (09:00)
 */
export function instantOfLocalTime(localDate: string, timeZone: string, minuteOfDay = 0): Date {
  if (!Number.isFinite(minuteOfDay) || minuteOfDay < 0 || minuteOfDay > 1440) {
    throw new RangeError(`minuteOfDay must be between 0 and 1440, got ${minuteOfDay}`);
  }
  const wallMs = requireEpochDay(localDate) * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  return new Date(instantOfWallMs(wallMs, timeZone));
}

function midnightMs(epochDay: number, timeZone: string): number {
  return instantOfWallMs(epochDay * MS_PER_DAY, timeZone);
}

// ---------------------------------------------------------------------------
// Months, ISO weeks, days, years
// ---------------------------------------------------------------------------

/** A period as local days: `firstDay` inclusive, `endDay` exclusive (epoch days). */
interface DaySpan {
  firstDay: number;
  endDay: number;
  label: string;
}

function toPeriod(span: DaySpan, timeZone: string): Period {
  return { from: new Date(midnightMs(span.firstDay, timeZone)), to: new Date(midnightMs(span.endDay, timeZone)), label: span.label };
}

function monthSpan(year: number, month: number): DaySpan {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    firstDay: utcMsOf(year, month, 1) / MS_PER_DAY,
    endDay: utcMsOf(next.year, next.month, 1) / MS_PER_DAY,
    label: `${year}-${pad2(month)}`,
  };
}

function isoWeekOf(epochDay: number): { isoYear: number; week: number } {
  // The ISO week belongs to the year of its Thursday.
  const thursday = epochDay - isoWeekdayIndex(epochDay) + 3;
  const isoYear = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  const jan1 = utcMsOf(isoYear, 1, 1) / MS_PER_DAY;
  return { isoYear, week: Math.floor((thursday - jan1) / 7) + 1 };
}

function isoWeekLabel(isoYear: number, week: number): string {
  return `${isoYear}-W${pad2(week)}`;
}

function weekSpanContaining(epochDay: number): DaySpan {
  const monday = epochDay - isoWeekdayIndex(epochDay);
  const { isoYear, week } = isoWeekOf(monday);
  return { firstDay: monday, endDay: monday + 7, label: isoWeekLabel(isoYear, week) };
}

function isoWeekSpan(isoYear: number, week: number): DaySpan | undefined {
  // Week 1 is the week that holds 4 January.
  const jan4 = utcMsOf(isoYear, 1, 4) / MS_PER_DAY;
  const monday = jan4 - isoWeekdayIndex(jan4) + (week - 1) * 7;
  const check = isoWeekOf(monday);
  if (week < 1 || check.isoYear !== isoYear || check.week !== week) return undefined;
  return { firstDay: monday, endDay: monday + 7, label: isoWeekLabel(isoYear, week) };
}

/**
 * A calendar month (`YYYY-MM`) in the time zone.
 *
 * @example monthRange('2026-05', 'Asia/Yerevan')
 * // { from: 2026-04-30T20:00:00Z, to: 2026-05-31T20:00:00Z, label: '2026-05' }
 */
export function monthRange(month: string, timeZone: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month.trim());
  const year = m ? +m[1]! : 0;
  const monthNumber = m ? +m[2]! : 0;
  if (!m || year < 1000 || monthNumber < 1 || monthNumber > 12) {
    throw new RangeError(`"${month}" is not a month; write it as YYYY-MM`);
  }
  return toPeriod(monthSpan(year, monthNumber), timeZone);
}

/**
 * The ISO week (Monday 00:00 to the next Monday 00:00, local time) containing
 * `date` — an instant, or a local date `YYYY-MM-DD`. The label is the ISO
 * week-numbering year and week, e.g. `2026-W01` for 29 December 2025.
 */
export function weekRange(date: Date | string, timeZone: string): Period {
  const localDate = typeof date === 'string' ? date : localDateOf(date, timeZone);
  return toPeriod(weekSpanContaining(requireEpochDay(localDate)), timeZone);
}

/** Parses one side of a spec into local days; undefined if it is none of the accepted shapes. */
function parseSpecPart(part: string): DaySpan | undefined {
  let m = /^(\d{4})$/.exec(part);
  if (m) {
    const year = +m[1]!;
    if (year < 1000) return undefined;
    return { firstDay: utcMsOf(year, 1, 1) / MS_PER_DAY, endDay: utcMsOf(year + 1, 1, 1) / MS_PER_DAY, label: m[1]! };
  }
  m = /^(\d{4})-(\d{2})$/.exec(part);
  if (m) {
    const year = +m[1]!;
    const month = +m[2]!;
    if (year < 1000 || month < 1 || month > 12) return undefined;
    return monthSpan(year, month);
  }
  m = /^(\d{4})-W(\d{1,2})$/i.exec(part);
  if (m) {
    const year = +m[1]!;
    if (year < 1000) return undefined;
    return isoWeekSpan(year, +m[2]!);
  }
  const day = epochDayOf(part);
  if (day !== undefined) return { firstDay: day, endDay: day + 1, label: part };
  return undefined;
}

/**
 * Parses the period notation of the CLI and the bot into a {@link Period}.
 *
 * Accepted: a year `2018`, a month `2018-05`, an ISO week `2018-W19`, a day
 * `2018-05-14`, or a range `A..B` of any two of these, inclusive of all of B
 * (`2018-05..2018-12` is 1 May to the end of 31 December;
 * `2018-01-01..2018-03-31` ends at the end of 31 March). Whitespace around
 * the parts is ignored; the label is the normalised spec.
 *
 * @throws {PeriodSpecError} for anything else, or a range that ends before it starts.
 */
export function parsePeriodSpec(spec: string, timeZone: string): Period {
  const parts = spec.split('..').map((p) => p.trim());
  if (parts.length > 2) throw new PeriodSpecError(spec, 'a range has exactly one ".."');
  const spans = parts.map((part) => {
    const span = parseSpecPart(part);
    if (span === undefined) throw new PeriodSpecError(spec, `"${part}" is not a year, month, ISO week or day`);
    return span;
  });
  const first = spans[0]!;
  const last = spans[spans.length - 1]!;
  if (last.endDay <= first.firstDay) throw new PeriodSpecError(spec, 'the range ends before it starts');
  const label = spans.length === 1 ? first.label : `${first.label}..${last.label}`;
  // Validate the zone before doing any work with it, so a bad zone is a RangeError, not a spec error.
  formatterFor(timeZone);
  return toPeriod({ firstDay: first.firstDay, endDay: last.endDay, label }, timeZone);
}

/**
 * Cuts `[from, to)` into the calendar months or ISO weeks it touches, in
 * order. The first and last pieces are clipped to the range, so the pieces
 * cover it exactly once; each keeps the label of its whole month or week.
 * Returns `[]` when `to <= from`.
 */
export function splitPeriods(from: Date, to: Date, unit: PeriodUnit, timeZone: string): Period[] {
  const fromMs = requireInstant(from, 'from');
  const toMs = requireInstant(to, 'to');
  if (unit !== 'month' && unit !== 'week') throw new RangeError(`unit must be "month" or "week", got "${String(unit)}"`);
  if (toMs <= fromMs) return [];
  const out: Period[] = [];
  let day = requireEpochDay(localDateOf(from, timeZone));
  for (;;) {
    let span: DaySpan;
    if (unit === 'week') {
      span = weekSpanContaining(day);
    } else {
      const date = new Date(day * MS_PER_DAY);
      span = monthSpan(date.getUTCFullYear(), date.getUTCMonth() + 1);
    }
    const period = toPeriod(span, timeZone);
    if (period.from.getTime() >= toMs) break;
    out.push({
      from: new Date(Math.max(period.from.getTime(), fromMs)),
      to: new Date(Math.min(period.to.getTime(), toMs)),
      label: period.label,
    });
    day = span.endDay;
  }
  return out;
}

