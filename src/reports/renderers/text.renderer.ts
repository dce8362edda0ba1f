/**
 * The report as text for a terminal, in the reader's language: figures as
 * rows, periods as columns (at most four per table), then the breakdowns of
 * the single period or of the whole range, then the comparison.
 */
import { formatChangePercent, formatChangePoints, formatCount, formatDuration, formatMoment, formatPeriodName, formatRate, sourceLabel } from '../format.js';
import type { ReportCatalog } from '../i18n/catalog.js';
import type { BreakdownFigures, Comparison, PeriodFigures, RangeReport } from '../report.model.js';

const COLUMNS_PER_TABLE = 4;

/** A plain table: the first column left-aligned, the others right-aligned. */
export function renderTable(header: string[], rows: string[][], indent = ''): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

interface Row {
  label: string;
  value: (p: PeriodFigures) => string;
}

function figureRows(cat: ReportCatalog): Row[] {
  const count = (v: number | null) => formatCount(v, cat);
  return [
    { label: cat.received, value: (p) => count(p.received) },
    { label: cat.reactions, value: (p) => count(p.reactions) },
    { label: cat.answered, value: (p) => count(p.answered) },
    { label: `  ${cat.answeredTelegram}`, value: (p) => count(p.answeredTelegram) },
    { label: `  ${cat.answeredNative}`, value: (p) => count(p.answeredNative) },
    { label: cat.dismissed, value: (p) => count(p.dismissed) },
    { label: cat.responseRate, value: (p) => formatRate(p.responseRate, cat) },
    { label: cat.withinSla, value: (p) => formatRate(p.withinSlaRate, cat) },
    { label: cat.frtMedian, value: (p) => formatDuration(p.frtMedianMinutes, cat) },
    { label: cat.frtP90, value: (p) => formatDuration(p.frtP90Minutes, cat) },
    { label: cat.frtBusinessMedian, value: (p) => formatDuration(p.frtBusinessMedianMinutes, cat) },
    { label: cat.frtBusinessP90, value: (p) => formatDuration(p.frtBusinessP90Minutes, cat) },
    { label: cat.claimMedian, value: (p) => formatDuration(p.claimMedianMinutes, cat) },
    { label: cat.open, value: (p) => count(p.open) },
    { label: cat.oldestOpen, value: (p) => formatDuration(p.oldestOpenAgeMinutes, cat) },
  ];
}

function columnTitle(p: PeriodFigures, cat: ReportCatalog): string {
  return `${formatPeriodName(p, cat)}${p.baseline ? cat.enteredMark : ''}`;
}

function periodTables(periods: PeriodFigures[], cat: ReportCatalog): string[] {
  const rows = figureRows(cat);
  const out: string[] = [];
  for (let i = 0; i < periods.length; i += COLUMNS_PER_TABLE) {
    const chunk = periods.slice(i, i + COLUMNS_PER_TABLE);
    out.push(...renderTable(['', ...chunk.map((p) => columnTitle(p, cat))], rows.map((r) => [r.label, ...chunk.map(r.value)])), '');
  }
  return out;
}

function breakdownTables(p: PeriodFigures, cat: ReportCatalog): string[] {
  const out: string[] = [];
  const headerShort = [cat.received, cat.answered, cat.open, cat.responseRate, cat.frtMedian];
  const sliceRow = (name: string, s: BreakdownFigures) => [
    name,
    formatCount(s.received, cat),
    formatCount(s.answered, cat),
    formatCount(s.open, cat),
    formatRate(s.responseRate, cat),
    formatDuration(s.frtMedianMinutes, cat),
  ];
  if (p.byPlatform.length > 0) {
    out.push(cat.byPlatform, ...renderTable(['', ...headerShort], p.byPlatform.map((s) => sliceRow(cat.platformNames[s.platform], s)), '  '), '');
  }
  if (p.bySource.length > 0) {
    out.push(cat.bySource, ...renderTable(['', ...headerShort], p.bySource.map((s) => sliceRow(sourceLabel(s, cat), s)), '  '), '');
  }
  if (p.bySector.length > 0) {
    out.push(
      cat.bySector,
      ...renderTable(
        ['', ...headerShort],
        p.bySector.map((s) => sliceRow(s.sector === null ? cat.noSector : (s.names?.[cat.lang] ?? s.sector), s)),
        '  ',
      ),
      '',
    );
  }
  if (p.byStaff.length > 0) {
    const c = cat.staffColumns;
    out.push(
      cat.byStaff,
      ...renderTable(
        [c.name, c.answered, c.withinSla, c.frtMedian, c.claimed, c.claimMedian],
        p.byStaff.map((s) => [
          s.name,
          formatCount(s.answered, cat),
          formatCount(s.answeredWithinSla, cat),
          formatDuration(s.frtMedianMinutes, cat),
          formatCount(s.claimed, cat),
          formatDuration(s.claimMedianMinutes, cat),
        ]),
        '  ',
      ),
      '',
    );
  }
  return out;
}

/** The comparison of two periods as a table: current, previous, change. */
export function comparisonTable(c: Comparison, cat: ReportCatalog): string[] {
  const count = (v: number | null) => formatCount(v, cat);
  const pct = (k: keyof Comparison['changes']) => formatChangePercent(c.changes[k], cat);
  const pts = (k: keyof Comparison['changes']) => formatChangePoints(c.changes[k], cat);
  const rows: string[][] = [
    [cat.received, count(c.current.received), count(c.previous.received), pct('received')],
    [cat.reactions, count(c.current.reactions), count(c.previous.reactions), pct('reactions')],
    [cat.answered, count(c.current.answered), count(c.previous.answered), pct('answered')],
    [`  ${cat.answeredNative}`, count(c.current.answeredNative), count(c.previous.answeredNative), pct('answeredNative')],
    [cat.dismissed, count(c.current.dismissed), count(c.previous.dismissed), pct('dismissed')],
    [cat.responseRate, formatRate(c.current.responseRate, cat), formatRate(c.previous.responseRate, cat), pts('responseRate')],
    [cat.withinSla, formatRate(c.current.withinSlaRate, cat), formatRate(c.previous.withinSlaRate, cat), pts('withinSlaRate')],
    [cat.frtMedian, formatDuration(c.current.frtMedianMinutes, cat), formatDuration(c.previous.frtMedianMinutes, cat), pct('frtMedianMinutes')],
    [cat.frtP90, formatDuration(c.current.frtP90Minutes, cat), formatDuration(c.previous.frtP90Minutes, cat), pct('frtP90Minutes')],
    [
      cat.frtBusinessMedian,
      formatDuration(c.current.frtBusinessMedianMinutes, cat),
      formatDuration(c.previous.frtBusinessMedianMinutes, cat),
      pct('frtBusinessMedianMinutes'),
    ],
    [cat.claimMedian, formatDuration(c.current.claimMedianMinutes, cat), formatDuration(c.previous.claimMedianMinutes, cat), pct('claimMedianMinutes')],
    [cat.open, count(c.current.open), count(c.previous.open), pct('open')],
  ];
  return renderTable(['', columnTitle(c.current, cat), columnTitle(c.previous, cat), cat.change], rows);
}

/** The whole report as text. */
export function renderReportText(report: RangeReport, cat: ReportCatalog): string {
  const tz = report.timezone;
  const lines: string[] = [cat.title, cat.subtitle(tz, formatDuration(report.sla.firstResponseMinutes, cat), report.sla.clock), ''];
  const periods = report.periods;
  const nothing = [...periods, ...(report.total ? [report.total] : [])].every(
    (p) => (p.received ?? 0) + (p.reactions ?? 0) + (p.answered ?? 0) + (p.dismissed ?? 0) + (p.open ?? 0) === 0 && !p.baseline,
  );
  if (nothing && !report.comparison) {
    lines.push(`${formatPeriodName(periods[0] ?? report.total!, cat)}: ${cat.empty}`);
    return lines.join('\n');
  }
  const columns = report.total ? [...periods, report.total] : periods;
  lines.push(...periodTables(columns, cat));
  const detail = report.total ?? periods[0];
  if (detail) {
    const moment = formatMoment(new Date(detail.openAt), tz);
    lines.push(`${cat.openAt(moment)}: ${formatCount(detail.open, cat)}`, '');
    lines.push(...breakdownTables(detail, cat));
  }
  if (report.comparison) lines.push(cat.comparison, ...comparisonTable(report.comparison, cat), '');
  if ([...columns, ...(report.comparison ? [report.comparison.previous] : [])].some((p) => p.baseline)) lines.push(cat.enteredNote);
  return lines.join('\n').trimEnd();
}
