/**
 * Reminders and escalation, run on a job scheduler (every minute):
 *
 * - a card nobody claimed for `REMIND_UNCLAIMED_AFTER`: one reminder in the
 *   staff group, as a reply to the card;
 * - an inquiry claimed but not answered for `REMIND_CLAIMED_AFTER`: one
 *   private reminder to the claimant;
 * - an inquiry past its first-response target (`sla_due_at`, from
 *   `SLA_FIRST_RESPONSE`): one message to each supervisor (to the group when
 *   there is none).
 *
 * - an inquiry past its resolution target (`resolution_due_at`, from
 *   `SLA_RESOLUTION`) with no final answer (none yet, an interim one only,
 *   or reopened): one notice to its last handler and one to each
 *   supervisor (to the group when there is nobody), once per round (a
 *   reopened inquiry past its target is reminded again, once).
 *
 * Waiting times count in the SLA clock (`SLA_CLOCK`: business hours by
 * default), so nobody is reminded at night for an inquiry that came in at
 * night. Each reminder is a notice with a key per threshold and inquiry, so
 * there is one per threshold per inquiry, never a stream; each is an event.
 * The notices are queued (`notice.send`) after the commit, with any stored
 * earlier whose job was lost. The clock is injected (`now`), so tests freeze it.
 */
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { lockAdvisory } from '../db/repositories/advisory-lock.repository.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findClaimedToRemind, findOverdueToEscalate, findUnclaimedToRemind } from '../db/repositories/inquiry.repository.js';
import { findLastHandler, findResolutionOverdue } from '../db/repositories/follow-through.repository.js';
import { createBusinessClock, type BusinessClock } from '../domain/business-time.js';
import { createHolidayCalendar } from '../domain/holidays.js';
import type { Producers } from '../queue/producers.js';
import { askIfSolved, type SolvedQuestionTexts } from './solved-question.workflow.js';
import { createNotices, findUnsentNoticeIds } from './staff-notices.workflow.js';
import { listSupervisors } from './staff.workflow.js';

export interface ReminderDeps {
  db: Db;
  producers: Pick<Producers, 'sendNotices'> & Partial<Pick<Producers, 'deliverReply'>>;
  config: Pick<Config, 'telegram' | 'workflow' | 'sla' | 'timezone' | 'businessHours' | 'holidays'> & Partial<Pick<Config, 'followThrough'>>;
  now: () => Date;
  /** The question "was it solved?" in the city's language (ASK_IF_SOLVED); without it nobody is asked. */
  solvedQuestion?: SolvedQuestionTexts;
}

export interface ReminderResult {
  unclaimed: number;
  claimed: number;
  escalated: number;
  /** Inquiries past their resolution target whose handler and supervisors were told. */
  resolutionOverdue: number;
  /** Questions "was it solved?" created (ASK_IF_SOLVED), queued for `reply.deliver` after the commit. */
  solvedQuestionIds: number[];
  /** New notices plus unsent ones whose job was lost; `notice.send` is queued for each after the commit. */
  noticeIds: number[];
}

const BATCH = 500;
const LOST_NOTICE_AFTER_MS = 60_000;

/** Minutes between two moments in the configured SLA clock. */
export function createElapsed(config: ReminderDeps['config']): (from: Date, to: Date) => number {
  if (config.sla.clock === 'wall') return (from, to) => Math.max(0, (to.getTime() - from.getTime()) / 60_000);
  const clock: BusinessClock = createBusinessClock({ timezone: config.timezone, hours: config.businessHours, holidays: createHolidayCalendar(config.holidays) });
  return (from, to) => clock.businessMinutesBetween(from, to);
}

export async function checkReminders(deps: ReminderDeps): Promise<ReminderResult> {
  const { db, config } = deps;
  const now = deps.now();
  const elapsed = createElapsed(config);
  const { remindUnclaimedMinutes, remindClaimedMinutes } = config.workflow;
  // Business minutes never exceed wall minutes, so the wall-clock cut-off is a safe pre-filter.
  const before = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  const result = await db.transaction().execute(async (trx) => {
    // One run at a time across instances; a second one waits and finds nothing left to do.
    await lockAdvisory(trx, 'ardzagank:reminders');
    const out: ReminderResult = { unclaimed: 0, claimed: 0, escalated: 0, resolutionOverdue: 0, solvedQuestionIds: [], noticeIds: [] };

    const unclaimed = await findUnclaimedToRemind(trx, before(remindUnclaimedMinutes), BATCH);
    for (const row of unclaimed) {
      const waited = elapsed(row.sentAt!, now);
      if (waited < remindUnclaimedMinutes) continue;
      const ids = await createNotices(trx, [
        {
          key: `remind-unclaimed-${row.id}`,
          kind: 'reminder.unclaimed',
          chatId: row.chatId,
          inquiryId: row.id,
          replyToMessageId: row.messageId,
          payload: { waitedMinutes: Math.floor(waited) },
        },
      ]);
      if (ids.length === 0) continue;
      await insertEvent(trx, { type: 'reminded', inquiryId: row.id, actorKind: 'system', occurredAt: now, payload: { threshold: 'unclaimed', waitedMinutes: Math.floor(waited) } });
      out.unclaimed++;
      out.noticeIds.push(...ids);
    }

    const claimed = await findClaimedToRemind(trx, before(remindClaimedMinutes), BATCH);
    for (const row of claimed) {
      const waited = elapsed(row.claimedAt!, now);
      if (waited < remindClaimedMinutes) continue;
      const ids = await createNotices(trx, [
        { key: `remind-claimed-${row.id}`, kind: 'reminder.claimed', chatId: row.telegramUserId, inquiryId: row.id, payload: { waitedMinutes: Math.floor(waited) } },
      ]);
      if (ids.length === 0) continue;
      await insertEvent(trx, {
        type: 'reminded',
        inquiryId: row.id,
        actorKind: 'system',
        occurredAt: now,
        payload: { threshold: 'claimed', staffId: row.staffId, waitedMinutes: Math.floor(waited) },
      });
      out.claimed++;
      out.noticeIds.push(...ids);
    }

    const overdue = await findOverdueToEscalate(trx, now, BATCH);
    if (overdue.length > 0) {
      const supervisors = await listSupervisors(trx);
      const staffChatId = config.telegram.staffChatId;
      for (const row of overdue) {
        const payload = { targetMinutes: config.sla.firstResponseMinutes, claimantName: row.claimantName ?? null };
        const recipients: Array<{ key: string; chatId: number }> = supervisors.map((s) => ({ key: `sla-${row.id}-staff-${s.id}`, chatId: s.telegramUserId }));
        if (recipients.length === 0 && staffChatId !== undefined) recipients.push({ key: `sla-${row.id}-group`, chatId: staffChatId });
        const ids = await createNotices(trx, recipients.map((r) => ({ ...r, kind: 'sla.escalation' as const, inquiryId: row.id, payload })));
        await insertEvent(trx, {
          type: 'escalated',
          inquiryId: row.id,
          actorKind: 'system',
          occurredAt: now,
          payload: { slaDueAt: row.slaDueAt!.toISOString(), to: supervisors.map((s) => s.id), group: supervisors.length === 0 },
        });
        out.escalated++;
        out.noticeIds.push(...ids);
      }
    }

    const unresolved = await findResolutionOverdue(trx, now, BATCH);
    if (unresolved.length > 0) {
      const supervisors = await listSupervisors(trx);
      const staffChatId = config.telegram.staffChatId;
      for (const row of unresolved) {
        const round = row.reopenCount;
        const handler = await findLastHandler(trx, row);
        const payload = { targetMinutes: config.sla.resolutionMinutes, handlerName: handler?.name ?? null };
        const recipients = new Map<string, number>();
        if (handler) recipients.set(`staff-${handler.id}`, handler.telegramUserId);
        for (const s of supervisors) recipients.set(`staff-${s.id}`, s.telegramUserId);
        if (recipients.size === 0 && staffChatId !== undefined) recipients.set('group', staffChatId);
        const ids = await createNotices(
          trx,
          [...recipients].map(([key, chatId]) => ({ key: `resolution-${row.id}-${round}-${key}`, kind: 'resolution.overdue' as const, chatId, inquiryId: row.id, payload })),
        );
        await insertEvent(trx, {
          type: 'resolution_overdue',
          inquiryId: row.id,
          actorKind: 'system',
          occurredAt: now,
          payload: { round, resolutionDueAt: row.resolutionDueAt!.toISOString(), handler: handler?.id ?? null, to: [...recipients.keys()] },
        });
        out.resolutionOverdue++;
        out.noticeIds.push(...ids);
      }
    }

    // Asking the citizen whether it was solved, and recording no reply (solved-question.workflow.ts).
    if (deps.solvedQuestion && config.followThrough) {
      const asked = await askIfSolved(trx, { followThrough: config.followThrough }, deps.solvedQuestion, now);
      out.solvedQuestionIds.push(...asked.replyIds);
    }
    return out;
  });

  // Notices whose job was lost (Redis emptied, a crash between commit and enqueue).
  const lost = await findUnsentNoticeIds(db, new Date(Date.now() - LOST_NOTICE_AFTER_MS), BATCH);
  result.noticeIds = [...new Set([...result.noticeIds, ...lost])];
  await deps.producers.sendNotices(result.noticeIds);
  for (const replyId of result.solvedQuestionIds) await deps.producers.deliverReply?.(replyId);
  return result;
}
