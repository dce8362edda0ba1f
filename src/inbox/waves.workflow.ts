/**
 * Waves, statements and rumours (DESIGN.md, Domain: wave, statement, rumour).
 *
 * - **Suggestion** ({@link assignToWaves}, inside the ingest transaction): a
 *   new question that links to a recent one (`domain/waves.ts`) joins its
 *   wave, or starts one with it. A question in a wave gets no card of its
 *   own: the wave's one card counts it (a question whose card was already
 *   sent keeps it). One transaction at a time decides (an advisory lock),
 *   whatever the number of ingest workers and instances.
 * - **Staff** confirm a wave, merge two, split some questions off into a new
 *   one, or take a question out (it gets its own card).
 * - **Statements**: the text staff write for a wave, interim or final.
 *   Publishing one (after a supervisor's approval when `REQUIRE_APPROVAL`
 *   and the author is an agent) makes one pending reply per open question of
 *   the wave, on its own platform (public reply under a comment, Messenger
 *   for a message), published by the `reply.deliver` machinery exactly once
 *   and counted as that question's answer when it is sent. The replies of a
 *   source are spread `60 / STATEMENT_REPLIES_PER_MINUTE` seconds apart
 *   (`sources.statement_next_at`, shared by every statement). Questions that
 *   join later are offered the latest statement in one tap.
 * - **Rumours**: a supervisor marks a wave as a rumour, its latest published
 *   statement being the rebuttal. Questions joining it later get the
 *   rebuttal at once; every `RUMOUR_ALERT_AFTER` of them, the supervisors are told.
 *
 * Every step writes its events; what follows (wave card, replies, notices)
 * is queued after the commit by the caller or here.
 */
import type { Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/create-db.js';
import { lockAdvisory } from '../db/repositories/advisory-lock.repository.js';
import { insertEvent, insertEvents } from '../db/repositories/event.repository.js';
import { findInquiryIdOfMessage, findLikeCountChanges, recordTelegramReaction, updateLikeCounts, type LikeCount } from '../db/repositories/inquiry-message.repository.js';
import {
  bumpWaveRevisions,
  countQuestionsAfter,
  deleteWaveMember,
  findInquiriesForWaves,
  findLatestPublishedStatement,
  findMembersToReach,
  findMostLiked,
  findOpenWaveIdsOf,
  findStatementById,
  findWaveById,
  findWaveCandidates,
  findWaveMemberIds,
  insertStatement,
  insertWave,
  lockStatement,
  lockWave,
  reserveStatementSlots,
  updateStatement,
  updateWave,
  upsertWaveMembers,
  insertStatementReplies,
} from '../db/repositories/wave.repository.js';
import type { Database, Platform, StatementKind, StatementRow, StaffRow, WaveRow } from '../db/schema.js';
import type { ReactionSet } from '../domain/inquiry.js';
import { can } from '../domain/staff.js';
import { chooseLink, WAVE_THREAD_WINDOW_HOURS, waveFeatures, type WaveCandidate, type WaveFeatures } from '../domain/waves.js';
import type { Producers } from '../queue/producers.js';
import { allowedVisibilities } from './compose-reply.workflow.js';
import { createNotices } from './staff-notices.workflow.js';
import { listSupervisors } from './staff.workflow.js';

type Trx = Transaction<Database>;

/** Recent questions compared with each new one, at most. */
const CANDIDATE_LIMIT = 3_000;
/** Characters of the first question kept as a wave's title. */
const TITLE_CHARS = 200;

/**
 * Features of recent questions, by inquiry id: each batch compares its new
 * questions with the last day's, and a question's text does not change what
 * it is about (an edited text is read again).
 * Bounded: the oldest entries go first.
 */
const FEATURE_CACHE_SIZE = 20_000;
const featureCache = new Map<number, { text: string; features: WaveFeatures }>();
function featuresOf(inquiryId: number, text: string): WaveFeatures {
  const cached = featureCache.get(inquiryId);
  // Keyed by id, checked by text: another database's inquiry of the same id (tests, the demo) is not taken for it.
  if (cached?.text === text) return cached.features;
  const features = waveFeatures(text);
  featureCache.set(inquiryId, { text, features });
  if (featureCache.size > FEATURE_CACHE_SIZE) featureCache.delete(featureCache.keys().next().value!);
  return features;
}

export interface WaveDeps {
  db: Db;
  producers: Pick<Producers, 'waveCards' | 'deliverRepliesAt' | 'sendNotices' | 'sendCards'>;
  config: {
    workflow: Pick<Config['workflow'], 'requireApproval'>;
    waves: Config['waves'];
  };
}

/** What wave suggestion did in one ingest transaction; the caller queues it after the commit. */
export interface WaveAssignment {
  /** New questions now in a wave: they get no card of their own. */
  joined: Set<number>;
  /** Waves whose card must show a change. */
  waveIds: number[];
  /** Rebuttal replies made for questions joining a rumour, with how long each waits (the source's pace). */
  replies: Array<{ replyId: number; delayMs: number }>;
  /** Notices to send (supervisors told of a rumour that keeps coming). */
  noticeIds: number[];
}

const title = (text: string) => {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > TITLE_CHARS ? `${chars.slice(0, TITLE_CHARS).join('')}…` : chars.join('');
};
const threadOf = (r: { platform: string; threadId: string | null }) => (r.threadId ? `${r.platform}|${r.threadId}` : undefined);

/**
 * Puts new questions (just inserted in `trx`) in waves: each joins the wave
 * of the recent question it links to best, or starts one with it.
 */
export async function assignToWaves(
  trx: Trx,
  inquiryIds: number[],
  options: { now: Date; waves: Config['waves'] },
): Promise<WaveAssignment> {
  const result: WaveAssignment = { joined: new Set(), waveIds: [], replies: [], noticeIds: [] };
  if (inquiryIds.length === 0) return result;
  const fresh = await findInquiriesForWaves(trx, inquiryIds);
  if (fresh.length === 0) return result;
  await lockAdvisory(trx, 'waves.assign');
  const freshIds = new Set(fresh.map((r) => r.id));
  const since = new Date(fresh[0]!.postedAt.getTime() - WAVE_THREAD_WINDOW_HOURS * 3_600_000);
  const rows = (await findWaveCandidates(trx, since, CANDIDATE_LIMIT)).filter((r) => !freshIds.has(r.id));

  // Each seen question, with the wave it is in (or none yet); keys are changed in place as waves form.
  // Only questions sharing a topic can link (`linkScore`), so candidates are found by topic.
  type Seen = WaveCandidate<{ inquiryId: number; waveId: number | undefined; postedAt: Date; text: string }>;
  const byTopic = new Map<string, Seen[]>();
  const remember = (seen: Seen) => {
    for (const topic of seen.features.topics) {
      const list = byTopic.get(topic);
      if (list) list.push(seen);
      else byTopic.set(topic, [seen]);
    }
  };
  for (const r of rows) {
    remember({ key: { inquiryId: r.id, waveId: r.waveId ?? undefined, postedAt: r.postedAt, text: r.text }, features: featuresOf(r.id, r.text), thread: threadOf(r), postedAt: r.postedAt });
  }
  const members = new Map<number, number[]>();
  const touched = new Set<number>();
  const events: Array<{ type: string; inquiryId: number; payload: Record<string, unknown> }> = [];
  for (const inquiry of fresh) {
    const features: WaveFeatures = featuresOf(inquiry.id, inquiry.text);
    const item = { features, thread: threadOf(inquiry), postedAt: inquiry.postedAt };
    const candidates = new Set<Seen>();
    for (const topic of features.topics) for (const c of byTopic.get(topic) ?? []) candidates.add(c);
    const link = chooseLink(item, candidates);
    const key = { inquiryId: inquiry.id, waveId: undefined as number | undefined, postedAt: inquiry.postedAt, text: inquiry.text };
    if (link) {
      let waveId = link.key.waveId;
      if (waveId === undefined) {
        // A new wave of two: the question linked to, and this one.
        const first = link.key;
        const wave = await insertWave(trx, { title: title(first.text), firstPostedAt: first.postedAt });
        waveId = wave.id;
        first.waveId = waveId;
        members.set(waveId, [first.inquiryId]);
        events.push({ type: 'wave_joined', inquiryId: first.inquiryId, payload: { waveId, by: 'suggestion', started: true } });
        if (freshIds.has(first.inquiryId)) result.joined.add(first.inquiryId);
      }
      key.waveId = waveId;
      members.set(waveId, [...(members.get(waveId) ?? []), inquiry.id]);
      touched.add(waveId);
      result.joined.add(inquiry.id);
      events.push({ type: 'wave_joined', inquiryId: inquiry.id, payload: { waveId, by: 'suggestion', score: link.score } });
    }
    remember({ key, features, thread: item.thread, postedAt: inquiry.postedAt });
  }
  for (const [waveId, ids] of members) await upsertWaveMembers(trx, waveId, ids, null, options.now);
  await insertEvents(trx, events.map((e) => ({ ...e, actorKind: 'system' })));
  await bumpWaveRevisions(trx, [...touched], options.now);
  result.waveIds = [...touched];

  // Rumours: late questions get the rebuttal; the supervisors hear when they keep coming.
  for (const waveId of touched) {
    const wave = await lockWave(trx, waveId);
    if (!wave?.rumourAt || wave.rebuttalStatementId === null) continue;
    const rebuttal = await findStatementById(trx, wave.rebuttalStatementId);
    if (!rebuttal || rebuttal.status !== 'published' || !rebuttal.publishedAt) continue;
    result.replies.push(...(await makeStatementReplies(trx, rebuttal, options.now, options.waves)));
    const late = await countQuestionsAfter(trx, waveId, rebuttal.publishedAt);
    const due = Math.floor(late / options.waves.rumourAlertAfter);
    if (due > wave.rumourAlerts) {
      await updateWave(trx, waveId, { rumourAlerts: due });
      const supervisors = await listSupervisors(trx);
      result.noticeIds.push(
        ...(await createNotices(
          trx,
          supervisors.map((s) => ({
            key: `rumour-${waveId}-${due}-to-${s.telegramUserId}`,
            kind: 'rumour.alert' as const,
            chatId: s.telegramUserId,
            payload: { waveId, late, title: wave.title },
          })),
        )),
      );
      await insertEvent(trx, { type: 'rumour_alert', actorKind: 'system', payload: { waveId, late } });
    }
  }
  return result;
}

/**
 * Like counts a poll saw (Facebook and Instagram comments; webhooks carry
 * none): stored on their items, with no event and no new item (a like is no
 * change of an inquiry's state). A wave whose most-liked questions (or their
 * counts) changed gets a new revision; its id is returned for the caller to
 * queue its card after the commit. Likes that change nothing the card shows
 * (a like on a question outside the top) cost no edit.
 */
export async function recordLikeCounts(trx: Trx, platform: Platform, counts: readonly LikeCount[], now: Date): Promise<number[]> {
  if (counts.length === 0) return [];
  const changed = await findLikeCountChanges(trx, platform, counts);
  if (changed.length === 0) return [];
  return wavesMovedBy(trx, changed, () => updateLikeCounts(trx, platform, counts), now);
}

/**
 * One person's reactions to a Telegram item changed (Telegram tells each
 * change, not the total): their latest state is kept and the item's likes
 * are counted again, as {@link recordLikeCounts} otherwise. A reaction to an
 * item not stored yet is kept for when it is.
 */
export async function recordReaction(trx: Trx, reaction: Pick<ReactionSet, 'externalId' | 'actor' | 'reacted' | 'order' | 'at'>, now: Date): Promise<number[]> {
  const inquiryId = await findInquiryIdOfMessage(trx, 'telegram', reaction.externalId);
  return wavesMovedBy(trx, inquiryId === undefined ? [] : [inquiryId], () => recordTelegramReaction(trx, reaction), now);
}

/** Writes likes of these inquiries' items; the open waves whose most-liked questions moved get a new revision, and are returned. */
async function wavesMovedBy(trx: Trx, inquiryIds: number[], write: () => Promise<void>, now: Date): Promise<number[]> {
  const waveIds = await findOpenWaveIdsOf(trx, inquiryIds);
  const signature = (list: Array<{ id: number; likes: number }> | undefined) => (list ?? []).map((q) => `${q.id}:${q.likes}`).join(',');
  const before = await findMostLiked(trx, waveIds);
  await write();
  if (waveIds.length === 0) return [];
  const after = await findMostLiked(trx, waveIds);
  const moved = waveIds.filter((id) => signature(before.get(id)) !== signature(after.get(id)));
  await bumpWaveRevisions(trx, moved, now);
  return moved;
}

/**
 * Pending replies of `statement` for every open question of its wave it has
 * not reached, each on its own platform, with when each may be published
 * (the source's pace).
 */
async function makeStatementReplies(trx: Trx, statement: StatementRow, now: Date, waves: Config['waves']): Promise<Array<{ replyId: number; delayMs: number }>> {
  const targets = await findMembersToReach(trx, statement.waveId, statement.id);
  if (targets.length === 0) return [];
  const intervalMs = Math.ceil(60_000 / waves.statementRepliesPerMinute);
  const bySource = new Map<number | null, typeof targets>();
  for (const t of targets) bySource.set(t.sourceId, [...(bySource.get(t.sourceId) ?? []), t]);
  const out: Array<{ replyId: number; delayMs: number }> = [];
  for (const [sourceId, list] of bySource) {
    const slots = sourceId === null ? list.map(() => now) : await reserveStatementSlots(trx, sourceId, list.length, intervalMs, now);
    // An interim statement is each question's interim answer, a final one closes it (follow-through).
    const inserted = await insertStatementReplies(
      trx,
      list.map((t) => ({ inquiryId: t.id, staffId: statement.staffId, visibility: allowedVisibilities(t)[0]!, text: statement.text, statementId: statement.id, kind: statement.kind })),
    );
    const slotOf = new Map(list.map((t, i) => [t.id, slots[i]!]));
    await insertEvents(
      trx,
      inserted.map((r) => ({ type: 'reply_created', inquiryId: r.inquiryId, actorKind: 'staff', actorStaffId: statement.staffId, payload: { replyId: r.id, statementId: statement.id } })),
    );
    out.push(...inserted.map((r) => ({ replyId: r.id, delayMs: Math.max(0, slotOf.get(r.inquiryId)!.getTime() - now.getTime()) })));
  }
  return out;
}

export type WaveRefusal = { ok: false; reason: 'missing' | 'denied' | 'stale' | 'empty' | 'nothing_to_send' | 'no_statement' };

/** What a change of waves leaves to queue after its commit. */
export interface WaveFollowUps {
  waveIds?: number[];
  replies?: Array<{ replyId: number; delayMs: number }>;
  cards?: number[];
  noticeIds?: number[];
}

/** Queues what a change of waves needs after its commit: replies to publish, wave cards to edit, cards to send, notices. */
export async function queueWaveFollowUps(producers: WaveDeps['producers'], done: WaveFollowUps): Promise<void> {
  if (done.replies?.length) await producers.deliverRepliesAt(done.replies);
  if (done.waveIds?.length) await producers.waveCards(done.waveIds);
  if (done.cards?.length) await producers.sendCards(done.cards);
  if (done.noticeIds?.length) await producers.sendNotices(done.noticeIds);
}

const follow = (deps: WaveDeps, done: WaveFollowUps) => queueWaveFollowUps(deps.producers, done);

/** Staff confirm a suggested wave. */
export async function confirmWave(deps: WaveDeps, input: { waveId: number; staff: StaffRow; now: Date }): Promise<{ ok: true } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  const done = await deps.db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, input.waveId);
    if (!wave) return false;
    if (wave.status !== 'suggested') return true;
    await updateWave(trx, wave.id, { status: 'confirmed', updatedAt: input.now });
    await insertEvent(trx, { type: 'wave_confirmed', actorKind: 'staff', actorStaffId: input.staff.id, payload: { waveId: wave.id } });
    await bumpWaveRevisions(trx, [wave.id], input.now);
    return true;
  });
  if (!done) return { ok: false, reason: 'missing' };
  await follow(deps, { waveIds: [input.waveId] });
  return { ok: true };
}

/** Moves every question of wave `from` into wave `into`; `from` is kept as merged. */
export async function mergeWaves(deps: WaveDeps, input: { into: number; from: number; staff: StaffRow; now: Date }): Promise<{ ok: true; moved: number } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  if (input.into === input.from) return { ok: false, reason: 'stale' };
  const moved = await deps.db.transaction().execute(async (trx) => {
    const [a, b] = input.into < input.from ? [input.into, input.from] : [input.from, input.into];
    const first = await lockWave(trx, a);
    const second = await lockWave(trx, b);
    if (!first || !second) return undefined;
    const from = first.id === input.from ? first : second;
    const into = first.id === input.into ? first : second;
    if (from.status === 'merged' || into.status === 'merged') return undefined;
    const ids = await findWaveMemberIds(trx, from.id);
    await upsertWaveMembers(trx, into.id, ids, input.staff.id, input.now);
    await updateWave(trx, from.id, { status: 'merged', mergedIntoId: into.id, updatedAt: input.now });
    if (from.firstPostedAt < into.firstPostedAt) await updateWave(trx, into.id, { firstPostedAt: from.firstPostedAt });
    await insertEvent(trx, { type: 'wave_merged', actorKind: 'staff', actorStaffId: input.staff.id, payload: { into: into.id, from: from.id, moved: ids.length } });
    await bumpWaveRevisions(trx, [into.id, from.id], input.now);
    return ids.length;
  });
  if (moved === undefined) return { ok: false, reason: 'missing' };
  await follow(deps, { waveIds: [input.into, input.from] });
  return { ok: true, moved };
}

/** Takes a question out of its wave: it gets a card of its own. */
export async function removeFromWave(deps: WaveDeps, input: { inquiryId: number; staff: StaffRow; now: Date }): Promise<{ ok: true; waveId: number } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  const waveId = await deps.db.transaction().execute(async (trx) => {
    const waveId = await deleteWaveMember(trx, input.inquiryId);
    if (waveId === undefined) return undefined;
    await insertEvent(trx, { type: 'wave_left', inquiryId: input.inquiryId, actorKind: 'staff', actorStaffId: input.staff.id, payload: { waveId } });
    await bumpWaveRevisions(trx, [waveId], input.now);
    return waveId;
  });
  if (waveId === undefined) return { ok: false, reason: 'missing' };
  await follow(deps, { waveIds: [waveId], cards: [input.inquiryId] });
  return { ok: true, waveId };
}

/** Moves some questions of a wave into a new, confirmed wave of their own. */
export async function splitWave(deps: WaveDeps, input: { waveId: number; inquiryIds: number[]; staff: StaffRow; now: Date }): Promise<{ ok: true; newWaveId: number } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  const created = await deps.db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, input.waveId);
    if (!wave) return undefined;
    const members = new Set(await findWaveMemberIds(trx, wave.id));
    const ids = input.inquiryIds.filter((id) => members.has(id));
    if (ids.length === 0) return undefined;
    const rows = await findInquiriesForWaves(trx, ids);
    const first = rows[0];
    const fresh = await insertWave(trx, { title: title(first?.text ?? wave.title), firstPostedAt: first?.postedAt ?? wave.firstPostedAt, status: 'confirmed' });
    await upsertWaveMembers(trx, fresh.id, ids, input.staff.id, input.now);
    await insertEvent(trx, { type: 'wave_split', actorKind: 'staff', actorStaffId: input.staff.id, payload: { from: wave.id, into: fresh.id, moved: ids } });
    await bumpWaveRevisions(trx, [wave.id, fresh.id], input.now);
    return fresh.id;
  });
  if (created === undefined) return { ok: false, reason: 'missing' };
  await follow(deps, { waveIds: [input.waveId, created] });
  return { ok: true, newWaveId: created };
}

/** A staff member wrote a statement for a wave: stored as a draft. */
export async function draftStatement(
  deps: Pick<WaveDeps, 'db'>,
  input: { waveId: number; staff: StaffRow; text: string; kind?: StatementKind },
): Promise<{ ok: true; statement: StatementRow; wave: WaveRow } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  const text = input.text.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const wave = await findWaveById(deps.db, input.waveId);
  if (!wave || wave.status === 'merged') return { ok: false, reason: 'missing' };
  const statement = await insertStatement(deps.db, { waveId: wave.id, kind: input.kind ?? 'interim', text, staffId: input.staff.id });
  return { ok: true, statement, wave };
}

export async function setStatementPreview(db: Db, statementId: number, chatId: number, messageId: number): Promise<void> {
  await updateStatement(db, statementId, { previewChatId: chatId, previewMessageId: messageId });
}

export type PublishOutcome = { ok: true; status: 'published'; replies: number } | { ok: true; status: 'awaiting_approval' } | WaveRefusal;

/**
 * Publishes a statement as `kind`: one reply per open question of the wave,
 * each on its own platform, at the source's pace. An agent's statement waits
 * for a supervisor when `REQUIRE_APPROVAL`; a supervisor's approval publishes it.
 */
export async function publishStatement(
  deps: WaveDeps,
  input: { statementId: number; kind: StatementKind; staff: StaffRow; now: Date; approving?: boolean },
): Promise<PublishOutcome> {
  if (!can(input.staff, input.approving ? 'supervise' : 'handle')) return { ok: false, reason: 'denied' };
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const statement = await lockStatement(trx, input.statementId);
    if (!statement) return { ok: false, reason: 'missing' } as const;
    const expected = input.approving ? 'awaiting_approval' : 'draft';
    if (statement.status !== expected) return { ok: false, reason: 'stale' } as const;
    if (!input.approving && deps.config.workflow.requireApproval && !can(input.staff, 'supervise')) {
      await updateStatement(trx, statement.id, { status: 'awaiting_approval', kind: input.kind });
      await insertEvent(trx, { type: 'statement_submitted', actorKind: 'staff', actorStaffId: input.staff.id, payload: { statementId: statement.id, waveId: statement.waveId, kind: input.kind } });
      return { ok: true, status: 'awaiting_approval', replies: [] as Array<{ replyId: number; delayMs: number }> } as const;
    }
    const kind = input.approving ? statement.kind : input.kind;
    await updateStatement(trx, statement.id, { status: 'published', kind, publishedAt: input.now, ...(input.approving ? { approvedBy: input.staff.id } : {}) });
    const replies = await makeStatementReplies(trx, { ...statement, kind, status: 'published', publishedAt: input.now }, input.now, deps.config.waves);
    await insertEvent(trx, {
      type: 'statement_published',
      actorKind: 'staff',
      actorStaffId: input.staff.id,
      occurredAt: input.now,
      payload: { statementId: statement.id, waveId: statement.waveId, kind, replies: replies.length, ...(input.approving ? { approvedBy: input.staff.id } : {}) },
    });
    const wave = await lockWave(trx, statement.waveId);
    if (wave?.status === 'suggested') await updateWave(trx, wave.id, { status: 'confirmed' });
    await bumpWaveRevisions(trx, [statement.waveId], input.now);
    return { ok: true, status: 'published', replies } as const;
  });
  if (!outcome.ok) return outcome;
  const statement = await findStatementById(deps.db, input.statementId);
  await follow(deps, { waveIds: statement ? [statement.waveId] : [], replies: outcome.replies });
  return outcome.status === 'published' ? { ok: true, status: 'published', replies: outcome.replies.length } : { ok: true, status: 'awaiting_approval' };
}

export async function cancelStatement(deps: Pick<WaveDeps, 'db'>, input: { statementId: number; staff: StaffRow }): Promise<{ ok: true } | WaveRefusal> {
  const statement = await findStatementById(deps.db, input.statementId);
  if (!statement) return { ok: false, reason: 'missing' };
  if (statement.staffId !== input.staff.id && !can(input.staff, 'supervise')) return { ok: false, reason: 'denied' };
  if (statement.status !== 'draft' && statement.status !== 'awaiting_approval') return { ok: false, reason: 'stale' };
  await updateStatement(deps.db, statement.id, { status: 'cancelled' });
  return { ok: true };
}

/** One tap: the wave's latest statement to the questions that joined after it was published. */
export async function sendLatestStatement(deps: WaveDeps, input: { waveId: number; staff: StaffRow; now: Date }): Promise<{ ok: true; replies: number } | WaveRefusal> {
  if (!can(input.staff, 'handle')) return { ok: false, reason: 'denied' };
  const replies = await deps.db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, input.waveId);
    if (!wave) return undefined;
    const statement = await findLatestPublishedStatement(trx, wave.id);
    if (!statement) return null;
    const made = await makeStatementReplies(trx, statement, input.now, deps.config.waves);
    if (made.length > 0) {
      await insertEvent(trx, { type: 'statement_sent_to_late', actorKind: 'staff', actorStaffId: input.staff.id, payload: { statementId: statement.id, waveId: wave.id, replies: made.length } });
      await bumpWaveRevisions(trx, [wave.id], input.now);
    }
    return made;
  });
  if (replies === undefined) return { ok: false, reason: 'missing' };
  if (replies === null) return { ok: false, reason: 'no_statement' };
  if (replies.length === 0) return { ok: false, reason: 'nothing_to_send' };
  await follow(deps, { waveIds: [input.waveId], replies });
  return { ok: true, replies: replies.length };
}

/** A supervisor marks a wave as a rumour; its latest published statement is the rebuttal. */
export async function markRumour(deps: WaveDeps, input: { waveId: number; staff: StaffRow; now: Date }): Promise<{ ok: true; rebuttal: number } | WaveRefusal> {
  if (!can(input.staff, 'supervise')) return { ok: false, reason: 'denied' };
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const wave = await lockWave(trx, input.waveId);
    if (!wave) return { ok: false, reason: 'missing' } as const;
    const statement = await findLatestPublishedStatement(trx, wave.id);
    if (!statement) return { ok: false, reason: 'no_statement' } as const;
    await updateWave(trx, wave.id, { rumourAt: wave.rumourAt ?? input.now, rumourBy: input.staff.id, rebuttalStatementId: statement.id, status: wave.status === 'suggested' ? 'confirmed' : wave.status });
    await insertEvent(trx, { type: 'wave_rumour', actorKind: 'staff', actorStaffId: input.staff.id, payload: { waveId: wave.id, rebuttalStatementId: statement.id } });
    await bumpWaveRevisions(trx, [wave.id], input.now);
    return { ok: true, rebuttal: statement.id } as const;
  });
  if (!outcome.ok) return outcome;
  await follow(deps, { waveIds: [input.waveId] });
  return outcome;
}
