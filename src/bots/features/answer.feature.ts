/**
 * Answering: the claimant replies to the card in the group, or presses
 * "Answer" and writes to the bot privately (a force-reply prompt). The bot
 * shows the answer as it will be published and asks to publish it (publicly
 * or privately where the platform allows); with `REQUIRE_APPROVAL` an
 * agent's answer goes to the supervisors, who approve it or send it back
 * with a comment. A confirmed answer becomes a pending reply and a
 * `reply.deliver` job; the result comes back on the card and to the author.
 */
import type { MessageContext, CallbackContext, Feature } from '../bot-context.js';
import { answerKindFromCode, cb, idFrom, visibilityFromCode } from '../callbacks.js';
import { messagesFor } from '../i18n/index.js';
import { renderNotice } from '../notices.js';
import { renderPreview, type PreviewStatus } from '../previews.js';
import { answeringNotice, explainRefusal } from '../refusals.js';
import type { InquiryRow, ReplyDraftRow, StaffRow } from '../../db/schema.js';
import { can } from '../../domain/staff.js';
import { findCardByMessage } from '../cards/card.service.js';
import {
  cancelDraft,
  confirmDraft,
  createDraft,
  findDraft,
  findDraftByPreview,
  mayAnswer,
  retryReply,
  reviewDraft,
  setDraftKind,
  setDraftPreview,
} from '../../inbox/compose-reply.workflow.js';
import { findNoticeByMessage, findPrompt, recordPrompt } from '../../inbox/staff-notices.workflow.js';
import { TelegramApiError } from '../../telegram/telegram-errors.js';
import { escapeHtml } from '../../telegram/telegram-text.js';

/** Characters of the citizen's text quoted in the private prompt. */
const PROMPT_EXCERPT = 700;

/** Notices whose reply is an answer to their inquiry. */
const ANSWERABLE_NOTICES = new Set(['reminder.unclaimed', 'reminder.claimed', 'reassigned', 'approval.result', 'sla.escalation', 'reply.result', 'resolution.overdue', 'reopened', 'solved.answer']);

function isClosedChat(error: unknown): boolean {
  return error instanceof TelegramApiError && (error.isForbidden() || (error.isBadRequest() && error.description.toLowerCase().includes('chat not found')));
}

/** Sends a force-reply prompt to the person's private chat; false when the chat is closed to the bot. */
async function sendPrivatePrompt(
  ctx: CallbackContext,
  html: string,
  prompt: { kind: 'answer' | 'send_back'; inquiryId: number; draftId?: number },
): Promise<boolean> {
  try {
    const message = await ctx.deps.client.sendMessage(ctx.person.id, html, { replyMarkup: { force_reply: true } });
    await recordPrompt(ctx.deps.db, { chatId: ctx.person.id, messageId: message.message_id, staffId: ctx.staff!.id, ...prompt });
    return true;
  } catch (error) {
    if (isClosedChat(error)) return false;
    throw error;
  }
}

function excerpt(text: string): string {
  const chars = Array.from(text);
  return chars.length > PROMPT_EXCERPT ? `${chars.slice(0, PROMPT_EXCERPT).join('')}…` : text;
}

function needsApproval(ctx: { deps: MessageContext['deps'] }, staff: StaffRow): boolean {
  return ctx.deps.config.workflow.requireApproval && !can(staff, 'supervise');
}

/** Edits a preview to say what happened to it (its buttons go). */
async function settlePreview(ctx: CallbackContext, draft: ReplyDraftRow, inquiry: Pick<InquiryRow, 'id' | 'platform' | 'kind'>, status: PreviewStatus): Promise<void> {
  const chatId = draft.chatId ?? ctx.message?.chatId;
  const messageId = draft.previewMessageId ?? ctx.message?.messageId;
  if (chatId === undefined || messageId === undefined) return;
  const locale = chatId > 0 ? ctx.locale : ctx.deps.config.locale;
  const preview = renderPreview(draft, inquiry, locale, { needsApproval: false, status });
  await ctx.deps.client.editMessageText(chatId, messageId, preview.html, { disableLinkPreview: true }).catch((error: unknown) => {
    if (!(error instanceof TelegramApiError && error.isMessageNotFound())) throw error;
  });
}

/** The staff member wrote an answer: store it as a draft and show the preview. */
async function compose(ctx: MessageContext, inquiryId: number): Promise<void> {
  const staff = ctx.staff!;
  const text = ctx.message.text.trim();
  if (text === '') {
    await ctx.reply(ctx.t.answerEmpty);
    return;
  }
  const outcome = await createDraft(ctx.deps, { inquiryId, staff, text, now: ctx.now });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'taken':
        await ctx.deny('answer', 'claimed by someone else', { inquiryId });
        await ctx.reply(escapeHtml(outcome.holder ? ctx.t.toastTakenBy(outcome.holder.name) : ctx.t.toastNotYours));
        return;
      case 'closed':
        await ctx.reply(escapeHtml(ctx.t.toastNotOpen));
        return;
      case 'answering':
        // Whatever the card hides, a reply to it (or to any message about the inquiry) cannot do.
        await ctx.reply(escapeHtml(answeringNotice(ctx.t, outcome, staff)));
        return;
      case 'denied':
        await ctx.deny('answer', outcome.why, { inquiryId });
        await ctx.reply(ctx.t.notAllowed);
        return;
      default:
        await ctx.deny('answer', 'no such inquiry', { inquiryId });
        await ctx.reply(escapeHtml(ctx.t.toastStale));
        return;
    }
  }
  const locale = ctx.isPrivate ? ctx.locale : ctx.deps.config.locale;
  const preview = renderPreview(outcome.draft, outcome.inquiry, locale, { needsApproval: needsApproval(ctx, staff), refusals: ctx.deps.plannedRefusals?.(outcome.inquiry, ctx.now) });
  const message = await ctx.reply(preview.html, { replyMarkup: preview.keyboard });
  await setDraftPreview(ctx.deps.db, outcome.draft.id, ctx.chatId, message.message_id);
}

/** A supervisor's comment on an answer sent back. */
async function returnWithComment(ctx: MessageContext, draftId: number): Promise<void> {
  const comment = ctx.message.text.trim();
  if (comment === '') {
    await ctx.reply(ctx.t.answerEmpty);
    return;
  }
  const outcome = await reviewDraft(ctx.deps, { draftId, reviewer: ctx.staff!, decision: { approve: false, comment }, now: ctx.now });
  if (!outcome.ok) {
    if (outcome.reason === 'denied') await ctx.deny('send_back', outcome.why, { draftId });
    await ctx.reply(escapeHtml(outcome.reason === 'denied' ? ctx.t.toastNotAllowed : ctx.t.toastStale));
    return;
  }
  await ctx.reply(ctx.t.returnedDone);
}

/** Replies to the bot's messages that are answers (or comments on answers). */
async function onReply(ctx: MessageContext, repliedTo: { message_id: number }): Promise<boolean> {
  const { db } = ctx.deps;
  const prompt = await findPrompt(db, ctx.chatId, repliedTo.message_id);
  if (prompt) {
    if (prompt.staffId !== ctx.staff!.id) {
      await ctx.deny('answer', 'reply to a prompt of someone else', { inquiryId: prompt.inquiryId });
      await ctx.reply(ctx.t.notAllowed);
    } else if (prompt.kind === 'send_back' && prompt.draftId !== null) {
      await returnWithComment(ctx, prompt.draftId);
    } else if (prompt.inquiryId !== null) {
      await compose(ctx, prompt.inquiryId);
    }
    return true;
  }
  const card = await findCardByMessage(db, ctx.chatId, repliedTo.message_id);
  if (card) {
    await compose(ctx, card.inquiryId);
    return true;
  }
  const notice = await findNoticeByMessage(db, ctx.chatId, repliedTo.message_id);
  if (notice?.inquiryId && ANSWERABLE_NOTICES.has(notice.kind)) {
    await compose(ctx, notice.inquiryId);
    return true;
  }
  const draft = await findDraftByPreview(db, ctx.chatId, repliedTo.message_id);
  if (draft) {
    // A new text in reply to a preview replaces the draft.
    await compose(ctx, draft.inquiryId);
    return true;
  }
  return false;
}

export const answerFeature: Feature = {
  replies: [onReply],
  callbacks: [
    {
      codec: cb.answer,
      permission: 'handle',
      async run(ctx, values) {
        const id = idFrom(values.id);
        if (id === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'answer');
        const allowed = await mayAnswer(ctx.deps.db, id, ctx.staff!);
        if (!allowed.ok) {
          if (allowed.reason === 'taken') await ctx.deny('answer', 'claimed by someone else', { inquiryId: id });
          return explainRefusal(ctx, allowed, 'answer', id);
        }
        const sent = await sendPrivatePrompt(ctx, ctx.t.answerPrompt(id, excerpt(allowed.inquiry.text)), { kind: 'answer', inquiryId: id });
        if (!sent) return ctx.answer(ctx.t.toastOpenPrivateChat, true);
        await ctx.answer(ctx.isPrivate ? undefined : ctx.t.toastPromptSent);
      },
    },
    {
      codec: cb.publish,
      permission: 'handle',
      async run(ctx, values) {
        const draftId = idFrom(values.draft);
        const visibility = visibilityFromCode(values.visibility ?? '');
        if (draftId === undefined || visibility === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'publish');
        const outcome = await confirmDraft(ctx.deps, { draftId, staff: ctx.staff!, visibility, now: ctx.now });
        if (!outcome.ok) {
          if (outcome.reason === 'stale' && outcome.draft && (outcome.draft.status === 'confirmed' || outcome.draft.status === 'awaiting_approval')) {
            return ctx.answer(ctx.t.toastDone);
          }
          if (outcome.reason === 'taken') await ctx.deny('publish', 'claimed by someone else', { draftId });
          return explainRefusal(ctx, outcome, 'publish');
        }
        if (outcome.kind === 'reply') {
          await settlePreview(ctx, outcome.draft, outcome.inquiry, 'sending');
          return ctx.answer(ctx.t.draftSending);
        }
        await settlePreview(ctx, outcome.draft, outcome.inquiry, 'submitted');
        await ctx.answer(ctx.t.draftSubmitted);
      },
    },
    {
      codec: cb.answerKind,
      permission: 'handle',
      async run(ctx, values) {
        const draftId = idFrom(values.draft);
        const kind = answerKindFromCode(values.kind ?? '');
        if (draftId === undefined || kind === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'answer_kind');
        const outcome = await setDraftKind(ctx.deps.db, { draftId, staff: ctx.staff!, kind, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'answer_kind');
        // The preview shows the new kind, with the buttons to change it again.
        const msg = ctx.message;
        if (msg) {
          const locale = msg.chatId > 0 ? ctx.locale : ctx.deps.config.locale;
          const preview = renderPreview(outcome.draft, outcome.inquiry, locale, {
            needsApproval: needsApproval(ctx, ctx.staff!),
            refusals: ctx.deps.plannedRefusals?.(outcome.inquiry, ctx.now),
          });
          await ctx.deps.client.editMessageText(msg.chatId, msg.messageId, preview.html, { replyMarkup: preview.keyboard, disableLinkPreview: true }).catch((error: unknown) => {
            if (!(error instanceof TelegramApiError && (error.isMessageNotFound() || error.description.includes('not modified')))) throw error;
          });
        }
        await ctx.answer();
      },
    },
    {
      codec: cb.cancelDraft,
      permission: 'handle',
      async run(ctx, values) {
        const draftId = idFrom(values.draft);
        if (draftId === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'cancel');
        const outcome = await cancelDraft(ctx.deps.db, { draftId, staff: ctx.staff!, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'cancel');
        await settlePreview(ctx, outcome.draft, outcome.inquiry, 'cancelled');
        await ctx.answer(ctx.t.draftCancelled);
      },
    },
    {
      codec: cb.approve,
      permission: 'supervise',
      async run(ctx, values) {
        const draftId = idFrom(values.draft);
        if (draftId === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'approve');
        const outcome = await reviewDraft(ctx.deps, { draftId, reviewer: ctx.staff!, decision: { approve: true }, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'approve');
        await markApprovalDecided(ctx, true);
        await ctx.answer(ctx.t.toastDone);
      },
    },
    {
      codec: cb.sendBack,
      permission: 'supervise',
      async run(ctx, values) {
        const draftId = idFrom(values.draft);
        const draft = draftId === undefined ? undefined : await findDraft(ctx.deps.db, draftId);
        if (!draft) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'send_back');
        if (draft.status !== 'awaiting_approval') return ctx.answer(ctx.t.toastStale);
        const sent = await sendPrivatePrompt(ctx, ctx.t.sendBackPrompt(draft.inquiryId), { kind: 'send_back', inquiryId: draft.inquiryId, draftId: draft.id });
        if (!sent) return ctx.answer(ctx.t.toastOpenPrivateChat, true);
        await ctx.answer(ctx.isPrivate ? undefined : ctx.t.toastPromptSent);
      },
    },
    {
      codec: cb.retry,
      permission: 'handle',
      async run(ctx, values) {
        const replyId = idFrom(values.reply);
        if (replyId === undefined) return explainRefusal(ctx, { ok: false, reason: 'missing' }, 'retry');
        const outcome = await retryReply(ctx.deps, { replyId, staff: ctx.staff!, now: ctx.now });
        if (!outcome.ok) return explainRefusal(ctx, outcome, 'retry');
        await ctx.answer(ctx.t.toastRetrying);
      },
    },
  ],
};

/** The approval request that was decided loses its buttons and says who decided. */
async function markApprovalDecided(ctx: CallbackContext, approved: boolean): Promise<void> {
  const msg = ctx.message;
  if (!msg) return;
  const notice = await findNoticeByMessage(ctx.deps.db, msg.chatId, msg.messageId);
  if (!notice) return;
  const locale = msg.chatId > 0 ? ctx.locale : ctx.deps.config.locale;
  const rendered = renderNotice(notice, { locale, inquiry: undefined, cardLink: undefined });
  const decided = `${rendered.html}\n\n${messagesFor(locale).approvalDecided(approved, ctx.staff!.name)}`;
  await ctx.deps.client.editMessageText(msg.chatId, msg.messageId, decided, { disableLinkPreview: true });
}

