/**
 * "Not an inquiry": dismissing with a reason from the card, and the
 * low-priority summary's buttons (make one item a card, dismiss them all).
 */
import { CARD_DISMISS_REASONS, idFrom, cb } from '../callbacks.js';
import type { CallbackContext, Feature } from '../bot-context.js';
import { dismissMenu } from '../cards/card-render.js';
import { menuLocale, refreshAfter, showMenu } from '../cards/card-menu.js';
import { renderNotice } from '../notices.js';
import { explainRefusal } from '../refusals.js';
import { loadSummaryItems, makeCard, openInquiriesAmong } from '../cards/card.service.js';
import { checkOpen, dismissInquiry } from '../../inbox/claim.workflow.js';
import { findNotice, findNoticeByMessage } from '../../inbox/staff-notices.workflow.js';
import type { TelegramNoticeRow } from '../../db/schema.js';

/** Shows a summary again as it is now (items made cards or closed lose their buttons). */
async function rerenderSummary(ctx: CallbackContext, notice: TelegramNoticeRow, dismissedBy?: string): Promise<void> {
  if (notice.messageId === null) return;
  const items = await loadSummaryItems(ctx.deps.db, notice.payload.inquiryIds);
  const rendered = renderNotice(notice, {
    locale: ctx.deps.config.locale,
    inquiry: undefined,
    cardLink: undefined,
    items,
    ...(dismissedBy ? { summaryDismissedBy: dismissedBy } : {}),
  });
  await ctx.deps.client.editMessageText(notice.chatId, notice.messageId, rendered.html, { replyMarkup: rendered.keyboard, disableLinkPreview: true });
}

export const dismissFeature: Feature = {
  callbacks: [
    {
      codec: cb.dismissMenu,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'dismiss');
        const open = await checkOpen(ctx.deps.db, id);
        if (!open.ok) return explainRefusal(ctx, open, 'dismiss', id);
        await showMenu(ctx, id, dismissMenu(id, menuLocale(ctx)));
        await ctx.answer(ctx.t.chooseDismissReason(id));
      },
    },
    {
      codec: cb.dismiss,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        const reason = CARD_DISMISS_REASONS[Number(values.reason)];
        if (id === undefined || reason === undefined || !/^\d$/.test(values.reason ?? '')) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'dismiss');
        const outcome = await dismissInquiry(ctx.deps, { inquiryId: id, staff: ctx.staff!, reason, now: ctx.now });
        if (!outcome.ok) {
          await refreshAfter(ctx, id);
          return explainRefusal(ctx, outcome, 'dismiss', id);
        }
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastDismissed(id, ctx.t.dismissReason(reason)));
      },
    },
    {
      codec: cb.makeCard,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'make_card');
        const outcome = await makeCard(ctx.deps.db, id, ctx.staff!.id, ctx.now);
        if (outcome === 'missing') return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'make_card', id);
        if (outcome === 'closed') return ctx.answer(ctx.t.toastNotOpen);
        if (outcome === 'promoted') await ctx.deps.producers.sendCard(id);
        const notice = ctx.message ? await findNoticeByMessage(ctx.deps.db, ctx.message.chatId, ctx.message.messageId) : undefined;
        if (notice?.kind === 'lowpriority.summary') await rerenderSummary(ctx, notice);
        await ctx.answer(ctx.t.lowPriorityMadeCard(id));
      },
    },
    {
      codec: cb.dismissAll,
      permission: 'handle',
      async run(ctx, values) {
        const noticeId = idFrom(values.notice);
        const notice = noticeId === undefined ? undefined : await findNotice(ctx.deps.db, noticeId);
        if (!notice || notice.kind !== 'lowpriority.summary') return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'dismiss_all');
        const ids = Array.isArray(notice.payload.inquiryIds) ? notice.payload.inquiryIds.filter((v): v is number => typeof v === 'number') : [];
        const open = (await openInquiriesAmong(ctx.deps.db, ids)).filter((i) => i.lowPriority);
        for (const inquiry of open) {
          await dismissInquiry(ctx.deps, { inquiryId: inquiry.id, staff: ctx.staff!, reason: 'not_inquiry', now: ctx.now });
        }
        await rerenderSummary(ctx, notice, ctx.staff!.name);
        await ctx.answer(ctx.t.toastDone);
      },
    },
  ],
};
