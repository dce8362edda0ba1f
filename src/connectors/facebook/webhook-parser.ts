/**
 * Turns a Facebook Page webhook payload (`object: "page"`) into inbound
 * items: citizen comments and messages, their edits and removals, the page's
 * own answers (native answers) and the page's own posts. Unknown fields and
 * change types are ignored, never fatal: Facebook adds fields over time.
 */
import { z } from 'zod';
import type { InboundItem } from '../../domain/inquiry.js';
import { PayloadError } from '../payload-error.js';

/** The payload is not a Page webhook at all; retrying will not help. */
export class WebhookPayloadError extends PayloadError {}

const from = z.object({ id: z.string(), name: z.string().optional() }).partial({ name: true });

const feedValue = z
  .object({
    item: z.string(),
    verb: z.string(),
    from: from.optional(),
    message: z.string().optional(),
    post_id: z.string().optional(),
    comment_id: z.string().optional(),
    parent_id: z.string().optional(),
    created_time: z.union([z.number(), z.string()]).optional(),
    post: z.object({ permalink_url: z.string().optional(), id: z.string().optional() }).passthrough().optional(),
    permalink_url: z.string().optional(),
    // A comment that is only a picture or a video has no message.
    photo: z.string().optional(),
    video: z.string().optional(),
  })
  .passthrough();

const messagingEvent = z
  .object({
    sender: z.object({ id: z.string() }),
    recipient: z.object({ id: z.string() }),
    timestamp: z.number(),
    message: z
      .object({
        mid: z.string(),
        text: z.string().optional(),
        is_echo: z.boolean().optional(),
        attachments: z.array(z.object({ type: z.string() }).passthrough()).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const payloadSchema = z.object({
  object: z.literal('page'),
  entry: z.array(
    z
      .object({
        id: z.string(),
        time: z.number().optional(),
        changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional(),
        messaging: z.array(z.unknown()).optional(),
      })
      .passthrough(),
  ),
});

/** Facebook sends `created_time` as Unix seconds (sometimes as a string). */
function toDate(value: number | string | undefined, fallbackMs: number): Date {
  if (value === undefined) return new Date(fallbackMs);
  if (typeof value === 'number') return new Date(value * 1000);
  if (/^\d+$/.test(value)) return new Date(Number(value) * 1000);
  const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed) ? new Date(fallbackMs) : new Date(parsed);
}

function attachmentText(attachments: Array<{ type: string }> | undefined): string {
  if (!attachments?.length) return '';
  return attachments.map((a) => `[${a.type}]`).join(' ');
}

export function parseFacebookWebhook(payload: unknown): InboundItem[] {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new WebhookPayloadError(`not a Facebook Page webhook payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const items: InboundItem[] = [];
  for (const entry of parsed.data.entry) {
    const pageId = entry.id;
    const entryMs = (entry.time ?? 0) > 1e12 ? entry.time! : (entry.time ?? Date.now() / 1000) * 1000;
    for (const change of entry.changes ?? []) {
      if (change.field !== 'feed') continue;
      const v = feedValue.safeParse(change.value);
      if (!v.success) continue;
      items.push(...feedItems(pageId, v.data, entryMs));
    }
    for (const raw of entry.messaging ?? []) {
      const m = messagingEvent.safeParse(raw);
      if (!m.success || !m.data.message) continue;
      const { sender, recipient, timestamp, message } = m.data;
      const fromPage = message.is_echo === true || sender.id === pageId;
      if (fromPage) {
        items.push({
          type: 'page_answer',
          platform: 'facebook',
          externalId: message.mid,
          inReplyToExternalId: null,
          threadId: recipient.id,
          recipientId: recipient.id,
          answeredAt: new Date(timestamp),
          ...(message.text === undefined ? {} : { text: message.text }),
        });
      } else {
        const text = [message.text ?? '', attachmentText(message.attachments)].filter(Boolean).join(' ');
        items.push({
          type: 'citizen_item',
          platform: 'facebook',
          kind: 'message',
          externalId: message.mid,
          threadId: sender.id,
          parentId: null,
          authorId: sender.id,
          authorName: null,
          text,
          permalink: null,
          postedAt: new Date(timestamp),
        });
      }
    }
  }
  return items;
}

function feedItems(pageId: string, v: z.infer<typeof feedValue>, entryMs: number): InboundItem[] {
  const at = toDate(v.created_time, entryMs);
  if (v.item === 'comment' && v.comment_id) {
    const fromPage = v.from?.id === pageId;
    if (v.verb === 'remove') return [{ type: 'citizen_item_removed', platform: 'facebook', externalId: v.comment_id, removedAt: at }];
    if (fromPage) {
      if (v.verb !== 'add') return [];
      const repliesToComment = v.parent_id !== undefined && v.parent_id !== v.post_id;
      return [
        {
          type: 'page_answer',
          platform: 'facebook',
          externalId: v.comment_id,
          inReplyToExternalId: repliesToComment ? v.parent_id! : null,
          threadId: v.post_id ?? null,
          recipientId: null,
          answeredAt: at,
          ...(v.message === undefined ? {} : { text: v.message }),
        },
      ];
    }
    if (v.verb === 'edited') return [{ type: 'citizen_item_edited', platform: 'facebook', externalId: v.comment_id, text: commentText(v), editedAt: at }];
    if (v.verb !== 'add') return [];
    return [
      {
        type: 'citizen_item',
        platform: 'facebook',
        kind: 'comment',
        externalId: v.comment_id,
        threadId: v.post_id ?? null,
        parentId: v.parent_id !== undefined && v.parent_id !== v.post_id ? v.parent_id : null,
        authorId: v.from?.id ?? null,
        authorName: v.from?.name ?? null,
        text: commentText(v),
        permalink: v.permalink_url ?? commentPermalink(v.post?.permalink_url, v.comment_id),
        postedAt: at,
      },
    ];
  }
  if ((v.item === 'status' || v.item === 'post' || v.item === 'photo' || v.item === 'video') && v.verb === 'add' && v.from?.id === pageId && v.post_id) {
    return [{ type: 'page_post', platform: 'facebook', externalId: v.post_id, postedAt: at }];
  }
  return [];
}

/** The comment's text; a comment that is only a picture or video is kept as `[photo]` / `[video]`. */
function commentText(v: z.infer<typeof feedValue>): string {
  if (v.message !== undefined && v.message !== '') return v.message;
  if (v.photo) return '[photo]';
  if (v.video) return '[video]';
  return v.message ?? '';
}

/** Facebook's permalink of a comment: the post's permalink with `comment_id`. */
function commentPermalink(postPermalink: string | undefined, commentId: string): string | null {
  if (!postPermalink) return null;
  const shortId = commentId.includes('_') ? commentId.split('_').pop()! : commentId;
  const url = new URL(postPermalink);
  url.searchParams.set('comment_id', shortId);
  return url.toString();
}
