import { loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (also done by start); safe to run again',
  usage: 'ardzagank migrate\n\nApplies every migration not yet applied to DATABASE_URL (or the embedded database in DATA_DIR).',
  async run(_args, io) {
    const config = loadConfig();
    const logger = createLogger({ level: 'warn' });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    try {
      const result = await migrateToLatest(database.db, logger);
      if (result.applied.length === 0) io.out(`The database (${database.description}) is up to date; nothing to apply.`);
      else io.out(`Applied ${result.applied.length} migration(s) to ${database.description}:\n${result.applied.map((m) => `  ${m}`).join('\n')}`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
