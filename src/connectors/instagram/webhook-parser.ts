/**
 * Turns an Instagram webhook delivery (`object: "instagram"`, delivered to
 * the same endpoint as the Page's) into inbound items, each with the
 * Instagram professional account it was delivered for (`entry.id`).
 *
 * Wire format (Meta's Instagram webhook references and examples):
 * - `comments` / `live_comments` (in `entry.changes[]`, or as
 *   `entry.field` + `entry.value` in Meta's Business Login examples):
 *   `value: { id, text, from: { id, username }, media: { id,
 *   media_product_type }, parent_id? }`. A comment carries no time: the
 *   entry's `time` is used. A comment from the account itself is the city
 *   answering in the thread (a native answer).
 * - `mentions`: `value: { comment_id?, media_id }`, the city @mentioned in
 *   someone's comment or caption. The text is not in the delivery (Graph's
 *   `mentioned_comment` / `mentioned_media` give it).
 * - `messaging[]` (Messenger Platform for Instagram): `sender.id` (the
 *   person's Instagram-scoped id, IGSID), `recipient.id` (the account),
 *   `timestamp` in ms, `message: { mid, text?, attachments?, is_echo?,
 *   is_deleted? }`, `message_edit: { mid, text }`. Echoes (`is_echo`) are
 *   the account's own messages.
 *
 * As on Facebook, each entry, change and messaging event is read on its own
 * and leniently: one that cannot be read becomes an {@link IgnoredItem}; only
 * a body that is not an Instagram webhook at all throws.
 */
import type { Attachment, AttachmentKind, InboundItem, IgnoredItem, SentByApp } from '../../domain/inquiry.js';
import { itemText } from '../../domain/inquiry.js';
import { facebookTime, PAGE_INBOX_APP_ID } from '../facebook/webhook-parser.js';
import { PayloadError } from '../payload-error.js';

/** The payload is not an Instagram webhook at all; retrying will not help. */
export class InstagramPayloadError extends PayloadError {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Messaging event keys that are envelope, not the event's kind. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

/** An id (strings; numbers only while exact). */
export function igIdOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** An item that cannot be read: what is wrong with it (field names and types, never the citizen's text). */
class NotUnderstood extends Error {}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new NotUnderstood(`${name} is a ${Array.isArray(value) ? 'list' : typeof value}, not text`);
}

function ignored(path: string, reason: IgnoredItem['reason'], extra: Partial<Omit<IgnoredItem, 'type' | 'platform' | 'reason' | 'path'>> = {}): IgnoredItem {
  const item: IgnoredItem = { type: 'ignored_item', platform: 'instagram', reason, path };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (item as unknown as Json)[key] = value;
  return item;
}

function guarded(path: string, accountId: string | undefined, kind: string | undefined, read: () => InboundItem[]): InboundItem[] {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof NotUnderstood)) throw error;
    return [ignored(path, 'not_understood', { accountId, kind, detail: error.message })];
  }
}

/** Whether a payload is an Instagram webhook delivery (the shared endpoint stores both kinds). */
export function isInstagramWebhook(payload: unknown): boolean {
  return isObject(payload) && payload.object === 'instagram';
}

export function parseInstagramWebhook(payload: unknown): InboundItem[] {
  if (!isObject(payload) || payload.object !== 'instagram') {
    const object = isObject(payload) ? JSON.stringify(payload.object ?? null).slice(0, 40) : Array.isArray(payload) ? 'a list' : typeof payload;
    throw new InstagramPayloadError(`not an Instagram webhook payload: object is ${object}, not "instagram"`);
  }
  if (!Array.isArray(payload.entry)) throw new InstagramPayloadError('not an Instagram webhook payload: it has no entry list');
  const items: InboundItem[] = [];
  payload.entry.forEach((entry, e) => items.push(...entryItems(entry, `entry[${e}]`)));
  return items;
}

function entryItems(entry: unknown, path: string): InboundItem[] {
  if (!isObject(entry)) return [ignored(path, 'not_understood', { detail: 'the entry is not an object' })];
  const accountId = igIdOf(entry.id);
  if (accountId === undefined) return [ignored(path, 'not_understood', { detail: 'the entry has no account id' })];
  const at = facebookTime(entry.time);
  const items: InboundItem[] = [];
  if (Array.isArray(entry.changes)) {
    entry.changes.forEach((change, c) => {
      const p = `${path}.changes[${c}]`;
      items.push(...guarded(p, accountId, undefined, () => changeItems(accountId, change, at, p)));
    });
  } else if (typeof entry.field === 'string') {
    // Meta's Business Login examples put the one change on the entry itself.
    items.push(...guarded(path, accountId, undefined, () => changeItems(accountId, { field: entry.field, value: entry.value }, at, path)));
  }
  for (const key of ['messaging', 'standby'] as const) {
    const events = entry[key];
    if (events === undefined) continue;
    if (!Array.isArray(events)) {
      items.push(ignored(`${path}.${key}`, 'not_understood', { accountId, detail: `${key} is not a list` }));
      continue;
    }
    events.forEach((event, m) => {
      const p = `${path}.${key}[${m}]`;
      if (key === 'standby') items.push(ignored(p, 'unsupported', { accountId, kind: 'standby' }));
      else items.push(...guarded(p, accountId, 'messaging', () => messagingItems(accountId, event, at, p)));
    });
  }
  if (items.length === 0) items.push(ignored(path, 'unsupported', { accountId, kind: 'entry' }));
  return items;
}

function changeItems(accountId: string, change: unknown, entryTime: Date | undefined, path: string): InboundItem[] {
  if (!isObject(change)) throw new NotUnderstood('the change is not an object');
  const field = typeof change.field === 'string' ? change.field : undefined;
  if (!isObject(change.value)) throw new NotUnderstood(`${field ?? 'the change'} has no value object`);
  const v = change.value;
  const at = entryTime ?? new Date();
  const base = { platform: 'instagram' as const, accountId };
  if (field === 'comments' || field === 'live_comments') {
    const commentId = igIdOf(v.id);
    if (commentId === undefined) throw new NotUnderstood('the comment has no id');
    const from = isObject(v.from) ? v.from : undefined;
    const authorId = igIdOf(from?.id);
    const media = isObject(v.media) ? v.media : undefined;
    const mediaId = igIdOf(media?.id) ?? null;
    const parentId = igIdOf(v.parent_id) ?? null;
    const text = optionalText(v.text, 'text') ?? '';
    if (authorId !== undefined && authorId === accountId) {
      return [{ ...base, type: 'page_answer', externalId: commentId, inReplyToExternalId: parentId, threadId: mediaId, recipientId: null, answeredAt: at, text }];
    }
    return [
      {
        ...base,
        type: 'citizen_item',
        kind: 'comment',
        externalId: commentId,
        threadId: mediaId,
        parentId,
        authorId: authorId ?? null,
        authorName: optionalText(from?.username, 'from.username') ?? null,
        text,
        attachments: [],
        permalink: null,
        postedAt: at,
      },
    ];
  }
  if (field === 'mentions') {
    const mediaId = igIdOf(v.media_id);
    const commentId = igIdOf(v.comment_id);
    if (mediaId === undefined && commentId === undefined) throw new NotUnderstood('the mention names no media_id or comment_id');
    // A mention in a comment is that comment; one in a caption is the media.
    const externalId = commentId ?? mediaId!;
    return [
      {
        ...base,
        type: 'citizen_item',
        kind: 'mention',
        externalId,
        threadId: mediaId ?? null,
        parentId: null,
        authorId: null,
        authorName: null,
        text: '',
        attachments: [],
        permalink: null,
        postedAt: at,
      },
    ];
  }
  return [ignored(path, 'unsupported', { accountId, kind: field ?? 'change' })];
}

function messagingItems(accountId: string, event: unknown, entryTime: Date | undefined, path: string): InboundItem[] {
  if (!isObject(event)) throw new NotUnderstood('the event is not an object');
  const kind = Object.keys(event).find((k) => !ENVELOPE_KEYS.has(k)) ?? 'empty';
  const senderId = igIdOf(isObject(event.sender) ? event.sender.id : undefined);
  const recipientId = igIdOf(isObject(event.recipient) ? event.recipient.id : undefined);
  const at = facebookTime(event.timestamp) ?? entryTime ?? new Date();
  const base = { platform: 'instagram' as const, accountId };

  if (isObject(event.message_edit)) {
    const mid = igIdOf(event.message_edit.mid);
    if (mid === undefined) throw new NotUnderstood('message_edit has no mid');
    return [{ ...base, type: 'citizen_item_edited', externalId: mid, text: optionalText(event.message_edit.text, 'message_edit.text') ?? '', editedAt: at }];
  }
  const message = event.message;
  if (message === undefined) return [ignored(path, 'unsupported', { accountId, kind })];
  if (!isObject(message)) throw new NotUnderstood('message is not an object');
  const mid = igIdOf(message.mid);
  if (mid === undefined) throw new NotUnderstood('the message has no mid');
  if (message.is_deleted === true) return [{ ...base, type: 'citizen_item_removed', externalId: mid, removedAt: at }];
  const text = optionalText(message.text, 'message.text');

  const fromAccount = message.is_echo === true || (senderId !== undefined && senderId === accountId);
  if (fromAccount) {
    if (recipientId === undefined) throw new NotUnderstood("the account's message has no recipient");
    const sentByApp = echoApp(message);
    return [
      {
        ...base,
        type: 'page_answer',
        externalId: mid,
        inReplyToExternalId: null,
        threadId: recipientId,
        recipientId,
        answeredAt: at,
        ...(text === undefined ? {} : { text }),
        ...(sentByApp ? { sentByApp } : {}),
      },
    ];
  }
  if (senderId === undefined) throw new NotUnderstood('the message has no sender');
  const attachments = instagramAttachments(message.attachments);
  return [
    {
      ...base,
      type: 'citizen_item',
      kind: 'message',
      externalId: mid,
      threadId: senderId,
      parentId: null,
      authorId: senderId,
      authorName: null,
      text: itemText(text ?? '', attachments),
      attachments,
      permalink: null,
      postedAt: at,
    },
  ];
}

/** What an echo says about the app that sent it (as on Messenger: `app_id`, `metadata`); undefined for a person's message. */
function echoApp(message: Json): SentByApp | undefined {
  const appId = igIdOf(message.app_id) ?? null;
  const metadata = typeof message.metadata === 'string' && message.metadata !== '' ? message.metadata : undefined;
  if (metadata === undefined && (appId === null || appId === PAGE_INBOX_APP_ID)) return undefined;
  return { appId, ...(metadata === undefined ? {} : { metadata }) };
}

/** Instagram messaging attachment `type` → our kind. */
export function instagramAttachmentKind(type: string): AttachmentKind {
  switch (type) {
    case 'image':
      return 'photo';
    case 'video':
    case 'ig_reel':
    case 'reel':
      return 'video';
    case 'audio':
      return 'audio';
    case 'file':
      return 'file';
    case 'share':
    case 'story_mention':
    case 'ig_post':
      return 'link';
    case 'sticker':
    case 'animated_image':
      return 'sticker';
    default:
      return 'other';
  }
}

function instagramAttachments(value: unknown): Attachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotUnderstood('message.attachments is not a list');
  return value.map((a): Attachment => {
    if (!isObject(a) || typeof a.type !== 'string') return { kind: 'other', url: null };
    const payload = isObject(a.payload) ? a.payload : undefined;
    return { kind: instagramAttachmentKind(a.type), url: typeof payload?.url === 'string' ? payload.url : null };
  });
}
