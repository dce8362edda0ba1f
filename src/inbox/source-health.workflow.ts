/**
 * The life of a connected source: created from configuration at start,
 * paused when its credentials die (with an audit event and an alert to the
 * admins in Telegram), slowed down when the platform throttles us, its
 * publishing paused for a while when the platform blocks it from posting
 * (Graph 368; polling goes on), resumed by an admin (`ardzagank sources
 * resume <id>`) or, for publishing, by the time passing.
 *
 * Pausing and throttling are platform-neutral; only
 * {@link ensureFacebookSource} is about Facebook.
 */
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import {
  lockSource,
  pauseSource,
  pauseSourcePublishing,
  resumeSource,
  resumeSourcePublishing,
  throttleSource,
  upsertSource,
} from '../db/repositories/source.repository.js';
import type { ErrorVerdict } from '../connectors/connector.js';
import type { SourceRow } from '../db/schema.js';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';

/** The environment variable that holds the Page token; stored as the source's credentials reference. */
export const FACEBOOK_CREDENTIALS_REF = 'FACEBOOK_PAGE_ACCESS_TOKEN';

/** The `sources` row of the configured Page (created on first start). */
export async function ensureFacebookSource(db: Db, pageId: string): Promise<SourceRow> {
  return upsertSource(db, { platform: 'facebook', externalId: pageId, name: `Facebook Page ${pageId}`, credentialsRef: FACEBOOK_CREDENTIALS_REF });
}

/** The `sources` row of the configured Instagram account (INSTAGRAM_ACCOUNT_ID; read with the Page's token). */
export async function ensureInstagramSource(db: Db, accountId: string): Promise<SourceRow> {
  return upsertSource(db, { platform: 'instagram', externalId: accountId, name: `Instagram account ${accountId}`, credentialsRef: FACEBOOK_CREDENTIALS_REF });
}

export interface SourceHealthDeps {
  db: Db;
  producers: Pick<Producers, 'adminAlert'>;
  logger: Logger;
  secrets?: readonly string[];
}

/**
 * The source's credentials were refused for good (Graph code 190): pause it,
 * record `source_paused`, and tell the admins. Returns true when this call
 * paused it (a second refusal while paused alerts nobody again).
 */
export async function pauseSourceForDeadCredentials(deps: SourceHealthDeps, source: SourceRow, detail: string, at: Date): Promise<boolean> {
  const cleanDetail = scrubSecrets(detail, deps.secrets).slice(0, 1_000);
  const credential = source.credentialsRef ?? 'the access token';
  const reason = `The platform refused the access token (${credential}); it expired or was revoked. ${cleanDetail}`.slice(0, 1_500);
  const paused = await deps.db.transaction().execute(async (trx) => {
    const row = await pauseSource(trx, source.id, reason, at);
    if (!row) return undefined;
    await insertEvent(trx, {
      type: 'source_paused',
      actorKind: 'system',
      occurredAt: at,
      payload: { sourceId: source.id, platform: source.platform, externalId: source.externalId, reason: 'credentials_refused', detail: cleanDetail },
    });
    return row;
  });
  if (!paused) return false;
  const message =
    `${source.name} (source ${source.id}) is paused: ${source.platform === 'facebook' ? 'Facebook' : source.platform === 'instagram' ? 'Instagram' : source.platform} no longer accepts its access token. ` +
    `Nothing is read from it or published to it until an admin sets a new ${credential}, restarts Ardzagank, and runs "ardzagank sources resume ${source.id}". ` +
    'Replies written meanwhile wait and go out after the resume.';
  deps.logger.error({ sourceId: source.id, detail: cleanDetail }, message);
  await deps.producers.adminAlert({ kind: 'source_paused', sourceId: source.id, message }, `source-paused-${source.id}-${at.getTime()}`);
  return true;
}

/** The platform asked us to slow down: polls of this source wait until `until`. */
export async function throttleSourceUntil(deps: Pick<SourceHealthDeps, 'db' | 'logger'>, source: Pick<SourceRow, 'id'>, until: Date, detail: string): Promise<void> {
  await throttleSource(deps.db, source.id, until);
  deps.logger.warn({ sourceId: source.id, until: until.toISOString(), detail }, 'the platform asked us to slow down; this source waits');
}

/** Why nothing is read from `source` now: paused (or removed), or throttled until a time; undefined when it may be read. */
export function sourceWaiting(source: Pick<SourceRow, 'enabled' | 'removedAt' | 'throttledUntil'>, now: Date): 'paused' | 'throttled' | undefined {
  if (!source.enabled || source.removedAt) return 'paused';
  if (source.throttledUntil && source.throttledUntil > now) return 'throttled';
  return undefined;
}

/**
 * A read from `source` (a poll, a mention's text) was refused: dead
 * credentials pause the source; a "slow down", or a block on publishing
 * (Graph 368) that refused the read too, makes it wait (`retryAfterMs`, else
 * `slowDownMs`). Returns what was done, or undefined when the verdict is not
 * about the source (the caller retries or fails the read).
 */
export async function holdSourceAfterReadRefusal(
  deps: SourceHealthDeps,
  source: SourceRow,
  verdict: ErrorVerdict,
  summary: string,
  now: Date,
  slowDownMs: number,
): Promise<{ status: 'paused' } | { status: 'throttled'; until: Date } | undefined> {
  if (verdict.action === 'pause_source') {
    await pauseSourceForDeadCredentials(deps, source, summary, now);
    return { status: 'paused' };
  }
  if (verdict.action === 'slow_down' || verdict.action === 'pause_publishing') {
    const until = new Date(now.getTime() + ((verdict.action === 'slow_down' ? verdict.retryAfterMs : undefined) ?? slowDownMs));
    await throttleSourceUntil(deps, source, until, summary);
    return { status: 'throttled', until };
  }
  return undefined;
}

/**
 * Resumes a paused source (an admin's decision) and records `source_resumed`.
 * Returns the row, or undefined when the source was not paused.
 */
export async function resumePausedSource(db: Db, sourceId: number, by: string, at: Date): Promise<SourceRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await resumeSource(trx, sourceId);
    if (!row) return undefined;
    await insertEvent(trx, { type: 'source_resumed', actorKind: 'system', occurredAt: at, payload: { sourceId, by } });
    return row;
  });
}

/**
 * The platform blocked the source from publishing for a while (Graph 368:
 * "temporarily blocked for policies violations"; Facebook says to wait and
 * retry): no reply of the source is posted before `until`, reading goes on.
 * Records `source_publishing_paused` and tells the admins when this call
 * started the pause; a second refusal meanwhile only keeps the later time.
 * Returns when publishing resumes by itself.
 */
export async function pauseSourcePublishingUntil(deps: SourceHealthDeps, source: SourceRow, detail: string, until: Date, at: Date): Promise<{ until: Date; started: boolean }> {
  const cleanDetail = scrubSecrets(detail, deps.secrets).slice(0, 1_000);
  const platform = source.platform === 'facebook' ? 'Facebook' : source.platform === 'instagram' ? 'Instagram' : source.platform;
  const reason = `${platform} temporarily blocked the account from publishing (Graph #368). ${cleanDetail}`.slice(0, 1_500);
  const result = await deps.db.transaction().execute(async (trx) => {
    const current = await lockSource(trx, source.id);
    const running = current?.publishingPausedUntil && current.publishingPausedUntil > at ? current.publishingPausedUntil : undefined;
    const row = await pauseSourcePublishing(trx, source.id, until, reason);
    const resumesAt = row.publishingPausedUntil ?? until;
    if (running) return { until: resumesAt, started: false };
    await insertEvent(trx, {
      type: 'source_publishing_paused',
      actorKind: 'system',
      occurredAt: at,
      payload: { sourceId: source.id, platform: source.platform, externalId: source.externalId, until: resumesAt.toISOString(), detail: cleanDetail },
    });
    return { until: resumesAt, started: true };
  });
  if (!result.started) return result;
  const message =
    `${source.name} (source ${source.id}): ${platform} has temporarily blocked the account from publishing (error 368, a policy enforcement, ` +
    `often for posting too much too fast). Replies are not published until ${result.until.toISOString()}; they wait and go out then. ` +
    `Comments and messages are still read. If ${platform} lifts the block earlier (see the Page's notifications), run "ardzagank sources resume ${source.id}" to send them now.`;
  deps.logger.error({ sourceId: source.id, until: result.until.toISOString(), detail: cleanDetail }, message);
  await deps.producers.adminAlert({ kind: 'source_publishing_paused', sourceId: source.id, message }, `source-publishing-paused-${source.id}-${at.getTime()}`);
  return result;
}

/**
 * Ends a publishing pause before its time (an admin's decision) and records
 * `source_publishing_resumed`. Returns the row, or undefined when publishing
 * was not paused at `at`.
 */
export async function resumePausedPublishing(db: Db, sourceId: number, by: string, at: Date): Promise<SourceRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await resumeSourcePublishing(trx, sourceId, at);
    if (!row) return undefined;
    await insertEvent(trx, { type: 'source_publishing_resumed', actorKind: 'system', occurredAt: at, payload: { sourceId, by } });
    return row;
  });
}
