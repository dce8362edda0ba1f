/**
 * What a poll of the Graph API stores in `inbound_events` (origin `poll`):
 * the Graph objects it found, as Graph sent them, in one batch per poll,
 * oldest first. One batch keeps the order of a thread (a citizen's comment
 * before the page's reply to it), which separate events processed by
 * concurrent ingest workers would not. Each item has its own key
 * (`fb:comment:<id>:<created_time>`, `fb:message:<id>`, `fb:post:<id>`); the
 * batch's dedup key is a hash of them, so finding the same items again
 * stores nothing.
 *
 * {@link parseFacebookPollPayload} turns a batch into the same inbound items
 * the webhook parser makes from the same comments and messages (the same
 * text, the same attachments), so ingest treats a comment seen by both once
 * and as the same kind of item. Each item is read alone: one that cannot be
 * read becomes an ignored item (the batch stays stored), the others go on.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { itemText, type Attachment, type AttachmentKind, type InboundItem, type IgnoredItem } from '../../domain/inquiry.js';
import { parseGraphTime, type GraphComment, type GraphMessage } from './graph-client.js';
import { WebhookPayloadError } from './webhook-parser.js';

/** One thing a poll found. */
export type PollItem =
  | { kind: 'comment'; postId: string; postPermalink?: string; comment: GraphComment }
  | { kind: 'message'; conversationId: string; /** The person the Page talks to (PSID). */ participantId: string; message: GraphMessage }
  | { kind: 'post'; post: { id: string; created_time: string; from?: { id: string; name?: string } } };

/** The stored payload of one poll. */
export interface FacebookPollPayload {
  source: 'poll';
  pageId: string;
  polledAt: string;
  items: PollItem[];
}

/** The per-item key: the same comment found twice has the same key. */
export function pollItemKey(item: PollItem): string {
  switch (item.kind) {
    case 'comment':
      return `fb:comment:${item.comment.id}:${item.comment.created_time}`;
    case 'message':
      return `fb:message:${item.message.id}`;
    case 'post':
      return `fb:post:${item.post.id}`;
  }
}

/** When the item happened on Facebook. */
export function pollItemTime(item: PollItem): Date {
  switch (item.kind) {
    case 'comment':
      return parseGraphTime(item.comment.created_time);
    case 'message':
      return parseGraphTime(item.message.created_time);
    case 'post':
      return parseGraphTime(item.post.created_time);
  }
}

/** Dedup key of a batch: the page and the hash of its items' keys. */
export function pollBatchKey(pageId: string, items: readonly PollItem[]): string {
  const hash = createHash('sha256')
    .update(items.map(pollItemKey).sort().join('\n'))
    .digest('hex')
    .slice(0, 40);
  return `fb:poll:${pageId}:${hash}`;
}

/** Whether a stored payload is a poll batch (rather than a webhook delivery). */
export function isFacebookPollPayload(payload: unknown): boolean {
  return Boolean(payload) && typeof payload === 'object' && (payload as { source?: unknown }).source === 'poll';
}

const profile = z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string().optional() }).passthrough();
const time = z.string().transform((text, ctx) => {
  try {
    return parseGraphTime(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a Graph time' });
    return z.NEVER;
  }
});
const commentAttachment = z
  .object({
    type: z.string().optional(),
    url: z.string().optional(),
    media: z.object({ image: z.object({ src: z.string().optional() }).passthrough().optional(), source: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const comment = z
  .object({
    id: z.string(),
    message: z.string().optional(),
    created_time: time,
    from: profile.optional(),
    parent: z.object({ id: z.string() }).passthrough().optional(),
    permalink_url: z.string().optional(),
    attachment: commentAttachment.optional(),
    // Read leniently: a count that cannot be read leaves the likes unknown, never the comment.
    like_count: z.unknown().optional(),
  })
  .passthrough();
const messageAttachment = z
  .object({
    mime_type: z.string().optional(),
    file_url: z.string().optional(),
    image_data: z.object({ url: z.string().optional() }).passthrough().optional(),
    video_data: z.object({ url: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();
const message = z
  .object({
    id: z.string(),
    message: z.string().optional(),
    created_time: time,
    from: profile.optional(),
    attachments: z.object({ data: z.array(messageAttachment).optional() }).passthrough().optional(),
    sticker: z.string().optional(),
  })
  .passthrough();
const pollItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('comment'), postId: z.string(), postPermalink: z.string().optional(), comment }),
  z.object({ kind: z.literal('message'), conversationId: z.string(), participantId: z.string(), message }),
  z.object({ kind: z.literal('post'), post: z.object({ id: z.string(), created_time: time, from: profile.optional() }).passthrough() }),
]);
const pollSchema = z.object({
  source: z.literal('poll'),
  pageId: z.string(),
  items: z.array(z.unknown()),
});

/** What Graph calls a comment's attachment type → our kind, the same the webhook gives (`photo` or `video`). */
function commentKind(type: string | undefined): AttachmentKind {
  if (type === undefined) return 'other';
  if (type.includes('video')) return 'video';
  if (type === 'photo' || type === 'sticker' || type.startsWith('animated_image') || type === 'cover_photo' || type === 'profile_media') return 'photo';
  if (type === 'share' || type.endsWith('_share')) return 'link';
  return 'other';
}

function commentAttachments(a: z.infer<typeof commentAttachment> | undefined): Attachment[] {
  if (!a) return [];
  const kind = commentKind(a.type);
  const url = (kind === 'video' ? a.media?.source : a.media?.image?.src) ?? a.url ?? null;
  return [{ kind, url }];
}

/** A message file → our kind by what Graph says it is: the same kinds the webhook's `type` gives. */
function messageFile(a: z.infer<typeof messageAttachment>): Attachment {
  if (a.image_data) return { kind: 'photo', url: a.image_data.url ?? null };
  if (a.video_data) return { kind: 'video', url: a.video_data.url ?? null };
  const mime = a.mime_type ?? '';
  const kind: AttachmentKind = mime.startsWith('image/') ? 'photo' : mime.startsWith('video/') ? 'video' : mime.startsWith('audio/') ? 'audio' : 'file';
  return { kind, url: a.file_url ?? null };
}

function messageAttachments(m: z.infer<typeof message>): Attachment[] {
  const out = (m.attachments?.data ?? []).map(messageFile);
  if (m.sticker) out.push({ kind: 'sticker', url: m.sticker });
  return out;
}

/** The item's id, for the record of an item that cannot be read. */
function idOfRaw(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as { comment?: { id?: unknown }; message?: { id?: unknown }; post?: { id?: unknown } };
  const id = r.comment?.id ?? r.message?.id ?? r.post?.id;
  return typeof id === 'string' ? id : undefined;
}

/** A stored poll batch → inbound items, in the batch's order. */
export function parseFacebookPollPayload(payload: unknown): InboundItem[] {
  const parsed = pollSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookPayloadError(`not a Facebook poll payload: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? '?'}`);
  }
  const { pageId } = parsed.data;
  const base = { platform: 'facebook' as const, accountId: pageId };
  const items: InboundItem[] = [];
  parsed.data.items.forEach((raw, index) => {
    const read = pollItem.safeParse(raw);
    if (!read.success) {
      const issue = read.error.issues[0];
      const externalId = idOfRaw(raw);
      const ignored: IgnoredItem = {
        type: 'ignored_item',
        platform: 'facebook',
        accountId: pageId,
        reason: 'not_understood',
        path: `items[${index}]`,
        ...(externalId === undefined ? {} : { externalId }),
        detail: `${issue?.message ?? 'invalid'} at ${issue?.path.join('.') || 'the item'}`,
      };
      items.push(ignored);
      return;
    }
    const item = read.data;
    if (item.kind === 'post') {
      if (item.post.from?.id === pageId) items.push({ ...base, type: 'page_post', externalId: item.post.id, postedAt: item.post.created_time });
      return;
    }
    if (item.kind === 'comment') {
      const c = item.comment;
      const parentId = c.parent?.id ?? null;
      if (c.from?.id === pageId) {
        items.push({
          ...base,
          type: 'page_answer',
          externalId: c.id,
          inReplyToExternalId: parentId,
          threadId: item.postId,
          recipientId: null,
          answeredAt: c.created_time,
          ...(c.message === undefined ? {} : { text: c.message }),
        });
      } else {
        const attachments = commentAttachments(c.attachment);
        items.push({
          ...base,
          type: 'citizen_item',
          kind: 'comment',
          externalId: c.id,
          threadId: item.postId,
          parentId,
          authorId: c.from?.id ?? null,
          authorName: c.from?.name ?? null,
          text: itemText(c.message ?? '', attachments),
          attachments,
          permalink: c.permalink_url ?? null,
          postedAt: c.created_time,
          ...(typeof c.like_count === 'number' && Number.isSafeInteger(c.like_count) && c.like_count >= 0 ? { likeCount: c.like_count } : {}),
        });
      }
      return;
    }
    const m = item.message;
    // Webhooks key a Messenger thread by the person's PSID; so does this.
    if (m.from?.id === pageId) {
      // The Conversations API does not say which app sent a message: only its time tells an automated one (ingest).
      items.push({
        ...base,
        type: 'page_answer',
        externalId: m.id,
        inReplyToExternalId: null,
        threadId: item.participantId,
        recipientId: item.participantId,
        answeredAt: m.created_time,
        ...(m.message === undefined ? {} : { text: m.message }),
      });
    } else {
      const attachments = messageAttachments(m);
      items.push({
        ...base,
        type: 'citizen_item',
        kind: 'message',
        externalId: m.id,
        threadId: item.participantId,
        parentId: null,
        authorId: item.participantId,
        authorName: m.from?.name ?? null,
        text: itemText(m.message ?? '', attachments),
        attachments,
        permalink: null,
        postedAt: m.created_time,
      });
    }
  });
  return items;
}
