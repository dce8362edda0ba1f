/**
 * `inquiry.ingest`: an inbound event → inquiries, events, card jobs.
 * A payload that can never be parsed fails for good (and is marked so in
 * Postgres); anything else is retried with backoff.
 */
import { UnrecoverableError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/create-db.js';
import { markInboundFailed } from '../../db/repositories/inbound-event.repository.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { describeError } from '../../observability/redact.js';
import { ingestInboundEvent, type IngestDeps, type IngestResult } from '../../services/ingest.service.js';
import { QUEUE_NAMES, type JobPayloads } from '../jobs.js';
import type { Producers } from '../producers.js';
import { createQueueWorker } from '../worker-factory.js';

export interface IngestWorkerDeps {
  db: Db;
  producers: Producers;
  logger: Logger;
  metrics: Metrics;
  connection: Redis;
  prefix: string;
  ingest: IngestDeps;
  /** Errors of these names are permanent: the payload can never be processed. */
  isPermanent?: (error: unknown) => boolean;
  secrets?: readonly string[];
  concurrency?: number;
  autorun?: boolean;
}

const defaultIsPermanent = (error: unknown) => error instanceof Error && (error.name === 'WebhookPayloadError' || error.name === 'UnknownPlatformError');

/** Processes one job; exported for tests that drive it without a worker. */
export async function processIngestJob(deps: IngestWorkerDeps, data: JobPayloads['inquiry.ingest'], log: Logger): Promise<IngestResult> {
  const isPermanent = deps.isPermanent ?? defaultIsPermanent;
  let result: IngestResult;
  try {
    result = await ingestInboundEvent(deps.ingest, data.inboundEventId);
  } catch (error) {
    const permanent = isPermanent(error);
    await markInboundFailed(deps.db, data.inboundEventId, describeError(error, deps.secrets), permanent).catch((e: unknown) =>
      log.error({ err: e }, 'could not record the ingest failure'),
    );
    if (permanent) throw new UnrecoverableError(describeError(error, deps.secrets));
    throw error;
  }
  if (result.cardInquiryIds.length) await deps.producers.sendCards(result.cardInquiryIds);
  if (result.changedInquiryIds.length) await deps.producers.updateCards(result.changedInquiryIds);
  if (result.status === 'processed') log.debug({ items: result.items, newInquiries: result.cardInquiryIds }, 'inbound event ingested');
  return result;
}

export function createIngestWorker(deps: IngestWorkerDeps): Worker<JobPayloads['inquiry.ingest']> {
  return createQueueWorker<JobPayloads['inquiry.ingest']>({
    queue: QUEUE_NAMES.ingest,
    connection: deps.connection,
    prefix: deps.prefix,
    logger: deps.logger,
    metrics: deps.metrics,
    concurrency: deps.concurrency ?? 8,
    autorun: deps.autorun ?? true,
    process: async (job, log) => {
      const result = await processIngestJob(deps, job.data, log);
      return { status: result.status, cards: result.cardInquiryIds.length };
    },
  });
}
