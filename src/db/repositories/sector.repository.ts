import type { Kysely } from 'kysely';
import type { Sector, SectorRule } from '../../domain/sectors.js';
import type { Database, SectorRow } from '../schema.js';

type Executor = Kysely<Database>;

function sectorRowToSector(row: SectorRow): Sector {
  return { code: row.code, position: row.position, names: { hy: row.nameHy, en: row.nameEn, ru: row.nameRu }, keywords: row.keywords };
}

/** An active sector by its code. */
export async function findActiveSector(db: Executor, code: string): Promise<Sector | undefined> {
  const row = await db.selectFrom('sectors').selectAll().where('code', '=', code).where('active', '=', true).executeTakeFirst();
  return row && sectorRowToSector(row);
}

/** The active sectors, in their display order. */
export async function listActiveSectors(db: Executor): Promise<Sector[]> {
  const rows = await db.selectFrom('sectors').selectAll().where('active', '=', true).orderBy('position').execute();
  return rows.map(sectorRowToSector);
}

/** Every sector, retired ones too (past inquiries may name them), in display order. */
export async function listSectors(db: Executor): Promise<Sector[]> {
  const rows = await db.selectFrom('sectors').selectAll().orderBy('position').execute();
  return rows.map(sectorRowToSector);
}


/** The keyword rules of the active sectors, in their order (for suggesting a sector). */
export async function findActiveSectorRules(db: Executor): Promise<SectorRule[]> {
  const rows = await db.selectFrom('sectors').select(['code', 'position', 'keywords']).where('active', '=', true).orderBy('position').execute();
  return rows.map((r) => ({ code: r.code, position: r.position, keywords: r.keywords }));
}
