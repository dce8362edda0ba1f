/**
 * The follow-through figures (issue 18) from the report day cache, like the
 * rest of a report (issue 17's speed targets): three more cohorts of whole
 * local days (src/reports/day-cache.query.ts):
 *
 * - `resolved`, by the day of the final answer (`closed_at`): every
 *   resolution time of the day, wall clock and business hours;
 * - `followed`, by the day an inquiry was posted: answered and closed now,
 *   answered with only an interim answer, ever closed, reopened;
 * - `asked`, by the day the citizen was asked whether it was solved: the
 *   answers.
 *
 * The trigger now also forgets the days of `closed_at` and
 * `solved_asked_at` (before and after a change), and runs when what these
 * cohorts read changes (`closed_at`, `reopen_count`, `solved_asked_at`,
 * `solved_answer`, `resolution_business_minutes`). An index on
 * `solved_asked_at` lets a fill (and a report computed without the cache)
 * find the asked of a day without reading every inquiry. Forward-only:
 * never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table report_day_cache drop constraint report_day_cache_cohort_check`,
  sql`
    alter table report_day_cache add constraint report_day_cache_cohort_check
        check (cohort in ('received', 'answered', 'claimed', 'resolved', 'followed', 'asked'))
  `,
  sql`create index inquiries_solved_asked_at_idx on inquiries (solved_asked_at) include (solved_answer) where solved_asked_at is not null`,
  sql`
    create or replace function inquiries_forget_report_days() returns trigger language plpgsql as $fn$
      declare
        moments timestamptz[];
        m timestamptz;
      begin
        if tg_op = 'INSERT' then
          moments := array[new.posted_at, new.first_response_at, new.claimed_at, new.closed_at, new.solved_asked_at];
        elsif tg_op = 'DELETE' then
          moments := array[old.posted_at, old.first_response_at, old.claimed_at, old.closed_at, old.solved_asked_at];
        else
          moments := array[old.posted_at, old.first_response_at, old.claimed_at, old.closed_at, old.solved_asked_at,
                           new.posted_at, new.first_response_at, new.claimed_at, new.closed_at, new.solved_asked_at];
        end if;
        foreach m in array moments loop
          if m is not null then
            delete from report_day_cache where day_from <= m and day_from > m - interval '2 days' and day_to > m;
          end if;
        end loop;
        return null;
      end
    $fn$
  `,
  sql`drop trigger inquiries_report_day_cache_update on inquiries`,
  sql`
    create trigger inquiries_report_day_cache_update after update on inquiries
        for each row
        when (
          (old.posted_at, old.first_response_at, old.claimed_at, old.claimed_by, old.status, old.low_priority, old.platform,
           old.sector_code, old.suggested_sector_code, old.answered_by, old.answered_via, old.frt_business_minutes, old.source_id,
           old.closed_at, old.reopen_count, old.solved_asked_at, old.solved_answer, old.resolution_business_minutes)
          is distinct from
          (new.posted_at, new.first_response_at, new.claimed_at, new.claimed_by, new.status, new.low_priority, new.platform,
           new.sector_code, new.suggested_sector_code, new.answered_by, new.answered_via, new.frt_business_minutes, new.source_id,
           new.closed_at, new.reopen_count, new.solved_asked_at, new.solved_answer, new.resolution_business_minutes)
        )
        execute function inquiries_forget_report_days()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
