/**
 * What citizens attach (DESIGN.md, Domain: an inquiry holds attachments,
 * kind and link): `inquiries.attachments` (its first item's) and
 * `inquiry_messages.attachments` (each item's), as a JSON list of
 * `{ "kind": "photo" | "video" | "audio" | "file" | "sticker" | "link" |
 * "location" | "other", "url": text or null }`; empty for items without any
 * and for the rows stored before. A photo arriving by webhook and the same
 * photo found by a poll are then the same item.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded PGlite runs one statement at a time.
const statements = [
  sql`alter table inquiries add column attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array')`,
  sql`alter table inquiry_messages add column attachments jsonb not null default '[]'::jsonb check (jsonb_typeof(attachments) = 'array')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
