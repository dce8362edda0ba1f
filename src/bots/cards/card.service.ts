/**
 * Cards in the staff group: the `telegram_cards` row that makes a card
 * unique, and low-priority items that become cards. The row is locked while
 * a card is sent or edited, so two workers never send the same card and
 * edits of one inquiry apply in order. What a card shows is read by
 * `findCardView` (db/repositories/card-view.repository.ts).
 */
import type { Transaction } from 'kysely';
import type { Db } from '../../db/create-db.js';
import { insertEvent } from '../../db/repositories/event.repository.js';
import { findInquiryMessages, lockInquiry, updateInquiry } from '../../db/repositories/inquiry.repository.js';
import { findSummaryItems, findUnsummarisedLowPriorityIds, lockLowPrioritySummaries, type SummaryItem } from '../../db/repositories/low-priority.repository.js';
import { insertCard, lockCard, updateCardSent } from '../../db/repositories/telegram-card.repository.js';
import type { Database, TelegramCardRow } from '../../db/schema.js';
import { isOpen } from '../../domain/inquiry.js';
import { isLowPriorityText } from '../../domain/sectors.js';

// Plain queries, kept under the names the bot's features import.
export { findCardByMessage } from '../../db/repositories/telegram-card.repository.js';
export { findOpenInquiriesAmong as openInquiriesAmong } from '../../db/repositories/low-priority.repository.js';

/**
 * Runs `fn` with the card row of an inquiry locked (created first when
 * `create`), inside one transaction. Telegram is called inside it: a second
 * worker with the same card waits here, then sees what the first recorded.
 */
export async function withCardLock<T>(
  db: Db,
  inquiryId: number,
  options: { chatId: number; create: boolean },
  fn: (trx: Transaction<Database>, card: TelegramCardRow | undefined) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (options.create) await insertCard(trx, { inquiryId, chatId: options.chatId });
    return fn(trx, await lockCard(trx, inquiryId));
  });
}

/**
 * A card whose buttons a menu replaced (sector, dismiss reason, reassign)
 * keeps what it showed behind a mark: a refresh that would render the same
 * card leaves the open menu alone, one that renders something new (the
 * inquiry changed) replaces the stale menu. After an action from the menu the
 * hash is cleared, so the card gets its buttons back.
 */
export const MENU_MARK = 'menu:';
export function menuOpenHash(shown: string | null): string {
  // A second menu over the first (two people, a double tap) keeps the card's own hash.
  const card = shown?.startsWith(MENU_MARK) ? shown.slice(MENU_MARK.length) : shown;
  return `${MENU_MARK}${card ?? ''}`;
}

/** Whether the card in the group already shows this rendering (or a menu over it). */
export function cardShows(stored: string | null, rendered: string): boolean {
  return stored === rendered || stored === menuOpenHash(rendered);
}

/** Records the message Telegram accepted as the card. */
export async function recordCardSent(trx: Db, card: { inquiryId: number; chatId: number }, messageId: number, renderedHash: string, at: Date): Promise<void> {
  await updateCardSent(trx, card.inquiryId, { chatId: card.chatId, messageId, renderedHash, sentAt: at });
  await insertEvent(trx, { type: 'card_sent', inquiryId: card.inquiryId, actorKind: 'system', occurredAt: at, payload: { chatId: card.chatId, messageId } });
}

/**
 * A low-priority inquiry (only emoji, thanks) whose citizen then wrote
 * something substantial gets a card of its own: returns true when it was
 * promoted (the caller enqueues `card.send`).
 */
export async function promoteIfSubstantial(db: Db, inquiryId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const inquiry = await lockInquiry(trx, inquiryId);
    if (!inquiry || !inquiry.lowPriority || !isOpen(inquiry.status)) return false;
    const messages = await findInquiryMessages(trx, inquiryId);
    if (!messages.some((m) => !isLowPriorityText(m.text))) return false;
    await updateInquiry(trx, inquiryId, { lowPriority: false });
    await insertEvent(trx, { type: 'promoted', inquiryId, actorKind: 'system', occurredAt: now, payload: { why: 'substantial follow-up' } });
    return true;
  });
}

/** A staff member turns a low-priority item into a card of its own. */
export async function makeCard(db: Db, inquiryId: number, staffId: number, now: Date): Promise<'promoted' | 'already' | 'closed' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const inquiry = await lockInquiry(trx, inquiryId);
    if (!inquiry) return 'missing';
    if (!isOpen(inquiry.status)) return 'closed';
    if (!inquiry.lowPriority) return 'already';
    await updateInquiry(trx, inquiryId, { lowPriority: false });
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
    await lockLowPrioritySummaries(trx);
    const ids = await findUnsummarisedLowPriorityIds(trx, limit);
    if (ids.length === 0) return { noticeId: undefined, inquiryIds: [] };
    const noticeId = await createNotice(trx, ids);
    for (const id of ids) await insertEvent(trx, { type: 'summarized', inquiryId: id, actorKind: 'system', occurredAt: now, payload: { noticeId } });
    return { noticeId, inquiryIds: ids };
  });
}

/** The items of a low-priority summary (`inquiryIds` of its payload), as they are now. */
export async function loadSummaryItems(db: Db, ids: unknown): Promise<SummaryItem[]> {
  const list = Array.isArray(ids) ? ids.filter((v): v is number => typeof v === 'number') : [];
  return findSummaryItems(db, list);
}
