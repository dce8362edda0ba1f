/**
 * The bot removed from the staff group, and back. Telegram says so with a
 * `my_chat_member` update, or by refusing a send with 403; either way the
 * loss is recorded once (shared by every instance), the admins are told in
 * their private chats, `/readyz` turns red with the reason, and the cards
 * wait (parked in the queue, nothing failed for good). When the bot is back
 * (the update, or a card that goes through again), the admins are told and
 * the waiting cards go out.
 */
import type { Db } from '../db/create-db.js';
import { findChatAccess, lockChatAccess, updateChatAccess } from '../db/repositories/telegram-chat-access.repository.js';
import type { Logger } from '../observability/logger.js';
import type { Producers } from '../queue/producers.js';

export interface StaffGroupDeps {
  db: Db;
  producers: Pick<Producers, 'adminAlert' | 'resendParkedNotifications'>;
  logger: Logger;
}

/**
 * Records that the bot can no longer write into the staff group; returns
 * whether this was news (the first report of this loss).
 */
export async function recordStaffGroupRemoved(deps: StaffGroupDeps, loss: { chatId: number; reason: string; at: Date }): Promise<boolean> {
  const reason = loss.reason.slice(0, 500);
  const news = await deps.db.transaction().execute(async (trx) => {
    const current = await lockChatAccess(trx, loss.chatId);
    // Known already: the time moves on, so the next probe waits a full interval from this refusal.
    await updateChatAccess(trx, loss.chatId, { status: 'removed', reason, at: loss.at });
    return current.status !== 'removed';
  });
  if (!news) return false;
  deps.logger.error({ chatId: loss.chatId, reason }, 'the bot can no longer write into the staff group: cards wait until it is added back');
  await deps.producers.adminAlert(
    { kind: 'staff_group_removed', message: reason },
    `staff-group-removed-${loss.chatId}-${loss.at.getTime()}`,
  );
  return true;
}

/** Records that the bot is in the staff group again; returns whether it had been removed. */
export async function recordStaffGroupBack(deps: StaffGroupDeps, back: { chatId: number; at: Date }): Promise<boolean> {
  const known = await findChatAccess(deps.db, back.chatId);
  if (!known || known.status !== 'removed') return false;
  const news = await deps.db.transaction().execute(async (trx) => {
    const current = await lockChatAccess(trx, back.chatId);
    if (current.status !== 'removed') return false;
    await updateChatAccess(trx, back.chatId, { status: 'member', reason: null, at: back.at });
    return true;
  });
  if (!news) return false;
  deps.logger.info({ chatId: back.chatId }, 'the bot is in the staff group again: the waiting cards go out');
  await deps.producers.adminAlert({ kind: 'staff_group_back', message: '' }, `staff-group-back-${back.chatId}-${back.at.getTime()}`);
  await deps.producers.resendParkedNotifications();
  return true;
}

/**
 * Why the bot cannot write into the staff group now, and since when Telegram
 * last said so; undefined while it can (as far as Telegram said).
 */
export async function staffGroupRemovedSince(db: Db, chatId: number): Promise<{ reason: string; since: Date } | undefined> {
  const access = await findChatAccess(db, chatId);
  return access?.status === 'removed' ? { reason: access.reason ?? 'removed', since: access.changedAt } : undefined;
}
