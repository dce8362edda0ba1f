/**
 * The report as one CSV table for spreadsheets and scripts: one row per
 * period and slice (`dimension` all, platform, sector or staff), the whole
 * range as `total`, and with a comparison the compared period and a
 * `change_percent` row. Column names are English and stable; numbers are
 * plain (minutes, fractions), not localised.
 */
import { toCsv } from '../csv.js';
import { sourceLabel } from '../format.js';
import { catalogFor } from '../i18n/index.js';
import type { BreakdownFigures, Comparison, PeriodFigures, RangeReport } from '../report.model.js';

export const CSV_COLUMNS = [
  'period',
  'from',
  'to',
  'baseline',
  'dimension',
  'key',
  'received',
  'reactions',
  'answered',
  'answered_native',
  'answered_telegram',
  'dismissed',
  'open',
  'response_rate',
  'within_sla_rate',
  'frt_median_minutes',
  'frt_p90_minutes',
  'frt_business_median_minutes',
  'frt_business_p90_minutes',
  'claim_median_minutes',
] as const;

type Cell = string | number | boolean | null;

function periodRows(p: PeriodFigures, role: string): Cell[][] {
  const period = role === 'period' ? p.label : `${role}:${p.label}`;
  const head = [period, p.from, p.to, p.baseline];
  const rows: Cell[][] = [
    [
      ...head,
      'all',
      '',
      p.received,
      p.reactions,
      p.answered,
      p.answeredNative,
      p.answeredTelegram,
      p.dismissed,
      p.open,
      p.responseRate,
      p.withinSlaRate,
      p.frtMedianMinutes,
      p.frtP90Minutes,
      p.frtBusinessMedianMinutes,
      p.frtBusinessP90Minutes,
      p.claimMedianMinutes,
    ],
  ];
  const slice = (dimension: string, key: string, s: BreakdownFigures): Cell[] => [
    ...head,
    dimension,
    key,
    s.received,
    s.reactions,
    s.answered,
    s.answeredNative,
    s.answered - s.answeredNative,
    s.dismissed,
    s.open,
    s.responseRate,
    s.withinSlaRate,
    s.frtMedianMinutes,
    null,
    s.frtBusinessMedianMinutes,
    null,
    null,
  ];
  for (const s of p.byPlatform) rows.push(slice('platform', s.platform, s));
  for (const s of p.bySource) rows.push(slice('source', sourceLabel(s, catalogFor('en')), s));
  for (const s of p.bySector) rows.push(slice('sector', s.sector ?? '', s));
  for (const s of p.byStaff) {
    rows.push([...head, 'staff', s.name, null, null, s.answered, null, null, null, null, null, null, s.frtMedianMinutes, null, s.frtBusinessMedianMinutes, null, s.claimMedianMinutes]);
  }
  return rows;
}

function changeRow(c: Comparison): Cell[] {
  const ch = c.changes;
  return [
    `change:${c.current.label}/${c.previous.label}`,
    '',
    '',
    '',
    'change_percent',
    '',
    ch.received.percent,
    ch.reactions.percent,
    ch.answered.percent,
    ch.answeredNative.percent,
    null,
    ch.dismissed.percent,
    ch.open.percent,
    ch.responseRate.percent,
    ch.withinSlaRate.percent,
    ch.frtMedianMinutes.percent,
    ch.frtP90Minutes.percent,
    ch.frtBusinessMedianMinutes.percent,
    null,
    ch.claimMedianMinutes.percent,
  ];
}

export function renderReportCsv(report: RangeReport): string {
  const rows: Cell[][] = [[...CSV_COLUMNS]];
  for (const p of report.periods) rows.push(...periodRows(p, 'period'));
  if (report.total) rows.push(...periodRows(report.total, 'total'));
  if (report.comparison) {
    rows.push(...periodRows(report.comparison.previous, 'compared'));
    rows.push(changeRow(report.comparison));
  }
  return toCsv(rows);
}
