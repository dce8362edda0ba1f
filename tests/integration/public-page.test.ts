/**
 * The public page (PUBLIC_PAGE=on) in a real browser: Playwright driving
 * Debian's Chromium against the real service on a seeded database. The
 * figures on the page (read back from its text, not from the data it was
 * made of) equal `ardzagank report --format json` for the same months; the
 * page logs no console error, passes axe-core with no violation, and weighs
 * under 60 KB. A screenshot of each language and of a phone goes to
 * `test-results/public-page/`.
 *
 * Without Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH) the browser part
 * is skipped, saying so; `.ci/run` installs Chromium with apt.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { loadConfig } from '../../src/config.js';
import { localDateOf } from '../../src/domain/periods.js';
import { startService, type RunningService } from '../../src/main.js';
import { createPublicPageCache } from '../../src/reports/public/public-page.part.js';
import type { PublicFigures } from '../../src/reports/public/public-figures.js';
import type { PeriodFigures, RangeReport } from '../../src/reports/report.model.js';
import { insertInquiry, insertMany, insertStaff } from '../factories/inquiry.factory.js';
import { createTestDatabase, queueEnv, removeTestQueues, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const OUT_DIR = path.resolve('test-results/public-page');
const TZ = 'Asia/Yerevan';
const SECRET_TEXT = 'CITIZEN-TEXT-MUST-NOT-SHOW';
const STAFF_NAME = 'Staffname Mustnotshow';

if (!haveChromium) {
  console.warn(`public-page browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
}

/** `YYYY-MM` of the month `back` months before the month of `now`, in Yerevan. */
function monthBack(now: Date, back: number): string {
  const today = localDateOf(now, TZ);
  const index = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
const at = (month: string, day: string, time: string) => new Date(`${month}-${day}T${time}+04:00`);

let tdb: TestDatabase;
const saved = { ...process.env };
const prefixes: string[] = [];
const services: RunningService[] = [];
const NOW = new Date();
const FIRST = monthBack(NOW, 11);
const LAST = monthBack(NOW, 0);

async function seed(): Promise<void> {
  const anna = await insertStaff(tdb.db, { name: STAFF_NAME });
  // Outside the 12 months: must not count.
  await insertMany(tdb.db, 5, { postedAt: at(monthBack(NOW, 13), '10', '10:00:00'), firstResponseAt: at(monthBack(NOW, 13), '10', '11:00:00'), text: SECRET_TEXT });
  // The oldest month of the page.
  const m11 = monthBack(NOW, 11);
  await insertMany(tdb.db, 4, { postedAt: at(m11, '12', '10:00:00'), firstResponseAt: at(m11, '12', '11:00:00'), sectorCode: 'water', answeredBy: anna.id, text: SECRET_TEXT });
  const m6 = monthBack(NOW, 6);
  await insertMany(tdb.db, 6, { postedAt: at(m6, '14', '09:30:00'), firstResponseAt: at(m6, '14', '12:05:00'), platform: 'instagram', answeredVia: 'native', sectorCode: 'roads_transport' });
  await insertMany(tdb.db, 2, { postedAt: at(m6, '20', '16:00:00'), platform: 'instagram', sectorCode: 'roads_transport', text: SECRET_TEXT });
  await insertInquiry(tdb.db, { postedAt: at(m6, '21', '16:00:00'), dismissed: true, text: SECRET_TEXT });
  await insertMany(tdb.db, 3, { postedAt: at(m6, '22', '11:00:00'), lowPriority: true, text: '👍' });
  const m2 = monthBack(NOW, 2);
  await insertMany(tdb.db, 9, { postedAt: at(m2, '05', '10:00:00'), firstResponseAt: at(m2, '06', '15:00:00'), platform: 'telegram', answeredBy: anna.id, sectorCode: 'waste_sanitation' });
  await insertMany(tdb.db, 3, { postedAt: at(m2, '25', '10:00:00'), firstResponseAt: at(monthBack(NOW, 1), '03', '10:00:00'), sectorCode: 'water' });
  // Not answered yet, an hour ago (this month, or the last one on its first hour).
  await insertInquiry(tdb.db, { postedAt: new Date(NOW.getTime() - 3_600_000), text: SECRET_TEXT });
}

async function start(publicPage: 'on' | 'off'): Promise<RunningService> {
  const prefix = uniqueQueuePrefix('public');
  prefixes.push(prefix);
  const config = loadConfig({
    env: { DATABASE_URL: tdb.url, ...queueEnv(), QUEUE_PREFIX: prefix, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', PUBLIC_PAGE: publicPage },
  });
  const service = await startService({ config, logger: silentLogger(), reconcileEveryMs: 3_600_000 });
  services.push(service);
  return service;
}

async function reportJson(): Promise<RangeReport> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['report', '--from', FIRST, '--to', LAST, '--format', 'json'], { out: (l) => out.push(l), err: (l) => err.push(l) });
  expect({ code, err: err.join('\n') }).toEqual({ code: 0, err: '' });
  return JSON.parse(out.join('\n')) as RangeReport;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const k of Object.keys(process.env)) if (/^(TELEGRAM|FACEBOOK|DIGEST|LOCALE|TIMEZONE|HOLIDAYS|BUSINESS|SLA|PUBLIC)/.test(k)) delete process.env[k];
  process.env.DATABASE_URL = tdb.url;
  process.env.LOG_LEVEL = 'silent';
  await seed();
});

afterAll(async () => {
  process.env = saved;
  for (const s of services) await s.close();
  if (tdb) for (const p of prefixes) await removeTestQueues(tdb.url, p);
  await tdb?.close();
});

/** A figure as the page shows it, read back: a count, a percentage, or a duration in minutes; null for "—". */
function readCount(text: string): number | null {
  return text.trim() === '—' ? null : Number(text.replace(/[^\d]/g, ''));
}
function readPercent(text: string): number | null {
  return text.trim() === '—' ? null : Number(text.replace('%', '').replace(',', '.').trim());
}
function readMinutes(text: string): number | null {
  const t = text.trim();
  if (t === '—') return null;
  if (t.startsWith('<1')) return 0;
  let minutes = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)\s*(d|h|min)\b/g)) minutes += Number(n) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1);
  return minutes;
}
/** What a figure of the report becomes on the page (percent with one decimal, minutes rounded, days and hours past a day). */
const asPercent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
const asShownMinutes = (m: number | null) => (m === null ? null : m < 24 * 60 ? Math.round(m) : Math.round(m / 60) * 60);

type Row = { name: string; cells: string[] };
const figuresOf = (cells: string[]) => ({
  received: readCount(cells[0]!),
  answered: readCount(cells[1]!),
  responseRate: readPercent(cells[2]!),
  frtMedianMinutes: readMinutes(cells[3]!),
  withinSlaRate: readPercent(cells[4]!),
});
const expected = (f: Pick<PeriodFigures, 'received' | 'answered' | 'responseRate' | 'frtMedianMinutes' | 'withinSlaRate'>) => ({
  received: f.received,
  answered: f.answered,
  responseRate: asPercent(f.responseRate),
  frtMedianMinutes: asShownMinutes(f.frtMedianMinutes),
  withinSlaRate: asPercent(f.withinSlaRate),
});

describe('the public page over HTTP', () => {
  it('is not there unless PUBLIC_PAGE=on', async () => {
    const off = await start('off');
    for (const url of ['/', '/en', '/ru', '/public.json']) expect((await fetch(`${off.address}${url}`)).status, url).toBe(404);
  });

  it('serves the JSON twin and the pages with Cache-Control and an ETag, and answers 304 to a matching If-None-Match', async () => {
    const on = await start('on');
    const json = await fetch(`${on.address}/public.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('cache-control')).toBe('public, max-age=300');
    const body = await json.text();
    const figures = JSON.parse(body) as PublicFigures;
    expect(figures.months[0]!.label).toBe(FIRST);
    expect(figures.months.at(-1)!.label).toBe(LAST);
    expect(figures.total.received).toBe(4 + 6 + 2 + 9 + 3 + 1);
    // Aggregates only: no staff, no citizen, no text, no ids.
    expect(body).not.toContain(SECRET_TEXT);
    expect(body).not.toContain(STAFF_NAME);
    expect(body).not.toContain('Պետրոսյան');
    expect(body).not.toMatch(/"(staffId|byStaff|id|externalId|authorId|note)"/);

    for (const url of ['/', '/en', '/ru']) {
      const page = await fetch(`${on.address}${url}`);
      expect(page.status, url).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const etag = page.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);
      const html = await page.text();
      expect(html).toContain(`<html lang="${url === '/' ? 'hy' : url.slice(1)}">`);
      expect(html).not.toContain(SECRET_TEXT);
      expect(html).not.toContain(STAFF_NAME);
      const again = await fetch(`${on.address}${url}`, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
    }
    // Cached: a question arriving now shows only when the figures are computed again.
    const before = await (await fetch(`${on.address}/en`)).text();
    await insertInquiry(tdb.db, { postedAt: new Date(NOW.getTime() - 60_000), text: SECRET_TEXT });
    expect(await (await fetch(`${on.address}/en`)).text()).toBe(before);
    const uncached = createPublicPageCache({ db: tdb.db, config: on.ctx.config, logger: silentLogger(), now: () => new Date(), ttlMs: 0 });
    expect(JSON.parse((await uncached.json()).body).total.received).toBe(figures.total.received! + 1);
  });
});

describe.skipIf(!haveChromium)('the public page in Chromium', () => {
  let userDataDir: string;
  beforeAll(() => {
    userDataDir = mkdtempSync(path.join(tmpdir(), 'ardzagank-chromium-'));
    mkdirSync(OUT_DIR, { recursive: true });
  });
  afterAll(() => rmSync(userDataDir, { recursive: true, force: true }));

  it('shows the figures of `report --format json`, with no console error, no axe violation, under 60 KB', { timeout: 120_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const service = await start('on');
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1024, height: 800 },
    });
    try {
      const report = await reportJson();
      const byLabel = new Map(report.periods.map((p) => [p.label, p]));
      const shown: Record<string, unknown> = {};
      for (const [lang, url] of [['en', '/en'], ['hy', '/'], ['ru', '/ru']] as const) {
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
        let bytes = 0;
        const requests: string[] = [];
        page.on('requestfinished', (request) => {
          requests.push(request.url());
          void request.sizes().then((s) => (bytes += s.responseBodySize + s.responseHeadersSize));
        });
        const response = await page.goto(`${service.address}${url}`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        const body = await response!.body();
        await page.waitForLoadState('networkidle');
        expect(await page.getAttribute('html', 'lang')).toBe(lang);

        // Nothing but the page itself is fetched.
        expect(requests).toEqual([`${service.address}${url}`]);
        expect(body.length).toBeLessThan(60 * 1024);

        if (lang === 'en') {
          // Month by month: every row of the page equals the report's period of the same label.
          const rows = await page.$$eval('table:has(#cap-months) tbody tr', (trs) =>
            trs.map((tr) => ({ name: tr.querySelector('th')!.textContent!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!) })),
          );
          expect(rows).toHaveLength(report.periods.length);
          rows.forEach((row: Row, i) => {
            const period = report.periods[i]!;
            expect(byLabel.get(period.label)).toBe(period);
            expect(figuresOf(row.cells), `${row.name} (${period.label})`).toEqual(expected(period));
          });
          const foot = await page.$eval('table:has(#cap-months) tfoot tr', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!));
          expect(figuresOf(foot)).toEqual(expected(report.total!));
          const summary = await page.$$eval('.summary dd', (dds) => dds.map((d) => d.textContent!));
          expect(figuresOf([summary[0]!, summary[1]!, summary[2]!, summary[3]!, summary[4]!])).toEqual(expected(report.total!));

          const platformRows = await page.$$eval('table:has(#cap-platform) tbody tr', (trs) =>
            trs.map((tr) => ({ name: tr.querySelector('th')!.textContent!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!) })),
          );
          expect(platformRows.map((r) => r.name)).toEqual(report.total!.byPlatform.map((p) => p.platform[0]!.toUpperCase() + p.platform.slice(1)));
          platformRows.forEach((r, i) => expect(figuresOf(r.cells), r.name).toEqual(expected(report.total!.byPlatform[i]!)));
          const sectorRows = await page.$$eval('table:has(#cap-sector) tbody tr', (trs) =>
            trs.map((tr) => ({ name: tr.querySelector('th')!.textContent!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!) })),
          );
          expect(sectorRows.map((r) => r.name)).toEqual(report.total!.bySector.map((s) => s.names?.en ?? 'no sector'));
          sectorRows.forEach((r, i) => expect(figuresOf(r.cells), r.name).toEqual(expected(report.total!.bySector[i]!)));

          // The seed is visible where it was put.
          const seeded = Object.fromEntries(rows.map((r, i) => [report.periods[i]!.label, figuresOf(r.cells)]));
          expect(seeded[monthBack(NOW, 11)]).toMatchObject({ received: 4, answered: 4, responseRate: 100, frtMedianMinutes: 60 });
          expect(seeded[monthBack(NOW, 6)]).toMatchObject({ received: 8, answered: 6, responseRate: 75, frtMedianMinutes: 155 });
          expect(seeded[monthBack(NOW, 2)]).toMatchObject({ received: 12, answered: 9 });
          shown.months = rows.map((r) => `${r.name.trim()}: ${r.cells.join(' | ')}`);
          shown.total = foot.join(' | ');
          shown.byPlatform = platformRows.map((r) => `${r.name}: ${r.cells.join(' | ')}`);
          shown.bySector = sectorRows.map((r) => `${r.name}: ${r.cells.join(' | ')}`);

          // The chart is an image with a name and a description.
          const svg = await page.$eval('svg', (s) => ({ role: s.getAttribute('role'), title: s.querySelector('title')?.textContent, desc: s.querySelector('desc')?.textContent }));
          expect(svg.role).toBe('img');
          expect(svg.title).toBe('Questions received and answered each month');
          expect(svg.desc).toContain('The same figures are in the table below.');
        }

        // Accessibility: axe-core (WCAG 2.0/2.1 A and AA, and its best practices) finds nothing.
        await page.evaluate(axeSource);
        const axe = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as { violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> };
        expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);

        await page.screenshot({ path: path.join(OUT_DIR, `public-page-${lang}.png`), fullPage: true });
        if (lang === 'en') {
          // A phone: nothing wider than the screen but the tables, which scroll in their own region.
          await page.setViewportSize({ width: 360, height: 740 });
          const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
          expect(overflow).toBeLessThanOrEqual(0);
          await page.screenshot({ path: path.join(OUT_DIR, 'public-page-phone.png'), fullPage: true });
        }
        expect(problems).toEqual([]);
        shown[`${lang}Bytes`] = { document: body.length, transferred: bytes };
        await page.close();
      }
      console.info(`public page figures (screenshots in ${OUT_DIR}):\n${JSON.stringify(shown, null, 2)}`);
    } finally {
      await context.close();
    }
  });
});
