/**
 * What the Facebook and Instagram webhook parsers share: Meta's field
 * conventions (ids as strings, or numbers while exact; times as Unix seconds,
 * milliseconds or ISO text), lenient reading (a part that cannot be read
 * throws {@link NotUnderstood}, which the parser turns into an ignored item
 * saying where and why, and the other parts go on), and the messaging events
 * both deliver in one shape (Messenger, and the Messenger Platform for
 * Instagram): `sender.id`, `recipient.id`, `timestamp` in ms, `message: {
 * mid, text?, attachments?, quick_reply?, is_echo?, is_deleted?, app_id?,
 * metadata? }`, `message_edit: { mid, text }`.
 */
import type { Attachment, InboundItem, SentByApp } from '../../domain/inquiry.js';
import { ignoredItem, itemText } from '../../domain/inquiry.js';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The app id Messenger echoes carry for a message a person typed in the
 * Page's own inbox (Meta Business Suite / the Page inbox): the Page Inbox
 * app (the inbox's app in Meta's handover and conversation routing
 * documentation). An echo with any other `app_id` was sent through that app
 * (a bot, an automation): not a person's answer.
 */
export const PAGE_INBOX_APP_ID = '263902037430900';

/** An item that cannot be read: what is wrong with it (field names and types, never the citizen's text). */
export class NotUnderstood extends Error {}

/**
 * An id: Meta sends ids as strings, some legacy fields (`sender_id`) as
 * numbers. A number past 2^53 has lost digits in any JSON parser: it is
 * taken as no id rather than as someone else's.
 */
export function metaIdOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** An optional text field: absent is fine, a string is read, anything else is a field the item cannot be read with. */
export function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new NotUnderstood(`${name} is a ${Array.isArray(value) ? 'list' : typeof value}, not text`);
}

/**
 * A time as Meta writes it: Unix seconds or milliseconds (numbers, or
 * digits in a string), or ISO text (`2026-11-28T10:00:00+0000`). Undefined
 * for anything else, or a time outside 2004–2100 (not a Meta time).
 */
export function facebookTime(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) ms = Number(value);
  if (ms !== undefined) {
    // Seconds until the year 33658; Meta's milliseconds are above 1e12.
    if (ms < 1e12) ms *= 1000;
  } else if (typeof value === 'string') {
    const parsed = Date.parse(value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(parsed)) ms = parsed;
  }
  if (ms === undefined || ms < Date.UTC(2004, 0, 1) || ms > Date.UTC(2100, 0, 1)) return undefined;
  return new Date(Math.trunc(ms));
}

/** Messaging event keys that are envelope, not the event's kind. */
const ENVELOPE_KEYS = new Set(['sender', 'recipient', 'timestamp']);

/** How one platform reads what differs in its messaging events. */
export interface MessagingDialect {
  platform: 'facebook' | 'instagram';
  /** `message.attachments` → attachments (each platform names its types). */
  attachments(value: unknown): Attachment[];
  /** Whether a tapped quick reply's payload is read (Messenger: the "solved?" question is asked there only). */
  quickReplies: boolean;
}

/**
 * One messaging event → items: a citizen's message (its sender's scoped id
 * is the conversation), an edit or a deletion of one, or the account's own
 * message (an echo, or sent by the account) as an answer to the person it
 * was sent to. Other events (reads, deliveries, postbacks, reactions) are
 * kept and ignored.
 */
export function messagingItems(dialect: MessagingDialect, accountId: string, event: unknown, entryTime: Date | undefined, path: string): InboundItem[] {
  if (!isObject(event)) throw new NotUnderstood('the event is not an object');
  const kind = Object.keys(event).find((k) => !ENVELOPE_KEYS.has(k)) ?? 'empty';
  const senderId = metaIdOf(isObject(event.sender) ? event.sender.id : undefined);
  const recipientId = metaIdOf(isObject(event.recipient) ? event.recipient.id : undefined);
  const at = facebookTime(event.timestamp) ?? entryTime ?? new Date();
  const base = { platform: dialect.platform, accountId };

  if (isObject(event.message_edit)) {
    const edit = event.message_edit;
    const mid = metaIdOf(edit.mid);
    if (mid === undefined) throw new NotUnderstood('message_edit has no mid');
    return [{ ...base, type: 'citizen_item_edited', externalId: mid, text: optionalText(edit.text, 'message_edit.text') ?? '', editedAt: at }];
  }
  const message = event.message;
  if (message === undefined) return [ignoredItem(dialect.platform, path, 'unsupported', { accountId, kind })];
  if (!isObject(message)) throw new NotUnderstood('message is not an object');
  const mid = metaIdOf(message.mid);
  if (mid === undefined) throw new NotUnderstood('the message has no mid');
  if (message.is_deleted === true) return [{ ...base, type: 'citizen_item_removed', externalId: mid, removedAt: at }];
  const text = optionalText(message.text, 'message.text');

  const fromAccount = message.is_echo === true || (senderId !== undefined && senderId === accountId);
  if (fromAccount) {
    if (recipientId === undefined) throw new NotUnderstood("the account's own message has no recipient");
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
  const attachments = dialect.attachments(message.attachments);
  const quickReplyPayload = dialect.quickReplies && isObject(message.quick_reply) ? optionalText(message.quick_reply.payload, 'message.quick_reply.payload') : undefined;
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
 * What an echo says about the app that sent it (`app_id`, and the `metadata`
 * the app passed to the Send API). Undefined for a message typed by a person
 * in the Page inbox (the Page Inbox app, no metadata) or one that names no app.
 */
function echoApp(message: Json): SentByApp | undefined {
  const appId = metaIdOf(message.app_id) ?? null;
  const metadata = typeof message.metadata === 'string' && message.metadata !== '' ? message.metadata : undefined;
  if (metadata === undefined && (appId === null || appId === PAGE_INBOX_APP_ID)) return undefined;
  return { appId, ...(metadata === undefined ? {} : { metadata }) };
}
