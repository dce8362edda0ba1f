/**
 * The weekly digest to the head of community: who gets it, what it says,
 * and sending it exactly once per week and recipient.
 *
 * Recipients: every chat of DIGEST_CHAT_IDS (in LOCALE) and every active
 * staff member with the role `head` (in their own language).
 *
 * Once per week and chat, across restarts and instances: before anything is
 * sent, a row of `digest_deliveries` unique on (week, chat) is claimed. A
 * claim is taken over only when the earlier attempt failed, or when it has
 * been "sending" for longer than {@link STALE_CLAIM_MS} (its process died
 * mid-way). The text and the chart are sent in that order and each is
 * recorded as soon as Telegram accepts it, so a retry sends only what is
 * missing. The one case that can repeat a message is a request whose answer
 * was lost in transport (Telegram may or may not have delivered it): the
 * digest errs on the side of arriving.
 *
 * A digest sent more than {@link LATE_AFTER_MS} after it was due (the
 * service was down on Monday morning) says so. {@link DigestService.dueCatchUp}
 * tells the service at start whether the last scheduled digest is missing.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { CronExpressionParser } from 'cron-parser';
import type { Config } from '../../config.js';
import type { Db } from '../../db/create-db.js';
import type { Logger } from '../../observability/logger.js';
import { scrubSecrets } from '../../observability/redact.js';
import { buildDigestData, digestWeekFor, type DigestData } from './digest.data.js';
import { chartWeeksOf, digestCaption, renderDigestHtml } from './digest.text.js';
import { catalogFor, type ReportLang } from '../i18n/index.js';
import { renderWeeklyChart } from '../renderers/chart.renderer.js';
import type { Period } from '../../domain/periods.js';
import { TelegramApiError, TelegramHttpError } from '../../telegram/telegram-errors.js';

/** A claim older than this with nothing recorded is taken over (its process died). */
export const STALE_CLAIM_MS = 10 * 60_000;
/** A digest sent this long after it was due is marked late. */
export const LATE_AFTER_MS = 60 * 60_000;
const MAX_RATE_LIMIT_WAITS = 5;

/** What the digest needs of the Telegram client (telegram-client.ts provides it). */
export interface DigestTelegram {
  sendMessage(chatId: number, html: string, options?: { disableLinkPreview?: boolean }): Promise<{ message_id: number }>;
  sendPhoto(chatId: number, png: Buffer, captionHtml?: string, options?: { filename?: string }): Promise<{ message_id: number }>;
}

export type DigestConfig = Pick<Config, 'timezone' | 'businessHours' | 'holidays' | 'sla' | 'digest' | 'locale'>;

export interface DigestServiceDeps {
  db: Db;
  config: DigestConfig;
  telegram: DigestTelegram;
  logger: Logger;
  now?: () => Date;
  /** Waits (Telegram's retry_after); tests inject one that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** More secrets to scrub from stored errors (the bot token is never in them, but be safe). */
  secrets?: readonly string[];
}

export interface Recipient {
  chatId: number;
  lang: ReportLang;
  /** `DIGEST_CHAT_IDS` or the staff member's name, for logs. */
  who: string;
}

export interface DigestRunResult {
  week: string;
  dueAt: string;
  late: boolean;
  /** Chats that got it now. */
  sent: number[];
  /** Chats that had it already, or that another process is sending it to. */
  skipped: number[];
  failed: Array<{ chatId: number; error: string; retryable: boolean }>;
}

/** What `ardzagank digest --print` shows. */
export interface DigestPreview {
  week: Period;
  html: string;
  png: Buffer;
  data: DigestData;
}

export interface DigestService {
  recipients(): Promise<Recipient[]>;
  /**
   * Sends the digest due at `dueAt` to every recipient that does not have it
   * yet. Throws when some recipient failed with an error worth retrying
   * (the job is retried; recipients already served are skipped).
   */
  send(options: { dueAt: Date }): Promise<DigestRunResult>;
  /** The digest of a week (default: the one due last) without sending it. */
  preview(options: { lang: ReportLang; week?: Period }): Promise<DigestPreview>;
  /** The last scheduled digest, if the service ran before it was due and some recipient still lacks it. */
  dueCatchUp(): Promise<{ dueAt: Date; week: string } | undefined>;
  /** When the last scheduled digest was due (DIGEST_CRON in TIMEZONE), at or before now. */
  lastDueAt(): Date;
}

export function createDigestService(deps: DigestServiceDeps): DigestService {
  const { db, config, telegram, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  const tz = config.timezone;

  async function recipients(): Promise<Recipient[]> {
    const heads = await db.selectFrom('staff').select(['telegramUserId', 'language', 'name']).where('role', '=', 'head').where('active', '=', true).orderBy('id').execute();
    const byChat = new Map<number, Recipient>();
    for (const chatId of config.digest.chatIds) byChat.set(chatId, { chatId, lang: config.locale, who: 'DIGEST_CHAT_IDS' });
    for (const h of heads) byChat.set(h.telegramUserId, { chatId: h.telegramUserId, lang: h.language, who: h.name });
    return [...byChat.values()];
  }

  function lastDueAt(): Date {
    return CronExpressionParser.parse(config.digest.cron, { currentDate: now(), tz }).prev().toDate();
  }

  async function render(week: Period, lang: ReportLang, data: DigestData, late: { dueAt: Date } | undefined) {
    const cat = catalogFor(lang);
    return {
      html: renderDigestHtml(data, cat, { timezone: tz, ...(late ? { late } : {}) }),
      png: await renderWeeklyChart(chartWeeksOf(data), cat),
      caption: digestCaption(data, cat),
      week,
    };
  }

  /** Calls Telegram, waiting out 429s as Telegram asks. */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof TelegramApiError && error.isRateLimit() && waits < MAX_RATE_LIMIT_WAITS) {
          await sleep((error.retryAfterSeconds ?? 1) * 1000);
          continue;
        }
        throw error;
      }
    }
  }

  async function claim(week: string, chatId: number, dueAt: Date, late: boolean, token: string) {
    const at = now();
    return db
      .insertInto('digestDeliveries')
      .values({ week, chatId, status: 'sending', dueAt, late, claimToken: token, claimedAt: at })
      .onConflict((oc) =>
        oc
          .columns(['week', 'chatId'])
          .doUpdateSet((eb) => ({ status: 'sending', claimToken: token, claimedAt: at, late, attempts: eb(eb.ref('digestDeliveries.attempts'), '+', 1) }))
          .where((eb) =>
            eb.or([
              eb('digestDeliveries.status', '=', 'failed'),
              eb.and([eb('digestDeliveries.status', '=', 'sending'), eb('digestDeliveries.claimedAt', '<', new Date(at.getTime() - STALE_CLAIM_MS))]),
            ]),
          ),
      )
      .returningAll()
      .executeTakeFirst();
  }

  async function send({ dueAt }: { dueAt: Date }): Promise<DigestRunResult> {
    const week = digestWeekFor(dueAt, tz);
    const late = now().getTime() - dueAt.getTime() > LATE_AFTER_MS;
    const result: DigestRunResult = { week: week.label, dueAt: dueAt.toISOString(), late, sent: [], skipped: [], failed: [] };
    const list = await recipients();
    if (list.length === 0) {
      logger.warn({ week: week.label }, 'weekly digest has no recipients: set DIGEST_CHAT_IDS or give a staff member the role head');
      return result;
    }
    const token = randomUUID();
    const claimed: Array<{ recipient: Recipient; row: NonNullable<Awaited<ReturnType<typeof claim>>> }> = [];
    for (const recipient of list) {
      const row = await claim(week.label, recipient.chatId, dueAt, late, token);
      if (row && row.claimToken === token) claimed.push({ recipient, row });
      else result.skipped.push(recipient.chatId);
    }
    if (claimed.length === 0) return result;

    const data = await buildDigestData(db, config, week, now());
    const rendered = new Map<ReportLang, Awaited<ReturnType<typeof render>>>();
    for (const { recipient, row } of claimed) {
      const log = logger.child({ week: week.label, chatId: recipient.chatId });
      try {
        let content = rendered.get(recipient.lang);
        if (!content) rendered.set(recipient.lang, (content = await render(week, recipient.lang, data, late ? { dueAt } : undefined)));
        if (row.textMessageId === null) {
          const message = await call(() => telegram.sendMessage(recipient.chatId, content.html, { disableLinkPreview: true }));
          await db.updateTable('digestDeliveries').set({ textMessageId: message.message_id }).where('id', '=', row.id).execute();
        }
        if (row.photoMessageId === null) {
          const photo = await call(() => telegram.sendPhoto(recipient.chatId, content.png, content.caption, { filename: `ardzagank-${week.label}.png` }));
          await db.updateTable('digestDeliveries').set({ photoMessageId: photo.message_id }).where('id', '=', row.id).execute();
        }
        await db.updateTable('digestDeliveries').set({ status: 'sent', sentAt: now(), lastError: null }).where('id', '=', row.id).execute();
        result.sent.push(recipient.chatId);
        log.info({ late, who: recipient.who }, 'weekly digest sent');
      } catch (error) {
        const retryable = error instanceof TelegramHttpError || (error instanceof TelegramApiError && error.isRetryable());
        const message = scrubSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error), deps.secrets ?? []);
        await db.updateTable('digestDeliveries').set({ status: 'failed', lastError: message }).where('id', '=', row.id).execute();
        result.failed.push({ chatId: recipient.chatId, error: message, retryable });
        log[retryable ? 'warn' : 'error']({ err: error, who: recipient.who }, retryable ? 'weekly digest not sent; it will be retried' : 'weekly digest cannot be sent to this chat');
      }
    }
    const retry = result.failed.filter((f) => f.retryable);
    if (retry.length > 0) {
      throw new Error(`weekly digest ${week.label}: ${retry.length} recipient(s) failed (${retry.map((f) => f.error).join('; ')}); retrying`);
    }
    return result;
  }

  async function preview({ lang, week }: { lang: ReportLang; week?: Period }): Promise<DigestPreview> {
    const w = week ?? digestWeekFor(lastDueAt(), tz);
    const data = await buildDigestData(db, config, w, now());
    const r = await render(w, lang, data, undefined);
    return { week: w, html: r.html, png: r.png, data };
  }

  async function dueCatchUp(): Promise<{ dueAt: Date; week: string } | undefined> {
    const dueAt = lastDueAt();
    const week = digestWeekFor(dueAt, tz).label;
    // Only a service that was already running (or sending digests) when it was due owes it.
    const [delivered, ingested] = await Promise.all([
      db.selectFrom('digestDeliveries').select('id').limit(1).executeTakeFirst(),
      db.selectFrom('inquiries').select('id').where('ingestedAt', '<', dueAt).limit(1).executeTakeFirst(),
    ]);
    if (!delivered && !ingested) return undefined;
    const list = await recipients();
    if (list.length === 0) return undefined;
    const sent = await db.selectFrom('digestDeliveries').select('chatId').where('week', '=', week).where('status', '=', 'sent').execute();
    const have = new Set(sent.map((s) => s.chatId));
    return list.every((r) => have.has(r.chatId)) ? undefined : { dueAt, week };
  }

  return { recipients, send, preview, dueCatchUp, lastDueAt };
}

/** The ISO week label (`2026-W47`) of the digest due at `dueAt`. */
export function digestWeekLabel(dueAt: Date, timezone: string): string {
  return digestWeekFor(dueAt, timezone).label;
}

