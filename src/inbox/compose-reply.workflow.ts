/**
 * Composing an answer: the staff member's text becomes a draft, shown back
 * as it will be published; confirming it (or a supervisor's approval, with
 * `REQUIRE_APPROVAL`) turns it into a `replies` row with status `pending`,
 * which the `reply.deliver` worker publishes. Every step is one transaction
 * with its event, and queues what follows only after its commit (the reply
 * to publish, the card to refresh, the notices to send), so the bot and a
 * web page get the same effects; a draft is confirmed at most once however
 * often its button is pressed.
 *
 * One answer in flight per inquiry: while a reply is pending, or a draft
 * waits for approval, nobody starts or confirms another (checked under the
 * inquiry's row lock; the database also holds one pending reply per
 * inquiry), and whoever tries is told whose answer it is. An answer longer
 * than its channel takes (`connectors/reply-text-limits.ts`) cannot be
 * confirmed; the preview shows the count and the limit before.
 */
import type { Config } from '../config.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import { replyChannelFor, replyTextLength, replyTextLimit } from '../connectors/reply-text-limits.js';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findInquiryById, getInquiryById, lockInquiry, updateInquiry } from '../db/repositories/inquiry.repository.js';
import {
  findReplyDraftAwaitingApproval,
  findReplyDraftById,
  findReplyDraftByPreview,
  insertReplyDraft,
  lockReplyDraft,
  updateReplyDraft,
  updateUnconfirmedReplyDrafts,
} from '../db/repositories/reply-draft.repository.js';
import { findLiveReplyAfter, findPendingReplyOfInquiry, findReplyById, insertReply } from '../db/repositories/reply.repository.js';
import { findStaffById } from '../db/repositories/staff.repository.js';
import type { InquiryRow, ReplyDraftRow, ReplyRow, ReplyVisibility, StaffRow } from '../db/schema.js';
import type { FailureReason } from '../domain/failure-reason.js';
import { answerKindsFor } from '../domain/inquiry.js';
import type { AnswerKind } from '../domain/reply.js';
import { can } from '../domain/staff.js';
import type { Producers } from '../queue/producers.js';
import { createNotices, type NewNotice } from './staff-notices.workflow.js';
import { replyTargetOf } from './deliver-reply.workflow.js';
import { listSupervisors } from './staff.workflow.js';

/** What composing needs: the database, the queues for what follows, and whether answers wait for approval. */
export interface ComposeDeps {
  db: Db;
  producers: Pick<Producers, 'updateCards' | 'deliverReply' | 'sendNotices'>;
  config: {
    workflow: Pick<Config['workflow'], 'requireApproval'>;
    /** Approval requests go to the staff group when there is no supervisor. */
    telegram: Pick<Config['telegram'], 'staffChatId'>;
  };
}

/** How an answer to this inquiry can be published. */
export function allowedVisibilities(inquiry: Pick<InquiryRow, 'platform' | 'kind'>): ReplyVisibility[] {
  if (inquiry.kind === 'message') return ['private'];
  if (inquiry.kind === 'comment' && inquiry.platform !== 'telegram') return ['public', 'private'];
  return ['public'];
}

/** The length of an answer against what one way of publishing it takes. */
export interface AnswerLength {
  visibility: ReplyVisibility;
  /** UTF-16 code units, as the limits count (`replyTextLength`). */
  length: number;
  /** The platform's limit for this way; undefined when not known. */
  max: number | undefined;
  fits: boolean;
}

/** How `text` measures against each way an answer to this inquiry can be published. */
export function answerLengths(inquiry: Pick<InquiryRow, 'platform' | 'kind'>, text: string): AnswerLength[] {
  const length = replyTextLength(text);
  return allowedVisibilities(inquiry).map((visibility) => {
    const max = replyTextLimit(inquiry.platform, replyChannelFor(inquiry.kind, visibility));
    return { visibility, length, max, fits: max === undefined || length <= max };
  });
}

/**
 * The ways of publishing an answer to `inquiry` that its connector would
 * refuse at `now` (a message window closed, a private reply too late, a kind
 * it cannot answer), and why: the preview says so at once and offers no
 * button for them. Delivery plans again when it publishes (a window can
 * close in between). Without a connector for the inquiry's source, nothing
 * is known here; delivery says so.
 */
export function plannedRefusals(registry: ConnectorRegistry, inquiry: InquiryRow, now: Date): Partial<Record<ReplyVisibility, FailureReason>> {
  const connector = registry.route(inquiry.platform, inquiry.sourceId)?.connector;
  if (!connector) return {};
  const refusals: Partial<Record<ReplyVisibility, FailureReason>> = {};
  const target = replyTargetOf(inquiry);
  for (const visibility of allowedVisibilities(inquiry)) {
    const planned = connector.planReply(target, visibility, now);
    if (!planned.ok) refusals[visibility] = planned.reason;
  }
  return refusals;
}

export type ComposeRefusal =
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'closed' }
  | { ok: false; reason: 'taken'; holder: StaffRow | undefined }
  /** Another answer is in flight: `author`'s reply is being sent, or waits for approval. */
  | { ok: false; reason: 'answering'; author: StaffRow | undefined; awaitingApproval: boolean }
  /** Longer than the chosen way of publishing takes. */
  | { ok: false; reason: 'too_long'; length: number; max: number }
  | { ok: false; reason: 'denied'; why: string }
  | { ok: false; reason: 'stale'; draft: ReplyDraftRow | undefined };

/**
 * The answer in flight for an inquiry, as a refusal to start another: a
 * pending reply, or (unless `approving` is that draft) a draft waiting for
 * approval. Callers that change anything hold the inquiry's row lock, so two
 * of them cannot both see none.
 */
async function answerInFlight(db: Db, inquiryId: number, approving?: number): Promise<ComposeRefusal | undefined> {
  const pending = await findPendingReplyOfInquiry(db, inquiryId);
  if (pending) {
    return { ok: false, reason: 'answering', author: pending.staffId === null ? undefined : await findStaffById(db, pending.staffId), awaitingApproval: false };
  }
  const waiting = await findReplyDraftAwaitingApproval(db, inquiryId);
  if (waiting && waiting.id !== approving) return { ok: false, reason: 'answering', author: await findStaffById(db, waiting.staffId), awaitingApproval: true };
  return undefined;
}

/** Refuses an answer longer than `visibility` takes on the inquiry's platform. */
function tooLong(inquiry: Pick<InquiryRow, 'platform' | 'kind'>, text: string, visibility: ReplyVisibility): ComposeRefusal | undefined {
  const measured = answerLengths(inquiry, text).find((l) => l.visibility === visibility);
  return measured && !measured.fits && measured.max !== undefined ? { ok: false, reason: 'too_long', length: measured.length, max: measured.max } : undefined;
}

/**
 * May `staff` answer this inquiry now? The claimant or a supervisor for a
 * claimed one; anyone who handles inquiries for a new one (they claim it);
 * nobody while another answer is in flight. The one rule behind the card's
 * answer button, a reply to the card or to any message about the inquiry,
 * and confirming a draft.
 */
async function checkAnswerer(db: Db, inquiry: InquiryRow | undefined, staff: StaffRow): Promise<ComposeRefusal | undefined> {
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', why: `role ${staff.role} cannot answer` };
  if (answerKindsFor(inquiry.status).length === 0) return { ok: false, reason: 'closed' };
  if (inquiry.status === 'claimed' && inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) {
    return { ok: false, reason: 'taken', holder: inquiry.claimedBy === null ? undefined : await findStaffById(db, inquiry.claimedBy) };
  }
  // After an answer (interim or final), a further answer or a correction is its handler's, or a supervisor's.
  if ((inquiry.status === 'answered' || inquiry.status === 'closed') && !can(staff, 'supervise')) {
    const handler = inquiry.claimedBy ?? inquiry.answeredBy;
    if (handler !== null && handler !== staff.id) return { ok: false, reason: 'taken', holder: await findStaffById(db, handler) };
  }
  return answerInFlight(db, inquiry.id);
}

/** The kind a new draft starts as: final, as long as the inquiry's state allows one. */
function defaultKind(inquiry: Pick<InquiryRow, 'status'>): AnswerKind {
  return answerKindsFor(inquiry.status)[0] ?? 'final';
}

/** Whether `staff` may answer (for the answer button, before any text is written). */
export async function mayAnswer(db: Db, inquiryId: number, staff: StaffRow): Promise<{ ok: true; inquiry: InquiryRow } | ComposeRefusal> {
  const inquiry = await findInquiryById(db, inquiryId);
  const refusal = await checkAnswerer(db, inquiry, staff);
  return refusal ?? { ok: true, inquiry: inquiry! };
}

export type DraftOutcome = { ok: true; draft: ReplyDraftRow; inquiry: InquiryRow; claimed: boolean } | ComposeRefusal;

/**
 * Stores what the staff member wrote as a draft. An unclaimed inquiry is
 * claimed by them on the way (one event each; its card is refreshed); an
 * earlier unconfirmed draft of theirs for the same inquiry is cancelled.
 */
export async function createDraft(deps: ComposeDeps, input: { inquiryId: number; staff: StaffRow; text: string; now: Date }): Promise<DraftOutcome> {
  const { staff, now } = input;
  const outcome = await deps.db.transaction().execute(async (trx): Promise<DraftOutcome> => {
    let inquiry = await lockInquiry(trx, input.inquiryId);
    const refusal = await checkAnswerer(trx, inquiry, staff);
    if (refusal) return refusal;
    let claimed = false;
    if (inquiry!.status === 'new') {
      inquiry = await updateInquiry(trx, inquiry!.id, { status: 'claimed', claimedBy: staff.id, claimedAt: now });
      await insertEvent(trx, { type: 'claimed', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { byAnswering: true } });
      claimed = true;
    }
    await updateUnconfirmedReplyDrafts(trx, inquiry!.id, staff.id, { status: 'cancelled', updatedAt: now });
    const visibilities = allowedVisibilities(inquiry!);
    const draft = await insertReplyDraft(trx, {
      inquiryId: inquiry!.id,
      staffId: staff.id,
      text: input.text,
      kind: defaultKind(inquiry!),
      visibility: visibilities.length === 1 ? visibilities[0]! : null,
      createdAt: now,
      updatedAt: now,
    });
    await insertEvent(trx, { type: 'answer_drafted', inquiryId: inquiry!.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { draftId: draft.id } });
    return { ok: true, draft, inquiry: inquiry!, claimed };
  });
  if (outcome.ok && outcome.claimed) await deps.producers.updateCards([outcome.inquiry.id]);
  return outcome;
}

export type KindOutcome = { ok: true; draft: ReplyDraftRow; inquiry: InquiryRow } | ComposeRefusal;

/**
 * The author chooses what their draft will do (the preview's buttons):
 * `final` (default), `interim` or `correction`, as the inquiry's state
 * allows ({@link answerKindsFor}). An event records the choice.
 */
export async function setDraftKind(db: Db, input: { draftId: number; staff: StaffRow; kind: AnswerKind; now: Date }): Promise<KindOutcome> {
  return db.transaction().execute(async (trx): Promise<KindOutcome> => {
    const draft = await lockReplyDraft(trx, input.draftId);
    if (!draft) return { ok: false, reason: 'missing' };
    if (draft.staffId !== input.staff.id) return { ok: false, reason: 'denied', why: 'only the author can change a draft' };
    if (draft.status !== 'draft') return { ok: false, reason: 'stale', draft };
    const inquiry = await getInquiryById(trx, draft.inquiryId);
    if (!answerKindsFor(inquiry.status).includes(input.kind)) return { ok: false, reason: 'denied', why: `a ${input.kind} answer is not possible now` };
    const changed = await updateReplyDraft(trx, draft.id, { kind: input.kind, updatedAt: input.now });
    await insertEvent(trx, {
      type: 'answer_kind_chosen',
      inquiryId: draft.inquiryId,
      actorKind: 'staff',
      actorStaffId: input.staff.id,
      occurredAt: input.now,
      payload: { draftId: draft.id, kind: input.kind },
    });
    return { ok: true, draft: changed, inquiry };
  });
}

/** A draft's kind, checked against the inquiry's state now (it may have changed since the preview). */
function kindRefusal(inquiry: InquiryRow, kind: AnswerKind): ComposeRefusal | undefined {
  return answerKindsFor(inquiry.status).includes(kind) ? undefined : { ok: false, reason: 'denied', why: `a ${kind} answer is not possible now` };
}

/** Remembers where the preview of a draft is, so it can be edited later. */
export async function setDraftPreview(db: Db, draftId: number, chatId: number, messageId: number): Promise<void> {
  await updateReplyDraft(db, draftId, { chatId, previewMessageId: messageId });
}

export async function findDraft(db: Db, draftId: number): Promise<ReplyDraftRow | undefined> {
  return findReplyDraftById(db, draftId);
}

/** The draft shown as the preview `messageId` in `chatId` (a new text in reply to it replaces it). */
export async function findDraftByPreview(db: Db, chatId: number, messageId: number): Promise<ReplyDraftRow | undefined> {
  return findReplyDraftByPreview(db, chatId, messageId);
}

export type ConfirmOutcome =
  | { ok: true; kind: 'reply'; reply: ReplyRow; draft: ReplyDraftRow; inquiry: InquiryRow }
  | { ok: true; kind: 'submitted'; draft: ReplyDraftRow; inquiry: InquiryRow }
  | ComposeRefusal;

async function insertReplyOfDraft(trx: Db, draft: ReplyDraftRow, visibility: ReplyVisibility, actor: StaffRow, now: Date, extra: Record<string, unknown>): Promise<ReplyRow> {
  const reply = await insertReply(trx, { inquiryId: draft.inquiryId, staffId: draft.staffId, visibility, text: draft.text, kind: draft.kind, createdAt: now, updatedAt: now });
  await insertEvent(trx, {
    type: 'reply_created',
    inquiryId: draft.inquiryId,
    actorKind: 'staff',
    actorStaffId: actor.id,
    occurredAt: now,
    payload: { replyId: reply.id, visibility, kind: draft.kind, draftId: draft.id, author: draft.staffId, ...extra },
  });
  return reply;
}

/** Who is asked to approve an answer: every supervisor but its author, else the staff group. */
async function approvalRequests(deps: ComposeDeps, trx: Db, draft: ReplyDraftRow, author: StaffRow): Promise<NewNotice[]> {
  const supervisors = (await listSupervisors(trx)).filter((s) => s.id !== author.id);
  const group = deps.config.telegram.staffChatId;
  const recipients =
    supervisors.length > 0 ? supervisors.map((s) => ({ chatId: s.telegramUserId, key: `to-${s.id}` })) : group === undefined ? [] : [{ chatId: group, key: 'group' }];
  return recipients.map((r) => ({
    key: `approval-${draft.id}-${r.key}`,
    kind: 'approval.request',
    chatId: r.chatId,
    inquiryId: draft.inquiryId,
    payload: { draftId: draft.id, authorName: author.name, text: draft.text },
  }));
}

/**
 * The author confirms a draft with a visibility. With `REQUIRE_APPROVAL` and
 * an author who is not a supervisor it goes to the supervisors (an
 * `approval.request` notice each); otherwise it becomes a pending reply,
 * queued for `reply.deliver`. Either way the card is refreshed.
 */
export async function confirmDraft(deps: ComposeDeps, input: { draftId: number; staff: StaffRow; visibility: ReplyVisibility; now: Date }): Promise<ConfirmOutcome> {
  const { staff, now, visibility } = input;
  const { outcome, noticeIds } = await deps.db.transaction().execute(async (trx): Promise<{ outcome: ConfirmOutcome; noticeIds: number[] }> => {
    const draft = await lockReplyDraft(trx, input.draftId);
    if (!draft) return { outcome: { ok: false, reason: 'missing' }, noticeIds: [] };
    if (draft.staffId !== staff.id) return { outcome: { ok: false, reason: 'denied', why: 'only the author can confirm a draft' }, noticeIds: [] };
    if (draft.status !== 'draft') return { outcome: { ok: false, reason: 'stale', draft }, noticeIds: [] };
    const inquiry = await lockInquiry(trx, draft.inquiryId);
    const refusal = await checkAnswerer(trx, inquiry, staff);
    if (refusal) return { outcome: refusal, noticeIds: [] };
    if (!allowedVisibilities(inquiry!).includes(visibility)) return { outcome: { ok: false, reason: 'denied', why: `a ${visibility} answer is not possible here` }, noticeIds: [] };
    const long = tooLong(inquiry!, draft.text, visibility) ?? kindRefusal(inquiry!, draft.kind);
    if (long) return { outcome: long, noticeIds: [] };
    if (deps.config.workflow.requireApproval && !can(staff, 'supervise')) {
      const submitted = await updateReplyDraft(trx, draft.id, { status: 'awaiting_approval', visibility, updatedAt: now });
      await insertEvent(trx, { type: 'answer_submitted', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { draftId: draft.id, visibility } });
      const noticeIds = await createNotices(trx, await approvalRequests(deps, trx, submitted, staff));
      return { outcome: { ok: true, kind: 'submitted', draft: submitted, inquiry: inquiry! }, noticeIds };
    }
    const reply = await insertReplyOfDraft(trx, draft, visibility, staff, now, {});
    const confirmed = await updateReplyDraft(trx, draft.id, { status: 'confirmed', visibility, replyId: reply.id, updatedAt: now });
    return { outcome: { ok: true, kind: 'reply', reply, draft: confirmed, inquiry: inquiry! }, noticeIds: [] };
  });
  if (outcome.ok) {
    if (outcome.kind === 'reply') await deps.producers.deliverReply(outcome.reply.id);
    await deps.producers.updateCards([outcome.inquiry.id]);
    await deps.producers.sendNotices(noticeIds);
  }
  return outcome;
}

/** The author drops a draft they have not confirmed. */
export async function cancelDraft(db: Db, input: { draftId: number; staff: StaffRow; now: Date }): Promise<{ ok: true; draft: ReplyDraftRow; inquiry: InquiryRow } | ComposeRefusal> {
  return db.transaction().execute(async (trx) => {
    const draft = await lockReplyDraft(trx, input.draftId);
    if (!draft) return { ok: false as const, reason: 'missing' as const };
    if (draft.staffId !== input.staff.id) return { ok: false as const, reason: 'denied' as const, why: 'only the author can cancel a draft' };
    if (draft.status !== 'draft') return { ok: false as const, reason: 'stale' as const, draft };
    const row = await updateReplyDraft(trx, draft.id, { status: 'cancelled', updatedAt: input.now });
    await insertEvent(trx, { type: 'answer_cancelled', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: input.staff.id, occurredAt: input.now, payload: { draftId: draft.id } });
    return { ok: true as const, draft: row, inquiry: await getInquiryById(trx, draft.inquiryId) };
  });
}

export type ReviewOutcome =
  | { ok: true; draft: ReplyDraftRow; inquiry: InquiryRow; reply: ReplyRow | undefined; author: StaffRow | undefined }
  | ComposeRefusal;

/**
 * A supervisor approves an answer waiting for approval (it becomes a pending
 * reply by its author, queued for `reply.deliver`) or sends it back with a
 * comment. The first decision wins. The author is told (an
 * `approval.result` notice; not when they approved their own answer) and
 * the card is refreshed.
 */
export async function reviewDraft(
  deps: ComposeDeps,
  input: { draftId: number; reviewer: StaffRow; decision: { approve: true } | { approve: false; comment: string }; now: Date },
): Promise<ReviewOutcome> {
  const { reviewer, now, decision } = input;
  if (!can(reviewer, 'supervise')) return { ok: false, reason: 'denied', why: `role ${reviewer.role} cannot approve answers` };
  const { outcome, noticeIds } = await deps.db.transaction().execute(async (trx): Promise<{ outcome: ReviewOutcome; noticeIds: number[] }> => {
    const draft = await lockReplyDraft(trx, input.draftId);
    if (!draft) return { outcome: { ok: false, reason: 'missing' }, noticeIds: [] };
    if (draft.status !== 'awaiting_approval') return { outcome: { ok: false, reason: 'stale', draft }, noticeIds: [] };
    const inquiry = await lockInquiry(trx, draft.inquiryId);
    if (!inquiry) return { outcome: { ok: false, reason: 'missing' }, noticeIds: [] };
    const author = await findStaffById(trx, draft.staffId);
    const tell = (to: StaffRow, payload: Record<string, unknown>) =>
      createNotices(trx, [
        { key: `approval-result-${draft.id}`, kind: 'approval.result', chatId: to.telegramUserId, inquiryId: inquiry.id, payload: { draftId: draft.id, ...payload, byName: reviewer.name } },
      ]);
    if (!decision.approve) {
      const returned = await updateReplyDraft(trx, draft.id, { status: 'returned', reviewerId: reviewer.id, reviewComment: decision.comment, updatedAt: now });
      await insertEvent(trx, {
        type: 'answer_returned',
        inquiryId: draft.inquiryId,
        actorKind: 'staff',
        actorStaffId: reviewer.id,
        occurredAt: now,
        payload: { draftId: draft.id, comment: decision.comment },
      });
      const noticeIds = author ? await tell(author, { approved: false, comment: decision.comment }) : [];
      return { outcome: { ok: true, draft: returned, inquiry, reply: undefined, author }, noticeIds };
    }
    if (answerKindsFor(inquiry.status).length === 0) return { outcome: { ok: false, reason: 'closed' }, noticeIds: [] };
    const visibility = draft.visibility ?? allowedVisibilities(inquiry)[0]!;
    const refusal = (await answerInFlight(trx, inquiry.id, draft.id)) ?? tooLong(inquiry, draft.text, visibility) ?? kindRefusal(inquiry, draft.kind);
    if (refusal) return { outcome: refusal, noticeIds: [] };
    const reply = await insertReplyOfDraft(trx, draft, visibility, reviewer, now, { approvedBy: reviewer.id });
    const approved = await updateReplyDraft(trx, draft.id, { status: 'confirmed', reviewerId: reviewer.id, replyId: reply.id, updatedAt: now });
    await insertEvent(trx, { type: 'answer_approved', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: reviewer.id, occurredAt: now, payload: { draftId: draft.id, replyId: reply.id } });
    const noticeIds = author && author.id !== reviewer.id ? await tell(author, { approved: true }) : [];
    return { outcome: { ok: true, draft: approved, inquiry, reply, author }, noticeIds };
  });
  if (outcome.ok) {
    if (outcome.reply) await deps.producers.deliverReply(outcome.reply.id);
    await deps.producers.updateCards([outcome.inquiry.id]);
    await deps.producers.sendNotices(noticeIds);
  }
  return outcome;
}

export type RetryOutcome = { ok: true; reply: ReplyRow; inquiry: InquiryRow; already: boolean } | ComposeRefusal;

/**
 * Publishes the text of a failed reply again, as a new pending reply (the
 * failed one stays as the record of what happened), queued for
 * `reply.deliver`. When the failed one's outcome stayed unknown (it may have
 * been published), the new one inherits `in_flight_at`, so delivery looks on
 * the platform before posting. Pressing the button again while that one is
 * pending or sent changes nothing (the card is refreshed either way).
 */
export async function retryReply(deps: ComposeDeps, input: { replyId: number; staff: StaffRow; now: Date }): Promise<RetryOutcome> {
  const { staff, now } = input;
  const outcome = await deps.db.transaction().execute(async (trx): Promise<RetryOutcome> => {
    const failed = await findReplyById(trx, input.replyId);
    if (!failed) return { ok: false, reason: 'missing' };
    const inquiry = await lockInquiry(trx, failed.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (failed.staffId !== staff.id && !can(staff, 'supervise')) return { ok: false, reason: 'denied', why: 'only the author or a supervisor can retry' };
    const newer = await findLiveReplyAfter(trx, failed.inquiryId, failed.id);
    if (newer) return { ok: true, reply: newer, inquiry, already: true };
    if (failed.status !== 'failed') return { ok: false, reason: 'stale', draft: undefined };
    if (answerKindsFor(inquiry.status).length === 0) return { ok: false, reason: 'closed' };
    const reply = await insertReply(trx, {
      inquiryId: failed.inquiryId,
      staffId: failed.staffId,
      visibility: failed.visibility,
      text: failed.text,
      kind: failed.kind,
      createdAt: now,
      updatedAt: now,
      // An earlier attempt may have published it: the new reply looks first, from the same moment.
      inFlightAt: failed.inFlightAt,
    });
    await insertEvent(trx, {
      type: 'reply_retried',
      inquiryId: failed.inquiryId,
      actorKind: 'staff',
      actorStaffId: staff.id,
      occurredAt: now,
      payload: { replyId: reply.id, retryOf: failed.id, visibility: failed.visibility },
    });
    return { ok: true, reply, inquiry, already: false };
  });
  if (outcome.ok) {
    if (!outcome.already) await deps.producers.deliverReply(outcome.reply.id);
    await deps.producers.updateCards([outcome.inquiry.id]);
  }
  return outcome;
}
