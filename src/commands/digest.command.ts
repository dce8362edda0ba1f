import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configSecrets, loadConfig } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { parsePeriodSpec, PeriodSpecError, weekRange } from '../domain/periods.js';
import { createLogger } from '../observability/logger.js';
import { htmlToPlainText } from '../reports/digest/digest.text.js';
import { REPORT_LANGS, type ReportLang } from '../reports/i18n/index.js';
import { createDigestService, type DigestTelegram } from '../reports/digest/digest.service.js';
import { createTelegramClient } from '../telegram/telegram-client.js';
import { UsageError, parseCommandArgs, type Command } from './command.js';

const USAGE = `ardzagank digest [--print] [--png FILE] [--week YYYY-Www] [--lang hy|en|ru]
ardzagank digest --send

Shows the weekly digest to the head of community without sending it:
--print writes its text (the default), --png FILE writes its chart. By
default the week is the one of the last scheduled digest (DIGEST_CRON in
TIMEZONE: the full week before it); --week picks another (2026-W47).

--send sends the last scheduled digest now to DIGEST_CHAT_IDS and the staff
with the role head who do not have it yet (needs TELEGRAM_BOT_TOKEN); like
the schedule, it never sends one week twice to the same chat.`;

const noTelegram: DigestTelegram = {
  sendMessage: () => Promise.reject(new Error('not sending: preview only')),
  sendPhoto: () => Promise.reject(new Error('not sending: preview only')),
};

export const digestCommand: Command = {
  name: 'digest',
  summary: 'show the weekly digest (--print, --png FILE) or send it now (--send)',
  usage: USAGE,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      options: {
        print: { type: 'boolean', default: false },
        png: { type: 'string' },
        week: { type: 'string' },
        lang: { type: 'string' },
        send: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
    const config = loadConfig();
    const lang = (values.lang ?? config.locale) as ReportLang;
    if (!REPORT_LANGS.includes(lang)) throw new UsageError(`--lang must be one of ${REPORT_LANGS.join(', ')}, not "${values.lang}"`);
    if (values.send && (values.print || values.png || values.week)) throw new UsageError('--send sends the last scheduled digest; use it alone');
    let week;
    if (values.week) {
      try {
        const p = parsePeriodSpec(values.week, config.timezone);
        week = weekRange(p.from, config.timezone);
      } catch (error) {
        if (error instanceof PeriodSpecError) throw new UsageError(`--week: ${error.message}`);
        throw error;
      }
    }
    if (values.send && !config.telegram.botToken) {
      io.err('The digest is sent by the Telegram bot: set TELEGRAM_BOT_TOKEN (and DIGEST_CHAT_IDS or a staff member with the role head).');
      return 2;
    }

    const logger = createLogger({ level: 'warn', secrets: configSecrets(config) });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
    try {
      await migrateToLatest(database.db, logger);
      const telegram = values.send
        ? createTelegramClient({ token: config.telegram.botToken!, apiRoot: config.telegram.apiRoot, logger, secrets: configSecrets(config) })
        : noTelegram;
      const service = createDigestService({ db: database.db, config, telegram, logger, secrets: configSecrets(config) });
      if (values.send) {
        const result = await service.send({ dueAt: service.lastDueAt() });
        io.out(
          `Weekly digest ${result.week}: sent to ${result.sent.length} chat(s)` +
            (result.skipped.length ? `, ${result.skipped.length} had it already` : '') +
            (result.failed.length ? `, ${result.failed.length} failed: ${result.failed.map((f) => `${f.chatId} (${f.error})`).join('; ')}` : '') +
            '.',
        );
        return result.failed.length ? 1 : 0;
      }
      const preview = await service.preview({ lang, ...(week ? { week } : {}) });
      if (values.png) {
        writeFileSync(values.png, preview.png);
        io.out(`Wrote the chart of ${preview.week.label} to ${path.resolve(values.png)}`);
      }
      if (values.print || !values.png) io.out(htmlToPlainText(preview.html));
      return 0;
    } finally {
      await database.close();
    }
  },
};
