import { configSecrets, loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { createLogger } from '../observability/logger.js';
import type { Command } from './command.js';

export const startCommand: Command = {
  name: 'start',
  summary: 'run the service: HTTP, queues, workers and every configured part',
  usage:
    'ardzagank start\n\nRuns until SIGTERM or SIGINT. Configuration comes from the environment and .env (see the README).\nParts that are not configured are listed at start with the variable that turns them on.',
  async run() {
    const config = loadConfig();
    const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });
    // The database (the embedded PostgreSQL: a process of its own) starts while the service's modules load.
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger, embedded: { attach: false } });
    const { startService } = await import('../main.js').catch(async (error: unknown) => {
      await database.then((d) => d.close(), () => undefined);
      throw error;
    });
    const service = await startService({ config, logger, database });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        service.close().then(resolve, resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    logger.info('stopped');
    logger.flush();
    return 0;
  },
};
