/**
 * Asking the citizen whether it was solved (`ASK_IF_SOLVED=on`, issue 18).
 *
 * `ASK_IF_SOLVED_AFTER` after a final answer, the reminders run (every
 * minute) asks the citizen once, privately, where the platform allows it
 * without bending its rules: on Facebook, a private reply to the comment
 * (one per comment, within 7 days of it: not when staff already answered it
 * privately), or a Messenger message within 24 hours of the citizen's last
 * message (a `RESPONSE`: the `HUMAN_AGENT` tag is for people, not for a
 * survey). Otherwise it is recorded as not asked (`solved_not_asked`, with
 * why), and never tried again. The question is a reply of kind
 * `solved_question`, published by `reply.deliver` like any other (its lease,
 * the look-up after an unknown outcome), with two quick replies whose
 * payloads (`SOLVED:<inquiry>:YES|NO`) come back in the Messenger webhook
 * when the citizen taps one. Asked once: a `solved_question_created` event
 * is written with the reply, and nothing asks again.
 *
 * The answer (ingest calls {@link recordSolvedAnswer}): `yes` or `no`, once;
 * "no" reopens the inquiry and tells its last handler; no answer within
 * {@link SOLVED_NO_REPLY_AFTER_MS} is recorded as `no_reply`.
 */
import type { Config } from '../config.js';
import type { QuickReply } from '../connectors/connector.js';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findSolvedUnanswered, findToAskIfSolved, findLastHandler } from '../db/repositories/follow-through.repository.js';
import { lockInquiry, updateInquiry } from '../db/repositories/inquiry.repository.js';
import { findPendingReplyOfInquiry, hasSentPrivateReply, insertReply } from '../db/repositories/reply.repository.js';
import type { InquiryRow } from '../db/schema.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { reopenInquiry } from './follow-through.workflow.js';
import { createNotices } from './staff-notices.workflow.js';

/** No answer this long after the question: `no_reply`. */
export const SOLVED_NO_REPLY_AFTER_MS = 7 * 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const BATCH = 200;

/** The words of the question, in the city's language (the bot's catalog provides them). */
export interface SolvedQuestionTexts {
  question: string;
  yes: string;
  no: string;
}

const PAYLOAD_RE = /^SOLVED:(\d{1,15}):(YES|NO)$/;

/** The quick replies offered with the question about `inquiryId`. */
export function solvedQuickReplies(inquiryId: number, texts: Pick<SolvedQuestionTexts, 'yes' | 'no'>): QuickReply[] {
  return [
    { title: texts.yes, payload: `SOLVED:${inquiryId}:YES` },
    { title: texts.no, payload: `SOLVED:${inquiryId}:NO` },
  ];
}

/** The inquiry and answer a quick-reply payload stands for, if it is one of ours. */
export function parseSolvedPayload(payload: string | undefined): { inquiryId: number; answer: 'yes' | 'no' } | undefined {
  const m = payload === undefined ? null : PAYLOAD_RE.exec(payload);
  if (!m) return undefined;
  return { inquiryId: Number(m[1]), answer: m[2] === 'YES' ? 'yes' : 'no' };
}

/** Why the question cannot be asked of this inquiry now, or undefined when it can. */
export function whyNotAsked(inquiry: Pick<InquiryRow, 'platform' | 'kind' | 'postedAt' | 'lastCitizenAt'>, privatelyAnswered: boolean, now: Date): string | undefined {
  if (inquiry.platform !== 'facebook') return `no private question on ${inquiry.platform}`;
  if (inquiry.kind === 'comment') {
    if (privatelyAnswered) return 'the comment already had its one private reply';
    if (now.getTime() - inquiry.postedAt.getTime() > 7 * DAY_MS) return 'a private reply to a comment is possible for 7 days only';
    return undefined;
  }
  if (inquiry.kind === 'message') {
    if (now.getTime() - inquiry.lastCitizenAt.getTime() > DAY_MS) return 'outside the 24 h Messenger window (the human-agent tag is not for surveys)';
    return undefined;
  }
  return `no private question for a ${inquiry.kind}`;
}

export interface AskResult {
  /** Questions created, to queue for `reply.deliver` after the commit. */
  replyIds: number[];
  notAsked: number;
  noReply: number;
}

/**
 * Inside the reminders transaction: creates the questions due at `now`, and
 * records `no_reply` for questions unanswered for a week.
 */
export async function askIfSolved(trx: Transaction<Database>, config: Pick<Config, 'followThrough'>, texts: SolvedQuestionTexts, now: Date): Promise<AskResult> {
  const out: AskResult = { replyIds: [], notAsked: 0, noReply: 0 };
  if (config.followThrough.askIfSolved) {
    const due = await findToAskIfSolved(trx, new Date(now.getTime() - config.followThrough.askIfSolvedAfterMinutes * 60_000), BATCH);
    for (const candidate of due) {
      const inquiry = await lockInquiry(trx, candidate.id);
      if (!inquiry || inquiry.status !== 'closed' || inquiry.solvedAskedAt) continue;
      // One reply in flight per inquiry: a correction on its way goes first; asked at a later run.
      if (await findPendingReplyOfInquiry(trx, inquiry.id)) continue;
      const why = whyNotAsked(inquiry, await hasSentPrivateReply(trx, inquiry.id), now);
      if (why) {
        await insertEvent(trx, { type: 'solved_not_asked', inquiryId: inquiry.id, actorKind: 'system', occurredAt: now, payload: { reason: why } });
        out.notAsked++;
        continue;
      }
      const reply = await insertReply(trx, { inquiryId: inquiry.id, staffId: null, visibility: 'private', kind: 'solved_question', text: texts.question, createdAt: now, updatedAt: now });
      await insertEvent(trx, { type: 'solved_question_created', inquiryId: inquiry.id, actorKind: 'system', occurredAt: now, payload: { replyId: reply.id } });
      out.replyIds.push(reply.id);
    }
  }
  for (const asked of await findSolvedUnanswered(trx, new Date(now.getTime() - SOLVED_NO_REPLY_AFTER_MS), BATCH)) {
    await updateInquiry(trx, asked.id, { solvedAnswer: 'no_reply', solvedAnsweredAt: now });
    await insertEvent(trx, { type: 'solved_answered', inquiryId: asked.id, actorKind: 'system', occurredAt: now, payload: { answer: 'no_reply' } });
    out.noReply++;
  }
  return out;
}

/**
 * The citizen answered the question about `inquiryId` (a quick reply):
 * recorded once (a second tap, or a tap after `no_reply`, changes nothing
 * but an event); "no" reopens the inquiry and tells its last handler, "yes"
 * tells them too. Returns the notices to send after the commit and whether
 * the inquiry changed (its card to refresh).
 */
export async function recordSolvedAnswer(
  trx: Transaction<Database>,
  input: { inquiryId: number; answer: 'yes' | 'no'; at: Date; externalId: string },
): Promise<{ noticeIds: number[]; changed: boolean }> {
  const inquiry = await lockInquiry(trx, input.inquiryId);
  if (!inquiry || !inquiry.solvedAskedAt || (inquiry.solvedAnswer !== null && inquiry.solvedAnswer !== 'no_reply')) {
    if (inquiry) {
      await insertEvent(trx, { type: 'solved_answer_ignored', inquiryId: inquiry.id, actorKind: 'citizen', occurredAt: input.at, payload: { answer: input.answer, externalId: input.externalId } });
    }
    return { noticeIds: [], changed: false };
  }
  await updateInquiry(trx, inquiry.id, { solvedAnswer: input.answer, solvedAnsweredAt: input.at });
  await insertEvent(trx, { type: 'solved_answered', inquiryId: inquiry.id, actorKind: 'citizen', occurredAt: input.at, payload: { answer: input.answer, externalId: input.externalId } });
  if (input.answer === 'no') {
    const noticeIds = await reopenInquiry(trx, inquiry, 'not_solved', input.at, { externalId: input.externalId });
    return { noticeIds, changed: true };
  }
  const handler = await findLastHandler(trx, inquiry);
  const noticeIds = handler
    ? await createNotices(trx, [{ key: `solved-${inquiry.id}`, kind: 'solved.answer', chatId: handler.telegramUserId, inquiryId: inquiry.id, payload: { solved: true } }])
    : [];
  return { noticeIds, changed: true };
}
