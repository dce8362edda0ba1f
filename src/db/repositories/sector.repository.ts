import type { Kysely } from 'kysely';
import type { SectorRule } from '../../domain/sectors.js';
import type { Database } from '../schema.js';

type Executor = Kysely<Database>;

/** The keyword rules of the active sectors, in their order (for suggesting a sector). */
export async function findActiveSectorRules(db: Executor): Promise<SectorRule[]> {
  const rows = await db.selectFrom('sectors').select(['code', 'position', 'keywords']).where('active', '=', true).orderBy('position').execute();
  return rows.map((r) => ({ code: r.code, position: r.position, keywords: r.keywords }));
}
