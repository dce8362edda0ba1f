import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import { importInquiriesCsv } from '../inbox/import.workflow.js';
import { UsageError, parseCommandArgs, type Command } from './command.js';

const USAGE = `ardzagank import FILE.csv [--unanswered open|dismissed] [--dry-run]

Imports past inquiries so a city starts with its history. A header line
names the columns (any order):

  platform     facebook, instagram or telegram            (required)
  posted_at    when the citizen asked                     (required)
  answered_at  when the first answer was given            (empty: not answered)
  sector       a sector code or name                      (optional)
  staff        who answered: name, @username or user id   (optional)
  answered_via native (on the page, default) or telegram  (optional)
  also optional: kind, text, author, permalink, external_id, status (dismissed)

Times: 2018-05-03 10:15 or 03.05.2018 10:15 (in TIMEZONE), or ISO 8601 with
an offset. Every line is checked first: with any error nothing is imported
and each error names its line. Importing the same file again adds nothing.
Rows without answered_at need --unanswered: "open" puts them in the backlog
(the staff get a card for each), "dismissed" counts them as handled offline.
--dry-run only checks the file.`;

export const importCommand: Command = {
  name: 'import',
  summary: 'import past inquiries from a CSV file (validated, idempotent)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs({ args, options: { unanswered: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true });
    const { values, positionals } = parsed;
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('import needs exactly one CSV file');
    if (values.unanswered !== undefined && values.unanswered !== 'open' && values.unanswered !== 'dismissed') {
      throw new UsageError(`--unanswered must be open or dismissed, not "${values.unanswered}"`);
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`Cannot read ${file}: ${(error as Error).message}`);
      return 1;
    }
    const config = loadConfig();
    const logger = createLogger({ level: 'warn' });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    try {
      await migrateToLatest(database.db, logger);
      let lastReport = 0;
      const result = await importInquiriesCsv(database.db, text, {
        config,
        now: new Date(),
        dryRun: values['dry-run'],
        source: path.basename(file),
        ...(values.unanswered ? { unanswered: values.unanswered as 'open' | 'dismissed' } : {}),
        onProgress: (done, total) => {
          // On long files: a line about every tenth of the file (at least 1,000 rows apart), and the last one.
          if (total > 1_000 && (done === total || done - lastReport >= Math.max(1_000, Math.floor(total / 10)))) {
            io.out(`  ${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows written`);
            lastReport = done;
          }
        },
      });
      if (result.errors.length > 0) {
        io.err(`Nothing was imported from ${file}: ${result.errors.length} problem(s). Fix them and run the import again.`);
        const shown = result.errors.slice(0, 200);
        for (const e of shown) io.err(`  ${e}`);
        if (result.errors.length > shown.length) io.err(`  … and ${result.errors.length - shown.length} more`);
        return 1;
      }
      if (values['dry-run']) {
        io.out(`${file}: ${result.rows} valid row(s), nothing imported (--dry-run).`);
        return 0;
      }
      io.out(
        `Imported ${result.imported} inquiries from ${file}` +
          (result.skipped ? `; ${result.skipped} were already imported before` : '') +
          (result.unanswered ? `; ${result.unanswered} without an answer, ${values.unanswered === 'open' ? 'now open' : 'dismissed as handled offline'}` : '') +
          '.',
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
