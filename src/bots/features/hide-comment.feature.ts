/** A supervisor hides an abusive comment on its platform (Instagram) from the card. */
import { failureReasonText } from '../../domain/failure-reason-text.js';
import { idFrom, cb } from '../callbacks.js';
import type { Feature } from '../bot-context.js';
import { refreshAfter } from '../cards/card-menu.js';
import { explainRefusal } from '../refusals.js';

export const hideCommentFeature: Feature = {
  callbacks: [
    {
      codec: cb.hideComment,
      permission: 'supervise',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined || !ctx.deps.hideComment) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'hide_comment');
        const outcome = await ctx.deps.hideComment({ inquiryId: id, staff: ctx.staff!, now: ctx.now });
        if (!outcome.ok) {
          if (outcome.reason === 'missing') return explainRefusal(ctx, outcome, 'hide_comment', id);
          const why = outcome.reason === 'platform_refused' && outcome.failure ? failureReasonText(outcome.failure, ctx.locale) : outcome.why;
          return ctx.answer(ctx.t.toastCommentNotHidden(id, why), true);
        }
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastCommentHidden(id));
      },
    },
  ],
};
