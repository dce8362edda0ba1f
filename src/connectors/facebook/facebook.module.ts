/**
 * The Facebook Page as a connector module (see `../registry.ts`):
 *
 * - its payloads (webhook deliveries and poll batches) are always read;
 * - the connected Page (FACEBOOK_PAGE_ID + FACEBOOK_PAGE_ACCESS_TOKEN): the
 *   `sources` row, the Graph client (calls counted in `graphApiCalls`), the
 *   connector that polls and publishes, and, unless FACEBOOK_POLL_EVERY=off,
 *   a poll scheduler for the source; FACEBOOK_PAGE_ID alone makes the Page a
 *   source whose webhooks are taken in (items for any other Page are stored
 *   and ignored);
 * - the webhook endpoint (FACEBOOK_APP_SECRET + FACEBOOK_VERIFY_TOKEN):
 *   `GET|POST /webhooks/facebook`.
 */
import { configSecrets } from '../../config.js';
import { facebookWebhookRoutes } from '../../http/webhooks/facebook.webhook.js';
import { ensureFacebookSource } from '../../inbox/source-health.workflow.js';
import { jobId } from '../../queue/jobs.js';
import { sourcePollScheduler, upsertSchedulers } from '../../queue/schedulers.js';
import type { ServiceContext } from '../../service-part.js';
import type { ConnectedAccount, ConnectorModule } from '../connector.js';
import { createFacebookConnector } from './facebook.connector.js';
import { createGraphClient } from './graph-client.js';
import { parseFacebookInbound } from './inbound-parser.js';

/** The Facebook module's parts that need no I/O: its parser, and the account when one is connected (tests build registries with it). */
export function facebookModuleOf(account?: ConnectedAccount): ConnectorModule {
  return { platform: 'facebook', parse: parseFacebookInbound, ...(account ? { account } : {}) };
}

/** Tuning that tests (and only tests) change: timeouts, in milliseconds. */
export interface FacebookModuleTuning {
  graphTimeoutMs?: number;
  pollOverlapMs?: number;
}

/** The Facebook module; `tuning` is for tests. */
export function createFacebookModule(tuning: FacebookModuleTuning = {}) {
  return async (ctx: ServiceContext): Promise<ConnectorModule> => {
    const { config, logger, metrics, database } = ctx;
    const secrets = configSecrets(config);
    const log = logger.child({ part: 'facebook' });
    const off: string[] = [];
    const routes: NonNullable<ConnectorModule['routes']> = [];

    const { appSecret, verifyToken } = config.facebook;
    if (appSecret && verifyToken) {
      routes.push(facebookWebhookRoutes({ db: database.db, producers: ctx.producers, logger, metrics, appSecret, verifyToken, secrets }));
    } else {
      off.push('Facebook webhooks are off: set FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN to turn them on (polling still runs).');
    }

    const { pageId, pageAccessToken } = config.facebook;
    if (!pageId) {
      off.push(
        appSecret && verifyToken
          ? 'Facebook connector is off: set FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN to turn it on (until FACEBOOK_PAGE_ID names the Page, webhook deliveries are stored and ignored).'
          : 'Facebook connector is off: set FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN to turn it on.',
      );
      return { ...facebookModuleOf(), routes, off };
    }
    if (!pageAccessToken) {
      // The Page is a source: its webhooks are taken in; without the token nothing is polled or published.
      await ensureFacebookSource(database.db, pageId);
      off.push(`Facebook connector is off: set FACEBOOK_PAGE_ACCESS_TOKEN to poll Page ${pageId} and publish answers (its webhooks are taken in).`);
      return { ...facebookModuleOf(), routes, off };
    }

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

    return {
      ...facebookModuleOf({ sourceId: source.id, connector }),
      routes,
      off,
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

/** The Facebook module with production settings. */
export const facebookModule = createFacebookModule();
