/**
 * `ardzagank log` and `ardzagank counters` as an admin types them, through
 * the CLI's `main` against a real database: entries, corrections and
 * cancellations change the year's figures and each leaves an event; what is
 * counted from the feeds cannot be logged by hand; the previous year stands
 * beside with the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';
import { buildYearReport } from '../../src/reports/year/year-report.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
const saved = { ...process.env };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function line(year: number, code: string) {
  const report = await buildYearReport(tdb.db, loadConfig({ env: {} }), { year, now: new Date('2026-12-01T00:00:00Z') });
  return report.lines.find((l) => l.code === code)!;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const k of Object.keys(process.env)) if (/^(TELEGRAM|FACEBOOK|DIGEST|LOCALE|TIMEZONE|HOLIDAYS|BUSINESS|SLA)/.test(k)) delete process.env[k];
  process.env.DATABASE_URL = tdb.url;
  process.env.LOG_LEVEL = 'silent';
});
afterAll(async () => {
  process.env = saved;
  await tdb.close();
});

describe('ardzagank log and counters', () => {
  it('lists the seeded counters in the report\'s order', async () => {
    const list = await run('counters');
    expect(list.code).toBe(0);
    expect(list.out.split('\n').map((l) => l.split(/\s+/)[0])).toEqual([
      'public_hearings',
      'head_reception',
      'office_consultations',
      'social_commission',
      'guardianship_commission',
      'published_posts',
      'archive',
      'press_relations',
      'council_sessions',
      'official_meetings',
    ]);
  });

  it('logs, corrects and cancels entries; the year reads the corrected values, each change an event', async () => {
    expect((await run('log', 'head_reception', '--date', '2025-03-15', '--count', '10', '--by', 'gohar'))).toMatchObject({ code: 0, err: '' });
    const logged = await run('log', 'social_commission', '--date', '2025-03-20', '--amount', '13', '--note', 'large families');
    expect(logged.out).toMatch(/^Logged #(\d+): social_commission, 2025-03-20, ×1, amount 13$/);
    const id = /#(\d+)/.exec(logged.out)![1]!;
    await run('log', 'social_commission', '--date', '2025-04-20', '--amount', '7');
    await run('log', 'head_reception', '--date', '2024-06-01', '--count', '8');

    expect((await run('counters', 'correct', id, '--amount', '14'))).toMatchObject({ code: 0 });
    let social = await line(2025, 'social_commission');
    expect(social.current).toMatchObject({ count: 2, amount: 21 });
    expect((await line(2025, 'head_reception')).current.count).toBe(10);
    expect((await line(2025, 'head_reception')).previous.count).toBe(8);
    expect((await line(2025, 'head_reception')).countChange).toEqual({ difference: 2, percent: 25 });

    expect((await run('counters', 'cancel', id))).toMatchObject({ code: 0 });
    social = await line(2025, 'social_commission');
    expect(social.current).toMatchObject({ count: 1, amount: 7 });
    // Cancelled twice: refused, nothing changes.
    expect((await run('counters', 'cancel', id))).toMatchObject({ code: 1, err: `Entry ${id} was cancelled` });

    const events = await tdb.db.selectFrom('events').select(['type', 'payload']).where('type', 'like', 'counter_%').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['counter_logged', 'counter_logged', 'counter_logged', 'counter_logged', 'counter_corrected', 'counter_voided']);
    expect(events[0]!.payload).toMatchObject({ counter: 'head_reception', quantity: 10, enteredBy: 'cli:gohar' });
    expect(events[4]!.payload).toMatchObject({ before: { amount: 13 }, after: { amount: 14 } });

    const entries = await run('counters', 'entries', 'social_commission', '--year', '2025');
    expect(entries.out).toContain('(cancelled)');
    expect(entries.out).toContain('"large families"');
  });

  it('refuses to log what is counted from the feeds, unknown counters, and days that do not exist', async () => {
    expect(await run('log', 'published_posts')).toMatchObject({ code: 1, err: "published_posts is counted from the platforms' feeds, not logged" });
    expect(await run('log', 'no_such_thing')).toMatchObject({ code: 1, err: 'No counter "no_such_thing" (ardzagank counters lists them)' });
    expect(await run('log', 'public_hearings', '--date', '2025-02-30')).toMatchObject({ code: 1, err: '"2025-02-30" is not a day (YYYY-MM-DD)' });
    expect((await run('log', 'public_hearings', '--amount', '3')).err).toBe('public_hearings has no amount');
  });

  it('adds a counter and switches one off; a year with nothing logged reads "—", a remark stands in for a figure', async () => {
    const added = await run(
      'counters', 'add', 'youth_meetings', '--section', 'public_relations', '--name-hy', 'Հանդիպումներ երիտասարդների հետ',
      '--name-en', 'Meetings with young people', '--name-ru', 'Встречи с молодёжью',
    );
    expect(added).toMatchObject({ code: 0, err: '' });
    await run('log', 'youth_meetings', '--date', '2025-05-05');
    expect((await line(2025, 'youth_meetings')).current.count).toBe(1);
    await run('counters', 'off', 'press_relations');
    expect(await line(2025, 'press_relations')).toBeUndefined();
    await run('counters', 'on', 'press_relations');
    await run('counters', 'remark', 'press_relations', '2025', 'not measurable');
    expect((await line(2025, 'press_relations')).current).toMatchObject({ count: null, remark: 'not measurable' });
    // 2023: nothing at all was logged.
    expect((await line(2024, 'public_hearings')).previous.count).toBeNull();
    const md = await run('year', '2025', '--format', 'md', '--lang', 'en');
    expect(md.out).toContain('| Meetings with young people | 1 | 0 | — |');
    expect(md.out).toContain('| Citizens received by the head of the community | 10 | 8 | +25% |');
    expect(md.out).toContain('| Press relations | not measurable | 0 | — |');
  });
});
