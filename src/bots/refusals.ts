/** Turns a refused action into the notice the presser sees, recording real refusals. */
import type { Refusal } from '../inbox/claim.workflow.js';
import type { ComposeRefusal } from '../inbox/compose-reply.workflow.js';
import type { StaffRow } from '../db/schema.js';
import type { CallbackContext } from './bot-context.js';
import type { Messages } from './i18n/index.js';

/** Who is answering, said to someone who tried to start a second answer (plain text). */
export function answeringNotice(t: Messages, refusal: Extract<ComposeRefusal, { reason: 'answering' }>, me: StaffRow | undefined): string {
  if (refusal.author && me && refusal.author.id === me.id) return t.toastAnsweringYours(refusal.awaitingApproval);
  return refusal.author ? t.toastAnsweringBy(refusal.author.name, refusal.awaitingApproval) : t.toastAnsweringSomeone(refusal.awaitingApproval);
}

export async function explainRefusal(ctx: CallbackContext, refusal: Refusal | ComposeRefusal, action: string, inquiryId?: number): Promise<void> {
  const { t } = ctx;
  const details = inquiryId === undefined ? {} : { inquiryId };
  switch (refusal.reason) {
    case 'missing':
      // Inquiries are never deleted: an id that does not exist was made up.
      await ctx.deny(action, 'no such inquiry', details);
      return ctx.answer(t.toastStale);
    case 'closed':
      return ctx.answer(t.toastNotOpen);
    case 'taken':
      return ctx.answer(refusal.holder ? t.toastTakenBy(refusal.holder.name) : t.toastNotYours);
    case 'answering':
      return ctx.answer(answeringNotice(t, refusal, ctx.staff), true);
    case 'too_long':
      return ctx.answer(t.toastTooLong(refusal.length, refusal.max), true);
    case 'already_yours':
      return ctx.answer(t.toastAlreadyYours);
    case 'denied':
      await ctx.deny(action, refusal.why, details);
      return ctx.answer(t.toastNotAllowed, true);
    case 'invalid':
    case 'stale':
      return ctx.answer(t.toastStale);
  }
}
