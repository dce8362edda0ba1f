/**
 * `telegram_group_pace`: the next free moment of each Telegram group, which
 * the group pacer (`bots/group-pacer.ts`) takes in one statement with the
 * database's clock, so every worker and every instance shares it whichever
 * transport carries the queues (it was a Redis key before queues could run
 * in PostgreSQL).
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded database runs one statement at a time.
const statements = [
  sql`
    create table telegram_group_pace (
        chat_id bigint primary key,
        next_at timestamptz not null
      )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
