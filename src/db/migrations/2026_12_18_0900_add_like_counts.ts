/**
 * `inquiry_messages.like_count`: how many people liked the citizen's item on
 * its platform (Facebook Comment `like_count`, IG Comment `like_count`), as
 * the latest poll saw it; 0 until a poll sees it (webhooks carry no likes)
 * and for items that cannot be liked (messages). A wave card shows its
 * members' most-liked questions by the sum over each inquiry's items.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// Adding a column with a constant default rewrites nothing (PostgreSQL 11+).
const statements = [sql`alter table inquiry_messages add column like_count integer not null default 0 check (like_count >= 0)`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
