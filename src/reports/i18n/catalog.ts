/**
 * The texts of reports and of the weekly digest, one catalog per language
 * (hy.ts, en.ts, ru.ts). Functions take already formatted values.
 */
import type { Platform } from '../../domain/inquiry.js';
import { LOCALES, type Locale } from '../../domain/locale.js';

/** Reports speak every language of the bot. */
export type ReportLang = Locale;
export const REPORT_LANGS: readonly ReportLang[] = LOCALES;

export interface ReportCatalog {
  lang: ReportLang;
  /** Intl locale for numbers and percentages. */
  locale: string;
  /** Nominative month names, January first. */
  months: readonly string[];
  /** Short month names for chart axes and dates, January first. */
  monthsShort: readonly string[];
  units: { day: string; hour: string; minute: string };
  /** Shown for a figure that has no value. */
  none: string;
  /** `2018 թ. մայիս`, `May 2018`. */
  month(year: number, monthName: string): string;
  /** `2018 թ. հունվար – ապրիլ`, `January – April 2018`. */
  monthRangeSameYear(year: number, fromMonth: string, toMonth: string): string;
  /** ISO week: `2026 թ. 47-րդ շաբաթ`. */
  week(year: number, week: number): string;
  year(year: number): string;
  /** Percentage points suffix for a change of a rate: `տ.կ.`, `pp`, `п.п.`. */
  points: string;

  title: string;
  /** The line under the title: time zone, SLA target. */
  subtitle(timezone: string, target: string, clock: 'business' | 'wall'): string;
  period: string;
  total: string;
  received: string;
  /** Low-priority items (thanks, emoji, a tag), counted apart from received. */
  reactions: string;
  answered: string;
  answeredNative: string;
  answeredTelegram: string;
  dismissed: string;
  open: string;
  /** `open at <moment>` */
  openAt(moment: string): string;
  oldestOpen: string;
  responseRate: string;
  withinSla: string;
  frtMedian: string;
  frtP90: string;
  frtBusinessMedian: string;
  frtBusinessP90: string;
  claimMedian: string;
  byPlatform: string;
  /** Heading of the breakdown by source (each Page, channel…). */
  bySource: string;
  bySector: string;
  byStaff: string;
  platformNames: Record<Platform, string>;
  noSector: string;
  /** Inquiries stored before sources were recorded on them. */
  noSource: string;
  staffColumns: { name: string; answered: string; withinSla: string; frtMedian: string; claimed: string; claimMedian: string };
  comparison: string;
  change: string;
  /** Marks a period whose counts were entered by hand. */
  enteredMark: string;
  /** The footnote explaining {@link enteredMark}. */
  enteredNote: string;
  /** Reports with nothing in them. */
  empty: string;

  digest: {
    title: string;
    /** `the week of 16–22 November 2026` etc., formatted by the caller */
    weekOf(range: string): string;
    late(due: string): string;
    thisWeek: string;
    previousWeek: string;
    openNow(count: string, oldest: string): string;
    noneOpen: string;
    oldestItems: string;
    monthSoFar(month: string): string;
    bySector: string;
    bySource: string;
    byStaff: string;
    /** `12 received, 10 answered` for a sector line */
    sectorLine(received: string, answered: string): string;
    /** `10 answered, median 40 min` for a staff line */
    staffLine(answered: string, median: string): string;
    chartTitle: string;
    chartReceived: string;
    chartAnswered: string;
    chartMedian: string;
    chartCount: string;
    chartHours: string;
    caption(range: string): string;
  };

  telegram: {
    usage: string;
    badPeriod(spec: string): string;
    vs: string;
  };
}
