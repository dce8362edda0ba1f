import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import { REPORT_LANGS, type ReportLang } from '../reports/i18n/index.js';
import { buildYearDocument } from '../reports/year/year-document.js';
import { renderYearDocx, renderYearHtml, renderYearMarkdown, renderYearTelegram } from '../reports/year/year-renderers.js';
import { buildYearReport } from '../reports/year/year-report.js';
import { UsageError, parseCommandArgs, type Command } from './command.js';

const FORMATS = ['text', 'md', 'html', 'docx'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `ardzagank year YEAR [--format text|md|html|docx] [--lang hy|en|ru] [--out FILE]

The department's year in numbers, in its structure: public relations,
information, protocol (the counters staff log with /log or "ardzagank log",
posts counted from the pages' feeds), and the citizens' questions on the
social pages (received, answered, response rate, median first response, by
sector and platform; counts entered with "ardzagank baseline" are marked).
Each figure is shown beside the year before, with the change.

  --format   text (as in Telegram; default), md (Markdown), html (one page),
             docx (Word; default file ardzagank-year-YEAR.docx)
  --lang     language (default LOCALE, Armenian)
  --out      write to FILE instead of the terminal

Example: ardzagank year 2018 --format docx --lang en`;

/** Telegram HTML to plain text for the terminal. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export const yearCommand: Command = {
  name: 'year',
  summary: "the department's year in numbers, beside the year before: text, Markdown, HTML or DOCX",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      options: { format: { type: 'string', default: 'text' }, lang: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    });
    const config = loadConfig();
    if (positionals.length !== 1 || !/^\d{4}$/.test(positionals[0]!)) throw new UsageError('give one year, e.g. "ardzagank year 2026"');
    const year = Number(positionals[0]);
    if (!FORMATS.includes(values.format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    const lang = (values.lang ?? config.locale) as ReportLang;
    if (!REPORT_LANGS.includes(lang)) throw new UsageError(`--lang must be one of ${REPORT_LANGS.join(', ')}, not "${values.lang}"`);
    const format = values.format as Format;
    const logger = createLogger({ level: 'warn' });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    try {
      await migrateToLatest(database.db, logger);
      const report = await buildYearReport(database.db, config, { year, now: new Date() });
      const doc = buildYearDocument(report, lang);
      if (format === 'docx') {
        const file = path.resolve(values.out ?? `ardzagank-year-${year}.docx`);
        writeFileSync(file, await renderYearDocx(doc));
        io.out(`Wrote ${file}`);
        return 0;
      }
      const text = format === 'md' ? renderYearMarkdown(doc) : format === 'html' ? renderYearHtml(doc) : `${plain(renderYearTelegram(doc))}\n`;
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
