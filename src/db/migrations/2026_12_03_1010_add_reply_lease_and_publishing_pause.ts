/**
 * Publishing exactly once (issue 12):
 *
 * - `replies.lease_token`, `replies.lease_expires_at`: the delivery attempt
 *   that owns a pending reply. An attempt takes the lease with one conditional
 *   UPDATE (free, or expired because its holder died) before it looks on the
 *   platform or posts; another attempt meanwhile backs off. Recording the
 *   outcome releases it; an attempt whose outcome is unknown (a timeout) keeps
 *   it until it expires, so a POST the platform is still processing lands
 *   before anyone looks for it.
 * - `sources.publishing_paused_until`, `sources.publishing_paused_reason`: the
 *   platform blocked the account from posting for a while (Graph code 368);
 *   replies wait until then (or `ardzagank sources resume`), polling goes on.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded PGlite runs one statement at a time.
const statements = [
  sql`alter table replies add column lease_token text`,
  sql`alter table replies add column lease_expires_at timestamptz`,
  sql`alter table replies add constraint replies_lease_whole check ((lease_token is null) = (lease_expires_at is null))`,
  sql`alter table sources add column publishing_paused_until timestamptz`,
  sql`alter table sources add column publishing_paused_reason text`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
