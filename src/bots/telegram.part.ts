/**
 * The Telegram part of the service (`TELEGRAM_BOT_TOKEN` + `TELEGRAM_STAFF_CHAT_ID`):
 * the staff bot (long polling, or `POST /webhooks/telegram` with
 * `TELEGRAM_WEBHOOK_URL`), the rate-limited `notify` worker (cards, notices,
 * results of answers, admin alerts), and two job schedulers: reminders and
 * escalation every minute, low-priority summaries every
 * `LOW_PRIORITY_SUMMARY_EVERY`. Its name is `telegram`, which tells the
 * reconciler that cards are wanted.
 *
 * Several instances on one database: with long polling, one instance polls
 * at a time, the one holding the `telegram-polling` lease (`lib/leadership.ts`);
 * the others run their workers and serve HTTP, and take over within
 * `INSTANCE_LEASE_SECONDS` (and a third) when it dies. With a webhook
 * every instance takes updates. Either way an update handled by one instance
 * is recorded, so one Telegram sends again is not handled twice.
 */
import { hideInquiryComment } from '../inbox/hide-comment.workflow.js';
import type { InquiryRow, StaffRow } from '../db/schema.js';
import { plannedRefusals } from '../inbox/compose-reply.workflow.js';
import { configSecrets } from '../config.js';
import { releaseLease, takeLease } from '../db/repositories/lease.repository.js';
import { isTelegramUpdateHandled, pruneTelegramUpdates, recordTelegramUpdateHandled } from '../db/repositories/telegram-update.repository.js';
import { createLeadership } from '../lib/leadership.js';
import { telegramWebhookRoutes } from '../http/webhooks/telegram.webhook.js';
import { describeError } from '../observability/redact.js';
import { renderReportForTelegram, renderStatsForTelegram } from '../reports/telegram-report.js';
import type { JobHandlers } from '../queue/handlers.js';
import type { JobName } from '../queue/jobs.js';
import { upsertSchedulers } from '../queue/schedulers.js';
import { createNotifyHandlers, notifyWorkerSettings } from '../queue/workers/notify.worker.js';
import { takeUnsummarisedLowPriority } from './cards/card.service.js';
import { checkReminders } from '../inbox/reminders.workflow.js';
import { staffGroupRemovedSince } from '../inbox/staff-group.workflow.js';
import { createNotices } from '../inbox/staff-notices.workflow.js';
import { createTelegramClient, type BotCommand, type TelegramBotUser, type TelegramUpdate } from '../telegram/telegram-client.js';
import { createUpdateSource, DEFAULT_ALLOWED_UPDATES } from '../telegram/update-source.js';
import { TelegramHttpError } from '../telegram/telegram-errors.js';
import type { OffPart, PartFactory, ServiceContext, ServicePart } from '../service-part.js';
import type { BotReports } from './bot-context.js';
import { createBot } from './create-bot.js';
import { createGroupPacer } from './group-pacer.js';
import { LOCALES, messagesFor } from './i18n/index.js';
import { createPatientClient } from './patient-client.js';

/** What the Telegram part needs from the service. */
export type TelegramPartContext = ServiceContext;

/** The running Telegram part. */
export type TelegramPart = ServicePart;

/** What tests and the demo may change. */
export interface TelegramPartTuning {
  /** Seconds a long poll is held (default 30). */
  pollTimeoutSeconds?: number;
  /** How often reminders are checked, in milliseconds (default 60 000). */
  remindersEveryMs?: number;
  /** Concurrency of the notify worker (default 4). */
  notifyConcurrency?: number;
  /** How long messages for the staff group wait while the bot is out of it (default 1 minute). */
  staffGroupParkMs?: number;
  /** `/report` and `/stats` (default: the reports part's Telegram renderers). */
  reports?: BotReports;
}

/** The lease the instance that long-polls Telegram holds. */
export const POLLING_LEASE = 'telegram-polling';

/** Handled updates are forgotten after this long (Telegram keeps an update 24 hours). */
const HANDLED_UPDATES_KEPT_HOURS = 48;

/** The scheduled jobs of the Telegram part (skipped while it is off). */
const SCHEDULED: readonly JobName[] = ['reminders.check', 'lowpriority.summary'];

/** Items per low-priority summary message. */
const SUMMARY_ITEMS = 30;

const MENU: ReadonlyArray<'queue' | 'mine' | 'find' | 'report' | 'stats' | 'log' | 'remark' | 'year' | 'help' | 'lang'> = [
  'queue',
  'mine',
  'find',
  'report',
  'stats',
  'log',
  'remark',
  'year',
  'help',
  'lang',
];

export function createTelegramPart(tuning: TelegramPartTuning = {}): PartFactory {
  const factory = async (ctx: TelegramPartContext): Promise<TelegramPart | OffPart> => {
    const { config, logger, metrics, database, queues, producers, now, instanceId: holder } = ctx;
    const { botToken, staffChatId } = config.telegram;
    if (!botToken) return { off: 'Telegram bot is off: set TELEGRAM_BOT_TOKEN (and TELEGRAM_STAFF_CHAT_ID) to turn it on.' };
    if (staffChatId === undefined) return { off: 'Telegram bot is off: set TELEGRAM_STAFF_CHAT_ID to the staff group to turn it on.' };
    const log = logger.child({ part: 'telegram' });
    const secrets = configSecrets(config);
    const db = database.db;
    const api = { token: botToken, apiRoot: config.telegram.apiRoot, logger: log, secrets };
    const raw = createTelegramClient(api);
    const pacer = createGroupPacer({ db: database.db, perMinute: config.telegram.groupMessagesPerMinute });
    const client = createPatientClient(raw, pacer);

    let me: Promise<TelegramBotUser> | undefined;
    const botUsername = async (): Promise<string | undefined> => {
      me ??= raw.getMe();
      try {
        return (await me).username;
      } catch (error) {
        me = undefined;
        log.warn({ err: error }, 'could not read the bot\'s username; links to the whole text use the platform link meanwhile');
        return undefined;
      }
    };

    const reports: BotReports = tuning.reports ?? {
      report: (args, locale) => renderReportForTelegram(db, args, locale, config, now()),
      stats: (_args, locale) => renderStatsForTelegram(db, locale, config, now()),
    };
    const connectors = ctx.connectors;
    const hideComment = connectors
      ? (input: { inquiryId: number; staff: StaffRow; now: Date }) => hideInquiryComment({ db, registry: connectors, producers, secrets: ctx.secrets }, input)
      : undefined;
    const refusals = connectors ? (inquiry: InquiryRow, at: Date) => plannedRefusals(connectors, inquiry, at) : undefined;
    const bot = createBot({
      config,
      logger: log,
      db,
      producers,
      client,
      pacer,
      now,
      botUsername,
      reports,
      ...(hideComment ? { hideComment } : {}),
      ...(refusals ? { plannedRefusals: refusals } : {}),
    });
    // Set when the bot stops receiving updates for good (a revoked token): until a
    // restart, /readyz answers 503 with the reason, so a probe or an operator sees
    // it; webhooks are still stored and cards wait in the queue meanwhile.
    let stoppedBecause: string | undefined;
    const stopReceiving = (error: unknown, message: string) => {
      stoppedBecause = `${message}: ${describeError(error, secrets)}`;
      log.fatal({ err: error }, message);
    };
    // An update Telegram sends again (not confirmed when the poller died or handed over, a
    // webhook retried on another instance) is skipped if any instance handled it already.
    const botId = Number(botToken.split(':')[0]);
    const handleOnce = async (update: TelegramUpdate): Promise<void> => {
      if (await isTelegramUpdateHandled(db, botId, update.update_id)) {
        log.debug({ updateId: update.update_id }, 'update already handled (here or by another instance); skipped');
        return;
      }
      // The same update source serves the channels' discussion groups (stored for ingest) and the staff bot.
      let taken = false;
      for (const route of ctx.telegramUpdateRoutes ?? []) {
        if (await route(update, receivingMode)) {
          taken = true;
          break;
        }
      }
      if (!taken) await bot.handleUpdate(update);
      await recordTelegramUpdateHandled(db, botId, update.update_id);
      if (update.update_id % 1000 === 0) {
        await pruneTelegramUpdates(db, HANDLED_UPDATES_KEPT_HOURS).catch((error: unknown) => log.warn({ err: error }, 'could not prune the handled Telegram updates'));
      }
    };
    const { webhookUrl, webhookSecret } = config.telegram;
    const receivingMode: 'poll' | 'webhook' = webhookUrl && webhookSecret ? 'webhook' : 'poll';
    const source = createUpdateSource({
      ...api,
      handler: handleOnce,
      allowedUpdates: [...new Set([...DEFAULT_ALLOWED_UPDATES, ...ctx.telegramUpdateKinds])],
      mode: webhookUrl && webhookSecret ? { kind: 'webhook', url: webhookUrl, secret: webhookSecret } : { kind: 'polling', timeoutSeconds: tuning.pollTimeoutSeconds ?? 30 },
      onFatalError: (error) => {
        stopReceiving(error, 'the bot stopped receiving updates; fix TELEGRAM_BOT_TOKEN and restart');
        // Another instance may still be able to poll (or will say the same on its /readyz).
        void leadership?.close();
      },
    });

    // Long polling: only the instance holding the lease polls (two pollers cut each other off with 409).
    const leadership =
      source.mode === 'polling'
        ? createLeadership({
            role: 'Telegram long polling',
            holder,
            ttlMs: config.instanceLeaseSeconds * 1000,
            store: { take: (ttlMs) => takeLease(db, POLLING_LEASE, holder, ttlMs), release: () => releaseLease(db, POLLING_LEASE, holder) },
            logger: log,
            lead: async () => {
              try {
                await source.start();
              } catch (error) {
                // Telegram unreachable: the lease is given up and taken again later. Refused: for good.
                if (!(error instanceof TelegramHttpError) && !closed) {
                  stopReceiving(error, 'the bot could not start; fix the cause and restart');
                  void leadership?.close();
                }
                throw error;
              }
            },
            // A lease lost or expired: another instance may poll already, and confirming from here would cut it off.
            standDown: (reason) => source.stop({ confirm: reason === 'closing' }),
            onChange: (leading) => metrics.telegramPolling.set(leading ? 1 : 0),
          })
        : undefined;

    const handlers: JobHandlers = {
      ...createNotifyHandlers({
        db,
        config,
        logger: log,
        metrics,
        queue: queues.notify,
        client: raw,
        pacer,
        producers,
        now,
        botUsername,
        ...(tuning.staffGroupParkMs === undefined ? {} : { parkMs: tuning.staffGroupParkMs }),
      }),
      'reminders.check': async () => {
        const t = messagesFor(config.locale);
        const solvedQuestion = { question: t.solvedQuestion, yes: t.solvedYes, no: t.solvedNo };
        const result = await checkReminders({ db, producers, config, now, solvedQuestion });
        return {
          unclaimed: result.unclaimed,
          claimed: result.claimed,
          escalated: result.escalated,
          resolutionOverdue: result.resolutionOverdue,
          solvedAsked: result.solvedQuestionIds.length,
          notices: result.noticeIds.length,
        };
      },
      'lowpriority.summary': async () => {
        const taken = await takeUnsummarisedLowPriority(db, SUMMARY_ITEMS, now(), async (trx, ids) => {
          const [id] = await createNotices(trx, [{ key: `lowpriority-summary-${ids[0]}`, kind: 'lowpriority.summary', chatId: staffChatId, payload: { inquiryIds: ids } }]);
          return id;
        });
        if (taken.noticeId !== undefined) await producers.sendNotices([taken.noticeId]);
        return { items: taken.inquiryIds.length };
      },
    };

    const setCommands = async () => {
      const names = new Set(bot.commandNames());
      const menu = (locale: (typeof LOCALES)[number]): BotCommand[] =>
        MENU.filter((c) => names.has(c)).map((command) => ({ command, description: messagesFor(locale).commands[command] }));
      try {
        await client.setMyCommands(menu(config.locale));
        for (const locale of LOCALES) await client.setMyCommands(menu(locale), { languageCode: locale });
      } catch (error) {
        log.warn({ err: error }, 'could not set the command menu; the commands work anyway');
      }
    };

    // Telegram unreachable at start must not keep the rest of the service
    // down: the bot keeps trying in the background. A refused token stops the start.
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const startReceiving = async (attempt: number): Promise<void> => {
      try {
        if (leadership) {
          // Every instance checks the token; the one that gets the lease polls.
          await raw.getMe();
          await setCommands();
          await leadership.start();
        } else {
          await source.start();
          await setCommands();
        }
      } catch (error) {
        if (!(error instanceof TelegramHttpError) || closed) throw error;
        const waitMs = Math.min(60_000, 2_000 * 2 ** Math.min(attempt, 5));
        log.warn({ err: error, waitMs }, 'Telegram is not reachable; the bot will try again (cards wait in the queue meanwhile)');
        retry = setTimeout(() => {
          startReceiving(attempt + 1).catch((e: unknown) => stopReceiving(e, 'the bot could not start; fix the cause and restart'));
        }, waitMs);
      }
    };

    return {
      name: 'telegram',
      handlers,
      workers: {
        notify: notifyWorkerSettings({
          messagesPerSecond: config.telegram.messagesPerSecond,
          ...(tuning.notifyConcurrency === undefined ? {} : { concurrency: tuning.notifyConcurrency }),
        }),
      },
      routes: source.mode === 'webhook' ? [telegramWebhookRoutes(source)] : [],
      readiness: [
        {
          name: 'telegram',
          check: async () => {
            if (stoppedBecause) throw new Error(stoppedBecause);
            const removed = await staffGroupRemovedSince(db, staffChatId);
            if (removed) {
              throw new Error(
                `the bot cannot write into the staff group ${staffChatId} since ${removed.since.toISOString()} (Telegram: ${removed.reason}): ` +
                  'add the bot back to the group as an admin; cards wait meanwhile and go out when it is back',
              );
            }
          },
        },
      ],
      start: async () => {
        await startReceiving(0);
        await upsertSchedulers(queues.schedule, [
          { id: 'telegram-reminders', repeat: { every: tuning.remindersEveryMs ?? 60_000 }, job: { name: 'reminders.check', data: { reason: 'schedule' } } },
          {
            id: 'telegram-low-priority-summary',
            repeat: { every: config.workflow.lowPrioritySummaryMinutes * 60_000 },
            job: { name: 'lowpriority.summary', data: { reason: 'schedule' } },
          },
        ]);
      },
      close: async () => {
        closed = true;
        if (retry) clearTimeout(retry);
        if (leadership) await leadership.close();
        await source.stop();
      },
    };
  };
  return Object.assign(factory, { jobs: SCHEDULED });
}

/** The Telegram part with production settings. */
export const telegramPart = createTelegramPart();
