/**
 * Reports over periods: measured figures (measured-figures.query.ts) merged
 * with the counts entered by hand for periods before the system existed
 * (`baselines`), with names of staff and sectors, and comparisons.
 *
 * Baselines. A baseline is a count (received, answered, answered_native,
 * dismissed) for a range of local days. For a period P, the baselines lying
 * inside P are used:
 * - a count with baselines for it is the entered values plus what was
 *   measured on the days of P they do not cover;
 * - when baselines (of any figure) cover every day of P, P is "before the
 *   system": figures nobody entered and nothing measured are null, not 0;
 * - rates and times always come from measured inquiries only.
 * Such a period is marked `baseline: true` and lists what was entered. In a
 * report by month or week, a baseline spanning several months or weeks (the
 * department's "January–April: 12") is shown as a period of its own, in
 * place of the empty months it covers.
 */
import type { Db } from '../db/create-db.js';
import { listSourceNames } from '../db/repositories/source.repository.js';
import type { BaselineRow, Platform } from '../db/schema.js';
import { instantOfLocalTime, localDateOf, splitPeriods, type Period } from '../domain/periods.js';
import { ensureBusinessCalendar } from './business-calendar.service.js';
import { emptyFollowThrough, queryFollowThroughFigures, type FollowThroughCounts } from './follow-through.query.js';
import { queryMeasuredFigures, type InstantRange, type MeasuredFigures, type SliceCounts } from './measured-figures.query.js';
import type { ReportConfig } from './report-config.js';
import {
  COMPARED_FIGURES,
  type BaselineMetric,
  type BreakdownFigures,
  type Change,
  type Comparison,
  type EnteredPart,
  type FollowThroughFigures,
  type PeriodFigures,
  type RangeReport,
  type SectorFigures,
  type SourceFigures,
} from './report.model.js';

const MS_PER_DAY = 86_400_000;

export interface ComputeOptions {
  /** The report's "now" (inject a frozen clock in tests). */
  now: Date;
  /** Platform, sector and staff breakdowns (default true). */
  breakdowns?: boolean;
  /** Periods of whole days from the report day cache (default true; the benchmark compares with false). */
  dayCache?: boolean;
}

export interface RangeReportRequest extends ComputeOptions {
  /** The whole range, e.g. `parsePeriodSpec('2018-05..2018-12', tz)`. */
  range: Period;
  by: 'month' | 'week';
  /** Compare the whole range with this period. */
  compare?: Period;
}

/** First local day of a period, `YYYY-MM-DD`. */
export function firstDayOf(period: InstantRange, timezone: string): string {
  return localDateOf(period.from, timezone);
}

/** Last local day of a period (inclusive), `YYYY-MM-DD`. */
export function lastDayOf(period: InstantRange, timezone: string): string {
  return localDateOf(new Date(period.to.getTime() - 1), timezone);
}

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;

/** A label for a range of local days: `2018-05`, `2018-01..2018-04`, or days. */
export function labelForDays(from: string, to: string): string {
  const startsMonth = from.endsWith('-01');
  const next = new Date((dayNumber(to) + 1) * MS_PER_DAY).toISOString().slice(0, 10);
  const endsMonth = next.endsWith('-01');
  if (startsMonth && endsMonth) {
    const a = from.slice(0, 7);
    const b = to.slice(0, 7);
    return a === b ? a : `${a}..${b}`;
  }
  return from === to ? from : `${from}..${to}`;
}

async function loadBaselines(db: Db, firstDay: string, lastDay: string): Promise<BaselineRow[]> {
  return db
    .selectFrom('baselines')
    .selectAll()
    .where('periodFrom', '>=', firstDay)
    .where('periodTo', '<=', lastDay)
    .orderBy('periodFrom')
    .orderBy('metric')
    .execute();
}

const METRIC_FIELD: Record<BaselineMetric, 'received' | 'answered' | 'answeredNative' | 'dismissed'> = {
  received: 'received',
  answered: 'answered',
  answered_native: 'answeredNative',
  dismissed: 'dismissed',
};

/** Whether the union of day ranges covers every day from `first` to `last`. */
function covers(ranges: Array<{ from: string; to: string }>, first: string, last: string): boolean {
  const sorted = [...ranges].sort((a, b) => a.from.localeCompare(b.from));
  let next = dayNumber(first);
  for (const r of sorted) {
    if (dayNumber(r.from) > next) return false;
    next = Math.max(next, dayNumber(r.to) + 1);
  }
  return next > dayNumber(last);
}

interface Names {
  staff: Map<number, string>;
  sectors: Map<string, { hy: string; en: string; ru: string }>;
  sources: Map<number, { platform: Platform; name: string }>;
}

async function loadNames(db: Db, staffIds: number[]): Promise<Names> {
  const [staffRows, sectorRows, sources] = await Promise.all([
    staffIds.length === 0 ? Promise.resolve([]) : db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staffIds).execute(),
    db.selectFrom('sectors').select(['code', 'nameHy', 'nameEn', 'nameRu']).execute(),
    listSourceNames(db),
  ]);
  return {
    staff: new Map(staffRows.map((s) => [s.id, s.name])),
    sectors: new Map(sectorRows.map((s) => [s.code, { hy: s.nameHy, en: s.nameEn, ru: s.nameRu }])),
    sources,
  };
}

const rate = (part: number | null, whole: number | null): number | null =>
  part === null || whole === null || whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

function breakdown(s: SliceCounts): BreakdownFigures {
  return {
    received: s.received,
    reactions: s.reactions,
    answered: s.answered,
    answeredNative: s.answeredNative,
    dismissed: s.dismissed,
    open: s.open,
    responseRate: rate(s.answeredSoFar, s.received),
    withinSlaRate: rate(s.answeredWithinSla, s.received),
    frtMedianMinutes: s.frtMedianMinutes,
    frtBusinessMedianMinutes: s.frtBusinessMedianMinutes,
  };
}

/** The follow-through figures of a period (null when nothing of it was measured). */
export function followThroughFigures(f: FollowThroughCounts, measured: boolean): FollowThroughFigures {
  const n = (v: number | null): number | null => (measured ? v : null);
  const answered = f.answeredFinally + f.answeredOnlyInterim;
  return {
    resolved: n(f.resolved),
    resolvedWithinTarget: n(f.resolvedWithinTarget),
    resolutionWithinTargetRate: n(rate(f.resolvedWithinTarget, f.resolved)),
    resolutionMedianMinutes: n(f.resolutionMedianMinutes),
    resolutionP90Minutes: n(f.resolutionP90Minutes),
    resolutionBusinessMedianMinutes: n(f.resolutionBusinessMedianMinutes),
    resolutionBusinessP90Minutes: n(f.resolutionBusinessP90Minutes),
    answeredFinally: n(f.answeredFinally),
    answeredOnlyInterim: n(f.answeredOnlyInterim),
    finalShare: n(rate(f.answeredFinally, answered)),
    interimOnlyShare: n(rate(f.answeredOnlyInterim, answered)),
    reopened: n(f.reopened),
    reopenRate: n(rate(f.reopened, f.everClosed)),
    solvedAsked: n(f.solvedAsked),
    solvedYes: n(f.solvedYes),
    solvedNo: n(f.solvedNo),
    solvedNoReply: n(f.solvedNoReply),
    solvedRate: n(rate(f.solvedYes, f.solvedYes + f.solvedNo)),
  };
}

function measuredActivity(m: MeasuredFigures): boolean {
  return m.received + m.dismissed + m.answered + m.open > 0;
}

/** Builds the figures of one period from its measured figures and the baselines inside it. */
function assemble(
  label: string,
  period: InstantRange,
  measured: MeasuredFigures,
  follow: FollowThroughCounts,
  baselines: BaselineRow[],
  measuredOfRange: (from: string, to: string) => MeasuredFigures,
  names: Names,
  timezone: string,
): PeriodFigures {
  const from = firstDayOf(period, timezone);
  const to = lastDayOf(period, timezone);
  const inside = baselines.filter((b) => b.periodFrom >= from && b.periodTo <= to);
  const fully = inside.length > 0 && covers(inside.map((b) => ({ from: b.periodFrom, to: b.periodTo })), from, to);
  const active = measuredActivity(measured);
  const keepMeasured = !fully || active;

  const count = (metric: BaselineMetric): number | null => {
    const field = METRIC_FIELD[metric];
    const entries = inside.filter((b) => b.metric === metric);
    if (entries.length > 0) {
      let value = measured[field];
      for (const b of entries) value += b.value - measuredOfRange(b.periodFrom, b.periodTo)[field];
      return Math.max(value, 0);
    }
    if (fully) return measured[field] > 0 ? measured[field] : null;
    return measured[field];
  };
  const m = <T>(value: T): T | null => (keepMeasured ? value : null);

  const received = count('received');
  const answered = count('answered');
  const answeredNative = count('answered_native');
  const answeredSoFar = m(measured.answeredSoFar);
  const answeredWithinSla = m(measured.answeredWithinSla);
  const openAt = measured.openAt;

  const bySector: SectorFigures[] = [...measured.bySector.entries()]
    .map(([code, s]) => ({ sector: code === '' ? null : code, names: code === '' ? null : (names.sectors.get(code) ?? null), ...breakdown(s) }))
    .sort((a, b) => b.received - a.received || b.answered - a.answered || String(a.sector).localeCompare(String(b.sector)));

  return {
    label,
    from,
    to,
    received,
    // Measured only (nobody enters reactions by hand); unknown before the system, unless some were measured.
    reactions: keepMeasured || measured.reactions > 0 ? measured.reactions : null,
    answered,
    answeredNative,
    answeredTelegram: answered === null || answeredNative === null ? null : Math.max(answered - answeredNative, 0),
    dismissed: count('dismissed'),
    open: m(measured.open),
    openAt: openAt.toISOString(),
    oldestOpenAgeMinutes: measured.oldestOpenPostedAt ? Math.round((openAt.getTime() - measured.oldestOpenPostedAt.getTime()) / 60_000) : null,
    answeredSoFar,
    answeredWithinSla,
    // Rates are measured: entered counts say nothing about which inquiry got which answer.
    responseRate: keepMeasured ? rate(measured.answeredSoFar, measured.received) : null,
    withinSlaRate: keepMeasured ? rate(measured.answeredWithinSla, measured.received) : null,
    frtMedianMinutes: m(measured.frtMedianMinutes),
    frtP90Minutes: m(measured.frtP90Minutes),
    frtBusinessMedianMinutes: m(measured.frtBusinessMedianMinutes),
    frtBusinessP90Minutes: m(measured.frtBusinessP90Minutes),
    claimMedianMinutes: m(measured.claimMedianMinutes),
    claimP90Minutes: m(measured.claimP90Minutes),
    byPlatform: [...measured.byPlatform.entries()].map(([platform, s]) => ({ platform, ...breakdown(s) })).sort((a, b) => a.platform.localeCompare(b.platform)),
    bySource: [...measured.bySource.entries()]
      .map(([id, s]): SourceFigures => {
        const known = id === 0 ? undefined : names.sources.get(id);
        return { sourceId: id === 0 ? null : id, platform: known?.platform ?? null, name: known?.name ?? null, ...breakdown(s) };
      })
      .sort((a, b) => (a.sourceId ?? 0) - (b.sourceId ?? 0)),
    bySector,
    byStaff: [...measured.byStaff.entries()]
      .map(([staffId, s]) => ({ staffId, name: names.staff.get(staffId) ?? `#${staffId}`, ...s }))
      .sort((a, b) => b.answered - a.answered || b.claimed - a.claimed || a.name.localeCompare(b.name)),
    ...followThroughFigures(follow, keepMeasured),
    baseline: inside.length > 0,
    entered: inside.map(
      (b): EnteredPart => ({ from: b.periodFrom, to: b.periodTo, metric: b.metric as BaselineMetric, value: b.value, note: b.note }),
    ),
  };
}

/** A period to compute, with the label it is shown under. */
interface Wanted {
  label: string;
  range: InstantRange;
}

/**
 * Computes the figures of several periods at once: one round of queries for
 * all of them (and for the ranges of the baselines inside them).
 */
async function computeMany(db: Db, config: ReportConfig, wanted: Wanted[], options: ComputeOptions): Promise<PeriodFigures[]> {
  const tz = config.timezone;
  if (wanted.length === 0) return [];
  const firstDay = wanted.map((w) => firstDayOf(w.range, tz)).sort()[0]!;
  const lastDay = wanted.map((w) => lastDayOf(w.range, tz)).sort().at(-1)!;
  await ensureBusinessCalendar(db, config, options.now);
  const baselines = await loadBaselines(db, firstDay, lastDay);

  // Measured figures of the baselines' own ranges, to replace them by the entered counts.
  const baselineRanges = new Map<string, InstantRange>();
  for (const b of baselines) {
    const key = `${b.periodFrom}..${b.periodTo}`;
    if (!baselineRanges.has(key)) baselineRanges.set(key, dayRange(b.periodFrom, b.periodTo, tz));
  }
  const auxKeys = [...baselineRanges.keys()];
  const ranges = [...wanted.map((w) => w.range), ...auxKeys.map((k) => baselineRanges.get(k)!)];
  // Counts of baseline ranges need no breakdowns; one call keeps it to one round of queries.
  const [measured, follow] = await Promise.all([
    queryMeasuredFigures(db, config, ranges, { now: options.now, breakdowns: options.breakdowns ?? true, dayCache: options.dayCache ?? true }),
    queryFollowThroughFigures(db, config, wanted.map((w) => w.range), { dayCache: options.dayCache ?? true }),
  ]);
  const auxByKey = new Map(auxKeys.map((k, i) => [k, measured[wanted.length + i]!]));
  const staffIds = new Set<number>();
  for (const m of measured.slice(0, wanted.length)) for (const id of m.byStaff.keys()) staffIds.add(id);
  const names = await loadNames(db, [...staffIds]);
  return wanted.map((w, i) =>
    assemble(w.label, w.range, measured[i]!, follow[i] ?? emptyFollowThrough(), baselines, (f, t) => auxByKey.get(`${f}..${t}`)!, names, tz),
  );
}

/** The instants of local days `from`..`to` (inclusive). */
export function dayRange(from: string, to: string, timezone: string): InstantRange {
  const next = new Date((dayNumber(to) + 1) * MS_PER_DAY).toISOString().slice(0, 10);
  return { from: instantOfLocalTime(from, timezone), to: instantOfLocalTime(next, timezone) };
}

/** Figures of each period, in order; baselines inside a period are merged in (see the file comment). */
export async function computePeriodFigures(db: Db, config: ReportConfig, periods: Period[], options: ComputeOptions): Promise<PeriodFigures[]> {
  return computeMany(
    db,
    config,
    periods.map((p) => ({ label: p.label, range: p })),
    options,
  );
}

/** The change from `previous` to `current` of one figure. */
export function changeOf(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { difference: null, percent: null };
  const difference = Math.round((current - previous) * 10_000) / 10_000;
  const percent = previous === 0 ? null : Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
  return { difference, percent };
}

/** Compares two computed periods figure by figure. */
export function compareFigures(current: PeriodFigures, previous: PeriodFigures): Comparison {
  const changes = Object.fromEntries(COMPARED_FIGURES.map((f) => [f, changeOf(current[f], previous[f])])) as Comparison['changes'];
  return { current, previous, changes };
}

/**
 * Compares two periods: counts, rates, first-response times and the change
 * in percent. `current` is the period asked about (May–December), `previous`
 * the one it is measured against (January–April, perhaps entered by hand).
 */
export async function comparePeriods(db: Db, config: ReportConfig, current: Period, previous: Period, options: ComputeOptions): Promise<Comparison> {
  // Breakdowns are per period, not compared; leaving them out keeps a comparison of long periods fast.
  const [a, b] = await computePeriodFigures(db, config, [current, previous], { breakdowns: false, ...options });
  return compareFigures(a!, b!);
}

/**
 * The report of `ardzagank report`: the range cut into months or weeks, the
 * whole range when it has several, and optionally a comparison of the whole
 * range with another period.
 */
export async function buildRangeReport(db: Db, config: ReportConfig, request: RangeReportRequest): Promise<RangeReport> {
  const tz = config.timezone;
  const split = splitPeriods(request.range.from, request.range.to, request.by, tz);
  const rangeFirst = firstDayOf(request.range, tz);
  const rangeLast = lastDayOf(request.range, tz);
  const baselines = await loadBaselines(db, rangeFirst, rangeLast);

  // Baselines spanning more than one split period are shown as periods of their own.
  const groups = new Map<string, { from: string; to: string }>();
  for (const b of baselines) {
    const insideOne = split.some((p) => b.periodFrom >= firstDayOf(p, tz) && b.periodTo <= lastDayOf(p, tz));
    if (!insideOne) groups.set(`${b.periodFrom}..${b.periodTo}`, { from: b.periodFrom, to: b.periodTo });
  }
  const groupList = [...groups.values()];

  const wanted: Wanted[] = [
    ...split.map((p) => ({ label: p.label, range: p as InstantRange })),
    ...groupList.map((g) => ({ label: labelForDays(g.from, g.to), range: dayRange(g.from, g.to, tz) })),
  ];
  const withTotal = split.length > 1 || groupList.length > 0;
  if (withTotal) wanted.push({ label: request.range.label, range: request.range });
  if (request.compare) wanted.push({ label: request.compare.label, range: request.compare });
  const figures = await computeMany(db, config, wanted, request);

  const splitFigures = figures.slice(0, split.length);
  const groupFigures = figures.slice(split.length, split.length + groupList.length);
  let next = split.length + groupList.length;
  const total = withTotal ? figures[next++]! : null;
  const compareFiguresOf = request.compare ? figures[next++]! : null;

  // A month or week inside a baseline group with nothing measured is replaced by the group.
  const periods = [
    ...splitFigures.filter(
      (f) =>
        !groupList.some((g) => f.from >= g.from && f.to <= g.to) ||
        (f.received ?? 0) + (f.reactions ?? 0) + (f.answered ?? 0) + (f.dismissed ?? 0) + (f.open ?? 0) > 0,
    ),
    ...groupFigures,
  ].sort((a, b) => a.from.localeCompare(b.from) || b.to.localeCompare(a.to));

  const current = total ?? splitFigures[0] ?? null;
  return {
    timezone: tz,
    generatedAt: request.now.toISOString(),
    sla: { firstResponseMinutes: config.sla.firstResponseMinutes, resolutionMinutes: config.sla.resolutionMinutes, clock: config.sla.clock },
    by: request.by,
    periods,
    total,
    comparison: compareFiguresOf && current ? compareFigures(current, compareFiguresOf) : null,
  };
}
