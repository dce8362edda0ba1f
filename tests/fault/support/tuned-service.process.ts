/**
 * The service as a child process that a fault test can SIGKILL, with the
 * Facebook part's waits shortened the way in-process fault tests shorten
 * them with `startService` (the Graph client's deadline, the delivery's
 * lease and retry delays, the reconciler's interval). It runs the compiled
 * service (`npm run build`, dist/) under Node's type stripping:
 *
 *   node --experimental-strip-types tests/fault/support/tuned-service.process.ts
 *
 * Environment: the service's own variables (as `ardzagank start` reads them)
 * and `ARDZAGANK_FAULT_TUNING`, a JSON {@link TunedServiceTuning}. Prints
 * `ready <address>` once it runs; SIGTERM closes it. Started by
 * `tuned-service.ts`.
 */
import type * as Config from '../../../src/config.js';
import type * as FacebookModule from '../../../src/connectors/facebook/facebook.module.js';
import type * as Main from '../../../src/main.js';
import type * as LoggerModule from '../../../src/observability/logger.js';
import type { TunedServiceTuning } from './tuned-service.js';

const dist = (file: string) => new URL(`../../../dist/src/${file}`, import.meta.url).href;
const { startService } = (await import(dist('main.js'))) as typeof Main;
const { loadConfig } = (await import(dist('config.js'))) as typeof Config;
const { createFacebookModule } = (await import(dist('connectors/facebook/facebook.module.js'))) as typeof FacebookModule;
const { createLogger } = (await import(dist('observability/logger.js'))) as typeof LoggerModule;

const tuning = JSON.parse(process.env.ARDZAGANK_FAULT_TUNING ?? '{}') as TunedServiceTuning;
const config = loadConfig({ env: process.env });
const service = await startService({
  config,
  logger: createLogger({ level: config.logLevel }),
  reconcileEveryMs: tuning.reconcileEveryMs,
  connectors: [createFacebookModule({ graphTimeoutMs: tuning.graphTimeoutMs })],
  tuning: {
    delivery: {
      leaseMs: tuning.leaseMs,
      retryDelayMs: () => tuning.retryDelayMs,
      parkDelayMs: tuning.parkDelayMs,
      maxAttempts: tuning.maxAttempts,
      concurrency: tuning.concurrency,
    },
  },
});
process.stdout.write(`ready ${service.address}\n`);
process.once('SIGTERM', () => {
  void service.close().finally(() => process.exit(0));
});
