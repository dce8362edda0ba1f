/**
 * A supervisor hides an abusive comment from the public on the platform
 * (Instagram: `POST /{ig-comment-id}?hide=true`), from the inquiry's card.
 * The platform call is made first (outside any transaction); once it
 * succeeded the `comment_hidden` event is recorded with its actor and the
 * card is refreshed. A refusal by the platform is returned with its reason
 * (nothing recorded as hidden); hiding is idempotent on the platform, so
 * doing it again is harmless.
 */
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findInquiryById } from '../db/repositories/inquiry.repository.js';
import type { InquiryRow, StaffRow } from '../db/schema.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { mapFailureTexts, type FailureReason } from '../domain/failure-reason.js';
import { failureReasonText } from '../domain/failure-reason-text.js';
import { can } from '../domain/staff.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';

export interface HideCommentDeps {
  db: Db;
  registry: Pick<ConnectorRegistry, 'route'>;
  producers: Pick<Producers, 'updateCards'>;
  secrets?: readonly string[];
}

export type HideCommentOutcome =
  | { ok: true; inquiry: InquiryRow }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'denied'; why: string }
  | { ok: false; reason: 'unsupported'; why: string }
  /** `failure`: the platform's refusal for staff (shown in their language); `why`: in English, or the error's summary when there is no such refusal. */
  | { ok: false; reason: 'platform_refused'; why: string; failure: FailureReason | undefined };

export async function hideInquiryComment(deps: HideCommentDeps, input: { inquiryId: number; staff: StaffRow; now: Date }): Promise<HideCommentOutcome> {
  const { staff, now } = input;
  if (!can(staff, 'supervise')) return { ok: false, reason: 'denied', why: `only a supervisor can hide a comment (role ${staff.role})` };
  const inquiry = await findInquiryById(deps.db, input.inquiryId);
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (inquiry.kind !== 'comment') return { ok: false, reason: 'unsupported', why: `a ${inquiry.kind} cannot be hidden, only a comment` };
  const account = deps.registry.route(inquiry.platform, inquiry.sourceId);
  const hide = account?.connector.hideComment;
  if (!account || !hide) return { ok: false, reason: 'unsupported', why: `comments on ${inquiry.platform} cannot be hidden from here` };
  try {
    await hide.call(account.connector, inquiry.externalId);
  } catch (error) {
    const verdict = account.connector.classifyError(error);
    const clean = (text: string) => scrubSecrets(text, deps.secrets);
    if ('reason' in verdict) {
      const reason = mapFailureTexts(verdict.reason, clean);
      return { ok: false, reason: 'platform_refused', why: failureReasonText(reason, 'en'), failure: reason };
    }
    return { ok: false, reason: 'platform_refused', why: clean(verdict.summary), failure: undefined };
  }
  await insertEvent(deps.db, {
    type: 'comment_hidden',
    inquiryId: inquiry.id,
    actorKind: 'staff',
    actorStaffId: staff.id,
    occurredAt: now,
    payload: { platform: inquiry.platform, externalId: inquiry.externalId },
  });
  await deps.producers.updateCards([inquiry.id]);
  return { ok: true, inquiry };
}
