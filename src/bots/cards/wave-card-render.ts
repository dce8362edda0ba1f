/**
 * The one card of a wave in the staff group: how many questions, where from,
 * sectors, the latest and the most-liked questions (escaped, shortened; likes
 * as the platforms' polls last saw them), each statement with its
 * progress (sent / waiting / refused and why), and the buttons that make
 * sense. Pure: the same view renders the same card.
 */
import type { WaveCardView } from '../../db/repositories/wave.repository.js';
import type { Locale } from '../../db/schema.js';
import { storedFailureText } from '../../domain/failure-reason-text.js';
import type { InlineKeyboardButton } from '../../telegram/telegram-client.js';
import { escapeHtml, truncateForTelegram } from '../../telegram/telegram-text.js';
import { cb } from '../callbacks.js';
import { formatTime } from '../i18n/index.js';
import { waveMessagesFor } from '../i18n/waves.js';
import { hashRendered, type RenderedMessage } from './card-render.js';

/** Characters of each latest or most-liked question shown on the card. */
const QUESTION_CHARS = 200;
const REASON_CHARS = 160;

export function renderWaveCard(view: WaveCardView, options: { locale: Locale; timezone: string; now: Date; sectorName?: (code: string) => string }): RenderedMessage {
  const t = waveMessagesFor(options.locale);
  const { wave } = view;
  const lines: string[] = [];
  const state = wave.status === 'merged' && wave.mergedIntoId !== null ? t.merged(wave.mergedIntoId) : wave.status === 'suggested' ? t.suggested : t.confirmed;
  lines.push(`${t.title(wave.id, view.count)}${wave.rumourAt ? ` · ${t.rumour}` : ''}`);
  lines.push(`<i>${state}</i>`);
  lines.push(`${t.sources}: ${view.byPlatform.map((p) => `${t.platformKind(p.platform, p.kind)} ${p.count}`).join(', ')}`);
  if (view.bySector.length > 0) lines.push(`${t.sectors}: ${view.bySector.map((s) => `${escapeHtml(options.sectorName?.(s.sector) ?? s.sector)} ${s.count}`).join(', ')}`);
  lines.push(t.period(formatTime(wave.firstPostedAt, options.timezone, options.now), formatTime(view.lastPostedAt, options.timezone, options.now)));
  lines.push(t.answered(view.answered, view.count));
  const question = (q: { authorName: string | null; text: string }) => {
    const who = q.authorName ? `${escapeHtml(Array.from(q.authorName).slice(0, 40).join(''))}: ` : '';
    return `${who}${truncateForTelegram(escapeHtml(q.text), QUESTION_CHARS)}`;
  };
  if (view.latest.length > 0) {
    lines.push('', `<b>${t.latest}</b>`);
    for (const q of view.latest) lines.push(`• ${question(q)}`);
  }
  if (view.mostLiked.length > 0) {
    lines.push('', `<b>${t.mostLiked}</b>`);
    for (const q of view.mostLiked) lines.push(`• ${t.likes(q.likes)} · ${question(q)}`);
  }
  for (const s of view.statements) {
    lines.push('', t.statement(s.kind, t.statuses[s.status]));
    if (s.status === 'published') lines.push(t.progress(s.sent, s.pending, s.failed));
    for (const r of s.reasons) {
      // In the group's language; shortened before the count, so the count always shows.
      const why = truncateForTelegram(escapeHtml(storedFailureText(r.failure, r.text ?? '?', options.locale)), REASON_CHARS);
      lines.push(`  ${t.refusedWhy}: ${why} (${r.count})`);
    }
  }
  if (view.notReached > 0) lines.push('', t.notReached(view.notReached));
  if (wave.status !== 'merged') lines.push('', t.howToStatement);

  const rows: InlineKeyboardButton[][] = [];
  if (wave.status === 'suggested') rows.push([{ text: t.confirm, callback_data: cb.waveConfirm.build({ wave: wave.id }) }]);
  if (view.notReached > 0) rows.push([{ text: t.sendLatest(view.notReached), callback_data: cb.waveSendLatest.build({ wave: wave.id }) }]);
  if (!wave.rumourAt && view.statements.some((s) => s.status === 'published')) rows.push([{ text: t.markRumour, callback_data: cb.waveRumour.build({ wave: wave.id }) }]);
  const keyboard = rows.length > 0 ? { inline_keyboard: rows } : undefined;
  const html = truncateForTelegram(lines.join('\n'));
  return { html, keyboard, hash: hashRendered(html, keyboard) };
}
