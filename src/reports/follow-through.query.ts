/**
 * The follow-through figures of any number of periods (issue 18; DESIGN.md,
 * Metrics: resolution time), computed by Postgres like the rest of the
 * report (measured-figures.query.ts). Cohorts:
 *
 * - **resolved cohort**: inquiries whose final answer (`closed_at`) falls in
 *   the period: `resolved`, resolution time (`closed_at − posted_at`) median
 *   and 90th percentile on the wall clock and in business hours
 *   (`resolution_business_minutes`, a trigger like `frt_business_minutes`),
 *   and how many within the resolution target (`SLA_RESOLUTION` on
 *   `SLA_CLOCK`). A reopened inquiry counts when it is closed again, with
 *   the time to that final answer.
 * - **received cohort** (posted in the period, not dismissed, not
 *   low-priority) with a first response: `answeredFinally` (closed now),
 *   `answeredOnlyInterim` (answered, no final answer now), and `reopened`
 *   (reopened at least once) of those that ever had a final answer.
 * - **asked cohort**: inquiries whose citizen was asked whether it was
 *   solved in the period: the answers yes / no / no reply.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { composePeriods, loadDayFigures, RESOLUTION_WALL_SQL, Values, wholeDaysOf, type DayFigures } from './day-cache.query.js';
import { roundMinutes, runReportQuery, type InstantRange } from './measured-figures.query.js';
import type { ReportConfig } from './report-config.js';

/** Follow-through counts and times of one period (rates are computed by the report). */
export interface FollowThroughCounts {
  resolved: number;
  resolvedWithinTarget: number;
  resolutionMedianMinutes: number | null;
  resolutionP90Minutes: number | null;
  resolutionBusinessMedianMinutes: number | null;
  resolutionBusinessP90Minutes: number | null;
  /** Received in the period, first response given, and closed by a final answer now. */
  answeredFinally: number;
  /** Received in the period, answered, and still without a final answer (interim only, or reopened). */
  answeredOnlyInterim: number;
  /** Received in the period that ever had a final answer (closed now, or reopened). */
  everClosed: number;
  /** …of which reopened at least once. */
  reopened: number;
  solvedAsked: number;
  solvedYes: number;
  solvedNo: number;
  solvedNoReply: number;
}

export const emptyFollowThrough = (): FollowThroughCounts => ({
  resolved: 0,
  resolvedWithinTarget: 0,
  resolutionMedianMinutes: null,
  resolutionP90Minutes: null,
  resolutionBusinessMedianMinutes: null,
  resolutionBusinessP90Minutes: null,
  answeredFinally: 0,
  answeredOnlyInterim: 0,
  everClosed: 0,
  reopened: 0,
  solvedAsked: 0,
  solvedYes: 0,
  solvedNo: 0,
  solvedNoReply: 0,
});

export interface FollowThroughOptions {
  /** Periods of whole local days from the report day cache (default true; the benchmark and the tests compare with false). */
  dayCache?: boolean;
}

/**
 * Follow-through figures of each period, in the order given (call
 * `ensureBusinessCalendar` first). Periods of whole local days are merged
 * from the report day cache (the same figures: medians and percentiles as
 * `percentile_cont` computes them); others are computed from the inquiries.
 */
export async function queryFollowThroughFigures(db: Db, config: ReportConfig, periods: InstantRange[], options: FollowThroughOptions = {}): Promise<FollowThroughCounts[]> {
  const out = periods.map(() => emptyFollowThrough());
  if (periods.length === 0) return out;
  const daysOfPeriods = periods.map((p) => wholeDaysOf(p, config.timezone));
  if (options.dayCache !== false && daysOfPeriods.every((d) => d !== null)) {
    const allDays = [...new Set(daysOfPeriods.flatMap((d) => d!))].sort();
    const days = await loadDayFigures(db, config, allDays, ['resolved', 'followed', 'asked']);
    return mergeFollowThroughDays(daysOfPeriods as string[][], days, config);
  }
  const idx = periods.map((_, i) => i);
  const from = periods.map((p) => p.from.toISOString());
  const to = periods.map((p) => p.to.toISOString());
  const p = sql`p as (select * from unnest(${idx}::int[], ${from}::timestamptz[], ${to}::timestamptz[]) as p(idx, f, t))`;
  const target = config.sla.resolutionMinutes;
  const within = config.sla.clock === 'business' ? sql`(i.resolution_business_minutes <= ${target}::float8)` : sql`(${RESOLUTION_WALL_SQL} <= ${target}::float8)`;

  const resolvedQuery = sql<{
    idx: number;
    resolved: number;
    resolvedWithinTarget: number;
    median: number | null;
    p90: number | null;
    businessMedian: number | null;
    businessP90: number | null;
  }>`
    with ${p}
    select p.idx, r.*
    from p
    cross join lateral (
      select count(*) as resolved,
             count(*) filter (where ${within}) as resolved_within_target,
             percentile_cont(0.5) within group (order by ${RESOLUTION_WALL_SQL}) as median,
             percentile_cont(0.9) within group (order by ${RESOLUTION_WALL_SQL}) as p90,
             percentile_cont(0.5) within group (order by i.resolution_business_minutes) as business_median,
             percentile_cont(0.9) within group (order by i.resolution_business_minutes) as business_p90
      from inquiries as i
      where i.closed_at >= p.f and i.closed_at < p.t and i.closed_at is not null and not i.low_priority
    ) as r
  `;
  const receivedQuery = sql<{ idx: number; answeredFinally: number; answeredOnlyInterim: number; everClosed: number; reopened: number }>`
    with ${p}
    select p.idx, r.*
    from p
    cross join lateral (
      select count(*) filter (where i.first_response_at is not null and i.closed_at is not null) as answered_finally,
             count(*) filter (where i.first_response_at is not null and i.closed_at is null) as answered_only_interim,
             count(*) filter (where i.closed_at is not null or i.reopen_count > 0) as ever_closed,
             count(*) filter (where i.reopen_count > 0) as reopened
      from inquiries as i
      where i.posted_at >= p.f and i.posted_at < p.t and not i.low_priority and i.status <> 'dismissed'
    ) as r
  `;
  const askedQuery = sql<{ idx: number; asked: number; yes: number; no: number; noReply: number }>`
    with ${p}
    select p.idx, a.*
    from p
    cross join lateral (
      select count(*) as asked,
             count(*) filter (where i.solved_answer = 'yes') as yes,
             count(*) filter (where i.solved_answer = 'no') as no,
             count(*) filter (where i.solved_answer = 'no_reply') as no_reply
      from inquiries as i
      where i.solved_asked_at >= p.f and i.solved_asked_at < p.t
    ) as a
  `;
  const [resolved, received, asked] = await Promise.all([runReportQuery(db, resolvedQuery), runReportQuery(db, receivedQuery), runReportQuery(db, askedQuery)]);
  for (const r of resolved.rows) {
    const o = out[r.idx]!;
    o.resolved = Number(r.resolved);
    o.resolvedWithinTarget = Number(r.resolvedWithinTarget);
    o.resolutionMedianMinutes = roundMinutes(r.median);
    o.resolutionP90Minutes = roundMinutes(r.p90);
    o.resolutionBusinessMedianMinutes = roundMinutes(r.businessMedian);
    o.resolutionBusinessP90Minutes = roundMinutes(r.businessP90);
  }
  for (const r of received.rows) {
    const o = out[r.idx]!;
    o.answeredFinally = Number(r.answeredFinally);
    o.answeredOnlyInterim = Number(r.answeredOnlyInterim);
    o.everClosed = Number(r.everClosed);
    o.reopened = Number(r.reopened);
  }
  for (const r of asked.rows) {
    const o = out[r.idx]!;
    o.solvedAsked = Number(r.asked);
    o.solvedYes = Number(r.yes);
    o.solvedNo = Number(r.no);
    o.solvedNoReply = Number(r.noReply);
  }
  return out;
}

/** What a period's follow-through figures are made of, kept until the periods made of it are merged. */
interface PeriodFollow {
  counts: FollowThroughCounts;
  wall: Values;
  business: Values;
}

/** The follow-through figures of a period read from its days. */
function followOfDays(periodDays: string[], days: DayFigures, config: ReportConfig): PeriodFollow {
  const o = emptyFollowThrough();
  const target = config.sla.resolutionMinutes;
  const business = config.sla.clock === 'business';
  const wall = new Values();
  const businessTimes = new Values();
  for (const day of periodDays) {
    const r = days.resolved.get(day);
    if (r) {
      for (let j = 0; j < r.w.length; j++) {
        const w = r.w[j]!;
        const b = r.b[j] ?? null;
        wall.push(w);
        if (b !== null) businessTimes.push(b);
        if (business ? b !== null && b <= target : w <= target) o.resolvedWithinTarget += 1;
      }
      o.resolved += r.w.length;
    }
    const f = days.followed.get(day);
    if (f) {
      o.answeredFinally += f[0];
      o.answeredOnlyInterim += f[1];
      o.everClosed += f[2];
      o.reopened += f[3];
    }
    const a = days.asked.get(day);
    if (a) {
      o.solvedAsked += a[0];
      o.solvedYes += a[1];
      o.solvedNo += a[2];
      o.solvedNoReply += a[3];
    }
  }
  return { counts: o, wall, business: businessTimes };
}

const ADDED = ['resolved', 'resolvedWithinTarget', 'answeredFinally', 'answeredOnlyInterim', 'everClosed', 'reopened', 'solvedAsked', 'solvedYes', 'solvedNo', 'solvedNoReply'] as const;

/**
 * The follow-through figures of each period from those of its days (see
 * day-cache.query.ts); a period made of others (a year of its months) from
 * theirs.
 */
function mergeFollowThroughDays(daysOfPeriods: string[][], days: DayFigures, config: ReportConfig): FollowThroughCounts[] {
  const { parts, order } = composePeriods(daysOfPeriods);
  const follows: PeriodFollow[] = [];
  for (const idx of order) {
    const made = parts[idx];
    let pf: PeriodFollow;
    if (made) {
      pf = { counts: emptyFollowThrough(), wall: new Values(), business: new Values() };
      for (const j of made) {
        const part = follows[j]!;
        for (const k of ADDED) pf.counts[k] += part.counts[k];
        pf.wall.append(part.wall);
        pf.business.append(part.business);
      }
    } else pf = followOfDays(daysOfPeriods[idx]!, days, config);
    pf.counts.resolutionMedianMinutes = roundMinutes(pf.wall.percentile(0.5));
    pf.counts.resolutionP90Minutes = roundMinutes(pf.wall.percentile(0.9));
    pf.counts.resolutionBusinessMedianMinutes = roundMinutes(pf.business.percentile(0.5));
    pf.counts.resolutionBusinessP90Minutes = roundMinutes(pf.business.percentile(0.9));
    follows[idx] = pf;
  }
  return follows.map((f) => f.counts);
}
