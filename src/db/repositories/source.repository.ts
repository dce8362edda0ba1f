import { sql, type Kysely, type Transaction } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Database, Platform, SourceRow } from '../schema.js';

type Executor = Kysely<Database>;

/**
 * Creates the source of a connected account, or refreshes its credentials
 * reference (never the credential itself); the cursor and the paused state
 * of an existing source are kept. A source an admin removed stays removed
 * (the environment's quick way must not bring it back behind their back)
 * unless `restore` is set (`ardzagank sources add` of the same account).
 * `credentialsEncrypted` and `settings`, when given, replace the stored ones.
 */
export async function upsertSource(
  db: Executor,
  source: {
    platform: Platform;
    externalId: string;
    name: string;
    credentialsRef: string | null;
    credentialsEncrypted?: string | null;
    settings?: Record<string, unknown>;
    restore?: boolean;
  },
): Promise<SourceRow> {
  const settings = source.settings === undefined ? undefined : JSON.stringify(source.settings);
  return db
    .insertInto('sources')
    .values({
      platform: source.platform,
      externalId: source.externalId,
      name: source.name,
      credentialsRef: source.credentialsRef,
      credentialsEncrypted: source.credentialsEncrypted ?? null,
      cursor: '{}',
      ...(settings === undefined ? {} : { settings }),
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'externalId']).doUpdateSet({
        credentialsRef: source.credentialsRef,
        ...(source.credentialsEncrypted === undefined ? {} : { credentialsEncrypted: source.credentialsEncrypted }),
        ...(settings === undefined ? {} : { settings }),
        ...(source.restore ? { name: source.name, removedAt: null } : {}),
        updatedAt: sql<Date>`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The sources of `platform` that are connected (not removed), paused ones included, oldest first. */
export async function listConnectedSources(db: Executor, platform: Platform): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().where('platform', '=', platform).where('removedAt', 'is', null).orderBy('id').execute();
}

/** An admin removed the source: nothing is read from it or published to it any more; its row stays for the inquiries and reports that name it. */
export async function markSourceRemoved(db: Executor, id: number, at: Date): Promise<SourceRow | undefined> {
  return db
    .updateTable('sources')
    .set({ removedAt: at, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .where('removedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Every source's id and name (removed ones included: reports name the sources of past inquiries). */
export async function listSourceNames(db: Executor): Promise<Map<number, { platform: Platform; name: string }>> {
  const rows = await db.selectFrom('sources').select(['id', 'platform', 'name']).execute();
  return new Map(rows.map((r) => [Number(r.id), { platform: r.platform, name: r.name }]));
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

/** Every source, removed ones only when asked for. */
export async function listSources(db: Executor, options: { removed?: boolean } = {}): Promise<SourceRow[]> {
  let query = db.selectFrom('sources').selectAll().orderBy('id');
  if (!options.removed) query = query.where('removedAt', 'is', null);
  return query.execute();
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
 * are sources (paused ones included: they are still the city's; removed
 * ones not).
 */
export async function findSourceIdsOfAccounts(db: Executor, accounts: ReadonlyArray<{ platform: Platform; externalId: string }>): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (accounts.length === 0) return found;
  const rows = await db
    .selectFrom('sources')
    .select(['id', 'platform', 'externalId'])
    .where('externalId', 'in', [...new Set(accounts.map((a) => a.externalId))])
    .where('removedAt', 'is', null)
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
