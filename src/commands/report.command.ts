import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { localDateOf, parsePeriodSpec, PeriodSpecError, type Period } from '../domain/periods.js';
import { createLogger } from '../observability/logger.js';
import { catalogFor, REPORT_LANGS, type ReportLang } from '../reports/i18n/index.js';
import { buildRangeReport } from '../reports/period-report.js';
import { renderReportCsv } from '../reports/renderers/csv.renderer.js';
import { renderReportJson } from '../reports/renderers/json.renderer.js';
import { renderReportText } from '../reports/renderers/text.renderer.js';
import { renderReportXlsx } from '../reports/renderers/xlsx.renderer.js';
import { buildWaveReport, renderWaveReportCsv, renderWaveReportText } from '../reports/waves.report.js';
import { UsageError, parseCommandArgs, type Command } from './command.js';

const FORMATS = ['text', 'json', 'csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `ardzagank report [--from YYYY-MM] [--to YYYY-MM] [--by month|week|wave] [--compare A..B]
                 [--format text|json|csv|xlsx] [--lang hy|en|ru] [--out FILE]

Figures of citizen inquiries (DESIGN.md, Metrics) for each month or ISO week
from --from to --to (both included; default: this month), in the city's time
zone (TIMEZONE). With several periods the whole range is shown too.

  --from, --to   a month (2018-05), also an ISO week (2018-W19), a day
                 (2018-05-14) or a year (2018)
  --by           month (default) or week; wave: each wave of the range (size,
                 time to the first statement, share answered, rumours before
                 and after their rebuttal)
  --compare      compare the whole range with another period, e.g.
                 --from 2018-05 --to 2018-12 --compare 2018-01..2018-04
  --format       text (default), json, csv or xlsx
  --lang         language of text and xlsx (default LOCALE, Armenian)
  --out          write to FILE instead of the terminal (xlsx: default
                 ardzagank-report-FROM-TO.xlsx in the current folder)

Counts entered by hand for periods before the system ("ardzagank baseline")
are included and marked.`;

function parse(spec: string | undefined, timezone: string, what: string): Period | undefined {
  if (spec === undefined) return undefined;
  try {
    return parsePeriodSpec(spec, timezone);
  } catch (error) {
    if (error instanceof PeriodSpecError) throw new UsageError(`${what}: ${error.message}`);
    throw error;
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'figures by month or week, comparisons, baselines: text, JSON, CSV or XLSX',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        by: { type: 'string', default: 'month' },
        compare: { type: 'string' },
        format: { type: 'string', default: 'text' },
        lang: { type: 'string' },
        out: { type: 'string' },
      },
      allowPositionals: false,
    });
    const config = loadConfig();
    const tz = config.timezone;
    if (values.by !== 'month' && values.by !== 'week' && values.by !== 'wave') throw new UsageError(`--by must be month, week or wave, not "${values.by}"`);
    if (!FORMATS.includes(values.format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    const lang = (values.lang ?? config.locale) as ReportLang;
    if (!REPORT_LANGS.includes(lang)) throw new UsageError(`--lang must be one of ${REPORT_LANGS.join(', ')}, not "${values.lang}"`);
    const now = new Date();
    const thisMonth = localDateOf(now, tz).slice(0, 7);
    const from = parse(values.from ?? values.to ?? thisMonth, tz, '--from')!;
    const to = parse(values.to ?? values.from ?? thisMonth, tz, '--to')!;
    if (to.to <= from.from) throw new UsageError('--to is before --from');
    const range: Period = { from: from.from, to: to.to, label: from.label === to.label ? from.label : `${from.label}..${to.label}` };
    const compare = parse(values.compare, tz, '--compare');

    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: createLogger({ level: 'warn' }) });
    try {
      await migrateToLatest(database.db, createLogger({ level: 'warn' }));
      if (values.by === 'wave') {
        // Waves whose first question was posted in the range: size, time to the first statement, share answered, rumours.
        const rows = await buildWaveReport(database.db, range);
        const format = values.format as Format;
        if (format === 'xlsx') throw new UsageError('--by wave is written as text, json or csv');
        const text = format === 'json' ? `${JSON.stringify({ from: range.from, to: range.to, waves: rows }, null, 2)}\n` : format === 'csv' ? renderWaveReportCsv(rows) : `${renderWaveReportText(rows, lang, tz)}\n`;
        if (values.out) {
          writeFileSync(values.out, text);
          io.out(`Wrote ${path.resolve(values.out)}`);
        } else io.out(text.replace(/\r?\n$/, ''));
        return 0;
      }
      const report = await buildRangeReport(database.db, config, { range, by: values.by, now, ...(compare ? { compare } : {}) });
      const format = values.format as Format;
      if (format === 'xlsx') {
        const file = path.resolve(values.out ?? `ardzagank-report-${range.label.replace('..', '-')}.xlsx`);
        writeFileSync(file, await renderReportXlsx(report, catalogFor(lang)));
        io.out(`Wrote ${file}`);
        return 0;
      }
      const text =
        format === 'json' ? renderReportJson(report) : format === 'csv' ? renderReportCsv(report) : `${renderReportText(report, catalogFor(lang))}\n`;
      if (values.out) {
        writeFileSync(values.out, text);
        io.out(`Wrote ${path.resolve(values.out)}`);
      } else {
        io.out(text.replace(/\r?\n$/, ''));
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};
