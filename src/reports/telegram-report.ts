/**
 * Reports for Telegram (`/report` and `/stats` of the bot): short HTML that
 * reads well on a phone, at most 4096 characters, in the user's language.
 *
 * `/report` arguments:
 * - nothing: this month so far against the month before;
 * - one period: `2018-05`, `2018-05..2018-12`, `2026-W47`, `2018`;
 * - two periods: `2018-05..2018-12 vs 2018-01..2018-04` (also `против`,
 *   `ընդդեմ`): the first against the second, with the change in percent.
 * Counts entered by hand (baselines) are included and marked.
 */
import type { Db } from '../db/create-db.js';
import { localDateOf, monthRange, parsePeriodSpec, PeriodSpecError, weekRange, type Period } from '../domain/periods.js';
import { escapeHtml, truncateForTelegram } from '../telegram/telegram-text.js';
import { formatChangePercent, formatChangePoints, formatCount, formatDuration, formatMoment, formatPeriodName, formatRate, sourceLabel } from './format.js';
import { catalogFor, type ReportCatalog, type ReportLang } from './i18n/index.js';
import { comparePeriods, computePeriodFigures } from './period-report.js';
import type { ReportConfig } from './report-config.js';
import type { Comparison, PeriodFigures } from './report.model.js';

const VS = /\s+(?:vs\.?|против|ընդդեմ)\s+/i;

function title(p: PeriodFigures, cat: ReportCatalog): string {
  return `${formatPeriodName(p, cat)}${p.baseline ? cat.enteredMark : ''}`;
}

function periodHtml(p: PeriodFigures, cat: ReportCatalog, timezone: string): string {
  const lines = [
    `<b>${escapeHtml(cat.title)}</b>`,
    `<b>${escapeHtml(title(p, cat))}</b>`,
    '',
    `${escapeHtml(cat.received)}: <b>${formatCount(p.received, cat)}</b>`,
    `${escapeHtml(cat.reactions)}: ${formatCount(p.reactions, cat)}`,
    `${escapeHtml(cat.answered)}: <b>${formatCount(p.answered, cat)}</b>`,
    `  ${escapeHtml(cat.answeredTelegram)}: ${formatCount(p.answeredTelegram, cat)}`,
    `  ${escapeHtml(cat.answeredNative)}: ${formatCount(p.answeredNative, cat)}`,
    `${escapeHtml(cat.dismissed)}: ${formatCount(p.dismissed, cat)}`,
    `${escapeHtml(cat.responseRate)}: <b>${escapeHtml(formatRate(p.responseRate, cat))}</b>`,
    `${escapeHtml(cat.withinSla)}: ${escapeHtml(formatRate(p.withinSlaRate, cat))}`,
    `${escapeHtml(cat.frtMedian)}: <b>${escapeHtml(formatDuration(p.frtMedianMinutes, cat))}</b>`,
    `${escapeHtml(cat.frtP90)}: ${escapeHtml(formatDuration(p.frtP90Minutes, cat))}`,
    `${escapeHtml(cat.frtBusinessMedian)}: ${escapeHtml(formatDuration(p.frtBusinessMedianMinutes, cat))}`,
    `${escapeHtml(cat.openAt(formatMoment(new Date(p.openAt), timezone)))}: ${formatCount(p.open, cat)}` +
      (p.oldestOpenAgeMinutes !== null ? ` (${escapeHtml(cat.oldestOpen.toLowerCase())}: ${escapeHtml(formatDuration(p.oldestOpenAgeMinutes, cat))})` : ''),
  ];
  if (p.bySource.length > 0) {
    lines.push('', `<b>${escapeHtml(cat.bySource)}</b>`);
    for (const s of p.bySource.slice(0, 12)) {
      lines.push(`• ${escapeHtml(sourceLabel(s, cat))}: ${formatCount(s.received, cat)} / ${formatCount(s.answered, cat)} (${escapeHtml(cat.answeredNative)}: ${formatCount(s.answeredNative, cat)})`);
    }
  }
  if (p.bySector.length > 0) {
    lines.push('', `<b>${escapeHtml(cat.bySector)}</b>`);
    for (const s of p.bySector.slice(0, 12)) {
      const name = s.sector === null ? cat.noSector : (s.names?.[cat.lang] ?? s.sector);
      lines.push(`• ${escapeHtml(name)}: ${formatCount(s.received, cat)} / ${formatCount(s.answered, cat)}`);
    }
  }
  if (p.byStaff.length > 0) {
    lines.push('', `<b>${escapeHtml(cat.byStaff)}</b>`);
    for (const s of p.byStaff.slice(0, 10)) lines.push(`• ${escapeHtml(s.name)}: ${formatCount(s.answered, cat)}, ${escapeHtml(formatDuration(s.frtMedianMinutes, cat))}`);
  }
  if (p.baseline) lines.push('', escapeHtml(cat.enteredNote));
  return lines.join('\n');
}

/** A comparison as Telegram HTML: one line per figure, `current (previous, change)`. */
export function comparisonHtml(c: Comparison, cat: ReportCatalog): string {
  const line = (label: string, now: string, before: string, change: string) =>
    `${escapeHtml(label)}: <b>${escapeHtml(now)}</b> (${escapeHtml(before)}, ${escapeHtml(change)})`;
  const { current: a, previous: b, changes: ch } = c;
  const lines = [
    `<b>${escapeHtml(cat.comparison)}</b>`,
    `<b>${escapeHtml(title(a, cat))}</b> — ${escapeHtml(title(b, cat))}`,
    '',
    line(cat.received, formatCount(a.received, cat), formatCount(b.received, cat), formatChangePercent(ch.received, cat)),
    line(cat.reactions, formatCount(a.reactions, cat), formatCount(b.reactions, cat), formatChangePercent(ch.reactions, cat)),
    line(cat.answered, formatCount(a.answered, cat), formatCount(b.answered, cat), formatChangePercent(ch.answered, cat)),
    line(cat.answeredNative, formatCount(a.answeredNative, cat), formatCount(b.answeredNative, cat), formatChangePercent(ch.answeredNative, cat)),
    line(cat.responseRate, formatRate(a.responseRate, cat), formatRate(b.responseRate, cat), formatChangePoints(ch.responseRate, cat)),
    line(cat.withinSla, formatRate(a.withinSlaRate, cat), formatRate(b.withinSlaRate, cat), formatChangePoints(ch.withinSlaRate, cat)),
    line(cat.frtMedian, formatDuration(a.frtMedianMinutes, cat), formatDuration(b.frtMedianMinutes, cat), formatChangePercent(ch.frtMedianMinutes, cat)),
    line(cat.frtP90, formatDuration(a.frtP90Minutes, cat), formatDuration(b.frtP90Minutes, cat), formatChangePercent(ch.frtP90Minutes, cat)),
  ];
  if (a.bySource.length > 0) {
    lines.push('', `<b>${escapeHtml(cat.bySource)}</b> (${escapeHtml(title(a, cat))})`);
    for (const s of a.bySource.slice(0, 12)) {
      lines.push(`• ${escapeHtml(sourceLabel(s, cat))}: ${formatCount(s.received, cat)} / ${formatCount(s.answered, cat)} (${escapeHtml(cat.answeredNative)}: ${formatCount(s.answeredNative, cat)})`);
    }
  }
  if (a.baseline || b.baseline) lines.push('', escapeHtml(cat.enteredNote));
  return lines.join('\n');
}

/**
 * Answers `/report ARGS` (ARGS as typed after the command) in `lang`: the
 * figures of one period, or two periods compared. Never throws for bad
 * arguments: it returns what is wrong and how to write it, in `lang`.
 */
export async function renderReportForTelegram(db: Db, args: string, lang: ReportLang, config: ReportConfig, now: Date = new Date()): Promise<string> {
  const cat = catalogFor(lang);
  const tz = config.timezone;
  const text = args.trim();
  const specs = text === '' ? [] : text.split(VS);
  const periods: Period[] = [];
  if (specs.length > 2) return escapeHtml(cat.telegram.usage);
  for (const spec of specs) {
    try {
      periods.push(parsePeriodSpec(spec, tz));
    } catch (error) {
      if (error instanceof PeriodSpecError) return escapeHtml(`${cat.telegram.badPeriod(spec)}\n\n${cat.telegram.usage}`);
      throw error;
    }
  }
  if (periods.length === 0) {
    const month = monthRange(localDateOf(now, tz).slice(0, 7), tz);
    const before = monthRange(localDateOf(new Date(month.from.getTime() - 1), tz).slice(0, 7), tz);
    periods.push(month, before);
  }
  if (periods.length === 1) {
    const [figures] = await computePeriodFigures(db, config, periods, { now });
    return truncateForTelegram(periodHtml(figures!, cat, tz));
  }
  // With the breakdowns: /report names the sources of the current period (a city with several Pages, or a channel).
  return truncateForTelegram(comparisonHtml(await comparePeriods(db, config, periods[0]!, periods[1]!, { now, breakdowns: true }), cat));
}

/** Answers `/stats`: this week so far against the week before, and the open backlog now. */
export async function renderStatsForTelegram(db: Db, lang: ReportLang, config: ReportConfig, now: Date = new Date()): Promise<string> {
  const cat = catalogFor(lang);
  const week = weekRange(now, config.timezone);
  const before = weekRange(new Date(week.from.getTime() - 1), config.timezone);
  const comparison = await comparePeriods(db, config, week, before, { now });
  const open = `${escapeHtml(cat.openAt(formatMoment(now, config.timezone)))}: <b>${formatCount(comparison.current.open, cat)}</b>` +
    (comparison.current.oldestOpenAgeMinutes !== null ? ` (${escapeHtml(cat.oldestOpen.toLowerCase())}: ${escapeHtml(formatDuration(comparison.current.oldestOpenAgeMinutes, cat))})` : '');
  return truncateForTelegram(`${comparisonHtml(comparison, cat)}\n\n${open}`);
}
