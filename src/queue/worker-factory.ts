/**
 * One place that turns a processor into a BullMQ worker with the service's
 * conventions: a child logger per job, metrics, and errors logged once with
 * what happens next (retry or final).
 */
import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { QueueName } from './jobs.js';

export interface CreateWorkerOptions<T> {
  queue: QueueName;
  connection: Redis;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  concurrency?: number;
  limiter?: WorkerOptions['limiter'];
  /** Start paused until `run()`/`resume()` (tests). Default false. */
  autorun?: boolean;
  process: (job: Job<T>, log: Logger) => Promise<unknown>;
}

export function createQueueWorker<T>(options: CreateWorkerOptions<T>): Worker<T> {
  const { queue, metrics } = options;
  const worker = new Worker<T>(
    queue,
    async (job) => {
      const log = options.logger.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
      const end = metrics.jobDuration.startTimer({ queue, name: job.name });
      try {
        const result = await options.process(job, log);
        metrics.jobsProcessed.inc({ queue, name: job.name });
        return result;
      } finally {
        end();
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
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
