/** The sector of an inquiry: a menu of the city's sectors in place of the card's buttons. */
import { idFrom, cb } from '../callbacks.js';
import type { Feature } from '../bot-context.js';
import { sectorMenu } from '../cards/card-render.js';
import { menuLocale, refreshAfter, showMenu } from '../cards/card-menu.js';
import { explainRefusal } from '../refusals.js';
import { sectorChoices, setInquirySector } from '../../inbox/claim.workflow.js';

export const sectorFeature: Feature = {
  callbacks: [
    {
      codec: cb.sectorMenu,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'sector');
        const choices = await sectorChoices(ctx.deps.db, id);
        if (!choices.ok) return explainRefusal(ctx, choices, 'sector', id);
        const sectors = choices.sectors.map((s) => ({ code: s.code, ...s.names }));
        await showMenu(ctx, id, sectorMenu(id, sectors, menuLocale(ctx)));
        await ctx.answer(ctx.t.chooseSector(id));
      },
    },
    {
      codec: cb.sector,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined || !/^[a-z][a-z0-9_]{0,40}$/.test(values.code ?? '')) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'sector');
        const outcome = await setInquirySector(ctx.deps, { inquiryId: id, staff: ctx.staff!, sectorCode: values.code!, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'sector', id);
        await refreshAfter(ctx, id);
        await ctx.answer(ctx.t.toastSectorSet(outcome.sectorName[ctx.locale]));
      },
    },
  ],
};
