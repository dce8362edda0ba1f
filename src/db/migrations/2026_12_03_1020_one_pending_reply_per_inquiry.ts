/**
 * One answer in flight per inquiry: at most one `pending` reply per inquiry,
 * held by the database as well as by the compose workflow (which checks it
 * under the inquiry's row lock and tells a second author who is answering).
 * Sent and failed replies are not limited: an inquiry may get several over
 * time. Forward-only: never edit this file after it has landed.
 *
 * Replies already pending side by side (possible before this) would stop the
 * index from being built: of each inquiry's pending replies the one in flight
 * (else the oldest) stays pending; the others fail with a reason that says
 * why, and a `reply_failed` event each, as delivery records a failure.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded PGlite runs one statement at a time.
const statements = [
  sql`
    with ranked as (
        select id, inquiry_id, row_number() over (partition by inquiry_id order by in_flight_at is null, id) as n
        from replies
        where status = 'pending'
      ),
      kept as (
        select inquiry_id, id from ranked where n = 1
      ),
      failed as (
        update replies r
        set status = 'failed',
            failure_reason = 'Not sent: another answer to this inquiry (reply #' || kept.id || ') was on its way at the same time, and only one goes out at a time.',
            in_flight_at = null,
            updated_at = now()
        from ranked
        join kept on kept.inquiry_id = ranked.inquiry_id
        where r.id = ranked.id and ranked.n > 1
        returning r.id, r.inquiry_id, r.failure_reason
      )
    insert into events (type, inquiry_id, actor_kind, payload)
    select 'reply_failed', inquiry_id, 'system', jsonb_build_object('replyId', id, 'reason', failure_reason)
    from failed
  `,
  sql`
    create unique index replies_one_pending_per_inquiry_idx on replies (inquiry_id) where status = 'pending'
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
