/**
 * Report indexes that know low-priority items (thanks, emoji, a tag). Reports
 * count those apart as reactions (DESIGN.md, Metrics), so every cohort query
 * filters `not low_priority`. Forward-only: never edit this file after it has
 * landed.
 *
 * - Received and answered by period: `low_priority` joins the included
 *   columns, so both cohorts are still read from the index alone. The
 *   answered index keeps its predicate: the business calendar reads the
 *   latest first response from it (`max(first_response_at)`).
 * - The open backlog (not answered yet; answered after the moment, the GiST
 *   "stabbing" index) and time to claim: the partial indexes leave
 *   low-priority rows out. The report queries write the same predicate,
 *   `not low_priority`, so Postgres can use them
 *   (src/reports/measured-figures.query.ts, src/reports/digest/digest.data.ts).
 *
 * Each index replaces the one of the same name from 2026_11_28_1220; the
 * statements run in the migration's transaction, so no report runs without
 * its index.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`drop index if exists inquiries_report_posted_idx`,
  sql`
    create index inquiries_report_posted_idx on inquiries (posted_at)
        include (status, low_priority, first_response_at, frt_business_minutes, platform, sector_code, suggested_sector_code)
  `,
  sql`drop index if exists inquiries_report_answered_idx`,
  sql`
    create index inquiries_report_answered_idx on inquiries (first_response_at)
        include (low_priority, posted_at, frt_business_minutes, answered_via, answered_by, platform, sector_code, suggested_sector_code)
        where first_response_at is not null
  `,
  sql`drop index if exists inquiries_unanswered_idx`,
  sql`
    create index inquiries_unanswered_idx on inquiries (posted_at) include (platform, sector_code, suggested_sector_code)
        where first_response_at is null and status <> 'dismissed' and not low_priority
  `,
  sql`drop index if exists inquiries_answered_interval_idx`,
  sql`
    create index inquiries_answered_interval_idx on inquiries
        using gist (tstzrange(posted_at, greatest(posted_at, first_response_at), '[)'))
        where first_response_at is not null and not low_priority
  `,
  sql`drop index if exists inquiries_claimed_at_idx`,
  sql`
    create index inquiries_claimed_at_idx on inquiries (claimed_at) include (posted_at, claimed_by)
        where claimed_at is not null and not low_priority
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
