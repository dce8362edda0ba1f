/**
 * The `notify` queue: everything the bot sends on its own, rate-limited.
 *
 * - `card.send`: the card of a new inquiry, exactly once. The card row is
 *   locked while Telegram is called and the message id is recorded in the
 *   same transaction; a retried or duplicated job finds it and sends
 *   nothing. The one gap: Telegram accepted the card and the process died
 *   before the commit; the retry then sends it again. A rare double card is
 *   accepted rather than a lost one.
 * - `card.update`: renders the inquiry's current state and edits the card,
 *   skipping edits whose rendered hash is unchanged. Under the row lock, so
 *   edits of one inquiry apply in order and the last one shows the latest state.
 * - `notice.send`: a stored notice (reminder, result, alert…), once.
 * - `reply.result`: a reply was published or failed for good: refresh the
 *   card and tell its author privately.
 * - `admin.alert`: tell every admin (`TELEGRAM_ADMIN_IDS` and staff with the
 *   role admin).
 *
 * Limits: the BullMQ limiter caps jobs at `TELEGRAM_MESSAGES_PER_SECOND`;
 * messages and edits into a group are spaced by the group pacer
 * (`TELEGRAM_GROUP_MESSAGES_PER_MINUTE`, shared in Redis): a job waits for
 * its group's next slot (seconds at most) before it takes any lock. When
 * Telegram still answers 429, the queue is paused for `retry_after` and the
 * job goes back to the queue without using an attempt, so nothing is lost.
 * New cards have a lower priority than edits and notices, which therefore
 * never wait behind a burst of new cards.
 */
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { Config } from '../../config.js';
import type { Db } from '../../db/create-db.js';
import type { Locale, TelegramNoticeRow } from '../../db/schema.js';
import { isOpen } from '../../domain/inquiry.js';
import { renderCard } from '../../bots/cards/card-render.js';
import type { GroupPacer } from '../../bots/group-pacer.js';
import { isLocale } from '../../bots/i18n/index.js';
import { mention, messageLink } from '../../bots/links.js';
import { renderNotice, type NoticeContext } from '../../bots/notices.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { cardShows, loadSummaryItems, promoteIfSubstantial, recordCardSent, withCardLock } from '../../bots/cards/card.service.js';
import { findCardView } from '../../db/repositories/card-view.repository.js';
import { findInquiryById } from '../../db/repositories/inquiry.repository.js';
import { findReplyById } from '../../db/repositories/reply.repository.js';
import { listSectors } from '../../db/repositories/sector.repository.js';
import { bumpWaveRevisions, findWaveById, findWaveCardView, findWaveOfInquiry, lockWave, updateWave } from '../../db/repositories/wave.repository.js';
import { renderWaveCard } from '../../bots/cards/wave-card-render.js';
import { findCardByInquiryId, updateCardRenderedHash } from '../../db/repositories/telegram-card.repository.js';
import {
  findNoticeById,
  findReplyResultRecipient,
  lockNotice,
  updateNoticeFailed,
  updateNoticeSent,
} from '../../db/repositories/telegram-notice.repository.js';
import { createNotices, type NoticeKind } from '../../inbox/staff-notices.workflow.js';
import { findStaffRequest } from '../../db/repositories/staff-request.repository.js';
import { findStaffByTelegramId } from '../../db/repositories/staff.repository.js';
import { recordStaffGroupBack, recordStaffGroupRemoved, staffGroupRemovedSince } from '../../inbox/staff-group.workflow.js';
import { adminTelegramIds } from '../../inbox/staff.workflow.js';
import type { TelegramClient } from '../../telegram/telegram-client.js';
import { TelegramApiError } from '../../telegram/telegram-errors.js';
import type { HandlerTable, JobHandler } from '../handlers.js';
import type { JobPayloads, JobsOf } from '../jobs.js';
import type { Producers } from '../producers.js';

export interface NotifyWorkerDeps {
  db: Db;
  config: Pick<Config, 'telegram' | 'timezone' | 'locale'> & Partial<Pick<Config, 'waves'>>;
  logger: Logger;
  metrics: Metrics;
  /** The notify queue itself, to pause it when Telegram or the group's pace says so. */
  queue: Queue;
  client: TelegramClient;
  pacer: GroupPacer;
  producers: Producers;
  now: () => Date;
  /** The bot's username (for links to the whole text); resolved once. */
  botUsername: () => Promise<string | undefined>;
  /**
   * How long a message for the staff group waits while the bot is out of the
   * group before it is tried again (one probe per wait); default 1 minute.
   */
  parkMs?: number;
}

/** The bot was removed from the staff group a moment ago: the job waits instead of asking Telegram again. */
class StaffGroupUnreachable extends Error {
  constructor(reason: string) {
    super(`the bot is not in the staff group (${reason})`);
    this.name = this.constructor.name;
  }
}

/** Private notices that go to the staff group (with a mention) when the person's private chat is closed to the bot. */
const GROUP_FALLBACK: ReadonlySet<NoticeKind> = new Set([
  'reminder.claimed',
  'sla.escalation',
  'reply.result',
  'reassigned',
  'approval.result',
  'resolution.overdue',
  'reopened',
  'solved.answer',
]);

/** The notify queue's handler table. */
export function createNotifyHandlers(deps: NotifyWorkerDeps): HandlerTable<'notify'> {
  const { db, config, client, pacer, producers } = deps;
  const staffChatId = config.telegram.staffChatId;

  const count = (method: string, outcome: string) => deps.metrics.telegramCalls.inc({ method, outcome });
  const parkMs = deps.parkMs ?? 60_000;
  const groupDeps = { db, producers, logger: deps.logger };

  /**
   * Before writing into the staff group: throws {@link StaffGroupUnreachable}
   * while the bot was removed from it less than `parkMs` ago; otherwise says
   * whether this write is a probe (the group was lost: a success means it is back).
   */
  async function checkStaffGroup(chatId: number): Promise<boolean> {
    if (chatId !== staffChatId) return false;
    const removed = await staffGroupRemovedSince(db, chatId);
    if (!removed) return false;
    if (deps.now().getTime() - removed.since.getTime() < parkMs) throw new StaffGroupUnreachable(removed.reason);
    return true;
  }
  const groupWorks = async (probe: boolean, chatId: number) => {
    if (probe) await recordStaffGroupBack(groupDeps, { chatId, at: deps.now() });
  };

  const needsCard = (inquiry: { status: string; lowPriority: boolean } | undefined) =>
    inquiry !== undefined && (inquiry.status === 'new' || inquiry.status === 'claimed') && !inquiry.lowPriority;

  async function sendCard(inquiryId: number, log: Logger): Promise<string> {
    if (staffChatId === undefined) throw new UnrecoverableError('TELEGRAM_STAFF_CHAT_ID is not set: cards have nowhere to go');
    // Checked first without the lock, so a duplicate job takes no slot of the group's pace.
    if ((await findCardByInquiryId(db, inquiryId))?.messageId) return 'already sent';
    if (!needsCard(await findInquiryById(db, inquiryId))) return 'not needed';
    // A question in a wave is counted on the wave's card.
    if ((await findWaveOfInquiry(db, inquiryId)) !== undefined) return 'in a wave';
    const probe = await checkStaffGroup(staffChatId);
    // The group's pace is waited out here, before any lock is taken (a few seconds at most).
    await pacer.take(staffChatId);
    const outcome = await withCardLock(db, inquiryId, { chatId: staffChatId, create: true }, async (trx, card) => {
      if (card?.messageId) return 'already sent';
      const view = await findCardView(trx, inquiryId);
      if (!view) return 'no such inquiry';
      if (!isOpen(view.inquiry.status) || view.inquiry.lowPriority) return 'not needed';
      const rendered = renderCard(view, { locale: config.locale, timezone: config.timezone, now: deps.now(), botUsername: await deps.botUsername() });
      const message = await client.sendMessage(staffChatId, rendered.html, { replyMarkup: rendered.keyboard, disableLinkPreview: true });
      count('sendMessage', 'ok');
      await recordCardSent(trx, { inquiryId, chatId: staffChatId }, message.message_id, rendered.hash, deps.now());
      log.debug({ inquiryId, messageId: message.message_id }, 'card sent');
      return 'sent';
    });
    if (outcome === 'sent') await groupWorks(probe, staffChatId);
    return outcome;
  }

  async function render(trx: Db, inquiryId: number) {
    const view = await findCardView(trx, inquiryId);
    return view && renderCard(view, { locale: config.locale, timezone: config.timezone, now: deps.now(), botUsername: await deps.botUsername() });
  }

  async function updateCard(inquiryId: number, log: Logger): Promise<string> {
    // An edit that changes nothing is found without the lock and takes no slot of the group's pace.
    const current = await findCardByInquiryId(db, inquiryId);
    let probe = false;
    if (current?.messageId) {
      const rendered = await render(db, inquiryId);
      if (!rendered || cardShows(current.renderedHash, rendered.hash)) return 'unchanged';
      probe = await checkStaffGroup(current.chatId);
      await pacer.take(current.chatId);
    }
    const outcome = await withCardLock(db, inquiryId, { chatId: staffChatId ?? 0, create: false }, async (trx, card) => {
      if (!card?.messageId) return 'no card';
      // Rendered again under the lock: the state may have changed meanwhile, and the last edit must show the latest.
      const rendered = await render(trx, inquiryId);
      if (!rendered) return 'no such inquiry';
      if (cardShows(card.renderedHash, rendered.hash)) return 'unchanged';
      try {
        const result = await client.editMessageText(card.chatId, card.messageId, rendered.html, { replyMarkup: rendered.keyboard, disableLinkPreview: true });
        count('editMessageText', result.modified ? 'ok' : 'not_modified');
        await updateCardRenderedHash(trx, inquiryId, rendered.hash);
        return 'edited';
      } catch (error) {
        if (!(error instanceof TelegramApiError && error.isMessageNotFound())) throw error;
        // Someone deleted the card in the group: post it again rather than lose it.
        log.warn({ inquiryId, messageId: card.messageId }, 'the card was deleted in the group; sending it again');
        const message = await client.sendMessage(card.chatId, rendered.html, { replyMarkup: rendered.keyboard, disableLinkPreview: true });
        count('sendMessage', 'ok');
        await recordCardSent(trx, { inquiryId, chatId: card.chatId }, message.message_id, rendered.hash, deps.now());
        return 'sent again';
      }
    });
    if (outcome === 'edited' || outcome === 'sent again') await groupWorks(probe, current?.chatId ?? 0);
    if (outcome === 'no card' && (await promoteIfSubstantial(db, inquiryId, deps.now()))) {
      await producers.sendCard(inquiryId);
      return 'promoted to a card';
    }
    return outcome;
  }

  // Called inside the notice's transaction: it reads through that transaction
  // (the embedded database has one connection; `db` here would wait for it forever).
  async function localeOf(trx: Db, chatId: number): Promise<Locale> {
    if (chatId <= 0) return config.locale;
    const staff = await findStaffByTelegramId(trx, chatId);
    if (staff) return staff.language;
    const request = await findStaffRequest(trx, chatId);
    return request && isLocale(request.language) ? request.language : config.locale;
  }

  async function noticeContext(trx: Db, notice: TelegramNoticeRow): Promise<NoticeContext> {
    const inquiry = notice.inquiryId === null ? undefined : await findInquiryById(trx, notice.inquiryId);
    const card = notice.inquiryId === null ? undefined : await findCardByInquiryId(trx, notice.inquiryId);
    const ctx: NoticeContext = { locale: await localeOf(trx, notice.chatId), inquiry, cardLink: card ? messageLink(card.chatId, card.messageId) : undefined };
    const addresseeId = notice.payload.addresseeId;
    const addresseeName = notice.payload.addresseeName;
    if (typeof addresseeId === 'number' && typeof addresseeName === 'string') ctx.addressee = mention(addresseeId, addresseeName);
    if (notice.kind === 'lowpriority.summary') ctx.items = await loadSummaryItems(trx, notice.payload.inquiryIds);
    return ctx;
  }

  async function sendNotice(noticeId: number, log: Logger): Promise<string> {
    const fallbacks: number[] = [];
    const pending = await findNoticeById(db, noticeId);
    if (!pending || pending.messageId !== null || pending.failure !== null) return 'nothing to send';
    const probe = await checkStaffGroup(pending.chatId);
    await pacer.take(pending.chatId);
    const outcome = await db.transaction().execute(async (trx) => {
      const notice = await lockNotice(trx, noticeId);
      if (!notice) return 'no such notice';
      if (notice.messageId !== null) return 'already sent';
      if (notice.failure !== null) return 'failed before';
      const rendered = renderNotice(notice, await noticeContext(trx, notice));
      try {
        const message = await client.sendMessage(notice.chatId, rendered.html, {
          replyMarkup: rendered.keyboard,
          disableLinkPreview: true,
          ...(notice.replyToMessageId !== null ? { replyToMessageId: notice.replyToMessageId } : {}),
        });
        count('sendMessage', 'ok');
        await updateNoticeSent(trx, notice.id, message.message_id, deps.now());
        return 'sent';
      } catch (error) {
        const closed = error instanceof TelegramApiError && (error.isForbidden() || (error.isBadRequest() && error.description.toLowerCase().includes('chat not found')));
        // The staff group closed to the bot is not one person's closed chat: the notice waits for the bot to be back.
        if (!closed || notice.chatId === staffChatId) throw error;
        count('sendMessage', 'forbidden');
        await updateNoticeFailed(trx, notice.id, error.description);
        if (notice.chatId > 0 && staffChatId !== undefined && GROUP_FALLBACK.has(notice.kind as NoticeKind)) {
          const who = await findStaffByTelegramId(trx, notice.chatId);
          const card = notice.inquiryId === null ? undefined : await findCardByInquiryId(trx, notice.inquiryId);
          fallbacks.push(
            ...(await createNotices(trx, [
              {
                key: `${notice.key}-group`,
                kind: notice.kind as NoticeKind,
                chatId: staffChatId,
                inquiryId: notice.inquiryId,
                replyToMessageId: card?.messageId ?? null,
                payload: { ...notice.payload, addresseeId: notice.chatId, addresseeName: who?.name ?? String(notice.chatId) },
              },
            ])),
          );
        }
        log.warn({ noticeId, chatId: notice.chatId, reason: error.description, fallback: fallbacks.length > 0 }, 'a private chat is closed to the bot; the notice was not sent there');
        return 'chat closed';
      }
    });
    if (fallbacks.length > 0) await producers.sendNotices(fallbacks);
    if (outcome === 'sent') await groupWorks(probe, pending.chatId);
    return outcome;
  }

  /**
   * The wave's one card shows its latest state: sent once, then edited. A job
   * finding the card at the wave's revision does nothing; edits of one card
   * are at least `WAVE_CARD_EVERY_SECONDS` apart (the job waits), so a burst
   * of changes costs one edit, made with whatever is latest by then.
   */
  async function waveCard(job: Job, waveId: number, log: Logger): Promise<string> {
    if (staffChatId === undefined) return 'no staff group';
    const wave = await findWaveById(db, waveId);
    if (!wave) return 'no such wave';
    if (wave.cardMessageId !== null && wave.cardRevision >= wave.revision) return 'covered';
    const everyMs = (config.waves?.cardEverySeconds ?? 10) * 1000;
    if (wave.cardEditedAt && wave.cardMessageId !== null) {
      // Telegram's pace is real time, whatever clock the service is given.
      const wait = wave.cardEditedAt.getTime() + everyMs - Date.now();
      if (wait > 0) {
        await job.moveToDelayed(Date.now() + wait, job.token);
        throw new DelayedError(`the wave card was edited less than ${everyMs} ms ago`);
      }
    }
    const chatId = wave.cardChatId ?? staffChatId;
    const probe = await checkStaffGroup(chatId);
    await pacer.take(chatId);
    const outcome = await db.transaction().execute(async (trx) => {
      const locked = await lockWave(trx, waveId);
      if (!locked) return 'no such wave';
      if (locked.cardMessageId !== null && locked.cardRevision >= locked.revision) return 'covered';
      const view = await findWaveCardView(trx, waveId);
      if (!view) return 'no such wave';
      const sectors = new Map((await listSectors(trx)).map((x) => [x.code, x.names]));
      const rendered = renderWaveCard(view, { locale: config.locale, timezone: config.timezone, now: deps.now(), sectorName: (code) => sectors.get(code)?.[config.locale] ?? code });
      const options = { replyMarkup: rendered.keyboard, disableLinkPreview: true };
      if (locked.cardMessageId === null) {
        const message = await client.sendMessage(chatId, rendered.html, options);
        count('sendMessage', 'ok');
        await updateWave(trx, waveId, { cardChatId: chatId, cardMessageId: message.message_id, cardRevision: locked.revision, cardEditedAt: new Date() });
        return 'sent';
      }
      try {
        const result = await client.editMessageText(chatId, locked.cardMessageId, rendered.html, options);
        count('editMessageText', result.modified ? 'ok' : 'not_modified');
      } catch (error) {
        if (!(error instanceof TelegramApiError && error.isMessageNotFound())) throw error;
        log.warn({ waveId, messageId: locked.cardMessageId }, 'the wave card was deleted in the group; sending it again');
        const message = await client.sendMessage(chatId, rendered.html, options);
        count('sendMessage', 'ok');
        await updateWave(trx, waveId, { cardMessageId: message.message_id });
      }
      await updateWave(trx, waveId, { cardRevision: locked.revision, cardEditedAt: new Date() });
      return 'edited';
    });
    if (outcome === 'sent' || outcome === 'edited') await groupWorks(probe, chatId);
    // Changes made while this edit was on its way get their own job (queued by whoever made them).
    return outcome;
  }

  async function replyResult(replyId: number): Promise<string> {
    const statementReply = await findReplyById(db, replyId);
    if (statementReply?.statementId) {
      // A statement's reply: its progress shows on the wave card, not in 300 private messages to the author.
      const waveId = await findWaveOfInquiry(db, statementReply.inquiryId);
      await producers.updateCards([statementReply.inquiryId]);
      if (waveId !== undefined) {
        await bumpWaveRevisions(db, [waveId], deps.now());
        await producers.waveCards([waveId]);
      }
      return 'wave card refreshed';
    }
    const reply = await findReplyResultRecipient(db, replyId);
    if (!reply) return 'no such reply';
    await producers.updateCards([reply.inquiryId]);
    if (reply.status === 'pending' || reply.authorTelegramUserId === null) return 'card refreshed';
    const ids = await createNotices(db, [
      {
        key: `reply-result-${reply.replyId}`,
        kind: 'reply.result',
        chatId: reply.authorTelegramUserId,
        inquiryId: reply.inquiryId,
        // `reason` (English) for rows without a code; `failure` is rendered in the reader's language.
        payload: { replyId: reply.replyId, status: reply.status, reason: reply.failureReason, ...(reply.failure ? { failure: reply.failure } : {}) },
      },
    ]);
    await producers.sendNotices(ids);
    return `author told (${reply.status})`;
  }

  async function adminAlert(job: Job, alert: JobPayloads['admin.alert']): Promise<string> {
    const admins = await adminTelegramIds(db, config.telegram.adminIds);
    const occasion = job.id ?? `${alert.kind}-${alert.sourceId ?? 0}-${job.timestamp}`;
    const ids = await createNotices(
      db,
      admins.map((chatId) => ({
        key: `${occasion}-to-${chatId}`,
        kind: 'admin.alert' as const,
        chatId,
        payload: { message: alert.message, alertKind: alert.kind, ...(alert.sourceId !== undefined ? { sourceId: alert.sourceId } : {}) },
      })),
    );
    await producers.sendNotices(ids);
    return `${admins.length} admin(s)`;
  }

  /** Telegram's refusals become queue behaviour: a 429 waits `retry_after` and keeps the job; the rest say what to do. */
  const translated =
    <N extends JobsOf<'notify'>>(run: JobHandler<N>): JobHandler<N> =>
    async (job, log, worker) => {
      try {
        return await run(job, log, worker);
      } catch (error) {
        // Only writes into the staff group get here with a 403 (a private chat closed to the bot is handled where it is sent).
        const removed = error instanceof TelegramApiError && error.isForbidden() && staffChatId !== undefined;
        if (removed || error instanceof StaffGroupUnreachable) {
          if (removed) {
            count(error.method, String(error.code));
            await recordStaffGroupRemoved(groupDeps, { chatId: staffChatId, reason: error.description, at: deps.now() });
          }
          log.info({ waitMs: parkMs }, 'the bot is not in the staff group; this message waits until it is back');
          await job.moveToDelayed(Date.now() + parkMs, job.token);
          throw new DelayedError('the staff group is out of reach');
        }
        if (error instanceof TelegramApiError) {
          if (error.isRateLimit()) {
            count(error.method, 'rate_limited');
            const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
            log.info({ waitMs }, 'Telegram asked to slow down; the notify queue waits and the job is kept');
            await deps.queue.rateLimit(waitMs);
            throw Worker.RateLimitError();
          }
          count(error.method, String(error.code));
          if (error.migrateToChatId !== undefined) {
            throw new UnrecoverableError(
              `The staff group became a supergroup: set TELEGRAM_STAFF_CHAT_ID=${error.migrateToChatId} and restart. (${error.message})`,
            );
          }
          if (error.isBadRequest() && !error.isMessageNotFound()) throw new UnrecoverableError(error.message);
        }
        throw error;
      }
    };

  return {
    'card.send': translated(async (job, log) => sendCard(job.data.inquiryId, log)),
    'card.update': translated(async (job, log) => updateCard(job.data.inquiryId, log)),
    'notice.send': translated(async (job, log) => sendNotice(job.data.noticeId, log)),
    'reply.result': translated(async (job) => replyResult(job.data.replyId)),
    'admin.alert': translated(async (job) => adminAlert(job, job.data)),
    'wave.card': translated(async (job, log) => waveCard(job, job.data.waveId, log)),
  };
}

/** Settings of the notify queue's one worker: Telegram's overall pace. */
export function notifyWorkerSettings(options: { messagesPerSecond: number; concurrency?: number }) {
  return { concurrency: options.concurrency ?? 4, limiter: { max: options.messagesPerSecond, duration: 1000 } };
}
