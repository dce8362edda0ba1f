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
import type { Attachment, AttachmentKind, InboundItem, IgnoredItem } from '../../domain/inquiry.js';
import { ignoredItem } from '../../domain/inquiry.js';
import { facebookTime, isObject, messagingItems, metaIdOf, NotUnderstood, optionalText, type MessagingDialect } from '../meta/webhook-fields.js';
import { PayloadError } from '../payload-error.js';

/** The payload is not an Instagram webhook at all; retrying will not help. */
export class InstagramPayloadError extends PayloadError {}

const ignored = (path: string, reason: IgnoredItem['reason'], extra: Parameters<typeof ignoredItem>[3] = {}): IgnoredItem => ignoredItem('instagram', path, reason, extra);

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
  const accountId = metaIdOf(entry.id);
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
      else items.push(...guarded(p, accountId, 'messaging', () => messagingItems(INSTAGRAM_MESSAGING, accountId, event, at, p)));
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
    const commentId = metaIdOf(v.id);
    if (commentId === undefined) throw new NotUnderstood('the comment has no id');
    const from = isObject(v.from) ? v.from : undefined;
    const authorId = metaIdOf(from?.id);
    const media = isObject(v.media) ? v.media : undefined;
    const mediaId = metaIdOf(media?.id) ?? null;
    const parentId = metaIdOf(v.parent_id) ?? null;
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
    const mediaId = metaIdOf(v.media_id);
    const commentId = metaIdOf(v.comment_id);
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

/** Instagram's messaging events, read as Messenger's are (`../meta/webhook-fields.ts`). */
const INSTAGRAM_MESSAGING: MessagingDialect = { platform: 'instagram', attachments: (value) => instagramAttachments(value), quickReplies: false };

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
