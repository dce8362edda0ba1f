/**
 * The life of a connected source: created from configuration at start,
 * paused when its credentials die (with an audit event and an alert to the
 * admins in Telegram), slowed down when the platform throttles us, resumed
 * by an admin (`ardzagank sources resume <id>`).
 *
 * Pausing and throttling are platform-neutral; only
 * {@link ensureFacebookSource} is about Facebook.
 */
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { pauseSource, resumeSource, throttleSource, upsertSource } from '../db/repositories/source.repository.js';
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
    `${source.name} (source ${source.id}) is paused: ${source.platform === 'facebook' ? 'Facebook' : source.platform} no longer accepts its access token. ` +
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
