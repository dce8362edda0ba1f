/**
 * The preview of an answer: the text exactly as it will be published, where
 * and how, its length against what each way of publishing takes, with the
 * buttons to publish it (publicly or privately, where the platform allows
 * both and the text fits), send it for approval, or cancel. An answer too
 * long for every way gets no publish button, and says by how much to shorten
 * it (a new text in reply to the preview replaces it). After a choice the
 * preview keeps the text and says what happened instead of the buttons.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '../telegram/telegram-client.js';
import { TELEGRAM_MESSAGE_MAX, telegramTextLength } from '../telegram/telegram-text.js';
import type { InquiryRow, ReplyDraftRow } from '../db/schema.js';
import type { Locale } from '../domain/locale.js';
import type { ReplyVisibility } from '../domain/reply.js';
import { allowedVisibilities, answerLengths } from '../inbox/compose-reply.workflow.js';
import { answerKindsFor } from '../domain/inquiry.js';
import { ANSWER_KIND_CODE, VISIBILITY_CODE, cb } from './callbacks.js';
import { messagesFor } from './i18n/index.js';
import type { FailureReason } from '../domain/failure-reason.js';
import { failureReasonText } from '../domain/failure-reason-text.js';

export type PreviewStatus = 'sending' | 'submitted' | 'cancelled';

const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

export function renderPreview(
  draft: Pick<ReplyDraftRow, 'id' | 'text'> & Partial<Pick<ReplyDraftRow, 'kind'>>,
  inquiry: Pick<InquiryRow, 'id' | 'platform' | 'kind'> & Partial<Pick<InquiryRow, 'status'>>,
  locale: Locale,
  options: {
    needsApproval: boolean;
    status?: PreviewStatus;
    /** Ways the platform would refuse now, and why (`plannedRefusals`): no button for them. */
    refusals?: Partial<Record<ReplyVisibility, FailureReason>>;
  },
): { html: string; keyboard: InlineKeyboardMarkup | undefined } {
  const t = messagesFor(locale);
  const visibilities = allowedVisibilities(inquiry);
  const settled = options.status !== undefined;
  const lengths = answerLengths(inquiry, draft.text);
  const length = lengths[0]?.length ?? 0;
  const refusals = options.refusals ?? {};
  const fitsLength = lengths.filter((l) => l.fits).map((l) => l.visibility);
  const fitting = fitsLength.filter((v) => refusals[v] === undefined);
  const limits: Partial<Record<ReplyVisibility, number>> = {};
  for (const l of lengths) if (l.max !== undefined) limits[l.visibility] = l.max;
  const canPrivate = visibilities.includes('private') && visibilities.includes('public') && (settled || fitting.includes('private'));
  const ask = settled || fitting.length > 0;
  const build = (text: string) =>
    visibilities.includes('public')
      ? t.previewPublic(inquiry.id, inquiry.platform, inquiry.kind, text, canPrivate, ask)
      : t.previewMessage(inquiry.id, inquiry.platform, text, ask);
  const tail: string[] = [];
  // What the answer will do (final by default; interim, or a correction, by the buttons below).
  const answerKind = draft.kind ?? 'final';
  const closed = inquiry.status === 'closed';
  if (!settled) {
    tail.push(t.previewLength(length, limits));
    const longest = Math.max(...lengths.map((l) => l.max ?? Number.POSITIVE_INFINITY));
    if (fitsLength.length === 0) tail.push(t.previewTooLong(length - longest));
    else if (limits.private !== undefined && !fitsLength.includes('private') && visibilities.includes('private') && refusals.private === undefined) {
      tail.push(t.previewTooLongPrivate(limits.private));
    }
    for (const visibility of visibilities) {
      const refusal = refusals[visibility];
      if (refusal) tail.push(t.previewRefused(visibilities.length > 1 ? visibility : undefined, failureReasonText(refusal, locale)));
    }
  }
  if (options.needsApproval && !settled && fitting.length > 0) tail.push(t.previewNeedsApproval);
  if (!settled && fitting.length > 0) tail.push(t.previewKind(answerKind, closed));
  if (options.status === 'sending') tail.push(t.draftSending);
  if (options.status === 'submitted') tail.push(t.draftSubmitted);
  if (options.status === 'cancelled') tail.push(t.draftCancelled);
  // Long answers are published whole; the preview shows as much as one message holds.
  let html = build(draft.text);
  const room = TELEGRAM_MESSAGE_MAX - 200 - tail.join('\n').length;
  if (telegramTextLength(html) > room) {
    const overhead = telegramTextLength(build(''));
    const keep = Math.max(100, room - overhead - 2);
    html = build(`${Array.from(draft.text).slice(0, keep).join('')}…`);
    tail.unshift(t.previewTruncated);
  }
  if (tail.length > 0) html += `\n\n${tail.join('\n')}`;
  if (options.status) return { html, keyboard: undefined };
  const rows: InlineKeyboardButton[][] = [];
  if (fitting.includes('public')) {
    rows.push([button(options.needsApproval ? t.btnSubmitPublic : t.btnPublishPublic, cb.publish.build({ draft: draft.id, visibility: VISIBILITY_CODE.public }))]);
  }
  if (fitting.includes('private')) {
    const label = options.needsApproval ? t.btnSubmitPrivate : canPrivate ? t.btnPublishPrivate : t.btnSendMessage;
    rows.push([button(label, cb.publish.build({ draft: draft.id, visibility: VISIBILITY_CODE.private }))]);
  }
  const otherKinds = answerKindsFor(inquiry.status ?? 'new').filter((k) => k !== answerKind);
  if (otherKinds.length > 0 && fitting.length > 0) rows.push(otherKinds.map((k) => button(t.btnAnswerKind(k, closed), cb.answerKind.build({ draft: draft.id, kind: ANSWER_KIND_CODE[k] }))));
  rows.push([button(t.btnCancel, cb.cancelDraft.build({ draft: draft.id }))]);
  return { html, keyboard: { inline_keyboard: rows } };
}
