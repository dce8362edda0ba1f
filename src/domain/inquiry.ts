/**
 * Inquiry states and the items connectors hand to the ingest step.
 * Pure: no I/O, nothing from the app.
 */

/** Where a citizen wrote. */
export type Platform = 'facebook' | 'instagram' | 'telegram';

/** A comment under a post, a private message, or a mention of the page. */
export type InquiryKind = 'comment' | 'message' | 'mention';

/** Where an inquiry is in its life; see {@link canTransition}. */
export type InquiryStatus = 'new' | 'claimed' | 'answered' | 'dismissed' | 'closed';

/** How an inquiry was answered: from Telegram through Ardzagank, or by the page on the platform itself. */
export type AnsweredVia = 'telegram' | 'native';

/** Allowed status changes (DESIGN.md, Domain). */
const TRANSITIONS: Record<InquiryStatus, readonly InquiryStatus[]> = {
  new: ['claimed', 'answered', 'dismissed', 'closed'],
  claimed: ['new', 'answered', 'dismissed', 'claimed', 'closed'],
  // An interim answer leaves it answered and open for the final one, which closes it.
  answered: ['closed'],
  dismissed: [],
  // A citizen's follow-up within FOLLOW_UP_WINDOW, or "not solved", reopens it (answered: awaiting a final answer again).
  closed: ['answered'],
};

export function canTransition(from: InquiryStatus, to: InquiryStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Open inquiries are the ones staff still owe an answer. */
export function isOpen(status: InquiryStatus): boolean {
  return status === 'new' || status === 'claimed';
}

/**
 * Open on the resolution clock: no final answer yet (new, claimed, or
 * answered with an interim answer, or reopened).
 */
export function awaitsFinalAnswer(status: InquiryStatus): boolean {
  return status === 'new' || status === 'claimed' || status === 'answered';
}

/**
 * What staff may publish to an inquiry in this state: a first answer
 * (final or interim) while nobody answered; another interim, the final or a
 * correction after an interim answer; a further answer or a correction
 * after the final one. Nothing to a dismissed inquiry.
 */
export function answerKindsFor(status: InquiryStatus): Array<'final' | 'interim' | 'correction'> {
  switch (status) {
    case 'new':
    case 'claimed':
      return ['final', 'interim'];
    case 'answered':
      return ['final', 'interim', 'correction'];
    case 'closed':
      return ['final', 'correction'];
    default:
      return [];
  }
}

export const DISMISS_REASONS = ['not_inquiry', 'spam', 'duplicate', 'handled_offline', 'removed'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** What a citizen attached to a comment or message. */
export type AttachmentKind = 'photo' | 'video' | 'audio' | 'file' | 'sticker' | 'link' | 'location' | 'other';

/** An attachment of a citizen item: its kind, and where the platform shows it (a link that may expire), when it gave one. */
export interface Attachment {
  kind: AttachmentKind;
  url: string | null;
}

/**
 * The text an item is stored and shown with: the citizen's words, then one
 * marker per attachment (`[photo]`, `[video]`…), so an item that is only a
 * picture reads as one (not as an empty, low-priority text) and the same item
 * reads the same whichever way it arrived (webhook or poll).
 */
export function itemText(text: string, attachments: readonly Attachment[]): string {
  if (attachments.length === 0) return text;
  return [text.trim() === '' ? '' : text, ...attachments.map((a) => `[${a.kind}]`)].filter((part) => part !== '').join(' ');
}

/** What every item says about where it was delivered. */
interface ItemBase {
  platform: Platform;
  /**
   * The platform account the item belongs to (a Facebook Page id): only the
   * accounts that are sources are taken in (DESIGN.md, Domain: source).
   */
  accountId: string;
}

/** A citizen's comment or message, as a connector normalised it. */
export interface CitizenItem extends ItemBase {
  type: 'citizen_item';
  kind: InquiryKind;
  /** Platform id of the comment or message. */
  externalId: string;
  /** Post id for comments, conversation id for messages. */
  threadId: string | null;
  /** Parent comment id when this is a reply to a comment. */
  parentId: string | null;
  authorId: string | null;
  authorName: string | null;
  /** The citizen's text with the markers of its attachments (see {@link itemText}). */
  text: string;
  attachments: Attachment[];
  permalink: string | null;
  postedAt: Date;
  /** The payload of a quick reply the citizen tapped (Messenger), when the item is one. */
  quickReplyPayload?: string;
  /** Likes on the platform when a poll read it (webhooks carry none); later polls update them. */
  likeCount?: number;
}

/** The citizen edited an item already stored. */
export interface CitizenItemEdited extends ItemBase {
  type: 'citizen_item_edited';
  externalId: string;
  text: string;
  editedAt: Date;
}

/** The citizen (or Facebook) removed an item. */
export interface CitizenItemRemoved extends ItemBase {
  type: 'citizen_item_removed';
  externalId: string;
  removedAt: Date;
}

/**
 * What the platform itself says about the app a page message was sent
 * through (Messenger echoes carry the sending app's `app_id`, and the
 * `metadata` that app passed to the Send API). A message typed by a person in
 * the platform's own inbox carries no such evidence.
 */
export interface SentByApp {
  appId: string | null;
  metadata?: string;
}

/** The page answered on the platform itself (a native answer, if a person wrote it). */
export interface PageAnswer extends ItemBase {
  type: 'page_answer';
  /** Platform id of the page's own comment or message. */
  externalId: string;
  /** The citizen item answered (parent comment id), when known. */
  inReplyToExternalId: string | null;
  /** The conversation or post it was made in. */
  threadId: string | null;
  /** For messages: the citizen the page wrote to. */
  recipientId: string | null;
  answeredAt: Date;
  /** The page's text, when the platform sent it (to recognise our own replies still being recorded). */
  text?: string;
  /** Set when the platform says an app sent it (a bot, an automated response): then it is not a person's answer. */
  sentByApp?: SentByApp;
}

/** The page published a post of its own: counted, never an inquiry. */
export interface PagePost extends ItemBase {
  type: 'page_post';
  externalId: string;
  postedAt: Date;
  /** What the platform calls the post (`status`, `photo`, `video`…), when it says. */
  postKind?: string;
}

/**
 * Someone's reactions to an item changed (Telegram tells each person's
 * change, not the total): whether they now react to it at all. The item's
 * likes are the people whose latest state is a reaction; `at`, then `order`
 * (Telegram's `update_id`), say which of one person's changes is the latest.
 */
export interface ReactionSet extends ItemBase {
  type: 'reaction_set';
  externalId: string;
  /** Who: a user id, or `chat:<id>` for a reaction on behalf of a chat. */
  actor: string;
  reacted: boolean;
  order: number;
  at: Date;
}

/**
 * Part of a payload that is kept (the raw payload stays stored) but not
 * taken in: something ingest does not take (`unsupported`: a reaction, a
 * read receipt, a postback…) or cannot read (`not_understood`: a field of a
 * type the platform does not document, a required field missing). The
 * other items of the payload go on; ingest records these with the inbound
 * event's id.
 */
export interface IgnoredItem {
  type: 'ignored_item';
  platform: Platform;
  /** The account, when the payload said which. */
  accountId?: string;
  reason: 'unsupported' | 'not_understood';
  /** What the part is, in the platform's words (`read`, `feed:reaction`…). */
  kind?: string;
  /** Where in the payload (`entry[0].messaging[2]`). */
  path: string;
  /** The platform id of the item, when it could be read. */
  externalId?: string;
  /** Why it could not be read (no citizen text: field names and types only). */
  detail?: string;
}

/** A part of a payload kept but not taken in, with what is known of it (fields left undefined are left out). */
export function ignoredItem(
  platform: IgnoredItem['platform'],
  path: string,
  reason: IgnoredItem['reason'],
  extra: Partial<Omit<IgnoredItem, 'type' | 'platform' | 'reason' | 'path'>> = {},
): IgnoredItem {
  const item: IgnoredItem = { type: 'ignored_item', platform, reason, path };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (item as unknown as Record<string, unknown>)[key] = value;
  return item;
}

export type InboundItem = CitizenItem | CitizenItemEdited | CitizenItemRemoved | PageAnswer | PagePost | ReactionSet | IgnoredItem;

/**
 * No person answers this soon after the citizen wrote: a page message sent
 * sooner is an automated response (an Instant Reply, an away message, an
 * answer to a frequently asked question, a comment auto-reply), whatever
 * app it was sent through. Meta's own automated responses are sent at once
 * (within a second or two); ten seconds leaves room for a slow platform.
 */
export const AUTOMATED_RESPONSE_WITHIN_MS = 10_000;

/** Why a page message is not counted as a person's answer. */
export type Automation =
  | { reason: 'sent_by_app'; appId: string | null; metadata?: string }
  | { reason: 'too_fast'; afterMs: number };

/**
 * Whether a page message is automated rather than written by a person (DESIGN.md:
 * automated page messages are not answers): the platform said an app sent it,
 * or it came within {@link AUTOMATED_RESPONSE_WITHIN_MS} of the citizen's
 * latest message before it (`citizenWroteAt`, when known).
 */
export function automationOf(answer: Pick<PageAnswer, 'answeredAt' | 'sentByApp'>, citizenWroteAt: Date | undefined): Automation | undefined {
  if (answer.sentByApp) return { reason: 'sent_by_app', appId: answer.sentByApp.appId, ...(answer.sentByApp.metadata === undefined ? {} : { metadata: answer.sentByApp.metadata }) };
  if (citizenWroteAt === undefined) return undefined;
  const afterMs = answer.answeredAt.getTime() - citizenWroteAt.getTime();
  return afterMs >= 0 && afterMs < AUTOMATED_RESPONSE_WITHIN_MS ? { reason: 'too_fast', afterMs } : undefined;
}
