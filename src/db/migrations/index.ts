/**
 * The list of migrations, in order. A static list (rather than reading the
 * folder) works the same from TypeScript sources, compiled output and tests.
 * Add new migrations at the end; never edit or remove a landed one.
 */
import type { Migration } from 'kysely/migration';
import * as createCoreTables from './2026_11_28_0010_create_core_tables.js';
import * as seedSectors from './2026_11_28_0020_seed_sectors.js';

export const migrations: Record<string, Migration> = {
  '2026_11_28_0010_create_core_tables': createCoreTables,
  '2026_11_28_0020_seed_sectors': seedSectors,
};
