import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Takes the next slot of group `chatId`, `intervalMs` apart from the one
 * before, if it is free now (the database's clock): returns 0. Otherwise
 * returns how many milliseconds until it is (at least 1; nothing is taken).
 * One statement, so two workers or instances asking at once never both get it.
 */
export async function reserveGroupSlot(db: Kysely<Database>, chatId: number, intervalMs: number): Promise<number> {
  const { rows } = await sql<{ waitMs: number }>`
    with clock as (select clock_timestamp() as t),
    taken as (
      insert into telegram_group_pace as p (chat_id, next_at)
      select ${chatId}, t + make_interval(secs => ${intervalMs / 1000}) from clock
      on conflict (chat_id) do update set next_at = excluded.next_at
        where p.next_at <= (select t from clock)
      returning p.chat_id
    )
    select case
      when exists (select 1 from taken) then 0
      else greatest(1, ceil(extract(epoch from (select next_at from telegram_group_pace where chat_id = ${chatId}) - (select t from clock)) * 1000))::int
    end as wait_ms
  `.execute(db);
  return Number(rows[0]?.waitMs ?? 1);
}
