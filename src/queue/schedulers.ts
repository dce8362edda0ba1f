/**
 * Scheduled work (reconciler, pollers, reminders, digest) runs as BullMQ job
 * schedulers on the `schedule` queue (its one worker: `workers/schedule.worker.ts`).
 * Upserting a scheduler is idempotent, so every instance may do it at start.
 */
import type { Queue } from 'bullmq';
import { jobId, type JobPayloads } from './jobs.js';

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

/** The job scheduler that polls `sourceId` every `everyMinutes`. */
export function sourcePollScheduler(sourceId: number, everyMinutes: number): SchedulerSpec {
  const data: JobPayloads['source.poll'] = { sourceId };
  return { id: jobId.sourcePollScheduler(sourceId), repeat: { every: everyMinutes * 60_000 }, job: { name: 'source.poll', data } };
}
