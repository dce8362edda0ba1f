/**
 * Turns a Facebook Page webhook payload (`object: "page"`) into inbound
 * items: citizen comments and messages, their edits and removals, the page's
 * own answers and the page's own posts, each with the Page it was delivered
 * for (`entry.id`).
 *
 * Real deliveries vary (Meta's webhook references and what Pages are seen
 * sending): numbers as strings (`time`, `timestamp`, ids), `created_time`
 * as Unix seconds, milliseconds or ISO text, the legacy `sender_id` /
 * `sender_name` instead of `from`, `from` missing, several entries for
 * several Pages in one body, Messenger events that are not messages, the
 * `standby` channel. So each entry, change and Messenger event is read on
 * its own and leniently: one that cannot be read, or that is not something
 * ingest takes, becomes an {@link IgnoredItem} saying where and why, and the
 * others go on. Only a body that is not a Page webhook at all throws.
 */
import type { Attachment, AttachmentKind, InboundItem, IgnoredItem, SentByApp } from '../../domain/inquiry.js';
import { itemText } from '../../domain/inquiry.js';
import { PayloadError } from '../payload-error.js';

/** The payload is not a Page webhook at all; retrying will not help. */
export class WebhookPayloadError extends PayloadError {}

/**
 * The app id Messenger echoes carry for a message a person typed in the
 * Page's own inbox (Meta Business Suite / the Page inbox): the Page Inbox
 * app (the inbox's app in Meta's handover and conversation routing
 * documentation). An echo with any other `app_id` was sent through that app
 * (a bot, an automation): not a person's answer.
 */
export const PAGE_INBOX_APP_ID = '263902037430900';

/** Messenger event keys that are envelope, not the event's kind. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An id: Facebook sends ids as strings, some legacy fields (`sender_id`) as
 * numbers. A number past 2^53 has lost digits in any JSON parser: it is
 * taken as no id rather than as someone else's.
 */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** An optional text field: absent is fine, a string is read, anything else is a field the item cannot be read with. */
function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new NotUnderstood(`${name} is a ${Array.isArray(value) ? 'list' : typeof value}, not text`);
}

/**
 * A time as Facebook writes it: Unix seconds or milliseconds (numbers, or
 * digits in a string), or ISO text (`2026-11-28T10:00:00+0000`). Undefined
 * for anything else, or a time outside 2004–2100 (not a Facebook time).
 */
export function facebookTime(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) ms = Number(value);
  if (ms !== undefined) {
    // Seconds until the year 33658; Facebook's milliseconds are above 1e12.
    if (ms < 1e12) ms *= 1000;
  } else if (typeof value === 'string') {
    const parsed = Date.parse(value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(parsed)) ms = parsed;
  }
  if (ms === undefined || ms < Date.UTC(2004, 0, 1) || ms > Date.UTC(2100, 0, 1)) return undefined;
  return new Date(Math.trunc(ms));
}

/** An item that cannot be read: what is wrong with it (field names and types, never the citizen's text). */
class NotUnderstood extends Error {}

export function parseFacebookWebhook(payload: unknown): InboundItem[] {
  if (!isObject(payload) || payload.object !== 'page') {
    const object = isObject(payload) ? JSON.stringify(payload.object ?? null).slice(0, 40) : Array.isArray(payload) ? 'a list' : typeof payload;
    throw new WebhookPayloadError(`not a Facebook Page webhook payload: object is ${object}, not "page"`);
  }
  if (!Array.isArray(payload.entry)) throw new WebhookPayloadError('not a Facebook Page webhook payload: it has no entry list');
  const items: InboundItem[] = [];
  payload.entry.forEach((entry, e) => items.push(...entryItems(entry, `entry[${e}]`)));
  return items;
}

function ignored(path: string, reason: IgnoredItem['reason'], extra: Partial<Omit<IgnoredItem, 'type' | 'platform' | 'reason' | 'path'>> = {}): IgnoredItem {
  const item: IgnoredItem = { type: 'ignored_item', platform: 'facebook', reason, path };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (item as unknown as Json)[key] = value;
  return item;
}

function notUnderstood(path: string, error: unknown, extra: { accountId?: string; kind?: string; externalId?: string } = {}): IgnoredItem {
  if (!(error instanceof NotUnderstood)) throw error;
  return ignored(path, 'not_understood', { ...extra, detail: error.message });
}

function entryItems(entry: unknown, path: string): InboundItem[] {
  const pageId = isObject(entry) ? idOf(entry.id) : undefined;
  if (!isObject(entry) || pageId === undefined) return [ignored(path, 'not_understood', { detail: isObject(entry) ? 'the entry has no Page id' : 'the entry is not an object' })];
  // `time` is milliseconds for Messenger entries, seconds for feed entries; either may be a string.
  const entryTime = facebookTime(entry.time);
  const items: InboundItem[] = [];
  const list = (key: string): unknown[] => {
    const value = entry[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    items.push(ignored(`${path}.${key}`, 'not_understood', { accountId: pageId, detail: `${key} is not a list` }));
    return [];
  };
  list('changes').forEach((change, i) => {
    const at = `${path}.changes[${i}]`;
    try {
      items.push(...changeItems(pageId, change, entryTime, at));
    } catch (error) {
      items.push(notUnderstood(at, error, { accountId: pageId }));
    }
  });
  // `standby`: the events of a conversation another app controls; a citizen's message there is still their question.
  for (const channel of ['messaging', 'standby']) {
    list(channel).forEach((event, i) => {
      const at = `${path}.${channel}[${i}]`;
      try {
        items.push(...messagingItems(pageId, event, entryTime, at));
      } catch (error) {
        items.push(notUnderstood(at, error, { accountId: pageId }));
      }
    });
  }
  return items;
}

// ---------------------------------------------------------------------------
// Feed changes: comments, the Page's own comments and posts.

function changeItems(pageId: string, change: unknown, entryTime: Date | undefined, path: string): InboundItem[] {
  if (!isObject(change)) throw new NotUnderstood('the change is not an object');
  const field = typeof change.field === 'string' ? change.field : undefined;
  if (field === undefined) throw new NotUnderstood('the change has no field');
  if (field !== 'feed') return [ignored(path, 'unsupported', { accountId: pageId, kind: field })];
  const v = change.value;
  if (!isObject(v)) throw new NotUnderstood('the feed change has no value');
  const item = typeof v.item === 'string' ? v.item : undefined;
  const verb = typeof v.verb === 'string' ? v.verb : undefined;
  if (item === undefined || verb === undefined) throw new NotUnderstood('the feed change has no item or verb');

  // The author: `from`, or in the legacy format `sender_id` (a number) and `sender_name`.
  const from = isObject(v.from) ? v.from : undefined;
  const authorId = idOf(from?.id) ?? idOf(v.sender_id);
  const authorName = optionalText(from?.name, 'from.name') ?? optionalText(v.sender_name, 'sender_name') ?? null;
  const fromPage = authorId === pageId;
  const postId = idOf(v.post_id);
  // An item's own time; else the entry's; else now (Facebook always sends one of them).
  const at = facebookTime(v.created_time) ?? entryTime ?? new Date();
  const base = { platform: 'facebook' as const, accountId: pageId };

  if (item === 'comment') {
    const commentId = idOf(v.comment_id);
    if (commentId === undefined) throw new NotUnderstood('the comment has no comment_id');
    const kind = `feed:comment:${verb}`;
    if (verb === 'remove') return [{ ...base, type: 'citizen_item_removed', externalId: commentId, removedAt: at }];
    const parentId = idOf(v.parent_id);
    const repliesTo = parentId !== undefined && parentId !== postId ? parentId : null;
    const message = optionalText(v.message, 'message');
    if (fromPage) {
      if (verb !== 'add') return [ignored(path, 'unsupported', { accountId: pageId, kind: `feed:page_comment:${verb}`, externalId: commentId })];
      return [
        {
          ...base,
          type: 'page_answer',
          externalId: commentId,
          inReplyToExternalId: repliesTo,
          threadId: postId ?? null,
          recipientId: null,
          answeredAt: at,
          ...(message === undefined ? {} : { text: message }),
        },
      ];
    }
    const attachments = commentAttachments(v);
    const text = itemText(message ?? '', attachments);
    if (verb === 'edited') return [{ ...base, type: 'citizen_item_edited', externalId: commentId, text, editedAt: at }];
    if (verb !== 'add') return [ignored(path, 'unsupported', { accountId: pageId, kind, externalId: commentId })];
    const post = isObject(v.post) ? v.post : undefined;
    return [
      {
        ...base,
        type: 'citizen_item',
        kind: 'comment',
        externalId: commentId,
        threadId: postId ?? null,
        parentId: repliesTo,
        authorId: authorId ?? null,
        authorName,
        text,
        attachments,
        permalink: optionalText(v.permalink_url, 'permalink_url') ?? commentPermalink(optionalText(post?.permalink_url, 'post.permalink_url'), commentId),
        postedAt: at,
      },
    ];
  }
  if ((item === 'status' || item === 'post' || item === 'photo' || item === 'video') && verb === 'add' && fromPage && postId) {
    return [{ ...base, type: 'page_post', externalId: postId, postedAt: at, postKind: item }];
  }
  return [ignored(path, 'unsupported', { accountId: pageId, kind: `feed:${item}`, ...(postId ? { externalId: postId } : {}) })];
}

/** A comment's photo or video: Facebook puts its link in `photo` or `video`. */
function commentAttachments(v: Json): Attachment[] {
  const out: Attachment[] = [];
  const photo = optionalText(v.photo, 'photo');
  const video = optionalText(v.video, 'video');
  if (photo) out.push({ kind: 'photo', url: photo });
  if (video) out.push({ kind: 'video', url: video });
  return out;
}

/** Facebook's permalink of a comment: the post's permalink with `comment_id`. */
function commentPermalink(postPermalink: string | undefined, commentId: string): string | null {
  if (!postPermalink) return null;
  const shortId = commentId.includes('_') ? commentId.split('_').pop()! : commentId;
  try {
    const url = new URL(postPermalink);
    url.searchParams.set('comment_id', shortId);
    return url.toString();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Messenger: messages, echoes of the Page's own, edits; the other events are kept, not taken in.

function messagingItems(pageId: string, event: unknown, entryTime: Date | undefined, path: string): InboundItem[] {
  if (!isObject(event)) throw new NotUnderstood('the event is not an object');
  const message = event.message;
  const kind = Object.keys(event).find((k) => !ENVELOPE_KEYS.has(k)) ?? 'empty';
  const senderId = idOf(isObject(event.sender) ? event.sender.id : undefined);
  const recipientId = idOf(isObject(event.recipient) ? event.recipient.id : undefined);
  const at = facebookTime(event.timestamp) ?? entryTime ?? new Date();
  const base = { platform: 'facebook' as const, accountId: pageId };

  if (isObject(event.message_edit)) {
    const edit = event.message_edit;
    const mid = idOf(edit.mid);
    if (mid === undefined) throw new NotUnderstood('message_edit has no mid');
    return [{ ...base, type: 'citizen_item_edited', externalId: mid, text: optionalText(edit.text, 'message_edit.text') ?? '', editedAt: at }];
  }
  if (message === undefined) return [ignored(path, 'unsupported', { accountId: pageId, kind })];
  if (!isObject(message)) throw new NotUnderstood('message is not an object');
  const mid = idOf(message.mid);
  if (mid === undefined) throw new NotUnderstood('the message has no mid');
  if (message.is_deleted === true) return [{ ...base, type: 'citizen_item_removed', externalId: mid, removedAt: at }];
  const text = optionalText(message.text, 'message.text');

  const fromPage = message.is_echo === true || (senderId !== undefined && senderId === pageId);
  if (fromPage) {
    if (recipientId === undefined) throw new NotUnderstood("the Page's message has no recipient");
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
  const attachments = messengerAttachments(message.attachments);
  const quickReplyPayload = isObject(message.quick_reply) ? optionalText(message.quick_reply.payload, 'message.quick_reply.payload') : undefined;
  return [
    {
      ...base,
      ...(quickReplyPayload === undefined ? {} : { quickReplyPayload }),
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

/**
 * What an echo says about the app that sent it (Messenger `message_echoes`:
 * `app_id`, and the `metadata` the app passed to the Send API). Undefined
 * for a message typed by a person in the Page inbox (the Page Inbox app, no
 * metadata) or one that names no app.
 */
function echoApp(message: Json): SentByApp | undefined {
  const appId = idOf(message.app_id) ?? null;
  const metadata = typeof message.metadata === 'string' && message.metadata !== '' ? message.metadata : undefined;
  if (metadata === undefined && (appId === null || appId === PAGE_INBOX_APP_ID)) return undefined;
  return { appId, ...(metadata === undefined ? {} : { metadata }) };
}

/** Messenger attachment `type` → our kind (a sticker is an `image` with a `sticker_id`, or `sticker`). */
function messengerKind(type: string, payload: Json | undefined): AttachmentKind {
  if (type === 'sticker' || (type === 'image' && payload?.sticker_id !== undefined)) return 'sticker';
  switch (type) {
    case 'image':
      return 'photo';
    case 'video':
    case 'audio':
    case 'file':
    case 'location':
      return type;
    case 'fallback':
      return 'link';
    default:
      return 'other';
  }
}

function messengerAttachments(value: unknown): Attachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotUnderstood('message.attachments is not a list');
  return value.flatMap((a): Attachment[] => {
    if (!isObject(a) || typeof a.type !== 'string') return [{ kind: 'other', url: null }];
    const payload = isObject(a.payload) ? a.payload : undefined;
    const url = typeof payload?.url === 'string' ? payload.url : typeof a.url === 'string' ? a.url : null;
    return [{ kind: messengerKind(a.type, payload), url }];
  });
}
