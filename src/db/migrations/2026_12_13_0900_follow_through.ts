/**
 * Follow-through (issue 18): interim and final answers, a resolution target,
 * reopening, and asking the citizen whether it was solved.
 *
 * - `replies.kind` and `reply_drafts.kind`: `final` (the default: it closes
 *   the inquiry), `interim` (a first response; the inquiry stays open for the
 *   final one), `correction` (to an answered or closed inquiry; changes no
 *   state) and, for replies only, `solved_question` (the service asking the
 *   citizen whether it was solved, ASK_IF_SOLVED).
 * - `inquiries.closed_at` (the final answer), `resolution_due_at` (from
 *   SLA_RESOLUTION), `reopen_count`, and `resolution_business_minutes`, set
 *   by a trigger from `business_calendar` like `frt_business_minutes`
 *   (migration 1210) whenever `closed_at` or `posted_at` is written.
 * - `inquiries.solved_*`: when the citizen was asked, and the answer
 *   (`yes`, `no`, `no_reply`) with its time.
 *
 * Existing rows: before this, an answer was final, so every `answered`
 * inquiry becomes `closed` at its first response (`closed_at` =
 * `first_response_at`); one already `closed` (none in practice) likewise.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded PGlite runs one statement at a time.
const statements = [
  sql`alter table replies add column kind text not null default 'final' check (kind in ('final', 'interim', 'correction', 'solved_question'))`,
  sql`alter table reply_drafts add column kind text not null default 'final' check (kind in ('final', 'interim', 'correction'))`,
  sql`alter table inquiries add column closed_at timestamptz`,
  sql`alter table inquiries add column resolution_due_at timestamptz`,
  sql`alter table inquiries add column reopen_count integer not null default 0`,
  sql`alter table inquiries add column resolution_business_minutes double precision`,
  sql`alter table inquiries add column solved_asked_at timestamptz`,
  sql`alter table inquiries add column solved_answer text check (solved_answer in ('yes', 'no', 'no_reply'))`,
  sql`alter table inquiries add column solved_answered_at timestamptz`,
  sql`
    create function inquiries_set_resolution_business() returns trigger language plpgsql as $fn$
      declare
        posted double precision;
        closed double precision;
      begin
        if new.closed_at is null then
          new.resolution_business_minutes := null;
          return new;
        end if;
        posted := business_minutes_at(new.posted_at);
        closed := business_minutes_at(new.closed_at);
        new.resolution_business_minutes := case when posted is null or closed is null then null else greatest(closed - posted, 0) end;
        return new;
      end
      $fn$
  `,
  sql`
    create trigger inquiries_resolution_business before insert or update of posted_at, closed_at on inquiries
        for each row execute function inquiries_set_resolution_business()
  `,
  // After the trigger, so the closures below get their business-hours resolution time.
  sql`update inquiries set closed_at = coalesce(first_response_at, updated_at) where status = 'closed'`,
  // Before this, an answer was the answer: every answered inquiry had its final answer then.
  sql`update inquiries set status = 'closed', closed_at = first_response_at where status = 'answered' and first_response_at is not null`,
  sql`
    -- Reports: resolved (closed) in a period.
      create index inquiries_closed_at_idx on inquiries (closed_at) include (posted_at, resolution_due_at, resolution_business_minutes)
        where closed_at is not null and not low_priority
  `,
  sql`
    -- Reminders: open on the resolution clock.
      create index inquiries_resolution_due_idx on inquiries (resolution_due_at) where closed_at is null and status in ('new', 'claimed', 'answered')
  `,
  sql`
    -- Asking whether it was solved: closed, not asked yet.
      create index inquiries_ask_solved_idx on inquiries (closed_at) where solved_asked_at is null and closed_at is not null
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
