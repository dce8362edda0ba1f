/**
 * Ready-made outputs for callers that just want to show something (the
 * demo, scripts): a month's report as text, and the digest chart written to
 * a PNG file together with the digest's text.
 */
import { writeFileSync } from 'node:fs';
import type { Db } from '../db/create-db.js';
import { monthRange, weekRange, type Period } from '../domain/periods.js';
import { buildDigestData } from './digest/digest.data.js';
import { chartWeeksOf, htmlToPlainText, renderDigestHtml } from './digest/digest.text.js';
import { catalogFor, type ReportLang } from './i18n/index.js';
import { buildRangeReport } from './period-report.js';
import type { ReportConfig } from './report-config.js';
import { renderWeeklyChart } from './renderers/chart.renderer.js';
import { renderReportText } from './renderers/text.renderer.js';

/**
 * The report of one month (`YYYY-MM`) as terminal text in `lang`, with
 * breakdowns by platform, sector and staff member.
 *
 * @example console.log(await renderMonthReport(db, config, '2026-11', 'hy'))
 */
export async function renderMonthReport(db: Db, config: ReportConfig, month: string, lang: ReportLang = 'hy', now: Date = new Date()): Promise<string> {
  const report = await buildRangeReport(db, config, { range: monthRange(month, config.timezone), by: 'month', now });
  return renderReportText(report, catalogFor(lang));
}

export interface DigestPngResult {
  file: string;
  week: Period;
  /** The digest's text (plain), as the head of community would read it. */
  text: string;
  png: Buffer;
}

/**
 * Writes the digest chart (12 weeks ending with `week`, by default the week
 * of `now` so far) to `file` and returns the digest's text as well.
 */
export async function writeDigestPng(
  db: Db,
  config: ReportConfig,
  file: string,
  options: { lang?: ReportLang; now?: Date; week?: Period } = {},
): Promise<DigestPngResult> {
  const now = options.now ?? new Date();
  const week = options.week ?? weekRange(now, config.timezone);
  const cat = catalogFor(options.lang ?? 'hy');
  const data = await buildDigestData(db, config, week, now);
  const png = await renderWeeklyChart(chartWeeksOf(data), cat);
  writeFileSync(file, png);
  return { file, week, text: htmlToPlainText(renderDigestHtml(data, cat, { timezone: config.timezone })), png };
}
