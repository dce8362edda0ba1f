/**
 * Baselines: counts entered by hand for periods before the system existed
 * ("January–April 2018: 12 answered"), stored in `baselines` and shown in
 * reports and comparisons marked as entered (DESIGN.md, Metrics).
 *
 * A baseline covers whole local days `from`..`to`. Baselines of one figure
 * must not overlap (the same days would count twice); entering the same
 * period and figure again replaces the value.
 */
import type { Db } from '../db/create-db.js';
import type { BaselineRow } from '../db/schema.js';
import { localDateOf, parsePeriodSpec, PeriodSpecError } from '../domain/periods.js';
import { parseCsv } from './csv.js';
import { BASELINE_METRICS, type BaselineMetric } from './report.model.js';

/** A baseline could not be stored; the message says why and what to do. */
export class BaselineError extends Error {
  override name = 'BaselineError';
}

export interface BaselineDays {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const ALIASES: Record<string, BaselineMetric> = {
  received: 'received',
  answered: 'answered',
  answered_native: 'answered_native',
  answerednative: 'answered_native',
  native: 'answered_native',
  dismissed: 'dismissed',
};

/** `answered`, `answeredNative`, `native`… → the stored metric name; undefined when unknown. */
export function baselineMetricOf(name: string): BaselineMetric | undefined {
  return ALIASES[name.trim().toLowerCase().replace(/[-\s]/g, '_')] ?? ALIASES[name.trim().toLowerCase().replace(/[-_\s]/g, '')];
}

/** The local days of a period spec (`2018-01..2018-04`, `2018-05`, `2018`). */
export function baselineDaysOf(spec: string, timezone: string): BaselineDays {
  let period;
  try {
    period = parsePeriodSpec(spec, timezone);
  } catch (error) {
    if (error instanceof PeriodSpecError) throw new BaselineError(error.message);
    throw error;
  }
  return { from: localDateOf(period.from, timezone), to: localDateOf(new Date(period.to.getTime() - 1), timezone) };
}

/** Parses `answered=12` into a metric and a whole number ≥ 0. */
export function parseBaselineAssignment(text: string): { metric: BaselineMetric; value: number } {
  const m = /^([A-Za-z_ -]+)=(\d+)$/.exec(text.trim());
  const metric = m ? baselineMetricOf(m[1]!) : undefined;
  if (!m || !metric) {
    throw new BaselineError(`"${text}" is not understood: write FIGURE=COUNT with FIGURE one of ${BASELINE_METRICS.join(', ')} (for example answered=12)`);
  }
  return { metric, value: Number(m[2]) };
}

export interface SetBaselineInput {
  days: BaselineDays;
  values: Partial<Record<BaselineMetric, number>>;
  note?: string | null;
  enteredBy?: string | null;
}

/**
 * Stores the counts of one period (replacing what was entered for the same
 * period and figure), in one transaction.
 * @throws {BaselineError} when a figure overlaps another period of the same figure.
 */
export async function setBaseline(db: Db, input: SetBaselineInput): Promise<BaselineRow[]> {
  const entries = Object.entries(input.values) as Array<[BaselineMetric, number]>;
  if (entries.length === 0) throw new BaselineError('nothing to enter: give at least one FIGURE=COUNT');
  for (const [metric, value] of entries) {
    if (!Number.isSafeInteger(value) || value < 0) throw new BaselineError(`${metric}: ${value} is not a whole number ≥ 0`);
  }
  return db.transaction().execute((trx) => storeBaseline(trx, entries, input));
}

async function storeBaseline(trx: Db, entries: Array<[BaselineMetric, number]>, input: SetBaselineInput): Promise<BaselineRow[]> {
  const out: BaselineRow[] = [];
  for (const [metric, value] of entries) {
    const overlapping = await trx
      .selectFrom('baselines')
      .selectAll()
      .where('metric', '=', metric)
      .where('periodFrom', '<=', input.days.to)
      .where('periodTo', '>=', input.days.from)
      .where((eb) => eb.or([eb('periodFrom', '<>', input.days.from), eb('periodTo', '<>', input.days.to)]))
      .executeTakeFirst();
    if (overlapping) {
      throw new BaselineError(
        `${metric} for ${input.days.from}..${input.days.to} overlaps the one entered for ${overlapping.periodFrom}..${overlapping.periodTo} (${overlapping.value}); ` +
          `delete that one first (ardzagank baseline delete ${overlapping.periodFrom}..${overlapping.periodTo} ${metric}) or enter periods that do not overlap`,
      );
    }
    const row = await trx
      .insertInto('baselines')
      .values({ periodFrom: input.days.from, periodTo: input.days.to, metric, value, note: input.note ?? null, enteredBy: input.enteredBy ?? null })
      .onConflict((oc) => oc.columns(['periodFrom', 'periodTo', 'metric']).doUpdateSet({ value, note: input.note ?? null, enteredBy: input.enteredBy ?? null }))
      .returningAll()
      .executeTakeFirstOrThrow();
    out.push(row);
  }
  return out;
}

export async function listBaselines(db: Db): Promise<BaselineRow[]> {
  return db.selectFrom('baselines').selectAll().orderBy('periodFrom').orderBy('periodTo').orderBy('metric').execute();
}

/** Deletes the baselines of a period (one figure, or all); returns how many. */
export async function deleteBaseline(db: Db, days: BaselineDays, metric?: BaselineMetric): Promise<number> {
  let q = db.deleteFrom('baselines').where('periodFrom', '=', days.from).where('periodTo', '=', days.to);
  if (metric) q = q.where('metric', '=', metric);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface BaselineImportResult {
  stored: number;
  errors: string[];
}

/**
 * Imports baselines from CSV. The header names the columns: `period`
 * (`2018-01..2018-04`) or `from` and `to`; then either `metric` and `value`
 * (one figure per line), or one column per figure (`received`, `answered`,
 * `answered_native`, `dismissed`); `note` is optional. Nothing is stored
 * unless every line is valid.
 */
export async function importBaselinesCsv(db: Db, text: string, options: { timezone: string; enteredBy?: string }): Promise<BaselineImportResult> {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) return { stored: 0, errors: ['the file is empty'] };
  const col = new Map(header.fields.map((h, i) => [h.trim().toLowerCase(), i]));
  const metricColumns = [...col.entries()].flatMap(([name, i]) => {
    const metric = baselineMetricOf(name);
    return metric && name !== 'metric' ? [{ metric, i }] : [];
  });
  const long = col.has('metric') && col.has('value');
  const errors: string[] = [];
  if (!col.has('period') && !(col.has('from') && col.has('to'))) errors.push(`line ${header.line}: the header needs a "period" column, or "from" and "to"`);
  if (!long && metricColumns.length === 0) {
    errors.push(`line ${header.line}: the header needs "metric" and "value" columns, or columns named after figures (${BASELINE_METRICS.join(', ')})`);
  }
  if (errors.length) return { stored: 0, errors };

  const inputs: SetBaselineInput[] = [];
  for (const r of records) {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? '' : (r.fields[i] ?? '').trim();
    };
    try {
      const days = col.has('period') ? baselineDaysOf(get('period'), options.timezone) : spanOf(get('from'), get('to'), options.timezone);
      const values: Partial<Record<BaselineMetric, number>> = {};
      if (long) {
        const { metric, value } = parseBaselineAssignment(`${get('metric')}=${get('value')}`);
        values[metric] = value;
      } else {
        for (const { metric, i } of metricColumns) {
          const v = (r.fields[i] ?? '').trim();
          if (v === '') continue;
          if (!/^\d+$/.test(v)) throw new BaselineError(`${metric}: "${v}" is not a whole number ≥ 0`);
          values[metric] = Number(v);
        }
      }
      inputs.push({ days, values, note: get('note') || null, enteredBy: options.enteredBy ?? null });
    } catch (error) {
      errors.push(`line ${r.line}: ${(error as Error).message}`);
    }
  }
  if (errors.length) return { stored: 0, errors };
  let stored = 0;
  try {
    await db.transaction().execute(async (trx) => {
      for (const input of inputs) stored += (await storeBaseline(trx, Object.entries(input.values) as Array<[BaselineMetric, number]>, input)).length;
    });
  } catch (error) {
    if (error instanceof BaselineError) return { stored: 0, errors: [error.message] };
    throw error;
  }
  return { stored, errors: [] };
}

function spanOf(from: string, to: string, timezone: string): BaselineDays {
  const a = baselineDaysOf(from, timezone);
  const b = baselineDaysOf(to, timezone);
  if (b.to < a.from) throw new BaselineError(`"${to}" is before "${from}"`);
  return { from: a.from, to: b.to };
}
