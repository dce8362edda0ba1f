/**
 * The bot's own membership of the staff group (`my_chat_member`): removed
 * (left, kicked) or added back. The workflow records it, tells the admins
 * privately and, when the bot is back, sends the cards that waited.
 */
import type { TelegramChatMemberUpdated } from '../../telegram/telegram-client.js';
import { recordStaffGroupBack, recordStaffGroupRemoved } from '../../inbox/staff-group.workflow.js';
import type { BotDeps } from '../bot-context.js';

const GONE = new Set(['left', 'kicked']);

/** Handles a `my_chat_member` update; other chats than the staff group are only logged. */
export async function onBotMembership(deps: BotDeps, change: TelegramChatMemberUpdated, log: BotDeps['logger']): Promise<void> {
  const staffChatId = deps.config.telegram.staffChatId;
  const status = change.new_chat_member.status;
  if (change.chat.id !== staffChatId) {
    log.info({ chatId: change.chat.id, status }, 'the bot\'s membership changed in a chat it does not serve; nothing to do');
    return;
  }
  const at = new Date(change.date * 1000);
  const groupDeps = { db: deps.db, producers: deps.producers, logger: log };
  if (GONE.has(status)) {
    const by = [change.from.first_name, change.from.last_name].filter(Boolean).join(' ') || String(change.from.id);
    await recordStaffGroupRemoved(groupDeps, { chatId: staffChatId, reason: `the bot was removed from the group by ${by} (status: ${status})`, at });
  } else {
    await recordStaffGroupBack(groupDeps, { chatId: staffChatId, at });
  }
}
