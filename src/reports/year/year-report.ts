/**
 * The department's year in numbers (`ardzagank year 2026`, `/year`): the
 * counters in the department's structure (public relations, information,
 * protocol), the inquiries of the year from the period reports, each beside
 * the year before with the change. Every figure is read from data: counter
 * entries and remarks, posts from the feeds, inquiries and baselines.
 */
import type { Db } from '../../db/create-db.js';
import { listCounters } from '../../db/repositories/counter.repository.js';
import type { CounterRow } from '../../db/schema.js';
import { localDateOf, parsePeriodSpec } from '../../domain/periods.js';
import { buildRangeReport, changeOf, compareFigures, lastDayOf } from '../period-report.js';
import type { ReportConfig } from '../report-config.js';
import type { Change, Comparison, PeriodFigures } from '../report.model.js';
import { queryCounterYear, type CounterYearData } from './counter-figures.query.js';

export type YearSection = CounterRow['section'];
export const YEAR_SECTIONS: readonly YearSection[] = ['public_relations', 'information', 'protocol'];

type Names = { hy: string; en: string; ru: string };

/** One counter in one year. */
export interface CounterYearFigure {
  /** Sum of quantities (sessions, citizens received, posts); null when nothing was recorded that year. */
  count: number | null;
  /** Sum of amounts (citizens granted support, GB); null when none. */
  amount: number | null;
  /** What was entered for the year instead of or beside the figure. */
  remark: string | null;
  /** For published posts: by platform. */
  byPlatform: Array<{ platform: string; count: number }>;
}

export interface YearCounterLine {
  code: string;
  section: YearSection;
  names: Names;
  figure: CounterRow['figure'];
  amountNames: Names | null;
  source: CounterRow['source'];
  current: CounterYearFigure;
  previous: CounterYearFigure;
  countChange: Change;
  amountChange: Change;
}

/** A stretch of the year that was either entered by hand (before the system) or measured. */
export interface InquiryPart {
  from: string;
  to: string;
  /** `2018-01..2018-04`, `2018-05..2018-12`, `2018-07`. */
  label: string;
  entered: boolean;
  received: number | null;
  answered: number | null;
  answeredNative: number | null;
  answeredTelegram: number | null;
}

export interface InquiryYear {
  year: number;
  /** The whole year, baselines merged (see period-report.ts). */
  total: PeriodFigures;
  /** Whether the year has anything: inquiries, reactions or baselines. */
  recorded: boolean;
  /** Entered and measured stretches, in order (one part when the whole year is measured). */
  parts: InquiryPart[];
}

export interface YearReport {
  year: number;
  previousYear: number;
  timezone: string;
  generatedAt: string;
  sla: { firstResponseMinutes: number; clock: 'business' | 'wall' };
  lines: YearCounterLine[];
  inquiries: { current: InquiryYear; previous: InquiryYear; changes: Comparison['changes'] };
}

async function inquiryYear(db: Db, config: ReportConfig, year: number, now: Date): Promise<InquiryYear> {
  const range = parsePeriodSpec(String(year), config.timezone);
  const report = await buildRangeReport(db, config, { range, by: 'month', now });
  const total = report.total ?? report.periods[0]!;
  const parts: InquiryPart[] = [];
  for (const p of report.periods) {
    const last = parts.at(-1);
    if (last && last.entered === p.baseline && !p.baseline) {
      last.to = p.to;
      last.label = `${last.label.slice(0, 7)}..${p.label.slice(-7)}`;
      last.received = (last.received ?? 0) + (p.received ?? 0);
      last.answered = (last.answered ?? 0) + (p.answered ?? 0);
      last.answeredNative = (last.answeredNative ?? 0) + (p.answeredNative ?? 0);
      last.answeredTelegram = (last.answeredTelegram ?? 0) + (p.answeredTelegram ?? 0);
      continue;
    }
    parts.push({
      from: p.from,
      to: p.to,
      label: p.label,
      entered: p.baseline,
      received: p.received,
      answered: p.answered,
      answeredNative: p.answeredNative,
      answeredTelegram: p.answeredTelegram,
    });
  }
  const recorded = total.baseline || (total.received ?? 0) + (total.reactions ?? 0) + (total.answered ?? 0) + (total.dismissed ?? 0) + (total.open ?? 0) > 0;
  return { year, total, recorded, parts };
}

function counterFigure(counter: CounterRow, data: CounterYearData, anything: boolean): CounterYearFigure {
  const remark = data.remarks.get(counter.id) ?? null;
  if (counter.source === 'published_posts') {
    const count = data.publishedByPlatform.reduce((n, p) => n + p.count, 0);
    return { count: count > 0 || anything ? count : null, amount: null, remark, byPlatform: data.publishedByPlatform };
  }
  const sums = data.sums.get(counter.id);
  if (!sums) return { count: anything && remark === null ? 0 : null, amount: anything && remark === null && counter.figure !== 'count' ? 0 : null, remark, byPlatform: [] };
  return { count: sums.count, amount: counter.figure === 'count' ? null : (sums.amount ?? 0), remark, byPlatform: [] };
}

async function counterYear(db: Db, config: ReportConfig, year: number): Promise<CounterYearData> {
  const range = parsePeriodSpec(String(year), config.timezone);
  return queryCounterYear(db, { fromDay: `${year}-01-01`, toDay: lastDayOf(range, config.timezone), range, year });
}

/** Whether a year has any counter recorded (an entry, a published post): then a counter with none reads 0, not "—". */
function hasAnything(data: CounterYearData): boolean {
  return data.sums.size > 0 || data.publishedByPlatform.length > 0;
}

/** The year's report of `year`, beside `year - 1`. */
export async function buildYearReport(db: Db, config: ReportConfig, input: { year: number; now: Date }): Promise<YearReport> {
  const { year, now } = input;
  const counters = (await listCounters(db)).filter((c) => c.active);
  const [cur, prev, curInq, prevInq] = await Promise.all([
    counterYear(db, config, year),
    counterYear(db, config, year - 1),
    inquiryYear(db, config, year, now),
    inquiryYear(db, config, year - 1, now),
  ]);
  const curAny = hasAnything(cur);
  const prevAny = hasAnything(prev);
  const lines = counters.map((c): YearCounterLine => {
    const current = counterFigure(c, cur, curAny);
    const previous = counterFigure(c, prev, prevAny);
    return {
      code: c.code,
      section: c.section,
      names: { hy: c.nameHy, en: c.nameEn, ru: c.nameRu },
      figure: c.figure,
      amountNames: c.amountEn === null ? null : { hy: c.amountHy ?? c.amountEn, en: c.amountEn, ru: c.amountRu ?? c.amountEn },
      source: c.source,
      current,
      previous,
      countChange: changeOf(current.count, previous.count),
      amountChange: changeOf(current.amount, previous.amount),
    };
  });
  const changes = compareFigures(curInq.total, prevInq.recorded ? prevInq.total : nullFigures(prevInq.total)).changes;
  return {
    year,
    previousYear: year - 1,
    timezone: config.timezone,
    generatedAt: now.toISOString(),
    sla: { firstResponseMinutes: config.sla.firstResponseMinutes, clock: config.sla.clock },
    lines,
    inquiries: { current: curInq, previous: prevInq, changes },
  };
}

/** A year with nothing recorded compares as unknown, not as zero. */
function nullFigures(f: PeriodFigures): PeriodFigures {
  const out = { ...f } as Record<string, unknown>;
  for (const [k, v] of Object.entries(f)) if (typeof v === 'number') out[k] = null;
  return out as unknown as PeriodFigures;
}

/** The local day of a report's generation, for its subtitle. */
export function generatedDay(report: YearReport): string {
  return localDateOf(new Date(report.generatedAt), report.timezone);
}
