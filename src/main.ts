/**
 * Composition root: config → database (migrated) → Redis and queues →
 * workers and schedulers → HTTP. The parts that are configured run; for each
 * part that is off, one line says which variable turns it on. `close()` stops
 * everything in reverse order (SIGTERM/SIGINT call it).
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { telegramPart } from './bots/telegram.part.js';
import { configSecrets, type Config } from './config.js';
import { openDatabase } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { countInquiriesByStatus } from './db/repositories/inquiry.repository.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, registerStateGauges } from './observability/metrics.js';
import { QUEUE_NAMES } from './queue/jobs.js';
import { closeQueues, createProducers, createQueues } from './queue/producers.js';
import { checkRedis, createRedisConnection } from './queue/redis.js';
import { createScheduleWorker, restoreSchedulers, upsertSchedulers, type ScheduleHandlers } from './queue/schedulers.js';
import { digestPart } from './reports/digest/digest.part.js';
import { createIngestWorker } from './queue/workers/ingest.worker.js';
import { facebookPart, facebookWebhooksPart } from './connectors/facebook/facebook.part.js';
import { createIngestDeps } from './inbox/ingest-deps.js';
import { reconcile } from './inbox/reconcile.workflow.js';
import type { PartFactory, ServiceContext, ServicePart } from './service-part.js';

export type { PartFactory, ServiceContext, ServicePart } from './service-part.js';

export interface StartOptions {
  config: Config;
  logger?: Logger;
  now?: () => Date;
  /** Extra parts (tests, demo). */
  parts?: PartFactory[];
  /** Listen on HTTP (default true). */
  http?: boolean;
  /** Reconcile interval (default 5 minutes). */
  reconcileEveryMs?: number;
}

export interface RunningService {
  ctx: ServiceContext;
  http: FastifyInstance | undefined;
  /** `http://host:port` once listening. */
  address: string | undefined;
  close(): Promise<void>;
}

/** The parts that exist; each says when it is off. */
export const DEFAULT_PARTS: PartFactory[] = [facebookPart, facebookWebhooksPart, telegramPart, digestPart];

export async function startService(options: StartOptions): Promise<RunningService> {
  const { config } = options;
  const secrets = configSecrets(config);
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets });
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics();
  const closers: Array<{ name: string; close: () => Promise<unknown> }> = [];

  const closeAll = async () => {
    for (const { name, close } of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error, part: name }, 'error while closing');
      }
    }
    closers.length = 0;
  };

  try {
    await checkRedis(config.redisUrl);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    closers.push({ name: 'database', close: () => database.close() });
    const migrated = await migrateToLatest(database.db, logger);
    logger.info({ database: database.description, applied: migrated.applied.length }, 'database ready');

    const connection = createRedisConnection(config.redisUrl, 'ardzagank-queues');
    connection.on('error', (error) => logger.warn({ err: error }, 'Redis connection error; retrying'));
    closers.push({ name: 'redis', close: () => connection.quit() });
    const queues = createQueues({ connection, prefix: config.queuePrefix });
    closers.push({ name: 'queues', close: () => closeQueues(queues) });
    const producers = createProducers(queues);
    const ctx: ServiceContext = { config, logger, metrics, database, queues, producers, connection, now };

    registerStateGauges(metrics, {
      queueCounts: async () =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(queues).map(async ([name, q]) => [name, await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')] as const),
          ),
        ),
      inquiriesByStatus: () => countInquiriesByStatus(database.db),
    });

    const ingestWorker = createIngestWorker({
      db: database.db,
      producers,
      logger,
      metrics,
      connection,
      prefix: config.queuePrefix,
      secrets,
      ingest: createIngestDeps({ db: database.db, config, logger, now }),
    });
    closers.push({ name: 'ingest worker', close: () => ingestWorker.close() });

    const parts: ServicePart[] = [];
    for (const factory of [...DEFAULT_PARTS, ...(options.parts ?? [])]) {
      const part = await factory(ctx);
      if ('off' in part) {
        logger.info(part.off);
        continue;
      }
      parts.push(part);
      for (const w of part.workers ?? []) closers.push({ name: `${part.name} worker`, close: () => w.close() });
      if (part.close) closers.push({ name: part.name, close: part.close });
    }

    const cardsOn = parts.some((p) => p.name === 'telegram');
    const repliesOn = parts.some((p) => p.name === 'facebook');
    const runReconcile = () => reconcile({ db: database.db, queues, logger, metrics, cards: cardsOn, replies: repliesOn });
    const handlers: ScheduleHandlers = { 'reconcile.run': async () => runReconcile() };
    for (const part of parts) Object.assign(handlers, part.scheduleHandlers ?? {});
    const scheduleWorker = createScheduleWorker({ connection, prefix: config.queuePrefix, logger, metrics, handlers });
    closers.push({ name: 'schedule worker', close: () => scheduleWorker.close() });
    await upsertSchedulers(queues.schedule, [
      { id: 'reconcile', repeat: { every: options.reconcileEveryMs ?? 5 * 60_000 }, job: { name: 'reconcile.run', data: { reason: 'schedule' } } },
    ]);

    let http: FastifyInstance | undefined;
    let address: string | undefined;
    if (options.http ?? true) {
      http = await createHttpServer({
        logger,
        metrics,
        readiness: [
          { name: 'database', check: async () => void (await sql`select 1`.execute(database.db)) },
          { name: 'redis', check: async () => void (await connection.ping()) },
          ...parts.flatMap((p) => p.readiness ?? []),
        ],
        routes: parts.flatMap((p) => p.routes ?? []),
      });
      closers.push({ name: 'http', close: () => http!.close() });
      address = await http.listen({ host: config.http.host, port: config.http.port });
    }

    for (const part of parts) await part.start?.();
    // Anything left pending by a crash or an emptied Redis is queued again now.
    await runReconcile();
    // Redis emptied while we run (FLUSHALL, a restart without its data) takes the
    // schedules with it, the reconciler's own included: check for that here, in
    // the process, and put everything back.
    const reconcileEveryMs = options.reconcileEveryMs ?? 5 * 60_000;
    let checking = false;
    const watchdog = setInterval(() => {
      if (checking) return;
      checking = true;
      restoreSchedulers(queues.schedule)
        .then(async (restored) => {
          if (restored.length === 0) return;
          logger.warn({ schedulers: restored }, 'Redis lost the schedules (emptied, or restarted without its data): restored them; queueing the pending work again');
          await runReconcile();
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'could not check the schedules in Redis; trying again later'))
        .finally(() => (checking = false));
    }, Math.min(reconcileEveryMs, 30_000));
    watchdog.unref();
    closers.push({ name: 'schedule watchdog', close: async () => clearInterval(watchdog) });
    logger.info(
      { address, parts: ['database', 'queues', 'http', ...parts.map((p) => p.name)], queues: Object.values(QUEUE_NAMES) },
      'ardzagank is running',
    );
    return { ctx, http, address, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
