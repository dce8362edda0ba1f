/**
 * The Facebook parts of the service, as the composition root (`main.ts`)
 * builds them. Each factory returns the part, or `{ off }` with the one line
 * that says which variable turns it on.
 *
 * - `facebook` (FACEBOOK_PAGE_ID + FACEBOOK_PAGE_ACCESS_TOKEN): the Page's
 *   `sources` row, the Graph client (calls counted in `graphApiCalls`), the
 *   `reply.deliver` worker and, unless FACEBOOK_POLL_EVERY=off, a poll
 *   scheduler for the source.
 * - `facebook-webhooks` (FACEBOOK_APP_SECRET + FACEBOOK_VERIFY_TOKEN):
 *   `GET|POST /webhooks/facebook`.
 *
 * The context and part types are structural copies of `main.ts`'s
 * `ServiceContext` and `ServicePart` (nothing imports `main.ts`).
 */
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { configSecrets, type Config } from '../config.js';
import { createFacebookConnector } from '../connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../connectors/facebook/graph-client.js';
import type { OpenedDatabase } from '../db/create-db.js';
import { facebookWebhookRoutes } from '../http/webhooks/facebook.webhook.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { jobId } from '../queue/jobs.js';
import type { Producers, Queues } from '../queue/producers.js';
import { upsertSchedulers, type ScheduleHandlers } from '../queue/schedulers.js';
import { createDeliverReplyWorker, type DeliverReplyWorkerDeps } from '../queue/workers/deliver-reply.worker.js';
import { createSourcePollHandlers, sourcePollScheduler } from '../queue/workers/source-poll.worker.js';
import { ensureFacebookSource } from './facebook-source.service.js';

/** What a Facebook part needs from the service (a subset of `ServiceContext`). */
export interface FacebookPartContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: OpenedDatabase;
  queues: Queues;
  producers: Producers;
  connection: Redis;
  now: () => Date;
}

/** A running part (same shape as `ServicePart`). */
export interface FacebookPart {
  name: string;
  workers?: Worker[];
  routes?: Array<(app: FastifyInstance) => void | Promise<void>>;
  scheduleHandlers?: ScheduleHandlers;
  start?: () => Promise<void>;
  close?: () => Promise<void>;
}

/** Tuning that tests (and only tests) change: timeouts and delays, in milliseconds. */
export interface FacebookPartTuning {
  graphTimeoutMs?: number;
  delivery?: Pick<DeliverReplyWorkerDeps, 'retryDelayMs' | 'parkDelayMs' | 'slowDownMs' | 'maxAttempts' | 'maxRateLimitMs' | 'highUsagePercent'>;
  pollSlowDownMs?: number;
  pollOverlapMs?: number;
}

/** The Facebook Page connector part; `tuning` is for tests. */
export function createFacebookPart(tuning: FacebookPartTuning = {}) {
  return async (ctx: FacebookPartContext): Promise<FacebookPart | { off: string }> => {
    const { config, logger, metrics, database, producers, connection, now } = ctx;
    const { pageId, pageAccessToken } = config.facebook;
    if (!pageId || !pageAccessToken) return { off: 'Facebook connector is off: set FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN to turn it on.' };
    const secrets = configSecrets(config);
    const log = logger.child({ part: 'facebook' });

    const graph = createGraphClient({
      baseUrl: config.facebook.graphApiUrl,
      version: config.facebook.graphApiVersion,
      accessToken: pageAccessToken,
      logger: log,
      secrets,
      ...(tuning.graphTimeoutMs === undefined ? {} : { timeoutMs: tuning.graphTimeoutMs }),
      onCall: (call) => metrics.graphApiCalls.inc({ source: 'facebook', purpose: call.purpose }),
    });
    const connector = createFacebookConnector({
      graph,
      pageId,
      lookbackDays: config.facebook.pollLookbackDays,
      logger: log,
      ...(tuning.pollOverlapMs === undefined ? {} : { overlapMs: tuning.pollOverlapMs }),
    });
    const source = await ensureFacebookSource(database.db, pageId);

    const deliverWorker = createDeliverReplyWorker({
      db: database.db,
      producers,
      logger: log,
      metrics,
      connection,
      prefix: config.queuePrefix,
      now,
      connectors: { facebook: connector },
      sourceIds: { facebook: source.id },
      secrets,
      ...tuning.delivery,
    });
    const scheduleHandlers = createSourcePollHandlers({
      db: database.db,
      producers,
      logger: log,
      metrics,
      now,
      connectors: { facebook: connector },
      secrets,
      ...(tuning.pollSlowDownMs === undefined ? {} : { slowDownMs: tuning.pollSlowDownMs }),
    });

    return {
      name: 'facebook',
      workers: [deliverWorker],
      scheduleHandlers,
      start: async () => {
        const every = config.facebook.pollEveryMinutes;
        if (every === undefined) {
          await ctx.queues.schedule.removeJobScheduler(jobId.sourcePollScheduler(source.id));
          log.info('Facebook polling is off (FACEBOOK_POLL_EVERY=off): only webhooks bring comments and messages in.');
        } else {
          await upsertSchedulers(ctx.queues.schedule, [sourcePollScheduler(source.id, every)]);
        }
        if (!source.enabled) {
          log.warn(
            { sourceId: source.id, pausedAt: source.pausedAt, reason: source.pausedReason },
            `Facebook Page source ${source.id} is paused; after setting a new token run "ardzagank sources resume ${source.id}".`,
          );
        }
      },
    };
  };
}

/** The Facebook webhook part. */
export async function facebookWebhooksPart(ctx: FacebookPartContext): Promise<FacebookPart | { off: string }> {
  const { appSecret, verifyToken } = ctx.config.facebook;
  if (!appSecret || !verifyToken) {
    return { off: 'Facebook webhooks are off: set FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN to turn them on (polling still runs).' };
  }
  return {
    name: 'facebook-webhooks',
    routes: [
      facebookWebhookRoutes({
        db: ctx.database.db,
        producers: ctx.producers,
        logger: ctx.logger,
        metrics: ctx.metrics,
        appSecret,
        verifyToken,
        secrets: configSecrets(ctx.config),
      }),
    ],
  };
}

/** The default Facebook connector part (production tuning). */
export const facebookPart = createFacebookPart();
