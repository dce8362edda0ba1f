/**
 * Ingest: one raw inbound event (webhook or poll payload in `inbound_events`)
 * becomes inquiries, events and card jobs, exactly once however often and by
 * however many workers it is processed. The inbound row is locked for the
 * transaction and marked processed in it; card jobs are enqueued after the
 * commit with ids derived from the inquiry (and the reconciler covers a crash
 * between the commit and the enqueue).
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { lockInboundEvent, markInboundProcessed } from '../db/repositories/inbound-event.repository.js';
import {
  findInquiryByItemExternalId,
  findLatestInquiryInThread,
  findOpenInquiryInThread,
  insertInquiry,
  insertInquiryMessage,
  isItemKnown,
  updateInquiry,
} from '../db/repositories/inquiry.repository.js';
import type { InquiryRow, Platform } from '../db/schema.js';
import {
  isOpen,
  type CitizenItem,
  type CitizenItemEdited,
  type CitizenItemRemoved,
  type InboundItem,
  type PageAnswer,
  type PagePost,
} from '../domain/inquiry.js';
import type { Logger } from '../observability/logger.js';

type Trx = Db;

/** What ingest needs; every part is passed in (tests inject the clock). */
export interface IngestDeps {
  db: Db;
  logger: Logger;
  now: () => Date;
  /** Payload of one platform → items. Throws for a payload that can never be parsed. */
  parseInbound: (platform: Platform, payload: unknown) => InboundItem[];
  /** Suggested sector code for a citizen text, if any rule matches. */
  suggestSector: (trx: Trx, text: string) => Promise<string | undefined>;
  /** Whether a citizen text is low priority (only emoji, a tag, a word of thanks). */
  isLowPriority: (text: string) => boolean;
  /** When the first response is due for an inquiry posted at `postedAt`. */
  slaDueAt: (postedAt: Date) => Date;
}

export interface IngestResult {
  status: 'processed' | 'already_processed' | 'missing';
  /** Inquiries created by this run that need a card. */
  cardInquiryIds: number[];
  /** Inquiries that changed and whose existing card should be refreshed. */
  changedInquiryIds: number[];
  items: number;
}

/** Processes one inbound event inside one transaction. */
export async function ingestInboundEvent(deps: IngestDeps, inboundEventId: number): Promise<IngestResult> {
  return deps.db.transaction().execute(async (trx) => {
    const inbound = await lockInboundEvent(trx, inboundEventId);
    if (!inbound) return { status: 'missing', cardInquiryIds: [], changedInquiryIds: [], items: 0 };
    if (inbound.status !== 'pending') return { status: 'already_processed', cardInquiryIds: [], changedInquiryIds: [], items: 0 };

    const items = deps.parseInbound(inbound.platform, inbound.payload);
    const out: ItemOutcome = { cards: new Set(), changed: new Set() };
    for (const item of items) await applyItem(deps, trx, item, inboundEventId, out);
    await markInboundProcessed(trx, inboundEventId, deps.now());
    for (const id of out.cards) out.changed.delete(id);
    return { status: 'processed', cardInquiryIds: [...out.cards], changedInquiryIds: [...out.changed], items: items.length };
  });
}

interface ItemOutcome {
  cards: Set<number>;
  changed: Set<number>;
}

async function applyItem(deps: IngestDeps, trx: Trx, item: InboundItem, inboundEventId: number, out: ItemOutcome): Promise<void> {
  switch (item.type) {
    case 'citizen_item':
      return applyCitizenItem(deps, trx, item, inboundEventId, out);
    case 'citizen_item_edited':
      return applyEdit(trx, item, out);
    case 'citizen_item_removed':
      return applyRemoval(deps, trx, item, out);
    case 'page_answer':
      return applyPageAnswer(trx, item, out);
    case 'page_post':
      return applyPagePost(trx, item);
  }
}

async function applyCitizenItem(deps: IngestDeps, trx: Trx, item: CitizenItem, inboundEventId: number, out: ItemOutcome): Promise<void> {
  // Serialise items of one citizen in one thread, so two of their messages
  // processed at once cannot open two inquiries.
  if (item.threadId && item.authorId) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${item.platform}|${item.threadId}|${item.authorId}`}, 0))`.execute(trx);
  }
  if (await isItemKnown(trx, item.platform, item.externalId)) return;

  const previous = item.threadId && item.authorId ? await findLatestInquiryInThread(trx, item.platform, item.threadId, item.authorId) : undefined;
  if (previous && isOpen(previous.status) && previous.postedAt.getTime() <= item.postedAt.getTime()) {
    await insertInquiryMessage(trx, { inquiryId: previous.id, platform: item.platform, externalId: item.externalId, authorId: item.authorId, text: item.text, postedAt: item.postedAt });
    const lastCitizenAt = item.postedAt > previous.lastCitizenAt ? item.postedAt : previous.lastCitizenAt;
    await updateInquiry(trx, previous.id, { lastCitizenAt });
    await insertEvent(trx, {
      type: 'message_joined',
      inquiryId: previous.id,
      actorKind: 'citizen',
      payload: { externalId: item.externalId, inboundEventId },
    });
    out.changed.add(previous.id);
    return;
  }

  const lowPriority = deps.isLowPriority(item.text);
  const inquiry = await insertInquiry(trx, {
    platform: item.platform,
    kind: item.kind,
    externalId: item.externalId,
    threadId: item.threadId,
    parentId: item.parentId,
    authorId: item.authorId,
    authorName: item.authorName,
    text: item.text,
    permalink: item.permalink,
    postedAt: item.postedAt,
    lastCitizenAt: item.postedAt,
    suggestedSectorCode: (await deps.suggestSector(trx, item.text)) ?? null,
    slaDueAt: deps.slaDueAt(item.postedAt),
    lowPriority,
    previousInquiryId: previous?.id ?? null,
  });
  await insertInquiryMessage(trx, { inquiryId: inquiry.id, platform: item.platform, externalId: item.externalId, authorId: item.authorId, text: item.text, postedAt: item.postedAt });
  await insertEvent(trx, {
    type: 'ingested',
    inquiryId: inquiry.id,
    payload: {
      inboundEventId,
      platform: item.platform,
      kind: item.kind,
      externalId: item.externalId,
      postedAt: item.postedAt.toISOString(),
      lowPriority,
      ...(previous ? { previousInquiryId: previous.id } : {}),
      ...(inquiry.suggestedSectorCode ? { suggestedSector: inquiry.suggestedSectorCode } : {}),
    },
  });
  if (!lowPriority) out.cards.add(inquiry.id);
}

async function applyEdit(trx: Trx, item: CitizenItemEdited, out: ItemOutcome): Promise<void> {
  const inquiry = await findInquiryByItemExternalId(trx, item.platform, item.externalId);
  if (!inquiry) return;
  const message = await trx
    .selectFrom('inquiryMessages')
    .select(['id', 'text'])
    .where('platform', '=', item.platform)
    .where('externalId', '=', item.externalId)
    .executeTakeFirstOrThrow();
  if (message.text === item.text) return;
  await trx.updateTable('inquiryMessages').set({ text: item.text }).where('id', '=', message.id).execute();
  if (inquiry.externalId === item.externalId) await updateInquiry(trx, inquiry.id, { text: item.text });
  // The event keeps the history: the text before and after.
  await insertEvent(trx, {
    type: 'edited',
    inquiryId: inquiry.id,
    actorKind: 'citizen',
    occurredAt: item.editedAt,
    payload: { externalId: item.externalId, previousText: message.text, text: item.text },
  });
  out.changed.add(inquiry.id);
}

async function applyRemoval(deps: IngestDeps, trx: Trx, item: CitizenItemRemoved, out: ItemOutcome): Promise<void> {
  const inquiry = await findInquiryByItemExternalId(trx, item.platform, item.externalId);
  if (!inquiry) return;
  await insertEvent(trx, { type: 'removed', inquiryId: inquiry.id, actorKind: 'citizen', occurredAt: item.removedAt, payload: { externalId: item.externalId } });
  // Removed before any answer: nothing is owed any more.
  if (isOpen(inquiry.status) && inquiry.externalId === item.externalId) {
    await updateInquiry(trx, inquiry.id, { status: 'dismissed', dismissReason: 'removed' });
    await insertEvent(trx, { type: 'dismissed', inquiryId: inquiry.id, payload: { reason: 'removed', from: inquiry.status } });
    deps.logger.info({ inquiryId: inquiry.id }, 'inquiry dismissed: the citizen removed it before an answer');
  }
  out.changed.add(inquiry.id);
}

async function applyPageAnswer(trx: Trx, item: PageAnswer, out: ItemOutcome): Promise<void> {
  // Our own published replies come back through webhooks and polls too:
  // they were recorded when delivered and must not count as native.
  const ours = await trx.selectFrom('replies').select('id').where('externalId', '=', item.externalId).executeTakeFirst();
  if (ours) return;

  let inquiry: InquiryRow | undefined;
  if (item.inReplyToExternalId) inquiry = await findInquiryByItemExternalId(trx, item.platform, item.inReplyToExternalId);
  if (!inquiry && item.threadId && item.recipientId) inquiry = await findOpenInquiryInThread(trx, item.platform, item.threadId, item.recipientId);
  if (!inquiry) return;

  const known = await trx
    .selectFrom('events')
    .select('id')
    .where('inquiryId', '=', inquiry.id)
    .where('type', '=', 'native_answer')
    .where(sql<string>`payload->>'externalId'`, '=', item.externalId)
    .executeTakeFirst();
  if (known) return;
  await insertEvent(trx, { type: 'native_answer', inquiryId: inquiry.id, actorKind: 'page', occurredAt: item.answeredAt, payload: { externalId: item.externalId } });
  if (!isOpen(inquiry.status) || inquiry.firstResponseAt) return;
  // A page answer older than the question (clock skew, reordered polls) is
  // not an answer to it.
  if (item.answeredAt < inquiry.postedAt) return;
  await updateInquiry(trx, inquiry.id, { status: 'answered', firstResponseAt: item.answeredAt, answeredVia: 'native' });
  await insertEvent(trx, {
    type: 'answered',
    inquiryId: inquiry.id,
    actorKind: 'page',
    payload: { via: 'native', externalId: item.externalId, at: item.answeredAt.toISOString(), from: inquiry.status },
  });
  out.changed.add(inquiry.id);
}

async function applyPagePost(trx: Trx, item: PagePost): Promise<void> {
  const known = await trx
    .selectFrom('events')
    .select('id')
    .where('type', '=', 'page_post')
    .where(sql<string>`payload->>'externalId'`, '=', item.externalId)
    .executeTakeFirst();
  if (known) return;
  await insertEvent(trx, {
    type: 'page_post',
    actorKind: 'page',
    occurredAt: item.postedAt,
    payload: { platform: item.platform, externalId: item.externalId },
  });
}
