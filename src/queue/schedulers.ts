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

/**
 * The schedulers this process declared, per queue, so they can be declared
 * again when Redis lost them (emptied, or restarted without its data).
 */
const declared = new WeakMap<Queue, Map<string, SchedulerSpec>>();

export async function upsertSchedulers(queue: Queue, specs: SchedulerSpec[]): Promise<void> {
  const mine = declared.get(queue) ?? new Map<string, SchedulerSpec>();
  declared.set(queue, mine);
  for (const spec of specs) {
    mine.set(spec.id, spec);
    await queue.upsertJobScheduler(spec.id, spec.repeat, {
      name: spec.job.name,
      data: spec.job.data,
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 200 }, removeOnFail: { count: 500 } },
    });
  }
}

/**
 * Declares again every scheduler this process declared on `queue` that Redis
 * no longer holds; returns their ids (none: Redis kept them).
 */
export async function restoreSchedulers(queue: Queue): Promise<string[]> {
  const missing: SchedulerSpec[] = [];
  for (const spec of declared.get(queue)?.values() ?? []) if (!(await queue.getJobScheduler(spec.id))) missing.push(spec);
  if (missing.length > 0) await upsertSchedulers(queue, missing);
  return missing.map((s) => s.id);
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
