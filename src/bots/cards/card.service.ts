/**
 * Cards in the staff group: what a card shows (loaded from Postgres, so it is
 * always the current state), and the `telegram_cards` row that makes a card
 * unique. The row is locked while a card is sent or edited, so two workers
 * never send the same card and edits of one inquiry apply in order.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/create-db.js';
import { insertEvent } from '../../db/repositories/event.repository.js';
import type { InquiryRow, ReplyStatus, ReplyVisibility, TelegramCardRow } from '../../db/schema.js';
import { isOpen } from '../../domain/inquiry.js';
import { isLowPriorityText } from '../../domain/sectors.js';

export interface SectorNames {
  code: string;
  hy: string;
  en: string;
  ru: string;
}

/** Everything a card shows, as of now. */
export interface CardView {
  inquiry: InquiryRow;
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
    | { id: number; status: ReplyStatus; visibility: ReplyVisibility; failureReason: string | null; authorName: string | null; sentAt: Date | null }
    | undefined;
  /** An answer waiting for a supervisor. */
  awaitingApproval: { authorName: string } | undefined;
}

async function sectorNames(db: Db, code: string | null): Promise<SectorNames | undefined> {
  if (!code) return undefined;
  const s = await db.selectFrom('sectors').select(['code', 'nameHy', 'nameEn', 'nameRu']).where('code', '=', code).executeTakeFirst();
  return s ? { code: s.code, hy: s.nameHy, en: s.nameEn, ru: s.nameRu } : undefined;
}

async function staffName(db: Db, id: number | null): Promise<{ id: number; name: string } | undefined> {
  if (id === null) return undefined;
  const row = await db.selectFrom('staff').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return row ?? undefined;
}

export async function loadCardView(db: Db, inquiryId: number): Promise<CardView | undefined> {
  const inquiry = await db.selectFrom('inquiries').selectAll().where('id', '=', inquiryId).executeTakeFirst();
  if (!inquiry) return undefined;
  const messages = await db
    .selectFrom('inquiryMessages')
    .select(['text', 'postedAt'])
    .where('inquiryId', '=', inquiryId)
    .orderBy('postedAt')
    .orderBy('id')
    .execute();
  const reply = await db
    .selectFrom('replies')
    .leftJoin('staff', 'staff.id', 'replies.staffId')
    .select(['replies.id', 'replies.status', 'replies.visibility', 'replies.failureReason', 'replies.sentAt', 'staff.name as authorName'])
    .where('replies.inquiryId', '=', inquiryId)
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
    messages: messages.length > 0 ? messages : [{ text: inquiry.text, postedAt: inquiry.postedAt }],
    claimant: await staffName(db, inquiry.claimedBy),
    answerer: await staffName(db, inquiry.answeredBy),
    dismissedBy,
    sector: await sectorNames(db, inquiry.sectorCode),
    suggestedSector: await sectorNames(db, inquiry.suggestedSectorCode),
    latestReply: reply ? { ...reply, authorName: reply.authorName ?? null } : undefined,
    awaitingApproval: waiting ? { authorName: waiting.name } : undefined,
  };
}

/**
 * Runs `fn` with the card row of an inquiry locked (created first when
 * `create`), inside one transaction. Telegram is called inside it: a second
 * worker with the same card waits here, then sees what the first recorded.
 */
export async function withCardLock<T>(
  db: Db,
  inquiryId: number,
  options: { chatId: number; create: boolean },
  fn: (trx: Db, card: TelegramCardRow | undefined) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (options.create) {
      await trx.insertInto('telegramCards').values({ inquiryId, chatId: options.chatId }).onConflict((oc) => oc.column('inquiryId').doNothing()).execute();
    }
    const card = await trx.selectFrom('telegramCards').selectAll().where('inquiryId', '=', inquiryId).forUpdate().executeTakeFirst();
    return fn(trx, card);
  });
}

/** Records the message Telegram accepted as the card. */
export async function recordCardSent(trx: Db, card: { inquiryId: number; chatId: number }, messageId: number, renderedHash: string, at: Date): Promise<void> {
  await trx
    .updateTable('telegramCards')
    .set({ chatId: card.chatId, messageId, renderedHash, sentAt: at, updatedAt: sql<Date>`now()` })
    .where('inquiryId', '=', card.inquiryId)
    .execute();
  await insertEvent(trx, { type: 'card_sent', inquiryId: card.inquiryId, actorKind: 'system', occurredAt: at, payload: { chatId: card.chatId, messageId } });
}

export async function recordCardRendered(trx: Db, inquiryId: number, renderedHash: string | null): Promise<void> {
  await trx.updateTable('telegramCards').set({ renderedHash, updatedAt: sql<Date>`now()` }).where('inquiryId', '=', inquiryId).execute();
}

/** The card shown as `messageId` in `chatId`, if that message is a card. */
export async function findCardByMessage(db: Db, chatId: number, messageId: number): Promise<TelegramCardRow | undefined> {
  return db.selectFrom('telegramCards').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}

export async function findCard(db: Db, inquiryId: number): Promise<TelegramCardRow | undefined> {
  return db.selectFrom('telegramCards').selectAll().where('inquiryId', '=', inquiryId).executeTakeFirst();
}

/** Cards of many inquiries at once (lists link to them). */
export async function findCards(db: Db, inquiryIds: number[]): Promise<Map<number, TelegramCardRow>> {
  if (inquiryIds.length === 0) return new Map();
  const rows = await db.selectFrom('telegramCards').selectAll().where('inquiryId', 'in', inquiryIds).execute();
  return new Map(rows.map((r) => [r.inquiryId, r]));
}

/**
 * A low-priority inquiry (only emoji, thanks) whose citizen then wrote
 * something substantial gets a card of its own: returns true when it was
 * promoted (the caller enqueues `card.send`).
 */
export async function promoteIfSubstantial(db: Db, inquiryId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inquiry = await trx.selectFrom('inquiries').selectAll().where('id', '=', inquiryId).forUpdate().executeTakeFirst();
    if (!inquiry || !inquiry.lowPriority || !isOpen(inquiry.status)) return false;
    const messages = await trx.selectFrom('inquiryMessages').select('text').where('inquiryId', '=', inquiryId).execute();
    if (!messages.some((m) => !isLowPriorityText(m.text))) return false;
    await trx.updateTable('inquiries').set({ lowPriority: false, updatedAt: sql<Date>`now()` }).where('id', '=', inquiryId).execute();
    await insertEvent(trx, { type: 'promoted', inquiryId, actorKind: 'system', occurredAt: now, payload: { why: 'substantial follow-up' } });
    return true;
  });
}

/** A staff member turns a low-priority item into a card of its own. */
export async function makeCard(db: Db, inquiryId: number, staffId: number, now: Date): Promise<'promoted' | 'already' | 'closed' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const inquiry = await trx.selectFrom('inquiries').selectAll().where('id', '=', inquiryId).forUpdate().executeTakeFirst();
    if (!inquiry) return 'missing';
    if (!isOpen(inquiry.status)) return 'closed';
    if (!inquiry.lowPriority) return 'already';
    await trx.updateTable('inquiries').set({ lowPriority: false, updatedAt: sql<Date>`now()` }).where('id', '=', inquiryId).execute();
    await insertEvent(trx, { type: 'promoted', inquiryId, actorKind: 'staff', actorStaffId: staffId, occurredAt: now, payload: { why: 'staff' } });
    return 'promoted';
  });
}

/**
 * Low-priority open inquiries not yet put in a summary, oldest first, and
 * marks them as summarised by `noticeId` (one `summarized` event each), in
 * one transaction serialised across instances.
 */
export async function takeUnsummarisedLowPriority(
  db: Db,
  limit: number,
  now: Date,
  createNotice: (trx: Db, inquiryIds: number[]) => Promise<number | undefined>,
): Promise<{ noticeId: number | undefined; inquiryIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended('ardzagank:low-priority-summary', 0))`.execute(trx);
    const rows = await trx
      .selectFrom('inquiries')
      .select('id')
      .where('lowPriority', '=', true)
      .where('status', 'in', ['new', 'claimed'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('events')
              .select('events.id')
              .whereRef('events.inquiryId', '=', 'inquiries.id')
              .where('events.type', '=', 'summarized'),
          ),
        ),
      )
      .orderBy('postedAt')
      .orderBy('id')
      .limit(limit)
      .execute();
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return { noticeId: undefined, inquiryIds: [] };
    const noticeId = await createNotice(trx, ids);
    for (const id of ids) await insertEvent(trx, { type: 'summarized', inquiryId: id, actorKind: 'system', occurredAt: now, payload: { noticeId } });
    return { noticeId, inquiryIds: ids };
  });
}

/** Open low-priority inquiries of a summary, for "dismiss all". */
export async function openInquiriesAmong(db: Db, ids: number[]): Promise<InquiryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('inquiries').selectAll().where('id', 'in', ids).where('status', 'in', ['new', 'claimed']).orderBy('id').execute();
}

/** An item of a low-priority summary, as it is now. */
export interface SummaryItemRow {
  id: number;
  authorName: string | null;
  text: string;
  state: 'waiting' | 'card' | 'closed';
}

/** The items of a low-priority summary (`inquiryIds` of its payload), as they are now. */
export async function loadSummaryItems(db: Db, ids: unknown): Promise<SummaryItemRow[]> {
  const list = Array.isArray(ids) ? ids.filter((v): v is number => typeof v === 'number') : [];
  if (list.length === 0) return [];
  const rows = await db.selectFrom('inquiries').select(['id', 'authorName', 'text', 'status', 'lowPriority']).where('id', 'in', list).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, authorName: r.authorName, text: r.text, state: !isOpen(r.status) ? 'closed' : r.lowPriority ? 'waiting' : 'card' }));
}
