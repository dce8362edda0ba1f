import { configSecrets, loadConfig } from '../config.js';
import { startService } from '../main.js';
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
    const service = await startService({ config, logger });
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
