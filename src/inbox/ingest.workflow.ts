/**
 * Ingest: one raw inbound event (webhook or poll payload in `inbound_events`)
 * becomes inquiries, events and card jobs, exactly once however often and by
 * however many workers it is processed. The inbound row is locked for the
 * transaction and marked processed in it; card jobs are enqueued after the
 * commit with ids derived from the inquiry (and the reconciler covers a crash
 * between the commit and the enqueue).
 *
 * Only items of an account that is a source become inquiries (DESIGN.md,
 * Domain: source); the others, and the parts of a payload its parser could
 * not read or does not take, are recorded with the inbound event's id in one
 * `inbound_ignored` event (the raw payload stays stored). Page messages count
 * as answers only when a person wrote them: automated ones (sent through an
 * app, or sent within seconds of the citizen) are recorded as
 * `automated_page_message` and leave the inquiry open.
 */
import type { Transaction } from 'kysely';
import type { Db } from '../db/create-db.js';
import { hasPageMessageEvent, hasPagePostEvent, insertEvent, insertEvents, type NewEvent } from '../db/repositories/event.repository.js';
import { insertPublishedPost } from '../db/repositories/published-post.repository.js';
import { returnInboundEvents, takeInboundEvents } from '../db/repositories/inbound-event.repository.js';
import { getInquiryMessageByExternalId, lockTelegramItems, recountTelegramLikes, insertInquiryMessages, updateInquiryMessageText } from '../db/repositories/inquiry-message.repository.js';
import {
  findCitizenWroteAt,
  findInquiryById,
  findInquiryByItemExternalId,
  findOpenInquiryInThread,
  findStoredItemsAndLatestInquiries,
  insertInquiries,
  lockCitizenThreads,
  updateInquiry,
  type CitizenThread,
} from '../db/repositories/inquiry.repository.js';
import { findInFlightReplyIdWithText, findReplyIdByExternalId } from '../db/repositories/reply.repository.js';
import { findSourceIdsOfAccounts } from '../db/repositories/source.repository.js';
import type { Database, InquiryRow, InquiryStatus, NewInquiry, Platform } from '../db/schema.js';
import {
  automationOf,
  awaitsFinalAnswer,
  isOpen,
  type CitizenItem,
  type CitizenItemEdited,
  type CitizenItemRemoved,
  type IgnoredItem,
  type InboundItem,
  type PageAnswer,
  type PagePost,
} from '../domain/inquiry.js';
import type { Logger } from '../observability/logger.js';
import type { Config } from '../config.js';
import { assignToWaves, recordReaction } from './waves.workflow.js';
import { reopenInquiry } from './follow-through.workflow.js';
import { parseSolvedPayload, recordSolvedAnswer } from './solved-question.workflow.js';

type Trx = Transaction<Database>;

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
  /** Wave settings (`WAVE_*`, `STATEMENT_*`, `RUMOUR_*`); without them new questions are not grouped into waves. */
  waves?: Config['waves'];
  /** When the final answer is due (`SLA_RESOLUTION`); undefined: no resolution target. */
  resolutionDueAt?: (postedAt: Date) => Date;
  /**
   * A citizen writing again this many minutes (or fewer) after the final
   * answer reopens the inquiry (`FOLLOW_UP_WINDOW`); 0 or undefined: a new
   * inquiry linked to it, always.
   */
  followUpWindowMinutes?: number;
}

export interface IngestResult {
  status: 'processed' | 'already_processed' | 'missing';
  /** Inquiries created by this run that need a card. */
  cardInquiryIds: number[];
  /** Inquiries that changed and whose existing card should be refreshed. */
  changedInquiryIds: number[];
  /** Items taken in. */
  items: number;
  /** Parts of the payload kept but not taken in (recorded in its `inbound_ignored` event); absent when it was not processed. */
  ignored?: number;
  /** Waves whose card must show new questions (on one result of a batch). */
  waveIds?: number[];
  /** Rebuttals for questions that joined a rumour, to publish each no earlier than its moment. */
  waveReplies?: Array<{ replyId: number; delayMs: number }>;
  /** Notices to send after the commit (a rumour that keeps coming, a reopened inquiry's handler told). */
  noticeIds?: number[];
  /** Inquiries taken in without their text (Instagram mentions): `mention.read` fetches it after the commit. */
  detailsInquiryIds?: number[];
}

/** What became of one event of a batch: its result, or the error that keeps it from ever being processed (a payload that cannot be parsed). */
export type BatchIngestOutcome = { ok: true; result: IngestResult } | { ok: false; error: unknown };

const unprocessed = (status: 'already_processed' | 'missing'): IngestResult => ({ status, cardInquiryIds: [], changedInquiryIds: [], items: 0, ignored: 0 });

/** An item taken in, with the source of its account. */
type Accepted = Exclude<InboundItem, IgnoredItem> & { sourceId: number };

/** What the `inbound_ignored` event says of one part of a payload. */
interface IgnoredRecord {
  reason: 'not_a_source' | IgnoredItem['reason'];
  kind?: string;
  account?: string;
  externalId?: string;
  path?: string;
  detail?: string;
}

/** At most this many parts are listed in one `inbound_ignored` event (the raw payload has them all). */
const MAX_IGNORED_LISTED = 100;

/** The kind of an item, in the words of the `inbound_ignored` event. */
function kindOf(item: Exclude<InboundItem, IgnoredItem>): string {
  switch (item.type) {
    case 'citizen_item':
      return item.kind;
    case 'citizen_item_edited':
      return 'edit';
    case 'citizen_item_removed':
      return 'removal';
    case 'page_answer':
      return 'page_message';
    case 'page_post':
      return 'page_post';
    case 'reaction_set':
      return 'reaction';
  }
}

/** Processes one inbound event inside one transaction. */
export async function ingestInboundEvent(deps: IngestDeps, inboundEventId: number): Promise<IngestResult> {
  const outcome = (await ingestInboundEvents(deps, [inboundEventId])).get(inboundEventId)!;
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/**
 * Processes several inbound events inside one transaction (one commit, and
 * the citizen items of all of them stored with a few statements instead of a
 * few each): the same outcome as processing them one after the other in id
 * order. Their rows are locked in id order; an event whose payload cannot be
 * parsed is left pending and reported in its outcome; any other error fails
 * the whole batch (nothing is written).
 */
export async function ingestInboundEvents(deps: IngestDeps, inboundEventIds: number[]): Promise<Map<number, BatchIngestOutcome>> {
  const ids = [...new Set(inboundEventIds)].sort((a, b) => a - b);
  return deps.db.transaction().execute(async (trx) => {
    // Locked and marked processed at once; what cannot be parsed is handed back below.
    const rows = new Map((await takeInboundEvents(trx, ids, deps.now())).map((r) => [r.id, r]));
    const outcomes = new Map<number, BatchIngestOutcome>();
    const parsed: Array<{ id: number; items: InboundItem[] }> = [];
    const unparsable: number[] = [];
    for (const id of ids) {
      const inbound = rows.get(id);
      if (!inbound) outcomes.set(id, { ok: true, result: unprocessed('missing') });
      else if (inbound.status !== 'pending') outcomes.set(id, { ok: true, result: unprocessed('already_processed') });
      else {
        try {
          parsed.push({ id, items: deps.parseInbound(inbound.platform, inbound.payload) });
        } catch (error) {
          outcomes.set(id, { ok: false, error });
          unparsable.push(id);
        }
      }
    }
    await returnInboundEvents(trx, unparsable);

    // Only the accounts that are sources are taken in (one look-up for the batch).
    const accounts = parsed.flatMap(({ items }) => items.flatMap((i) => (i.type === 'ignored_item' ? [] : [{ platform: i.platform, externalId: i.accountId }])));
    const sources = await findSourceIdsOfAccounts(trx, accounts);
    const work: Array<{ id: number; items: Accepted[]; ignored: IgnoredRecord[]; out: ItemOutcome }> = parsed.map(({ id, items }) => {
      const accepted: Accepted[] = [];
      const ignored: IgnoredRecord[] = [];
      for (const item of items) {
        if (item.type === 'ignored_item') {
          const { type: _t, platform: _p, accountId, ...rest } = item;
          ignored.push({ ...rest, ...(accountId === undefined ? {} : { account: accountId }) });
          continue;
        }
        const sourceId = sources.get(`${item.platform}|${item.accountId}`);
        if (sourceId === undefined) ignored.push({ reason: 'not_a_source', kind: kindOf(item), account: item.accountId, externalId: item.externalId });
        else accepted.push({ ...item, sourceId });
      }
      return { id, items: accepted, ignored, out: { cards: new Set(), changed: new Set(), notices: [], details: new Set(), waves: new Set() } };
    });

    // Telegram likes are counted from what each batch committed: the items whose likes this batch writes are locked first.
    const telegram = work.flatMap(({ items }) => items.filter((i) => i.platform === 'telegram'));
    const telegramComments = telegram.filter((i) => i.type === 'citizen_item').map((i) => i.externalId);
    await lockTelegramItems(trx, [...telegramComments, ...telegram.filter((i) => i.type === 'reaction_set').map((i) => i.externalId)]);

    // In order: consecutive citizen items (nearly all of them) together, anything else on its own.
    let run: CitizenEntry[] = [];
    for (const { id, items, out } of work) {
      for (const item of items) {
        if (item.type === 'citizen_item') {
          run.push({ item, sourceId: item.sourceId, inboundEventId: id, out });
          continue;
        }
        await applyCitizenItems(deps, trx, run);
        run = [];
        await applyItem(deps, trx, item, id, out);
      }
    }
    await applyCitizenItems(deps, trx, run);
    // A reaction can be taken in before the comment it is about.
    await recountTelegramLikes(trx, telegramComments);
    await recordIgnored(deps, trx, work);
    // Waves: a new question about what others are asking joins their wave and is counted on its one card.
    const fresh = work.flatMap(({ out }) => [...out.cards]);
    const waves = deps.waves && fresh.length > 0 ? await assignToWaves(trx, fresh, { now: deps.now(), waves: deps.waves }) : undefined;
    let first = true;
    for (const { id, items, ignored, out } of work) {
      for (const inquiryId of out.cards) out.changed.delete(inquiryId);
      const cards = [...out.cards].filter((inquiryId) => !waves?.joined.has(inquiryId));
      const result: IngestResult = { status: 'processed', cardInquiryIds: cards, changedInquiryIds: [...out.changed], items: items.length, ignored: ignored.length };
      const noticeIds = [...out.notices];
      if (first && waves) {
        Object.assign(result, { waveIds: waves.waveIds, waveReplies: waves.replies });
        noticeIds.push(...waves.noticeIds);
      }
      if (out.waves.size > 0) result.waveIds = [...new Set([...(result.waveIds ?? []), ...out.waves])];
      if (noticeIds.length > 0) result.noticeIds = noticeIds;
      if (out.details.size > 0) result.detailsInquiryIds = [...out.details];
      first = false;
      outcomes.set(id, { ok: true, result });
    }
    return outcomes;
  });
}

interface ItemOutcome {
  cards: Set<number>;
  changed: Set<number>;
  notices: number[];
  /** New inquiries whose text is still to be read from the platform. */
  details: Set<number>;
  /** Waves whose card shows something new (its most-liked questions moved). */
  waves: Set<number>;
}

/**
 * One `inbound_ignored` event per inbound event with parts kept but not
 * taken in, saying which and why (another Page's items, a read receipt, a
 * field of a type Facebook does not send), and one log line for it: what
 * cannot be read is a warning (the payload is kept for a look), the rest
 * is information.
 */
async function recordIgnored(deps: IngestDeps, trx: Trx, work: ReadonlyArray<{ id: number; ignored: IgnoredRecord[] }>): Promise<void> {
  const events: NewEvent[] = [];
  for (const { id, ignored } of work) {
    if (ignored.length === 0) continue;
    const listed = ignored.slice(0, MAX_IGNORED_LISTED);
    events.push({ type: 'inbound_ignored', payload: { inboundEventId: id, items: listed, ...(ignored.length > listed.length ? { more: ignored.length - listed.length } : {}) } });
    const count = (reason: IgnoredRecord['reason']) => ignored.filter((i) => i.reason === reason).length;
    const summary = { inboundEventId: id, notASource: count('not_a_source'), notUnderstood: count('not_understood'), unsupported: count('unsupported') };
    if (summary.notUnderstood > 0) {
      deps.logger.warn(
        { ...summary, paths: ignored.filter((i) => i.reason === 'not_understood').slice(0, 10).map((i) => i.path) },
        'parts of an inbound payload could not be read and were not taken in; the payload is kept in inbound_events',
      );
    } else if (summary.notASource > 0) {
      deps.logger.info(
        { ...summary, accounts: [...new Set(ignored.map((i) => i.account).filter(Boolean))].slice(0, 10) },
        'items for an account that is not a connected source were kept and ignored (connect the Page with FACEBOOK_PAGE_ID to take them in)',
      );
    } else {
      deps.logger.debug(summary, 'inbound payload parts ingest does not take were kept and ignored');
    }
  }
  await insertEvents(trx, events);
}

async function applyItem(deps: IngestDeps, trx: Trx, item: Exclude<Accepted, CitizenItem>, inboundEventId: number, out: ItemOutcome): Promise<void> {
  switch (item.type) {
    case 'citizen_item_edited':
      return applyEdit(trx, item, out);
    case 'citizen_item_removed':
      return applyRemoval(deps, trx, item, out);
    case 'page_answer':
      return applyPageAnswer(trx, item, inboundEventId, out);
    case 'page_post':
      return applyPagePost(trx, item);
    case 'reaction_set':
      for (const waveId of await recordReaction(trx, item, deps.now())) out.waves.add(waveId);
      return;
  }
}

interface CitizenEntry {
  item: CitizenItem;
  /** The source of the item's account. */
  sourceId: number;
  inboundEventId: number;
  out: ItemOutcome;
}

/** An inquiry as the citizen items of a run see it: stored before, or to be inserted by this run. */
interface ThreadInquiry {
  /** Known once stored. */
  id: number | undefined;
  status: InquiryStatus;
  postedAt: Date;
  lastCitizenAt: Date;
  /** What reopening needs of a stored inquiry (undefined for one of this run). */
  stored?: Pick<InquiryRow, 'closedAt' | 'claimedBy' | 'answeredBy' | 'reopenCount'>;
  /** Values of a new inquiry of this run, until it is inserted. */
  insert?: NewInquiry;
  /** Outcome that gets its card once it has an id. */
  cardFor?: ItemOutcome;
  /** Outcome that reads its text from the platform once it has an id (a mention delivered without it). */
  detailsFor?: ItemOutcome;
}

const threadKey = (item: CitizenItem) => (item.threadId && item.authorId ? `${item.platform}|${item.threadId}|${item.authorId}` : undefined);
const itemKey = (platform: string, externalId: string) => `${platform}|${externalId}`;

/** A citizen item to store as a message of its inquiry (whose id is known by the time it is written). */
interface NewMessage {
  inquiry: ThreadInquiry;
  item: CitizenItem;
}

/**
 * Citizen comments and messages, in order, with a fixed number of statements
 * for the whole run: a new item opens an inquiry, unless the same citizen's
 * inquiry in that thread is still open (and older), which it then joins; an
 * item stored before is skipped.
 */
async function applyCitizenItems(deps: IngestDeps, trx: Trx, entries: CitizenEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // Serialise items of one citizen in one thread, so two of their messages
  // processed at once cannot open two inquiries.
  const threads = new Map<string, CitizenThread>();
  for (const { item } of entries) {
    const key = threadKey(item);
    if (key !== undefined) threads.set(key, { platform: item.platform, threadId: item.threadId!, authorId: item.authorId! });
  }
  await lockCitizenThreads(trx, [...threads.keys()]);

  // In one round trip: the items stored before, and the latest inquiry of
  // each citizen in each thread.
  const found = await findStoredItemsAndLatestInquiries(trx, entries.map((e) => e.item), [...threads.values()]);
  const known = new Set<string>();
  const latest = new Map<string, ThreadInquiry>();
  for (const r of found.storedItems) known.add(itemKey(r.platform, r.externalId));
  for (const r of found.latestInquiries) {
    latest.set(`${r.platform}|${r.threadId}|${r.authorId}`, {
      id: r.id,
      status: r.status,
      postedAt: r.postedAt,
      lastCitizenAt: r.lastCitizenAt,
      stored: { closedAt: r.closedAt, claimedBy: r.claimedBy, answeredBy: r.answeredBy, reopenCount: r.reopenCount },
    });
  }

  let inserts: ThreadInquiry[] = [];
  let messages: NewMessage[] = [];
  let events: Array<() => NewEvent> = [];
  let joinedOut: Array<{ inquiry: ThreadInquiry; out: ItemOutcome }> = [];
  let reopens: Array<{ inquiry: ThreadInquiry; item: CitizenItem; inboundEventId: number; out: ItemOutcome }> = [];
  const touched = new Set<ThreadInquiry>();
  const windowMs = (deps.followUpWindowMinutes ?? 0) * 60_000;
  /** A follow-up within FOLLOW_UP_WINDOW of the final answer of `previous` (closed, stored) reopens it. */
  const reopens_ = (previous: ThreadInquiry, item: CitizenItem): boolean => {
    const closedAt = previous.stored?.closedAt;
    if (previous.status !== 'closed' || windowMs <= 0 || !closedAt || previous.id === undefined) return false;
    const after = item.postedAt.getTime() - closedAt.getTime();
    return after >= 0 && after <= windowMs;
  };

  const write = async () => {
    if (inserts.length > 0) {
      const stored = await insertInquiries(trx, inserts.map((i) => i.insert!));
      const ids = new Map(stored.map((r) => [itemKey(r.platform, r.externalId), r.id]));
      for (const inquiry of inserts) {
        inquiry.id = ids.get(itemKey(inquiry.insert!.platform, inquiry.insert!.externalId));
        if (inquiry.id === undefined) throw new Error(`inquiry ${inquiry.insert!.externalId} was not stored`);
        inquiry.cardFor?.cards.add(inquiry.id);
        inquiry.detailsFor?.details.add(inquiry.id);
        delete inquiry.insert;
      }
    }
    await insertInquiryMessages(
      trx,
      messages.map(({ inquiry, item }) => ({
        inquiryId: inquiry.id!,
        platform: item.platform,
        externalId: item.externalId,
        authorId: item.authorId,
        text: item.text,
        postedAt: item.postedAt,
        attachments: item.attachments,
        ...(item.likeCount === undefined ? {} : { likeCount: item.likeCount }),
      })),
    );
    for (const inquiry of touched) if (inquiry.id !== undefined) await updateInquiry(trx, inquiry.id, { lastCitizenAt: inquiry.lastCitizenAt });
    for (const { inquiry, item, inboundEventId, out } of reopens) {
      const ids = await reopenInquiry(
        trx,
        { id: inquiry.id!, status: 'closed', ...inquiry.stored! },
        'follow_up',
        item.postedAt,
        { externalId: item.externalId, inboundEventId },
      );
      out.notices.push(...ids);
    }
    await insertEvents(
      trx,
      events.map((e) => e()),
    );
    for (const { inquiry, out } of joinedOut) out.changed.add(inquiry.id!);
    inserts = [];
    messages = [];
    events = [];
    joinedOut = [];
    reopens = [];
    touched.clear();
  };

  for (const { item, sourceId, inboundEventId, out } of entries) {
    const seen = itemKey(item.platform, item.externalId);
    if (known.has(seen)) continue;
    known.add(seen);
    // The citizen's answer to "was it solved?" (a quick reply): recorded on the inquiry asked about, not a new inquiry.
    const solved = parseSolvedPayload(item.quickReplyPayload);
    if (solved && (await applySolvedAnswer(trx, solved, item, inboundEventId, out, write))) continue;
    const key = threadKey(item);
    const previous = key === undefined ? undefined : latest.get(key);

    if (previous && reopens_(previous, item)) {
      // Within the follow-up window of the final answer: the same inquiry, reopened (not a new one).
      reopens.push({ inquiry: previous, item, inboundEventId, out });
      previous.status = 'answered';
    }
    if (previous && awaitsFinalAnswer(previous.status) && previous.postedAt.getTime() <= item.postedAt.getTime()) {
      messages.push({ inquiry: previous, item });
      if (item.postedAt > previous.lastCitizenAt) previous.lastCitizenAt = item.postedAt;
      if (previous.insert) previous.insert.lastCitizenAt = previous.lastCitizenAt;
      else touched.add(previous);
      events.push(() => ({ type: 'message_joined', inquiryId: previous.id!, actorKind: 'citizen', payload: { externalId: item.externalId, inboundEventId } }));
      joinedOut.push({ inquiry: previous, out });
      continue;
    }

    // A new inquiry linked to one of this run that has no id yet: store what came before first.
    if (previous?.insert) await write();
    // A mention delivered without its text (Instagram's `mentions` webhook gives only ids) is not a reaction: staff see its card,
    // and the text is read from the platform after the commit (`mention.read`; the reconciler retries it until it is read).
    const detailsPending = item.kind === 'mention' && item.text.trim() === '';
    const lowPriority = !detailsPending && deps.isLowPriority(item.text);
    // A mention's sector is suggested when its text is read.
    const suggestedSectorCode = detailsPending ? null : ((await deps.suggestSector(trx, item.text)) ?? null);
    const inquiry: ThreadInquiry = {
      id: undefined,
      status: 'new',
      postedAt: item.postedAt,
      lastCitizenAt: item.postedAt,
      insert: {
        sourceId,
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
        suggestedSectorCode,
        slaDueAt: deps.slaDueAt(item.postedAt),
        resolutionDueAt: deps.resolutionDueAt?.(item.postedAt) ?? null,
        lowPriority,
        previousInquiryId: previous?.id ?? null,
        attachments: JSON.stringify(item.attachments),
        ...(detailsPending ? { detailsPending: true } : {}),
      },
      ...(lowPriority ? {} : { cardFor: out }),
      ...(detailsPending ? { detailsFor: out } : {}),
    };
    inserts.push(inquiry);
    messages.push({ inquiry, item });
    events.push(() => ({
      type: 'ingested',
      inquiryId: inquiry.id!,
      payload: {
        inboundEventId,
        platform: item.platform,
        kind: item.kind,
        externalId: item.externalId,
        postedAt: item.postedAt.toISOString(),
        lowPriority,
        ...(item.attachments.length > 0 ? { attachments: item.attachments.map((a) => a.kind) } : {}),
        ...(previous ? { previousInquiryId: previous.id } : {}),
        ...(suggestedSectorCode ? { suggestedSector: suggestedSectorCode } : {}),
      },
    }));
    // The latest of the thread now, as findLatestInquiryInThread orders them (posted_at, then id).
    if (key !== undefined && (!previous || previous.postedAt.getTime() <= item.postedAt.getTime())) latest.set(key, inquiry);
  }
  await write();
}

/**
 * Records a tapped "solved? yes/no" quick reply on the inquiry it is about,
 * and stores the item as a message of that inquiry (so a poll that sees it
 * later does not make an inquiry of it). False when that inquiry does not
 * exist (the item is then taken in as any other).
 */
async function applySolvedAnswer(
  trx: Trx,
  solved: { inquiryId: number; answer: 'yes' | 'no' },
  item: CitizenItem,
  inboundEventId: number,
  out: ItemOutcome,
  flush: () => Promise<void>,
): Promise<boolean> {
  // What this run stored before comes first (the inquiry may be locked by it).
  await flush();
  if (!(await findInquiryById(trx, solved.inquiryId))) return false;
  const recorded = await recordSolvedAnswer(trx, { inquiryId: solved.inquiryId, answer: solved.answer, at: item.postedAt, externalId: item.externalId });
  await insertInquiryMessages(trx, [
    {
      inquiryId: solved.inquiryId,
      platform: item.platform,
      externalId: item.externalId,
      authorId: item.authorId,
      text: item.text,
      postedAt: item.postedAt,
      attachments: item.attachments,
    },
  ]);
  await insertEvent(trx, { type: 'message_joined', inquiryId: solved.inquiryId, actorKind: 'citizen', payload: { externalId: item.externalId, inboundEventId, solvedAnswer: solved.answer } });
  out.notices.push(...recorded.noticeIds);
  out.changed.add(solved.inquiryId);
  return true;
}

async function applyEdit(trx: Trx, item: CitizenItemEdited, out: ItemOutcome): Promise<void> {
  const inquiry = await findInquiryByItemExternalId(trx, item.platform, item.externalId);
  if (!inquiry) return;
  const message = await getInquiryMessageByExternalId(trx, item.platform, item.externalId);
  if (message.text === item.text) return;
  await updateInquiryMessageText(trx, message.id, item.text);
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

async function applyPageAnswer(trx: Trx, item: PageAnswer, inboundEventId: number, out: ItemOutcome): Promise<void> {
  // Our own published replies come back through webhooks and polls too:
  // they were recorded when delivered and must not count as native.
  if ((await findReplyIdByExternalId(trx, item.externalId)) !== undefined) return;
  // Our own reply can come back before the deliver worker has recorded its
  // external id: while a reply is in flight, a page answer with its text is it.
  if (item.text !== undefined && item.text.trim() !== '') {
    if ((await findInFlightReplyIdWithText(trx, item.text.trim())) !== undefined) return;
  }

  let inquiry: InquiryRow | undefined;
  if (item.inReplyToExternalId) inquiry = await findInquiryByItemExternalId(trx, item.platform, item.inReplyToExternalId);
  if (!inquiry && item.threadId && item.recipientId) inquiry = await findOpenInquiryInThread(trx, item.platform, item.threadId, item.recipientId);
  if (!inquiry) return;

  if (await hasPageMessageEvent(trx, inquiry.id, item.externalId)) return;
  // Only people answer: an automated page message (sent through an app, or
  // sooner after the citizen than a person writes) is recorded, not counted.
  const automation = automationOf(item, item.sentByApp ? undefined : await findCitizenWroteAt(trx, inquiry.id, item.answeredAt));
  if (automation) {
    await insertEvent(trx, {
      type: 'automated_page_message',
      inquiryId: inquiry.id,
      actorKind: 'page',
      occurredAt: item.answeredAt,
      payload: { externalId: item.externalId, inboundEventId, ...automation },
    });
    return;
  }
  await insertEvent(trx, { type: 'native_answer', inquiryId: inquiry.id, actorKind: 'page', occurredAt: item.answeredAt, payload: { externalId: item.externalId } });
  // After an interim answer, or reopened: a person's answer on the platform is the final one.
  if (inquiry.status === 'answered' && inquiry.closedAt === null && inquiry.firstResponseAt && item.answeredAt >= inquiry.firstResponseAt) {
    await updateInquiry(trx, inquiry.id, { status: 'closed', closedAt: item.answeredAt });
    await insertEvent(trx, {
      type: 'closed',
      inquiryId: inquiry.id,
      actorKind: 'page',
      occurredAt: item.answeredAt,
      payload: { via: 'native', externalId: item.externalId, at: item.answeredAt.toISOString(), from: inquiry.status },
    });
    out.changed.add(inquiry.id);
    return;
  }
  if (!isOpen(inquiry.status) || inquiry.firstResponseAt) return;
  // A page answer older than the question (clock skew, reordered polls) is
  // not an answer to it.
  if (item.answeredAt < inquiry.postedAt) return;
  // A person at the city answered on the platform itself: its first response, and (we cannot tell an
  // interim one from a final one there) its final answer; staff may still publish more, and a follow-up reopens it.
  await updateInquiry(trx, inquiry.id, { status: 'closed', firstResponseAt: item.answeredAt, answeredVia: 'native', closedAt: item.answeredAt });
  await insertEvent(trx, {
    type: 'answered',
    inquiryId: inquiry.id,
    actorKind: 'page',
    payload: { via: 'native', externalId: item.externalId, at: item.answeredAt.toISOString(), from: inquiry.status },
  });
  await insertEvent(trx, {
    type: 'closed',
    inquiryId: inquiry.id,
    actorKind: 'page',
    occurredAt: item.answeredAt,
    payload: { via: 'native', externalId: item.externalId, at: item.answeredAt.toISOString(), from: inquiry.status },
  });
  out.changed.add(inquiry.id);
}

async function applyPagePost(trx: Trx, item: PagePost & { sourceId: number }): Promise<void> {
  // Counted in the year's "items published" (DESIGN.md, Domain: counter).
  await insertPublishedPost(trx, { sourceId: item.sourceId, platform: item.platform, externalId: item.externalId, kind: item.postKind ?? null, postedAt: item.postedAt });
  if (await hasPagePostEvent(trx, item.externalId)) return;
  await insertEvent(trx, {
    type: 'page_post',
    actorKind: 'page',
    occurredAt: item.postedAt,
    payload: { platform: item.platform, externalId: item.externalId },
  });
}
