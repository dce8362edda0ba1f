/**
 * The report day cache: each local day's figures of one cohort (received,
 * answered, claimed), computed once by a report and kept until an inquiry of
 * that day changes (src/reports/day-cache.query.ts). Reports over months and
 * years merge days instead of reading and sorting every inquiry again; the
 * answered and claimed days keep every time, sorted, so medians and
 * percentiles stay exact.
 *
 * - `fingerprint`: what the figures depend on besides the inquiries (time
 *   zone, first-response target and clock); rows of another fingerprint are
 *   never read and are removed by the next fill.
 * - `id`: new for every fill, so a process that keeps days in memory knows
 *   whether its copy is still the one in the table.
 * - `day_from`, `day_to`: the instants of the local day, so the trigger
 *   below needs no time zone to find the days an inquiry belongs to.
 *
 * The trigger removes the days (of every cohort) whose figures a written
 * inquiry changes: the day it was posted, first answered and claimed,
 * before and after the change. A report fills missing days (a month of days
 * per transaction) under a SHARE ROW EXCLUSIVE lock, which waits for writers
 * whose trigger already ran and makes later ones wait, so no day is filled
 * from data a concurrent transaction is changing. Forward-only: never edit this file after it has
 * landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    create table report_day_cache (
      id bigint generated always as identity,
      fingerprint text not null,
      cohort text not null check (cohort in ('received', 'answered', 'claimed')),
      day date not null,
      day_from timestamptz not null,
      day_to timestamptz not null,
      data text not null,
      primary key (fingerprint, cohort, day)
    )
  `,
  sql`create index report_day_cache_day_from_idx on report_day_cache (day_from)`,
  // Static statements in PL/pgSQL: their plans are kept for the session (a SQL function would be planned at every call).
  sql`
    create function inquiries_forget_report_days() returns trigger language plpgsql as $fn$
      declare
        moments timestamptz[];
        m timestamptz;
      begin
        if tg_op = 'INSERT' then
          moments := array[new.posted_at, new.first_response_at, new.claimed_at];
        elsif tg_op = 'DELETE' then
          moments := array[old.posted_at, old.first_response_at, old.claimed_at];
        else
          moments := array[old.posted_at, old.first_response_at, old.claimed_at, new.posted_at, new.first_response_at, new.claimed_at];
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
  sql`
    create trigger inquiries_report_day_cache after insert or delete on inquiries
        for each row execute function inquiries_forget_report_days()
  `,
  sql`
    create trigger inquiries_report_day_cache_update after update on inquiries
        for each row
        when (
          (old.posted_at, old.first_response_at, old.claimed_at, old.claimed_by, old.status, old.low_priority, old.platform,
           old.sector_code, old.suggested_sector_code, old.answered_by, old.answered_via, old.frt_business_minutes, old.source_id)
          is distinct from
          (new.posted_at, new.first_response_at, new.claimed_at, new.claimed_by, new.status, new.low_priority, new.platform,
           new.sector_code, new.suggested_sector_code, new.answered_by, new.answered_via, new.frt_business_minutes, new.source_id)
        )
        execute function inquiries_forget_report_days()
  `,
  sql`
    create function inquiries_forget_all_report_days() returns trigger language plpgsql as $fn$
      begin
        delete from report_day_cache;
        return null;
      end
    $fn$
  `,
  sql`
    create trigger inquiries_report_day_cache_truncate after truncate on inquiries
        for each statement execute function inquiries_forget_all_report_days()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
