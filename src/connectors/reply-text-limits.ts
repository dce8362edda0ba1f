/**
 * How long a staff answer may be, known before anything is published: the
 * preview shows it and a longer answer cannot be confirmed. The numbers are
 * each platform's connector's own (`Connector.maxTextLength`, which delivery
 * checks again); they are here as well because the preview needs them with
 * or without a connected account. A platform with no entry shows the count
 * without a limit, and delivery still checks its connector's.
 */
import type { InquiryKind, Platform, ReplyChannel, ReplyVisibility } from '../db/schema.js';
import { FACEBOOK_REPLY_TEXT_LIMITS } from './facebook/facebook.connector.js';
import { INSTAGRAM_REPLY_TEXT_LIMITS } from './instagram/instagram.connector.js';

export { replyTextLength } from './connector.js';

const LIMITS: Partial<Record<Platform, Readonly<Partial<Record<ReplyChannel, number>>>>> = {
  facebook: FACEBOOK_REPLY_TEXT_LIMITS,
  instagram: INSTAGRAM_REPLY_TEXT_LIMITS,
};

/**
 * The channel an answer of `visibility` to an inquiry of `kind` goes out by,
 * as the connectors plan it: a conversation is answered in it, a comment
 * publicly in its thread or privately to its author, a mention by a comment
 * where it was made.
 */
export function replyChannelFor(kind: InquiryKind, visibility: ReplyVisibility): ReplyChannel {
  if (kind === 'message') return 'messenger';
  // A mention is answered where it was written, on the other person's media (Instagram has no private way).
  if (kind === 'mention') return 'mention_reply';
  return visibility === 'private' ? 'private_reply' : 'comment_reply';
}

/** The longest answer `platform` takes by `channel` (UTF-16 code units), undefined when not known. */
export function replyTextLimit(platform: Platform, channel: ReplyChannel): number | undefined {
  return LIMITS[platform]?.[channel];
}
