/**
 * Why a staff reply was not published (or may not have been), as a code and
 * its parameters, so that each reader gets it in their own language
 * (`failure-reason-text.ts`): the connectors' refusals (a plan refused before
 * any call, a platform's refusal of the call) and the delivery workflow's own.
 *
 * Stored as JSON in `replies.failure` and in the `reply_failed` event; the
 * English sentence goes beside it in `replies.failure_reason` for logs and
 * exports. Parameters are plain JSON: numbers, platform names, identifiers,
 * and the platform's own words (a Graph or Bot API message, never translated).
 * Pure: nothing from the app.
 */
import type { InquiryKind, Platform } from './inquiry.js';
import type { ReplyChannel } from './reply.js';

/** The two Meta platforms (their refusals share the Graph API's codes). */
export type MetaPlatform = Extract<Platform, 'facebook' | 'instagram'>;

/** What a Graph permission was needed for: one of the ways to publish, or reading. */
export type PermissionUse = ReplyChannel | 'read';

/**
 * Why Instagram cannot show whether the account's answer to a mention is
 * there: the replies under someone else's comment cannot be read; the media
 * has more comments than one read gives; Graph did not give the account's
 * username to tell its comments by.
 */
export type MentionLookUpObstacle = 'comment_replies' | 'too_many_comments' | 'no_username';

export type FailureReason =
  // Refused by the connector's plan, before any call to the platform.
  /** A private reply to a comment is allowed within 7 days only; the comment is `ageDays` old. */
  | { code: 'private_reply_window_closed'; params: { platform: MetaPlatform; ageDays: number } }
  /** The citizen last wrote `ageDays` ago: past the 24 h window and the 7-day HUMAN_AGENT one. */
  | { code: 'dm_window_closed'; params: { platform: MetaPlatform; ageDays: number } }
  /** A message without the sender's id: nobody to address. */
  | { code: 'no_sender_id'; params: { platform: MetaPlatform } }
  /** This kind of inquiry cannot be answered from the service on this platform. */
  | { code: 'kind_not_answerable'; params: { platform: Platform; kind: InquiryKind } }
  /** A mention is answered in public, where it was made: the platform has no private answer to it. */
  | { code: 'mention_no_private_answer'; params: { platform: MetaPlatform } }
  /** The platform did not say on which media the mention is, so there is nowhere to answer it. */
  | { code: 'mention_media_unknown'; params: { platform: MetaPlatform } }
  /** A bot cannot write privately to someone who commented in the channel. */
  | { code: 'telegram_no_private_reply'; params: Record<string, never> }
  /** The inquiry is not a comment of the channel `source` (its id is not a discussion-group message). */
  | { code: 'telegram_not_a_comment'; params: { source: string } }
  // Refused by the platform.
  /** The comment's one private reply was already used. */
  | { code: 'private_reply_used'; params: { platform: MetaPlatform } }
  /** The platform no longer allows a private reply (older than 7 days, or the author cannot receive messages). */
  | { code: 'private_reply_refused'; params: { platform: MetaPlatform } }
  /** The platform says the citizen's messaging window is closed. */
  | { code: 'message_window_refused'; params: { platform: MetaPlatform } }
  /** The token lacks `permission`, needed for `use`; `graphCode` and `graphMessage` are Graph's. */
  | { code: 'permission_missing'; params: { platform: MetaPlatform; permission: string; use: PermissionUse; graphCode: number; graphMessage: string } }
  /** The comment or conversation no longer exists. */
  | { code: 'item_gone'; params: { platform: MetaPlatform } }
  /** Whether the answer to a mention was published cannot be seen (the cause of `may_be_published`). */
  | { code: 'mention_lookup_impossible'; params: { platform: MetaPlatform; why: MentionLookUpObstacle } }
  /** Any other refusal of the Graph API, in its own words. */
  | { code: 'platform_refused'; params: { platform: MetaPlatform; graphMessage: string; graphCode: number; graphSubcode?: number } }
  /** The text of a mention could not be read: the platform no longer shows it (deleted, or its author's account made private). */
  | { code: 'details_gone'; params: { platform: MetaPlatform } }
  /** The text of a mention could not be read: the platform refused, in its own words (`detail`). */
  | { code: 'details_refused'; params: { platform: MetaPlatform; detail: string } }
  /** The Graph API gave no Graph answer (`httpStatus` when it answered at all). */
  | { code: 'graph_unreachable'; params: { httpStatus?: number } }
  /** Instagram takes messages under `maxBytes` bytes of UTF-8; this one has `bytes`. */
  | { code: 'instagram_message_too_long'; params: { bytes: number; maxBytes: number } }
  /** The bot cannot write in the discussion group of `source` (removed, or no longer an admin). */
  | { code: 'telegram_bot_removed'; params: { source: string } }
  /** The comment is no longer in the discussion group. */
  | { code: 'telegram_comment_gone'; params: Record<string, never> }
  /** The bot may not send messages in the discussion group of `source`. */
  | { code: 'telegram_no_rights'; params: { source: string } }
  /** Any other refusal of the Bot API, in its own words. */
  | { code: 'telegram_refused'; params: { description: string } }
  // The delivery workflow's own.
  /** No connector is configured for the platform. */
  | { code: 'connector_missing'; params: { platform: Platform } }
  /** The source `source` was removed from the service. */
  | { code: 'source_removed'; params: { platform: Platform; source: string } }
  /** An earlier attempt may have published it, and the platform could not be asked (`cause`). */
  | { code: 'may_be_published'; params: { platform: Platform; cause: FailureReason } }
  /** The platform did not say whether it published it after `attempts` attempts; `problem` is the last error (technical, English). */
  | { code: 'unconfirmed_after_attempts'; params: { platform: Platform; attempts: number; problem: string } }
  /** The platform did not accept it after `attempts` attempts; `problem` is the last error (technical, English). */
  | { code: 'not_accepted_after_attempts'; params: { platform: Platform; attempts: number; problem: string } }
  /** "Was it solved?" may be asked only within 24 hours (it is no human agent's answer). */
  | { code: 'question_window_closed'; params: { platform: Platform } }
  /** The answer has `length` characters; `channel` takes at most `max`. */
  | { code: 'text_too_long'; params: { platform: Platform; channel: ReplyChannel; length: number; max: number } };

export type FailureCode = FailureReason['code'];

/** Every code, for tests and for reading stored JSON. */
export const FAILURE_CODES = [
  'private_reply_window_closed',
  'dm_window_closed',
  'no_sender_id',
  'kind_not_answerable',
  'mention_no_private_answer',
  'mention_media_unknown',
  'telegram_no_private_reply',
  'telegram_not_a_comment',
  'private_reply_used',
  'private_reply_refused',
  'message_window_refused',
  'permission_missing',
  'item_gone',
  'mention_lookup_impossible',
  'platform_refused',
  'details_gone',
  'details_refused',
  'graph_unreachable',
  'instagram_message_too_long',
  'telegram_bot_removed',
  'telegram_comment_gone',
  'telegram_no_rights',
  'telegram_refused',
  'connector_missing',
  'source_removed',
  'may_be_published',
  'unconfirmed_after_attempts',
  'not_accepted_after_attempts',
  'question_window_closed',
  'text_too_long',
] as const satisfies readonly FailureCode[];

// Compile-time check that the list names every code.
type Missing = Exclude<FailureCode, (typeof FAILURE_CODES)[number]>;
const everyCodeListed: [Missing] extends [never] ? true : Missing = true;
void everyCodeListed;

/** Builds a reason (typed: the parameters must match the code). */
export function failure<C extends FailureCode>(code: C, params: Extract<FailureReason, { code: C }>['params']): Extract<FailureReason, { code: C }> {
  return { code, params } as Extract<FailureReason, { code: C }>;
}

/**
 * A stored reason (`replies.failure`, an event's or a notice's payload), or
 * undefined when it is not one this version knows (a row from before, a code
 * from a newer version): the caller then shows the stored English text.
 * Only the shape is checked; a template reads missing parameters as "?".
 */
export function readFailureReason(value: unknown): FailureReason | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, params } = value as { code?: unknown; params?: unknown };
  if (typeof code !== 'string' || !(FAILURE_CODES as readonly string[]).includes(code)) return undefined;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
  if (code === 'may_be_published' && readFailureReason((params as { cause?: unknown }).cause) === undefined) return undefined;
  return { code, params } as FailureReason;
}

/** The reason with `clean` applied to every text parameter (secrets scrubbed, lengths capped). */
export function mapFailureTexts(reason: FailureReason, clean: (text: string) => string): FailureReason {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(reason.params)) {
    if (typeof value === 'string') params[key] = clean(value);
    else if (key === 'cause' && typeof value === 'object' && value !== null) params[key] = mapFailureTexts(value as FailureReason, clean);
    else params[key] = value;
  }
  return { code: reason.code, params } as FailureReason;
}
