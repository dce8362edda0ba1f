/**
 * `telegram_reactions`: each person's (or chat's) latest reactions to a
 * message of a channel's discussion group, as Telegram's `message_reaction`
 * updates tell them (one person's change at a time, never the total). A
 * comment's like count is the number of people whose latest state is
 * "reacted", so it is right whatever order the updates are processed in (a
 * retried batch, two instances) and counts a reaction that came before its
 * comment was stored. The changes of one person are ordered by their `date`,
 * then `update_id` (Telegram numbers a bot's updates in sequence, but may
 * start again after a week without updates or with a new token).
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`create table telegram_reactions (
    item_external_id text not null,
    actor text not null,
    reacted boolean not null,
    update_id bigint not null,
    changed_at timestamptz not null,
    primary key (item_external_id, actor)
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
