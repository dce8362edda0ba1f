/**
 * State the Facebook connector keeps next to the core tables:
 *
 * - `replies.in_flight_at`: set (committed) before a reply is sent to the
 *   platform and cleared when the platform gave a clear verdict. While it is
 *   set, the outcome of an attempt is unknown (a timeout): the next attempt
 *   first looks for the reply on the platform instead of posting again, and
 *   ingest does not mistake the webhook of our own reply for a native answer.
 * - `replies.channel`: how the reply was published (`comment_reply`,
 *   `private_reply`, `messenger`).
 * - `sources.throttled_until`: the platform asked us to slow down; polls wait.
 * - `sources.last_polled_at`, `sources.last_poll_error` (scrubbed): for
 *   `ardzagank sources`.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded PGlite runs one statement at a time.
const statements = [
  sql`alter table replies add column in_flight_at timestamptz`,
  sql`alter table replies add column channel text check (channel in ('comment_reply', 'private_reply', 'messenger'))`,
  sql`create index replies_in_flight_idx on replies (in_flight_at) where status = 'pending' and in_flight_at is not null`,
  sql`alter table sources add column throttled_until timestamptz`,
  sql`alter table sources add column last_polled_at timestamptz`,
  sql`alter table sources add column last_poll_error text`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
