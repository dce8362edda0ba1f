/**
 * People: `/start` greets staff (and opens an inquiry's whole text from the
 * card's link); anyone else is told their request was sent, and the admins
 * get approve (as agent or supervisor) / reject buttons. `/staff` lists the
 * staff for admins. Admins of `TELEGRAM_ADMIN_IDS` are staff from their
 * first message.
 */
import type { CallbackContext, Feature } from '../bot-context.js';
import { cb, idFrom } from '../callbacks.js';
import { localeFromTelegram } from '../i18n/index.js';
import { GRANTABLE_ROLES, type StaffRole } from '../../domain/staff.js';
import { decideAccess, listStaff, requestAccess } from '../../inbox/staff.workflow.js';
import { showWhole } from './lists.feature.js';

export const accessFeature: Feature = {
  commands: {
    start: {
      access: 'public',
      async run(ctx) {
        if (ctx.staff) {
          const whole = /^i(\d{1,15})$/.exec(ctx.args);
          if (whole && ctx.isPrivate) return showWhole(ctx, Number(whole[1]));
          await ctx.reply(ctx.t.startStaff(ctx.staff.name, ctx.staff.role));
          return;
        }
        if (!ctx.isPrivate) return;
        if (ctx.args !== '') await ctx.deny('view', 'not staff', { payload: ctx.args.slice(0, 40) });
        const language = localeFromTelegram(ctx.person.language_code) ?? ctx.deps.config.locale;
        const outcome = await requestAccess(ctx.deps, ctx.person, language, ctx.now);
        if (outcome.status === 'pending') {
          await ctx.reply(ctx.t.accessPending);
          return;
        }
        if (outcome.status === 'rejected') {
          await ctx.reply(ctx.t.accessRejectedBefore);
          return;
        }
        await ctx.reply(ctx.t.accessRequested);
      },
    },
    staff: {
      access: 'manage_staff',
      async run(ctx) {
        const people = await listStaff(ctx.deps.db);
        const lines = [ctx.t.staffTitle(people.filter((p) => p.active).length), ...people.map((p) => ctx.t.staffLine(p.name, p.username, p.role, p.active))];
        await ctx.reply(lines.join('\n'));
      },
    },
  },
  callbacks: [
    {
      codec: cb.grantAccess,
      permission: 'manage_staff',
      async run(ctx, values) {
        const user = idFrom(values.user);
        const role = GRANTABLE_ROLES.find((r) => r === values.role);
        if (user === undefined || role === undefined) {
          await ctx.deny('grant_access', 'malformed button', { data: 'data' in ctx.query ? ctx.query.data : null });
          return ctx.answer(ctx.t.toastStale);
        }
        await decide(ctx, user, role);
      },
    },
    {
      codec: cb.rejectAccess,
      permission: 'manage_staff',
      async run(ctx, values) {
        const user = idFrom(values.user);
        if (user === undefined) {
          await ctx.deny('reject_access', 'malformed button', { data: 'data' in ctx.query ? ctx.query.data : null });
          return ctx.answer(ctx.t.toastStale);
        }
        await decide(ctx, user, null);
      },
    },
  ],
};

async function decide(ctx: CallbackContext, telegramUserId: number, role: StaffRole | null): Promise<void> {
  const outcome = await decideAccess(ctx.deps, telegramUserId, role, ctx.staff!, ctx.now);
  if (!outcome.ok) {
    if (outcome.reason === 'missing') {
      await ctx.deny('decide_access', 'no such request', { telegramUserId });
      return ctx.answer(ctx.t.toastStale);
    }
    // Another admin decided first: this message shows their decision.
    if (ctx.message) {
      await ctx.deps.client.editMessageText(ctx.message.chatId, ctx.message.messageId, ctx.t.accessDecided(outcome.request.name, outcome.grantedRole, outcome.decidedBy?.name ?? '—'));
    }
    return ctx.answer(ctx.t.toastStale);
  }
  if (ctx.message) {
    await ctx.deps.client.editMessageText(ctx.message.chatId, ctx.message.messageId, ctx.t.accessDecided(outcome.request.name, role, ctx.staff!.name));
  }
  await ctx.answer(ctx.t.toastDone);
}
