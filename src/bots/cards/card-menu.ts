/**
 * Helpers the card features share: menus shown in place of a card's buttons
 * (sector, dismiss reason, reassign), and putting the right buttons back.
 * A card whose buttons a menu replaced is marked (see `menuOpenHash`): a
 * refresh with nothing new leaves the menu open; after an action the mark is
 * cleared, so the next `card.update` edits it even if the state is the same.
 */
import type { InlineKeyboardMarkup } from '../../telegram/telegram-client.js';
import { TelegramApiError } from '../../telegram/telegram-errors.js';
import { findInquiryById } from '../../db/repositories/inquiry.repository.js';
import { clearCardRenderedHashMarked, findCardByInquiryId, findCardByMessage, markCardMenuOpen, updateCardRenderedHash } from '../../db/repositories/telegram-card.repository.js';
import { findNoticeByMessage } from '../../db/repositories/telegram-notice.repository.js';
import { loadSummaryItems, MENU_MARK, menuOpenHash } from './card.service.js';
import type { CallbackContext } from '../bot-context.js';
import { messageLink } from '../links.js';
import { renderNotice } from '../notices.js';

/** Replaces the buttons of the pressed message with a menu. */
export async function showMenu(ctx: CallbackContext, inquiryId: number, menu: InlineKeyboardMarkup): Promise<void> {
  const msg = ctx.message;
  if (!msg) return;
  const card = await findCardByMessage(ctx.deps.db, msg.chatId, msg.messageId);
  if (!card || card.inquiryId !== inquiryId) {
    await ctx.deps.client.editMessageReplyMarkup(msg.chatId, msg.messageId, menu);
    return;
  }
  // The edit waits for the group's pace, so it is made outside any transaction; the mark is then set only if the card
  // still shows what the menu was opened on. If a refresh edited it meanwhile, the menu may sit on newer content
  // without its mark: the card is shown again as it is (the menu closes; it can be opened again).
  await ctx.deps.client.editMessageReplyMarkup(msg.chatId, msg.messageId, menu);
  if (!(await markCardMenuOpen(ctx.deps.db, inquiryId, card.renderedHash, menuOpenHash(card.renderedHash)))) {
    await updateCardRenderedHash(ctx.deps.db, inquiryId, null);
    await ctx.deps.producers.updateCards([inquiryId]);
  }
}

/**
 * After an action on an inquiry: its card shows the new state (a
 * `card.update` job), and a notice whose buttons were replaced by a menu
 * gets its own buttons back.
 */
export async function refreshAfter(ctx: CallbackContext, inquiryId: number): Promise<void> {
  const msg = ctx.message;
  if (msg) {
    const card = await findCardByMessage(ctx.deps.db, msg.chatId, msg.messageId);
    if (card) {
      // A menu was open on it: the next refresh puts the card's buttons back. Without a menu it shows what it should.
      if (card.inquiryId === inquiryId) await clearCardRenderedHashMarked(ctx.deps.db, inquiryId, MENU_MARK);
    } else {
      await restoreNoticeButtons(ctx, msg.chatId, msg.messageId);
    }
  }
  await ctx.deps.producers.updateCards([inquiryId]);
}

async function restoreNoticeButtons(ctx: CallbackContext, chatId: number, messageId: number): Promise<void> {
  const notice = await findNoticeByMessage(ctx.deps.db, chatId, messageId);
  if (!notice) return;
  const inquiry = notice.inquiryId === null ? undefined : await findInquiryById(ctx.deps.db, notice.inquiryId);
  const locale = chatId > 0 ? ctx.locale : ctx.deps.config.locale;
  const items = notice.kind === 'lowpriority.summary' ? await loadSummaryItems(ctx.deps.db, notice.payload.inquiryIds) : undefined;
  const card = notice.inquiryId === null ? undefined : await findCardByInquiryId(ctx.deps.db, notice.inquiryId);
  const cardLink = card ? messageLink(card.chatId, card.messageId) : undefined;
  const rendered = renderNotice(notice, { locale, inquiry, cardLink, ...(items ? { items } : {}) });
  try {
    await ctx.deps.client.editMessageReplyMarkup(chatId, messageId, rendered.keyboard);
  } catch (error) {
    if (!(error instanceof TelegramApiError && error.isMessageNotFound())) throw error;
  }
}

/** The group's language when the pressed message is in the group, the person's otherwise. */
export function menuLocale(ctx: CallbackContext) {
  return ctx.message && ctx.message.chatId <= 0 ? ctx.deps.config.locale : ctx.locale;
}
