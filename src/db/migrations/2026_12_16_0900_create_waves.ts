/**
 * Waves, statements and rumours (DESIGN.md, Domain: wave, statement, rumour).
 *
 * - `waves`: many inquiries about one thing. Suggested by the system or made
 *   by staff; confirmed, merged into another (`merged_into_id`), closed. Its
 *   one card in the staff group (`card_message_id`) is edited as it grows:
 *   `revision` goes up with every change, `card_revision` is the one the card
 *   shows, so an edit is made only when the card is behind and several
 *   changes cost one edit. A rumour has `rumour_at` and its rebuttal statement.
 * - `wave_members`: which inquiry is in which wave (an inquiry in one at most).
 * - `statements`: the official texts of a wave, interim or final; publishing
 *   one makes a reply (`replies.statement_id`) for every inquiry of the wave.
 * - `sources.statement_next_at`: the next free moment for a statement reply on
 *   that source, so replies of all statements together keep the source's pace.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

// One statement per query: the embedded database runs one statement at a time.
const statements = [
  sql`
    create table waves (
        id bigserial primary key,
        status text not null default 'suggested' check (status in ('suggested', 'confirmed', 'merged', 'closed')),
        title text not null,
        merged_into_id bigint references waves (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        first_posted_at timestamptz not null,
        revision integer not null default 1,
        card_chat_id bigint,
        card_message_id bigint,
        card_revision integer not null default 0,
        card_edited_at timestamptz,
        rumour_at timestamptz,
        rumour_by bigint references staff (id),
        rebuttal_statement_id bigint,
        rumour_alerts integer not null default 0
      )
  `,
  sql`
    create table wave_members (
        inquiry_id bigint primary key references inquiries (id),
        wave_id bigint not null references waves (id),
        joined_at timestamptz not null default now(),
        added_by bigint references staff (id)
      )
  `,
  sql`create index wave_members_wave on wave_members (wave_id)`,
  sql`
    create table statements (
        id bigserial primary key,
        wave_id bigint not null references waves (id),
        kind text not null check (kind in ('interim', 'final')),
        text text not null,
        staff_id bigint not null references staff (id),
        status text not null default 'draft' check (status in ('draft', 'awaiting_approval', 'published', 'cancelled')),
        created_at timestamptz not null default now(),
        approved_by bigint references staff (id),
        published_at timestamptz,
        preview_chat_id bigint,
        preview_message_id bigint
      )
  `,
  sql`create index statements_wave on statements (wave_id)`,
  sql`alter table waves add constraint waves_rebuttal_fk foreign key (rebuttal_statement_id) references statements (id)`,
  sql`alter table replies add column statement_id bigint references statements (id)`,
  sql`create index replies_statement on replies (statement_id) where statement_id is not null`,
  sql`alter table sources add column statement_next_at timestamptz`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
