/**
 * What a failed Graph call means for a reply, the same for every Meta
 * platform (Facebook Pages and Instagram): the connectors differ only in
 * their words (the platform's name, the permissions it needs, what to do).
 */
import type { ErrorVerdict, ReplyPlan } from '../connector.js';
import { GraphApiError, GraphHttpError } from './graph-errors.js';

export interface GraphErrorWording {
  /** "Facebook", "Instagram". */
  platform: string;
  /** The comment's one private reply was already used. */
  alreadyReplied: string;
  /** A private reply is no longer allowed (older than 7 days…). */
  privateReplyClosed: string;
  /** The citizen's messaging window is closed. */
  messageWindowClosed: string;
  /** The permission each kind of call needs, and why (a channel the platform does not have: what reading needs). */
  permissionFor: Partial<Record<ReplyPlan['channel'], { permission: string; why: string }>> & { read: { permission: string; why: string } };
  /** What an admin must do to add a missing permission. */
  permissionFix: (permission: string) => string;
  /** A platform-specific refusal checked before the generic one (e.g. a comment that no longer exists). */
  refusal?: (error: GraphApiError) => string | undefined;
}

export function classifyGraphError(error: unknown, plan: ReplyPlan | undefined, words: GraphErrorWording): ErrorVerdict {
  if (error instanceof GraphApiError) {
    const summary = error.message;
    if (error.isTokenExpired()) return { action: 'pause_source', summary };
    if (error.isRateLimit()) return { action: 'slow_down', retryAfterMs: error.retryAfterMs(), summary };
    // Meta does not say for how long: the workflow decides.
    if (error.isTemporarilyBlocked()) return { action: 'pause_publishing', pauseMs: undefined, summary };
    if (error.isAlreadyReplied()) return { action: 'look_up', reason: words.alreadyReplied, summary };
    if (error.isOutsideMessagingWindow()) {
      return { action: 'fail', reason: plan?.channel === 'private_reply' ? words.privateReplyClosed : words.messageWindowClosed, summary };
    }
    if (error.isPermission()) {
      const named = /\b(pages_[a-z_]+|instagram_[a-z_]+|business_management)\b/.exec(`${error.graphMessage} ${error.userMessage ?? ''}`)?.[1];
      const need = words.permissionFor[plan?.channel ?? 'read'] ?? words.permissionFor.read;
      const permission = named ?? need.permission;
      return {
        action: 'fail',
        reason:
          `${words.platform} refused: the Page access token lacks the permission ${permission} (${need.why}). ` +
          `${words.permissionFix(permission)} (Graph #${error.code}: ${error.graphMessage})`,
        summary,
      };
    }
    if (error.isTransient()) return { action: 'retry', outcomeUnknown: error.httpStatus >= 500, summary };
    const refusal = words.refusal?.(error);
    if (refusal) return { action: 'fail', reason: refusal, summary };
    return {
      action: 'fail',
      reason: `${words.platform} refused the reply: ${error.graphMessage} (Graph #${error.code}${error.subcode === undefined ? '' : `/${error.subcode}`}). Sending it again will not help; change the reply or answer on ${words.platform}.`,
      summary,
    };
  }
  if (error instanceof GraphHttpError) {
    if (error.isTransient()) return { action: 'retry', outcomeUnknown: true, summary: error.message };
    return {
      action: 'fail',
      reason: `The Graph API could not be used (${error.httpStatus === undefined ? 'no answer' : `HTTP ${error.httpStatus}`} without a Graph answer): check GRAPH_API_URL and the network, then send the reply again.`,
      summary: error.message,
    };
  }
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { action: 'retry', outcomeUnknown: true, summary };
}
