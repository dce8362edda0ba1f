import { sql, type Kysely, type Transaction } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Database, Platform, SourceRow } from '../schema.js';

type Executor = Kysely<Database>;

/**
 * Creates the source of a connected account, or refreshes its credentials
 * reference (never the credential itself); the cursor and the paused state
 * of an existing source are kept.
 */
export async function upsertSource(
  db: Executor,
  source: { platform: Platform; externalId: string; name: string; credentialsRef: string },
): Promise<SourceRow> {
  return db
    .insertInto('sources')
    .values({ platform: source.platform, externalId: source.externalId, name: source.name, credentialsRef: source.credentialsRef, cursor: '{}' })
    .onConflict((oc) => oc.columns(['platform', 'externalId']).doUpdateSet({ credentialsRef: source.credentialsRef, updatedAt: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findSourceById(db: Executor, id: number): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getSourceById(db: Executor, id: number): Promise<SourceRow> {
  const row = await findSourceById(db, id);
  if (!row) throw new NotFoundError('source', id);
  return row;
}

export async function findSourceByExternalId(db: Executor, platform: Platform, externalId: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('platform', '=', platform).where('externalId', '=', externalId).executeTakeFirst();
}

export async function listSources(db: Executor): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().orderBy('id').execute();
}

/** Locks the source for this transaction (cursor moves, pausing). */
export async function lockSource(trx: Transaction<Database>, id: number): Promise<SourceRow | undefined> {
  return trx.selectFrom('sources').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Pauses an enabled source; returns the row when this call paused it, undefined when it already was. */
export async function pauseSource(db: Executor, id: number, reason: string, at: Date): Promise<SourceRow | undefined> {
  return db
    .updateTable('sources')
    .set({ enabled: false, pausedReason: reason, pausedAt: at, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('enabled', '=', true)
    .returningAll()
    .executeTakeFirst();
}

/** Resumes a paused source; returns the row when this call resumed it, undefined when it was not paused. */
export async function resumeSource(db: Executor, id: number): Promise<SourceRow | undefined> {
  return db
    .updateTable('sources')
    .set({ enabled: true, pausedReason: null, pausedAt: null, throttledUntil: null, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('enabled', '=', false)
    .returningAll()
    .executeTakeFirst();
}

/** The platform asked to slow down: nothing is polled before `until` (an earlier `until` never shortens a later one). */
export async function throttleSource(db: Executor, id: number, until: Date): Promise<void> {
  await db
    .updateTable('sources')
    .set({ throttledUntil: sql<Date>`greatest(coalesce(throttled_until, ${until}), ${until})`, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A poll's results are committed: the cursor moves (inside the transaction that stored them). */
export async function recordPollSuccess(trx: Transaction<Database>, id: number, cursor: Record<string, unknown>, at: Date): Promise<void> {
  await trx
    .updateTable('sources')
    .set({ cursor: JSON.stringify(cursor), lastPolledAt: at, lastPollError: null, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A poll failed: the cursor stays; the scrubbed error is kept for `ardzagank sources`. */
export async function recordPollFailure(db: Executor, id: number, error: string, at: Date): Promise<void> {
  await db.updateTable('sources').set({ lastPolledAt: at, lastPollError: error, updatedAt: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * The sources of these platform accounts, in one round trip: a map from
 * `platform|externalId` to the source's id, holding only the accounts that
 * are sources (paused ones included: they are still the city's).
 */
export async function findSourceIdsOfAccounts(db: Executor, accounts: ReadonlyArray<{ platform: Platform; externalId: string }>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (accounts.length === 0) return found;
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'platform', 'externalId'])
    .where('externalId', 'in', [...new Set(accounts.map((a) => a.externalId))])
    .execute();
  for (const r of rows) found.set(`${r.platform}|${r.externalId}`, r.id);
  return found;
}

/**
 * The platform blocked the source from publishing: replies wait until
 * `until` (a later pause already recorded is kept), for `reason`. The caller
 * holds the source's lock and knows whether it was already paused.
 */
export async function pauseSourcePublishing(trx: Transaction<Database>, id: number, until: Date, reason: string): Promise<SourceRow> {
  return trx
    .updateTable('sources')
    .set({
      publishingPausedUntil: sql<Date>`greatest(coalesce(publishing_paused_until, ${until}), ${until})`,
      publishingPausedReason: reason,
      updatedAt: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ends a publishing pause still running at `at`; returns the row when this call ended one, undefined when there was none. */
export async function resumeSourcePublishing(db: Executor, id: number, at: Date): Promise<SourceRow | undefined> {
  return db
    .updateTable('sources')
    .set({ publishingPausedUntil: null, publishingPausedReason: null, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('publishingPausedUntil', '>', at)
    .returningAll()
    .executeTakeFirst();
}
