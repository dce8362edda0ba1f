/**
 * Seeds the city's sector taxonomy with names and keyword rules in Armenian,
 * English and Russian. Sectors stay editable afterwards; this runs once.
 * Forward-only: never edit after it has landed.
 */
import { sql, type Kysely } from 'kysely';
import { SECTOR_SEED } from '../seeds/sectors.2026-11-28.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of SECTOR_SEED) {
    await sql`
      insert into sectors (code, position, name_hy, name_en, name_ru, keywords)
      values (${s.code}, ${s.position}, ${s.names.hy}, ${s.names.en}, ${s.names.ru}, ${JSON.stringify(s.keywords)}::jsonb)
      on conflict (code) do nothing
    `.execute(db);
  }
}
