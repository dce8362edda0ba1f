/**
 * Posts the connected sources published, as their connectors read them from
 * the feeds (Facebook Page posts; the Telegram channel's posts and Instagram
 * media write here too). Unique per platform item, so a post seen by a
 * webhook and by a poll is one row. The year's "items published" counts them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Executor = Kysely<Database>;

export interface NewPublishedPost {
  sourceId: number | null;
  platform: string;
  externalId: string;
  /** What the platform calls it (`status`, `photo`, `video`, `reel`…), when known. */
  kind?: string | null;
  postedAt: Date;
}

/** Records a published post; false when it was recorded already. */
export async function insertPublishedPost(db: Executor, post: NewPublishedPost): Promise<boolean> {
  const row = await db
    .insertInto('publishedPosts')
    .values({ sourceId: post.sourceId, platform: post.platform, externalId: post.externalId, kind: post.kind ?? null, postedAt: post.postedAt })
    .onConflict((oc) => oc.columns(['platform', 'externalId']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
