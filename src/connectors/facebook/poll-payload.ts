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
 * the webhook parser makes from the same comments and messages, so ingest
 * treats a comment seen by both once.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundItem } from '../../domain/inquiry.js';
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

const profile = z.object({ id: z.string(), name: z.string().optional() }).passthrough();
const comment = z
  .object({
    id: z.string(),
    message: z.string().optional(),
    created_time: z.string(),
    from: profile.optional(),
    parent: z.object({ id: z.string() }).passthrough().optional(),
    permalink_url: z.string().optional(),
  })
  .passthrough();
const message = z
  .object({
    id: z.string(),
    message: z.string().optional(),
    created_time: z.string(),
    from: profile.optional(),
  })
  .passthrough();
const pollSchema = z.object({
  source: z.literal('poll'),
  pageId: z.string(),
  items: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('comment'), postId: z.string(), postPermalink: z.string().optional(), comment }),
      z.object({ kind: z.literal('message'), conversationId: z.string(), participantId: z.string(), message }),
      z.object({ kind: z.literal('post'), post: z.object({ id: z.string(), created_time: z.string(), from: profile.optional() }).passthrough() }),
    ]),
  ),
});

function time(text: string): Date {
  try {
    return parseGraphTime(text);
  } catch (error) {
    throw new WebhookPayloadError(`poll payload has a time Facebook would not send: ${JSON.stringify(text)}`, { cause: error });
  }
}

/** A stored poll batch → inbound items, in the batch's order. */
export function parseFacebookPollPayload(payload: unknown): InboundItem[] {
  const parsed = pollSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookPayloadError(`not a Facebook poll payload: ${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? '?'}`);
  }
  const { pageId } = parsed.data;
  const items: InboundItem[] = [];
  for (const item of parsed.data.items) {
    if (item.kind === 'post') {
      if (item.post.from?.id === pageId) items.push({ type: 'page_post', platform: 'facebook', externalId: item.post.id, postedAt: time(item.post.created_time) });
      continue;
    }
    if (item.kind === 'comment') {
      const c = item.comment;
      const parentId = c.parent?.id ?? null;
      if (c.from?.id === pageId) {
        items.push({
          type: 'page_answer',
          platform: 'facebook',
          externalId: c.id,
          inReplyToExternalId: parentId,
          threadId: item.postId,
          recipientId: null,
          answeredAt: time(c.created_time),
          ...(c.message === undefined ? {} : { text: c.message }),
        });
      } else {
        items.push({
          type: 'citizen_item',
          platform: 'facebook',
          kind: 'comment',
          externalId: c.id,
          threadId: item.postId,
          parentId,
          authorId: c.from?.id ?? null,
          authorName: c.from?.name ?? null,
          text: c.message ?? '',
          permalink: c.permalink_url ?? null,
          postedAt: time(c.created_time),
        });
      }
      continue;
    }
    const m = item.message;
    // Webhooks key a Messenger thread by the person's PSID; so does this.
    if (m.from?.id === pageId) {
      items.push({
        type: 'page_answer',
        platform: 'facebook',
        externalId: m.id,
        inReplyToExternalId: null,
        threadId: item.participantId,
        recipientId: item.participantId,
        answeredAt: time(m.created_time),
        ...(m.message === undefined ? {} : { text: m.message }),
      });
    } else {
      items.push({
        type: 'citizen_item',
        platform: 'facebook',
        kind: 'message',
        externalId: m.id,
        threadId: item.participantId,
        parentId: null,
        authorId: item.participantId,
        authorName: m.from?.name ?? null,
        text: m.message ?? '',
        permalink: null,
        postedAt: time(m.created_time),
      });
    }
  }
  return items;
}
