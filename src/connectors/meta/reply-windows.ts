/**
 * When Meta lets a Page or an Instagram account answer a comment or a
 * conversation, the same on both (Messenger Platform policy; Instagram's
 * private replies and messaging follow Messenger's): a public reply under a
 * comment at any time; one private reply to a commenter within 7 days; a
 * message within 24 h of the person's last one, with the `HUMAN_AGENT` tag
 * (a person answering) up to 7 days, then not at all.
 */
import type { ReplyVisibility } from '../../db/schema.js';
import { failure } from '../../domain/failure-reason.js';
import type { PlanResult, ReplyTarget } from '../connector.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A plain answer within 24 h of the person's last message. */
export const MESSENGER_RESPONSE_WINDOW_MS = DAY_MS;
/** The `HUMAN_AGENT` tag allows a staff answer up to 7 days after it. */
export const MESSENGER_HUMAN_AGENT_WINDOW_MS = 7 * DAY_MS;
/** A comment can get its one private reply within 7 days. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * DAY_MS;

/**
 * How a comment or a conversation of `platform` is answered now, or why it
 * cannot be; undefined for other kinds of item (each platform has its own).
 */
export function planMetaReply(platform: 'facebook' | 'instagram', target: ReplyTarget, visibility: ReplyVisibility, now: Date): PlanResult | undefined {
  if (target.kind === 'comment') {
    if (visibility === 'private') {
      const age = now.getTime() - target.postedAt.getTime();
      if (age > PRIVATE_REPLY_WINDOW_MS) return { ok: false, reason: failure('private_reply_window_closed', { platform, ageDays: Math.floor(age / DAY_MS) }) };
      return { ok: true, plan: { channel: 'private_reply', target: target.externalId } };
    }
    return { ok: true, plan: { channel: 'comment_reply', target: target.externalId, threadRoot: target.parentId ?? target.externalId } };
  }
  if (target.kind === 'message') {
    // The person's page- or account-scoped id (PSID, IGSID).
    const scopedId = target.authorId ?? target.threadId;
    if (!scopedId) return { ok: false, reason: failure('no_sender_id', { platform }) };
    const age = now.getTime() - target.lastCitizenAt.getTime();
    if (age <= MESSENGER_RESPONSE_WINDOW_MS) return { ok: true, plan: { channel: 'messenger', target: scopedId, messagingType: 'RESPONSE' } };
    if (age <= MESSENGER_HUMAN_AGENT_WINDOW_MS) return { ok: true, plan: { channel: 'messenger', target: scopedId, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } };
    return { ok: false, reason: failure('dm_window_closed', { platform, ageDays: Math.floor(age / DAY_MS) }) };
  }
  return undefined;
}
