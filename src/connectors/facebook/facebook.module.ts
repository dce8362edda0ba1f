/**
 * The Facebook Page as a connector module (see `../registry.ts`):
 *
 * - its payloads (webhook deliveries and poll batches) are always read;
 * - the connected Pages: FACEBOOK_PAGE_ID (+ FACEBOOK_PAGE_ACCESS_TOKEN) is
 *   the quick way for one, `ardzagank sources add facebook-page` adds more;
 *   each `sources` row with a token (from the environment by name, or stored
 *   encrypted) gets its own Graph client (calls counted in `graphApiCalls`),
 *   its own connector that polls and publishes with that Page's token, and,
 *   unless FACEBOOK_POLL_EVERY=off, its own poll scheduler; a Page without a
 *   token is a source whose webhooks are taken in (items for any other Page
 *   are stored and ignored);
 * - the webhook endpoint (FACEBOOK_APP_SECRET + FACEBOOK_VERIFY_TOKEN):
 *   `GET|POST /webhooks/facebook`.
 */
import { facebookWebhookRoutes } from '../../http/webhooks/facebook.webhook.js';
import { listConnectedSources } from '../../db/repositories/source.repository.js';
import type { SourceRow } from '../../db/schema.js';
import { ensureFacebookSource, FACEBOOK_CREDENTIALS_REF } from '../../inbox/source-health.workflow.js';
import type { ServiceContext } from '../../service-part.js';
import { scheduleSourcePolls } from '../meta/poll-schedules.js';
import type { ConnectedAccount, ConnectorModule } from '../connector.js';
import { resolveSourceCredential, type CredentialResult } from '../source-credentials.js';
import { createFacebookConnector } from './facebook.connector.js';
import { createGraphClient } from './graph-client.js';
import { parseFacebookInbound } from './inbound-parser.js';

/** The Facebook module's parts that need no I/O: its parser, and the accounts connected (tests build registries with it). */
export function facebookModuleOf(...accounts: ConnectedAccount[]): ConnectorModule {
  return { platform: 'facebook', parse: parseFacebookInbound, ...(accounts.length > 0 ? { accounts } : {}) };
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
    const secrets = ctx.secrets;
    const log = logger.child({ part: 'facebook' });
    const off: string[] = [];
    const routes: NonNullable<ConnectorModule['routes']> = [];

    const { appSecret, verifyToken } = config.facebook;
    if (appSecret && verifyToken) {
      routes.push(facebookWebhookRoutes({ db: database.db, producers: ctx.producers, logger, metrics, appSecret, verifyToken, secrets }));
    } else {
      off.push('Facebook webhooks are off: set FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN to turn them on (polling still runs).');
    }

    // The quick way for one Page: FACEBOOK_PAGE_ID (+ FACEBOOK_PAGE_ACCESS_TOKEN) makes it a source.
    const { pageId } = config.facebook;
    if (pageId) {
      const quick = await ensureFacebookSource(database.db, pageId);
      if (quick.removedAt) off.push(`Facebook Page ${pageId} (source ${quick.id}) was removed with "ardzagank sources remove"; FACEBOOK_PAGE_ID does not bring it back: add it again with "ardzagank sources add facebook-page ${pageId} …".`);
    }
    // Every connected Page (the environment's and those added with "ardzagank sources add"): one connector each, with its own token.
    const sources = await listConnectedSources(database.db, 'facebook');
    if (sources.length === 0) {
      off.push(
        appSecret && verifyToken
          ? 'Facebook connector is off: set FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN (or run "ardzagank sources add facebook-page") to turn it on (until a Page is a source, webhook deliveries are stored and ignored).'
          : 'Facebook connector is off: set FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN (or run "ardzagank sources add facebook-page") to turn it on.',
      );
      return { ...facebookModuleOf(), routes, off };
    }

    const accounts: Array<ConnectedAccount & { source: SourceRow }> = [];
    for (const source of sources) {
      if (source.credentialsRef === FACEBOOK_CREDENTIALS_REF && !source.credentialsEncrypted && source.externalId !== pageId) {
        // FACEBOOK_PAGE_ACCESS_TOKEN is the token of the Page FACEBOOK_PAGE_ID names now, not of the one it named before.
        off.push(`Facebook connector is off for ${source.name} (source ${source.id}): FACEBOOK_PAGE_ID names another Page now; add this one with "ardzagank sources add facebook-page ${source.externalId} …" to read it again, or remove it with "ardzagank sources remove ${source.id}".`);
        continue;
      }
      // The quick way's token is the validated FACEBOOK_PAGE_ACCESS_TOKEN; the others are resolved by their source.
      const credential: CredentialResult =
        source.credentialsRef === FACEBOOK_CREDENTIALS_REF && !source.credentialsEncrypted
          ? config.facebook.pageAccessToken
            ? { ok: true, credential: config.facebook.pageAccessToken }
            : { ok: false, missing: `set FACEBOOK_PAGE_ACCESS_TOKEN` }
          : resolveSourceCredential(source, config);
      if (!credential.ok) {
        // The Page is a source: its webhooks are taken in; without the token nothing is polled or published.
        off.push(`Facebook connector is off for ${source.name} (source ${source.id}): ${credential.missing}, to poll the Page and publish answers (its webhooks are taken in).`);
        continue;
      }
      if (!secrets.includes(credential.credential)) secrets.push(credential.credential);
      const pageLog = log.child({ sourceId: source.id });
      const graph = createGraphClient({
        baseUrl: config.facebook.graphApiUrl,
        version: config.facebook.graphApiVersion,
        accessToken: credential.credential,
        logger: pageLog,
        secrets,
        ...(tuning.graphTimeoutMs === undefined ? {} : { timeoutMs: tuning.graphTimeoutMs }),
        onCall: (call) => metrics.graphApiCalls.inc({ source: 'facebook', purpose: call.purpose }),
      });
      const connector = createFacebookConnector({
        graph,
        pageId: source.externalId,
        lookbackDays: config.facebook.pollLookbackDays,
        logger: pageLog,
        ...(tuning.pollOverlapMs === undefined ? {} : { overlapMs: tuning.pollOverlapMs }),
      });
      accounts.push({ sourceId: source.id, connector, source });
    }

    return {
      ...facebookModuleOf(...accounts.map(({ sourceId, connector }) => ({ sourceId, connector }))),
      routes,
      off,
      start: async () => {
        const every = config.facebook.pollEveryMinutes;
        await scheduleSourcePolls(ctx.queues.schedule, accounts.map((a) => a.source), every, log, 'Facebook Page');
        if (every === undefined && accounts.length > 0) log.info('Facebook polling is off (FACEBOOK_POLL_EVERY=off): only webhooks bring comments and messages in.');
      },
    };
  };
}

/** The Facebook module with production settings. */
export const facebookModule = createFacebookModule();
