/**
 * Business-hours first-response time, stored with each inquiry.
 *
 * `business_calendar` holds one row per local day: its opening instant, its
 * business minutes (0 on a closed day) and the business minutes of all days
 * before it. The service fills it from BUSINESS_HOURS, HOLIDAYS, TIMEZONE
 * and Armenia's legal calendar (src/reports/business-calendar.service.ts),
 * and rebuilds it, recomputing every stored value, when those change
 * (`business_calendar_state.fingerprint`).
 *
 * `inquiries.frt_business_minutes` is set by a trigger whenever a first
 * response (or the posting time) is written, whoever writes it: ingest
 * (native answers), reply delivery, import, the bot. Reports aggregate it
 * directly instead of computing business hours row by row.
 *
 * Forward-only: never edit this file after it has landed.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`
    create table business_calendar (
        day date primary key,
        -- Opening instant of the day's window; null when the office is closed.
        open_at timestamptz,
        -- Business minutes of the day (0 when closed).
        len_minutes double precision not null,
        -- Business minutes of all earlier days in the table.
        cum_minutes double precision not null
      )
  `,
  sql`
    create table business_calendar_state (
        id smallint primary key default 1 check (id = 1),
        -- Hash of the time zone, business hours and days off the calendar was built from.
        fingerprint text not null,
        timezone text not null,
        first_day date not null,
        last_day date not null,
        built_at timestamptz not null default now()
      )
  `,
  sql`
    alter table inquiries add column frt_business_minutes double precision
  `,
  sql`
    -- Business minutes from the start of the calendar to an instant; null outside it.
      -- PL/pgSQL, not SQL: its query plans are cached for the session, so a trigger
      -- calling it per row stays cheap.
      create function business_minutes_at(t timestamptz) returns double precision
      language plpgsql stable as $fn$
      declare
        tz text;
        minutes double precision;
      begin
        select s.timezone into tz from business_calendar_state as s where s.id = 1;
        if tz is null or t is null then
          return null;
        end if;
        select c.cum_minutes + case when c.len_minutes > 0
                 then least(greatest((date_part('epoch', t) - date_part('epoch', c.open_at)) / 60, 0), c.len_minutes)
                 else 0 end
          into minutes
          from business_calendar as c
         where c.day = (t at time zone tz)::date;
        return minutes;
      end
      $fn$
  `,
  sql`
    create function inquiries_set_frt_business() returns trigger language plpgsql as $fn$
      declare
        posted double precision;
        answered double precision;
      begin
        if new.first_response_at is null then
          new.frt_business_minutes := null;
          return new;
        end if;
        posted := business_minutes_at(new.posted_at);
        answered := business_minutes_at(new.first_response_at);
        new.frt_business_minutes := case when posted is null or answered is null then null else greatest(answered - posted, 0) end;
        return new;
      end
      $fn$
  `,
  sql`
    create trigger inquiries_frt_business before insert or update of posted_at, first_response_at on inquiries
        for each row execute function inquiries_set_frt_business()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
