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
  new: ['claimed', 'answered', 'dismissed'],
  claimed: ['new', 'answered', 'dismissed', 'claimed'],
  answered: ['closed'],
  dismissed: [],
  closed: [],
};

export function canTransition(from: InquiryStatus, to: InquiryStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Open inquiries are the ones staff still owe an answer. */
export function isOpen(status: InquiryStatus): boolean {
  return status === 'new' || status === 'claimed';
}

export const DISMISS_REASONS = ['not_inquiry', 'spam', 'duplicate', 'handled_offline', 'removed'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** A citizen's comment or message, as a connector normalised it. */
export interface CitizenItem {
  type: 'citizen_item';
  platform: Platform;
  kind: InquiryKind;
  /** Platform id of the comment or message. */
  externalId: string;
  /** Post id for comments, conversation id for messages. */
  threadId: string | null;
  /** Parent comment id when this is a reply to a comment. */
  parentId: string | null;
  authorId: string | null;
  authorName: string | null;
  text: string;
  permalink: string | null;
  postedAt: Date;
}

/** The citizen edited an item already stored. */
export interface CitizenItemEdited {
  type: 'citizen_item_edited';
  platform: Platform;
  externalId: string;
  text: string;
  editedAt: Date;
}

/** The citizen (or Facebook) removed an item. */
export interface CitizenItemRemoved {
  type: 'citizen_item_removed';
  platform: Platform;
  externalId: string;
  removedAt: Date;
}

/** The page answered on the platform itself (a native answer). */
export interface PageAnswer {
  type: 'page_answer';
  platform: Platform;
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
}

/** The page published a post of its own: counted, never an inquiry. */
export interface PagePost {
  type: 'page_post';
  platform: Platform;
  externalId: string;
  postedAt: Date;
}

export type InboundItem = CitizenItem | CitizenItemEdited | CitizenItemRemoved | PageAnswer | PagePost;
