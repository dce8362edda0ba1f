/**
 * The weekly digest as Telegram HTML (and as plain text for the terminal):
 * short lines that read well on a phone. Every outside text (citizen
 * words, names) is escaped.
 */
import { renderWaveReportText, waveDigestTitle } from '../waves.report.js';
import { escapeHtml, truncateForTelegram } from '../../telegram/telegram-text.js';
import {
  formatChangePercent,
  formatChangePoints,
  formatCount,
  formatDay,
  formatDuration,
  formatMoment,
  formatPeriodName,
  formatRate,
  sourceLabel,
} from '../format.js';
import type { ReportCatalog } from '../i18n/catalog.js';
import type { PeriodFigures } from '../report.model.js';
import type { ChartWeek } from '../renderers/chart.renderer.js';
import type { DigestData } from './digest.data.js';

export interface DigestTextOptions {
  timezone: string;
  /** Sent later than due: the digest says so, with the time it was due. */
  late?: { dueAt: Date };
}

const SNIPPET = 80;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat;
}

/** `16–22.11.2026` or `29.12.2025–04.01.2026`. */
export function weekDays(p: PeriodFigures): string {
  return p.from.slice(0, 7) === p.to.slice(0, 7) ? `${p.from.slice(8, 10)}–${formatDay(p.to)}` : `${formatDay(p.from)}–${formatDay(p.to)}`;
}

/** The digest as Telegram HTML, at most 4096 characters. */
export function renderDigestHtml(data: DigestData, cat: ReportCatalog, options: DigestTextOptions): string {
  const { current, previous, changes } = data.comparison;
  const d = cat.digest;
  const lines: string[] = [`<b>${escapeHtml(d.title)}</b>`, escapeHtml(d.weekOf(formatPeriodName(current, cat)))];
  if (options.late) lines.push(`⚠️ <i>${escapeHtml(d.late(formatMoment(options.late.dueAt, options.timezone)))}</i>`);
  lines.push('', `<i>${escapeHtml(`${d.thisWeek} (${d.previousWeek}, ${cat.change.toLowerCase()})`)}</i>`);
  const line = (label: string, now: string, before: string, change: string) => `${escapeHtml(label)}: <b>${escapeHtml(now)}</b> (${escapeHtml(before)}, ${escapeHtml(change)})`;
  lines.push(
    line(cat.received, formatCount(current.received, cat), formatCount(previous.received, cat), formatChangePercent(changes.received, cat)),
    line(cat.reactions, formatCount(current.reactions, cat), formatCount(previous.reactions, cat), formatChangePercent(changes.reactions, cat)),
    line(cat.answered, formatCount(current.answered, cat), formatCount(previous.answered, cat), formatChangePercent(changes.answered, cat)),
    line(cat.responseRate, formatRate(current.responseRate, cat), formatRate(previous.responseRate, cat), formatChangePoints(changes.responseRate, cat)),
    line(
      cat.frtMedian,
      formatDuration(current.frtMedianMinutes, cat),
      formatDuration(previous.frtMedianMinutes, cat),
      formatChangePercent(changes.frtMedianMinutes, cat),
    ),
    line(cat.withinSla, formatRate(current.withinSlaRate, cat), formatRate(previous.withinSlaRate, cat), formatChangePoints(changes.withinSlaRate, cat)),
    // Follow-through: final answers of the week, how long they took, how many were reopened, what citizens said.
    line(cat.followThrough.resolved, formatCount(current.resolved, cat), formatCount(previous.resolved, cat), formatChangePercent(changes.resolved, cat)),
    line(
      cat.followThrough.resolutionMedian,
      formatDuration(current.resolutionMedianMinutes, cat),
      formatDuration(previous.resolutionMedianMinutes, cat),
      formatChangePercent(changes.resolutionMedianMinutes, cat),
    ),
    line(
      cat.followThrough.withinResolutionTarget,
      formatRate(current.resolutionWithinTargetRate, cat),
      formatRate(previous.resolutionWithinTargetRate, cat),
      formatChangePoints(changes.resolutionWithinTargetRate, cat),
    ),
    line(cat.followThrough.finalShare, formatRate(current.finalShare, cat), formatRate(previous.finalShare, cat), formatChangePoints(changes.finalShare, cat)),
    line(cat.followThrough.reopenRate, formatRate(current.reopenRate, cat), formatRate(previous.reopenRate, cat), formatChangePoints(changes.reopenRate, cat)),
    ...(current.solvedAsked || previous.solvedAsked
      ? [line(cat.followThrough.solvedRate, formatRate(current.solvedRate, cat), formatRate(previous.solvedRate, cat), formatChangePoints(changes.solvedRate, cat))]
      : []),
    '',
  );

  if (data.openNow === 0) lines.push(escapeHtml(d.noneOpen));
  else {
    const oldest = data.oldestOpen[0];
    const age = oldest ? formatDuration((data.now.getTime() - oldest.postedAt.getTime()) / 60_000, cat) : cat.none;
    lines.push(escapeHtml(d.openNow(formatCount(data.openNow, cat), age)), `<b>${escapeHtml(d.oldestItems)}</b>`);
    for (const item of data.oldestOpen) {
      const head = `${item.sourceName ?? cat.platformNames[item.platform]}, ${formatDuration((data.now.getTime() - item.postedAt.getTime()) / 60_000, cat)}`;
      const linked = item.permalink && /^https?:\/\//.test(item.permalink) ? `<a href="${escapeHtml(item.permalink)}">${escapeHtml(head)}</a>` : escapeHtml(`${head} (#${item.id})`);
      lines.push(`• ${linked} — «${escapeHtml(snippet(item.text))}»`);
    }
  }

  if (current.bySector.length > 0) {
    lines.push('', `<b>${escapeHtml(d.bySector)}</b>`);
    for (const s of current.bySector.slice(0, 8)) {
      const name = s.sector === null ? cat.noSector : (s.names?.[cat.lang] ?? s.sector);
      lines.push(`• ${escapeHtml(name)}: ${escapeHtml(d.sectorLine(formatCount(s.received, cat), formatCount(s.answered, cat)))}`);
    }
  }
  if (current.bySource.length > 0) {
    lines.push('', `<b>${escapeHtml(d.bySource)}</b>`);
    for (const s of current.bySource.slice(0, 8)) {
      lines.push(`• ${escapeHtml(sourceLabel(s, cat))}: ${escapeHtml(d.sectorLine(formatCount(s.received, cat), formatCount(s.answered, cat)))}`);
    }
  }
  if (current.byStaff.length > 0) {
    lines.push('', `<b>${escapeHtml(d.byStaff)}</b>`);
    for (const s of current.byStaff.slice(0, 10)) {
      lines.push(`• ${escapeHtml(s.name)}: ${escapeHtml(d.staffLine(formatCount(s.answered, cat), formatDuration(s.frtMedianMinutes, cat)))}`);
    }
  }
  if (data.waves && data.waves.length > 0) {
    lines.push('', `<b>${escapeHtml(waveDigestTitle(cat.lang))}</b>`);
    for (const w of data.waves.slice(0, 5)) lines.push(`• ${escapeHtml(renderWaveReportText([w], cat.lang, options.timezone).replace(/\n\s*/g, ' — '))}`);
  }
  const m = data.monthSoFar;
  lines.push(
    '',
    `<b>${escapeHtml(d.monthSoFar(formatPeriodName(m, cat)))}</b>`,
    escapeHtml(`${cat.received} ${formatCount(m.received, cat)} · ${cat.answered} ${formatCount(m.answered, cat)} · ${cat.responseRate} ${formatRate(m.responseRate, cat)} · ${cat.frtMedian} ${formatDuration(m.frtMedianMinutes, cat)}`),
  );
  return truncateForTelegram(lines.join('\n'));
}

/** The digest as plain text (for `ardzagank digest --print`). */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 <$1>')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The chart's weeks, labelled by their Monday (`16.11`). */
export function chartWeeksOf(data: DigestData): ChartWeek[] {
  return data.chartWeeks.map((w) => ({
    label: `${w.from.slice(8, 10)}.${w.from.slice(5, 7)}`,
    received: w.received ?? 0,
    answered: w.answered ?? 0,
    frtMedianMinutes: w.frtMedianMinutes,
  }));
}

/** The photo caption: what the chart shows, for which weeks. */
export function digestCaption(data: DigestData, cat: ReportCatalog): string {
  const first = data.chartWeeks[0];
  const last = data.chartWeeks.at(-1);
  const range = first && last ? `${formatDay(first.from)}–${formatDay(last.to)}` : '';
  return escapeHtml(cat.digest.caption(range));
}
