/**
 * Composing an answer from Telegram: the staff member's text becomes a draft,
 * shown back as it will be published; confirming it (or a supervisor's
 * approval, with `REQUIRE_APPROVAL`) turns it into a `replies` row with
 * status `pending`, which the `reply.deliver` worker publishes. Every step is
 * one transaction with its event; a draft is confirmed at most once however
 * often its button is pressed.
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { lockInquiry } from '../db/repositories/inquiry.repository.js';
import type { InquiryRow, ReplyDraftRow, ReplyRow, ReplyVisibility, StaffRow } from '../db/schema.js';
import { isOpen } from '../domain/inquiry.js';
import { can, findStaffById } from './staff.workflow.js';

/** How an answer to this inquiry can be published. */
export function allowedVisibilities(inquiry: Pick<InquiryRow, 'platform' | 'kind'>): ReplyVisibility[] {
  if (inquiry.kind === 'message') return ['private'];
  if (inquiry.kind === 'comment' && inquiry.platform !== 'telegram') return ['public', 'private'];
  return ['public'];
}

export type ComposeRefusal =
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'closed' }
  | { ok: false; reason: 'taken'; holder: StaffRow | undefined }
  | { ok: false; reason: 'denied'; why: string }
  | { ok: false; reason: 'stale'; draft: ReplyDraftRow | undefined };

/**
 * May `staff` answer this inquiry now? The claimant or a supervisor for a
 * claimed one; anyone who handles inquiries for a new one (they claim it).
 */
async function checkAnswerer(db: Db, inquiry: InquiryRow | undefined, staff: StaffRow): Promise<ComposeRefusal | undefined> {
  if (!inquiry) return { ok: false, reason: 'missing' };
  if (!can(staff, 'handle')) return { ok: false, reason: 'denied', why: `role ${staff.role} cannot answer` };
  if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed' };
  if (inquiry.status === 'claimed' && inquiry.claimedBy !== staff.id && !can(staff, 'supervise')) {
    return { ok: false, reason: 'taken', holder: inquiry.claimedBy === null ? undefined : await findStaffById(db, inquiry.claimedBy) };
  }
  return undefined;
}

/** Whether `staff` may answer (for the answer button, before any text is written). */
export async function mayAnswer(db: Db, inquiryId: number, staff: StaffRow): Promise<{ ok: true; inquiry: InquiryRow } | ComposeRefusal> {
  const inquiry = await db.selectFrom('inquiries').selectAll().where('id', '=', inquiryId).executeTakeFirst();
  const refusal = await checkAnswerer(db, inquiry, staff);
  return refusal ?? { ok: true, inquiry: inquiry! };
}

export type DraftOutcome = { ok: true; draft: ReplyDraftRow; inquiry: InquiryRow; claimed: boolean } | ComposeRefusal;

/**
 * Stores what the staff member wrote as a draft. An unclaimed inquiry is
 * claimed by them on the way (one event each); an earlier unconfirmed draft
 * of theirs for the same inquiry is cancelled.
 */
export async function createDraft(db: Db, input: { inquiryId: number; staff: StaffRow; text: string; now: Date }): Promise<DraftOutcome> {
  const { staff, now } = input;
  return db.transaction().execute(async (trx): Promise<DraftOutcome> => {
    let inquiry = await lockInquiry(trx, input.inquiryId);
    const refusal = await checkAnswerer(trx, inquiry, staff);
    if (refusal) return refusal;
    let claimed = false;
    if (inquiry!.status === 'new') {
      inquiry = await trx
        .updateTable('inquiries')
        .set({ status: 'claimed', claimedBy: staff.id, claimedAt: now, updatedAt: sql<Date>`now()` })
        .where('id', '=', inquiry!.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEvent(trx, { type: 'claimed', inquiryId: inquiry.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { byAnswering: true } });
      claimed = true;
    }
    await trx
      .updateTable('replyDrafts')
      .set({ status: 'cancelled', updatedAt: now })
      .where('inquiryId', '=', inquiry!.id)
      .where('staffId', '=', staff.id)
      .where('status', 'in', ['draft', 'returned'])
      .execute();
    const visibilities = allowedVisibilities(inquiry!);
    const draft = await trx
      .insertInto('replyDrafts')
      .values({
        inquiryId: inquiry!.id,
        staffId: staff.id,
        text: input.text,
        visibility: visibilities.length === 1 ? visibilities[0]! : null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'answer_drafted', inquiryId: inquiry!.id, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { draftId: draft.id } });
    return { ok: true, draft, inquiry: inquiry!, claimed };
  });
}

/** Remembers where the preview of a draft is, so it can be edited later. */
export async function setDraftPreview(db: Db, draftId: number, chatId: number, messageId: number): Promise<void> {
  await db.updateTable('replyDrafts').set({ chatId, previewMessageId: messageId }).where('id', '=', draftId).execute();
}

export async function findDraft(db: Db, draftId: number): Promise<ReplyDraftRow | undefined> {
  return db.selectFrom('replyDrafts').selectAll().where('id', '=', draftId).executeTakeFirst();
}

export type ConfirmOutcome =
  | { ok: true; kind: 'reply'; reply: ReplyRow; draft: ReplyDraftRow; inquiry: InquiryRow }
  | { ok: true; kind: 'submitted'; draft: ReplyDraftRow; inquiry: InquiryRow }
  | ComposeRefusal;

async function insertReply(trx: Db, draft: ReplyDraftRow, visibility: ReplyVisibility, actor: StaffRow, now: Date, extra: Record<string, unknown>): Promise<ReplyRow> {
  const reply = await trx
    .insertInto('replies')
    .values({ inquiryId: draft.inquiryId, staffId: draft.staffId, visibility, text: draft.text, createdAt: now, updatedAt: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertEvent(trx, {
    type: 'reply_created',
    inquiryId: draft.inquiryId,
    actorKind: 'staff',
    actorStaffId: actor.id,
    occurredAt: now,
    payload: { replyId: reply.id, visibility, draftId: draft.id, author: draft.staffId, ...extra },
  });
  return reply;
}

/**
 * The author confirms a draft with a visibility. With `requireApproval` and
 * an author who is not a supervisor it goes to the supervisors; otherwise it
 * becomes a pending reply. The caller enqueues `reply.deliver` for it.
 */
export async function confirmDraft(
  db: Db,
  input: { draftId: number; staff: StaffRow; visibility: ReplyVisibility; requireApproval: boolean; now: Date },
): Promise<ConfirmOutcome> {
  const { staff, now, visibility } = input;
  return db.transaction().execute(async (trx): Promise<ConfirmOutcome> => {
    const draft = await trx.selectFrom('replyDrafts').selectAll().where('id', '=', input.draftId).forUpdate().executeTakeFirst();
    if (!draft) return { ok: false, reason: 'missing' };
    if (draft.staffId !== staff.id) return { ok: false, reason: 'denied', why: 'only the author can confirm a draft' };
    if (draft.status !== 'draft') return { ok: false, reason: 'stale', draft };
    const inquiry = await lockInquiry(trx, draft.inquiryId);
    const refusal = await checkAnswerer(trx, inquiry, staff);
    if (refusal) return refusal;
    if (!allowedVisibilities(inquiry!).includes(visibility)) return { ok: false, reason: 'denied', why: `a ${visibility} answer is not possible here` };
    if (input.requireApproval && !can(staff, 'supervise')) {
      const submitted = await trx
        .updateTable('replyDrafts')
        .set({ status: 'awaiting_approval', visibility, updatedAt: now })
        .where('id', '=', draft.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEvent(trx, { type: 'answer_submitted', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: staff.id, occurredAt: now, payload: { draftId: draft.id, visibility } });
      return { ok: true, kind: 'submitted', draft: submitted, inquiry: inquiry! };
    }
    const reply = await insertReply(trx, draft, visibility, staff, now, {});
    const confirmed = await trx
      .updateTable('replyDrafts')
      .set({ status: 'confirmed', visibility, replyId: reply.id, updatedAt: now })
      .where('id', '=', draft.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true, kind: 'reply', reply, draft: confirmed, inquiry: inquiry! };
  });
}

/** The author drops a draft they have not confirmed. */
export async function cancelDraft(db: Db, input: { draftId: number; staff: StaffRow; now: Date }): Promise<{ ok: true; draft: ReplyDraftRow } | ComposeRefusal> {
  return db.transaction().execute(async (trx) => {
    const draft = await trx.selectFrom('replyDrafts').selectAll().where('id', '=', input.draftId).forUpdate().executeTakeFirst();
    if (!draft) return { ok: false as const, reason: 'missing' as const };
    if (draft.staffId !== input.staff.id) return { ok: false as const, reason: 'denied' as const, why: 'only the author can cancel a draft' };
    if (draft.status !== 'draft') return { ok: false as const, reason: 'stale' as const, draft };
    const row = await trx.updateTable('replyDrafts').set({ status: 'cancelled', updatedAt: input.now }).where('id', '=', draft.id).returningAll().executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'answer_cancelled', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: input.staff.id, occurredAt: input.now, payload: { draftId: draft.id } });
    return { ok: true as const, draft: row };
  });
}

export type ReviewOutcome =
  | { ok: true; draft: ReplyDraftRow; inquiry: InquiryRow; reply: ReplyRow | undefined; author: StaffRow | undefined }
  | ComposeRefusal;

/**
 * A supervisor approves an answer waiting for approval (it becomes a pending
 * reply by its author) or sends it back with a comment. The first decision wins.
 */
export async function reviewDraft(
  db: Db,
  input: { draftId: number; reviewer: StaffRow; decision: { approve: true } | { approve: false; comment: string }; now: Date },
): Promise<ReviewOutcome> {
  const { reviewer, now, decision } = input;
  if (!can(reviewer, 'supervise')) return { ok: false, reason: 'denied', why: `role ${reviewer.role} cannot approve answers` };
  return db.transaction().execute(async (trx): Promise<ReviewOutcome> => {
    const draft = await trx.selectFrom('replyDrafts').selectAll().where('id', '=', input.draftId).forUpdate().executeTakeFirst();
    if (!draft) return { ok: false, reason: 'missing' };
    if (draft.status !== 'awaiting_approval') return { ok: false, reason: 'stale', draft };
    const inquiry = await lockInquiry(trx, draft.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    const author = await findStaffById(trx, draft.staffId);
    if (!decision.approve) {
      const returned = await trx
        .updateTable('replyDrafts')
        .set({ status: 'returned', reviewerId: reviewer.id, reviewComment: decision.comment, updatedAt: now })
        .where('id', '=', draft.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEvent(trx, {
        type: 'answer_returned',
        inquiryId: draft.inquiryId,
        actorKind: 'staff',
        actorStaffId: reviewer.id,
        occurredAt: now,
        payload: { draftId: draft.id, comment: decision.comment },
      });
      return { ok: true, draft: returned, inquiry, reply: undefined, author };
    }
    if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed' };
    const reply = await insertReply(trx, draft, draft.visibility ?? allowedVisibilities(inquiry)[0]!, reviewer, now, { approvedBy: reviewer.id });
    const approved = await trx
      .updateTable('replyDrafts')
      .set({ status: 'confirmed', reviewerId: reviewer.id, replyId: reply.id, updatedAt: now })
      .where('id', '=', draft.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { type: 'answer_approved', inquiryId: draft.inquiryId, actorKind: 'staff', actorStaffId: reviewer.id, occurredAt: now, payload: { draftId: draft.id, replyId: reply.id } });
    return { ok: true, draft: approved, inquiry, reply, author };
  });
}

/** The draft of an inquiry waiting for approval, if any (shown on the card). */
export async function findDraftAwaitingApproval(db: Db, inquiryId: number): Promise<ReplyDraftRow | undefined> {
  return db
    .selectFrom('replyDrafts')
    .selectAll()
    .where('inquiryId', '=', inquiryId)
    .where('status', '=', 'awaiting_approval')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type RetryOutcome = { ok: true; reply: ReplyRow; inquiry: InquiryRow; already: boolean } | ComposeRefusal;

/**
 * Publishes the text of a failed reply again, as a new pending reply (the
 * failed one stays as the record of what happened). Pressing the button
 * again while that one is pending or sent changes nothing.
 */
export async function retryReply(db: Db, input: { replyId: number; staff: StaffRow; now: Date }): Promise<RetryOutcome> {
  const { staff, now } = input;
  return db.transaction().execute(async (trx): Promise<RetryOutcome> => {
    const failed = await trx.selectFrom('replies').selectAll().where('id', '=', input.replyId).executeTakeFirst();
    if (!failed) return { ok: false, reason: 'missing' };
    const inquiry = await lockInquiry(trx, failed.inquiryId);
    if (!inquiry) return { ok: false, reason: 'missing' };
    if (failed.staffId !== staff.id && !can(staff, 'supervise')) return { ok: false, reason: 'denied', why: 'only the author or a supervisor can retry' };
    const newer = await trx
      .selectFrom('replies')
      .selectAll()
      .where('inquiryId', '=', failed.inquiryId)
      .where('id', '>', failed.id)
      .where('status', 'in', ['pending', 'sent'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (newer) return { ok: true, reply: newer, inquiry, already: true };
    if (failed.status !== 'failed') return { ok: false, reason: 'stale', draft: undefined };
    if (!isOpen(inquiry.status)) return { ok: false, reason: 'closed' };
    const reply = await trx
      .insertInto('replies')
      .values({ inquiryId: failed.inquiryId, staffId: failed.staffId, visibility: failed.visibility, text: failed.text, createdAt: now, updatedAt: now })
      .returningAll()
      .executeTakeFirstOrThrow();
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
}
