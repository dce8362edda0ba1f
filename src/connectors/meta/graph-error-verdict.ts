/**
 * What a failed Graph call means for a reply, the same for every Meta
 * platform (Facebook Pages and Instagram): the connectors differ only in the
 * platform named in the reasons, the permissions each call needs, and the
 * refusals only one of them knows. The sentences staff read are in
 * `domain/failure-reason-text.ts`, in each reader's language.
 */
import type { ErrorVerdict, ReplyPlan } from '../connector.js';
import { failure, type FailureReason, type MetaPlatform, type PermissionUse } from '../../domain/failure-reason.js';
import { GraphApiError, GraphHttpError } from './graph-errors.js';

export interface GraphErrorWording {
  platform: MetaPlatform;
  /** The permission each kind of call needs, for refusals that do not name one (a channel the platform does not have: what reading needs). */
  permissionFor: Partial<Record<PermissionUse, string>> & { read: string };
  /** A platform-specific refusal checked before the generic one (e.g. a comment that no longer exists). */
  refusal?: (error: GraphApiError) => FailureReason | undefined;
}

export function classifyGraphError(error: unknown, plan: ReplyPlan | undefined, words: GraphErrorWording): ErrorVerdict {
  const { platform } = words;
  if (error instanceof GraphApiError) {
    const summary = error.message;
    if (error.isTokenExpired()) return { action: 'pause_source', summary };
    if (error.isRateLimit()) return { action: 'slow_down', retryAfterMs: error.retryAfterMs(), summary };
    // Meta does not say for how long: the workflow decides.
    if (error.isTemporarilyBlocked()) return { action: 'pause_publishing', pauseMs: undefined, summary };
    if (error.isAlreadyReplied()) return { action: 'look_up', reason: failure('private_reply_used', { platform }), summary };
    if (error.isOutsideMessagingWindow()) {
      return { action: 'fail', reason: failure(plan?.channel === 'private_reply' ? 'private_reply_refused' : 'message_window_refused', { platform }), summary };
    }
    if (error.isPermission()) {
      const named = /\b(pages_[a-z_]+|instagram_[a-z_]+|business_management)\b/.exec(`${error.graphMessage} ${error.userMessage ?? ''}`)?.[1];
      const use: PermissionUse = plan?.channel ?? 'read';
      const permission = named ?? words.permissionFor[use] ?? words.permissionFor.read;
      return { action: 'fail', reason: failure('permission_missing', { platform, permission, use, graphCode: error.code, graphMessage: error.graphMessage }), summary };
    }
    if (error.isTransient()) return { action: 'retry', outcomeUnknown: error.httpStatus >= 500, summary };
    const refusal = words.refusal?.(error);
    if (refusal) return { action: 'fail', reason: refusal, summary };
    return {
      action: 'fail',
      reason: failure('platform_refused', { platform, graphMessage: error.graphMessage, graphCode: error.code, ...(error.subcode === undefined ? {} : { graphSubcode: error.subcode }) }),
      summary,
    };
  }
  if (error instanceof GraphHttpError) {
    if (error.isTransient()) return { action: 'retry', outcomeUnknown: true, summary: error.message };
    return { action: 'fail', reason: failure('graph_unreachable', error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }), summary: error.message };
  }
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { action: 'retry', outcomeUnknown: true, summary };
}
