/**
 * Keeps `business_calendar` (migration 1210) in step with the configuration,
 * so that `inquiries.frt_business_minutes`, filled by a trigger whenever a
 * first response is written, is the business-hours first-response time of
 * DESIGN.md (Metrics): business hours (`BUSINESS_HOURS`) of local days in
 * `TIMEZONE` that are not days off (Armenia's legal calendar of that year,
 * plus `HOLIDAYS`).
 *
 * The calendar has one row per local day: opening instant
 * (`(day + opening) at time zone`, so a DST day is as long as the clocks
 * say), business minutes of the day, and business minutes of all days
 * before it. Business time up to an instant t on day d is
 * `cum(d) + clamp(t − open(d), 0, length(d))`, and the business minutes
 * between two instants the difference: the arithmetic of
 * `BusinessClock.businessMinutesBetween` (src/domain/business-time.ts), which
 * the tests check it against.
 *
 * {@link ensureBusinessCalendar} is cheap when nothing changed (two small
 * queries); every report calls it first. When the configuration changed it
 * rebuilds the calendar and recomputes every stored value; when the data
 * outgrew the calendar's days it extends it and fills what was missing.
 * Two processes doing it at once are serialised by an advisory lock.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { createHolidayCalendar } from '../domain/holidays.js';
import { localDateOf } from '../domain/periods.js';
import type { ReportConfig } from './report-config.js';

const MS_PER_DAY = 86_400_000;
/** The calendar always starts no later than this day (the legal calendar's data start in 2010). */
const EARLIEST_FIRST_DAY = '2000-01-01';
/** The calendar reaches this many days past today when (re)built… */
const BUILD_AHEAD_DAYS = 3 * 366;
/** …and is extended once fewer than this many days are left. */
const MIN_AHEAD_DAYS = 366;
const LOCK_KEY = 'ardzagank.business_calendar';

const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
const minDay = (...days: Array<string | undefined>): string => days.filter((d): d is string => !!d).sort()[0]!;
const maxDay = (...days: Array<string | undefined>): string => days.filter((d): d is string => !!d).sort().at(-1)!;

/** What the calendar is built from; a change of any part rebuilds it. */
export function businessCalendarFingerprint(config: ReportConfig): string {
  const holidays = createHolidayCalendar(config.holidays);
  const legal: string[] = [];
  for (let year = 2000; year <= 2060; year++) legal.push(...holidays.holidaysIn(year));
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, timezone: config.timezone, hours: config.businessHours, extra: [...config.holidays].sort(), daysOff: legal }))
    .digest('hex')
    .slice(0, 32);
}

export interface EnsureResult {
  /** `none`: already right; `extended`: more days added; `rebuilt`: configuration changed, all values recomputed. */
  action: 'none' | 'extended' | 'rebuilt';
  /** Inquiries whose business-hours time was (re)computed. */
  recomputed: number;
}

interface DataBounds {
  firstDay: string | undefined;
  lastDay: string | undefined;
}

/**
 * The days the inquiries span. Runs before every report, so each part reads
 * one end of an index: final answers only of what reports count (not low
 * priority, as `inquiries_closed_at_idx`); without that condition Postgres
 * read every inquiry (300 ms at a million).
 */
async function dataBounds(db: Db, timezone: string): Promise<DataBounds> {
  const { rows } = await sql<{ minPosted: Date | null; maxPosted: Date | null; maxResponse: Date | null; maxClosed: Date | null }>`
    select (select min(posted_at) from inquiries) as min_posted,
           (select max(posted_at) from inquiries) as max_posted,
           (select max(first_response_at) from inquiries where first_response_at is not null) as max_response,
           (select max(closed_at) from inquiries where closed_at is not null and not low_priority) as max_closed
  `.execute(db);
  const r = rows[0]!;
  const day = (d: Date | null) => (d ? localDateOf(d, timezone) : undefined);
  return { firstDay: day(r.minPosted), lastDay: maxDay(day(r.maxPosted), day(r.maxResponse), day(r.maxClosed), '0000-01-01') };
}

/**
 * Makes sure the business calendar matches `config` and covers every
 * inquiry and the coming year, and that every answered inquiry has its
 * business-hours first-response time. Call it before reading
 * `frt_business_minutes`.
 */
export async function ensureBusinessCalendar(db: Db, config: ReportConfig, now: Date): Promise<EnsureResult> {
  const fingerprint = businessCalendarFingerprint(config);
  const today = localDateOf(now, config.timezone);
  const check = async (executor: Db) => {
    const [state, bounds] = await Promise.all([executor.selectFrom('businessCalendarState').selectAll().executeTakeFirst(), dataBounds(executor, config.timezone)]);
    const needFirst = minDay(EARLIEST_FIRST_DAY, bounds.firstDay);
    const needLast = maxDay(addDays(today, MIN_AHEAD_DAYS), bounds.lastDay);
    const same = state?.fingerprint === fingerprint && state.timezone === config.timezone;
    const covered = same && state!.firstDay <= needFirst && state!.lastDay >= needLast;
    return { state, same, covered, needFirst, needLast };
  };
  if ((await check(db)).covered) return { action: 'none', recomputed: 0 };

  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${LOCK_KEY}, 0))`.execute(trx);
    const c = await check(trx);
    if (c.covered) return { action: 'none', recomputed: 0 };
    const firstDay = c.same ? minDay(c.state!.firstDay, c.needFirst) : c.needFirst;
    const lastDay = maxDay(addDays(today, BUILD_AHEAD_DAYS), c.needLast);
    await buildCalendar(trx, config, firstDay, lastDay);
    await trx
      .insertInto('businessCalendarState')
      .values({ id: 1, fingerprint, timezone: config.timezone, firstDay, lastDay })
      .onConflict((oc) => oc.column('id').doUpdateSet({ fingerprint, timezone: config.timezone, firstDay, lastDay, builtAt: sql`now()` }))
      .execute();
    // Same configuration: only inquiries outside the old calendar lack a value.
    const recomputed = await recompute(trx, config.timezone, c.same ? 'missing' : 'all');
    return { action: c.same ? 'extended' : 'rebuilt', recomputed };
  });
}

/** Fills `business_calendar` with the local days from `firstDay` to `lastDay`. */
async function buildCalendar(db: Db, config: ReportConfig, firstDay: string, lastDay: string): Promise<void> {
  const holidays = createHolidayCalendar(config.holidays);
  const daysOff: string[] = [];
  for (let year = Number(firstDay.slice(0, 4)); year <= Number(lastDay.slice(0, 4)); year++) {
    for (const day of holidays.holidaysIn(year)) if (day >= firstDay && day <= lastDay) daysOff.push(day);
  }
  const isoDays = config.businessHours.days.map((d) => (d === 0 ? 7 : d));
  const { startMinute, endMinute } = config.businessHours;
  await sql`delete from business_calendar`.execute(db);
  await sql`
    insert into business_calendar (day, open_at, len_minutes, cum_minutes)
    select d.day, d.open_at, d.len_minutes,
           coalesce(sum(d.len_minutes) over (order by d.day rows between unbounded preceding and 1 preceding), 0)
    from (
      select g::date as day,
             case when o.business then o.open_at end as open_at,
             case when o.business then greatest(date_part('epoch', o.close_at) - date_part('epoch', o.open_at), 0) / 60 else 0 end::float8 as len_minutes
      from generate_series(${firstDay}::timestamp, ${lastDay}::timestamp, interval '1 day') as g
      cross join lateral (
        select extract(isodow from g)::int = any(${isoDays}::int[]) and not (g::date = any(${daysOff}::date[])) as business,
               (g + make_interval(mins => ${startMinute}::int)) at time zone ${config.timezone} as open_at,
               (g + make_interval(mins => ${endMinute}::int)) at time zone ${config.timezone} as close_at
      ) as o
    ) as d
  `.execute(db);
}

/** Business minutes up to `t` from the calendar row `c` of t's local day. */
const at = (c: string, t: string) =>
  sql.raw(`(${c}.cum_minutes + case when ${c}.len_minutes > 0 then least(greatest((date_part('epoch', ${t}) - date_part('epoch', ${c}.open_at)) / 60, 0), ${c}.len_minutes) else 0 end)`);

/** Recomputes stored business-hours times, set-based (two joins on the calendar, not a call per row). */
async function recompute(db: Db, timezone: string, which: 'all' | 'missing'): Promise<number> {
  const onlyMissing = which === 'missing' ? sql`and i.frt_business_minutes is null` : sql``;
  const result = await sql`
    update inquiries as i
       set frt_business_minutes = greatest(${at('c2', 'i.first_response_at')} - ${at('c1', 'i.posted_at')}, 0)
      from business_calendar as c1, business_calendar as c2
     where i.first_response_at is not null ${onlyMissing}
       and c1.day = (i.posted_at at time zone ${timezone})::date
       and c2.day = (i.first_response_at at time zone ${timezone})::date
  `.execute(db);
  // The same for resolution times (closed_at − posted_at), migration 2026_12_13_0900.
  const onlyMissingResolution = which === 'missing' ? sql`and i.resolution_business_minutes is null` : sql``;
  await sql`
    update inquiries as i
       set resolution_business_minutes = greatest(${at('c2', 'i.closed_at')} - ${at('c1', 'i.posted_at')}, 0)
      from business_calendar as c1, business_calendar as c2
     where i.closed_at is not null ${onlyMissingResolution}
       and c1.day = (i.posted_at at time zone ${timezone})::date
       and c2.day = (i.closed_at at time zone ${timezone})::date
  `.execute(db);
  if (which === 'all') {
    await sql`
      update inquiries as i set resolution_business_minutes = null
       where i.closed_at is not null and i.resolution_business_minutes is not null
         and not exists (select 1 from business_calendar as c where c.day = (i.closed_at at time zone ${timezone})::date)
    `.execute(db);
    // Days outside the calendar (none in practice) must not keep a value from an older configuration.
    await sql`
      update inquiries as i set frt_business_minutes = null
       where i.first_response_at is not null and i.frt_business_minutes is not null
         and not exists (select 1 from business_calendar as c where c.day = (i.first_response_at at time zone ${timezone})::date)
    `.execute(db);
  }
  return Number(result.numAffectedRows ?? 0);
}
