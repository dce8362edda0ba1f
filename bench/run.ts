/**
 * `npm run bench`: builds one million inquiries over five years in a
 * database of its own and times the reports people ask for most: one
 * month's report (with every breakdown) and a comparison of two periods
 * (January–April against May–December), plus a year by month for scale.
 * Each is run several times after a warm-up; the median is reported.
 *
 * Targets (issue 17): the monthly report and the comparison under 50 ms, the
 * year by month under 200 ms, with medians and percentiles exact. Each case
 * is timed both ways in the same run, alternately (the machine is shared and
 * its load changes from minute to minute): "direct", every figure computed
 * from the inquiries as before the day cache, and "cached", periods of whole
 * days merged from the report day cache (src/reports/day-cache.query.ts);
 * the two reports must be equal. "cold" is the first cached run after the
 * cache was emptied (it computes and stores every day of the period).
 *
 * The data is made inside Postgres with generate_series (one statement,
 * not a million inserts): platforms, sectors, staff, dismissed items, native
 * and Telegram answers, response times from minutes to days, a backlog, and
 * the follow-through (final answers minutes to days after the first one,
 * interim-only answers, reopened questions, "solved?" asked and answered).
 * BENCH_REUSE=1 reuses a database of the same rows and the same data
 * version ({@link BENCH_DATA}: change it when the data changes).
 *
 * Database: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; the database `ardzagank_bench`
 * on that server is dropped and created again. Results: a table on stdout and
 * JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { monthRange, parsePeriodSpec } from '../src/domain/periods.js';
import { createLogger } from '../src/observability/logger.js';
import { ensureBusinessCalendar } from '../src/reports/business-calendar.service.js';
import { buildRangeReport, comparePeriods } from '../src/reports/period-report.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const DB_NAME = 'ardzagank_bench';
/** The version of the data `build` makes, kept as the comment of the inquiries table. */
const BENCH_DATA = 'ardzagank bench data v2 (follow-through)';

const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

type Timing = { medianMs: number; minMs: number; maxMs: number; runsMs: number[] };

/** Times two ways of doing the same thing in turns (a, b, a, b, …) after a warm-up of each, so a change of load hits both. */
async function timeAlternately(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: Timing; b: Timing }> {
  await a();
  await b();
  const ra: number[] = [];
  const rb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, into] of [
      [a, ra],
      [b, rb],
    ] as const) {
      const t0 = performance.now();
      await fn();
      into.push(Math.round((performance.now() - t0) * 10) / 10);
    }
  }
  const timing = (xs: number[]): Timing => ({ medianMs: median(xs), minMs: Math.min(...xs), maxMs: Math.max(...xs), runsMs: xs });
  return { a: timing(ra), b: timing(rb) };
}

async function existingRows(): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: benchUrl });
  try {
    await client.connect();
    const r = await client.query<{ n: string; v: string | null }>("select count(*) as n, obj_description('inquiries'::regclass, 'pg_class') as v from inquiries");
    return r.rows[0]!.v === BENCH_DATA ? Number(r.rows[0]!.n) : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The data, made inside Postgres by one INSERT … SELECT over generate_series.
 * The inquiries' secondary indexes are dropped for the load and created
 * again afterwards from their own definitions (building an index once is far
 * faster than maintaining it row by row), and the business-hours times are
 * computed in the same statement from the calendar, as the trigger would.
 */
async function build(db: Db, config: Config, now: Date): Promise<void> {
  await ensureBusinessCalendar(db, config, now);
  await sql`
    insert into staff (telegram_user_id, name, role)
    select 100000 + n, 'Staff ' || n, case when n = 1 then 'supervisor' else 'agent' end from generate_series(1, 5) as n
  `.execute(db);
  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes as i
    where i.tablename = 'inquiries'
      and not exists (select 1 from pg_constraint as c where c.conname = i.indexname)
  `.execute(db);
  for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(db);
  await sql`alter table inquiries disable trigger inquiries_frt_business`.execute(db);
  await sql`alter table inquiries disable trigger inquiries_resolution_business`.execute(db);
  // The day cache is empty; nothing to forget while loading.
  await sql`alter table inquiries disable trigger inquiries_report_day_cache`.execute(db);
  const at = (c: string, t: string) =>
    sql.raw(`(${c}.cum_minutes + case when ${c}.len_minutes > 0 then least(greatest((date_part('epoch', ${t}) - date_part('epoch', ${c}.open_at)) / 60, 0), ${c}.len_minutes) else 0 end)`);
  // Five years from 2021-01-01 (Yerevan); each row's fields come from hashes of its number,
  // so the data is the same every run.
  await sql`
    insert into inquiries (platform, kind, external_id, author_id, text, posted_at, last_citizen_at, status,
                           sector_code, suggested_sector_code, claimed_by, claimed_at, first_response_at,
                           answered_via, answered_by, dismiss_reason, frt_business_minutes,
                           closed_at, reopen_count, solved_asked_at, solved_answer, resolution_business_minutes)
    select e.platform, 'comment', 'bench-' || e.n, 'citizen-' || (e.n % 50000), 'Հարց ' || e.n, e.posted, e.posted, e.status,
           e.sector_code, e.sector, e.claimed_by, e.claimed_at, e.first_response_at, e.answered_via, e.answered_by, e.dismiss_reason,
           case when e.first_response_at is not null then greatest(${at('c2', 'e.first_response_at')} - ${at('c1', 'e.posted')}, 0) end,
           e.closed_at, e.reopen_count, e.solved_asked_at, e.solved_answer,
           case when e.closed_at is not null then greatest(${at('c3', 'e.closed_at')} - ${at('c1', 'e.posted')}, 0) end
    from (
      select n, posted, platform, sector,
             case when dismissed then 'dismissed' when closes then 'closed' when frt is not null then 'answered' when claimed then 'claimed' else 'new' end as status,
             -- The final answer: a native answer at once; a staff answer later (minutes to days); 15 % only an interim answer so far.
             case when closes then posted + frt * interval '1 minute' + (case when native then 0 else round(exp(h5 * 8)::numeric, 1) end) * interval '1 minute' end as closed_at,
             case when closes and h4 > 0.97 then 1 else 0 end as reopen_count,
             case when closes and h5 < 0.4 then posted + frt * interval '1 minute' + interval '1 day' end as solved_asked_at,
             case when closes and h5 < 0.4 then (case when h5 < 0.25 then 'yes' when h5 < 0.33 then 'no' else 'no_reply' end) end as solved_answer,
             case when h3 < 0.6 then sector end as sector_code,
             case when claimed then staff end as claimed_by,
             case when claimed then posted + (frt_claim * interval '1 minute') end as claimed_at,
             case when frt is not null then posted + frt * interval '1 minute' end as first_response_at,
             case when frt is not null then (case when native then 'native' else 'telegram' end) end as answered_via,
             case when frt is not null and not native then staff end as answered_by,
             case when dismissed then 'spam' end as dismiss_reason
      from (
       select d0.*, frt is not null and (native or h4 >= 0.15) as closes
       from (
        select n, posted, h1, h2, h3, h3 * 17 - floor(h3 * 17) as h4, h1 * 23 - floor(h1 * 23) as h5,
               (array['facebook', 'facebook', 'facebook', 'instagram', 'telegram'])[1 + floor(h1 * 5)::int] as platform,
               (array['water', 'roads_transport', 'waste_sanitation', 'street_lighting', 'heating_utilities', 'social_assistance',
                      'education', 'health', 'culture_sport', 'construction_planning', 'public_order', 'other'])[1 + floor(h2 * 12)::int] as sector,
               h1 < 0.03 as dismissed,
               (h2 * 7 - floor(h2 * 7)) < 0.3 as native,
               1 + floor(h3 * 5)::int as staff,
               -- 2 % are never answered; the last weeks' items are answered less often yet
               case when h1 < 0.03 or (h3 * 13 - floor(h3 * 13)) < 0.02 or (posted > timestamptz '2025-12-20' and h2 < 0.5) then null
                    else round(exp((h1 * 97 - floor(h1 * 97)) * 9.5)::numeric, 1) end as frt,
               round(((h2 * 31 - floor(h2 * 31)) * 90)::numeric, 1) as frt_claim,
               not ((h2 * 7 - floor(h2 * 7)) < 0.3) and h1 >= 0.03 as claimed
        from (
          select n,
                 timestamptz '2021-01-01 00:00+04' + (n::float8 / ${ROWS}) * interval '1826 days' as posted,
                 ('x' || substr(md5(n::text), 1, 8))::bit(32)::bigint::float8 / 4294967296 as h1,
                 ('x' || substr(md5(n::text), 9, 8))::bit(32)::bigint::float8 / 4294967296 as h2,
                 ('x' || substr(md5(n::text), 17, 8))::bit(32)::bigint::float8 / 4294967296 as h3
          from generate_series(1, ${ROWS}) as n
        ) as base
       ) as d0
      ) as d
    ) as e
    left join business_calendar as c1 on c1.day = (e.posted at time zone ${config.timezone})::date
    left join business_calendar as c2 on c2.day = (e.first_response_at at time zone ${config.timezone})::date
    left join business_calendar as c3 on c3.day = (e.closed_at at time zone ${config.timezone})::date
  `.execute(db);
  await sql`alter table inquiries enable trigger inquiries_frt_business`.execute(db);
  await sql`alter table inquiries enable trigger inquiries_resolution_business`.execute(db);
  await sql`alter table inquiries enable trigger inquiries_report_day_cache`.execute(db);
  await sql`delete from report_day_cache`.execute(db);
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  await sql`vacuum analyze inquiries`.execute(db);
  await sql.raw(`comment on table inquiries is '${BENCH_DATA}'`).execute(db);
}

async function main(): Promise<void> {
  const config = loadConfig({ env: {} });
  const now = new Date('2026-01-05T09:00:00+04:00');
  const logger = createLogger({ level: 'warn' });
  const log = (line: string) => process.stdout.write(`${line}\n`);

  // BENCH_REUSE=1 keeps a database built by an earlier run (same BENCH_ROWS) to time queries only.
  const reuse = process.env.BENCH_REUSE === '1' && (await existingRows()) === ROWS;
  if (!reuse) {
    log(`Building ${ROWS.toLocaleString('en')} inquiries over five years in ${DB_NAME} …`);
    await admin(`drop database if exists ${DB_NAME} with (force)`);
    await admin(`create database ${DB_NAME}`);
  }
  const database = await openDatabase({ databaseUrl: benchUrl, dataDir: '/nonexistent', logger, poolSize: 8 });
  const db = database.db;
  try {
    await migrateToLatest(db, logger);
    const t0 = performance.now();
    if (!reuse) await build(db, config, now);
    const buildSeconds = reuse ? null : Math.round((performance.now() - t0) / 100) / 10;
    const counts = await sql<{ n: number; open: number }>`select count(*) as n, count(*) filter (where status in ('new', 'claimed')) as open from inquiries`.execute(db);
    log(`${reuse ? 'Reusing' : 'Built'} ${counts.rows[0]!.n.toLocaleString('en')} inquiries (${counts.rows[0]!.open.toLocaleString('en')} open)${reuse ? '' : ` in ${buildSeconds} s`}.`);
    const tz = config.timezone;
    const month = monthRange('2024-05', tz);
    const cases = [
      {
        name: 'monthly report (2024-05, all breakdowns)',
        targetMs: 50,
        fn: (dayCache: boolean) => buildRangeReport(db, config, { range: month, by: 'month', now, dayCache }),
      },
      {
        name: 'comparison 2024-05..2024-12 vs 2024-01..2024-04',
        targetMs: 50,
        fn: (dayCache: boolean) =>
          comparePeriods(db, config, parsePeriodSpec('2024-05..2024-12', tz), parsePeriodSpec('2024-01..2024-04', tz), { now, dayCache }),
      },
      {
        name: 'year 2024 by month, with total',
        targetMs: 200,
        fn: (dayCache: boolean) => buildRangeReport(db, config, { range: parsePeriodSpec('2024', tz), by: 'month', now, dayCache }),
      },
    ];
    const results = [];
    for (const c of cases) {
      // Cold: the first cached run after the cache was emptied computes and stores the period's days.
      await sql`delete from report_day_cache`.execute(db);
      const t0 = performance.now();
      const cached = await c.fn(true);
      const coldMs = Math.round((performance.now() - t0) * 10) / 10;
      const direct = await c.fn(false);
      const same = JSON.stringify(cached) === JSON.stringify(direct);
      if (!same) log(`!! ${c.name}: the cached report differs from the direct one`);
      const timed = await timeAlternately(RUNS, () => c.fn(false), () => c.fn(true));
      results.push({ name: c.name, targetMs: c.targetMs, sameFigures: same, coldMs, direct: timed.a, cached: timed.b });
    }

    const width = Math.max(...results.map((r) => r.name.length));
    log('');
    // The machine may be shared: the load says how much the timings can be trusted.
    log(`load average (1, 5, 15 min): ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} on ${os.cpus().length} CPUs; medians of ${RUNS} runs each`);
    log(`${'case'.padEnd(width)}  direct ms  cached ms  (min - max)       cold ms  target     verdict`);
    for (const r of results) {
      const ok = r.sameFigures && r.cached.medianMs < r.targetMs;
      const verdict = !r.sameFigures ? 'FIGURES DIFFER' : ok ? 'ok' : 'SLOW';
      log(
        `${r.name.padEnd(width)}  ${String(r.direct.medianMs).padStart(9)}  ${String(r.cached.medianMs).padStart(9)}  ${`(${r.cached.minMs} - ${r.cached.maxMs})`.padEnd(16)}  ${String(r.coldMs).padStart(7)}  < ${String(r.targetMs).padEnd(7)}  ${verdict}`,
      );
    }

    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const pgVersion = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v;
    writeFileSync(
      file,
      `${JSON.stringify({ rows: ROWS, runs: RUNS, buildSeconds, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, postgres: pgVersion, loadavg: os.loadavg() }, results }, null, 2)}\n`,
    );
    log('');
    log(`Results written to ${path.relative(process.cwd(), file)}`);
    if (results.some((r) => !r.sameFigures || r.cached.medianMs >= r.targetMs)) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

await main();
