/**
 * Publishing a staff reply, exactly once.
 *
 * One call of {@link deliverReply} is one attempt. It decides how the reply
 * goes out (the connector's plan: public comment reply, private reply,
 * Messenger with the right window), and:
 *
 * 1. If an earlier attempt's outcome is unknown (`in_flight_at` is set: a
 *    timeout, a 5xx), it first asks the platform whether the reply is there
 *    (same text, from the page, since then); if it is, it is recorded as sent
 *    and nothing is posted again.
 * 2. It commits `in_flight_at` before calling the platform, so a webhook of
 *    our own reply that arrives before step 3 is not taken for a native
 *    answer (ingest skips page answers matching an in-flight reply's text).
 * 3. On success, one transaction: the reply is `sent` with its external id;
 *    the inquiry, if it has no first response yet, is `answered` via
 *    `telegram` by the reply's author at the send time; events `reply_sent`
 *    and `answered`. Then `reply.result` is enqueued for the bot.
 * 4. On a permanent failure: the reply is `failed` with a scrubbed reason
 *    that says what to do, event `reply_failed`, and `reply.result`.
 *
 * Throttling, dead credentials and transient failures are returned as
 * outcomes; the worker turns them into a queue rate limit, a parked job or a
 * delayed retry.
 */
import { replyTextLength, type PublishedReply, type ReplyPlan } from '../connectors/connector.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Db } from '../db/create-db.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { NotFoundError } from '../db/errors.js';
import { getInquiryById, lockInquiry, updateInquiry } from '../db/repositories/inquiry.repository.js';
import {
  clearReplyInFlight,
  findReplyById,
  lockReply,
  markReplyFailed,
  markReplyInFlight,
  markReplySent,
  updatePendingReplyAttempts,
} from '../db/repositories/reply.repository.js';
import { findSourceById } from '../db/repositories/source.repository.js';
import type { InquiryRow, ReplyRow, SourceRow } from '../db/schema.js';
import { isOpen } from '../domain/inquiry.js';
import type { Logger } from '../observability/logger.js';
import { scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';
import { pauseSourceForDeadCredentials, throttleSourceUntil } from './source-health.workflow.js';

/** How far back from `in_flight_at` a found reply still counts as ours (clock skew between us and the platform). */
const LOOKUP_SKEW_MS = 5 * 60_000;

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
  secrets?: readonly string[];
}

export type DeliveryOutcome =
  | { status: 'sent'; externalId: string; /** Found already published by an earlier attempt. */ found: boolean }
  | { status: 'failed'; reason: string }
  | { status: 'not_pending' }
  | { status: 'missing' }
  /** The source is paused (dead credentials): the reply waits until an admin resumes it. */
  | { status: 'parked' }
  /** The platform throttles us: try again after `delayMs`; nothing was published. */
  | { status: 'slow_down'; delayMs: number; summary: string }
  /** A transient failure: try again; `attempt` attempts reached the platform so far. */
  | { status: 'retry'; attempt: number; summary: string };

interface Loaded {
  reply: ReplyRow;
  inquiry: InquiryRow;
}

async function load(db: Db, replyId: number): Promise<Loaded | undefined> {
  const reply = await findReplyById(db, replyId);
  if (!reply) return undefined;
  const inquiry = await getInquiryById(db, reply.inquiryId);
  return { reply, inquiry };
}

/** One attempt to publish reply `replyId`. */
export async function deliverReply(deps: ReplyDeliveryDeps, replyId: number): Promise<DeliveryOutcome> {
  const scrub = (text: string) => scrubSecrets(text, deps.secrets);
  const loaded = await load(deps.db, replyId);
  if (!loaded) return { status: 'missing' };
  const { reply, inquiry } = loaded;
  if (reply.status !== 'pending') return { status: 'not_pending' };
  const log = deps.logger.child({ replyId, inquiryId: inquiry.id });

  const account = deps.registry.route(inquiry.platform, inquiry.sourceId);
  if (!account) {
    return fail(deps, reply, `Replies to ${inquiry.platform} cannot be published: that connector is not configured. Answer on ${inquiry.platform} itself.`, false);
  }
  const { connector } = account;
  const source: SourceRow | undefined = await findSourceById(deps.db, inquiry.sourceId ?? account.sourceId);
  if (source && !source.enabled) {
    log.info({ sourceId: source.id }, 'the source is paused; the reply waits until it is resumed');
    return { status: 'parked' };
  }

  const now = deps.now();
  const planned = connector.planReply(
    {
      kind: inquiry.kind,
      externalId: inquiry.externalId,
      parentId: inquiry.parentId,
      threadId: inquiry.threadId,
      authorId: inquiry.authorId,
      postedAt: inquiry.postedAt,
      lastCitizenAt: inquiry.lastCitizenAt,
    },
    reply.visibility,
    now,
  );
  if (!planned.ok) return fail(deps, reply, planned.reason, false);
  const { plan } = planned;
  // The preview refused it already; a reply that got past it is not sent to be refused there.
  const length = replyTextLength(reply.text);
  const maxLength = connector.maxTextLength(plan.channel);
  if (length > maxLength) {
    const platform = connector.platform === 'facebook' ? 'Facebook' : connector.platform;
    const where = { comment_reply: 'a comment reply', private_reply: 'a private reply to a comment', messenger: 'a Messenger message' }[plan.channel];
    return fail(deps, reply, `Not sent: the answer has ${length} characters, and ${platform} takes at most ${maxLength} in ${where}. Shorten it and send it again.`, false);
  }

  /**
   * What an error means for this reply. `fromPublish`: the error came from the
   * publish call (a clear refusal then proves nothing was posted); otherwise
   * from a lookup, which proves nothing, so an unknown outcome stays unknown.
   */
  const onError = async (error: unknown, fromPublish: boolean): Promise<DeliveryOutcome> => {
    // A lookup only reads: its permission errors are about reading.
    const verdict = connector.classifyError(error, fromPublish ? plan : undefined);
    const summary = scrub(verdict.summary);
    const settledNotPosted = async () => {
      if (fromPublish) await clearReplyInFlight(deps.db, reply.id);
    };
    switch (verdict.action) {
      case 'pause_source':
        await settledNotPosted();
        if (source) await pauseSourceForDeadCredentials({ db: deps.db, producers: deps.producers, logger: deps.logger, secrets: deps.secrets ?? [] }, source, summary, deps.now());
        return { status: 'parked' };
      case 'slow_down': {
        await settledNotPosted();
        const delayMs = verdict.retryAfterMs ?? deps.slowDownMs ?? 60_000;
        if (source) await throttleSourceUntil({ db: deps.db, logger: log }, source, new Date(deps.now().getTime() + delayMs), summary);
        return { status: 'slow_down', delayMs, summary };
      }
      case 'look_up': {
        const since = new Date((reply.inFlightAt ?? now).getTime() - LOOKUP_SKEW_MS);
        const existing = await connector.findPublishedReply(plan, reply.text, since).catch(() => undefined);
        if (existing) return succeed(deps, reply, plan, existing.externalId, true);
        return fail(deps, reply, verdict.reason, fromPublish);
      }
      case 'fail':
        return fail(deps, reply, verdict.reason, fromPublish);
      case 'retry': {
        // Failed lookups count too, so a platform that never answers ends in a clear failure.
        const attempt = reply.attempts + 1;
        if (!verdict.outcomeUnknown) await settledNotPosted();
        await updatePendingReplyAttempts(deps.db, reply.id, attempt);
        if (attempt >= (deps.maxAttempts ?? 8)) {
          const platform = connector.platform === 'facebook' ? 'Facebook' : connector.platform;
          return fail(deps, reply, `Not sent: ${platform} did not accept it after ${attempt} attempts (last problem: ${summary}). Send the reply again later.`, false);
        }
        log.warn({ attempt, summary }, 'publishing the reply failed; it will be tried again');
        return { status: 'retry', attempt, summary };
      }
      default: {
        const unknown: never = verdict;
        throw new TypeError(`unknown verdict ${JSON.stringify(unknown)}`);
      }
    }
  };

  // An earlier attempt may have published it (a timeout after Facebook had posted): look before posting again.
  if (reply.inFlightAt) {
    let existing: PublishedReply | undefined;
    try {
      existing = await connector.findPublishedReply(plan, reply.text, new Date(reply.inFlightAt.getTime() - LOOKUP_SKEW_MS));
    } catch (error) {
      return onError(error, false);
    }
    if (existing) {
      log.info({ externalId: existing.externalId }, 'the reply was already published by an earlier attempt; recorded without posting again');
      return succeed(deps, reply, plan, existing.externalId, true);
    }
  }

  await markReplyInFlight(deps.db, reply.id, now, plan.channel);

  let published: PublishedReply;
  try {
    published = await connector.publishReply(plan, reply.text);
  } catch (error) {
    return onError(error, true);
  }
  return succeed(deps, reply, plan, published.externalId, false);
}

async function succeed(deps: ReplyDeliveryDeps, reply: ReplyRow, plan: ReplyPlan, externalId: string, found: boolean): Promise<DeliveryOutcome> {
  const sentAt = deps.now();
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const current = await lockReply(trx, reply.id);
    if (!current) throw new NotFoundError('reply', reply.id);
    if (current.status !== 'pending') return false;
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
    if (inquiry && inquiry.firstResponseAt === null && isOpen(inquiry.status)) {
      await updateInquiry(trx, inquiry.id, { status: 'answered', firstResponseAt: sentAt, answeredVia: 'telegram', answeredBy: current.staffId });
      await insertEvent(trx, {
        type: 'answered',
        inquiryId: inquiry.id,
        ...actor,
        occurredAt: sentAt,
        payload: { via: 'telegram', replyId: current.id, externalId, at: sentAt.toISOString(), from: inquiry.status },
      });
    }
    return true;
  });
  if (recorded) {
    deps.logger.info({ replyId: reply.id, externalId, channel: plan.channel, found }, 'reply published');
    await deps.producers.replyResult(reply.id);
  }
  return { status: 'sent', externalId, found };
}

async function fail(deps: ReplyDeliveryDeps, reply: ReplyRow, reason: string, published: boolean): Promise<DeliveryOutcome> {
  const clean = scrubSecrets(reason, deps.secrets).slice(0, 2_000);
  const recorded = await deps.db.transaction().execute(async (trx) => {
    const updated = await markReplyFailed(trx, reply.id, clean, published);
    if (!updated) return false;
    await insertEvent(trx, { type: 'reply_failed', inquiryId: updated.inquiryId, actorKind: 'system', payload: { replyId: updated.id, reason: clean } });
    return true;
  });
  if (recorded) {
    deps.logger.warn({ replyId: reply.id, reason: clean }, 'reply not published');
    await deps.producers.replyResult(reply.id);
  }
  return { status: 'failed', reason: clean };
}
