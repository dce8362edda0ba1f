/**
 * The figures of DESIGN.md (Metrics) for one period, as reports, the CLI's
 * JSON, the bot and the weekly digest hand them around.
 *
 * Low-priority items (thanks, emoji, a tag: `inquiries.low_priority`) are
 * not inquiries for any figure below: they are counted apart as `reactions`
 * (those posted in the period, whatever became of them). An item staff made
 * a card of is an inquiry again.
 *
 * Cohorts (each figure is counted over exactly one of them):
 * - **received cohort**: inquiries with `posted_at` in the period.
 *   `received` (not dismissed), `dismissed`, `answeredSoFar`,
 *   `responseRate` = answeredSoFar / received, `withinSlaRate` = answered
 *   within the first-response target / received; and `reactions`.
 * - **answered cohort**: inquiries whose first response falls in the period.
 *   `answered` (split by `answered_via`), and the first-response times:
 *   median and 90th percentile, wall-clock and business hours.
 * - **claim cohort**: inquiries claimed in the period: time to claim.
 * - **open backlog** at the period's end (or now, for a period not over
 *   yet): received before that moment, not dismissed, not answered by then;
 *   with the age of the oldest.
 *
 * Times are minutes (one decimal); rates are fractions 0..1; a figure that
 * cannot be computed (no inquiries, a period known only from entered
 * baselines) is `null`.
 */
import type { Platform } from '../domain/inquiry.js';

/** Counts and rates of one slice of a period (a platform, a sector). */
export interface BreakdownFigures {
  received: number;
  /** Low-priority items (thanks, emoji, a tag) posted in the period. */
  reactions: number;
  answered: number;
  answeredNative: number;
  dismissed: number;
  open: number;
  responseRate: number | null;
  withinSlaRate: number | null;
  frtMedianMinutes: number | null;
  frtBusinessMedianMinutes: number | null;
}

export interface PlatformFigures extends BreakdownFigures {
  platform: Platform;
}

/** A connected account (a Facebook Page, a Telegram channel…) of a period. */
export interface SourceFigures extends BreakdownFigures {
  /** The source's id; null for inquiries stored before sources were recorded on them. */
  sourceId: number | null;
  platform: Platform | null;
  /** The source's name (as `ardzagank sources` lists it); null when unknown. */
  name: string | null;
}

export interface SectorFigures extends BreakdownFigures {
  /** Sector code, or null for inquiries with no sector (neither set by staff nor suggested). */
  sector: string | null;
  /** Sector names from the `sectors` table (code when unknown). */
  names: { hy: string; en: string; ru: string } | null;
}

export interface StaffFigures {
  staffId: number;
  name: string;
  /** First responses this staff member gave in the period. */
  answered: number;
  answeredWithinSla: number;
  frtMedianMinutes: number | null;
  frtBusinessMedianMinutes: number | null;
  /** Claims made in the period. */
  claimed: number;
  claimMedianMinutes: number | null;
}

/** The figures entered by hand (baselines) that went into a period. */
export interface EnteredPart {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  metric: BaselineMetric;
  value: number;
  note: string | null;
}

export const BASELINE_METRICS = ['received', 'answered', 'answered_native', 'dismissed'] as const;
export type BaselineMetric = (typeof BASELINE_METRICS)[number];

/** One period of a report; the JSON output of `ardzagank report` has one per period. */
export interface PeriodFigures {
  /** `2018-05`, `2026-W47`, `2018-01..2018-04`. */
  label: string;
  /** First local day of the period, `YYYY-MM-DD`. */
  from: string;
  /** Last local day of the period, inclusive, `YYYY-MM-DD`. */
  to: string;
  /** Inquiries posted in the period, not dismissed, not low-priority. */
  received: number | null;
  /** Low-priority items (thanks, emoji, a tag) posted in the period, counted apart from `received`. */
  reactions: number | null;
  answered: number | null;
  answeredNative: number | null;
  answeredTelegram: number | null;
  dismissed: number | null;
  /** Open backlog at `openAt`. */
  open: number | null;
  /** The moment the backlog is counted at: the period's end, or now if it is not over. */
  openAt: string;
  oldestOpenAgeMinutes: number | null;
  /** Of the inquiries received in the period, how many have been answered so far. */
  answeredSoFar: number | null;
  /** …and how many of them within the first-response target. */
  answeredWithinSla: number | null;
  responseRate: number | null;
  withinSlaRate: number | null;
  frtMedianMinutes: number | null;
  frtP90Minutes: number | null;
  frtBusinessMedianMinutes: number | null;
  frtBusinessP90Minutes: number | null;
  claimMedianMinutes: number | null;
  claimP90Minutes: number | null;
  byPlatform: PlatformFigures[];
  /** One entry per source that had any inquiry in the period. */
  bySource: SourceFigures[];
  bySector: SectorFigures[];
  byStaff: StaffFigures[];
  /** True when some figures were entered by hand (baselines) rather than measured. */
  baseline: boolean;
  /** The entered figures used, when `baseline` is true. */
  entered: EnteredPart[];
}

/** A report over a range: one object per period, and the whole range when it has several. */
export interface RangeReport {
  timezone: string;
  generatedAt: string;
  /** First-response target in minutes, and whether it counts business hours. */
  sla: { firstResponseMinutes: number; clock: 'business' | 'wall' };
  by: 'month' | 'week';
  periods: PeriodFigures[];
  total: PeriodFigures | null;
  comparison: Comparison | null;
}

/** The change of one figure from the earlier period to the later one. */
export interface Change {
  /** Later value minus earlier value (for rates: in fractions, ×100 for percentage points). */
  difference: number | null;
  /** Difference relative to the earlier value, in percent; null when the earlier value is 0 or missing. */
  percent: number | null;
}

/** Figures that a comparison reports a change for. */
export const COMPARED_FIGURES = [
  'received',
  'reactions',
  'answered',
  'answeredNative',
  'dismissed',
  'open',
  'responseRate',
  'withinSlaRate',
  'frtMedianMinutes',
  'frtP90Minutes',
  'frtBusinessMedianMinutes',
  'claimMedianMinutes',
] as const;
export type ComparedFigure = (typeof COMPARED_FIGURES)[number];

/** Two periods side by side: `current` (later, the one asked about) against `previous`. */
export interface Comparison {
  current: PeriodFigures;
  previous: PeriodFigures;
  changes: Record<ComparedFigure, Change>;
}
