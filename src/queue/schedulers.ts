/**
 * Scheduled work (reconciler, pollers, reminders, digest) runs as BullMQ job
 * schedulers on the `schedule` queue; one worker dispatches by job name.
 * Upserting a scheduler is idempotent, so every instance may do it at start.
 */
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { QUEUE_NAMES } from './jobs.js';
import { createQueueWorker } from './worker-factory.js';

/** Handlers by job name; data is the scheduler's template data. */
export type ScheduleHandlers = Record<string, (job: Job, log: Logger) => Promise<unknown>>;

export interface SchedulerSpec {
  id: string;
  repeat: { every: number } | { pattern: string; tz?: string };
  job: { name: string; data: Record<string, unknown> };
}

export async function upsertSchedulers(queue: Queue, specs: SchedulerSpec[]): Promise<void> {
  for (const spec of specs) {
    await queue.upsertJobScheduler(spec.id, spec.repeat, {
      name: spec.job.name,
      data: spec.job.data,
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 200 }, removeOnFail: { count: 500 } },
    });
  }
}

export interface ScheduleWorkerOptions {
  connection: Redis;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  handlers: ScheduleHandlers;
}

export function createScheduleWorker(options: ScheduleWorkerOptions): Worker {
  return createQueueWorker({
    queue: QUEUE_NAMES.schedule,
    connection: options.connection,
    prefix: options.prefix,
    logger: options.logger,
    metrics: options.metrics,
    concurrency: 2,
    process: async (job, log) => {
      const handler = options.handlers[job.name];
      if (!handler) {
        log.warn('no handler for this scheduled job (its part is off); skipped');
        return { skipped: true };
      }
      return handler(job, log);
    },
  });
}
