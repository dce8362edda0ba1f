/**
 * One place that turns a queue's handler table into its BullMQ worker with
 * the service's conventions: a child logger per job, metrics, and errors
 * logged once with what happens next (retry or final).
 */
import { UnrecoverableError, type Job, type Worker, type WorkerOptions } from 'bullmq';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobHandler, JobHandlers } from './handlers.js';
import type { JobName, QueueName } from './jobs.js';
import type { QueueTransport } from './transport.js';

export interface CreateWorkerOptions {
  queue: QueueName;
  /** The queue's handlers by job name (main.ts checks the table is complete before it starts). */
  handlers: JobHandlers;
  transport: QueueTransport;
  logger: Logger;
  metrics: Metrics;
  concurrency?: number;
  limiter?: WorkerOptions['limiter'];
  /** Start paused until `run()`/`resume()` (tests). Default false. */
  autorun?: boolean;
}

export function createQueueWorker(options: CreateWorkerOptions): Worker {
  const { queue, metrics } = options;
  const worker: Worker = options.transport.worker(
    queue,
    async (job: Job) => {
      const log = options.logger.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
      const handler = options.handlers[job.name as JobName] as JobHandler<JobName> | undefined;
      // Only a job added by another version of the service can get here: main.ts refuses to start with a table that misses one.
      if (!handler) throw new UnrecoverableError(`the ${queue} queue has no handler for job "${job.name}"`);
      const end = metrics.jobDuration.startTimer({ queue, name: job.name });
      try {
        const result = await handler(job as Job<never, unknown, JobName>, log, worker);
        metrics.jobsProcessed.inc({ queue, name: job.name });
        return result;
      } finally {
        end();
      }
    },
    {
      concurrency: options.concurrency ?? 4,
      autorun: options.autorun ?? true,
      ...(options.limiter ? { limiter: options.limiter } : {}),
    },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
    metrics.jobsFailed.inc({ queue, name: job.name, final: String(final) });
    options.logger[final ? 'error' : 'warn'](
      { queue, job: job.name, jobId: job.id, attempt: job.attemptsMade, err: error },
      final ? 'job failed for good; it stays in the failed set for inspection' : 'job failed; it will be retried',
    );
  });
  worker.on('error', (error) => options.logger.error({ queue, err: error }, 'worker error'));
  return worker;
}
