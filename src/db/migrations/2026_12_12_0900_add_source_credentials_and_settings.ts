/**
 * Several sources per platform (issue 14):
 *
 * - `credentials_encrypted`: a credential stored encrypted (AES-256-GCM with
 *   the key in SOURCES_SECRET_KEY) when it is not read from the environment
 *   by name (`credentials_ref`). Never the clear text.
 * - `settings`: what a platform needs to know of the account beyond its id
 *   (a Telegram channel: the channel's id and public username, the linked
 *   discussion group being the source's `external_id`).
 * - `removed_at`: a source removed by an admin stays as a row, for the
 *   inquiries and reports that name it, but is no longer read, published to
 *   or listed as active; adding the account again brings it back.
 * - an index on `inquiries (source_id)` for the per-source counts.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded database runs one statement at a time.
const statements = [
  sql`alter table sources add column credentials_encrypted text`,
  sql`alter table sources add column settings jsonb not null default '{}'::jsonb`,
  sql`alter table sources add column removed_at timestamptz`,
  sql`create index inquiries_source_id_idx on inquiries (source_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
