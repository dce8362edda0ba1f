/**
 * The year's report laid out once, in one language, as headings, tables and
 * paragraphs of plain text; each renderer (Markdown, HTML, DOCX, Telegram)
 * only dresses it, escaping as its format needs. Text that staff or admins
 * entered (remarks, names of counters and sectors) is carried as is and
 * escaped by the renderers.
 */
import { catalogFor, type ReportCatalog, type ReportLang } from '../i18n/index.js';
import { formatChangePercent, formatChangePoints, formatCount, formatDuration, formatPeriodName, formatRate, sourceLabel } from '../format.js';
import { labelForDays } from '../period-report.js';
import type { Change, PeriodFigures, BreakdownFigures, SourceFigures } from '../report.model.js';
import { generatedDay, YEAR_SECTIONS, type CounterYearFigure, type InquiryPart, type InquiryYear, type YearCounterLine, type YearReport } from './year-report.js';
import { yearCatalogFor, type YearCatalog } from './year-i18n.js';

export interface DocRow {
  cells: string[];
  /** A row that details the one above it (drawn indented). */
  sub?: boolean;
}

export interface DocTable {
  columns: string[];
  rows: DocRow[];
}

export type DocBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; small?: boolean }
  | { kind: 'table'; table: DocTable };

export interface YearDocument {
  lang: ReportLang;
  title: string;
  blocks: DocBlock[];
}

function formatAmount(value: number | null, cat: ReportCatalog): string {
  return value === null ? cat.none : new Intl.NumberFormat(cat.locale, { maximumFractionDigits: 2 }).format(value);
}

/** A count, with the year's remark beside it (or instead of it, when nothing was logged). */
function countCell(f: CounterYearFigure, cat: ReportCatalog): string {
  if (f.count === null) return f.remark ?? cat.none;
  return f.remark ? `${formatCount(f.count, cat)} (${f.remark})` : formatCount(f.count, cat);
}

function amountCell(f: CounterYearFigure, unit: string | null, cat: ReportCatalog): string {
  if (f.amount === null) return f.remark ?? cat.none;
  const value = unit ? `${formatAmount(f.amount, cat)} ${unit}` : formatAmount(f.amount, cat);
  return f.remark ? `${value} (${f.remark})` : value;
}

function counterRows(line: YearCounterLine, lang: ReportLang, cat: ReportCatalog, ycat: YearCatalog): DocRow[] {
  const name = line.names[lang];
  const amountName = line.amountNames?.[lang] ?? null;
  if (line.figure === 'amount') {
    return [{ cells: [name, amountCell(line.current, amountName, cat), amountCell(line.previous, amountName, cat), formatChangePercent(line.amountChange, cat)] }];
  }
  const rows: DocRow[] = [{ cells: [name, countCell(line.current, cat), countCell(line.previous, cat), formatChangePercent(line.countChange, cat)] }];
  if (line.figure === 'both' && amountName) {
    const cur = { ...line.current, remark: null };
    const prev = { ...line.previous, remark: null };
    rows.push({ sub: true, cells: [amountName, amountCell(cur, null, cat), amountCell(prev, null, cat), formatChangePercent(line.amountChange, cat)] });
  }
  if (line.source === 'published_posts') {
    const platforms = new Set([...line.current.byPlatform, ...line.previous.byPlatform].map((p) => p.platform));
    if (platforms.size > 1) {
      for (const platform of platforms) {
        const c = line.current.byPlatform.find((p) => p.platform === platform)?.count ?? 0;
        const p = line.previous.byPlatform.find((x) => x.platform === platform)?.count ?? 0;
        const label = ycat.publishedOn(cat.platformNames[platform as keyof ReportCatalog['platformNames']] ?? platform);
        rows.push({ sub: true, cells: [label, formatCount(c, cat), formatCount(p, cat), formatChangePercent({ difference: c - p, percent: p === 0 ? null : Math.round(((c - p) / p) * 1000) / 10 }, cat)] });
      }
    }
  }
  return rows;
}

function partName(part: InquiryPart, cat: ReportCatalog): string {
  return formatPeriodName({ label: part.label, from: part.from, to: part.to }, cat);
}

/** "Citizens' questions answered on the social pages": the year, then its entered and measured stretches. */
function answeredRows(report: YearReport, cat: ReportCatalog, ycat: YearCatalog): DocRow[] {
  const { current, previous, changes } = report.inquiries;
  const prevAnswered = previous.recorded ? previous.total.answered : null;
  const rows: DocRow[] = [{ cells: [ycat.answeredOnPages, formatCount(current.total.answered, cat), formatCount(prevAnswered, cat), formatChangePercent(changes.answered, cat)] }];
  if (current.parts.some((p) => p.entered)) {
    for (const part of current.parts) {
      const name = part.entered ? ycat.beforeSystem(partName(part, cat)) : ycat.withSystem(partName(part, cat));
      rows.push({ sub: true, cells: [name, formatCount(part.answered, cat), '', ''] });
    }
  }
  return rows;
}

/** A figure summed over the measured stretches of a year only. */
function measured(year: InquiryYear, figure: 'answeredNative' | 'answeredTelegram'): number | null {
  const parts = year.parts.filter((p) => !p.entered);
  return parts.length === 0 ? null : parts.reduce((n, p) => n + (p[figure] ?? 0), 0);
}

function figureRow(label: string, cur: string, prev: string, change: string): DocRow {
  return { cells: [label, cur, prev, change] };
}

function inquiryRows(report: YearReport, cat: ReportCatalog, ycat: YearCatalog): DocRow[] {
  const c = report.inquiries.current.total;
  const p: PeriodFigures | null = report.inquiries.previous.recorded ? report.inquiries.previous.total : null;
  const ch = report.inquiries.changes;
  const n = (f: keyof PeriodFigures) => (p ? (p[f] as number | null) : null);
  const pc = (x: Change) => formatChangePercent(x, cat);
  const pp = (x: Change) => formatChangePoints(x, cat);
  return [
    figureRow(cat.received, formatCount(c.received, cat), formatCount(n('received'), cat), pc(ch.received)),
    figureRow(cat.answered, formatCount(c.answered, cat), formatCount(n('answered'), cat), pc(ch.answered)),
    // How the answers were given is known only for what the system measured (entered counts have no split).
    { sub: true, ...figureRow(cat.answeredTelegram, formatCount(measured(report.inquiries.current, 'answeredTelegram'), cat), formatCount(p ? measured(report.inquiries.previous, 'answeredTelegram') : null, cat), '') },
    { sub: true, ...figureRow(cat.answeredNative, formatCount(measured(report.inquiries.current, 'answeredNative'), cat), formatCount(p ? measured(report.inquiries.previous, 'answeredNative') : null, cat), '') },
    figureRow(cat.responseRate, formatRate(c.responseRate, cat), formatRate(n('responseRate'), cat), pp(ch.responseRate)),
    figureRow(cat.withinSla, formatRate(c.withinSlaRate, cat), formatRate(n('withinSlaRate'), cat), pp(ch.withinSlaRate)),
    figureRow(cat.frtMedian, formatDuration(c.frtMedianMinutes, cat), formatDuration(n('frtMedianMinutes'), cat), pc(ch.frtMedianMinutes)),
    figureRow(cat.frtBusinessMedian, formatDuration(c.frtBusinessMedianMinutes, cat), formatDuration(n('frtBusinessMedianMinutes'), cat), pc(ch.frtBusinessMedianMinutes)),
    figureRow(ycat.openAtYearEnd, formatCount(c.open, cat), formatCount(n('open'), cat), pc(ch.open)),
    ...followThroughRows(c, p, ch, cat),
  ];
}

/** Final answers, reopening and the citizens' "solved" (issue 18), when either year has any of it. */
function followThroughRows(c: PeriodFigures, p: PeriodFigures | null, ch: YearReport['inquiries']['changes'], cat: ReportCatalog): DocRow[] {
  const any = (f: PeriodFigures | null) => f !== null && (f.resolved ?? 0) + (f.answeredOnlyInterim ?? 0) + (f.reopened ?? 0) + (f.solvedAsked ?? 0) > 0;
  if (!any(c) && !any(p)) return [];
  const f = cat.followThrough;
  const n = (k: keyof PeriodFigures) => (p ? (p[k] as number | null) : null);
  const pc = (x: Change) => formatChangePercent(x, cat);
  const pp = (x: Change) => formatChangePoints(x, cat);
  return [
    figureRow(f.resolved, formatCount(c.resolved, cat), formatCount(n('resolved'), cat), pc(ch.resolved)),
    figureRow(f.resolutionMedian, formatDuration(c.resolutionMedianMinutes, cat), formatDuration(n('resolutionMedianMinutes'), cat), pc(ch.resolutionMedianMinutes)),
    figureRow(f.resolutionBusinessMedian, formatDuration(c.resolutionBusinessMedianMinutes, cat), formatDuration(n('resolutionBusinessMedianMinutes'), cat), pc(ch.resolutionBusinessMedianMinutes)),
    figureRow(f.withinResolutionTarget, formatRate(c.resolutionWithinTargetRate, cat), formatRate(n('resolutionWithinTargetRate'), cat), pp(ch.resolutionWithinTargetRate)),
    figureRow(f.finalShare, formatRate(c.finalShare, cat), formatRate(n('finalShare'), cat), pp(ch.finalShare)),
    figureRow(f.reopenRate, formatRate(c.reopenRate, cat), formatRate(n('reopenRate'), cat), pp(ch.reopenRate)),
    ...(c.solvedAsked || p?.solvedAsked ? [figureRow(f.solvedRate, formatRate(c.solvedRate, cat), formatRate(n('solvedRate'), cat), pp(ch.solvedRate))] : []),
  ];
}

/** A source by its name and platform ("City Hall (Facebook)"); inquiries of no recorded source (imported, entered) under "no source". */
function sourceName(s: SourceFigures, cat: ReportCatalog): string {
  if (s.sourceId === null) return cat.noSource;
  const platform = s.platform ? cat.platformNames[s.platform] : null;
  return s.name && platform ? `${s.name} (${platform})` : sourceLabel(s, cat);
}

/** Sectors, sources or platforms with questions received or answered in the year (one with only a backlog from before has nothing to show here). */
const active = <T extends BreakdownFigures>(slices: T[]): T[] => slices.filter((s) => s.received > 0 || s.answered > 0);

function sliceTable(slices: Array<BreakdownFigures & { name: string }>, cat: ReportCatalog, ycat: YearCatalog): DocTable {
  const k = ycat.sliceColumns;
  return {
    columns: [k.name, k.received, k.answered, k.responseRate, k.frtMedian],
    rows: slices.map((s) => ({ cells: [s.name, formatCount(s.received, cat), formatCount(s.answered, cat), formatRate(s.responseRate, cat), formatDuration(s.frtMedianMinutes, cat)] })),
  };
}

/** Lays the report out in `lang`. */
export function buildYearDocument(report: YearReport, lang: ReportLang): YearDocument {
  const cat = catalogFor(lang);
  const ycat = yearCatalogFor(lang);
  const columns = [ycat.figure, String(report.year), String(report.previousYear), ycat.change];
  const blocks: DocBlock[] = [
    { kind: 'heading', level: 1, text: ycat.title(report.year) },
    { kind: 'paragraph', text: ycat.subtitle(report.year, report.previousYear, generatedDay(report).split('-').reverse().join('.')), small: true },
  ];
  YEAR_SECTIONS.forEach((section, index) => {
    const rows = report.lines.filter((l) => l.section === section).flatMap((l) => counterRows(l, lang, cat, ycat));
    if (section === 'public_relations') rows.push(...answeredRows(report, cat, ycat));
    blocks.push({ kind: 'heading', level: 2, text: `${index + 1}. ${ycat.sections[section]}` });
    if (rows.length > 0) blocks.push({ kind: 'table', table: { columns, rows } });
  });

  const current = report.inquiries.current;
  blocks.push({ kind: 'heading', level: 2, text: `${YEAR_SECTIONS.length + 1}. ${ycat.sections.inquiries}` });
  blocks.push({ kind: 'table', table: { columns, rows: inquiryRows(report, cat, ycat) } });
  const bySector = active(current.total.bySector).map((s) => ({ ...s, name: s.names?.[lang] ?? s.sector ?? cat.noSector }));
  if (bySector.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: `${ycat.bySector} (${report.year})` });
    blocks.push({ kind: 'table', table: sliceTable(bySector, cat, ycat) });
  }
  const bySource = active(current.total.bySource).map((s) => ({ ...s, name: sourceName(s, cat) })).sort((a, b) => b.received - a.received || a.name.localeCompare(b.name));
  if (bySource.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: `${ycat.bySource} (${report.year})` });
    blocks.push({ kind: 'table', table: sliceTable(bySource, cat, ycat) });
  }
  const byPlatform = active(current.total.byPlatform).map((s) => ({ ...s, name: cat.platformNames[s.platform] ?? s.platform }));
  if (byPlatform.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: `${ycat.byPlatform} (${report.year})` });
    blocks.push({ kind: 'table', table: sliceTable(byPlatform, cat, ycat) });
  }
  const entered = [...current.total.entered, ...(report.inquiries.previous.recorded ? report.inquiries.previous.total.entered : [])];
  if (entered.length > 0) {
    const metricName = (m: string) => (m === 'received' ? cat.received : m === 'answered' ? cat.answered : m === 'dismissed' ? cat.dismissed : cat.answeredNative);
    const parts = entered.map((e) => `${metricName(e.metric).toLowerCase()} ${formatCount(e.value, cat)} (${formatPeriodName({ label: labelForDays(e.from, e.to), from: e.from, to: e.to }, cat)})`);
    blocks.push({ kind: 'paragraph', text: ycat.enteredNote(parts.join('; ')), small: true });
  }
  blocks.push({ kind: 'paragraph', text: ycat.sourceNote, small: true });
  return { lang, title: ycat.title(report.year), blocks };
}
