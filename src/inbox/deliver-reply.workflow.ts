/**
 * Publishing a staff reply, exactly once.
 *
 * One call of {@link deliverReply} is one attempt. An attempt first takes the
 * reply's lease in Postgres (one conditional UPDATE: free, or expired because
 * its holder died); while another attempt holds it, this one backs off
 * (`busy`) without looking or posting. Everything that touches the platform
 * runs under the lease, which lasts longer than one platform call
 * (`callTimeoutMs`) plus a margin and is renewed before the post:
 *
 * 1. If an earlier attempt's outcome is unknown (`in_flight_at` is set: a
 *    timeout, a 5xx, a process that died, a reply failed that way and
 *    retried), it first asks the platform whether the reply is there (same
 *    text, from the page, since then, where the plan puts it, and not an item
 *    already recorded as another reply); if it is, it is recorded as sent and
 *    nothing is posted again.
 * 2. It commits `in_flight_at` (and renews the lease) before calling the
 *    platform, so a webhook of our own reply that arrives before step 3 is not
 *    taken for a native answer (ingest skips page answers matching an
 *    in-flight reply's text).
 * 3. On success, one transaction: the reply is `sent` with its external id;
 *    the inquiry, if it has no first response yet, is `answered` via
 *    `telegram` by the reply's author at the send time; events `reply_sent`
 *    and `answered`. Then `reply.result` is enqueued for the bot.
 * 4. On a permanent failure: the reply is `failed` with a scrubbed reason
 *    that says what to do (a code and its parameters, shown in each
 *    reader's language, and its English sentence), event `reply_failed`,
 *    and `reply.result`. When the
 *    outcome of an attempt is still unknown (attempts used up, or the look-up
 *    itself refused), the reason says it may already be published, and the
 *    reply keeps `in_flight_at` so that *Retry* looks before posting.
 *
 * Recording the outcome releases the lease. An attempt whose outcome is
 * unknown keeps it until it expires: a POST the platform is still processing
 * lands before anyone looks for it. Throttling, dead credentials, a Page
 * blocked from publishing (Graph 368) and transient failures are returned as
 * outcomes; the worker turns them into a queue rate limit, a parked job or a
 * delayed retry.
 */
import { randomUUID } from 'node:crypto';
import { replyTextLength, type Connector, type PublishedReply, type QuickReply, type ReplyPlan, type ReplyTarget } from '../connectors/connector.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Db } from '../db/create-db.js';
import { failure, mapFailureTexts, type FailureReason } from '../domain/failure-reason.js';
import { failureReasonText } from '../domain/failure-reason-text.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { NotFoundError } from '../db/errors.js';
import { getInquiryById, lockInquiry, updateInquiry } from '../db/repositories/inquiry.repository.js';
import {
  clearReplyInFlight,
  findExternalIdsOfOtherReplies,
  findReplyById,
  lockExternalIdOfReply,
  lockReply,
  markReplyFailed,
  markReplyInFlightUnderLease,
  markReplySent,
  releaseReplyLease,
  takeReplyLease,
  updatePendingReplyAttempts,
} from '../db/repositories/reply.repository.js';
import { findSourceById } from '../db/repositories/source.repository.js';
import type { InquiryRow, ReplyRow, SourceRow } from '../db/schema.js';
import { awaitsFinalAnswer, isOpen } from '../domain/inquiry.js';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';
import { pauseSourceForDeadCredentials, pauseSourcePublishingUntil, throttleSourceUntil } from './source-health.workflow.js';

/** How far back from `in_flight_at` a found reply still counts as ours (clock skew between us and the platform). */
const LOOKUP_SKEW_MS = 5 * 60_000;
/** A platform call's deadline when the connector does not say. */
const DEFAULT_CALL_TIMEOUT_MS = 20_000;
/** What a lease adds to one platform call: the database writes around it, a slow event loop, clocks a little apart. */
const LEASE_MARGIN_MS = 30_000;
/** How long publishing waits after the platform blocked it (Graph 368) without saying for how long. */
const DEFAULT_PUBLISHING_BLOCK_MS = 24 * 60 * 60_000;

export interface ReplyDeliveryDeps {
  db: Db;
  producers: Pick<Producers, 'replyResult' | 'adminAlert'>;
  logger: Logger;
  now: () => Date;
  /** Finds the connected account that publishes for an inquiry's platform and source. */
  registry: Pick<ConnectorRegistry, 'route'>;
  /** Attempts that reach the platform before a transient failure becomes permanent; default 8. */
  maxAttempts?: number;
  /** How long to slow down when the platform throttles without saying for how long; default 60 s. */
  slowDownMs?: number;
  /**
   * How long an attempt owns a reply, in ms: more than one platform call can
   * take (the connector's `callTimeoutMs`); default that deadline + 30 s.
   */
  leaseMs?: number;
  /** How long publishing pauses when the platform blocks it (Graph 368) without saying for how long; default 24 h. */
  publishingBlockMs?: number;
  secrets?: readonly string[];
  /** The quick replies offered with the service's own question (a `solved_question` reply, ASK_IF_SOLVED). */
  quickRepliesFor?: (reply: ReplyRow) => QuickReply[] | undefined;
}

export type DeliveryOutcome =
  | { status: 'sent'; externalId: string; /** Found already published by an earlier attempt. */ found: boolean }
  /** `reason`: the English sentence stored in `failure_reason`; `failure`: its code and parameters. */
  | { status: 'failed'; reason: string; failure: FailureReason }
  | { status: 'not_pending' }
  | { status: 'missing' }
  /**
   * The reply waits: the source is paused (dead credentials) until an admin
   * resumes it, or its publishing is paused (Graph 368) until `until`.
   */
  | { status: 'parked'; until?: Date }
  /** Another attempt owns the reply until `until` (its lease): this one did nothing. */
  | { status: 'busy'; until: Date }
  /** The platform throttles us: try again after `delayMs`; nothing was published. */
  | { status: 'slow_down'; delayMs: number; summary: string }
  /**
   * A transient failure: try again; `attempt` attempts reached the platform so
   * far. `notBefore`: the outcome is unknown and this attempt keeps the reply
   * until then, so the next one waits for it.
   */
  | { status: 'retry'; attempt: number; summary: string; notBefore?: Date };

/** How long an attempt owns a reply published by `connector`. */
function leaseMsFor(deps: Pick<ReplyDeliveryDeps, 'leaseMs'>, connector: Connector | undefined): number {
  const callTimeoutMs = connector?.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  if (deps.leaseMs === undefined) return callTimeoutMs + LEASE_MARGIN_MS;
  if (!(deps.leaseMs > callTimeoutMs)) {
    throw new RangeError(`leaseMs (${deps.leaseMs}) must be longer than one platform call may take (${callTimeoutMs} ms), or two attempts could publish at once`);
  }
  return deps.leaseMs;
}

function targetOf(inquiry: InquiryRow): ReplyTarget {
  return {
    kind: inquiry.kind,
    externalId: inquiry.externalId,
    parentId: inquiry.parentId,
    threadId: inquiry.threadId,
    authorId: inquiry.authorId,
    postedAt: inquiry.postedAt,
    lastCitizenAt: inquiry.lastCitizenAt,
  };
}

/** One attempt to publish reply `replyId`. */
export async function deliverReply(deps: ReplyDeliveryDeps, replyId: number): Promise<DeliveryOutcome> {
  const found = await findReplyById(deps.db, replyId);
  if (!found) return { status: 'missing' };
  if (found.status !== 'pending') return { status: 'not_pending' };
  const inquiry = await getInquiryById(deps.db, found.inquiryId);
  const log = deps.logger.child({ replyId, inquiryId: inquiry.id });
  const account = deps.registry.route(inquiry.platform, inquiry.sourceId);
  const leaseMs = leaseMsFor(deps, account?.connector);

  const now = deps.now();
  const token = randomUUID();
  const reply = await takeReplyLease(deps.db, replyId, { token, now, until: new Date(now.getTime() + leaseMs) });
  if (!reply) {
    const current = await findReplyById(deps.db, replyId);
    if (!current) return { status: 'missing' };
    if (current.status !== 'pending') return { status: 'not_pending' };
    const until = current.leaseExpiresAt ?? now;
    log.info({ until: until.toISOString() }, 'another attempt owns this reply; this one backs off without looking or posting');
    return { status: 'busy', until };
  }

  try {
    return await attempt({ deps, log, reply, inquiry, token, leaseMs, now, connector: account?.connector, sourceId: inquiry.sourceId ?? account?.sourceId });
  } catch (error) {
    // An unexpected failure (the database): give the reply up so that the next attempt need not wait for the lease.
    await releaseReplyLease(deps.db, reply.id, token).catch(() => undefined);
    throw error;
  }
}

interface Attempt {
  deps: ReplyDeliveryDeps;
  log: Logger;
  /** The reply as this attempt found it when it took the lease. */
  reply: ReplyRow;
  inquiry: InquiryRow;
  token: string;
  leaseMs: number;
  now: Date;
  connector: Connector | undefined;
  sourceId: number | undefined;
}

/** The attempt proper, owning the reply's lease. */
async function attempt(a: Attempt): Promise<DeliveryOutcome> {
  const { deps, log, reply, inquiry, token, now } = a;
  const scrub = (text: string) => scrubSecrets(text, deps.secrets);
  const release = () => releaseReplyLease(deps.db, reply.id, token);
  const parked = async (until?: Date): Promise<DeliveryOutcome> => {
    await release();
    return until ? { status: 'parked', until } : { status: 'parked' };
  };

  const connector = a.connector;
  if (!connector) {
    return fail(deps, reply, failure('connector_missing', { platform: inquiry.platform }), {
      countAttempt: false,
      outcome: reply.inFlightAt ? 'unknown' : 'not_published',
    });
  }
  const platform = connector.platform;
  const source: SourceRow | undefined = a.sourceId === undefined ? undefined : await findSourceById(deps.db, a.sourceId);
  if (source?.removedAt) {
    return fail(deps, reply, failure('source_removed', { platform, source: source.name }), {
      countAttempt: false,
      outcome: reply.inFlightAt ? 'unknown' : 'not_published',
    });
  }
  if (source && !source.enabled) {
    log.info({ sourceId: source.id }, 'the source is paused; the reply waits until it is resumed');
    return parked();
  }
  if (source?.publishingPausedUntil && source.publishingPausedUntil > now) {
    log.info({ sourceId: source.id, until: source.publishingPausedUntil.toISOString() }, 'publishing on this source is paused; the reply waits');
    return parked(source.publishingPausedUntil);
  }
  const target = targetOf(inquiry);

  /** The page's published item that is this reply, if the platform shows one (`since`: when its outcome became unknown). */
  const lookUp = async (plan: ReplyPlan, since: Date): Promise<PublishedReply | undefined> => {
    const from = new Date(since.getTime() - LOOKUP_SKEW_MS);
    const recorded = await findExternalIdsOfOtherReplies(deps.db, { replyId: reply.id, platform: inquiry.platform, sentSince: new Date(from.getTime() - LOOKUP_SKEW_MS) });
    return connector.findPublishedReply(plan, reply.text, from, new Set(recorded));
  };
  const mayBePublished = (cause: FailureReason) => failure('may_be_published', { platform, cause });

  /**
   * What an error means for this reply. `during: 'publish'`: the error came
   * from the publish call (a clear refusal then proves nothing was posted);
   * `'lookup'`: from a look-up, which proves nothing, so an unknown outcome
   * stays unknown. `leaseUntil`: when this attempt's lease runs out.
   */
  const onError = async (error: unknown, during: 'lookup' | 'publish', plan: ReplyPlan, leaseUntil?: Date): Promise<DeliveryOutcome> => {
    const fromPublish = during === 'publish';
    // A look-up only reads: its permission errors are about reading.
    const verdict = connector.classifyError(error, fromPublish ? plan : undefined);
    const summary = scrub(verdict.summary);
    const settledNotPosted = async () => {
      if (fromPublish) await clearReplyInFlight(deps.db, reply.id);
    };
    switch (verdict.action) {
      case 'pause_source':
        await settledNotPosted();
        if (source) await pauseSourceForDeadCredentials({ db: deps.db, producers: deps.producers, logger: deps.logger, secrets: deps.secrets ?? [] }, source, summary, deps.now());
        return parked();
      case 'pause_publishing': {
        await settledNotPosted();
        const at = deps.now();
        const until = new Date(at.getTime() + (verdict.pauseMs ?? deps.publishingBlockMs ?? DEFAULT_PUBLISHING_BLOCK_MS));
        if (!source) return parked(until);
        const paused = await pauseSourcePublishingUntil({ db: deps.db, producers: deps.producers, logger: deps.logger, secrets: deps.secrets ?? [] }, source, summary, until, at);
        return parked(paused.until);
      }
      case 'slow_down': {
        await settledNotPosted();
        const delayMs = verdict.retryAfterMs ?? deps.slowDownMs ?? 60_000;
        if (source) await throttleSourceUntil({ db: deps.db, logger: log }, source, new Date(deps.now().getTime() + delayMs), summary);
        await release();
        return { status: 'slow_down', delayMs, summary };
      }
      case 'look_up': {
        if (!fromPublish) return fail(deps, reply, mayBePublished(verdict.reason), { countAttempt: false, outcome: 'unknown' });
        // The platform says it was already done (a second private reply): it may be an earlier attempt's.
        let existing: PublishedReply | undefined;
        try {
          existing = await lookUp(plan, reply.inFlightAt ?? now);
        } catch {
          return fail(deps, reply, mayBePublished(verdict.reason), { countAttempt: true, outcome: 'unknown' });
        }
        if (existing) return succeed(deps, reply, token, plan, existing.externalId, true);
        return fail(deps, reply, verdict.reason, { countAttempt: true, outcome: 'not_published' });
      }
      case 'fail':
        if (fromPublish) return fail(deps, reply, verdict.reason, { countAttempt: true, outcome: 'not_published' });
        return fail(deps, reply, mayBePublished(verdict.reason), { countAttempt: false, outcome: 'unknown' });
      case 'retry': {
        // Failed look-ups count too, so a platform that never answers ends in a clear failure.
        const attempts = reply.attempts + 1;
        const unknown = fromPublish ? verdict.outcomeUnknown : true;
        if (fromPublish && !verdict.outcomeUnknown) await settledNotPosted();
        await updatePendingReplyAttempts(deps.db, reply.id, attempts);
        if (attempts >= (deps.maxAttempts ?? 8)) {
          const reason = failure(unknown ? 'unconfirmed_after_attempts' : 'not_accepted_after_attempts', { platform, attempts, problem: summary });
          return fail(deps, reply, reason, { countAttempt: false, outcome: unknown ? 'unknown' : 'not_published' });
        }
        log.warn({ attempt: attempts, summary }, 'publishing the reply failed; it will be tried again');
        if (fromPublish && verdict.outcomeUnknown && leaseUntil) {
          // The platform may still be processing the post: keep the reply until the lease runs out, so nobody looks before it lands.
          return { status: 'retry', attempt: attempts, summary, notBefore: leaseUntil };
        }
        await release();
        return { status: 'retry', attempt: attempts, summary };
      }
      default: {
        const unknownVerdict: never = verdict;
        throw new TypeError(`unknown verdict ${JSON.stringify(unknownVerdict)}`);
      }
    }
  };

  // An earlier attempt may have published it (a timeout after the platform had posted): look before posting again,
  // where that attempt would have put it.
  if (reply.inFlightAt) {
    const earlier = connector.planReply(target, reply.visibility, reply.inFlightAt);
    if (earlier.ok) {
      let existing: PublishedReply | undefined;
      try {
        existing = await lookUp(earlier.plan, reply.inFlightAt);
      } catch (error) {
        return onError(error, 'lookup', earlier.plan);
      }
      if (existing) {
        log.info({ externalId: existing.externalId }, 'the reply was already published by an earlier attempt; recorded without posting again');
        return succeed(deps, reply, token, earlier.plan, existing.externalId, true);
      }
    }
  }

  const planned = connector.planReply(target, reply.visibility, now);
  if (!planned.ok) return fail(deps, reply, planned.reason, { countAttempt: false, outcome: 'not_published' });
  const { plan } = planned;
  // The question "was it solved?" is no human agent's answer: never with the HUMAN_AGENT tag (Messenger's rules).
  if (reply.kind === 'solved_question' && plan.tag !== undefined) {
    return fail(deps, reply, failure('question_window_closed', { platform }), {
      countAttempt: false,
      outcome: reply.inFlightAt ? 'unknown' : 'not_published',
    });
  }
  // The preview refused it already; a reply that got past it is not sent to be refused there.
  const length = replyTextLength(reply.text);
  const maxLength = connector.maxTextLength(plan.channel);
  if (length > maxLength) {
    return fail(deps, reply, failure('text_too_long', { platform, channel: plan.channel, length, max: maxLength }), {
      countAttempt: false,
      outcome: reply.inFlightAt ? 'unknown' : 'not_published',
    });
  }

  // Renew the lease for the post itself; if it is no longer ours (it expired and another attempt took it), post nothing.
  const leaseUntil = new Date(deps.now().getTime() + a.leaseMs);
  if (!(await markReplyInFlightUnderLease(deps.db, reply.id, { token, at: now, until: leaseUntil, channel: plan.channel }))) {
    const current = await findReplyById(deps.db, reply.id);
    if (!current || current.status !== 'pending') return { status: 'not_pending' };
    log.warn('this attempt lost the reply to another one before posting; it backs off');
    return { status: 'busy', until: current.leaseExpiresAt ?? deps.now() };
  }

  let published: PublishedReply;
  try {
    const quickReplies = reply.kind === 'solved_question' ? deps.quickRepliesFor?.(reply) : undefined;
    published = await connector.publishReply(plan, reply.text, quickReplies ? { quickReplies } : {});
  } catch (error) {
    return onError(error, 'publish', plan, leaseUntil);
  }
  return succeed(deps, reply, token, plan, published.externalId, false);
}

/** Records the reply as published (`found`: by an earlier attempt, seen by a look-up); `token` is this attempt's lease. */
async function succeed(deps: ReplyDeliveryDeps, reply: ReplyRow, token: string, plan: ReplyPlan, externalId: string, found: boolean): Promise<DeliveryOutcome> {
  const sentAt = deps.now();
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const current = await lockReply(trx, reply.id);
    if (!current) throw new NotFoundError('reply', reply.id);
    if (current.status !== 'pending') return 'not_pending' as const;
    // Two look-ups of different replies can find the same item: only one of them may record it.
    if (found && (await lockExternalIdOfReply(trx, externalId, reply.id)) !== undefined) return 'taken' as const;
    await markReplySent(trx, reply.id, { externalId, sentAt, channel: plan.channel, attempts: found ? current.attempts : current.attempts + 1 });
    const actor = current.staffId === null ? ({ actorKind: 'system' } as const) : ({ actorKind: 'staff', actorStaffId: current.staffId } as const);
    await insertEvent(trx, {
      type: 'reply_sent',
      inquiryId: current.inquiryId,
      ...actor,
      occurredAt: sentAt,
      payload: {
        replyId: current.id,
        externalId,
        channel: plan.channel,
        visibility: current.visibility,
        ...(plan.messagingType ? { messagingType: plan.messagingType } : {}),
        ...(plan.tag ? { tag: plan.tag } : {}),
        ...(found ? { foundAfterUnknownOutcome: true } : {}),
      },
    });
    const inquiry = await lockInquiry(trx, current.inquiryId);
    if (inquiry) await recordAnswerEffect(trx, inquiry, current, { externalId, sentAt, actor });
    return 'recorded' as const;
  });
  if (recorded === 'taken') {
    // Look again (the item is now excluded) after a short wait; nothing was posted.
    await releaseReplyLease(deps.db, reply.id, token);
    const summary = `the item found (${externalId}) was recorded for another reply at the same moment`;
    deps.logger.info({ replyId: reply.id, externalId }, 'the published item found belongs to another reply; looking again');
    return { status: 'retry', attempt: reply.attempts, summary };
  }
  if (recorded === 'recorded') {
    deps.logger.info({ replyId: reply.id, externalId, channel: plan.channel, found }, 'reply published');
    await deps.producers.replyResult(reply.id);
  }
  return { status: 'sent', externalId, found };
}

/**
 * What a published reply does to its inquiry, by its kind (DESIGN.md,
 * Domain: status), in the transaction that records it as sent:
 * - the first answer of any kind but a correction is the first response
 *   (`answered`, via `telegram`, by its author at the send time);
 * - `final` closes an inquiry awaiting its final answer (`closed_at`, event
 *   `closed`); to one already closed it is a further answer (event `further_answer`);
 * - `interim` leaves it `answered`, open on the resolution clock;
 *   another interim is a further answer;
 * - `correction` changes no state (event `corrected`);
 * - `solved_question` records that the citizen was asked (ASK_IF_SOLVED).
 */
async function recordAnswerEffect(
  trx: Db,
  inquiry: InquiryRow,
  reply: ReplyRow,
  sent: { externalId: string; sentAt: Date; actor: { actorKind: 'system' } | { actorKind: 'staff'; actorStaffId: number } },
): Promise<void> {
  const { sentAt, actor } = sent;
  const common = { replyId: reply.id, externalId: sent.externalId, kind: reply.kind };
  if (reply.kind === 'solved_question') {
    await updateInquiry(trx, inquiry.id, { solvedAskedAt: inquiry.solvedAskedAt ?? sentAt });
    await insertEvent(trx, { type: 'solved_asked', inquiryId: inquiry.id, ...actor, occurredAt: sentAt, payload: common });
    return;
  }
  if (reply.kind === 'correction') {
    await insertEvent(trx, { type: 'corrected', inquiryId: inquiry.id, ...actor, occurredAt: sentAt, payload: common });
    return;
  }
  let furtherAnswer = true;
  if (inquiry.firstResponseAt === null && isOpen(inquiry.status)) {
    const from = inquiry.status;
    inquiry = await updateInquiry(trx, inquiry.id, { status: 'answered', firstResponseAt: sentAt, answeredVia: 'telegram', answeredBy: reply.staffId });
    await insertEvent(trx, {
      type: 'answered',
      inquiryId: inquiry.id,
      ...actor,
      occurredAt: sentAt,
      payload: { via: 'telegram', ...common, at: sentAt.toISOString(), from },
    });
    furtherAnswer = false;
  }
  if (reply.kind === 'final' && awaitsFinalAnswer(inquiry.status)) {
    const from = inquiry.status;
    await updateInquiry(trx, inquiry.id, { status: 'closed', closedAt: sentAt });
    await insertEvent(trx, { type: 'closed', inquiryId: inquiry.id, ...actor, occurredAt: sentAt, payload: { ...common, at: sentAt.toISOString(), from } });
    return;
  }
  if (furtherAnswer) await insertEvent(trx, { type: 'further_answer', inquiryId: inquiry.id, ...actor, occurredAt: sentAt, payload: { ...common, status: inquiry.status } });
}

/**
 * Records the reply as failed for good: `replies.failure` keeps the reason's
 * code and parameters (rendered in each reader's language when shown),
 * `replies.failure_reason` its English sentence (logs, exports, and what
 * rows from before codes have). Both, scrubbed, go into the `reply_failed` event.
 */
async function fail(
  deps: ReplyDeliveryDeps,
  reply: ReplyRow,
  reason: FailureReason,
  how: { countAttempt: boolean; outcome: 'not_published' | 'unknown' },
): Promise<DeliveryOutcome> {
  const cleanReason = mapFailureTexts(reason, (text) => scrubSecrets(text, deps.secrets).slice(0, 1_000));
  const text = failureReasonText(cleanReason, 'en').slice(0, 2_000);
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const updated = await markReplyFailed(trx, reply.id, { reason: text, failure: cleanReason, ...how });
    if (!updated) return false;
    await insertEvent(trx, {
      type: 'reply_failed',
      inquiryId: updated.inquiryId,
      actorKind: 'system',
      payload: { replyId: updated.id, reason: text, failure: cleanReason, ...(how.outcome === 'unknown' ? { mayBePublished: true } : {}) },
    });
    return true;
  });
  if (recorded) {
    deps.logger.warn({ replyId: reply.id, reason: text, code: cleanReason.code }, 'reply not published');
    await deps.producers.replyResult(reply.id);
  }
  return { status: 'failed', reason: text, failure: cleanReason };
}
