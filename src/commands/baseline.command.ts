import { readFileSync } from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../observability/logger.js';
import {
  BaselineError,
  baselineDaysOf,
  baselineMetricOf,
  deleteBaseline,
  importBaselinesCsv,
  listBaselines,
  parseBaselineAssignment,
  setBaseline,
} from '../reports/baseline.service.js';
import type { BaselineMetric } from '../reports/report.model.js';
import { UsageError, parseCommandArgs, type Command, type CommandIo } from './command.js';

const USAGE = `ardzagank baseline set PERIOD FIGURE=COUNT… [--note TEXT]
ardzagank baseline list
ardzagank baseline delete PERIOD [FIGURE]
ardzagank baseline import FILE.csv

Counts for periods before the system existed, entered by hand. Reports and
comparisons show them like measured figures, marked as entered.

  PERIOD   2018-01..2018-04, 2018-05, 2018 (local days in TIMEZONE)
  FIGURE   received, answered, answered_native, dismissed

Examples:
  ardzagank baseline set 2018-01..2018-04 answered=12
  ardzagank baseline set 2018-01..2018-04 received=40 answered=12 --note "from the 2018 annual report"

CSV import: a header with "period" (or "from" and "to") and either "metric"
and "value" or one column per figure, and optionally "note":
  period,received,answered
  2018-01..2018-04,40,12
Nothing is stored unless every line is valid.`;

function enteredBy(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

async function withDb<T>(fn: (db: Db, timezone: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await migrateToLatest(database.db, logger);
    return await fn(database.db, config.timezone);
  } finally {
    await database.close();
  }
}

async function run(args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseCommandArgs({ args: rest, options: { note: { type: 'string' } }, allowPositionals: true });
  const { values, positionals } = parsed;
  try {
    switch (sub) {
      case 'set': {
        const [spec, ...assignments] = positionals;
        if (!spec || assignments.length === 0) throw new UsageError('baseline set needs a PERIOD and at least one FIGURE=COUNT');
        const values2: Partial<Record<BaselineMetric, number>> = {};
        for (const a of assignments) {
          const { metric, value } = parseBaselineAssignment(a);
          values2[metric] = value;
        }
        return await withDb(async (db, tz) => {
          const days = baselineDaysOf(spec, tz);
          const rows = await setBaseline(db, { days, values: values2, note: values.note ?? null, enteredBy: enteredBy() });
          for (const r of rows) io.out(`Entered ${r.metric}=${r.value} for ${r.periodFrom}..${r.periodTo}${r.note ? ` (${r.note})` : ''}.`);
          return 0;
        });
      }
      case 'list':
        return await withDb(async (db) => {
          const rows = await listBaselines(db);
          if (rows.length === 0) io.out('No baselines entered. Add one with: ardzagank baseline set 2018-01..2018-04 answered=12');
          for (const r of rows) io.out(`${r.periodFrom}..${r.periodTo}  ${r.metric.padEnd(15)} ${String(r.value).padStart(7)}  ${r.note ?? ''}`.trimEnd());
          return 0;
        });
      case 'delete': {
        const [spec, metricName] = positionals;
        if (!spec) throw new UsageError('baseline delete needs a PERIOD');
        const metric = metricName === undefined ? undefined : baselineMetricOf(metricName);
        if (metricName !== undefined && !metric) throw new UsageError(`"${metricName}" is not a figure (received, answered, answered_native, dismissed)`);
        return await withDb(async (db, tz) => {
          const days = baselineDaysOf(spec, tz);
          const n = await deleteBaseline(db, days, metric);
          io.out(n === 0 ? `Nothing entered for ${days.from}..${days.to}${metric ? ` (${metric})` : ''}.` : `Deleted ${n} baseline(s) of ${days.from}..${days.to}.`);
          return 0;
        });
      }
      case 'import': {
        const [file] = positionals;
        if (!file) throw new UsageError('baseline import needs a CSV file');
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          io.err(`Cannot read ${file}: ${(error as Error).message}`);
          return 1;
        }
        return await withDb(async (db, tz) => {
          const result = await importBaselinesCsv(db, text, { timezone: tz, enteredBy: enteredBy() });
          if (result.errors.length > 0) {
            io.err(`Nothing was imported from ${file}; fix these and run it again:`);
            for (const e of result.errors) io.err(`  ${e}`);
            return 1;
          }
          io.out(`Imported ${result.stored} baseline figure(s) from ${file}.`);
          return 0;
        });
      }
      default:
        throw new UsageError(sub ? `unknown baseline action "${sub}"` : 'baseline needs an action: set, list, delete or import');
    }
  } catch (error) {
    if (error instanceof BaselineError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

export const baselineCommand: Command = {
  name: 'baseline',
  summary: 'enter counts for periods before the system (shown in reports, marked as entered)',
  usage: USAGE,
  run,
};
