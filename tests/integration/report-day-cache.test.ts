/**
 * The report day cache (src/reports/day-cache.query.ts, migration
 * 2026_12_15_0900): reports of whole days merged from cached days equal the
 * same reports computed straight from the inquiries (`dayCache: false`),
 * figure by figure, medians and percentiles included; and a day is forgotten
 * when an inquiry of it changes, so the next report sees the change.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parsePeriodSpec } from '../../src/domain/periods.js';
import { composePeriods, percentileCont } from '../../src/reports/day-cache.query.js';
import { buildRangeReport, comparePeriods } from '../../src/reports/period-report.js';
import { insertInquiries, insertStaff, type InquirySpec } from '../factories/inquiry.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const config = loadConfig({ env: {} });
const wallConfig = loadConfig({ env: { SLA_CLOCK: 'wall', SLA_FIRST_RESPONSE: '3h' } });
const tz = config.timezone;
const NOW = new Date('2026-07-01T08:00:00Z');

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let tdb: TestDatabase;
let staffIds: number[] = [];

async function cachedDays(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from report_day_cache`.execute(tdb.db);
  return rows[0]!.n;
}

async function bothWays(cfg = config) {
  const year = parsePeriodSpec('2026-01..2026-06', tz);
  const reports = [];
  for (const dayCache of [true, false, true]) {
    reports.push({
      range: await buildRangeReport(tdb.db, cfg, { range: year, by: 'month', now: NOW, dayCache }),
      weeks: await buildRangeReport(tdb.db, cfg, { range: parsePeriodSpec('2026-W10..2026-W14', tz), by: 'week', now: NOW, dayCache }),
      comparison: await comparePeriods(tdb.db, cfg, parsePeriodSpec('2026-04..2026-06', tz), parsePeriodSpec('2026-01..2026-03', tz), { now: NOW, dayCache }),
    });
  }
  return reports as [(typeof reports)[0], (typeof reports)[0], (typeof reports)[0]];
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  staffIds = [(await insertStaff(tdb.db, { name: 'A' })).id, (await insertStaff(tdb.db, { name: 'B' })).id, (await insertStaff(tdb.db, { name: 'C' })).id];
  const r = random(17);
  const platforms = ['facebook', 'instagram', 'telegram'] as const;
  const sectors = ['water', 'roads_transport', 'waste_sanitation', undefined];
  const specs: InquirySpec[] = [];
  const start = Date.parse('2025-12-20T00:00:00Z');
  for (let i = 0; i < 600; i++) {
    const posted = start + Math.floor(r() * 200 * 86_400_000);
    const answered = r() < 0.8;
    // Times from seconds to weeks, many alike (ties), some exactly on the target.
    const frtMinutes = r() < 0.1 ? 180 : r() < 0.2 ? 60 : Math.exp(r() * 10);
    const claimed = r() < 0.6;
    // The follow-through: most answers final (closed minutes to days later), some reopened, some asked whether solved.
    const closedAt = answered && r() < 0.75 ? new Date(posted + frtMinutes * 60_000 + (r() < 0.3 ? 0 : Math.exp(r() * 9) * 60_000)) : undefined;
    const asked = closedAt && r() < 0.5 ? new Date(closedAt.getTime() + 86_400_000) : undefined;
    const answer = (['yes', 'no', 'no_reply', undefined] as const)[Math.floor(r() * 4)];
    specs.push({
      postedAt: new Date(posted),
      platform: platforms[Math.floor(r() * 3)]!,
      ...(closedAt ? { closedAt, reopenCount: r() < 0.08 ? 1 : 0 } : answered && r() < 0.1 ? { reopenCount: 1 } : {}),
      ...(asked ? { solvedAskedAt: asked, ...(answer ? { solvedAnswer: answer } : {}) } : {}),
      ...(answered ? { firstResponseAt: new Date(posted + frtMinutes * 60_000), answeredVia: r() < 0.3 ? 'native' : 'telegram' } : {}),
      ...(answered && r() < 0.7 ? { answeredBy: staffIds[Math.floor(r() * 3)]! } : {}),
      ...(claimed ? { claimedAt: new Date(posted + r() * 90 * 60_000), claimedBy: staffIds[Math.floor(r() * 3)]! } : {}),
      ...(sectors[Math.floor(r() * 4)] ? { sectorCode: sectors[Math.floor(r() * 4)] } : {}),
      dismissed: r() < 0.04,
      lowPriority: r() < 0.05,
    });
  }
  await insertInquiries(tdb.db, specs);
});

afterAll(async () => {
  await tdb?.close();
});

describe('percentileCont', () => {
  it('is percentile_cont: the interpolated value at fraction × (n − 1) of the sorted values', () => {
    const r = random(5);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(r() * 60);
      const values = Array.from({ length: n }, () => (r() < 0.3 ? Math.floor(r() * 5) : r() * 1000));
      const sorted = [...values].sort((a, b) => a - b);
      for (const f of [0.5, 0.9, 0, 1, 0.25]) {
        const pos = f * (n - 1);
        const lo = sorted[Math.floor(pos)]!;
        const hi = sorted[Math.ceil(pos)]!;
        const expected = Math.ceil(pos) === Math.floor(pos) ? lo : lo + (hi - lo) * (pos - Math.floor(pos));
        expect(percentileCont(Float64Array.from(values), n, f)).toBe(expected);
      }
    }
    expect(percentileCont(new Float64Array(0), 0, 0.5)).toBeNull();
  });
});

describe('composePeriods', () => {
  const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  it('finds the periods a period is made of, one after the other, and an order with parts first', () => {
    const jan = days('2026-01-01', 31);
    const feb = days('2026-02-01', 28);
    const both = [...jan, ...feb];
    const { parts, order } = composePeriods([both, jan, feb, days('2026-01-15', 20), days('2026-02-01', 27)]);
    expect(parts).toEqual([[1, 2], null, null, null, null]);
    expect(order.indexOf(0)).toBeGreaterThan(Math.max(order.indexOf(1), order.indexOf(2)));
    // A gap, or a part that runs past the end: read from the days.
    expect(composePeriods([both, jan]).parts).toEqual([null, null]);
    expect(composePeriods([jan, days('2026-01-01', 10), days('2026-01-11', 25)]).parts).toEqual([null, null, null]);
  });
});

describe('reports from the day cache', () => {
  it('equal the reports computed from the inquiries, on the business and the wall clock', async () => {
    const [cold, direct, warm] = await bothWays();
    expect(await cachedDays()).toBeGreaterThan(3 * 180);
    expect(cold).toEqual(direct);
    expect(warm).toEqual(direct);
    // Something to compare: medians, percentiles and breakdowns are there, and the follow-through.
    expect(direct.range.total!.frtP90Minutes).not.toBeNull();
    expect(direct.range.total!.resolutionP90Minutes).not.toBeNull();
    expect(direct.range.total!.resolutionBusinessMedianMinutes).not.toBeNull();
    expect(direct.range.total!.resolvedWithinTarget).toBeGreaterThan(0);
    expect(direct.range.total!.resolvedWithinTarget).toBeLessThan(direct.range.total!.resolved!);
    expect(direct.range.total!.answeredOnlyInterim).toBeGreaterThan(0);
    expect(direct.range.total!.reopened).toBeGreaterThan(0);
    expect(direct.range.total!.solvedYes).toBeGreaterThan(0);
    // ... and it came from cached days too.
    const cohorts = (await sql<{ cohort: string }>`select distinct cohort from report_day_cache order by cohort`.execute(tdb.db)).rows.map((x) => x.cohort);
    expect(cohorts).toEqual(['answered', 'asked', 'claimed', 'followed', 'received', 'resolved']);
    expect(direct.range.total!.byStaff.length).toBe(3);
    expect(direct.range.periods.length).toBe(6);
    const [wallCold, wallDirect] = await bothWays(wallConfig);
    expect(wallCold).toEqual(wallDirect);
    expect(wallDirect.range.total!.withinSlaRate).not.toBe(direct.range.total!.withinSlaRate);
    expect(wallDirect.range.total!.resolutionWithinTargetRate).not.toBe(direct.range.total!.resolutionWithinTargetRate);
  });

  it('forget the days of a final answer and of a "solved?" question when they change', async () => {
    await bothWays();
    const before = await bothWays();
    // Closed, in March: a question posted in February with only an interim answer gets its final answer.
    const { rows } = await sql<{ id: number }>`
      select id from inquiries where first_response_at is not null and closed_at is null and status = 'answered' and not low_priority and posted_at >= '2026-02-01' and posted_at < '2026-03-01' order by id limit 1
    `.execute(tdb.db);
    expect(rows.length).toBe(1);
    await sql`update inquiries set status = 'closed', closed_at = '2026-03-10T08:00:00Z' where id = ${rows[0]!.id}`.execute(tdb.db);
    // A citizen answers "no" to a question asked in April; another closed question is reopened.
    await sql`update inquiries set solved_answer = 'no' where id = (select min(id) from inquiries where solved_asked_at >= '2026-04-01' and solved_asked_at < '2026-05-01' and solved_answer is distinct from 'no')`.execute(tdb.db);
    await sql`update inquiries set reopen_count = reopen_count + 1, closed_at = null, status = 'answered' where id = (select min(id) from inquiries where closed_at >= '2026-05-01' and closed_at < '2026-06-01' and reopen_count = 0 and posted_at >= '2026-05-01')`.execute(tdb.db);
    const [cached, direct] = await bothWays();
    expect(cached).toEqual(direct);
    const month = (r: typeof direct, label: string) => r.range.periods.find((p) => p.label === label)!;
    expect(month(direct, '2026-03').resolved).toBe(month(before[1], '2026-03').resolved! + 1);
    expect(month(direct, '2026-02').answeredOnlyInterim).toBe(month(before[1], '2026-02').answeredOnlyInterim! - 1);
    expect(month(direct, '2026-04').solvedNo).toBe(month(before[1], '2026-04').solvedNo! + 1);
    expect(month(direct, '2026-05').reopened).toBe(month(before[1], '2026-05').reopened! + 1);
  });

  it('forget a day when an inquiry of it changes, and the next report sees the change', async () => {
    await bothWays();
    const before = await cachedDays();
    const { rows } = await sql<{ id: number }>`select id from inquiries where first_response_at is null and status <> 'dismissed' and not low_priority and posted_at >= '2026-02-01' order by id limit 3`.execute(tdb.db);
    expect(rows.length).toBe(3);
    const [a, b, c] = rows.map((x) => x.id) as [number, number, number];
    // One answered, a sector set, one dismissed, one taken for a reaction, one imported.
    await sql`update inquiries set first_response_at = posted_at + interval '95 minutes', status = 'answered', answered_via = 'native' where id = ${a}`.execute(tdb.db);
    await sql`update inquiries set sector_code = 'health' where id = ${b}`.execute(tdb.db);
    await sql`update inquiries set status = 'dismissed', dismiss_reason = 'spam' where id = ${c}`.execute(tdb.db);
    await sql`update inquiries set low_priority = true where id = (select max(id) from inquiries where first_response_at is not null and not low_priority)`.execute(tdb.db);
    // A question imported late: posted in March, answered natively in April.
    await insertInquiries(tdb.db, [{ postedAt: '2026-03-03T07:00:00Z', firstResponseAt: '2026-04-01T07:00:00Z', answeredVia: 'native', platform: 'instagram' }]);
    expect(await cachedDays()).toBeLessThan(before);
    const [cached, direct] = await bothWays();
    expect(cached).toEqual(direct);
    expect(direct.range.total!.bySector.some((s) => s.sector === 'health')).toBe(true);
  });
});
