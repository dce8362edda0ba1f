/**
 * The commands as an admin types them (`ardzagank report|baseline|import|
 * digest …`), run through the CLI's `main` against a real database, output
 * read back in every format.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { parseCsv } from '../../src/reports/csv.js';
import { CSV_COLUMNS } from '../../src/reports/renderers/csv.renderer.js';
import type { RangeReport } from '../../src/reports/report.model.js';
import { insertMany, insertStaff } from '../factories/inquiry.factory.js';
import { insertStatement, insertWave, updateStatement, upsertWaveMembers } from '../../src/db/repositories/wave.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const yvn = (local: string) => new Date(`${local}+04:00`);
let tdb: TestDatabase;
let dir: string;
const saved = { ...process.env };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'ardzagank-report-cli-'));
  for (const k of Object.keys(process.env)) if (/^(TELEGRAM|FACEBOOK|DIGEST|LOCALE|TIMEZONE|HOLIDAYS|BUSINESS|SLA)/.test(k)) delete process.env[k];
  process.env.DATABASE_URL = tdb.url;
  process.env.LOG_LEVEL = 'silent';
  const anna = await insertStaff(tdb.db, { name: 'Աննա' });
  await insertMany(tdb.db, 40, { postedAt: yvn('2018-05-02T10:00:00'), firstResponseAt: yvn('2018-05-02T11:00:00'), answeredBy: anna.id, sectorCode: 'water' });
  await insertMany(tdb.db, 35, { postedAt: yvn('2018-09-03T10:00:00'), firstResponseAt: yvn('2018-09-03T12:00:00'), answeredVia: 'native', platform: 'instagram' });
  await insertMany(tdb.db, 2, { postedAt: yvn('2018-11-05T10:00:00') });
  // Thanks and emoji under May's posts: reactions, counted apart from the 40 inquiries.
  await insertMany(tdb.db, 3, { postedAt: yvn('2018-05-10T10:00:00'), text: '👍', lowPriority: true });
});
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await tdb.close();
});

describe('ardzagank baseline and report', () => {
  it('enters the January–April count and compares May–December with it, in Armenian by default', async () => {
    const set = await run('baseline', 'set', '2018-01..2018-04', 'answered=12', '--note', 'տարեկան հաշվետվություն');
    expect(set).toMatchObject({ code: 0, err: '' });
    expect(set.out).toBe('Entered answered=12 for 2018-01-01..2018-04-30 (տարեկան հաշվետվություն).');
    expect((await run('baseline', 'list')).out).toMatch(/^2018-01-01\.\.2018-04-30  answered\s+12  տարեկան հաշվետվություն$/);

    const r = await run('report', '--from', '2018-05', '--to', '2018-12', '--compare', '2018-01..2018-04');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Քաղաքացիների հարցումներ. հաշվետվություն');
    expect(r.out).toContain('2018 թ. մայիս');
    expect(r.out).toContain('Համեմատություն');
    expect(r.out).toMatch(/Պատասխանված\s+75\s+12\s+\+525%/);
    expect(r.out).toMatch(/Ստացված\s+40\s/);
    expect(r.out).toMatch(/Արձագանքներ \(շնորհակալություն, էմոջի, նշում\)\s+3\s/);
    expect(r.out).toContain('2018 թ. հունվար – ապրիլ*');
    expect(r.out).toContain('* ձեռքով մուտքագրված թվեր');
    // Durations read the Armenian way.
    expect(r.out).toMatch(/Առաջին պատասխան, մեդիան\s+1 ժ\s/);
  });

  it('speaks English and Russian', async () => {
    const en = await run('report', '--from', '2018-09', '--lang', 'en');
    expect(en.out).toContain('September 2018');
    expect(en.out).toMatch(/Answered\s+35/);
    expect(en.out).toMatch(/First response, median\s+2 h/);
    expect(en.out).toContain('By platform');
    const ru = await run('report', '--from', '2018-09', '--lang', 'ru');
    expect(ru.out).toContain('сентябрь 2018');
    expect(ru.out).toMatch(/Отвечено\s+35/);
    expect(ru.out).toMatch(/Первый ответ, медиана\s+2 ч/);
  });

  it('writes JSON with one object per period in the shape of DESIGN.md', async () => {
    const r = await run('report', '--from', '2018-05', '--to', '2018-12', '--format', 'json', '--compare', '2018-01..2018-04');
    const report = JSON.parse(r.out) as RangeReport;
    expect(report.periods).toHaveLength(8);
    const may = report.periods[0]!;
    for (const key of ['from', 'to', 'received', 'reactions', 'answered', 'answeredNative', 'dismissed', 'open', 'responseRate', 'withinSlaRate', 'frtMedianMinutes', 'frtP90Minutes', 'frtBusinessMedianMinutes', 'byPlatform', 'bySector', 'byStaff', 'baseline']) {
      expect(may, key).toHaveProperty(key);
    }
    expect(may).toMatchObject({ from: '2018-05-01', to: '2018-05-31', received: 40, reactions: 3, answered: 40, responseRate: 1, frtMedianMinutes: 60, baseline: false });
    expect(may.byPlatform).toEqual([expect.objectContaining({ platform: 'facebook', received: 40, reactions: 3 })]);
    expect(may.byStaff).toEqual([expect.objectContaining({ name: 'Աննա', answered: 40 })]);
    expect(report.total).toMatchObject({ received: 77, answered: 75 });
    expect(report.comparison?.previous).toMatchObject({ answered: 12, baseline: true });
    expect(report.comparison?.changes.answered.percent).toBe(525);
  });

  it('writes CSV: one row per period and slice, stable English columns', async () => {
    const file = path.join(dir, 'r.csv');
    const r = await run('report', '--from', '2018-05', '--to', '2018-06', '--format', 'csv', '--out', file);
    expect(r.out).toBe(`Wrote ${file}`);
    const records = parseCsv(readFileSync(file, 'utf8'));
    expect(records[0]!.fields).toEqual([...CSV_COLUMNS]);
    const rows = records.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r.fields[i]])));
    expect(rows.find((x) => x.period === '2018-05' && x.dimension === 'all')).toMatchObject({ from: '2018-05-01', received: '40', reactions: '3', answered: '40', response_rate: '1', frt_median_minutes: '60' });
    expect(rows.find((x) => x.period === '2018-05' && x.dimension === 'sector')).toMatchObject({ key: 'water', received: '40' });
    expect(rows.find((x) => x.period === 'total:2018-05..2018-06' && x.dimension === 'all')).toMatchObject({ received: '40' });
  });

  it('writes an XLSX workbook with the figures as numbers', async () => {
    const file = path.join(dir, 'r.xlsx');
    const r = await run('report', '--from', '2018-05', '--to', '2018-12', '--format', 'xlsx', '--out', file, '--lang', 'en', '--compare', '2018-01..2018-04');
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Period', 'By sector', 'By staff member', 'Comparison']);
    const sheet = wb.getWorksheet('Period')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('May 2018');
    const answered = sheet.getColumn(1).values.indexOf('Answered');
    expect(sheet.getRow(answered).getCell(2).value).toBe(40);
    const reactions = sheet.getColumn(1).values.indexOf('Reactions (thanks, emoji, tags)');
    expect(sheet.getRow(reactions).getCell(2).value).toBe(3);
    expect(sheet.getRow(sheet.getColumn(1).values.indexOf('Received')).getCell(2).value).toBe(40);
    const cmp = wb.getWorksheet('Comparison')!;
    const row = cmp.getColumn(1).values.indexOf('Answered');
    expect([cmp.getRow(row).getCell(2).value, cmp.getRow(row).getCell(3).value, cmp.getRow(row).getCell(4).value]).toEqual([75, 12, 525]);
  });

  it('explains usage mistakes and exits 2', async () => {
    const r = await run('report', '--by', 'year');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^--by must be month, week or wave, not "year"/);
    const bad = await run('report', '--from', '2018-13');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--from: Period "2018-13" is not understood/);
    const overlap = await run('baseline', 'set', '2018-03', 'answered=3');
    expect(overlap.code).toBe(1);
    expect(overlap.err).toMatch(/overlaps the one entered for 2018-01-01\.\.2018-04-30/);
  });
});

describe('ardzagank import and digest', () => {
  it('imports history once, with clear per-line errors and progress', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'platform,posted_at,answered_at,sector,staff\nfacebook,2017-03-01 10:00,2017-03-01 09:00,water,\nvk,2017-03-02 10:00,,,\nfacebook,01.03.2017 10:00,,nosuch,Nobody\n');
    const r1 = await run('import', bad);
    expect(r1.code).toBe(1);
    expect(r1.err.split('\n')).toEqual([
      `Nothing was imported from ${bad}: 4 problem(s). Fix them and run the import again.`,
      '  line 2: answered_at 2017-03-01 09:00 is before posted_at 2017-03-01 10:00',
      '  line 3: platform "vk" is not one of facebook, instagram, telegram',
      expect.stringMatching(/^ {2}line 4: sector "nosuch" is unknown; use a code \(water, /),
      '  line 4: staff "Nobody" is not a known staff member (Աննա); add them first or leave the column empty',
    ]);

    const rows = ['platform,posted_at,answered_at,sector,staff'];
    for (let i = 0; i < 1200; i++) rows.push(`facebook,2017-03-${String(1 + (i % 28)).padStart(2, '0')} 10:00,2017-03-${String(1 + (i % 28)).padStart(2, '0')} 1${i % 2 ? 1 : 2}:30,Ջրամատակարարում,Աննա`);
    rows.push('instagram,2017-04-03T12:00:00+04:00,,,');
    const good = path.join(dir, 'good.csv');
    writeFileSync(good, `${rows.join('\r\n')}\r\n`);
    const needsChoice = await run('import', good);
    expect(needsChoice.err, needsChoice.err).toMatch(/1 row\(s\) have no answered_at: choose what they are with --unanswered open/);
    const r2 = await run('import', good, '--unanswered', 'dismissed');
    expect(r2.err).toBe('');
    expect(r2.out.split('\n')).toEqual(['  1,000 of 1,201 rows written', '  1,201 of 1,201 rows written', `Imported 1201 inquiries from ${good}; 1 without an answer, dismissed as handled offline.`]);
    const r3 = await run('import', good, '--unanswered', 'dismissed');
    expect(r3.out).toMatch(/Imported 0 inquiries from .*; 1201 were already imported before/);
    const march = JSON.parse((await run('report', '--from', '2017-03', '--format', 'json')).out) as RangeReport;
    expect(march.periods[0]).toMatchObject({ received: 1200, answered: 1200 });
    expect(march.periods[0]!.byStaff[0]).toMatchObject({ name: 'Աննա', answered: 1200 });
    expect(march.periods[0]!.bySector[0]).toMatchObject({ sector: 'water', received: 1200 });
  });

  it('prints the digest and writes its chart without sending anything', async () => {
    const png = path.join(dir, 'digest.png');
    const r = await run('digest', '--print', '--png', png, '--week', '2018-W36', '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote the chart of 2018-W36 to ${png}`);
    expect(r.out).toContain('Ardzagank: weekly digest');
    expect(r.out).toMatch(/Received: 35 \(0, —\)/);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 675]);
    const send = await run('digest', '--send');
    expect(send.code).toBe(2);
    expect(send.err).toMatch(/set TELEGRAM_BOT_TOKEN/);
  });

  it('reports by wave: size, time to the first statement, share answered, in text, CSV and JSON', async () => {
    const first = yvn('2018-12-03T09:00:00');
    const anna = await insertStaff(tdb.db, { name: 'Աննա Վ.' });
    const answered = await insertMany(tdb.db, 2, { postedAt: first, text: 'Արաբկիրում ջուր չկա', firstResponseAt: yvn('2018-12-03T10:30:00'), answeredBy: anna.id });
    const open = await insertMany(tdb.db, 1, { postedAt: first, text: 'Арабкир без воды' });
    const wave = await insertWave(tdb.db, { title: 'Արաբկիրում ջուր չկա', firstPostedAt: first, status: 'confirmed' });
    await upsertWaveMembers(tdb.db, wave.id, [...answered, ...open].map((i) => i.id), null, first);
    const statement = await insertStatement(tdb.db, { waveId: wave.id, kind: 'interim', text: 'Վթար է, կվերականգնվի 18:00-ին', staffId: anna.id });
    await updateStatement(tdb.db, statement.id, { status: 'published', publishedAt: yvn('2018-12-03T10:30:00') });

    const en = await run('report', '--by', 'wave', '--from', '2018-12', '--lang', 'en');
    expect(en).toMatchObject({ code: 0, err: '' });
    expect(en.out).toBe(`Wave #${wave.id} · 03.12.2018 09:00 · 3 questions · answered 67% · first statement after 90 min\n  Արաբկիրում ջուր չկա`);
    expect((await run('report', '--by', 'wave', '--from', '2018-11', '--lang', 'ru')).out).toBe('Волн за этот период нет.');
    expect((await run('report', '--by', 'wave', '--from', '2018-12')).out).toContain('3 հարց · պատասխանված 67%');

    const csv = parseCsv((await run('report', '--by', 'wave', '--from', '2018-12', '--format', 'csv')).out);
    expect(csv[0]!.fields).toEqual(['id', 'first_posted_at', 'size', 'answered', 'answered_rate', 'minutes_to_first_statement', 'rumour', 'before_rebuttal', 'after_rebuttal', 'minutes_to_rebuttal', 'title']);
    expect(csv[1]!.fields.slice(0, 6)).toEqual([String(wave.id), '2018-12-03T05:00:00.000Z', '3', '2', String(2 / 3), '90']);
    const json = JSON.parse((await run('report', '--by', 'wave', '--from', '2018-12', '--format', 'json')).out) as { waves: unknown[] };
    expect(json.waves).toEqual([expect.objectContaining({ id: wave.id, size: 3, answered: 2, minutesToFirstStatement: 90, rumour: false })]);
    expect((await run('report', '--by', 'wave', '--format', 'xlsx', '--from', '2018-12')).code).toBe(2);
  });
});
