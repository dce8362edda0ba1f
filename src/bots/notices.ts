/**
 * Renders the bot's notices (reminders, escalations, results, approvals,
 * access requests, alerts, low-priority summaries) in the reader's language.
 * Pure: what to say comes from the stored notice and what was loaded for it.
 */
import { waveMessagesFor } from './i18n/waves.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from '../telegram/telegram-client.js';
import { TELEGRAM_MESSAGE_MAX, escapeHtml, truncateForTelegram } from '../telegram/telegram-text.js';
import type { InquiryRow, StaffRole, TelegramNoticeRow } from '../db/schema.js';
import type { SummaryItem } from '../db/repositories/low-priority.repository.js';
import { storedFailureText } from '../domain/failure-reason-text.js';
import type { Locale } from '../domain/locale.js';
import { payloadNumber, payloadString } from '../inbox/staff-notices.workflow.js';
import { cb } from './callbacks.js';
import { formatDuration, messagesFor } from './i18n/index.js';

/** An item of a low-priority summary: still waiting (a button to make it a card), already a card, or closed. */
export type { SummaryItem };

export interface NoticeContext {
  locale: Locale;
  inquiry: InquiryRow | undefined;
  /** Link to the inquiry's card in the staff group, when it has one. */
  cardLink: string | undefined;
  /** Items of a low-priority summary. */
  items?: SummaryItem[];
  /** Who dismissed a whole summary, once they did. */
  summaryDismissedBy?: string;
  /** Put before the text when a private notice goes to the group instead (an HTML mention). */
  addressee?: string;
}

const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

const SUMMARY_ITEM_CHARS = 120;
const SUMMARY_BUTTONS = 12;

function keyboardOf(rows: InlineKeyboardButton[][]): InlineKeyboardMarkup | undefined {
  const kept = rows.filter((r) => r.length > 0);
  return kept.length > 0 ? { inline_keyboard: kept } : undefined;
}

export function renderNotice(notice: TelegramNoticeRow, ctx: NoticeContext): { html: string; keyboard: InlineKeyboardMarkup | undefined } {
  const t = messagesFor(ctx.locale);
  const p = notice.payload;
  const id = notice.inquiryId ?? 0;
  const cardButton: InlineKeyboardButton[] = ctx.cardLink ? [{ text: t.btnOpenCard, url: ctx.cardLink }] : [];
  let html: string;
  let rows: InlineKeyboardButton[][] = [];
  switch (notice.kind) {
    case 'reminder.unclaimed':
      html = t.remindUnclaimed(id, formatDuration(payloadNumber(p, 'waitedMinutes') ?? 0, ctx.locale));
      if (ctx.inquiry?.status === 'new') rows = [[button(t.btnClaim, cb.claim.build({ id }))]];
      break;
    case 'reminder.claimed':
      html = t.remindClaimed(id, formatDuration(payloadNumber(p, 'waitedMinutes') ?? 0, ctx.locale));
      rows = [[button(t.btnAnswer, cb.answer.build({ id })), ...cardButton]];
      break;
    case 'sla.escalation':
      html = t.escalation(id, formatDuration(payloadNumber(p, 'targetMinutes') ?? 0, ctx.locale), payloadString(p, 'claimantName') ?? null);
      rows = [[...cardButton, button(t.btnReassign, cb.reassignMenu.build({ id }))]];
      break;
    case 'reply.result': {
      const platform = ctx.inquiry?.platform ?? 'facebook';
      if (payloadString(p, 'status') === 'sent') {
        html = t.replyPublished(id, platform);
        const where = ctx.inquiry?.permalink;
        rows = [[...(where && /^https?:\/\//.test(where) ? [{ text: t.cardOpenOn(platform), url: where }] : []), ...cardButton]];
      } else {
        html = t.replyFailed(id, storedFailureText(p.failure, payloadString(p, 'reason'), ctx.locale));
        const replyId = payloadNumber(p, 'replyId');
        rows = [[...(replyId ? [button(t.btnRetry, cb.retry.build({ reply: replyId }))] : []), ...cardButton]];
      }
      break;
    }
    case 'approval.request': {
      const draft = payloadNumber(p, 'draftId') ?? 0;
      html = t.approvalRequest(id, payloadString(p, 'authorName') ?? '—', payloadString(p, 'text') ?? '');
      rows = [[button(t.btnApprove, cb.approve.build({ draft })), button(t.btnSendBack, cb.sendBack.build({ draft }))], cardButton];
      break;
    }
    case 'approval.result':
      if (p.approved === true) {
        html = t.approved(id, payloadString(p, 'byName') ?? '—');
        rows = [cardButton];
      } else {
        html = t.returned(id, payloadString(p, 'byName') ?? '—', payloadString(p, 'comment') ?? '');
        rows = [[button(t.btnWriteAgain, cb.answer.build({ id })), ...cardButton]];
      }
      break;
    case 'reassigned':
      html = t.reassignedToYou(id, payloadString(p, 'byName') ?? '—');
      rows = [[button(t.btnAnswer, cb.answer.build({ id })), ...cardButton]];
      break;
    case 'access.request': {
      const user = payloadNumber(p, 'telegramUserId') ?? 0;
      html = t.accessRequest(payloadString(p, 'name') ?? '—', payloadString(p, 'username') ?? null, user);
      const roles: StaffRole[] = ['agent', 'supervisor'];
      rows = [roles.map((role) => button(t.btnApproveAs(role), cb.grantAccess.build({ user, role }))), [button(t.btnReject, cb.rejectAccess.build({ user }))]];
      break;
    }
    case 'access.result': {
      const role = payloadString(p, 'role') as StaffRole | undefined;
      html = role ? t.accessApproved(role) : t.accessRejected;
      break;
    }
    case 'admin.alert': {
      const kind = payloadString(p, 'alertKind');
      const message = payloadString(p, 'message') ?? '';
      html = kind === 'staff_group_removed' ? t.staffGroupRemoved(message) : kind === 'staff_group_back' ? t.staffGroupBack : t.adminAlert(message);
      break;
    }
    case 'lowpriority.summary': {
      const items = ctx.items ?? [];
      const lines = [t.lowPrioritySummary(items.length), ''];
      for (const item of items) {
        const text = item.text.length > SUMMARY_ITEM_CHARS ? `${item.text.slice(0, SUMMARY_ITEM_CHARS)}…` : item.text;
        const mark = item.state === 'card' ? '📄 ' : item.state === 'closed' ? '✔️ ' : '';
        lines.push(`${mark}${t.lowPriorityItem(item.id, item.authorName, text)}`);
      }
      if (ctx.summaryDismissedBy) {
        lines.push('', t.lowPriorityDismissedAll(ctx.summaryDismissedBy));
      } else {
        const waiting = items.filter((i) => i.state === 'waiting');
        const cardButtons = waiting.slice(0, SUMMARY_BUTTONS).map((i) => button(t.btnMakeCard(i.id), cb.makeCard.build({ id: i.id })));
        for (let k = 0; k < cardButtons.length; k += 3) rows.push(cardButtons.slice(k, k + 3));
        if (waiting.length > 0) rows.push([button(t.btnDismissAll, cb.dismissAll.build({ notice: notice.id }))]);
      }
      html = lines.join('\n');
      break;
    }
    case 'rumour.alert': {
      const waveId = payloadNumber(notice.payload, 'waveId') ?? 0;
      const late = payloadNumber(notice.payload, 'late') ?? 0;
      html = waveMessagesFor(ctx.locale).rumourAlert(waveId, escapeHtml(payloadString(notice.payload, 'title') ?? ''), late);
      break;
    }
    case 'resolution.overdue':
      html = t.resolutionOverdue(id, formatDuration(payloadNumber(p, 'targetMinutes') ?? 0, ctx.locale), payloadString(p, 'handlerName') ?? null);
      rows = [[button(t.btnAnswer, cb.answer.build({ id })), ...cardButton]];
      break;
    case 'reopened':
      html = t.reopened(id, payloadString(p, 'why') === 'not_solved' ? 'not_solved' : 'follow_up');
      rows = [[button(t.btnAnswer, cb.answer.build({ id })), ...cardButton]];
      break;
    case 'solved.answer':
      html = t.solvedAnswered(id, p.solved === true);
      rows = cardButton.length > 0 ? [cardButton] : [];
      break;
    default:
      html = t.errorGeneric;
  }
  if (ctx.addressee) html = `${ctx.addressee}\n${html}`;
  return { html: truncateForTelegram(html, TELEGRAM_MESSAGE_MAX), keyboard: keyboardOf(rows) };
}
