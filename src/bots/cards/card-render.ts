/**
 * The card of an inquiry in the staff group: who asked, when, where, the
 * text (escaped, shortened for display with a link to the whole), the
 * sector, a link to it on the platform, and its state with the buttons that
 * make sense in it. Pure: the same view renders the same card, and its hash
 * tells the card worker whether an edit would change anything.
 */
import { createHash } from 'node:crypto';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '../../telegram/telegram-client.js';
import { TELEGRAM_MESSAGE_MAX, escapeHtml, truncateForTelegram } from '../../telegram/telegram-text.js';
import type { Locale } from '../../db/schema.js';
import { storedFailureText } from '../../domain/failure-reason-text.js';
import type { CardView, SectorNames } from '../../db/repositories/card-view.repository.js';
import { CARD_DISMISS_REASONS, cb } from '../callbacks.js';
import { formatDuration, formatTime, messagesFor, type Messages } from '../i18n/index.js';
import { facebookPostUrl, startLink } from '../links.js';

/** Visible characters of citizen text on a card; the rest is behind the "whole text" link. */
export const CARD_TEXT_BUDGET = 1500;

export interface RenderOptions {
  locale: Locale;
  timezone: string;
  now: Date;
  /** The bot's username, for the link to the whole text; without it the platform link is used. */
  botUsername: string | undefined;
}

export interface RenderedMessage {
  html: string;
  keyboard: InlineKeyboardMarkup | undefined;
  /** sha256 of text and buttons, to skip edits that change nothing. */
  hash: string;
}

export function hashRendered(html: string, keyboard: InlineKeyboardMarkup | undefined): string {
  return createHash('sha256').update(html).update('\u0000').update(JSON.stringify(keyboard ?? null)).digest('hex');
}

export function sectorName(sector: SectorNames, locale: Locale): string {
  return sector[locale];
}

const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

const minutesBetween = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;

/** The citizen's messages as blockquotes, within the budget; `cut` when some text did not fit. */
function citizenText(view: CardView, t: Messages, options: RenderOptions): { html: string; cut: boolean } {
  let remaining = CARD_TEXT_BUDGET;
  const parts: string[] = [];
  let cut = false;
  view.messages.forEach((m, index) => {
    if (cut) return;
    // A mention whose text is not read yet has none to quote (the card says why).
    if (m.text === '' && view.messages.length === 1) return;
    if (remaining <= 0) {
      cut = true;
      return;
    }
    const escaped = escapeHtml(m.text);
    const shown = truncateForTelegram(escaped, remaining);
    if (shown !== escaped) cut = true;
    remaining -= Math.min(m.text.length, remaining);
    if (index > 0) parts.push(t.cardFollowUp(formatTime(m.postedAt, options.timezone, options.now)));
    parts.push(`<blockquote>${shown}</blockquote>`);
  });
  return { html: parts.join('\n'), cut };
}

function stateLines(view: CardView, t: Messages, options: RenderOptions): string[] {
  const i = view.inquiry;
  const when = (d: Date) => formatTime(d, options.timezone, options.now);
  if (i.status === 'answered' || i.status === 'closed') {
    const took = i.firstResponseAt ? formatDuration(minutesBetween(i.postedAt, i.firstResponseAt), options.locale) : '—';
    const lines: string[] = [];
    if (i.answeredVia === 'native') {
      lines.push(t.stateAnsweredNative(i.platform, took));
    } else {
      const name = view.answerer?.name ?? view.latestReply?.authorName ?? '—';
      let how = t.visibility(view.latestReply?.visibility ?? 'public', i.platform);
      if (i.permalink) how += ` · <a href="${escapeHtml(i.permalink)}">${t.viewAnswer}</a>`;
      lines.push(t.stateAnswered(name, took, how));
    }
    if (i.status === 'closed') lines.push(t.stateClosed);
    else if (i.reopenCount > 0) lines.push(t.stateReopened(i.reopenCount));
    else lines.push(t.stateInterim(i.resolutionDueAt ? when(i.resolutionDueAt) : null));
    const reply = view.latestReply;
    if (reply?.status === 'pending') lines.push(t.stateSending(reply.authorName ?? '—'));
    else if (reply?.status === 'failed') lines.push(t.stateFailed(storedFailureText(reply.failure, reply.failureReason, options.locale)));
    return lines;
  }
  if (i.status === 'dismissed') return [t.stateDismissed(view.dismissedBy, t.dismissReason(i.dismissReason ?? 'not_inquiry'))];
  const lines: string[] = [];
  if (view.claimant && i.claimedAt) lines.push(t.stateClaimed(view.claimant.name, when(i.claimedAt)));
  const reply = view.latestReply;
  if (reply?.status === 'pending') lines.push(t.stateSending(reply.authorName ?? '—'));
  else if (reply?.status === 'failed') lines.push(t.stateFailed(storedFailureText(reply.failure, reply.failureReason, options.locale)));
  else if (view.awaitingApproval) lines.push(t.stateAwaitingApproval(view.awaitingApproval.authorName));
  return lines;
}

function stateIcon(view: CardView): string {
  const i = view.inquiry;
  if (i.status === 'answered' || i.status === 'closed') return '✅';
  if (i.status === 'dismissed') return '🚫';
  if (view.latestReply?.status === 'failed') return '⚠️';
  if (view.latestReply?.status === 'pending') return '⏳';
  if (i.status === 'claimed') return '🙋';
  return '🆕';
}

export function cardKeyboard(view: CardView, t: Messages): InlineKeyboardMarkup | undefined {
  const i = view.inquiry;
  const id = i.id;
  const rows: InlineKeyboardButton[][] = [];
  if (i.status === 'new') {
    rows.push([button(t.btnClaim, cb.claim.build({ id })), button(t.btnDismiss, cb.dismissMenu.build({ id }))]);
    rows.push([button(t.btnSector, cb.sectorMenu.build({ id }))]);
  } else if (i.status === 'claimed') {
    const reply = view.latestReply;
    if (reply?.status === 'pending' || view.awaitingApproval) {
      rows.push([button(t.btnSector, cb.sectorMenu.build({ id }))]);
    } else if (reply?.status === 'failed') {
      rows.push([button(t.btnRetry, cb.retry.build({ reply: reply.id })), button(t.btnAnswer, cb.answer.build({ id }))]);
      rows.push([button(t.btnRelease, cb.release.build({ id })), button(t.btnSector, cb.sectorMenu.build({ id }))]);
    } else {
      rows.push([button(t.btnAnswer, cb.answer.build({ id })), button(t.btnRelease, cb.release.build({ id }))]);
      rows.push([button(t.btnSector, cb.sectorMenu.build({ id })), button(t.btnDismiss, cb.dismissMenu.build({ id }))]);
      rows.push([button(t.btnReassign, cb.reassignMenu.build({ id }))]);
    }
  } else if (i.status === 'answered') {
    // Open for the final answer (after an interim one, or reopened).
    const reply = view.latestReply;
    if (reply?.status === 'pending' || view.awaitingApproval) rows.push([button(t.btnSector, cb.sectorMenu.build({ id }))]);
    else if (reply?.status === 'failed') rows.push([button(t.btnRetry, cb.retry.build({ reply: reply.id })), button(t.btnAnswer, cb.answer.build({ id }))], [button(t.btnSector, cb.sectorMenu.build({ id }))]);
    else rows.push([button(t.btnAnswer, cb.answer.build({ id })), button(t.btnSector, cb.sectorMenu.build({ id }))]);
  } else if (i.status === 'closed') {
    const reply = view.latestReply;
    // A further answer or a correction that failed can be retried; a new one is a reply to the card.
    if (reply?.status === 'failed') rows.push([button(t.btnRetry, cb.retry.build({ reply: reply.id }))]);
    rows.push([button(t.btnSector, cb.sectorMenu.build({ id }))]);
  }
  // Supervisors can hide an abusive Instagram comment (the button checks the role).
  if (i.platform === 'instagram' && i.kind === 'comment' && i.status !== 'dismissed') rows.push([button(t.btnHideComment, cb.hideComment.build({ id }))]);
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

/** Renders the card of an inquiry as it is now. */
export function renderCard(view: CardView, options: RenderOptions): RenderedMessage {
  const t = messagesFor(options.locale);
  const i = view.inquiry;
  const lines: string[] = [];
  // The source named on every card: a city with several Pages (or a channel) sees where the citizen wrote.
  lines.push(`${stateIcon(view)} ${t.cardTitle(i.id, i.platform, i.kind)}${view.sourceName ? ` · ${escapeHtml(view.sourceName)}` : ''}`);
  lines.push(t.cardAuthor(i.authorName, formatTime(i.postedAt, options.timezone, options.now)));
  if (i.kind === 'message') lines.push(t.cardConversation);
  else if (i.kind === 'comment') lines.push(t.cardPost(i.platform === 'facebook' ? facebookPostUrl(i.threadId) : null));
  if (i.previousInquiryId) lines.push(t.cardPrevious(i.previousInquiryId));
  lines.push('');
  // A mention is taken in with its ids only: its text is read from the platform after (or could not be).
  if (i.detailsPending) lines.push(t.cardDetailsPending(i.platform));
  else if (i.detailsError) lines.push(t.cardDetailsUnreadable(i.platform, escapeHtml(truncateForTelegram(storedFailureText(i.detailsError, null, options.locale), 400))));
  else if (i.lowPriority) lines.push(t.cardReaction);
  const text = citizenText(view, t, options);
  lines.push(text.html);
  if (text.cut) {
    const whole = startLink(options.botUsername, `i${i.id}`) ?? i.permalink;
    if (whole) lines.push(`… <a href="${escapeHtml(whole)}">${t.cardWholeText}</a>`);
  }
  lines.push('');
  if (view.sector) lines.push(t.cardSector(sectorName(view.sector, options.locale), false));
  else if (view.suggestedSector) lines.push(t.cardSector(sectorName(view.suggestedSector, options.locale), true));
  else lines.push(t.cardNoSector);
  if (i.permalink) lines.push(`🔗 <a href="${escapeHtml(i.permalink)}">${t.cardOpenOn(i.platform)}</a>`);
  // Bots are never told of deletions in a discussion group (DESIGN.md, Outside services: Telegram).
  if (i.platform === 'telegram' && i.kind === 'comment') lines.push(t.cardNoDeletions);
  const state = stateLines(view, t, options);
  if (state.length > 0) lines.push('', ...state);
  const html = truncateForTelegram(lines.join('\n'), TELEGRAM_MESSAGE_MAX);
  const keyboard = cardKeyboard(view, t);
  return { html, keyboard, hash: hashRendered(html, keyboard) };
}

/** The sector menu shown in place of the card's buttons. */
export function sectorMenu(inquiryId: number, sectors: SectorNames[], locale: Locale): InlineKeyboardMarkup {
  const t = messagesFor(locale);
  const rows: InlineKeyboardButton[][] = [];
  for (let k = 0; k < sectors.length; k += 2) {
    rows.push(sectors.slice(k, k + 2).map((s) => button(s[locale], cb.sector.build({ id: inquiryId, code: s.code }))));
  }
  rows.push([button(t.btnBack, cb.back.build({ id: inquiryId }))]);
  return { inline_keyboard: rows };
}

/** The reasons to dismiss, shown in place of the card's buttons. */
export function dismissMenu(inquiryId: number, locale: Locale): InlineKeyboardMarkup {
  const t = messagesFor(locale);
  return {
    inline_keyboard: [
      ...CARD_DISMISS_REASONS.map((reason, index) => [button(`🚫 ${t.dismissReason(reason)}`, cb.dismiss.build({ id: inquiryId, reason: index }))]),
      [button(t.btnBack, cb.back.build({ id: inquiryId }))],
    ],
  };
}

/** Whom to reassign to, shown in place of the card's buttons. */
export function reassignMenu(inquiryId: number, people: Array<{ id: number; name: string }>, locale: Locale): InlineKeyboardMarkup {
  const t = messagesFor(locale);
  const rows: InlineKeyboardButton[][] = [];
  for (let k = 0; k < people.length && k < 40; k += 2) {
    rows.push(people.slice(k, k + 2).map((p) => button(`👤 ${p.name}`.slice(0, 60), cb.reassign.build({ id: inquiryId, staff: p.id }))));
  }
  rows.push([button(t.btnBack, cb.back.build({ id: inquiryId }))]);
  return { inline_keyboard: rows };
}
