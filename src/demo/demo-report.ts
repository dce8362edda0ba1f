/**
 * What the demo shows at the end: the month's report in Armenian and the
 * digest chart for the month's last week, written to a PNG file.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { monthRange, weekRange } from '../domain/periods.js';
import { renderMonthReport, writeDigestPng } from '../reports/report-output.js';

export interface DemoReport {
  text: string;
  digestText: string;
  pngBytes: number;
}

export async function renderMonthForDemo(o: { db: Db; config: Config; month: string; now: Date; pngPath: string }): Promise<DemoReport> {
  const text = await renderMonthReport(o.db, o.config, o.month, 'hy', o.now);
  const lastDay = new Date(monthRange(o.month, o.config.timezone).to.getTime() - 1);
  const digest = await writeDigestPng(o.db, o.config, o.pngPath, { lang: 'hy', now: o.now, week: weekRange(lastDay, o.config.timezone) });
  return { text, digestText: digest.text, pngBytes: digest.png.length };
}
