/**
 * The year's sums of the counters: entries (not cancelled) on the local days
 * of the year, the posts the sources published in it (from the feeds), and
 * the remarks entered for it.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/create-db.js';
import type { InstantRange } from '../measured-figures.query.js';

export interface CounterSums {
  /** Sum of the entries' quantities (a tap is 1). */
  count: number;
  /** Sum of the entries' amounts; null when no entry has one. */
  amount: number | null;
  entries: number;
}

export interface CounterYearData {
  sums: Map<number, CounterSums>;
  remarks: Map<number, string>;
  /** Published posts by platform. */
  publishedByPlatform: Array<{ platform: string; count: number }>;
}

/** Sums of local days `fromDay`..`toDay` (inclusive); published posts over `range`. */
export async function queryCounterYear(db: Db, input: { fromDay: string; toDay: string; range: InstantRange; year: number }): Promise<CounterYearData> {
  const [sums, remarks, published] = await Promise.all([
    db
      .selectFrom('counterEntries')
      .select([
        'counterId',
        sql<number>`sum(quantity)::int`.as('count'),
        sql<number | null>`sum(amount)::float8`.as('amount'),
        sql<number>`count(*)::int`.as('entries'),
      ])
      .where('voidedAt', 'is', null)
      .where('occurredOn', '>=', input.fromDay)
      .where('occurredOn', '<=', input.toDay)
      .groupBy('counterId')
      .execute(),
    db.selectFrom('counterRemarks').select(['counterId', 'text']).where('year', '=', input.year).execute(),
    db
      .selectFrom('publishedPosts')
      .select(['platform', sql<number>`count(*)::int`.as('count')])
      .where('postedAt', '>=', input.range.from)
      .where('postedAt', '<', input.range.to)
      .groupBy('platform')
      .orderBy('platform')
      .execute(),
  ]);
  return {
    sums: new Map(sums.map((s) => [s.counterId, { count: s.count, amount: s.amount, entries: s.entries }])),
    remarks: new Map(remarks.map((r) => [r.counterId, r.text])),
    publishedByPlatform: published,
  };
}
