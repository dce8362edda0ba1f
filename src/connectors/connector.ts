/**
 * The one interface every platform connector implements (Facebook Page now;
 * Instagram and the Telegram channel discussion later): parse what the
 * platform sends, pull what is new, publish a staff reply. Connectors do
 * platform I/O and classify the platform's errors; the services around them
 * own the database, the queues and the decisions (retry, slow down, pause).
 */
import type { InquiryKind, Platform, ReplyChannel, ReplyVisibility } from '../db/schema.js';
import type { InboundItem } from '../domain/inquiry.js';

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
}

/** A plan, or why the reply cannot go out at all (a sentence for the staff member). */
export type PlanResult = { ok: true; plan: ReplyPlan } | { ok: false; reason: string };

export interface PublishedReply {
  /** The platform id of the published comment or message. */
  externalId: string;
}

/**
 * What to do about an error of a platform call. `summary` and `reason` are
 * scrubbed and safe to log and store.
 */
export type ErrorVerdict =
  /** The platform throttles us (Graph 4, 17, 32, 613…): slow the source down, nothing was done. */
  | { action: 'slow_down'; retryAfterMs: number | undefined; summary: string }
  /** The credentials are dead (Graph 190): pause the source and tell the admins; nothing was done. */
  | { action: 'pause_source'; summary: string }
  /** May work later. `outcomeUnknown`: the call may have taken effect (a timeout). */
  | { action: 'retry'; outcomeUnknown: boolean; summary: string }
  /** The platform says it was already done (a second private reply): look for it before failing. */
  | { action: 'look_up'; reason: string; summary: string }
  /** Will never work: `reason` tells the staff member what happened and what to do. */
  | { action: 'fail'; reason: string; summary: string };

/** What one pull found. */
export interface PullResult {
  /**
   * What to store as one `inbound_events` row (origin `poll`), or undefined
   * when nothing is new. Stored together with `cursor` in one transaction.
   */
  batch: { dedupKey: string; payload: unknown; items: number } | undefined;
  /** The cursor to store once the batch is committed. */
  cursor: Record<string, unknown>;
}

/** A platform connector. */
export interface Connector {
  readonly platform: Platform;
  /** A stored webhook or poll payload → items for ingest. Pure; throws for a payload that can never be parsed. */
  parse(payload: unknown): InboundItem[];
  /** What is new since `cursor` (a source's stored cursor, `{}` at first). */
  pull(cursor: Record<string, unknown>, now: Date): Promise<PullResult>;
  /** How a reply to `target` goes out, or why it cannot (decided without calling the platform). */
  planReply(target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult;
  /** Publishes; throws the platform's error (see {@link Connector.classifyError}). */
  publishReply(plan: ReplyPlan, text: string): Promise<PublishedReply>;
  /** The reply with this text the page published at or after `since`, if any (after an attempt of unknown outcome). */
  findPublishedReply(plan: ReplyPlan, text: string, since: Date): Promise<PublishedReply | undefined>;
  /** What an error thrown by this connector means. `plan` gives context for permission errors. */
  classifyError(error: unknown, plan?: ReplyPlan): ErrorVerdict;
  /**
   * How much of the platform's quota the latest response said is used
   * (0-100; undefined when unknown) and how long it says to wait, in ms.
   */
  usage(): { percent: number; regainAccessInMs: number } | undefined;
}
