/**
 * Figures of whole local days, kept in `report_day_cache` (migration
 * 2026_12_15_0900) and merged into the figures of any period made of whole
 * days (months, weeks, years, the days of a baseline): what makes a year by
 * month or a comparison of long periods fast.
 *
 * Each day of each cohort is computed once by Postgres and kept until an
 * inquiry of that day changes (a trigger forgets it):
 * - received (by the day an inquiry was posted): counts per platform and
 *   sector; counts add up over days.
 * - answered (by the day of the first response): every first-response time
 *   of the day, wall clock and business hours, sorted, with its platform,
 *   sector, staff member and channel;
 * - claimed (by the day of the claim): every time to claim, with who claimed.
 * - resolved, followed, asked: the follow-through figures' cohorts (by the
 *   day of the final answer, of the post, of the "solved?" question; see
 *   follow-through.query.ts and migration 2026_12_19_0900).
 * Medians and percentiles of a period are computed here from the times of
 * its days exactly as Postgres' `percentile_cont` does (the two neighbouring
 * values and the same interpolation), so they are the same numbers, not
 * estimates.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/create-db.js';
import type { Platform } from '../domain/inquiry.js';
import { instantOfLocalTime, localDateOf } from '../domain/periods.js';
import type { InstantRange } from './measured-figures.query.js';
import type { ReportConfig } from './report-config.js';

const MS_PER_DAY = 86_400_000;

/** Counts of one platform, sector and source on one day: [platform, sector, received, reactions, dismissed, answeredSoFar, answeredWithinSla, source (0: none recorded)]. */
export type ReceivedGroup = [Platform, string | null, number, number, number, number, number, number];

/** The first responses of one day, sorted by wall-clock time; `k` indexes `keys` ([platform, sector, answered_by, answered_via, source]). */
export interface AnsweredDay {
  w: number[];
  b: Array<number | null>;
  k: number[];
  keys: Array<[Platform, string | null, number | null, string | null, number]>;
}

/** The claims of one day, sorted by time to claim, with who claimed. */
export interface ClaimedDay {
  m: number[];
  s: Array<number | null>;
}

/** The final answers (`closed_at`) of one day: every resolution time, wall clock and business hours, by inquiry id. */
export interface ResolvedDay {
  w: number[];
  b: Array<number | null>;
}

/** Posted on the day (not dismissed, not low priority): [answeredFinally, answeredOnlyInterim, everClosed, reopened]. */
export type FollowedDay = [number, number, number, number];

/** Asked on the day whether it was solved: [asked, yes, no, noReply]. */
export type AskedDay = [number, number, number, number];

export interface DayFigures {
  received: Map<string, ReceivedGroup[]>;
  answered: Map<string, AnsweredDay>;
  claimed: Map<string, ClaimedDay>;
  resolved: Map<string, ResolvedDay>;
  followed: Map<string, FollowedDay>;
  asked: Map<string, AskedDay>;
}

/** Resolution time on the wall clock, minutes (follow-through.query.ts computes the same without the cache). */
export const RESOLUTION_WALL_SQL = sql.raw(`greatest(date_part('epoch', i.closed_at) - date_part('epoch', i.posted_at), 0) / 60`);

/**
 * Days read before, per database connection and by their fill
 * (`report_day_cache.id`): a fill is never
 * changed, only forgotten, so a copy is good as long as the table still has
 * its id. The least recently used go first past {@link MEMORY_DAYS}.
 */
/** Days filled in one transaction. */
const FILL_DAYS = 31;

const memories = new WeakMap<Db, Map<string, unknown>>();
/** Over a year of days of every cohort (a year by month and the year before it). */
const MEMORY_DAYS = 6 * 400;

function memoryOf(db: Db): Map<string, unknown> {
  let memory = memories.get(db);
  if (!memory) memories.set(db, (memory = new Map()));
  return memory;
}

function remember(memory: Map<string, unknown>, id: string, data: unknown): void {
  memory.set(id, data);
  if (memory.size > MEMORY_DAYS) memory.delete(memory.keys().next().value!);
}

const EMPTY_ANSWERED: AnsweredDay = { w: [], b: [], k: [], keys: [] };
const EMPTY_CLAIMED: ClaimedDay = { m: [], s: [] };
const EMPTY_RESOLVED: ResolvedDay = { w: [], b: [] };
const ZEROS: [number, number, number, number] = [0, 0, 0, 0];

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;
const dayOf = (n: number): string => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

/** The local days of a period, or null when it does not start and end at local midnights. */
export function wholeDaysOf(period: InstantRange, timezone: string): string[] | null {
  const first = localDateOf(period.from, timezone);
  if (instantOfLocalTime(first, timezone).getTime() !== period.from.getTime()) return null;
  const next = localDateOf(period.to, timezone);
  if (instantOfLocalTime(next, timezone).getTime() !== period.to.getTime()) return null;
  const days: string[] = [];
  for (let n = dayNumber(first); n < dayNumber(next); n++) days.push(dayOf(n));
  return days;
}

/** What the cached figures depend on besides the inquiries. */
export function dayCacheFingerprint(config: ReportConfig): string {
  return `v2|${config.timezone}|${config.sla.clock}|${config.sla.firstResponseMinutes}`;
}

export type Cohort = 'received' | 'answered' | 'claimed' | 'resolved' | 'followed' | 'asked';

/** The SQL that computes one cohort's data of the days `d(day, f, t)`. */
function fillSql(cohort: Cohort, sqlParts: DaySqlParts | undefined): RawBuilder<unknown> {
  // The follow-through cohorts (follow-through.query.ts): the same conditions as its queries, per day.
  if (cohort === 'resolved') {
    return sql`
      select json_build_object('w', coalesce(json_agg(r.w order by r.id), '[]'::json), 'b', coalesce(json_agg(r.b order by r.id), '[]'::json))::text
      from (
        select i.id, ${RESOLUTION_WALL_SQL} as w, i.resolution_business_minutes as b
        from inquiries as i
        where i.closed_at >= d.f and i.closed_at < d.t and i.closed_at is not null and not i.low_priority
      ) as r`;
  }
  if (cohort === 'followed') {
    return sql`
      select json_build_array(
               count(*) filter (where i.first_response_at is not null and i.closed_at is not null),
               count(*) filter (where i.first_response_at is not null and i.closed_at is null),
               count(*) filter (where i.closed_at is not null or i.reopen_count > 0),
               count(*) filter (where i.reopen_count > 0))::text
      from inquiries as i
      where i.posted_at >= d.f and i.posted_at < d.t and not i.low_priority and i.status <> 'dismissed'`;
  }
  if (cohort === 'asked') {
    return sql`
      select json_build_array(
               count(*),
               count(*) filter (where i.solved_answer = 'yes'),
               count(*) filter (where i.solved_answer = 'no'),
               count(*) filter (where i.solved_answer = 'no_reply'))::text
      from inquiries as i
      where i.solved_asked_at >= d.f and i.solved_asked_at < d.t`;
  }
  if (!sqlParts) throw new TypeError(`the ${cohort} days need the SQL parts of measured-figures.query.ts`);
  const { platform, sector, source, frtWall, withinSla } = sqlParts;
  if (cohort === 'received') {
    return sql`
      select (
        select coalesce(json_agg(json_build_array(g.platform, g.sector, g.received, g.reactions, g.dismissed, g.answered_so_far, g.within_sla, g.source)), '[]'::json)::text
        from (
          select ${platform} as platform, ${sector} as sector, ${source} as source,
                 count(*) filter (where not i.low_priority and i.status <> 'dismissed') as received,
                 count(*) filter (where i.low_priority) as reactions,
                 count(*) filter (where not i.low_priority and i.status = 'dismissed') as dismissed,
                 count(*) filter (where not i.low_priority and i.status <> 'dismissed' and i.first_response_at is not null) as answered_so_far,
                 count(*) filter (where not i.low_priority and i.status <> 'dismissed' and i.first_response_at is not null and ${withinSla}) as within_sla
          from inquiries as i
          where i.posted_at >= d.f and i.posted_at < d.t
          group by 1, 2, 3
        ) as g
      )`;
  }
  if (cohort === 'answered') {
    return sql`
      select (
        with r as (
          select i.id, ${frtWall} as w, i.frt_business_minutes as b, ${platform} as platform, ${sector} as sector, i.answered_by, i.answered_via, ${source} as source,
                 dense_rank() over (order by ${platform}, ${sector}, i.answered_by, i.answered_via, ${source}) - 1 as k
          from inquiries as i
          where i.first_response_at >= d.f and i.first_response_at < d.t and not i.low_priority
        )
        select json_build_object(
                 'w', coalesce(json_agg(r.w order by r.w, r.id), '[]'::json),
                 'b', coalesce(json_agg(r.b order by r.w, r.id), '[]'::json),
                 'k', coalesce(json_agg(r.k order by r.w, r.id), '[]'::json),
                 'keys', coalesce((select json_agg(json_build_array(x.platform, x.sector, x.answered_by, x.answered_via, x.source) order by x.k)
                                   from (select distinct k, platform, sector, answered_by, answered_via, source from r) as x), '[]'::json)
               )::text
        from r
      )`;
  }
  const claimMinutes = sql`greatest(date_part('epoch', i.claimed_at) - date_part('epoch', i.posted_at), 0) / 60`;
  return sql`
    select json_build_object('m', coalesce(json_agg(c.m order by c.m, c.id), '[]'::json), 's', coalesce(json_agg(c.s order by c.m, c.id), '[]'::json))::text
    from (
      select i.id, ${claimMinutes} as m, i.claimed_by as s
      from inquiries as i
      where i.claimed_at >= d.f and i.claimed_at < d.t and not i.low_priority
    ) as c`;
}

/** SQL fragments shared with measured-figures.query.ts, so both compute the same values. */
export interface DaySqlParts {
  platform: RawBuilder<unknown>;
  sector: RawBuilder<unknown>;
  /** The source's id, 0 when none was recorded (as the breakdown by source). */
  source: RawBuilder<unknown>;
  frtWall: RawBuilder<unknown>;
  withinSla: RawBuilder<unknown>;
}

/**
 * The cached figures of `days` (local days) for the cohorts asked for;
 * days not cached yet are computed and stored first. `sqlParts` is needed
 * for the received, answered and claimed cohorts.
 */
export async function loadDayFigures(
  db: Db,
  config: ReportConfig,
  days: string[],
  cohorts: readonly Cohort[],
  sqlParts?: DaySqlParts,
): Promise<DayFigures> {
  const out: DayFigures = { received: new Map(), answered: new Map(), claimed: new Map(), resolved: new Map(), followed: new Map(), asked: new Map() };
  if (days.length === 0 || cohorts.length === 0) return out;
  const fp = dayCacheFingerprint(config);
  const tz = config.timezone;
  const memory = memoryOf(db);

  const put = (cohort: Cohort, day: string, data: unknown) => {
    (out[cohort] as Map<string, unknown>).set(day, data);
  };
  // Which fill of each day is in the table; days this process read before are taken from memory.
  const read = async (cohortList: readonly Cohort[], dayList: string[]) => {
    const { rows } = await sql<{ cohort: Cohort; day: string; id: string }>`
      select cohort, to_char(day, 'YYYY-MM-DD') as day, id::text as id
      from report_day_cache
      where fingerprint = ${fp} and cohort = any(${cohortList}::text[]) and day = any(${dayList}::date[])
    `.execute(db);
    const wanted: string[] = [];
    for (const row of rows) {
      const kept = memory.get(row.id);
      if (kept !== undefined) {
        memory.delete(row.id);
        memory.set(row.id, kept);
        put(row.cohort, row.day, kept);
      } else wanted.push(row.id);
    }
    if (wanted.length === 0) return;
    const fetched = await sql<{ cohort: Cohort; day: string; id: string; data: string }>`
      select cohort, to_char(day, 'YYYY-MM-DD') as day, id::text as id, data from report_day_cache where id = any(${wanted}::bigint[])
    `.execute(db);
    for (const row of fetched.rows) {
      const data: unknown = JSON.parse(row.data);
      remember(memory, row.id, data);
      put(row.cohort, row.day, data);
    }
  };
  await read(cohorts, days);

  const missing = new Map<Cohort, string[]>();
  for (const cohort of cohorts) {
    const have = out[cohort];
    const lacking = days.filter((d) => !have.has(d));
    if (lacking.length > 0) missing.set(cohort, lacking);
  }
  if (missing.size === 0) return out;

  // A month of days at a time: writers of inquiries wait for a fill (see the lock), so each stays short.
  const chunks: Array<[Cohort, string[]]> = [];
  for (const [cohort, lacking] of missing) for (let i = 0; i < lacking.length; i += FILL_DAYS) chunks.push([cohort, lacking.slice(i, i + FILL_DAYS)]);
  let first = true;
  for (const [cohort, chunk] of chunks) {
    await db.transaction().execute(async (trx) => {
      // extra_float_digits 3: every time goes into the JSON with all its digits, so percentiles here equal Postgres' own.
      await sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true), set_config('extra_float_digits', '3', true)`.execute(trx);
      // Writers whose trigger already forgot days have committed once this returns; later ones wait for us.
      await sql`lock table report_day_cache in share row exclusive mode`.execute(trx);
      if (first) await sql`delete from report_day_cache where fingerprint <> ${fp}`.execute(trx);
      const from = chunk.map((d) => instantOfLocalTime(d, tz).toISOString());
      const to = chunk.map((d) => instantOfLocalTime(dayOf(dayNumber(d) + 1), tz).toISOString());
      await sql`
        insert into report_day_cache (fingerprint, cohort, day, day_from, day_to, data)
        select ${fp}, ${cohort}, d.day, d.f, d.t, (${fillSql(cohort, sqlParts)})
        from unnest(${chunk}::date[], ${from}::timestamptz[], ${to}::timestamptz[]) as d(day, f, t)
        on conflict do nothing
      `.execute(trx);
    });
    first = false;
  }
  for (const [cohort, lacking] of missing) await read([cohort], lacking);
  const empty: Record<Cohort, unknown> = { received: [], answered: EMPTY_ANSWERED, claimed: EMPTY_CLAIMED, resolved: EMPTY_RESOLVED, followed: ZEROS, asked: ZEROS };
  for (const [cohort, lacking] of missing) {
    const have = out[cohort] as Map<string, unknown>;
    for (const d of lacking) if (!have.has(d)) have.set(d, empty[cohort]);
  }
  return out;
}

/**
 * The k-th smallest (0-based) of `a[0..n)`, rearranging `a` so that every
 * value before index k is ≤ it and every value after is ≥ it.
 */
function select(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as the pivot.
    const x = a[left]!;
    const y = a[mid]!;
    const z = a[right]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * Postgres' `percentile_cont(fraction)` of the first `n` values of `a`
 * (reorders them): the value at position fraction × (n − 1), interpolated
 * between its two neighbours as `lo + (hi − lo) × proportion`.
 */
export function percentileCont(a: Float64Array, n: number, fraction: number): number | null {
  if (n === 0) return null;
  const position = fraction * (n - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const lo = select(a, n, first);
  if (second === first) return lo;
  // After selecting `first`, the next value is the smallest of those after it.
  let hi = Infinity;
  for (let i = first + 1; i < n; i++) if (a[i]! < hi) hi = a[i]!;
  return lo + (hi - lo) * (position - first);
}

/** A growable list of numbers for percentiles. */
export class Values {
  a = new Float64Array(64);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  /** Adds every value of `other` (percentiles do not depend on the order of the values). */
  append(other: Values): void {
    if (other.n === 0) return;
    if (this.n + other.n > this.a.length) {
      let size = this.a.length;
      while (size < this.n + other.n) size *= 2;
      const b = new Float64Array(size);
      b.set(this.a.subarray(0, this.n));
      this.a = b;
    }
    this.a.set(other.a.subarray(0, other.n), this.n);
    this.n += other.n;
  }
  percentile(fraction: number): number | null {
    return percentileCont(this.a, this.n, fraction);
  }
}

/**
 * For each period (its local days, in order), the periods it is made of when
 * its days are exactly theirs one after the other (a year by month: the
 * year of its months), else null; and an order in which every period comes
 * after its parts. A period made of others is merged from their figures
 * (counts added, times appended) instead of from every day again.
 */
export function composePeriods(daysOfPeriods: string[][]): { parts: Array<number[] | null>; order: number[] } {
  const byFirst = new Map<string, number[]>();
  daysOfPeriods.forEach((days, i) => {
    if (days.length === 0) return;
    const list = byFirst.get(days[0]!) ?? [];
    list.push(i);
    byFirst.set(days[0]!, list);
  });
  const parts = daysOfPeriods.map((days, i): number[] | null => {
    if (days.length < 2) return null;
    const found: number[] = [];
    let at = 0;
    while (at < days.length) {
      // The longest shorter period that starts here and ends inside this one, on the same days.
      let best: number | undefined;
      for (const j of byFirst.get(days[at]!) ?? []) {
        const d = daysOfPeriods[j]!;
        if (j === i || d.length >= days.length || at + d.length > days.length || d.at(-1) !== days[at + d.length - 1]) continue;
        if (best === undefined || d.length > daysOfPeriods[best]!.length) best = j;
      }
      if (best === undefined) return null;
      found.push(best);
      at += daysOfPeriods[best]!.length;
    }
    return found;
  });
  // Parts are shorter than what they make, so shortest first is an order that works.
  const order = daysOfPeriods.map((_, i) => i).sort((a, b) => daysOfPeriods[a]!.length - daysOfPeriods[b]!.length || a - b);
  return { parts, order };
}
