/**
 * The measured figures of any number of periods, computed by Postgres:
 * filtered counts, `percentile_cont` medians and 90th percentiles, grouping
 * sets for the breakdowns, and a GiST "stabbing" query for the open backlog
 * at a moment. Business-hours times come from `frt_business_minutes`
 * (business-calendar.service.ts). Each query returns one row per period and
 * slice. Periods of whole local days (months, weeks, years, baselines) are
 * merged instead from the figures of their days (day-cache.query.ts: counts
 * added up, medians and percentiles from the days' sorted times, exactly), with
 * the open backlog still counted here. See report.model.ts for the cohorts
 * each figure is counted over.
 *
 * Low-priority items (thanks, emoji, a tag; `inquiries.low_priority`) are not
 * inquiries for any figure: they are counted apart as `reactions`, over the
 * received cohort. Every filter on them is written `not i.low_priority`, the
 * predicate of the partial report indexes (migration 2026_12_03_1040), so the
 * planner can use them.
 */
import { sql, type QueryResult, type RawBuilder } from 'kysely';
import type { Db } from '../db/create-db.js';
import type { Platform } from '../domain/inquiry.js';
import { composePeriods, loadDayFigures, Values, wholeDaysOf, type DayFigures } from './day-cache.query.js';
import type { ReportConfig } from './report-config.js';

/** A period as instants, `[from, to)`. */
export interface InstantRange {
  from: Date;
  to: Date;
}

/** Figures of one slice (a platform, a sector) of a period. */
export interface SliceCounts {
  received: number;
  /** Low-priority items posted in the period, whatever became of them. */
  reactions: number;
  dismissed: number;
  answeredSoFar: number;
  answeredWithinSla: number;
  answered: number;
  answeredNative: number;
  open: number;
  frtMedianMinutes: number | null;
  frtBusinessMedianMinutes: number | null;
}

export interface StaffSlice {
  answered: number;
  answeredWithinSla: number;
  frtMedianMinutes: number | null;
  frtBusinessMedianMinutes: number | null;
  claimed: number;
  claimMedianMinutes: number | null;
}

export interface MeasuredFigures extends SliceCounts {
  /** Backlog moment: min(period end, now). */
  openAt: Date;
  oldestOpenPostedAt: Date | null;
  frtP90Minutes: number | null;
  frtBusinessP90Minutes: number | null;
  claimMedianMinutes: number | null;
  claimP90Minutes: number | null;
  byPlatform: Map<Platform, SliceCounts>;
  /** Key: the source's id, or 0 for inquiries stored before sources were recorded on them. */
  bySource: Map<number, SliceCounts>;
  /** Key: sector code, or '' for none. */
  bySector: Map<string, SliceCounts>;
  byStaff: Map<number, StaffSlice>;
}

export interface MeasureOptions {
  /** The report's "now": the backlog of a period not yet over is counted at this moment. */
  now: Date;
  /** Also compute the platform, source, sector and staff breakdowns (default true). */
  breakdowns?: boolean;
  /** Periods of whole days from the day cache (default true; false: every figure straight from the inquiries). */
  dayCache?: boolean;
}

/**
 * The interval during which an answered inquiry was open. It must stay
 * identical to the expression of the GiST index
 * `inquiries_answered_interval_idx` (migration 2026_12_03_1040), or Postgres
 * will not use the index.
 */
const ANSWERED_INTERVAL_SQL = sql.raw(`tstzrange(i.posted_at, greatest(i.posted_at, i.first_response_at), '[)')`);

/** The sector reports use: the one staff set, else the suggested one (C collation: grouping, not display). */
const SECTOR_SQL = sql.raw('coalesce(i.sector_code, i.suggested_sector_code) collate "C"');
const PLATFORM_SQL = sql.raw('i.platform collate "C"');
const SOURCE_SQL = sql.raw('coalesce(i.source_id, 0)');
const FRT_WALL_SQL = sql.raw(`greatest(date_part('epoch', i.first_response_at) - date_part('epoch', i.posted_at), 0) / 60`);

const emptySlice = (): SliceCounts => ({
  received: 0,
  reactions: 0,
  dismissed: 0,
  answeredSoFar: 0,
  answeredWithinSla: 0,
  answered: 0,
  answeredNative: 0,
  open: 0,
  frtMedianMinutes: null,
  frtBusinessMedianMinutes: null,
});

const emptyStaff = (): StaffSlice => ({
  answered: 0,
  answeredWithinSla: 0,
  frtMedianMinutes: null,
  frtBusinessMedianMinutes: null,
  claimed: 0,
  claimMedianMinutes: null,
});

/** Minutes rounded to one decimal; null stays null. */
export function roundMinutes(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.round(value * 10) / 10;
}

/**
 * Runs one report query with JIT compilation off and room to sort in
 * memory. Report queries take milliseconds to tens of milliseconds; with JIT
 * on, Postgres may spend far longer compiling them. `set local` keeps both
 * settings inside the transaction.
 */
export async function runReportQuery<R>(db: Db, query: RawBuilder<R>): Promise<QueryResult<R>> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`.execute(trx);
    return query.execute(trx);
  });
}

interface ReceivedRow {
  idx: number;
  platform: Platform | null;
  sector: string | null;
  source: number | null;
  g: number;
  received: number;
  reactions: number;
  dismissed: number;
  answeredSoFar: number;
  answeredWithinSla: number;
}

interface AnsweredTotalsRow {
  idx: number;
  answered: number;
  answeredNative: number;
  answeredWithinSla: number;
  frtMedian: number | null;
  frtP90: number | null;
  frtBusinessMedian: number | null;
  frtBusinessP90: number | null;
}

interface ClaimRow {
  idx: number;
  claimedBy: number | null;
  g: number;
  claimed: number;
  claimMedian: number | null;
  claimP90: number | null;
}

interface AnsweredBreakdownRow {
  idx: number;
  platform: Platform | null;
  sector: string | null;
  source: number | null;
  answeredBy: number | null;
  g: number;
  answered: number;
  answeredNative: number;
  answeredWithinSla: number;
  frtMedian: number | null;
  frtBusinessMedian: number | null;
}

function periodsCte(periods: InstantRange[]): RawBuilder<unknown> {
  const idx = periods.map((_, i) => i);
  const from = periods.map((p) => p.from.toISOString());
  const to = periods.map((p) => p.to.toISOString());
  return sql`p as (select * from unnest(${idx}::int[], ${from}::timestamptz[], ${to}::timestamptz[]) as p(idx, f, t))`;
}

/**
 * Measured figures of each period, in the order given. Call
 * `ensureBusinessCalendar` first (computePeriodFigures does). The queries
 * (received cohort, answered totals and breakdowns, claims, backlog) run
 * concurrently.
 */
export async function queryMeasuredFigures(db: Db, config: ReportConfig, periods: InstantRange[], options: MeasureOptions): Promise<MeasuredFigures[]> {
  const breakdowns = options.breakdowns ?? true;
  const out: MeasuredFigures[] = periods.map((p) => ({
    ...emptySlice(),
    openAt: new Date(Math.min(p.to.getTime(), options.now.getTime())),
    oldestOpenPostedAt: null,
    frtP90Minutes: null,
    frtBusinessP90Minutes: null,
    claimMedianMinutes: null,
    claimP90Minutes: null,
    byPlatform: new Map(),
    bySource: new Map(),
    bySector: new Map(),
    byStaff: new Map(),
  }));
  if (periods.length === 0) return out;

  const target = config.sla.firstResponseMinutes;
  const withinSla = config.sla.clock === 'business' ? sql`(i.frt_business_minutes <= ${target}::float8)` : sql`(${FRT_WALL_SQL} <= ${target}::float8)`;

  // Periods of whole local days (months, weeks, years, baselines): from the day cache.
  const daysOfPeriods = periods.map((p) => wholeDaysOf(p, config.timezone));
  const fromDays = options.dayCache !== false && daysOfPeriods.every((d) => d !== null);

  // Totals: one aggregate per period (LATERAL), so nothing is sorted by period first.
  // Breakdowns: grouping sets, only when asked for.
  const receivedTotalsQuery = sql<ReceivedRow>`
    with ${periodsCte(periods)}
    select p.idx, null::text as platform, null::text as sector, null::bigint as source, 7 as g, r.*
    from p
    cross join lateral (
      select count(*) filter (where not i.low_priority and i.status <> 'dismissed') as received,
             count(*) filter (where i.low_priority) as reactions,
             count(*) filter (where not i.low_priority and i.status = 'dismissed') as dismissed,
             count(*) filter (where not i.low_priority and i.status <> 'dismissed' and i.first_response_at is not null) as answered_so_far,
             count(*) filter (where not i.low_priority and i.status <> 'dismissed' and i.first_response_at is not null and ${withinSla}) as answered_within_sla
      from inquiries as i
      where i.posted_at >= p.f and i.posted_at < p.t
    ) as r
  `;
  const receivedBreakdownQuery = sql<ReceivedRow>`
    with ${periodsCte(periods)},
    r as (
      select p.idx, ${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source, i.low_priority as reaction,
             i.status <> 'dismissed' as counted,
             i.first_response_at is not null as answered,
             i.first_response_at is not null and ${withinSla} as within_sla
      from p
      join inquiries as i on i.posted_at >= p.f and i.posted_at < p.t
    )
    select idx, platform, sector, source, grouping(platform, sector, source) as g,
           count(*) filter (where not reaction and counted) as received,
           count(*) filter (where reaction) as reactions,
           count(*) filter (where not reaction and not counted) as dismissed,
           count(*) filter (where not reaction and counted and answered) as answered_so_far,
           count(*) filter (where not reaction and counted and within_sla) as answered_within_sla
    from r
    group by grouping sets ((idx, platform), (idx, sector), (idx, source))
  `;

  const answeredTotalsQuery = sql<AnsweredTotalsRow>`
    with ${periodsCte(periods)}
    select p.idx, a.*
    from p
    cross join lateral (
      select count(*) as answered,
             count(*) filter (where i.answered_via = 'native') as answered_native,
             count(*) filter (where ${withinSla}) as answered_within_sla,
             percentile_cont(0.5) within group (order by ${FRT_WALL_SQL}) as frt_median,
             percentile_cont(0.9) within group (order by ${FRT_WALL_SQL}) as frt_p90,
             percentile_cont(0.5) within group (order by i.frt_business_minutes) as frt_business_median,
             percentile_cont(0.9) within group (order by i.frt_business_minutes) as frt_business_p90
      from inquiries as i
      where i.first_response_at >= p.f and i.first_response_at < p.t and not i.low_priority
    ) as a
  `;
  const answeredBreakdownQuery = sql<AnsweredBreakdownRow>`
    with ${periodsCte(periods)},
    a as (
      select p.idx, ${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source, i.answered_via, i.answered_by,
             ${FRT_WALL_SQL} as frt_wall, i.frt_business_minutes as frt_business, ${withinSla} as within_sla
      from p
      join inquiries as i on i.first_response_at >= p.f and i.first_response_at < p.t and not i.low_priority
    )
    select idx, platform, sector, source, answered_by, grouping(platform, sector, source, answered_by) as g,
           count(*) as answered,
           count(*) filter (where answered_via = 'native') as answered_native,
           count(*) filter (where within_sla) as answered_within_sla,
           percentile_cont(0.5) within group (order by frt_wall) as frt_median,
           percentile_cont(0.5) within group (order by frt_business) as frt_business_median
    from a
    group by grouping sets ((idx, platform), (idx, sector), (idx, source), (idx, answered_by))
  `;

  const claimMinutes = sql`greatest(date_part('epoch', i.claimed_at) - date_part('epoch', i.posted_at), 0) / 60`;
  const claimTotalsQuery = sql<ClaimRow>`
    with ${periodsCte(periods)}
    select p.idx, null::bigint as claimed_by, 1 as g, c.*
    from p
    cross join lateral (
      select count(*) as claimed,
             percentile_cont(0.5) within group (order by ${claimMinutes}) as claim_median,
             percentile_cont(0.9) within group (order by ${claimMinutes}) as claim_p90
      from inquiries as i
      where i.claimed_at >= p.f and i.claimed_at < p.t and not i.low_priority
    ) as c
  `;
  const claimByStaffQuery = sql<ClaimRow>`
    with ${periodsCte(periods)}
    select p.idx, i.claimed_by, 0 as g,
           count(*) as claimed,
           percentile_cont(0.5) within group (order by ${claimMinutes}) as claim_median,
           null::float8 as claim_p90
    from p
    join inquiries as i on i.claimed_at >= p.f and i.claimed_at < p.t and not i.low_priority
    where i.claimed_by is not null
    group by p.idx, i.claimed_by
  `;

  const moments = out.map((o) => o.openAt.toISOString());
  const openSets = breakdowns ? sql`grouping sets ((idx), (idx, platform), (idx, sector), (idx, source))` : sql`grouping sets ((idx))`;
  const dims = breakdowns ? sql`platform, sector, source` : sql`null::text as platform, null::text as sector, null::bigint as source`;
  const openQuery = sql<OpenRow>`
    with m as (select * from unnest(${out.map((_, i) => i)}::int[], ${moments}::timestamptz[]) as m(idx, at)),
    o as (
      -- not answered yet: open at every moment since it was posted
      select m.idx, ${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source, i.posted_at
      from m
      join inquiries as i on i.posted_at < m.at and i.first_response_at is null and i.status <> 'dismissed' and not i.low_priority
      union all
      -- answered, but only after the moment
      select m.idx, ${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source, i.posted_at
      from m
      join inquiries as i on ${ANSWERED_INTERVAL_SQL} @> m.at and i.first_response_at is not null and not i.low_priority and i.status <> 'dismissed'
    )
    select idx, ${dims}, ${breakdowns ? sql`grouping(platform, sector, source)` : sql`7`} as g, count(*) as open, min(posted_at) as oldest
    from o
    group by ${openSets}
  `;

  const none = <R>() => Promise.resolve({ rows: [] as R[] });
  if (fromDays) {
    const allDays = [...new Set(daysOfPeriods.flatMap((d) => d!))].sort();
    const [days, open] = await Promise.all([
      loadDayFigures(db, config, allDays, ['received', 'answered', 'claimed'], { platform: PLATFORM_SQL, sector: SECTOR_SQL, source: SOURCE_SQL, frtWall: FRT_WALL_SQL, withinSla }),
      queryOpenAtMoments(db, out.map((o) => o.openAt), breakdowns),
    ]);
    mergeDays(out, daysOfPeriods as string[][], days, config, breakdowns);
    applyOpen(out, open);
    return out;
  }
  const [receivedTotals, receivedBreakdown, answeredTotals, answeredBreakdown, claimTotals, claimByStaff, open] = await Promise.all([
    runReportQuery(db, receivedTotalsQuery),
    breakdowns ? runReportQuery(db, receivedBreakdownQuery) : none<ReceivedRow>(),
    runReportQuery(db, answeredTotalsQuery),
    breakdowns ? runReportQuery(db, answeredBreakdownQuery) : none<AnsweredBreakdownRow>(),
    runReportQuery(db, claimTotalsQuery),
    breakdowns ? runReportQuery(db, claimByStaffQuery) : none<ClaimRow>(),
    runReportQuery(db, openQuery),
  ]);
  const received = { rows: [...receivedTotals.rows, ...receivedBreakdown.rows] };
  const claims = { rows: [...claimTotals.rows, ...claimByStaff.rows] };

  for (const row of received.rows) {
    const o = out[row.idx]!;
    // grouping(platform, sector, source): 7 the totals, 3 by platform, 5 by sector, 6 by source.
    const target = row.g === 7 ? o : row.g === 3 ? slice(o.byPlatform, row.platform!) : row.g === 6 ? slice(o.bySource, Number(row.source)) : slice(o.bySector, row.sector ?? '');
    target.received = row.received;
    target.reactions = row.reactions;
    target.dismissed = row.dismissed;
    target.answeredSoFar = row.answeredSoFar;
    target.answeredWithinSla = row.answeredWithinSla;
  }
  for (const row of answeredTotals.rows) {
    const o = out[row.idx]!;
    o.answered = row.answered;
    o.answeredNative = row.answeredNative;
    o.frtMedianMinutes = roundMinutes(row.frtMedian);
    o.frtP90Minutes = roundMinutes(row.frtP90);
    o.frtBusinessMedianMinutes = roundMinutes(row.frtBusinessMedian);
    o.frtBusinessP90Minutes = roundMinutes(row.frtBusinessP90);
  }
  for (const row of answeredBreakdown.rows) {
    const o = out[row.idx]!;
    // grouping(platform, sector, source, answered_by): 14 by staff, 7 by platform, 11 by sector, 13 by source.
    if (row.g === 14) {
      if (row.answeredBy === null) continue; // native answers have no staff member
      const s = staff(o.byStaff, row.answeredBy);
      s.answered = row.answered;
      s.answeredWithinSla = row.answeredWithinSla;
      s.frtMedianMinutes = roundMinutes(row.frtMedian);
      s.frtBusinessMedianMinutes = roundMinutes(row.frtBusinessMedian);
      continue;
    }
    const target = row.g === 7 ? slice(o.byPlatform, row.platform!) : row.g === 13 ? slice(o.bySource, Number(row.source)) : slice(o.bySector, row.sector ?? '');
    target.answered = row.answered;
    target.answeredNative = row.answeredNative;
    target.frtMedianMinutes = roundMinutes(row.frtMedian);
    target.frtBusinessMedianMinutes = roundMinutes(row.frtBusinessMedian);
  }
  for (const row of claims.rows) {
    const o = out[row.idx]!;
    if (row.g === 1) {
      o.claimMedianMinutes = roundMinutes(row.claimMedian);
      o.claimP90Minutes = roundMinutes(row.claimP90);
    } else if (row.claimedBy !== null) {
      const s = staff(o.byStaff, row.claimedBy);
      s.claimed = row.claimed;
      s.claimMedianMinutes = roundMinutes(row.claimMedian);
    }
  }
  applyOpen(out, open.rows);
  return out;
}

const slice = <K>(map: Map<K, SliceCounts>, key: K): SliceCounts => {
  let s = map.get(key);
  if (!s) map.set(key, (s = emptySlice()));
  return s;
};
const staff = (map: Map<number, StaffSlice>, key: number): StaffSlice => {
  let s = map.get(key);
  if (!s) map.set(key, (s = emptyStaff()));
  return s;
};

/** grouping(platform, sector, source): 7 the totals, 3 by platform, 5 by sector, 6 by source. */
type OpenRow = { idx: number; platform: Platform | null; sector: string | null; source: number | null; g: number; open: number; oldest: Date | null };

function applyOpen(out: MeasuredFigures[], rows: OpenRow[]): void {
  for (const row of rows) {
    const o = out[row.idx]!;
    if (row.g === 7) {
      o.open = row.open;
      o.oldestOpenPostedAt = row.oldest;
    } else if (row.g === 3) slice(o.byPlatform, row.platform!).open = row.open;
    else if (row.g === 6) slice(o.bySource, Number(row.source)).open = row.open;
    else slice(o.bySector, row.sector ?? '').open = row.open;
  }
}

/**
 * The open backlog at each moment, as the open query computes it, in two
 * cheaper parts: the inquiries never answered are read once (not once per
 * moment), counted by how many of the moments they were posted before
 * (`width_bucket` over the sorted moments) and summed up to each moment; the
 * ones answered after a moment come from the GiST "stabbing" index as before.
 */
async function queryOpenAtMoments(db: Db, moments: Date[], breakdowns: boolean): Promise<OpenRow[]> {
  const sorted = [...new Set(moments.map((m) => m.getTime()))].sort((a, b) => a - b);
  const thresholds = sorted.map((t) => new Date(t).toISOString());
  // grouping(platform, sector, source): 7 the totals, 3 by platform, 5 by sector, 6 by source (as OpenRow).
  const sets = breakdowns ? sql`grouping sets ((b), (b, platform), (b, sector), (b, source))` : sql`grouping sets ((b))`;
  const dims = breakdowns
    ? sql`${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source`
    : sql`null::text as platform, null::text as sector, null::bigint as source`;
  const unansweredQuery = sql<{ b: number; platform: Platform | null; sector: string | null; source: number | null; g: number; open: number; oldest: Date | null }>`
    select b, ${breakdowns ? sql`platform, sector, source, grouping(platform, sector, source)` : sql`null::text as platform, null::text as sector, null::bigint as source, 7`} as g,
           count(*) as open, min(posted_at) as oldest
    from (
      select width_bucket(i.posted_at, ${thresholds}::timestamptz[]) as b, ${dims}, i.posted_at
      from inquiries as i
      where i.posted_at < ${thresholds.at(-1)!}::timestamptz and i.first_response_at is null and i.status <> 'dismissed' and not i.low_priority
    ) as u
    group by ${sets}
  `;
  const groupSets = breakdowns ? sql`grouping sets ((idx), (idx, platform), (idx, sector), (idx, source))` : sql`grouping sets ((idx))`;
  const answeredLaterQuery = sql<OpenRow>`
    with m as (select * from unnest(${moments.map((_, i) => i)}::int[], ${moments.map((m) => m.toISOString())}::timestamptz[]) as m(idx, at)),
    o as (
      select m.idx, ${PLATFORM_SQL} as platform, ${SECTOR_SQL} as sector, ${SOURCE_SQL} as source, i.posted_at
      from m
      join inquiries as i on ${ANSWERED_INTERVAL_SQL} @> m.at and i.first_response_at is not null and not i.low_priority and i.status <> 'dismissed'
    )
    select idx, ${breakdowns ? sql`platform, sector, source` : sql`null::text as platform, null::text as sector, null::bigint as source`},
           ${breakdowns ? sql`grouping(platform, sector, source)` : sql`7`} as g, count(*) as open, min(posted_at) as oldest
    from o
    group by ${groupSets}
  `;
  // One statement (one round trip): `idx` is the bucket for the never-answered part, the moment for the other.
  const both = await runReportQuery(
    db,
    sql<OpenRow & { part: 'u' | 'a' }>`select 'u' as part, u.b as idx, u.platform, u.sector, u.source, u.g, u.open, u.oldest from (${unansweredQuery}) as u
      union all
      select 'a' as part, a.idx, a.platform, a.sector, a.source, a.g, a.open, a.oldest from (${answeredLaterQuery}) as a`,
  );
  const unanswered = { rows: both.rows.filter((r) => r.part === 'u').map((r) => ({ ...r, b: r.idx })) };
  const answeredLater = { rows: both.rows.filter((r) => r.part === 'a') };
  const key = (g: number, platform: string | null, sector: string | null, source: number | null) =>
    `${g}|${g === 3 ? platform : g === 5 ? (sector ?? '') : g === 6 ? String(source) : ''}`;
  const rows = new Map<string, OpenRow>();
  const add = (idx: number, g: number, platform: Platform | null, sector: string | null, source: number | null, open: number, oldest: Date | null) => {
    const k = `${idx}|${key(g, platform, sector, source)}`;
    const row = rows.get(k);
    if (!row) rows.set(k, { idx, g, platform, sector, source, open, oldest });
    else {
      row.open += open;
      if (oldest && (!row.oldest || oldest < row.oldest)) row.oldest = oldest;
    }
  };
  moments.forEach((moment, idx) => {
    // Posted before the moment: before as many thresholds as the moment's place among them.
    const place = sorted.indexOf(moment.getTime()) + 1;
    for (const u of unanswered.rows) if (u.b < place) add(idx, u.g, u.platform, u.sector, u.source, Number(u.open), u.oldest);
  });
  for (const a of answeredLater.rows) add(a.idx, a.g, a.platform, a.sector, a.source, Number(a.open), a.oldest);
  return [...rows.values()];
}

/** Times of one slice of a period, for its percentiles. */
class Times {
  wall = new Values();
  business = new Values();
  answered = 0;
  native = 0;
  within = 0;
}

function timesOf<K>(map: Map<K, Times>, key: K): Times {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Times()));
  return t;
}

/** The times of one period, kept until the periods made of it are merged. */
interface PeriodTimes {
  total: Times;
  byPlatform: Map<Platform, Times>;
  bySector: Map<string, Times>;
  bySource: Map<number, Times>;
  byStaff: Map<number, Times>;
  claims: Values;
  claimsByStaff: Map<number, Values>;
}

const newPeriodTimes = (): PeriodTimes => ({
  total: new Times(),
  byPlatform: new Map(),
  bySector: new Map(),
  bySource: new Map(),
  byStaff: new Map(),
  claims: new Values(),
  claimsByStaff: new Map(),
});

function appendTimes(into: Times, from: Times): void {
  into.answered += from.answered;
  into.native += from.native;
  into.within += from.within;
  into.wall.append(from.wall);
  into.business.append(from.business);
}

/** Adds a part's times to a period made of parts. */
function appendPeriodTimes(into: PeriodTimes, from: PeriodTimes): void {
  appendTimes(into.total, from.total);
  for (const [a, b] of [
    [into.byPlatform, from.byPlatform],
    [into.bySector, from.bySector],
    [into.bySource, from.bySource],
    [into.byStaff, from.byStaff],
  ] as Array<[Map<unknown, Times>, Map<unknown, Times>]>) {
    for (const [key, t] of b) appendTimes(timesOf(a, key), t);
  }
  into.claims.append(from.claims);
  for (const [id, v] of from.claimsByStaff) {
    let w = into.claimsByStaff.get(id);
    if (!w) into.claimsByStaff.set(id, (w = new Values()));
    w.append(v);
  }
}

/** The times of a period read from its days. */
function periodTimesOfDays(periodDays: string[], days: DayFigures, config: ReportConfig, breakdowns: boolean): PeriodTimes {
  const target = config.sla.firstResponseMinutes;
  const business = config.sla.clock === 'business';
  const pt = newPeriodTimes();
  const { total, byPlatform, bySector, bySource, byStaff } = pt;
  for (const day of periodDays) {
    const a = days.answered.get(day);
    if (!a) continue;
    // The slices each combination of platform, sector, staff member and channel counts in (the period's total first).
    const keyTimes = a.keys.map(([platform, sector, answeredBy, , source]) => {
      if (!breakdowns) return [total];
      const list = [total, timesOf(byPlatform, platform), timesOf(bySector, sector ?? ''), timesOf(bySource, Number(source))];
      if (answeredBy !== null) list.push(timesOf(byStaff, answeredBy));
      return list;
    });
    const native = a.keys.map(([, , , via]) => via === 'native');
    const { w: walls, b: businesses, k: keys } = a;
    for (let j = 0; j < walls.length; j++) {
      const w = walls[j]!;
      const b = businesses[j] ?? null;
      const k = keys[j]!;
      const isNative = native[k]!;
      const within = business ? b !== null && b <= target : w <= target;
      const list = keyTimes[k]!;
      for (let x = 0; x < list.length; x++) {
        const t = list[x]!;
        t.answered += 1;
        if (isNative) t.native += 1;
        if (within) t.within += 1;
        t.wall.push(w);
        if (b !== null) t.business.push(b);
      }
    }
  }
  // Claims.
  for (const day of periodDays) {
    const c = days.claimed.get(day);
    if (!c) continue;
    for (let j = 0; j < c.m.length; j++) {
      const m = c.m[j]!;
      pt.claims.push(m);
      const who = c.s[j] ?? null;
      if (breakdowns && who !== null) {
        let v = pt.claimsByStaff.get(who);
        if (!v) pt.claimsByStaff.set(who, (v = new Values()));
        v.push(m);
      }
    }
  }
  return pt;
}

/**
 * The figures of each period from the figures of its days: counts add up;
 * medians and percentiles come from every time of the period's days
 * (`percentile_cont` exactly, see day-cache.query.ts). A period made of
 * others (a year of its months) takes their times instead of reading every
 * day again.
 */
function mergeDays(out: MeasuredFigures[], daysOfPeriods: string[][], days: DayFigures, config: ReportConfig, breakdowns: boolean): void {
  const { parts, order } = composePeriods(daysOfPeriods);
  const timesOfPeriods: PeriodTimes[] = [];
  for (const idx of order) {
    const periodDays = daysOfPeriods[idx]!;
    const o = out[idx]!;
    // Received cohort.
    for (const day of periodDays) {
      for (const [platform, sector, received, reactions, dismissed, answeredSoFar, within, source] of days.received.get(day) ?? []) {
        o.received += received;
        o.reactions += reactions;
        o.dismissed += dismissed;
        o.answeredSoFar += answeredSoFar;
        o.answeredWithinSla += within;
        if (!breakdowns) continue;
        for (const s of [slice(o.byPlatform, platform), slice(o.bySector, sector ?? ''), slice(o.bySource, Number(source))]) {
          s.received += received;
          s.reactions += reactions;
          s.dismissed += dismissed;
          s.answeredSoFar += answeredSoFar;
          s.answeredWithinSla += within;
        }
      }
    }
    // Answered cohort and claims: from the parts, or from the days.
    const made = parts[idx];
    let pt: PeriodTimes;
    if (made) {
      pt = newPeriodTimes();
      for (const j of made) appendPeriodTimes(pt, timesOfPeriods[j]!);
    } else pt = periodTimesOfDays(periodDays, days, config, breakdowns);
    timesOfPeriods[idx] = pt;
    const { total, byPlatform, bySector, bySource, byStaff, claims, claimsByStaff } = pt;
    o.answered = total.answered;
    o.answeredNative = total.native;
    o.frtMedianMinutes = roundMinutes(total.wall.percentile(0.5));
    o.frtP90Minutes = roundMinutes(total.wall.percentile(0.9));
    o.frtBusinessMedianMinutes = roundMinutes(total.business.percentile(0.5));
    o.frtBusinessP90Minutes = roundMinutes(total.business.percentile(0.9));
    if (breakdowns) {
      for (const [map, target] of [
        [byPlatform, o.byPlatform],
        [bySector, o.bySector],
        [bySource, o.bySource],
      ] as const) {
        for (const [key, t] of map as Map<Platform | string | number, Times>) {
          const s = slice(target as Map<Platform | string | number, SliceCounts>, key);
          s.answered = t.answered;
          s.answeredNative = t.native;
          s.frtMedianMinutes = roundMinutes(t.wall.percentile(0.5));
          s.frtBusinessMedianMinutes = roundMinutes(t.business.percentile(0.5));
        }
      }
      for (const [id, t] of byStaff) {
        const s = staff(o.byStaff, id);
        s.answered = t.answered;
        s.answeredWithinSla = t.within;
        s.frtMedianMinutes = roundMinutes(t.wall.percentile(0.5));
        s.frtBusinessMedianMinutes = roundMinutes(t.business.percentile(0.5));
      }
    }
    o.claimMedianMinutes = roundMinutes(claims.percentile(0.5));
    o.claimP90Minutes = roundMinutes(claims.percentile(0.9));
    for (const [id, v] of claimsByStaff) {
      const s = staff(o.byStaff, id);
      s.claimed = v.n;
      s.claimMedianMinutes = roundMinutes(v.percentile(0.5));
    }
  }
}
