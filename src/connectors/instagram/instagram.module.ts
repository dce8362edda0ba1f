/**
 * The Instagram professional account as a connector module (see `../registry.ts`):
 *
 * - its payloads are always read: poll batches stored as `instagram`, and
 *   webhook deliveries with `object: "instagram"`, which Meta sends to the
 *   Page's endpoint (`/webhooks/facebook`, same signature check) and which
 *   that endpoint stores as `facebook` (`alsoParses`);
 * - the connected accounts: INSTAGRAM_ACCOUNT_ID is the quick way for one
 *   (read and answered with FACEBOOK_PAGE_ACCESS_TOKEN, the token of the
 *   Page it is linked to), `ardzagank sources add instagram` adds more (each
 *   with the token of its Page); each gets its own Graph client (calls
 *   counted in `graphApiCalls` with source `instagram`), connector, and,
 *   unless FACEBOOK_POLL_EVERY=off, poll scheduler. An account without a
 *   token is a source whose webhooks are taken in.
 */
import { listConnectedSources } from '../../db/repositories/source.repository.js';
import type { SourceRow } from '../../db/schema.js';
import type { InboundItem } from '../../domain/inquiry.js';
import { ensureInstagramSource, FACEBOOK_CREDENTIALS_REF } from '../../inbox/source-health.workflow.js';
import type { ServiceContext } from '../../service-part.js';
import { scheduleSourcePolls } from '../meta/poll-schedules.js';
import type { ConnectedAccount, ConnectorModule } from '../connector.js';
import { resolveSourceCredential, type CredentialResult } from '../source-credentials.js';
import { createInstagramConnector } from './instagram.connector.js';
import { createInstagramGraphClient } from './instagram-graph-client.js';
import { isInstagramPollPayload, parseInstagramPollPayload } from './poll-payload.js';
import { isInstagramWebhook, parseInstagramWebhook } from './webhook-parser.js';

/** Every payload of the Instagram platform: a poll batch, or a webhook delivery. */
export function parseInstagramInbound(payload: unknown): InboundItem[] {
  return isInstagramPollPayload(payload) ? parseInstagramPollPayload(payload) : parseInstagramWebhook(payload);
}

/** The module's parts that need no I/O (tests build registries with it). */
export function instagramModuleOf(...accounts: ConnectedAccount[]): ConnectorModule {
  return {
    platform: 'instagram',
    parse: parseInstagramInbound,
    alsoParses: { platform: 'facebook', accepts: isInstagramWebhook },
    ...(accounts.length > 0 ? { accounts } : {}),
  };
}

export interface InstagramModuleTuning {
  graphTimeoutMs?: number;
  pollOverlapMs?: number;
}

export function createInstagramModule(tuning: InstagramModuleTuning = {}) {
  return async (ctx: ServiceContext): Promise<ConnectorModule> => {
    const { config, logger, metrics, database } = ctx;
    const secrets = ctx.secrets;
    const log = logger.child({ part: 'instagram' });
    const off: string[] = [];
    const { instagramAccountId, pageId } = config.facebook;
    // The quick way for one account: INSTAGRAM_ACCOUNT_ID, read with the Page's token.
    if (instagramAccountId) {
      const quick = await ensureInstagramSource(database.db, instagramAccountId);
      if (quick.removedAt) off.push(`Instagram account ${instagramAccountId} (source ${quick.id}) was removed with "ardzagank sources remove"; INSTAGRAM_ACCOUNT_ID does not bring it back: add it again with "ardzagank sources add instagram ${instagramAccountId} …".`);
    }
    const sources = await listConnectedSources(database.db, 'instagram');
    if (sources.length === 0) {
      off.push('Instagram connector is off: set INSTAGRAM_ACCOUNT_ID (the professional account linked to the Page, read with FACEBOOK_PAGE_ACCESS_TOKEN) or run "ardzagank sources add instagram" to turn it on.');
      return { ...instagramModuleOf(), off };
    }
    const accounts: Array<ConnectedAccount & { source: SourceRow }> = [];
    for (const source of sources) {
      const quickWay = source.credentialsRef === FACEBOOK_CREDENTIALS_REF && !source.credentialsEncrypted;
      if (quickWay && source.externalId !== instagramAccountId) {
        off.push(`Instagram connector is off for ${source.name} (source ${source.id}): INSTAGRAM_ACCOUNT_ID names another account now; add this one with "ardzagank sources add instagram ${source.externalId} …", or remove it with "ardzagank sources remove ${source.id}".`);
        continue;
      }
      const credential: CredentialResult = quickWay
        ? config.facebook.pageAccessToken
          ? { ok: true, credential: config.facebook.pageAccessToken }
          : { ok: false, missing: 'set FACEBOOK_PAGE_ACCESS_TOKEN (the token of the Page the account is linked to)' }
        : resolveSourceCredential(source, config);
      if (!credential.ok) {
        off.push(`Instagram connector is off for ${source.name} (source ${source.id}): ${credential.missing}, to poll the account and publish answers (its webhooks are taken in).`);
        continue;
      }
      if (!secrets.includes(credential.credential)) secrets.push(credential.credential);
      const accountLog = log.child({ sourceId: source.id });
      const graph = createInstagramGraphClient({
        baseUrl: config.facebook.graphApiUrl,
        version: config.facebook.graphApiVersion,
        accessToken: credential.credential,
        logger: accountLog,
        secrets,
        ...(tuning.graphTimeoutMs === undefined ? {} : { timeoutMs: tuning.graphTimeoutMs }),
        onCall: (call) => metrics.graphApiCalls.inc({ source: 'instagram', purpose: call.purpose }),
      });
      const connector = createInstagramConnector({
        graph,
        accountId: source.externalId,
        // The Send API and the conversations are the Page's: with a Page token `me` is that Page.
        pageId: quickWay && pageId ? pageId : 'me',
        lookbackDays: config.facebook.pollLookbackDays,
        logger: accountLog,
        ...(tuning.pollOverlapMs === undefined ? {} : { overlapMs: tuning.pollOverlapMs }),
      });
      accounts.push({ sourceId: source.id, connector, source });
    }
    return {
      ...instagramModuleOf(...accounts.map(({ sourceId, connector }) => ({ sourceId, connector }))),
      off,
      start: async () => {
        const every = config.facebook.pollEveryMinutes;
        await scheduleSourcePolls(ctx.queues.schedule, accounts.map((a) => a.source), every, log, 'Instagram');
      },
    };
  };
}

export const instagramModule = createInstagramModule();
