/**
 * Typed handler tables: each queue has ONE worker, which runs a job by
 * looking its name up in the queue's table. `HandlerTable<'deliver'>` is
 * checked by the compiler to have a handler for every job of that queue;
 * tables assembled at run time from the service's parts are checked at start
 * by {@link assertCompleteTable}, which names the first job without one.
 */
import type { Job, Worker } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import { jobsOf, type JobName, type JobPayloads, type JobsOf, type QueueName } from './jobs.js';

/**
 * Runs one job. `log` is the job's child logger; `worker` is the queue's
 * worker, for what only a worker can do (a queue rate limit after a 429).
 */
export type JobHandler<N extends JobName> = (job: Job<JobPayloads[N], unknown, N>, log: Logger, worker: Worker) => Promise<unknown>;

/** A handler for every job of queue `Q`. */
export type HandlerTable<Q extends QueueName> = { [N in JobsOf<Q>]: JobHandler<N> };

/** Handlers for any jobs of any queues, as a part of the service contributes them. */
export type JobHandlers = { [N in JobName]?: JobHandler<N> };

/** A queue has a worker but one of its jobs has no handler: the service does not start. */
export class MissingJobHandlerError extends Error {
  constructor(
    readonly queue: QueueName,
    readonly job: JobName,
  ) {
    super(`The "${queue}" queue has no handler for job "${job}": give it one in the part that owns it (or name the job among an off part's jobs) before the service can start.`);
    this.name = this.constructor.name;
  }
}

/** The handlers of `queue` in `handlers`; throws {@link MissingJobHandlerError} for the first of its jobs without one. */
export function assertCompleteTable<Q extends QueueName>(queue: Q, handlers: JobHandlers): HandlerTable<Q> {
  for (const name of jobsOf(queue)) if (!handlers[name]) throw new MissingJobHandlerError(queue, name);
  return handlers as unknown as HandlerTable<Q>;
}
