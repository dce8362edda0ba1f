/**
 * What a poll of an Instagram account stores in `inbound_events` (origin
 * `poll`, platform `instagram`): the IG comments and direct messages it
 * found, and the account's own media it had not listed before (published
 * posts, counted in the year's "items published"), as Graph sent them,
 * oldest first, in one batch (the order of a thread kept). Each item has its
 * own key (`ig:comment:<id>`, `ig:message:<id>`, `ig:media:<id>`); the
 * batch's dedup key is a hash of them.
 *
 * {@link parseInstagramPollPayload} makes the same items the webhook parser
 * makes from the same comments and messages, so ingest takes an item seen by
 * both once. Each item is read alone: one that cannot be read becomes an
 * ignored item.
 */
import { createHash } from 'node:crypto';
import { itemText, type Attachment, type InboundItem, type IgnoredItem } from '../../domain/inquiry.js';
import { facebookTime } from '../meta/webhook-fields.js';
import type { IgComment, IgMedia, IgMessage } from './instagram-graph-client.js';
import { InstagramPayloadError } from './webhook-parser.js';

export type InstagramPollItem =
  | { kind: 'comment'; mediaId: string; mediaPermalink?: string; comment: IgComment }
  | { kind: 'message'; conversationId: string; /** The person (IGSID). */ participantId: string; message: IgMessage }
  /** A media the account published (its own feed post, reel…). */
  | { kind: 'media'; media: IgMedia };

export interface InstagramPollPayload {
  source: 'poll';
  platform: 'instagram';
  accountId: string;
  polledAt: string;
  items: InstagramPollItem[];
}

export function instagramPollItemKey(item: InstagramPollItem): string {
  if (item.kind === 'media') return `ig:media:${item.media.id}`;
  return item.kind === 'comment' ? `ig:comment:${item.comment.id}` : `ig:message:${item.message.id}`;
}

export function instagramPollItemTime(item: InstagramPollItem): Date {
  const t = facebookTime(item.kind === 'media' ? item.media.timestamp : item.kind === 'comment' ? item.comment.timestamp : item.message.created_time);
  return t ?? new Date(0);
}

/**
 * What the published post is, in the words `published_posts.kind` uses
 * (`photo`, `video`, `album`, `reel`, `story`, `ad`), from the media's
 * `media_product_type` and `media_type`; null when Graph said neither.
 */
export function instagramPostKind(media: Pick<IgMedia, 'media_type' | 'media_product_type'>): string | null {
  switch (media.media_product_type) {
    case 'REELS':
      return 'reel';
    case 'STORY':
      return 'story';
    case 'AD':
      return 'ad';
  }
  switch (media.media_type) {
    case 'IMAGE':
      return 'photo';
    case 'VIDEO':
      return 'video';
    case 'CAROUSEL_ALBUM':
      return 'album';
  }
  return typeof media.media_type === 'string' ? media.media_type.toLowerCase().slice(0, 30) : null;
}

export function instagramPollBatchKey(accountId: string, items: readonly InstagramPollItem[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(instagramPollItemKey(item)).update('\n');
  return `poll:instagram:${accountId}:${hash.digest('hex')}`;
}

export function isInstagramPollPayload(payload: unknown): payload is InstagramPollPayload {
  return typeof payload === 'object' && payload !== null && (payload as { source?: unknown }).source === 'poll' && (payload as { platform?: unknown }).platform === 'instagram';
}

export function parseInstagramPollPayload(payload: InstagramPollPayload): InboundItem[] {
  if (typeof payload.accountId !== 'string' || !Array.isArray(payload.items)) throw new InstagramPayloadError('an Instagram poll batch needs accountId and items');
  const accountId = payload.accountId;
  return payload.items.map((item, i): InboundItem => {
    const path = `items[${i}]`;
    const bad = (detail: string): IgnoredItem => ({ type: 'ignored_item', platform: 'instagram', accountId, reason: 'not_understood', path, detail });
    if (typeof item !== 'object' || item === null) return bad('the item is not an object');
    const base = { platform: 'instagram' as const, accountId };
    if (item.kind === 'media') {
      const m = item.media;
      const at = facebookTime(m?.timestamp);
      if (!m || typeof m.id !== 'string' || at === undefined) return bad('the media has no id or timestamp');
      const postKind = instagramPostKind(m);
      return { ...base, type: 'page_post', externalId: m.id, postedAt: at, ...(postKind === null ? {} : { postKind }) };
    }
    if (item.kind === 'comment') {
      const c = item.comment;
      const at = facebookTime(c?.timestamp);
      if (!c || typeof c.id !== 'string' || at === undefined) return bad('the comment has no id or timestamp');
      const authorId = c.from?.id;
      if (authorId === accountId) {
        return { ...base, type: 'page_answer', externalId: c.id, inReplyToExternalId: c.parent_id ?? null, threadId: item.mediaId, recipientId: null, answeredAt: at, text: c.text ?? '' };
      }
      return {
        ...base,
        type: 'citizen_item',
        kind: 'comment',
        externalId: c.id,
        threadId: item.mediaId,
        parentId: c.parent_id ?? null,
        authorId: authorId ?? null,
        authorName: c.from?.username ?? c.username ?? null,
        text: c.text ?? '',
        attachments: [],
        permalink: item.mediaPermalink ?? null,
        postedAt: at,
        ...(typeof c.like_count === 'number' && Number.isSafeInteger(c.like_count) && c.like_count >= 0 ? { likeCount: c.like_count } : {}),
      };
    }
    if (item.kind === 'message') {
      const m = item.message;
      const at = facebookTime(m?.created_time);
      if (!m || typeof m.id !== 'string' || at === undefined) return bad('the message has no id or created_time');
      if (m.from?.id === accountId) {
        return { ...base, type: 'page_answer', externalId: m.id, inReplyToExternalId: null, threadId: item.participantId, recipientId: item.participantId, answeredAt: at, ...(m.message === undefined ? {} : { text: m.message }) };
      }
      const attachments: Attachment[] = (m.attachments?.data ?? []).map((a) =>
        a.image_data ? { kind: 'photo', url: a.image_data.url ?? null } : a.video_data ? { kind: 'video', url: a.video_data.url ?? null } : { kind: 'file', url: a.file_url ?? null },
      );
      return {
        ...base,
        type: 'citizen_item',
        kind: 'message',
        externalId: m.id,
        threadId: item.participantId,
        parentId: null,
        authorId: item.participantId,
        authorName: null,
        text: itemText(m.message ?? '', attachments),
        attachments,
        permalink: null,
        postedAt: at,
      };
    }
    return bad(`unknown poll item kind ${JSON.stringify((item as { kind?: unknown }).kind ?? null).slice(0, 20)}`);
  });
}
