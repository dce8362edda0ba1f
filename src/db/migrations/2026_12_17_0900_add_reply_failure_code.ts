/**
 * Why a reply failed, as a code and its parameters
 * (`{ "code": "dm_window_closed", "params": { "platform": "instagram", "ageDays": 9 } }`,
 * `domain/failure-reason.ts`), so that each staff member reads it in their
 * own language: `replies.failure`. `replies.failure_reason` keeps the English
 * sentence for logs and exports; rows failed before this have only that.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table replies add column failure jsonb check (failure is null or (jsonb_typeof(failure) = 'object' and failure ->> 'code' is not null))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
