/**
 * Claim, release and (for supervisors) reassign, from the card's buttons.
 * The claim itself is atomic (see `inbox/claim.workflow.ts`); the others who press
 * at the same time are told who has it.
 */
import { idFrom, cb } from '../callbacks.js';
import type { Feature } from '../bot-context.js';
import { reassignMenu } from '../cards/card-render.js';
import { menuLocale, refreshAfter, showMenu } from '../cards/card-menu.js';
import { explainRefusal } from '../refusals.js';
import { claimInquiry, reassignInquiry, releaseInquiry } from '../../inbox/claim.workflow.js';
import { createNotices } from '../../inbox/staff-notices.workflow.js';
import { listAssignableStaff } from '../../inbox/staff.workflow.js';

export const claimFeature: Feature = {
  callbacks: [
    {
      codec: cb.claim,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'claim');
        const outcome = await claimInquiry(ctx.deps.db, { inquiryId: id, staff: ctx.staff!, now: ctx.now });
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
        const outcome = await releaseInquiry(ctx.deps.db, { inquiryId: id, staff: ctx.staff!, now: ctx.now });
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
        const inquiry = await ctx.deps.db.selectFrom('inquiries').select(['id', 'status', 'claimedBy']).where('id', '=', id).executeTakeFirst();
        if (!inquiry) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'reassign', id);
        if (inquiry.status !== 'new' && inquiry.status !== 'claimed') return ctx.answer(ctx.t.toastNotOpen);
        const people = (await listAssignableStaff(ctx.deps.db)).filter((s) => s.id !== inquiry.claimedBy);
        if (people.length === 0) return ctx.answer(ctx.t.noAssignees, true);
        await showMenu(ctx, id, reassignMenu(id, people, menuLocale(ctx)));
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
        const outcome = await reassignInquiry(ctx.deps.db, { inquiryId: id, staff: ctx.staff!, toStaffId: to, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'reassign', id);
        await refreshAfter(ctx, id);
        if (outcome.assignee.id !== ctx.staff!.id) {
          const ids = await createNotices(ctx.deps.db, [
            {
              key: `reassigned-${id}-${outcome.assignee.id}-${ctx.now.getTime()}`,
              kind: 'reassigned',
              chatId: outcome.assignee.telegramUserId,
              inquiryId: id,
              payload: { byName: ctx.staff!.name },
            },
          ]);
          await ctx.deps.producers.sendNotices(ids);
        }
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
