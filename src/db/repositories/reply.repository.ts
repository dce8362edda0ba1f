import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Executor = Kysely<Database>;

/** Replies still to publish (for the reconciler). */
export async function findPendingReplyIds(db: Executor, limit: number, afterId = 0): Promise<number[]> {
  const rows = await db
    .selectFrom('replies')
    .select('id')
    .where('status', '=', 'pending')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
