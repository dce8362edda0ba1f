/**
 * The figures of the public page and of its JSON twin: the city's
 * responsiveness month by month over the last 12 months (this month so far
 * included), by platform and by sector, taken from the report
 * (`buildRangeReport`, the same figures as `ardzagank report --format json`).
 *
 * Only aggregates leave this module: no staff (names or ids), no notes of
 * entered baselines, no inquiry ids or texts.
 */
import type { Db } from '../../db/create-db.js';
import type { Platform } from '../../domain/inquiry.js';
import { localDateOf, monthRange, type Period } from '../../domain/periods.js';
import { buildRangeReport } from '../period-report.js';
import type { ReportConfig } from '../report-config.js';
import type { BreakdownFigures, PeriodFigures } from '../report.model.js';

/** The public figures of one slice (the whole city, a platform, a sector). */
export interface PublicSlice {
  /** Questions posted in the period (not dismissed, not thanks or emoji). */
  received: number | null;
  /** Questions first answered in the period. */
  answered: number | null;
  /** Of the questions received in the period, the share answered so far (0..1). */
  responseRate: number | null;
  /** Of the questions received in the period, the share answered within the first-response target (0..1). */
  withinSlaRate: number | null;
  /** Median wall-clock minutes to the first answer of the questions answered in the period. */
  frtMedianMinutes: number | null;
}

export interface PublicPlatformSlice extends PublicSlice {
  platform: Platform;
}

export interface PublicSectorSlice extends PublicSlice {
  /** Sector code, null for questions with no sector. */
  sector: string | null;
  names: { hy: string; en: string; ru: string } | null;
}

export interface PublicPeriod extends PublicSlice {
  /** `2026-05`, or `2026-01..2026-04` for counts entered by hand for several months. */
  label: string;
  /** First and last local day, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** The period is not over yet (this month so far). */
  partial: boolean;
  /** Some counts were entered by hand for a time before the system (rates and times stay measured). */
  baseline: boolean;
  byPlatform: PublicPlatformSlice[];
  bySector: PublicSectorSlice[];
}

export interface PublicFigures {
  generatedAt: string;
  timezone: string;
  sla: { firstResponseMinutes: number; clock: 'business' | 'wall' };
  /** The months, oldest first. */
  months: PublicPeriod[];
  /** The 12 months together. */
  total: PublicPeriod;
}

/** The last 12 months up to and including the month of `now`, in the city's time zone. */
export function lastTwelveMonths(now: Date, timezone: string): Period {
  const today = localDateOf(now, timezone);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const startIndex = year * 12 + (month - 1) - 11;
  const first = `${Math.floor(startIndex / 12)}-${String((startIndex % 12) + 1).padStart(2, '0')}`;
  const last = today.slice(0, 7);
  const a = monthRange(first, timezone);
  const b = monthRange(last, timezone);
  return { from: a.from, to: b.to, label: `${first}..${last}` };
}

function slice(f: Pick<BreakdownFigures, keyof PublicSlice> | Pick<PeriodFigures, keyof PublicSlice>): PublicSlice {
  return {
    received: f.received,
    answered: f.answered,
    responseRate: f.responseRate,
    withinSlaRate: f.withinSlaRate,
    frtMedianMinutes: f.frtMedianMinutes,
  };
}

function publicPeriod(p: PeriodFigures, today: string): PublicPeriod {
  return {
    label: p.label,
    from: p.from,
    to: p.to,
    partial: p.to >= today,
    baseline: p.baseline,
    ...slice(p),
    byPlatform: p.byPlatform.map((s) => ({ platform: s.platform, ...slice(s) })),
    bySector: p.bySector.map((s) => ({ sector: s.sector, names: s.names, ...slice(s) })),
  };
}

/** The public figures as of `now`. */
export async function buildPublicFigures(db: Db, config: ReportConfig, now: Date): Promise<PublicFigures> {
  const range = lastTwelveMonths(now, config.timezone);
  const report = await buildRangeReport(db, config, { range, by: 'month', now });
  const today = localDateOf(now, config.timezone);
  // Twelve months always make a total.
  const total = report.total ?? report.periods[0]!;
  return {
    generatedAt: report.generatedAt,
    timezone: report.timezone,
    sla: report.sla,
    months: report.periods.map((p) => publicPeriod(p, today)),
    total: publicPeriod(total, today),
  };
}
