/**
 * Composition root: config → database (migrated) → queue transport (Redis or
 * PostgreSQL, `queue/transport.ts`) and queues →
 * connector registry (one module per platform) and parts (Telegram bot,
 * digest) → ONE worker per queue over its handler table → HTTP → schedulers.
 * The parts that are configured run; for each part that is off, one line
 * says which variable turns it on. A queue whose worker runs must have a
 * handler for every one of its jobs, or the service does not start.
 * `close()` stops everything in reverse order (SIGTERM/SIGINT call it).
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { telegramPart } from './bots/telegram.part.js';
import { configSecrets, type Config } from './config.js';
import { openDatabase, type OpenedDatabase } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { buildConnectorRegistry, DEFAULT_CONNECTORS, type ConnectorFactory } from './connectors/registry.js';
import { countInquiriesByStatus } from './db/repositories/inquiry.repository.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, registerStateGauges } from './observability/metrics.js';
import { reconcile } from './inbox/reconcile.workflow.js';
import { createIngestDeps } from './inbox/ingest-deps.js';
import { newInstanceId, startInstancePresence } from './inbox/instances.workflow.js';
import { assertCompleteTable, type JobHandler, type JobHandlers } from './queue/handlers.js';
import { jobsOf, QUEUE_NAMES, type JobName } from './queue/jobs.js';
import { closeQueues, createProducers, createQueues } from './queue/producers.js';
import { restoreSchedulers, upsertSchedulers } from './queue/schedulers.js';
import { appDatabaseUrl, checkQueueTransport, openQueueTransport } from './queue/transport.js';
import { messagesFor } from './bots/i18n/index.js';
import { solvedQuickReplies } from './inbox/solved-question.workflow.js';
import { createDeliverReplyWorker, type DeliverReplyWorkerDeps } from './queue/workers/deliver-reply.worker.js';
import { createIngestWorker } from './queue/workers/ingest.worker.js';
import { createScheduleWorker } from './queue/workers/schedule.worker.js';
import { createSourcePollHandlers } from './queue/workers/source-poll.worker.js';
import { createReadMentionHandlers } from './queue/workers/read-mention.worker.js';
import { createQueueWorker } from './queue/worker-factory.js';
import { digestPart } from './reports/digest/digest.part.js';
import { publicPagePart } from './reports/public/public-page.part.js';
import type { PartFactory, ServiceContext, ServicePart, WorkerSettings } from './service-part.js';

export type { PartFactory, ServiceContext, ServicePart } from './service-part.js';

/** Tuning of the delivery and polling workflows that tests (and only tests) change; times in milliseconds. */
export interface WorkflowTuning {
  delivery?: Pick<
    DeliverReplyWorkerDeps,
    'retryDelayMs' | 'parkDelayMs' | 'slowDownMs' | 'maxAttempts' | 'maxRateLimitMs' | 'highUsagePercent' | 'leaseMs' | 'publishingBlockMs' | 'concurrency'
  >;
  pollSlowDownMs?: number;
}

export interface StartOptions {
  config: Config;
  logger?: Logger;
  now?: () => Date;
  /** Extra parts (tests, demo). */
  parts?: PartFactory[];
  /** The parts that exist (default {@link DEFAULT_PARTS}; tests replace them). */
  defaultParts?: PartFactory[];
  /** The platforms (default `DEFAULT_CONNECTORS`; tests add or tune them). */
  connectors?: ConnectorFactory[];
  tuning?: WorkflowTuning;
  /** Listen on HTTP (default true). */
  http?: boolean;
  /** Reconcile interval (default 5 minutes). */
  reconcileEveryMs?: number;
  /**
   * The database, already being opened (`ardzagank start` starts the embedded
   * PostgreSQL while this module loads); the service closes it. Default: opened here.
   */
  database?: Promise<OpenedDatabase>;
}

export interface RunningService {
  ctx: ServiceContext;
  http: FastifyInstance | undefined;
  /** `http://host:port` once listening. */
  address: string | undefined;
  close(): Promise<void>;
}

/** The parts that exist besides the platforms; each says when it is off. */
export const DEFAULT_PARTS: PartFactory[] = [telegramPart, publicPagePart, digestPart];

/** A handler for the job of a part that is off: its scheduled runs are skipped with the part's off line. */
function offHandler(off: string): JobHandler<JobName> {
  return async (_job, log) => {
    log.debug(off);
    return { skipped: off };
  };
}

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
    const opening = options.database ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    opening.catch(() => undefined); // its failure is thrown below, after the queue check
    // Closed on every path, also when Redis is missing.
    closers.push({ name: 'database', close: () => opening.then((d) => d.close(), () => undefined) });
    await checkQueueTransport({ redisUrl: config.redisUrl });
    const database = await opening;
    const migrated = await migrateToLatest(database.db, logger);
    logger.info({ database: database.description, applied: migrated.applied.length }, 'database ready');

    const transport = await openQueueTransport({
      redisUrl: config.redisUrl,
      databaseUrl: appDatabaseUrl(config.databaseUrl, database),
      prefix: config.queuePrefix,
      name: 'ardzagank-queues',
      onError: (error) => logger.warn({ err: error }, 'queue connection error; retrying'),
    });
    closers.push({ name: 'queue transport', close: () => transport.close() });
    logger.info({ queues: transport.description }, 'queues ready');
    const queues = createQueues(transport);
    closers.push({ name: 'queues', close: () => closeQueues(queues) });
    const producers = createProducers(queues);
    const ctx: ServiceContext = { config, logger, metrics, database, queues, producers, transport, now, instanceId: newInstanceId(), secrets, telegramUpdateRoutes: [], telegramUpdateKinds: [] };

    registerStateGauges(metrics, {
      queueCounts: async () =>
        Object.fromEntries(
          await Promise.all(
            Object.entries(queues).map(async ([name, q]) => [name, await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')] as const),
          ),
        ),
      inquiriesByStatus: () => countInquiriesByStatus(database.db),
    });

    const registry = await buildConnectorRegistry(ctx, options.connectors ?? DEFAULT_CONNECTORS);
    for (const module of registry.modules) {
      if (module.telegramUpdates) ctx.telegramUpdateRoutes.push(module.telegramUpdates);
      ctx.telegramUpdateKinds.push(...(module.telegramUpdateKinds ?? []));
    }
    ctx.connectors = registry;
    for (const module of registry.modules) {
      for (const line of module.off ?? []) logger.info(line);
      if (module.close) closers.push({ name: `${module.platform} connector`, close: module.close });
    }

    const parts: ServicePart[] = [];
    const handlers: JobHandlers = {};
    const settings: Partial<Record<keyof typeof QUEUE_NAMES, WorkerSettings>> = {};
    const addHandlers = (more: JobHandlers, owner: string) => {
      for (const name of Object.keys(more) as JobName[]) {
        if (handlers[name]) throw new Error(`Two parts handle the job "${name}" (the second is ${owner}): keep one.`);
      }
      Object.assign(handlers, more);
    };
    for (const factory of [...(options.defaultParts ?? DEFAULT_PARTS), ...(options.parts ?? [])]) {
      const part = await factory(ctx);
      if ('off' in part) {
        logger.info(part.off);
        addHandlers(Object.fromEntries((factory.jobs ?? []).map((name) => [name, offHandler(part.off)])), 'an off part');
        continue;
      }
      parts.push(part);
      addHandlers(part.handlers ?? {}, part.name);
      Object.assign(settings, part.workers ?? {});
      if (part.close) closers.push({ name: part.name, close: part.close });
    }

    const secretsOf = secrets;
    const tuning = options.tuning ?? {};
    const cardsOn = jobsOf('notify').some((name) => handlers[name] !== undefined);
    const runReconcile = () => reconcile({ db: database.db, queues, logger, metrics, cards: cardsOn, replies: registry.publishes, mentions: registry.publishes });
    const ingestDeps = createIngestDeps({ db: database.db, config, logger, now, registry });
    addHandlers(
      {
        'reconcile.run': async () => runReconcile(),
        ...createSourcePollHandlers({
          db: database.db,
          producers,
          logger,
          metrics,
          now,
          registry,
          secrets: secretsOf,
          ...(tuning.pollSlowDownMs === undefined ? {} : { slowDownMs: tuning.pollSlowDownMs }),
        }),
        // What an Instagram mention says is read after it was taken in (its webhook gives only ids).
        ...createReadMentionHandlers({
          db: database.db,
          producers,
          logger,
          now,
          registry,
          secrets: secretsOf,
          suggestSector: ingestDeps.suggestSector,
          isLowPriority: ingestDeps.isLowPriority,
          slaDueAt: ingestDeps.slaDueAt,
          ...(ingestDeps.waves ? { waves: ingestDeps.waves } : {}),
          ...(ingestDeps.resolutionDueAt ? { resolutionDueAt: ingestDeps.resolutionDueAt } : {}),
          ...(tuning.pollSlowDownMs === undefined ? {} : { slowDownMs: tuning.pollSlowDownMs }),
        }),
      },
      'the core',
    );

    // One worker per queue, each over a complete handler table (checked before anything runs).
    const scheduleHandlers = assertCompleteTable('schedule', handlers);
    const notifyHandlers = cardsOn ? assertCompleteTable('notify', handlers) : undefined;
    const workerBase = { db: database.db, producers, logger, metrics, transport, secrets };
    const ingestWorker = createIngestWorker({ ...workerBase, ingest: ingestDeps });
    closers.push({ name: 'ingest worker', close: () => ingestWorker.close() });
    // Replies wait in the queue (and in Postgres) while no platform can publish, as cards wait while the bot is off.
    if (registry.publishes) {
      const t = messagesFor(config.locale);
      const quickRepliesFor = (reply: { inquiryId: number }) => solvedQuickReplies(reply.inquiryId, { yes: t.solvedYes, no: t.solvedNo });
      const deliverWorker = createDeliverReplyWorker({ ...workerBase, now, registry, quickRepliesFor, ...tuning.delivery });
      closers.push({ name: 'deliver worker', close: () => deliverWorker.close() });
    } else {
      logger.info('Publishing replies is off: no platform has a connected account (the lines above say which variables connect one); staff replies wait in the queue until one does.');
    }
    if (notifyHandlers) {
      const notifyWorker = createQueueWorker({ queue: QUEUE_NAMES.notify, handlers: notifyHandlers, transport, logger, metrics, ...settings.notify });
      closers.push({ name: 'notify worker', close: () => notifyWorker.close() });
    }
    const scheduleWorker = createScheduleWorker({ transport, logger, metrics, handlers: scheduleHandlers });
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
          { name: 'queues', check: () => transport.ping() },
          ...parts.flatMap((p) => p.readiness ?? []),
        ],
        routes: [...registry.modules.flatMap((m) => m.routes ?? []), ...parts.flatMap((p) => p.routes ?? [])],
      });
      closers.push({ name: 'http', close: () => http!.close() });
      address = await http.listen({ host: config.http.host, port: config.http.port });
    }

    for (const module of registry.modules) await module.start?.();
    for (const part of parts) await part.start?.();
    // Anything left pending by a crash or emptied queues is queued again now.
    await runReconcile();
    // …and whenever another instance on this database dies (within INSTANCE_LEASE_SECONDS).
    const presence = await startInstancePresence({
      db: database.db,
      instanceId: ctx.instanceId,
      ttlMs: config.instanceLeaseSeconds * 1000,
      logger,
      onPeersLost: async () => void (await runReconcile()),
    });
    closers.push({ name: 'instance presence', close: () => presence.close() });
    // Queues emptied while we run (Redis FLUSHALL or a restart without its data;
    // the queue tables truncated) take the schedules with them, the reconciler's
    // own included: check for that here, in the process, and put everything back.
    const reconcileEveryMs = options.reconcileEveryMs ?? 5 * 60_000;
    let checking = false;
    const watchdog = setInterval(() => {
      if (checking) return;
      checking = true;
      restoreSchedulers(queues.schedule)
        .then(async (restored) => {
          if (restored.length === 0) return;
          logger.warn({ schedulers: restored }, 'the queues lost the schedules (emptied, or restarted without their data): restored them; queueing the pending work again');
          await runReconcile();
        })
        .catch(async (error: unknown) => {
          logger.warn({ err: error }, 'could not check the schedules in the queues; trying again later');
          // The queue tables dropped (PostgreSQL) make every check fail: create them again, so the next one restores the rest.
          await transport.restore().catch((restoreError: unknown) => logger.warn({ err: restoreError }, 'could not create the queues again; trying again later'));
        })
        .finally(() => (checking = false));
    }, Math.min(reconcileEveryMs, 30_000));
    watchdog.unref();
    closers.push({ name: 'schedule watchdog', close: async () => clearInterval(watchdog) });
    logger.info(
      {
        address,
        instance: ctx.instanceId,
        parts: ['database', 'queues', 'http', ...registry.modules.filter((m) => (m.accounts ?? []).length > 0).map((m) => m.platform), ...parts.map((p) => p.name)],
        queues: Object.values(QUEUE_NAMES),
      },
      'ardzagank is running',
    );
    return { ctx, http, address, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
