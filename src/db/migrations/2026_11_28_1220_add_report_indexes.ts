/**
 * Indexes for reports. Forward-only: never edit this file after it has landed.
 *
 * - Received and answered by period, with every column the figures need
 *   (the reports' sector is the staff's one, else the suggested one), so
 *   both cohorts are read from the index alone. They replace the two
 *   narrower report indexes of the core migration.
 * - Open backlog at any moment m: the inquiries not answered yet and not
 *   dismissed that were posted before m (a b-tree, index only), plus the
 *   answered ones whose interval [posted_at, first_response_at) contains m
 *   (a GiST "stabbing" query over short intervals). `greatest` keeps the
 *   range valid if a first response was ever recorded a little before the
 *   platform's posting time (clock skew). The report query repeats the
 *   expression verbatim (src/reports/measured-figures.query.ts).
 * - Time to claim: inquiries claimed in a period.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    create index inquiries_report_posted_idx on inquiries (posted_at)
        include (status, first_response_at, frt_business_minutes, platform, sector_code, suggested_sector_code)
  `,
  sql`
    create index inquiries_report_answered_idx on inquiries (first_response_at)
        include (posted_at, frt_business_minutes, answered_via, answered_by, platform, sector_code, suggested_sector_code)
        where first_response_at is not null
  `,
  sql`
    drop index if exists inquiries_posted_at_idx
  `,
  sql`
    drop index if exists inquiries_first_response_at_idx
  `,
  sql`
    create index inquiries_unanswered_idx on inquiries (posted_at) include (platform, sector_code, suggested_sector_code)
        where first_response_at is null and status <> 'dismissed'
  `,
  sql`
    create index inquiries_answered_interval_idx on inquiries
        using gist (tstzrange(posted_at, greatest(posted_at, first_response_at), '[)'))
        where first_response_at is not null
  `,
  sql`
    create index inquiries_claimed_at_idx on inquiries (claimed_at) include (posted_at, claimed_by)
        where claimed_at is not null
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
