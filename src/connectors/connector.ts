/**
 * What every platform (Facebook Page now; Instagram and the Telegram channel
 * discussion later) gives the service, in two layers:
 *
 * - {@link ConnectorModule}: the platform as the service knows it, built from
 *   configuration by `registry.ts`: how its stored payloads read (pure, there
 *   whether or not an account is configured), its webhook routes, and its
 *   connected account, if any.
 * - {@link Connector}: one connected account's platform I/O: pull what is
 *   new, publish a staff reply, classify the platform's errors. The
 *   workflows around it (`inbox/`) own the database, the queues and the
 *   decisions (retry, slow down, pause).
 */
import type { FastifyInstance } from 'fastify';
import type { InquiryKind, Platform, ReplyChannel, ReplyVisibility } from '../db/schema.js';
import type { FailureReason } from '../domain/failure-reason.js';
import type { InboundItem } from '../domain/inquiry.js';
import type { TelegramUpdateRoute } from '../service-part.js';
import type { TelegramUpdateType } from '../telegram/telegram-client.js';

export type { ReplyChannel };

/** The inquiry a reply answers, as much of it as publishing needs. */
export interface ReplyTarget {
  kind: InquiryKind;
  /** Platform id of the citizen's first item (comment or message). */
  externalId: string;
  /** Parent comment id when the citizen's comment is itself a reply. */
  parentId: string | null;
  /** Post id (comments) or conversation id / PSID (messages). */
  threadId: string | null;
  authorId: string | null;
  /** When the citizen's first item was posted (a private reply is possible for 7 days). */
  postedAt: Date;
  /** The citizen's latest message (Messenger windows are counted from it). */
  lastCitizenAt: Date;
}

/** How a reply goes out. */
export interface ReplyPlan {
  channel: ReplyChannel;
  /** The platform id addressed: the comment replied to, or the person (PSID). */
  target: string;
  /** Comment replies: the top-level comment under which the reply appears (Facebook keeps two levels). */
  threadRoot?: string;
  /** Messenger only: `RESPONSE` within 24 h, `MESSAGE_TAG` with `HUMAN_AGENT` within 7 days. */
  messagingType?: 'RESPONSE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  /** Mention replies only: the media the mention is on (`target` is the mentioning comment, or this media for a caption). */
  mediaId?: string;
}

/** What the platform says of an item that was taken in with its ids only (an Instagram mention). */
export interface ItemDetails {
  /** The whole text (a caption or a comment). */
  text: string;
  /** The author's name or username, as the platform shows it. */
  authorName: string | null;
  /** When it was posted, if the platform says. */
  postedAt: Date | undefined;
  permalink: string | null;
  /** The post (media) it is on, if the platform says. */
  threadId: string | null;
}

/**
 * The length of a reply text as the platforms' limits are checked here: in
 * UTF-16 code units, as JavaScript counts. Meta documents its limits in
 * "characters" without saying which; Armenian, Cyrillic and Latin letters
 * are one code point and one UTF-16 unit each, so for them every reading
 * agrees (UTF-8 bytes aside: Meta counts characters, not bytes). A character
 * outside the Basic Multilingual Plane (most emoji) counts two, the larger
 * reading, so a text that fits here is never too long there.
 */
export function replyTextLength(text: string): number {
  return text.length;
}

/** A button offered with a private message: its title, and the payload the platform returns when it is tapped. */
export interface QuickReply {
  title: string;
  payload: string;
}

/**
 * A plan, or why the reply cannot go out at all: a code and its parameters,
 * rendered in each reader's language (`domain/failure-reason-text.ts`).
 */
export type PlanResult = { ok: true; plan: ReplyPlan } | { ok: false; reason: FailureReason };

export interface PublishedReply {
  /** The platform id of the published comment or message. */
  externalId: string;
}

/**
 * What to do about an error of a platform call. `summary` is English for the
 * logs; `reason` is for staff, a code and its parameters rendered in each
 * reader's language. Both are scrubbed and safe to log and store (the
 * workflow scrubs them again with the configured secrets).
 */
export type ErrorVerdict =
  /** The platform throttles us (Graph 4, 17, 32, 613…): slow the source down, nothing was done. */
  | { action: 'slow_down'; retryAfterMs: number | undefined; summary: string }
  /** The credentials are dead (Graph 190): pause the source and tell the admins; nothing was done. */
  | { action: 'pause_source'; summary: string }
  /**
   * The platform blocked the account from publishing for a while (Graph 368):
   * nothing was done; hold every reply of the source for `pauseMs` (undefined:
   * the platform did not say; the workflow's default), tell the admins. Reading goes on.
   */
  | { action: 'pause_publishing'; pauseMs: number | undefined; summary: string }
  /** May work later. `outcomeUnknown`: the call may have taken effect (a timeout). */
  | { action: 'retry'; outcomeUnknown: boolean; summary: string }
  /** The platform says it was already done (a second private reply): look for it before failing. */
  | { action: 'look_up'; reason: FailureReason; summary: string }
  /** Will never work: `reason` tells the staff member what happened and what to do. */
  | { action: 'fail'; reason: FailureReason; summary: string };

/** What one pull found. */
export interface PullResult {
  /**
   * What to store as one `inbound_events` row (origin `poll`), or undefined
   * when nothing is new. Stored together with `cursor` in one transaction.
   */
  batch: { dedupKey: string; payload: unknown; items: number } | undefined;
  /** The cursor to store once the batch is committed. */
  cursor: Record<string, unknown>;
  /**
   * Likes of the citizens' comments the pull read, new and known (webhooks
   * carry none): stored with the cursor, changing no item and writing no
   * event. Only what the pull's calls returned anyway; none asked for them.
   */
  likes?: Array<{ externalId: string; likeCount: number }>;
}

/** One connected account's platform I/O. */
export interface Connector {
  readonly platform: Platform;
  /**
   * The longest one platform call can take (the client's deadline), in ms:
   * an attempt that owns a reply holds it longer than this. Undefined: 20 s.
   */
  readonly callTimeoutMs?: number;
  /** What is new since `cursor` (a source's stored cursor, `{}` at first). */
  pull(cursor: Record<string, unknown>, now: Date): Promise<PullResult>;
  /** How a reply to `target` goes out, or why it cannot (decided without calling the platform). */
  planReply(target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult;
  /**
   * The longest text `channel` takes, counted by {@link replyTextLength}.
   * Delivery fails a longer reply without calling the platform; the preview
   * shows the same limit (`reply-text-limits.ts`) before staff confirm.
   */
  maxTextLength(channel: ReplyChannel): number;
  /**
   * Publishes; throws the platform's error (see {@link Connector.classifyError}).
   * `quickReplies`: buttons offered with a private message (Messenger quick
   * replies), whose payload comes back with the person's answer; ignored where
   * the channel has none.
   */
  publishReply(plan: ReplyPlan, text: string, options?: { quickReplies?: QuickReply[] }): Promise<PublishedReply>;
  /**
   * The reply with this text the page published at or after `since` where
   * `plan` puts it (the citizen's comment thread, or their conversation), if
   * any, leaving out the platform ids in `exclude` (items already recorded as
   * other replies: an identical template answer to someone else). Called after
   * an attempt of unknown outcome, before posting again.
   */
  findPublishedReply(plan: ReplyPlan, text: string, since: Date, exclude: ReadonlySet<string>): Promise<PublishedReply | undefined>;
  /**
   * Reads what an item taken in with its ids only says (an Instagram
   * mention: `mentioned_comment` / `mentioned_media`); undefined when the
   * platform has none any more (deleted). Throws the platform's error
   * (see {@link Connector.classifyError}). Platforms whose items always
   * carry their text leave it out.
   */
  readDetails?(item: Pick<ReplyTarget, 'kind' | 'externalId' | 'threadId'>): Promise<ItemDetails | undefined>;
  /**
   * Hides a citizen's comment from the public (Instagram `hide=true`); the
   * platforms that cannot leave it out. Throws the platform's error.
   */
  hideComment?(externalId: string): Promise<void>;
  /** What an error thrown by this connector means. `plan` gives context for permission errors. */
  classifyError(error: unknown, plan?: ReplyPlan): ErrorVerdict;
  /**
   * How much of the platform's quota the latest response said is used
   * (0-100; undefined when unknown) and how long it says to wait, in ms.
   */
  usage(): { percent: number; regainAccessInMs: number } | undefined;
}

/** A connected account: its `sources` row and the connector that speaks for it. */
export interface ConnectedAccount {
  sourceId: number;
  connector: Connector;
}

/** A platform as the service runs it (see the file's header). */
export interface ConnectorModule {
  readonly platform: Platform;
  /**
   * A stored webhook or poll payload → items for ingest. Pure, and there
   * whether or not an account is configured (webhooks may be stored first);
   * throws `PayloadError` for a payload that can never be parsed.
   */
  parse(payload: unknown): InboundItem[];
  /**
   * Payloads stored under another platform that this module reads: Meta
   * delivers Instagram webhooks to the Page's endpoint, which stores them as
   * `facebook`; the Instagram module claims those whose `object` is `instagram`.
   */
  alsoParses?: { platform: Platform; accepts: (payload: unknown) => boolean };
  /**
   * The connected accounts of the platform, one connector each (several
   * Facebook Pages, each publishing with its own token); none when the
   * platform is not configured.
   */
  accounts?: readonly ConnectedAccount[];
  /**
   * Takes the Telegram updates that are this platform's (a channel's
   * discussion group) from the bot's one update source, before the staff bot
   * sees them; returns false for the others.
   */
  telegramUpdates?: TelegramUpdateRoute;
  /** Update kinds Telegram sends only when asked (`message_reaction`) that {@link telegramUpdates} takes. */
  telegramUpdateKinds?: readonly TelegramUpdateType[];
  /** HTTP routes of the platform (its webhook endpoint), when configured. */
  routes?: Array<(app: FastifyInstance) => void | Promise<void>>;
  /** Lines for the log: which parts of the platform are off and which variable turns each on. */
  off?: string[];
  /** Runs once the service's queues and workers are up (poll schedulers, warnings about a paused source). */
  start?: () => Promise<void>;
  close?: () => Promise<void>;
}
