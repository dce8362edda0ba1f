/**
 * The Telegram client as the bot uses it while answering a person: a 429
 * (flood control) waits `retry_after` and repeats the call instead of losing
 * it, and messages into groups wait for the group's pace. Queue workers do
 * not use this: they hand 429s to the queue's rate limiter instead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelegramClient } from '../telegram/telegram-client.js';
import { TelegramApiError } from '../telegram/telegram-errors.js';
import type { GroupPacer } from './group-pacer.js';

const MAX_WAITS = 3;
/** Longer waits are not worth holding a person's action for; the error goes up. */
const MAX_WAIT_SECONDS = 30;

export async function patiently<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryAfter = error instanceof TelegramApiError && error.isRateLimit() ? (error.retryAfterSeconds ?? 1) : undefined;
      if (retryAfter === undefined || attempt >= MAX_WAITS || retryAfter > MAX_WAIT_SECONDS) throw error;
      await sleep(retryAfter * 1000);
    }
  }
}

export function createPatientClient(client: TelegramClient, pacer: GroupPacer): TelegramClient {
  const paced = async <T>(chatId: number | string, call: () => Promise<T>): Promise<T> => {
    if (typeof chatId === 'number') await pacer.take(chatId);
    return patiently(call);
  };
  return {
    getMe: () => patiently(() => client.getMe()),
    sendMessage: (chatId, html, options) => paced(chatId, () => client.sendMessage(chatId, html, options)),
    editMessageText: (chatId, messageId, html, options) => paced(chatId, () => client.editMessageText(chatId, messageId, html, options)),
    editMessageReplyMarkup: (chatId, messageId, markup) => paced(chatId, () => client.editMessageReplyMarkup(chatId, messageId, markup)),
    deleteMessage: (chatId, messageId) => patiently(() => client.deleteMessage(chatId, messageId)),
    answerCallbackQuery: (id, text, options) => patiently(() => client.answerCallbackQuery(id, text, options)),
    sendPhoto: (chatId, png, caption, options) => paced(chatId, () => client.sendPhoto(chatId, png, caption, options)),
    sendDocument: (chatId, content, filename, caption, options) => paced(chatId, () => client.sendDocument(chatId, content, filename, caption, options)),
    setMyCommands: (commands, options) => patiently(() => client.setMyCommands(commands, options)),
    getChat: (chatId) => patiently(() => client.getChat(chatId)),
    getChatMember: (chatId, userId) => patiently(() => client.getChatMember(chatId, userId)),
    getChatAdministrators: (chatId) => patiently(() => client.getChatAdministrators(chatId)),
  };
}
