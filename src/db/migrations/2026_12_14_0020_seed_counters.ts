/**
 * Seeds the department's counters (the functions of its annual report) with
 * names in Armenian, English and Russian. Admins may change the list
 * afterwards; this runs once. Forward-only: never edit after it has landed.
 */
import { sql, type Kysely } from 'kysely';
import { COUNTER_SEED } from '../seeds/counters.2026-12-14.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const c of COUNTER_SEED) {
    await sql`
      insert into counters (code, section, position, name_hy, name_en, name_ru, figure, amount_hy, amount_en, amount_ru, has_note, source)
      values (${c.code}, ${c.section}, ${c.position}, ${c.names.hy}, ${c.names.en}, ${c.names.ru}, ${c.figure},
              ${c.amount?.hy ?? null}, ${c.amount?.en ?? null}, ${c.amount?.ru ?? null}, ${c.hasNote}, ${c.source})
      on conflict (code) do nothing
    `.execute(db);
  }
}
