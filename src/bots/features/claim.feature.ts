/**
 * Claim, release and (for supervisors) reassign, from the card's buttons.
 * The claim itself is atomic, and each action refreshes the card and tells
 * whom it concerns (see `inbox/claim.workflow.ts`); here the presser is
 * answered, and the others who press at the same time are told who has it.
 */
import { idFrom, cb } from '../callbacks.js';
import type { Feature } from '../bot-context.js';
import { reassignMenu } from '../cards/card-render.js';
import { menuLocale, refreshAfter, showMenu } from '../cards/card-menu.js';
import { explainRefusal } from '../refusals.js';
import { claimInquiry, reassignChoices, reassignInquiry, releaseInquiry } from '../../inbox/claim.workflow.js';

export const claimFeature: Feature = {
  callbacks: [
    {
      codec: cb.claim,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'claim');
        const outcome = await claimInquiry(ctx.deps, { inquiryId: id, staff: ctx.staff!, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'claim', id);
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastClaimed(id));
      },
    },
    {
      codec: cb.release,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'release');
        const outcome = await releaseInquiry(ctx.deps, { inquiryId: id, staff: ctx.staff!, now: ctx.now });
        if (!outcome.ok) {
          if (outcome.reason === 'denied') {
            await ctx.deny('release', outcome.why, { inquiryId: id });
            return ctx.answer(ctx.t.toastNotYours, true);
          }
          return explainRefusal(ctx, outcome, 'release', id);
        }
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastReleased(id));
      },
    },
    {
      codec: cb.reassignMenu,
      permission: 'supervise',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'reassign');
        const choices = await reassignChoices(ctx.deps.db, id);
        if (!choices.ok) return explainRefusal(ctx, choices, 'reassign', id);
        if (choices.people.length === 0) return ctx.answer(ctx.t.noAssignees, true);
        await showMenu(ctx, id, reassignMenu(id, choices.people, menuLocale(ctx)));
        await ctx.answer(ctx.t.chooseAssignee(id).replace(/<[^>]+>/g, ''));
      },
    },
    {
      codec: cb.reassign,
      permission: 'supervise',
      async run(ctx, values) {
        const id = idFrom(values.id);
        const to = idFrom(values.staff);
        if (id === undefined || to === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'reassign');
        const outcome = await reassignInquiry(ctx.deps, { inquiryId: id, staff: ctx.staff!, toStaffId: to, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'reassign', id);
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastReassigned(id, outcome.assignee.name));
      },
    },
    {
      codec: cb.back,
      permission: 'staff',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'back');
        await refreshAfter(ctx, id);
        await ctx.answer();
      },
    },
  ],
};
