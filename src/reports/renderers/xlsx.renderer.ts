/**
 * The report as an Excel workbook (exceljs), in the reader's language:
 * a sheet of figures by period (figures as rows, periods as columns), the
 * breakdowns of the single period or of the whole range, and the
 * comparison. Counts and minutes are numbers, rates are formatted as
 * percentages, so the sheet can be computed on. exceljs is loaded when a
 * workbook is asked for (`report --format xlsx`), never by the service.
 */
import type ExcelJS from 'exceljs';
import { formatPeriodName, sourceLabel } from '../format.js';
import type { ReportCatalog } from '../i18n/catalog.js';
import type { BreakdownFigures, PeriodFigures, RangeReport } from '../report.model.js';

type Value = number | string | null;
interface FigureRow {
  label: string;
  value: (p: PeriodFigures) => Value;
  format?: 'percent' | 'minutes';
}

function figureRows(cat: ReportCatalog): FigureRow[] {
  const min = (label: string) => `${label} (${cat.units.minute})`;
  return [
    { label: cat.received, value: (p) => p.received },
    { label: cat.reactions, value: (p) => p.reactions },
    { label: cat.answered, value: (p) => p.answered },
    { label: cat.answeredTelegram, value: (p) => p.answeredTelegram },
    { label: cat.answeredNative, value: (p) => p.answeredNative },
    { label: cat.dismissed, value: (p) => p.dismissed },
    { label: cat.responseRate, value: (p) => p.responseRate, format: 'percent' },
    { label: cat.withinSla, value: (p) => p.withinSlaRate, format: 'percent' },
    { label: min(cat.frtMedian), value: (p) => p.frtMedianMinutes, format: 'minutes' },
    { label: min(cat.frtP90), value: (p) => p.frtP90Minutes, format: 'minutes' },
    { label: min(cat.frtBusinessMedian), value: (p) => p.frtBusinessMedianMinutes, format: 'minutes' },
    { label: min(cat.frtBusinessP90), value: (p) => p.frtBusinessP90Minutes, format: 'minutes' },
    { label: min(cat.claimMedian), value: (p) => p.claimMedianMinutes, format: 'minutes' },
    { label: cat.open, value: (p) => p.open },
    { label: min(cat.oldestOpen), value: (p) => p.oldestOpenAgeMinutes, format: 'minutes' },
  ];
}

const FORMATS = { percent: '0.0%', minutes: '0.0' } as const;

function bold(row: ExcelJS.Row): void {
  row.font = { bold: true };
}

/** Builds the workbook and returns the .xlsx bytes. */
export async function renderReportXlsx(report: RangeReport, cat: ReportCatalog): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  wb.creator = 'Ardzagank';
  wb.created = new Date(report.generatedAt);
  const columns = report.total ? [...report.periods, report.total] : report.periods;
  const title = (p: PeriodFigures) => `${formatPeriodName(p, cat)}${p.baseline ? cat.enteredMark : ''}`;

  const summary = wb.addWorksheet(cat.period);
  bold(summary.addRow(['', ...columns.map(title)]));
  for (const r of figureRows(cat)) {
    const row = summary.addRow([r.label, ...columns.map(r.value)]);
    if (r.format) for (let c = 2; c <= columns.length + 1; c++) row.getCell(c).numFmt = FORMATS[r.format];
  }
  summary.getColumn(1).width = 48;
  for (let c = 2; c <= columns.length + 1; c++) summary.getColumn(c).width = 22;
  if (columns.some((p) => p.baseline)) summary.addRow([cat.enteredNote]);

  const detail = report.total ?? report.periods[0];
  if (detail) {
    const slices = wb.addWorksheet(cat.bySector.slice(0, 31));
    const header = [
      cat.bySector,
      cat.received,
      cat.reactions,
      cat.answered,
      cat.answeredNative,
      cat.dismissed,
      cat.open,
      cat.responseRate,
      cat.withinSla,
      `${cat.frtMedian} (${cat.units.minute})`,
    ];
    const addSlices = (heading: string, rows: Array<{ name: string; s: BreakdownFigures }>) => {
      bold(slices.addRow([heading, ...header.slice(1)]));
      for (const { name, s } of rows) {
        const row = slices.addRow([name, s.received, s.reactions, s.answered, s.answeredNative, s.dismissed, s.open, s.responseRate, s.withinSlaRate, s.frtMedianMinutes]);
        row.getCell(8).numFmt = FORMATS.percent;
        row.getCell(9).numFmt = FORMATS.percent;
      }
      slices.addRow([]);
    };
    addSlices(cat.byPlatform, detail.byPlatform.map((s) => ({ name: cat.platformNames[s.platform], s })));
    addSlices(cat.bySource, detail.bySource.map((s) => ({ name: sourceLabel(s, cat), s })));
    addSlices(cat.bySector, detail.bySector.map((s) => ({ name: s.sector === null ? cat.noSector : (s.names?.[cat.lang] ?? s.sector), s })));
    slices.getColumn(1).width = 40;

    const staff = wb.addWorksheet(cat.byStaff.slice(0, 31));
    const c = cat.staffColumns;
    bold(staff.addRow([c.name, c.answered, c.withinSla, `${c.frtMedian} (${cat.units.minute})`, c.claimed, `${c.claimMedian} (${cat.units.minute})`]));
    for (const s of detail.byStaff) staff.addRow([s.name, s.answered, s.answeredWithinSla, s.frtMedianMinutes, s.claimed, s.claimMedianMinutes]);
    staff.getColumn(1).width = 30;
  }

  if (report.comparison) {
    const cmp = wb.addWorksheet(cat.comparison.slice(0, 31));
    const { current, previous, changes } = report.comparison;
    bold(cmp.addRow(['', title(current), title(previous), `${cat.change} (%)`]));
    const keyed: Array<[FigureRow, keyof typeof changes | null]> = figureRows(cat).map((r, i) => [
      r,
      ([
        'received',
        'reactions',
        'answered',
        null,
        'answeredNative',
        'dismissed',
        'responseRate',
        'withinSlaRate',
        'frtMedianMinutes',
        'frtP90Minutes',
        'frtBusinessMedianMinutes',
        null,
        'claimMedianMinutes',
        'open',
        null,
      ] as const)[i] ?? null,
    ]);
    for (const [r, key] of keyed) {
      const row = cmp.addRow([r.label, r.value(current), r.value(previous), key ? changes[key].percent : null]);
      if (r.format) for (const col of [2, 3]) row.getCell(col).numFmt = FORMATS[r.format];
    }
    cmp.getColumn(1).width = 48;
    cmp.getColumn(2).width = 24;
    cmp.getColumn(3).width = 24;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
