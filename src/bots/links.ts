/** Links the bot puts in messages: to a message in the staff group, to the bot itself, to a person. */
import { escapeHtml } from '../telegram/telegram-text.js';

/**
 * `https://t.me/c/…/…` for a message of a supergroup (ids `-100…`), which
 * members can open; undefined for basic groups and private chats, which
 * have no such links.
 */
export function messageLink(chatId: number, messageId: number | null | undefined): string | undefined {
  if (messageId === null || messageId === undefined) return undefined;
  const id = String(chatId);
  if (!id.startsWith('-100')) return undefined;
  return `https://t.me/c/${id.slice(4)}/${messageId}`;
}

/** A link that opens the private chat with the bot and sends `/start <payload>`. */
export function startLink(botUsername: string | undefined, payload: string): string | undefined {
  return botUsername ? `https://t.me/${botUsername}?start=${payload}` : undefined;
}

/** An HTML mention of a Telegram user that notifies them even without a username. */
export function mention(telegramUserId: number, name: string): string {
  return `<a href="tg://user?id=${telegramUserId}">${escapeHtml(name)}</a>`;
}

/** The page of a Facebook post or comment thread, from its Graph id. */
export function facebookPostUrl(postId: string | null): string | null {
  return postId && /^\d+(_\d+)?$/.test(postId) ? `https://www.facebook.com/${postId}` : null;
}
