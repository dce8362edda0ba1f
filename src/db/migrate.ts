/**
 * Runs the forward-only migrations. Safe to run twice (applied ones are
 * skipped) and from two processes at once (Kysely takes a Postgres advisory
 * lock around the run).
 */
import { Migrator, type MigrationResult } from 'kysely/migration';
import type { Logger } from '../observability/logger.js';
import type { Db } from './create-db.js';
import { migrations } from './migrations/index.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrateToLatest(db: Db, logger: Logger): Promise<MigrateResult> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kysely_migration',
    migrationLockTableName: 'kysely_migration_lock',
  });
  const before = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).length;
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r: MigrationResult) => r.status === 'Success').map((r) => r.migrationName);
  const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      `Database migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${reason}. Nothing after it was applied; fix the cause and run "ardzagank migrate" again.`,
      { cause: error },
    );
  }
  for (const name of applied) logger.info({ migration: name }, 'migration applied');
  return { applied, alreadyApplied: before };
}
