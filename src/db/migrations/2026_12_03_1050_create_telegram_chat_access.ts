/**
 * Whether the bot can still write into a chat it serves (the staff group):
 * set when Telegram says the bot was removed (a `my_chat_member` update, or
 * 403 on a send) and when it is back. Shared by every instance, so
 * `/readyz` and the waiting cards agree. Forward-only: never edit this file
 * after it has landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table telegram_chat_access (
        chat_id bigint primary key,
        status text not null check (status in ('member', 'removed')),
        -- What Telegram said, for the operator (never a token).
        reason text,
        changed_at timestamptz not null default now()
      )
  `.execute(db);
}
