/**
 * `/report [period] [vs period]` and `/stats`: the reports part's Telegram
 * renderers (`src/reports/telegram-report.ts`), in the person's language;
 * without `BotDeps.reports` the commands are not offered.
 */
import type { Feature } from '../bot-context.js';
import { TELEGRAM_MESSAGE_MAX, truncateForTelegram } from '../../telegram/telegram-text.js';

export const reportFeature: Feature = {
  commands: {
    report: {
      access: 'reports',
      async run(ctx) {
        const html = await ctx.deps.reports!.report(ctx.args, ctx.locale);
        await ctx.reply(truncateForTelegram(html, TELEGRAM_MESSAGE_MAX));
      },
    },
    stats: {
      access: 'reports',
      async run(ctx) {
        const html = await ctx.deps.reports!.stats(ctx.args, ctx.locale);
        await ctx.reply(truncateForTelegram(html, TELEGRAM_MESSAGE_MAX));
      },
    },
  },
};
