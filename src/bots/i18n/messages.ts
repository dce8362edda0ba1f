/**
 * The shape of a message catalog: every text the bot shows, in one
 * language. Texts are Telegram HTML; every argument that comes from outside
 * (names, citizen and staff texts, reasons) is passed raw and escaped by the
 * catalog, so a caller cannot forget it.
 */
import type { StaffRole } from '../../db/schema.js';
import type { DismissReason, InquiryKind, Platform } from '../../domain/inquiry.js';
import type { AnswerKind, ReplyVisibility } from '../../domain/reply.js';

export type { DismissReason };

/** A duration already formatted for the reader's language ("1 ժ 12 ր"). */
export type DurationText = string;
/** A local time already formatted ("28.11 14:05"). */
export type TimeText = string;

export interface Messages {
  /** The language's own name, for /lang. */
  languageName: string;

  // ---- names of things --------------------------------------------------
  platform(platform: Platform): string;
  kind(kind: InquiryKind): string;
  role(role: StaffRole): string;
  dismissReason(reason: DismissReason | string): string;
  visibility(visibility: ReplyVisibility, platform: Platform): string;

  // ---- card ---------------------------------------------------------------
  cardTitle(id: number, platform: Platform, kind: InquiryKind): string;
  cardAuthor(name: string | null, at: TimeText): string;
  cardPost(url: string | null): string;
  cardConversation: string;
  cardFollowUp(at: TimeText): string;
  cardWholeText: string;
  cardPrevious(previousId: number): string;
  cardSector(name: string, suggested: boolean): string;
  cardNoSector: string;
  cardOpenOn(platform: Platform): string;
  /** Under a Telegram channel comment: bots are not told when a comment is deleted. */
  cardNoDeletions: string;
  /** A mention whose text is still being read from the platform (its webhook gives only ids). */
  cardDetailsPending(platform: Platform): string;
  /** A card whose text turned out to be only thanks or emoji (a mention read after its card was sent): counted as a reaction. */
  cardReaction: string;
  /** A mention whose text could not be read; `reason` is escaped HTML. */
  cardDetailsUnreadable(platform: Platform, reason: string): string;
  stateClaimed(name: string, at: TimeText): string;
  stateSending(name: string): string;
  stateAwaitingApproval(name: string): string;
  stateAnswered(name: string, took: DurationText, how: string): string;
  stateAnsweredNative(platform: Platform, took: DurationText): string;
  stateDismissed(name: string | null, reason: string): string;
  stateFailed(reason: string): string;
  stateClosed: string;
  viewAnswer: string;

  // ---- buttons ------------------------------------------------------------
  btnClaim: string;
  btnRelease: string;
  btnAnswer: string;
  btnDismiss: string;
  /** Instagram comments, supervisors: hide the comment from the public. */
  btnHideComment: string;
  toastCommentHidden(id: number): string;
  toastCommentNotHidden(id: number, why: string): string;
  btnSector: string;
  btnReassign: string;
  btnRetry: string;
  btnBack: string;
  btnPublishPublic: string;
  btnPublishPrivate: string;
  btnSendMessage: string;
  btnSubmitPublic: string;
  btnSubmitPrivate: string;
  btnCancel: string;
  btnApprove: string;
  btnSendBack: string;
  btnWriteAgain: string;
  btnApproveAs(role: StaffRole): string;
  btnReject: string;
  btnMakeCard(id: number): string;
  btnDismissAll: string;
  btnOpenCard: string;

  // ---- answers to button presses (plain text, at most 200 characters) ----
  toastClaimed(id: number): string;
  toastAlreadyYours: string;
  toastTakenBy(name: string): string;
  /** Another answer is in flight, by `name`: being sent, or awaiting approval. */
  toastAnsweringBy(name: string, awaitingApproval: boolean): string;
  /** The person's own answer is in flight. */
  toastAnsweringYours(awaitingApproval: boolean): string;
  /** Another answer is in flight, its author unknown. */
  toastAnsweringSomeone(awaitingApproval: boolean): string;
  /** An answer of `length` characters where at most `max` fit. */
  toastTooLong(length: number, max: number): string;
  toastNotOpen: string;
  toastReleased(id: number): string;
  toastNotYours: string;
  toastDismissed(id: number, reason: string): string;
  toastSectorSet(name: string): string;
  toastReassigned(id: number, name: string): string;
  toastNotAllowed: string;
  toastNotStaff: string;
  toastStale: string;
  toastOpenPrivateChat: string;
  toastPromptSent: string;
  toastDone: string;
  toastRetrying: string;
  toastLanguageSet: string;
  toastError: string;

  // ---- menus --------------------------------------------------------------
  chooseSector(id: number): string;
  chooseDismissReason(id: number): string;
  chooseAssignee(id: number): string;
  noAssignees: string;

  // ---- answering ------------------------------------------------------------
  answerPrompt(id: number, excerpt: string): string;
  /** `ask`: end with the question (false when nothing can be published as it is). */
  previewPublic(id: number, platform: Platform, kind: InquiryKind, text: string, canPrivate: boolean, ask?: boolean): string;
  previewMessage(id: number, platform: Platform, text: string, ask?: boolean): string;
  /** The answer's length in characters, with the limit of each way it can be published that has one. */
  previewLength(length: number, limits: Partial<Record<ReplyVisibility, number>>): string;
  /** Too long for any way of publishing it: `over` characters too many. */
  previewTooLong(over: number): string;
  /** Too long for a private message (at most `max`), short enough to publish publicly. */
  previewTooLongPrivate(max: number): string;
  previewNeedsApproval: string;
  /**
   * The platform would refuse this way of publishing now (a closed message
   * window, a private reply too late): `reason` is the refusal in the
   * reader's language; `visibility` names the way when there is another.
   */
  previewRefused(visibility: 'public' | 'private' | undefined, reason: string): string;
  previewTruncated: string;
  draftSending: string;
  draftSubmitted: string;
  draftCancelled: string;
  draftStale: string;
  answerEmpty: string;
  approvalRequest(id: number, author: string, text: string): string;
  approvalDecided(approved: boolean, by: string): string;
  approved(id: number, by: string): string;
  sendBackPrompt(id: number): string;
  returned(id: number, by: string, comment: string): string;
  returnedDone: string;
  replyPublished(id: number, platform: Platform): string;
  replyFailed(id: number, reason: string): string;

  // ---- reminders -------------------------------------------------------------
  remindUnclaimed(id: number, waited: DurationText): string;
  remindClaimed(id: number, waited: DurationText): string;
  escalation(id: number, target: DurationText, claimant: string | null): string;

  // ---- follow-through: interim and final answers, reopening (issue 18) ------
  /** The preview's line on what the answer will do (`closed`: the inquiry already has its final answer). */
  previewKind(kind: AnswerKind, closed: boolean): string;
  /** A button that makes the draft of this kind. */
  btnAnswerKind(kind: AnswerKind, closed: boolean): string;
  /** On a card answered only with an interim answer: the final answer is due `due`. */
  stateInterim(due: TimeText | null): string;
  /** On a card reopened (`count` times). */
  stateReopened(count: number): string;
  /** The resolution target passed with no final answer (to the last handler and the supervisors). */
  resolutionOverdue(id: number, target: DurationText, handler: string | null): string;
  /** To the last handler: the inquiry was reopened, because the citizen wrote again or said it was not solved. */
  reopened(id: number, why: 'follow_up' | 'not_solved'): string;
  /** The citizen's answer to "was it solved?" (to the last handler). */
  solvedAnswered(id: number, solved: boolean): string;
  /** Asked of the citizen privately (ASK_IF_SOLVED); the buttons are `solvedYes` / `solvedNo`. */
  solvedQuestion: string;
  solvedYes: string;
  solvedNo: string;

  // ---- lists -------------------------------------------------------------------
  queueTitle(count: number): string;
  queueEmpty: string;
  mineTitle(count: number): string;
  mineEmpty: string;
  findTitle(query: string, count: number): string;
  findEmpty(query: string): string;
  findUsage: string;
  listMore(count: number): string;
  listClaimedBy(name: string): string;
  /** The heading of the inquiries answered with an interim answer and waiting for the final one. */
  awaitingFinalTitle(count: number): string;
  listAnsweredBy(name: string): string;
  listStatus(status: string): string;
  fullTitle(id: number): string;

  // ---- people ----------------------------------------------------------------
  startStaff(name: string, role: StaffRole): string;
  accessRequested: string;
  accessPending: string;
  accessRejectedBefore: string;
  accessRequest(name: string, username: string | null, telegramUserId: number): string;
  accessApproved(role: StaffRole): string;
  accessRejected: string;
  accessDecided(name: string, role: StaffRole | null, by: string): string;
  reassignedToYou(id: number, by: string): string;
  staffTitle(count: number): string;
  staffLine(name: string, username: string | null, role: StaffRole, active: boolean): string;
  notStaff: string;
  notAllowed: string;

  // ---- help, language, alerts, summaries --------------------------------------
  help(role: StaffRole, reports: boolean): string;
  chooseLanguage: string;
  languageSet: string;
  adminAlert(message: string): string;
  /** To the admins: the bot can no longer write into the staff group (`reason`: what Telegram said, in English). */
  staffGroupRemoved(reason: string): string;
  /** To the admins: the bot is in the staff group again. */
  staffGroupBack: string;
  lowPrioritySummary(count: number): string;
  lowPriorityItem(id: number, author: string | null, text: string): string;
  lowPriorityDismissedAll(by: string): string;
  lowPriorityMadeCard(id: number): string;
  errorGeneric: string;
  /** Descriptions of the command menu (setMyCommands), plain text. */
  commands: { queue: string; mine: string; find: string; help: string; lang: string; report: string; stats: string; staff: string; log: string; remark: string; year: string };

  // ---- dates and durations -------------------------------------------------------
  /** Parts of a duration: days, hours, minutes, and "less than a minute" (Telegram HTML: `&lt;1 ր`). */
  units: { d: string; h: string; m: string; lessThanMinute: string };
}
