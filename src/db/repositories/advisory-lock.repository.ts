import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Takes a PostgreSQL advisory lock named `key` until this transaction ends,
 * so one run of a periodic task happens at a time across instances; a
 * second one waits, then finds nothing left to do.
 */
export async function lockAdvisory(trx: Transaction<Database>, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
