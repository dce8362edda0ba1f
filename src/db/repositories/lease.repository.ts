import { sql, type Kysely } from 'kysely';
import type { Database, LeaseRow } from '../schema.js';

type Executor = Kysely<Database>;

/**
 * Takes lease `name` for `holder` for `ttlMs` from now (the database's
 * clock): when nobody holds it, when it expired, or when `holder` already
 * holds it (a renewal). One statement, so two instances asking at once
 * cannot both get it. True when `holder` holds it now.
 */
export async function takeLease(db: Executor, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const expiresAt = sql<Date>`now() + make_interval(secs => ${ttlMs / 1000})`;
  const row = await db
    .insertInto('leases')
    .values({ name, holder, acquiredAt: sql<Date>`now()`, renewedAt: sql<Date>`now()`, expiresAt })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({
          holder,
          // A renewal keeps when it was first taken.
          acquiredAt: sql<Date>`case when leases.holder = ${holder} then leases.acquired_at else now() end`,
          renewedAt: sql<Date>`now()`,
          expiresAt,
        })
        .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expiresAt', '<', sql<Date>`now()`)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Gives lease `name` up if `holder` holds it, so another instance can take it at once. */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** Who holds lease `name` (expired or not), if anyone. */
export async function findLease(db: Executor, name: string): Promise<LeaseRow | undefined> {
  return db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Removes the leases whose name starts with `prefix` that expired; returns
 * their holders. One statement, so of several instances asking at once
 * each expired lease is returned to one only.
 */
export async function deleteExpiredLeases(db: Executor, prefix: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('leases')
    .where('name', 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    .where('expiresAt', '<', sql<Date>`now()`)
    .returning('holder')
    .execute();
  return rows.map((r) => r.holder);
}
