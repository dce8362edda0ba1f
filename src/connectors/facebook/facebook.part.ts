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
 */
import { configSecrets } from '../../config.js';
import { createFacebookConnector } from './facebook.connector.js';
import { createGraphClient } from './graph-client.js';
import { facebookWebhookRoutes } from '../../http/webhooks/facebook.webhook.js';
import { jobId } from '../../queue/jobs.js';
import { upsertSchedulers } from '../../queue/schedulers.js';
import { createDeliverReplyWorker, type DeliverReplyWorkerDeps } from '../../queue/workers/deliver-reply.worker.js';
import { createSourcePollHandlers, sourcePollScheduler } from '../../queue/workers/source-poll.worker.js';
import { ensureFacebookSource } from '../../inbox/source-health.workflow.js';
import type { ServiceContext, ServicePart } from '../../service-part.js';

/** What a Facebook part needs from the service. */
export type FacebookPartContext = ServiceContext;

/** A running Facebook part. */
export type FacebookPart = ServicePart;

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
