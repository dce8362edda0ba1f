/**
 * A stored Telegram update of a channel's discussion group → items for
 * ingest (pure). What the Bot API sends there (core.telegram.org/bots/api,
 * Message):
 *
 * - the channel's post arrives as an automatic forward: `is_automatic_forward`,
 *   `sender_chat` = the channel, `forward_origin` of type `channel` (its
 *   `message_id` is the post's id in the channel): the city's published post;
 * - a comment is a message of the post's thread: `message_thread_id` = the
 *   automatic forward's id in the group, `reply_to_message` = the message
 *   answered (the post, or another comment);
 * - a message "as the channel" (`sender_chat` = the channel; `from` is the
 *   service user Channel_Bot 136817688) or of an anonymous admin
 *   (`sender_chat` = the group; `from` GroupAnonymousBot 1087968824), or one
 *   by a person the group lists as an administrator, is the city answering:
 *   a native answer;
 * - `edited_message`: a comment edited (bots are never told of deletions);
 * - `message_reaction` (MessageReactionUpdated, sent only when asked for in
 *   `allowed_updates`, to a bot that is an admin of the group): one person's
 *   (`user`) or chat's (`actor_chat`) reactions to a message changed from
 *   `old_reaction` to `new_reaction`; a comment's likes are the people whose
 *   latest `new_reaction` is not empty (the city's own reactions aside).
 *
 * Telegram's own service senders (777000 Telegram, 1087968824, 136817688)
 * are never citizens. The stored payload is an envelope: the update as
 * received, and what the service knew when it stored it (the channel's id
 * and username, whether the sender is an admin of the group).
 */
import { ignoredItem, itemText, type Attachment, type IgnoredItem, type InboundItem } from '../../domain/inquiry.js';
import { PayloadError } from '../payload-error.js';

/** Telegram's service senders: never citizens (Bot API, Message.from: "a fake sender user"). */
export const TELEGRAM_SERVICE_SENDER_IDS: ReadonlySet<number> = new Set([777000, 1087968824, 136817688]);

/** What is stored in `inbound_events` for one update of a discussion group. */
export interface ChannelUpdateEnvelope {
  /** The update as Telegram sent it. */
  update: unknown;
  /** The channel the group discusses (`sources.settings.channelId`). */
  channelId: number;
  /** The channel's public username, for `t.me` links (none for a private channel). */
  channelUsername?: string;
  /** The sender (`from.id`) is an administrator of the group (getChatAdministrators, when stored). */
  senderIsAdmin?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The platform id of a message of a chat: message ids are per chat. */
export const telegramItemId = (chatId: number, messageId: number): string => `${chatId}:${messageId}`;

/** The chat and message of a platform id written by {@link telegramItemId}. */
export function parseTelegramItemId(id: string): { chatId: number; messageId: number } | undefined {
  const m = /^(-?\d+):(\d+)$/.exec(id);
  return m ? { chatId: Number(m[1]), messageId: Number(m[2]) } : undefined;
}

/** What a citizen attached, by the Message fields the Bot API sets (a file id is no link: `url` stays null). */
function attachmentsOf(message: Json): Attachment[] {
  const out: Attachment[] = [];
  if (Array.isArray(message.photo) && message.photo.length > 0) out.push({ kind: 'photo', url: null });
  if (isObject(message.video) || isObject(message.video_note) || isObject(message.animation)) out.push({ kind: 'video', url: null });
  if (isObject(message.voice) || isObject(message.audio)) out.push({ kind: 'audio', url: null });
  if (isObject(message.document) && !isObject(message.animation)) out.push({ kind: 'file', url: null });
  if (isObject(message.sticker)) out.push({ kind: 'sticker', url: null });
  if (isObject(message.location) || isObject(message.venue)) out.push({ kind: 'location', url: null });
  return out;
}

/** The words of a message: its text or caption, and a sticker's emoji. */
function wordsOf(message: Json): string {
  const text = str(message.text) ?? str(message.caption) ?? '';
  const emoji = isObject(message.sticker) ? str(message.sticker.emoji) : undefined;
  return [text, emoji].filter((part): part is string => part !== undefined && part !== '').join(' ');
}

function nameOf(from: Json): string | null {
  const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ').trim();
  if (name !== '') return name;
  const username = str(from.username);
  return username ? `@${username}` : null;
}

/**
 * The public link of a comment: `t.me/<channel>/<post>?comment=<id>` when
 * the channel is public and the post is known (the comment answers it
 * directly); else the comment in the group (`t.me/<group>/<id>?thread=<root>`
 * for a public group, `t.me/c/<id>/<id>?thread=<root>` for members of a private one).
 */
function permalinkOf(envelope: ChannelUpdateEnvelope, chat: Json, messageId: number, threadRoot: number, replyTo: Json | undefined): string | null {
  const origin = replyTo && replyTo.is_automatic_forward === true && isObject(replyTo.forward_origin) ? replyTo.forward_origin : undefined;
  const channelUsername = envelope.channelUsername ?? (origin && isObject(origin.chat) ? str(origin.chat.username) : undefined);
  const postId = origin ? num(origin.message_id) : undefined;
  if (channelUsername && postId !== undefined) return `https://t.me/${channelUsername}/${postId}?comment=${messageId}`;
  const groupUsername = str(chat.username);
  if (groupUsername) return `https://t.me/${groupUsername}/${messageId}?thread=${threadRoot}`;
  const chatId = num(chat.id);
  if (chatId !== undefined && String(chatId).startsWith('-100')) return `https://t.me/c/${String(chatId).slice(4)}/${messageId}?thread=${threadRoot}`;
  return null;
}

/** Reads a stored envelope; throws {@link PayloadError} when it is not one. */
function envelopeOf(payload: unknown): ChannelUpdateEnvelope {
  if (!isObject(payload) || !isObject(payload.update) || num(payload.channelId) === undefined) {
    throw new PayloadError('not a stored Telegram discussion-group update (expected { update, channelId })');
  }
  return payload as unknown as ChannelUpdateEnvelope;
}

/** One stored update of a discussion group → the items it holds (usually one). */
export function parseChannelUpdate(payload: unknown): InboundItem[] {
  const envelope = envelopeOf(payload);
  const update = envelope.update as Json;
  const edited = isObject(update.edited_message);
  if (isObject(update.message_reaction)) return reactionItems(envelope, num(update.update_id), update.message_reaction);
  const message = edited ? (update.edited_message as Json) : isObject(update.message) ? update.message : undefined;
  const ignored = (reason: IgnoredItem['reason'], kind: string, detail?: string, accountId?: string, externalId?: string): InboundItem[] => [
    ignoredItem('telegram', edited ? 'edited_message' : 'message', reason, { kind, detail, accountId, externalId }),
  ];
  if (!message) return ignored('unsupported', Object.keys(update).find((k) => k !== 'update_id') ?? 'update');
  const chat = isObject(message.chat) ? message.chat : undefined;
  const chatId = chat ? num(chat.id) : undefined;
  const messageId = num(message.message_id);
  const date = num(message.date);
  if (!chat || chatId === undefined || messageId === undefined || date === undefined) {
    return ignored('not_understood', 'message', 'chat.id, message_id or date missing or not an integer');
  }
  const accountId = String(chatId);
  const externalId = telegramItemId(chatId, messageId);
  const at = new Date(date * 1000);
  const from = isObject(message.from) ? message.from : undefined;
  const senderChat = isObject(message.sender_chat) ? message.sender_chat : undefined;
  const senderChatId = senderChat ? num(senderChat.id) : undefined;

  // The channel's post, forwarded into its discussion group: counted as the city's post.
  if (message.is_automatic_forward === true) {
    if (edited) return ignored('unsupported', 'post_edit', undefined, accountId, externalId);
    return [{ type: 'page_post', platform: 'telegram', accountId, externalId, postedAt: at }];
  }

  const threadRoot = num(message.message_thread_id);
  const replyTo = isObject(message.reply_to_message) ? message.reply_to_message : undefined;
  const replyToId = replyTo ? num(replyTo.message_id) : undefined;
  if (threadRoot === undefined) return ignored('unsupported', 'group_message', 'not in the thread of a channel post', accountId, externalId);
  const threadId = telegramItemId(chatId, threadRoot);
  // The item answered: another comment (the post itself is the thread, not an item).
  const parentId = replyToId !== undefined && replyToId !== threadRoot ? telegramItemId(chatId, replyToId) : null;

  // The city answering: as the channel, as the group (an anonymous admin), or an admin of the group.
  const asCity = senderChatId !== undefined && (senderChatId === envelope.channelId || senderChatId === chatId);
  if (asCity || (envelope.senderIsAdmin === true && from !== undefined)) {
    if (edited) return ignored('unsupported', 'answer_edit', undefined, accountId, externalId);
    const text = wordsOf(message);
    return [
      {
        type: 'page_answer',
        platform: 'telegram',
        accountId,
        externalId,
        inReplyToExternalId: parentId,
        threadId,
        recipientId: null,
        answeredAt: at,
        ...(text === '' ? {} : { text }),
      },
    ];
  }
  const fromId = from ? num(from.id) : undefined;
  // A citizen writing as a channel of their own (sender_chat; `from` is then Channel_Bot) is that channel.
  const asOwnChannel = senderChat !== undefined && senderChatId !== undefined;
  if (!asOwnChannel) {
    if (fromId === undefined) return ignored('not_understood', 'message', 'from.id missing', accountId, externalId);
    if (TELEGRAM_SERVICE_SENDER_IDS.has(fromId)) return ignored('unsupported', 'service_sender', String(fromId), accountId, externalId);
    if (from!.is_bot === true) return ignored('unsupported', 'bot_message', undefined, accountId, externalId);
  }

  const attachments = attachmentsOf(message);
  const text = itemText(wordsOf(message), attachments);
  if (edited) {
    const editDate = num(message.edit_date);
    return [{ type: 'citizen_item_edited', platform: 'telegram', accountId, externalId, text, editedAt: editDate === undefined ? at : new Date(editDate * 1000) }];
  }
  // A citizen commenting as a channel of their own is that channel.
  const author = asOwnChannel ? { id: `chat:${senderChatId}`, name: str(senderChat!.title) ?? null } : { id: String(fromId), name: nameOf(from!) };
  return [
    {
      type: 'citizen_item',
      platform: 'telegram',
      accountId,
      kind: 'comment',
      externalId,
      threadId,
      parentId,
      authorId: author.id,
      authorName: author.name,
      text,
      attachments,
      permalink: permalinkOf(envelope, chat, messageId, threadRoot, replyTo),
      postedAt: at,
    },
  ];
}

/** Whether a ReactionType list holds any reaction (emoji, custom emoji or paid). */
const reacted = (list: unknown): boolean | undefined => (Array.isArray(list) ? list.length > 0 : undefined);

/**
 * One person's (`user`) or chat's (`actor_chat`) reactions to a message
 * changed: whether they now react to it. The city's own reactions (as the
 * channel, as the group, or by an admin of the group) are not likes.
 */
function reactionItems(envelope: ChannelUpdateEnvelope, updateId: number | undefined, reaction: Json): InboundItem[] {
  const chat = isObject(reaction.chat) ? reaction.chat : undefined;
  const chatId = chat ? num(chat.id) : undefined;
  const messageId = num(reaction.message_id);
  const date = num(reaction.date);
  const userId = isObject(reaction.user) ? num(reaction.user.id) : undefined;
  const actorChatId = isObject(reaction.actor_chat) ? num(reaction.actor_chat.id) : undefined;
  const now = reacted(reaction.new_reaction);
  const ignored = (reason: IgnoredItem['reason'], kind: string, detail?: string): InboundItem[] => [
    ignoredItem('telegram', 'message_reaction', reason, {
      kind,
      detail,
      accountId: chatId === undefined ? undefined : String(chatId),
      externalId: chatId === undefined || messageId === undefined ? undefined : telegramItemId(chatId, messageId),
    }),
  ];
  if (chatId === undefined || messageId === undefined || date === undefined || updateId === undefined || now === undefined || (userId === undefined && actorChatId === undefined)) {
    return ignored('not_understood', 'message_reaction', 'chat.id, message_id, date, user or actor_chat, or new_reaction missing or of the wrong type');
  }
  if (actorChatId === envelope.channelId || actorChatId === chatId || (userId !== undefined && envelope.senderIsAdmin === true)) return ignored('unsupported', 'city_reaction');
  return [
    {
      type: 'reaction_set',
      platform: 'telegram',
      accountId: String(chatId),
      externalId: telegramItemId(chatId, messageId),
      actor: userId !== undefined ? String(userId) : `chat:${actorChatId}`,
      reacted: now,
      order: updateId,
      at: new Date(date * 1000),
    },
  ];
}
