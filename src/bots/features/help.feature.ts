/** `/help` (what the person can do, for their role) and `/lang` (their own language). */
import type { Feature } from '../bot-context.js';
import { cb } from '../callbacks.js';
import { isLocale, LOCALES, messagesFor } from '../i18n/index.js';
import { setStaffLanguage } from '../../inbox/staff.workflow.js';

export const helpFeature: Feature = {
  commands: {
    help: {
      access: 'staff',
      async run(ctx) {
        await ctx.reply(ctx.t.help(ctx.staff!.role, Boolean(ctx.deps.reports)));
      },
    },
    lang: {
      access: 'staff',
      async run(ctx) {
        await ctx.reply(ctx.t.chooseLanguage, {
          replyMarkup: { inline_keyboard: [LOCALES.map((code) => ({ text: messagesFor(code).languageName, callback_data: cb.language.build({ code }) }))] },
        });
      },
    },
  },
  callbacks: [
    {
      codec: cb.language,
      permission: 'staff',
      async run(ctx, values) {
        if (!isLocale(values.code)) {
          await ctx.deny('language', 'unknown language', { code: values.code ?? null });
          return ctx.answer(ctx.t.toastStale);
        }
        await setStaffLanguage(ctx.deps.db, ctx.staff!, values.code);
        const t = messagesFor(values.code);
        if (ctx.message) await ctx.deps.client.editMessageText(ctx.message.chatId, ctx.message.messageId, t.languageSet);
        await ctx.answer(t.toastLanguageSet);
      },
    },
  ],
};
