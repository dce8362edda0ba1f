import type { Kysely } from 'kysely';
import type { Database, InquiryRow, ReplyStatus, ReplyVisibility } from '../schema.js';
import { findInquiryMessages } from './inquiry.repository.js';

type Executor = Kysely<Database>;

/** A sector's code and its name in each language. */
export interface SectorNames {
  code: string;
  hy: string;
  en: string;
  ru: string;
}

/** Everything a card shows, as of now. */
export interface CardView {
  inquiry: InquiryRow;
  /** The name of the inquiry's source (the Page, the channel…), when it has one. */
  sourceName: string | null;
  /** Every citizen message of the inquiry, oldest first (the first is the inquiry's own text). */
  messages: Array<{ text: string; postedAt: Date }>;
  claimant: { id: number; name: string } | undefined;
  answerer: { id: number; name: string } | undefined;
  /** Who dismissed it (null: the system, e.g. the citizen removed it). */
  dismissedBy: string | null;
  sector: SectorNames | undefined;
  suggestedSector: SectorNames | undefined;
  /** The newest reply written through us. */
  latestReply:
    | {
        id: number;
        status: ReplyStatus;
        visibility: ReplyVisibility;
        /** Why it failed, in English; `failure`: as a code and parameters (unchecked, null on older rows). */
        failureReason: string | null;
        failure?: unknown;
        authorName: string | null;
        sentAt: Date | null;
      }
    | undefined;
  /** An answer waiting for a supervisor. */
  awaitingApproval: { authorName: string } | undefined;
}

const person = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, name } : undefined);

const sector = (code: string | null, hy: string | null, en: string | null, ru: string | null): SectorNames | undefined =>
  code !== null && hy !== null && en !== null && ru !== null ? { code, hy, en, ru } : undefined;

/** What the card of an inquiry shows, read now; undefined when there is no such inquiry. */
export async function findCardView(db: Executor, inquiryId: number): Promise<CardView | undefined> {
  // The inquiry with the names of its claimant, answerer and sectors, in one query.
  const row = await db
    .selectFrom('inquiries')
    .leftJoin('staff as claimant', 'claimant.id', 'inquiries.claimedBy')
    .leftJoin('staff as answerer', 'answerer.id', 'inquiries.answeredBy')
    .leftJoin('sectors as sector', 'sector.code', 'inquiries.sectorCode')
    .leftJoin('sectors as suggested', 'suggested.code', 'inquiries.suggestedSectorCode')
    .leftJoin('sources as source', 'source.id', 'inquiries.sourceId')
    .selectAll('inquiries')
    .select([
      'source.name as sourceName',
      'claimant.id as claimantId',
      'claimant.name as claimantName',
      'answerer.id as answererId',
      'answerer.name as answererName',
      'sector.code as sectorFoundCode',
      'sector.nameHy as sectorHy',
      'sector.nameEn as sectorEn',
      'sector.nameRu as sectorRu',
      'suggested.code as suggestedFoundCode',
      'suggested.nameHy as suggestedHy',
      'suggested.nameEn as suggestedEn',
      'suggested.nameRu as suggestedRu',
    ])
    .where('inquiries.id', '=', inquiryId)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    claimantId,
    claimantName,
    answererId,
    answererName,
    sectorFoundCode,
    sectorHy,
    sectorEn,
    sectorRu,
    suggestedFoundCode,
    suggestedHy,
    suggestedEn,
    suggestedRu,
    sourceName,
    ...inquiry
  } = row;
  const messages = await findInquiryMessages(db, inquiryId);
  const reply = await db
    .selectFrom('replies')
    .leftJoin('staff', 'staff.id', 'replies.staffId')
    .select(['replies.id', 'replies.status', 'replies.visibility', 'replies.failureReason', 'replies.failure', 'replies.sentAt', 'staff.name as authorName'])
    .where('replies.inquiryId', '=', inquiryId)
    // The service's own question "was it solved?" is not staff's answer (ASK_IF_SOLVED).
    .where('replies.kind', '<>', 'solved_question')
    .orderBy('replies.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let dismissedBy: string | null = null;
  if (inquiry.status === 'dismissed') {
    const event = await db
      .selectFrom('events')
      .leftJoin('staff', 'staff.id', 'events.actorStaffId')
      .select('staff.name')
      .where('events.inquiryId', '=', inquiryId)
      .where('events.type', '=', 'dismissed')
      .orderBy('events.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    dismissedBy = event?.name ?? null;
  }
  const waiting = await db
    .selectFrom('replyDrafts')
    .innerJoin('staff', 'staff.id', 'replyDrafts.staffId')
    .select('staff.name')
    .where('replyDrafts.inquiryId', '=', inquiryId)
    .where('replyDrafts.status', '=', 'awaiting_approval')
    .orderBy('replyDrafts.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    inquiry,
    sourceName: sourceName ?? null,
    messages: messages.length > 0 ? messages : [{ text: inquiry.text, postedAt: inquiry.postedAt }],
    claimant: person(claimantId, claimantName),
    answerer: person(answererId, answererName),
    dismissedBy,
    sector: sector(sectorFoundCode, sectorHy, sectorEn, sectorRu),
    suggestedSector: sector(suggestedFoundCode, suggestedHy, suggestedEn, suggestedRu),
    latestReply: reply ? { ...reply, authorName: reply.authorName ?? null } : undefined,
    awaitingApproval: waiting ? { authorName: waiting.name } : undefined,
  };
}
