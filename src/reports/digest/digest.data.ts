/**
 * What the weekly digest says, computed once for all recipients: the week
 * against the week before, the open backlog now with its oldest items, the
 * week by sector and by staff member, the month so far, and twelve weeks
 * for the chart.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { Database } from '../../db/schema.js';
import type { Platform } from '../../domain/inquiry.js';
import { localDateOf, monthRange, weekRange, type Period } from '../../domain/periods.js';
import { compareFigures, computePeriodFigures } from '../period-report.js';
import type { ReportConfig } from '../report-config.js';
import type { Comparison, PeriodFigures } from '../report.model.js';

export const CHART_WEEKS = 12;
const OLDEST_ITEMS = 5;

/** An open inquiry shown in the digest. */
export interface OpenItem {
  id: number;
  platform: Platform;
  /** The name of its source (the Page, the channel), when it has one. */
  sourceName: string | null;
  postedAt: Date;
  permalink: string | null;
  text: string;
}

export interface DigestData {
  /** The week reported on (ISO week, local). */
  week: Period;
  comparison: Comparison;
  /** Open backlog at `now`. */
  openNow: number;
  oldestOpen: OpenItem[];
  /** From the first day of the month of the week's last day to the end of the week (or now). */
  monthSoFar: PeriodFigures;
  /** Oldest first; the last is the reported week. */
  chartWeeks: PeriodFigures[];
  now: Date;
}

/**
 * Leaves low-priority items (thanks, emoji, a tag) out of the open backlog:
 * written `not low_priority`, the predicate of the partial index
 * `inquiries_unanswered_idx`, so the index serves these queries.
 */
const notReaction = (eb: ExpressionBuilder<Database, 'inquiries'>) => eb.not(eb.ref('inquiries.lowPriority'));

/** The ISO week a digest due at `dueAt` reports on: the last full week before it. */
export function digestWeekFor(dueAt: Date, timezone: string): Period {
  const current = weekRange(dueAt, timezone);
  return weekRange(new Date(current.from.getTime() - 1), timezone);
}

/** Computes the digest of `week`. */
export async function buildDigestData(db: Db, config: ReportConfig, week: Period, now: Date): Promise<DigestData> {
  const tz = config.timezone;
  const previous = weekRange(new Date(week.from.getTime() - 1), tz);
  const lastDay = localDateOf(new Date(week.to.getTime() - 1), tz);
  const monthSoFar: Period = { from: monthRange(lastDay.slice(0, 7), tz).from, to: week.to, label: lastDay.slice(0, 7) };
  const chart: Period[] = [];
  let cursor = week;
  for (let i = 0; i < CHART_WEEKS; i++) {
    chart.unshift(cursor);
    cursor = weekRange(new Date(cursor.from.getTime() - 1), tz);
  }

  const [[current, before], [month], weeks, openNow, oldest] = await Promise.all([
    computePeriodFigures(db, config, [week, previous], { now, breakdowns: true }),
    computePeriodFigures(db, config, [monthSoFar], { now, breakdowns: false }),
    computePeriodFigures(db, config, chart, { now, breakdowns: false }),
    db
      .selectFrom('inquiries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('firstResponseAt', 'is', null)
      .where('status', '<>', 'dismissed')
      .where(notReaction)
      .where('postedAt', '<', now)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('inquiries')
      .leftJoin('sources', 'sources.id', 'inquiries.sourceId')
      .select(['inquiries.id', 'inquiries.platform', 'sources.name as sourceName', 'inquiries.postedAt', 'inquiries.permalink', 'inquiries.text'])
      .where('firstResponseAt', 'is', null)
      .where('status', '<>', 'dismissed')
      .where(notReaction)
      .where('postedAt', '<', now)
      .orderBy('postedAt')
      .orderBy('id')
      .limit(OLDEST_ITEMS)
      .execute(),
  ]);
  return {
    week,
    comparison: compareFigures(current!, before!),
    openNow: Number(openNow.n),
    oldestOpen: oldest,
    monthSoFar: month!,
    chartWeeks: weeks,
    now,
  };
}
