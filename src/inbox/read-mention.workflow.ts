/**
 * Reading what a mention says (issue 15). Instagram's `mentions` webhook
 * gives only ids, so ingest takes the mention in at once (its card is not
 * held back by Graph) with `details_pending`, and this workflow, run by the
 * `mention.read` job after the commit, reads the text, author and time
 * through the source's connector (`Connector.readDetails`:
 * `mentioned_comment` / `mentioned_media`) and stores them, whole.
 *
 * Nothing is lost when Graph fails: the inquiry and its raw webhook are in
 * Postgres from the start, and `details_pending` stays set until the text is
 * read or known to be unreadable. As with polls: a transient failure is
 * thrown for the queue to retry (the reconciler retries a job that ran out
 * of attempts); a "slow down" throttles the source and a dead token pauses
 * it (the reconciler queues the read again, which waits while the source
 * does); a refusal that will not change (the comment was deleted, comments
 * are off on the media) is recorded in `details_error`, which the card shows.
 */
import type { Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { ItemDetails } from '../connectors/connector.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { updateInquiryMessageDetails } from '../db/repositories/inquiry-message.repository.js';
import { findInquiryById, lockInquiry, updateInquiry } from '../db/repositories/inquiry.repository.js';
import { findSourceById } from '../db/repositories/source.repository.js';
import type { Database, InquiryUpdate, Platform } from '../db/schema.js';
import { failure, mapFailureTexts, type FailureReason, type MetaPlatform } from '../domain/failure-reason.js';
import { failureReasonText } from '../domain/failure-reason-text.js';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';
import { holdSourceAfterReadRefusal, sourceWaiting } from './source-health.workflow.js';
import { assignToWaves, queueWaveFollowUps, type WaveAssignment, type WaveDeps } from './waves.workflow.js';

export interface ReadMentionDeps {
  db: Db;
  producers: Pick<Producers, 'updateCards' | 'adminAlert'> & WaveDeps['producers'];
  logger: Logger;
  now: () => Date;
  /** Finds the connected account of the mention's source. */
  registry: Pick<ConnectorRegistry, 'route'>;
  /** Whether the text read is only thanks or emoji (as ingest decides for any item): then the mention counts as a reaction. */
  isLowPriority?: (text: string) => boolean;
  /** Suggested sector for the text read, when staff have not chosen one. */
  suggestSector?: (trx: Transaction<Database>, text: string) => Promise<string | undefined>;
  /** The first-response and resolution targets from the posting time (as ingest sets them), when the platform's time moves it. */
  slaDueAt?: (postedAt: Date) => Date;
  resolutionDueAt?: (postedAt: Date) => Date;
  /** How long to wait after a "slow down" that does not say how long; default 5 minutes. */
  slowDownMs?: number;
  secrets?: readonly string[];
  /** Wave settings, when waves are on (`WAVES=on`): once its text is known, a mention about what others are asking joins their wave (as a new question does at ingest). */
  waves?: Config['waves'];
}

export type ReadMentionOutcome =
  | { status: 'read' }
  | { status: 'unreadable'; reason: string }
  | { status: 'skipped'; reason: 'missing' | 'not_pending' | 'no_connector' | 'paused' | 'throttled' }
  | { status: 'paused' }
  | { status: 'throttled'; until: Date };

/** Longest platform wording kept in a reason (it is shown on the card). */
const MAX_DETAIL = 300;

/** Mentions come from the Meta platforms (Instagram); the reason names one. */
const metaPlatform = (platform: Platform): MetaPlatform => (platform === 'facebook' ? 'facebook' : 'instagram');

/** Reads the text of the mention `inquiryId` if it is still to be read. */
export async function readMention(deps: ReadMentionDeps, inquiryId: number): Promise<ReadMentionOutcome> {
  const inquiry = await findInquiryById(deps.db, inquiryId);
  if (!inquiry) return { status: 'skipped', reason: 'missing' };
  if (!inquiry.detailsPending) return { status: 'skipped', reason: 'not_pending' };
  const connector = deps.registry.route(inquiry.platform, inquiry.sourceId)?.connector;
  if (!connector?.readDetails) return { status: 'skipped', reason: 'no_connector' };
  const source = inquiry.sourceId === null ? undefined : await findSourceById(deps.db, inquiry.sourceId);
  const now = deps.now();
  const waiting = source && sourceWaiting(source, now);
  if (waiting) return { status: 'skipped', reason: waiting };
  const log = deps.logger.child({ inquiryId, sourceId: inquiry.sourceId });

  let details: ItemDetails | undefined;
  try {
    details = await connector.readDetails({ kind: inquiry.kind, externalId: inquiry.externalId, threadId: inquiry.threadId });
  } catch (error) {
    const verdict = connector.classifyError(error);
    const summary = scrubSecrets(verdict.summary, deps.secrets);
    const health = { db: deps.db, producers: deps.producers, logger: log, secrets: deps.secrets ?? [] };
    const held = source && (await holdSourceAfterReadRefusal(health, source, verdict, summary, now, deps.slowDownMs ?? 5 * 60_000));
    if (held) return held;
    switch (verdict.action) {
      // Without a source row to pause or slow down (none is recorded on the inquiry), the queue tries again later.
      case 'pause_source':
      case 'slow_down':
      case 'pause_publishing':
      case 'retry':
        log.warn({ summary }, 'reading the mention failed; it will be tried again');
        throw error;
      case 'fail':
      case 'look_up':
        return recordUnreadable(deps, inquiryId, failure('details_refused', { platform: metaPlatform(inquiry.platform), detail: summary.slice(0, MAX_DETAIL) }));
    }
  }
  if (!details) return recordUnreadable(deps, inquiryId, failure('details_gone', { platform: metaPlatform(inquiry.platform) }));

  const read = details;
  const recorded = await deps.db.transaction().execute(async (trx): Promise<{ waves: WaveAssignment | undefined } | undefined> => {
    const current = await lockInquiry(trx, inquiryId);
    if (!current?.detailsPending) return undefined;
    const changes: InquiryUpdate = { text: read.text, detailsPending: false, detailsError: null };
    if (read.authorName !== null) changes.authorName = read.authorName;
    if (read.permalink !== null) changes.permalink = read.permalink;
    if (read.threadId !== null && current.threadId === null) changes.threadId = read.threadId;
    // The webhook came when Meta sent it; the platform's time is when the citizen wrote (what response times count from).
    const postedAt = read.postedAt && read.postedAt < current.postedAt ? read.postedAt : undefined;
    if (postedAt) {
      changes.postedAt = postedAt;
      if (current.lastCitizenAt.getTime() === current.postedAt.getTime()) changes.lastCitizenAt = postedAt;
      if (deps.slaDueAt && current.slaDueAt) changes.slaDueAt = deps.slaDueAt(postedAt);
      if (deps.resolutionDueAt && current.resolutionDueAt) changes.resolutionDueAt = deps.resolutionDueAt(postedAt);
    }
    // Only thanks or emoji ("@city 🙏"): a reaction, as the same words in a comment are, unless staff already took it up.
    const reaction = current.status === 'new' && !current.lowPriority && (deps.isLowPriority?.(read.text) ?? false);
    if (reaction) changes.lowPriority = true;
    if (current.sectorCode === null && current.suggestedSectorCode === null && deps.suggestSector) {
      const suggested = await deps.suggestSector(trx, read.text);
      if (suggested) changes.suggestedSectorCode = suggested;
    }
    await updateInquiry(trx, inquiryId, changes);
    await updateInquiryMessageDetails(trx, current.platform, current.externalId, { text: read.text, ...(postedAt ? { postedAt } : {}) });
    await insertEvent(trx, {
      type: 'details_read',
      inquiryId,
      payload: {
        externalId: current.externalId,
        ...(read.authorName === null ? {} : { authorName: read.authorName }),
        ...(read.postedAt ? { postedAt: read.postedAt.toISOString() } : {}),
        ...(postedAt ? { previousPostedAt: current.postedAt.toISOString() } : {}),
        characters: read.text.length,
        ...(reaction ? { lowPriority: true } : {}),
      },
    });
    // Its text known, it is grouped like a new question (its card, already sent, stays; the wave's card counts it too).
    const waves = deps.waves && !reaction ? await assignToWaves(trx, [inquiryId], { now, waves: deps.waves }) : undefined;
    return { waves };
  });
  if (recorded) {
    await deps.producers.updateCards([inquiryId]);
    if (recorded.waves) await queueWaveFollowUps(deps.producers, recorded.waves);
  }
  log.info({ characters: read.text.length }, 'the mention was read');
  return { status: 'read' };
}

/**
 * Records why the text cannot be read: `details_error` keeps the reason as a
 * code with its parameters (JSON), which the card shows in its reader's
 * language; the event and the log carry the English sentence.
 */
async function recordUnreadable(deps: ReadMentionDeps, inquiryId: number, why: FailureReason): Promise<ReadMentionOutcome> {
  const stored = mapFailureTexts(why, (text) => scrubSecrets(text, deps.secrets));
  const reason = failureReasonText(stored, 'en');
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const current = await lockInquiry(trx, inquiryId);
    if (!current?.detailsPending) return false;
    await updateInquiry(trx, inquiryId, { detailsPending: false, detailsError: JSON.stringify(stored) });
    await insertEvent(trx, { type: 'details_unreadable', inquiryId, payload: { externalId: current.externalId, reason, failure: stored } });
    return true;
  });
  if (recorded) await deps.producers.updateCards([inquiryId]);
  deps.logger.warn({ inquiryId, reason }, 'the mention could not be read; its card says so');
  return { status: 'unreadable', reason };
}
