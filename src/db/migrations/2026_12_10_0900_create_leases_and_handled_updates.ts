/**
 * What several instances of the service on one database share:
 *
 * - `leases`: work only one instance may do at a time (long polling
 *   Telegram: two `getUpdates` callers cut each other off with 409). A row
 *   is held by one instance until `expires_at`; the holder renews it every
 *   few seconds, and when it dies (killed, frozen, cut off from the
 *   database) the row expires and another instance takes it. Times are the
 *   database's, so the instances' clocks do not matter.
 * - `telegram_updates`: the Telegram updates already handled, per bot, so an
 *   update Telegram sends again (not yet confirmed when the poller died or
 *   handed over, or a webhook retried on another instance) is not handled a
 *   second time. Telegram keeps updates for 24 hours; older rows are pruned.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded database runs one statement at a time.
const statements = [
  sql`
    create table leases (
        name text primary key,
        -- host:pid:random of the instance holding it.
        holder text not null,
        acquired_at timestamptz not null,
        renewed_at timestamptz not null,
        expires_at timestamptz not null
      )
  `,
  sql`
    create table telegram_updates (
        -- The bot's id (the part of the token before the colon; not secret).
        bot_id bigint not null,
        update_id bigint not null,
        handled_at timestamptz not null default now(),
        primary key (bot_id, update_id)
      )
  `,
  sql`
    create index telegram_updates_handled_at_idx on telegram_updates (handled_at)
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
