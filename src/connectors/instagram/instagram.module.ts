/**
 * The Instagram professional account as a connector module (see `../registry.ts`):
 *
 * - its payloads are always read: poll batches stored as `instagram`, and
 *   webhook deliveries with `object: "instagram"`, which Meta sends to the
 *   Page's endpoint (`/webhooks/facebook`, same signature check) and which
 *   that endpoint stores as `facebook` (`alsoParses`);
 * - the connected account (INSTAGRAM_ACCOUNT_ID, read and answered with
 *   FACEBOOK_PAGE_ACCESS_TOKEN through FACEBOOK_PAGE_ID): the `sources` row,
 *   the Graph client (calls counted in `graphApiCalls` with source
 *   `instagram`), the connector, and unless FACEBOOK_POLL_EVERY=off a poll
 *   scheduler; INSTAGRAM_ACCOUNT_ID alone makes the account a source whose
 *   webhooks are taken in.
 */
import { configSecrets } from '../../config.js';
import type { InboundItem } from '../../domain/inquiry.js';
import { ensureInstagramSource } from '../../inbox/source-health.workflow.js';
import { jobId } from '../../queue/jobs.js';
import { sourcePollScheduler, upsertSchedulers } from '../../queue/schedulers.js';
import type { ServiceContext } from '../../service-part.js';
import type { ConnectedAccount, ConnectorModule } from '../connector.js';
import { createInstagramConnector } from './instagram.connector.js';
import { createInstagramGraphClient } from './instagram-graph-client.js';
import { isInstagramPollPayload, parseInstagramPollPayload } from './poll-payload.js';
import { isInstagramWebhook, parseInstagramWebhook } from './webhook-parser.js';

/** Every payload of the Instagram platform: a poll batch, or a webhook delivery. */
export function parseInstagramInbound(payload: unknown): InboundItem[] {
  return isInstagramPollPayload(payload) ? parseInstagramPollPayload(payload) : parseInstagramWebhook(payload);
}

/** The module's parts that need no I/O (tests build registries with it). */
export function instagramModuleOf(account?: ConnectedAccount): ConnectorModule {
  return {
    platform: 'instagram',
    parse: parseInstagramInbound,
    alsoParses: { platform: 'facebook', accepts: isInstagramWebhook },
    ...(account ? { account } : {}),
  };
}

export interface InstagramModuleTuning {
  graphTimeoutMs?: number;
  pollOverlapMs?: number;
}

export function createInstagramModule(tuning: InstagramModuleTuning = {}) {
  return async (ctx: ServiceContext): Promise<ConnectorModule> => {
    const { config, logger, metrics, database } = ctx;
    const log = logger.child({ part: 'instagram' });
    const off: string[] = [];
    const { instagramAccountId: accountId, pageId, pageAccessToken } = config.facebook;
    if (!accountId) {
      off.push('Instagram connector is off: set INSTAGRAM_ACCOUNT_ID (the professional account linked to the Page) to turn it on.');
      return { ...instagramModuleOf(), off };
    }
    const source = await ensureInstagramSource(database.db, accountId);
    if (!pageAccessToken) {
      off.push(`Instagram connector is off: set FACEBOOK_PAGE_ACCESS_TOKEN to poll Instagram account ${accountId} and publish answers (its webhooks are taken in).`);
      return { ...instagramModuleOf(), off };
    }
    const graph = createInstagramGraphClient({
      baseUrl: config.facebook.graphApiUrl,
      version: config.facebook.graphApiVersion,
      accessToken: pageAccessToken,
      logger: log,
      secrets: configSecrets(config),
      ...(tuning.graphTimeoutMs === undefined ? {} : { timeoutMs: tuning.graphTimeoutMs }),
      onCall: (call) => metrics.graphApiCalls.inc({ source: 'instagram', purpose: call.purpose }),
    });
    const connector = createInstagramConnector({
      graph,
      accountId,
      // With a Page token `me` is the Page; FACEBOOK_PAGE_ID names it when set.
      pageId: pageId ?? 'me',
      lookbackDays: config.facebook.pollLookbackDays,
      logger: log,
      ...(tuning.pollOverlapMs === undefined ? {} : { overlapMs: tuning.pollOverlapMs }),
    });
    return {
      ...instagramModuleOf({ sourceId: source.id, connector }),
      off,
      start: async () => {
        const every = config.facebook.pollEveryMinutes;
        if (every === undefined) await ctx.queues.schedule.removeJobScheduler(jobId.sourcePollScheduler(source.id));
        else await upsertSchedulers(ctx.queues.schedule, [sourcePollScheduler(source.id, every)]);
        if (!source.enabled) {
          log.warn(
            { sourceId: source.id, pausedAt: source.pausedAt, reason: source.pausedReason },
            `Instagram source ${source.id} is paused; after setting a new token run "ardzagank sources resume ${source.id}".`,
          );
        }
      },
    };
  };
}

export const instagramModule = createInstagramModule();
