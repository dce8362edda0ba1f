/**
 * Instagram mentions (issue 15): read what the citizen wrote, and answer it.
 *
 * - `replies.channel` takes `mention_reply`: a comment of the account on
 *   someone else's media or under their comment, published with
 *   `POST /{ig-user-id}/mentions` (Instagram Platform, IG User Mentions).
 * - `inquiries.details_pending`: the inquiry was taken in without its text
 *   and author (Instagram's `mentions` webhook gives only ids); a
 *   `mention.read` job fetches them (`mentioned_comment` /
 *   `mentioned_media`) and clears it; the reconciler queues the job again
 *   for any inquiry still pending, so a failed read is never lost.
 * - `inquiries.details_error`: why the read failed for good (the comment
 *   was deleted, comments are off on the media), scrubbed, as a code and its
 *   parameters like `replies.failure`; the card says so in its reader's language.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`alter table replies drop constraint replies_channel_check`,
  sql`alter table replies add constraint replies_channel_check check (channel in ('comment_reply', 'private_reply', 'messenger', 'mention_reply'))`,
  sql`alter table inquiries add column details_pending boolean not null default false`,
  sql`alter table inquiries add column details_error jsonb check (details_error is null or (jsonb_typeof(details_error) = 'object' and details_error ->> 'code' is not null))`,
  sql`
    -- The reconciler: mentions whose text is still to be read.
      create index inquiries_details_pending_idx on inquiries (id) where details_pending
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
