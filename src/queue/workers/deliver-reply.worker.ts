/**
 * `reply.deliver` (deliver queue): publishes a staff reply through its
 * platform's connector, exactly once (see `inbox/deliver-reply.workflow.ts`).
 *
 * How outcomes become queue behaviour:
 * - sent, failed, not pending: done (a permanent failure is recorded in
 *   Postgres first, then the job fails with `UnrecoverableError`);
 * - the platform throttles us (Graph 4, 17, 32, 613): the whole worker is
 *   rate limited for the time Facebook asks (`worker.rateLimit` +
 *   `Worker.RateLimitError()`): the job goes back to waiting without using
 *   an attempt, nothing was published, nothing is lost;
 * - high usage headers after a success: the worker is rate limited too, so
 *   the next replies wait instead of hitting the limit;
 * - a transient failure: the job is delayed (`retryDelayMs(attempt)`, and
 *   when the outcome is unknown at least until the attempt's lease runs out)
 *   and tried again; the attempt count lives in `replies.attempts`;
 * - another attempt owns the reply (a job queued again by the reconciler
 *   after Redis was emptied, a stalled job run again): the job is delayed
 *   until that attempt's lease runs out; nothing was looked up or posted;
 * - the source is paused (dead token) or its publishing is (Graph 368): the
 *   job is parked (delayed by `parkDelayMs`, or until the pause ends if that
 *   is sooner, re-checked then); `ardzagank sources resume` promotes it.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import { deliverReply, type DeliveryOutcome, type ReplyDeliveryDeps } from '../../inbox/deliver-reply.workflow.js';
import type { HandlerTable } from '../handlers.js';
import { QUEUE_NAMES, type JobPayloads } from '../jobs.js';
import { createQueueWorker } from '../worker-factory.js';

export interface DeliverReplyWorkerDeps extends ReplyDeliveryDeps {
  /** Every platform's connected account: replies are routed by their inquiry's platform and source. */
  registry: Pick<ConnectorRegistry, 'route' | 'modules'>;
  metrics: Metrics;
  connection: Redis;
  prefix: string;
  /** Delay before retry number `attempt` (1-based) after a transient failure; default 5 s doubling, at most 10 minutes. */
  retryDelayMs?: (attempt: number) => number;
  /** How long a job waits when its source is paused before it checks again; default 1 minute. */
  parkDelayMs?: number;
  /** Added to the wait for another attempt's lease, so the retry comes after it ran out; default 100 ms. */
  leaseSlackMs?: number;
  /** Longest queue rate limit, whatever Facebook says; default 1 hour. */
  maxRateLimitMs?: number;
  /** Usage percentage from which the worker slows down after a success; default 90. */
  highUsagePercent?: number;
  concurrency?: number;
  autorun?: boolean;
}

const defaultRetryDelay = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 10 * 60_000);

/** Processes one job on `worker` (rate limits apply to it); exported for tests. */
export async function processDeliverReplyJob(
  deps: DeliverReplyWorkerDeps,
  worker: Pick<Worker, 'rateLimit'>,
  job: Job<JobPayloads['reply.deliver']>,
  log: Logger,
): Promise<DeliveryOutcome> {
  const outcome = await deliverReply({ ...deps, logger: log }, job.data.replyId);
  const maxRateLimitMs = deps.maxRateLimitMs ?? 60 * 60_000;
  const slack = deps.leaseSlackMs ?? 100;
  // Times in outcomes are on the workflow's clock (`deps.now`); delays are real milliseconds from now.
  const untilMs = (at: Date) => Math.max(0, at.getTime() - deps.now().getTime());
  switch (outcome.status) {
    case 'sent': {
      const usage = deps.registry.modules
        .flatMap((m) => (m.accounts ?? []).map((a) => a.connector.usage()))
        .reduce<{ percent: number; regainAccessInMs: number } | undefined>((a, b) => (b && (!a || b.percent > a.percent) ? b : a), undefined);
      if (usage && usage.percent >= (deps.highUsagePercent ?? 90)) {
        const ms = Math.min(Math.max(usage.regainAccessInMs, deps.slowDownMs ?? 60_000), maxRateLimitMs);
        log.warn({ usagePercent: usage.percent, waitMs: ms }, 'Graph usage is high; the next replies wait');
        await worker.rateLimit(ms);
      }
      return outcome;
    }
    case 'not_pending':
    case 'missing':
      return outcome;
    case 'failed':
      throw new UnrecoverableError(outcome.reason);
    case 'slow_down': {
      const ms = Math.min(outcome.delayMs, maxRateLimitMs);
      log.warn({ waitMs: ms, summary: outcome.summary }, 'the platform throttles us; the deliver queue waits and the reply is tried again');
      await worker.rateLimit(ms);
      throw Worker.RateLimitError();
    }
    case 'retry': {
      const backoff = (deps.retryDelayMs ?? defaultRetryDelay)(outcome.attempt);
      const delay = Math.max(backoff, outcome.notBefore ? untilMs(outcome.notBefore) + slack : 0);
      await job.moveToDelayed(Date.now() + delay, job.token);
      throw new DelayedError(`retry in ${delay} ms`);
    }
    case 'busy': {
      const delay = untilMs(outcome.until) + slack;
      log.info({ waitMs: delay }, 'another attempt owns this reply; this job waits for it');
      await job.moveToDelayed(Date.now() + delay, job.token);
      throw new DelayedError(`another attempt owns the reply; again in ${delay} ms`);
    }
    case 'parked': {
      const park = deps.parkDelayMs ?? 60_000;
      const delay = outcome.until ? Math.min(park, untilMs(outcome.until) + slack) : park;
      await job.moveToDelayed(Date.now() + delay, job.token);
      throw new DelayedError('source paused');
    }
  }
}

/**
 * The deliver queue's one worker: every platform's replies, each published
 * by the connected account its inquiry's platform and source route to.
 */
export function createDeliverReplyWorker(deps: DeliverReplyWorkerDeps): Worker {
  const handlers: HandlerTable<'deliver'> = {
    'reply.deliver': async (job, log, worker) => {
      const outcome = await processDeliverReplyJob(deps, worker, job, log.child({ replyId: job.data.replyId }));
      return { status: outcome.status };
    },
  };
  return createQueueWorker({
    queue: QUEUE_NAMES.deliver,
    handlers,
    connection: deps.connection,
    prefix: deps.prefix,
    logger: deps.logger,
    metrics: deps.metrics,
    concurrency: deps.concurrency ?? 2,
    autorun: deps.autorun ?? true,
    // A queue rate limit (Worker.RateLimitError) only holds when a limiter is set; this one is
    // also a sane ceiling for publishing as one Page.
    limiter: { max: 10, duration: 1_000 },
  });
}
