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
import type { Attachment, AttachmentKind, InboundItem, IgnoredItem } from '../../domain/inquiry.js';
import { ignoredItem, itemText } from '../../domain/inquiry.js';
import {
  facebookTime,
  isObject,
  messagingItems,
  metaIdOf,
  NotUnderstood,
  optionalText,
  type Json,
  type MessagingDialect,
} from '../meta/webhook-fields.js';
import { PayloadError } from '../payload-error.js';

/** The payload is not a Page webhook at all; retrying will not help. */
export class WebhookPayloadError extends PayloadError {}

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

const ignored = (path: string, reason: IgnoredItem['reason'], extra: Parameters<typeof ignoredItem>[3] = {}): IgnoredItem => ignoredItem('facebook', path, reason, extra);

function notUnderstood(path: string, error: unknown, extra: { accountId?: string; kind?: string; externalId?: string } = {}): IgnoredItem {
  if (!(error instanceof NotUnderstood)) throw error;
  return ignored(path, 'not_understood', { ...extra, detail: error.message });
}

function entryItems(entry: unknown, path: string): InboundItem[] {
  const pageId = isObject(entry) ? metaIdOf(entry.id) : undefined;
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
        items.push(...messagingItems(MESSENGER, pageId, event, entryTime, at));
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
  const authorId = metaIdOf(from?.id) ?? metaIdOf(v.sender_id);
  const authorName = optionalText(from?.name, 'from.name') ?? optionalText(v.sender_name, 'sender_name') ?? null;
  const fromPage = authorId === pageId;
  const postId = metaIdOf(v.post_id);
  // An item's own time; else the entry's; else now (Facebook always sends one of them).
  const at = facebookTime(v.created_time) ?? entryTime ?? new Date();
  const base = { platform: 'facebook' as const, accountId: pageId };

  if (item === 'comment') {
    const commentId = metaIdOf(v.comment_id);
    if (commentId === undefined) throw new NotUnderstood('the comment has no comment_id');
    const kind = `feed:comment:${verb}`;
    if (verb === 'remove') return [{ ...base, type: 'citizen_item_removed', externalId: commentId, removedAt: at }];
    const parentId = metaIdOf(v.parent_id);
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

/** Messenger's messaging events, read as Instagram's are (`../meta/webhook-fields.ts`). */
const MESSENGER: MessagingDialect = { platform: 'facebook', attachments: (value) => messengerAttachments(value), quickReplies: true };

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
