/**
 * How figures read in each language: durations (`1 ժ 12 ր`, `2 օր 3 ժ`),
 * counts, percentages, changes and period names.
 */
import type { ReportCatalog } from './i18n/catalog.js';
import type { Change, SourceFigures } from './report.model.js';

/**
 * A duration in minutes, as people say it: `45 ր`, `1 ժ 12 ր`, `2 օր 3 ժ`
 * (English `1 h 12 min`, Russian `1 ч 12 мин`). Under a minute reads `<1 ր`.
 */
export function formatDuration(minutes: number | null, cat: ReportCatalog): string {
  if (minutes === null || !Number.isFinite(minutes)) return cat.none;
  const { day, hour, minute } = cat.units;
  if (minutes > 0 && minutes < 0.5) return `<1 ${minute}`;
  const total = Math.round(minutes);
  if (total < 60) return `${total} ${minute}`;
  if (total < 24 * 60) {
    const h = Math.floor(total / 60);
    const m = total % 60;
    return m === 0 ? `${h} ${hour}` : `${h} ${hour} ${m} ${minute}`;
  }
  const totalHours = Math.round(minutes / 60);
  const d = Math.floor(totalHours / 24);
  const h = totalHours % 24;
  return h === 0 ? `${d} ${day}` : `${d} ${day} ${h} ${hour}`;
}

export function formatCount(value: number | null, cat: ReportCatalog): string {
  return value === null ? cat.none : new Intl.NumberFormat(cat.locale).format(value);
}

/** A fraction 0..1 as a percentage with at most one decimal: `75,5%`. */
export function formatRate(value: number | null, cat: ReportCatalog): string {
  return value === null ? cat.none : new Intl.NumberFormat(cat.locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

const sign = (n: number): string => (n > 0 ? '+' : n < 0 ? '−' : '±');

/** A change in percent: `+525%`, `−12,5%`. */
export function formatChangePercent(change: Change, cat: ReportCatalog): string {
  if (change.percent === null) return cat.none;
  const abs = new Intl.NumberFormat(cat.locale, { maximumFractionDigits: 1 }).format(Math.abs(change.percent));
  return `${sign(change.percent)}${abs}%`;
}

/** A change of a rate in percentage points: `+4 տ.կ.`. */
export function formatChangePoints(change: Change, cat: ReportCatalog): string {
  if (change.difference === null) return cat.none;
  const points = change.difference * 100;
  const abs = new Intl.NumberFormat(cat.locale, { maximumFractionDigits: 1 }).format(Math.abs(points));
  return `${sign(Math.round(points * 10))}${abs} ${cat.points}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `16.11.2026` from `2026-11-16`. */
export function formatDay(day: string): string {
  return `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
}

/** `16.11.2026 09:00` in the city's time zone. */
export function formatMoment(instant: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')} ${get('hour')}:${get('minute')}`;
}

/**
 * The name of a period in a language, from its label and days:
 * `2018-05` → `2018 թ. մայիս`, `2018-01..2018-04` → `2018 թ. հունվար – ապրիլ`,
 * `2026-W47` → `2026 թ. 47-րդ շաբաթ (16.11–22.11)`, anything else by its days.
 */
export function formatPeriodName(period: { label: string; from: string; to: string }, cat: ReportCatalog): string {
  const monthName = (ym: string) => cat.months[Number(ym.slice(5, 7)) - 1]!;
  let m = /^(\d{4})-(\d{2})$/.exec(period.label);
  if (m) return cat.month(Number(m[1]), monthName(period.label));
  m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(period.label);
  if (m) {
    const [a, b] = period.label.split('..') as [string, string];
    if (m[1] === m[3]) return cat.monthRangeSameYear(Number(m[1]), monthName(a), monthName(b));
    return `${cat.month(Number(m[1]), monthName(a))} – ${cat.month(Number(m[3]), monthName(b))}`;
  }
  m = /^(\d{4})-W(\d{2})$/.exec(period.label);
  if (m) return `${cat.week(Number(m[1]), Number(m[2]))} (${period.from.slice(8, 10)}.${period.from.slice(5, 7)}–${period.to.slice(8, 10)}.${period.to.slice(5, 7)})`;
  m = /^(\d{4})$/.exec(period.label);
  if (m && period.from.endsWith('-01-01') && period.to.endsWith('-12-31')) return cat.year(Number(m[1]));
  return period.from === period.to ? formatDay(period.from) : `${formatDay(period.from)} – ${formatDay(period.to)}`;
}

export { pad2 };

/** What a source is called in a report: its name, else its platform and id, else "no source". */
export function sourceLabel(s: Pick<SourceFigures, 'sourceId' | 'platform' | 'name'>, cat: ReportCatalog): string {
  if (s.name) return s.name;
  if (s.sourceId === null) return cat.noSource;
  return s.platform ? `${cat.platformNames[s.platform]} #${s.sourceId}` : `#${s.sourceId}`;
}
