/**
 * The schedule queue's one worker: the reconciler, polls of every source,
 * reminders, low-priority summaries and the weekly digest, each run by its
 * handler in the table the service assembled from its parts (main.ts checks
 * the table is complete before it starts).
 */
import type { Worker } from 'bullmq';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { JobHandlers } from '../handlers.js';
import { QUEUE_NAMES } from '../jobs.js';
import type { QueueTransport } from '../transport.js';
import { createQueueWorker } from '../worker-factory.js';

export interface ScheduleWorkerOptions {
  transport: QueueTransport;
  logger: Logger;
  metrics: Metrics;
  handlers: JobHandlers;
}

export function createScheduleWorker(options: ScheduleWorkerOptions): Worker {
  return createQueueWorker({
    queue: QUEUE_NAMES.schedule,
    handlers: options.handlers,
    transport: options.transport,
    logger: options.logger,
    metrics: options.metrics,
    concurrency: 2,
  });
}
