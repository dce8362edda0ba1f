/**
 * `inquiry.ingest`: an inbound event → inquiries, events, card jobs.
 * A payload that can never be parsed fails for good (and is marked so in
 * Postgres); anything else is retried with backoff.
 */
import { UnrecoverableError, type Worker } from 'bullmq';
import { PayloadError } from '../../connectors/payload-error.js';
import type { Db } from '../../db/create-db.js';
import { markInboundFailed } from '../../db/repositories/inbound-event.repository.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { describeError } from '../../observability/redact.js';
import { ingestInboundEvents, type BatchIngestOutcome, type IngestDeps, type IngestResult } from '../../inbox/ingest.workflow.js';
import { createMicroBatcher } from '../../lib/micro-batcher.js';
import type { HandlerTable } from '../handlers.js';
import { QUEUE_NAMES, type JobPayloads } from '../jobs.js';
import type { Producers } from '../producers.js';
import type { QueueTransport } from '../transport.js';
import { createQueueWorker } from '../worker-factory.js';

export interface IngestWorkerDeps {
  db: Db;
  producers: Producers;
  logger: Logger;
  metrics: Metrics;
  transport: QueueTransport;
  ingest: IngestDeps;
  secrets?: readonly string[];
  /** Jobs taken at once; they are processed in batches (default 64). */
  concurrency?: number;
  /** Events per transaction, at most (default 100). */
  maxBatch?: number;
  autorun?: boolean;
}

/** A payload that can never be parsed fails for good; anything else may work on a retry. */
const isPermanent = (error: unknown) => error instanceof PayloadError;

/** Processes one job; exported for tests that drive it without a worker. */
export async function processIngestJob(deps: IngestWorkerDeps, data: JobPayloads['inquiry.ingest'], log: Logger): Promise<IngestResult> {
  const [outcome] = await processIngestBatch(deps, [data.inboundEventId], log);
  if (outcome!.status === 'rejected') throw outcome!.reason;
  return outcome!.value;
}

const alreadyProcessed: IngestResult = { status: 'already_processed', cardInquiryIds: [], changedInquiryIds: [], items: 0 };

/**
 * Processes the events of several jobs in one transaction, then queues their
 * cards with one call; one settled outcome per id, in order (an id given
 * twice is processed once). A payload that can never be parsed fails its own
 * job for good; a batch that fails as a whole (a conflict, a lost
 * connection) is tried again event by event, so one bad event does not hold
 * back the others, and what still fails is retried by the queue.
 */
export async function processIngestBatch(deps: IngestWorkerDeps, ids: number[], log: Logger): Promise<Array<PromiseSettledResult<IngestResult>>> {
  const unique = [...new Set(ids)];
  let outcomes: Map<number, BatchIngestOutcome>;
  try {
    outcomes = await ingestInboundEvents(deps.ingest, unique);
  } catch (error) {
    if (unique.length > 1) {
      const each = new Map(await Promise.all(unique.map(async (id) => [id, (await processIngestBatch(deps, [id], log))[0]!] as const)));
      return ids.map((id, index) => (ids.indexOf(id) === index ? each.get(id)! : { status: 'fulfilled', value: alreadyProcessed }));
    }
    outcomes = new Map([[unique[0]!, { ok: false, error }]]);
  }

  const settled = new Map<number, PromiseSettledResult<IngestResult>>();
  const cards: number[] = [];
  const changed = new Set<number>();
  const waveIds = new Set<number>();
  const waveReplies: Array<{ replyId: number; delayMs: number }> = [];
  const noticeIds: number[] = [];
  const mentionIds: number[] = [];
  for (const [id, outcome] of outcomes) {
    if (outcome.ok) {
      settled.set(id, { status: 'fulfilled', value: outcome.result });
      cards.push(...outcome.result.cardInquiryIds);
      for (const inquiryId of outcome.result.changedInquiryIds) changed.add(inquiryId);
      for (const waveId of outcome.result.waveIds ?? []) waveIds.add(waveId);
      waveReplies.push(...(outcome.result.waveReplies ?? []));
      noticeIds.push(...(outcome.result.noticeIds ?? []));
      mentionIds.push(...(outcome.result.detailsInquiryIds ?? []));
      continue;
    }
    const permanent = isPermanent(outcome.error);
    await markInboundFailed(deps.db, id, describeError(outcome.error, deps.secrets), permanent).catch((e: unknown) =>
      log.error({ err: e, inboundEventId: id }, 'could not record the ingest failure'),
    );
    settled.set(id, { status: 'rejected', reason: permanent ? new UnrecoverableError(describeError(outcome.error, deps.secrets)) : outcome.error });
  }
  try {
    if (cards.length) await deps.producers.sendCards(cards);
    if (changed.size) await deps.producers.updateCards([...changed]);
    if (waveIds.size) await deps.producers.waveCards([...waveIds]);
    if (waveReplies.length) await deps.producers.deliverRepliesAt(waveReplies);
    if (noticeIds.length) await deps.producers.sendNotices(noticeIds);
    if (mentionIds.length) await deps.producers.readMentions(mentionIds);
  } catch (error) {
    // Stored in Postgres: a retry finds the events processed, and the reconciler queues the cards.
    for (const [id, s] of settled) if (s.status === 'fulfilled' && s.value.status === 'processed') settled.set(id, { status: 'rejected', reason: error });
  }
  return ids.map((id, index) => (ids.indexOf(id) === index ? settled.get(id)! : { status: 'fulfilled', value: alreadyProcessed }));
}

/** The ingest queue's one worker. */
export function createIngestWorker(deps: IngestWorkerDeps): Worker {
  // Jobs taken together share one transaction and one enqueue of their cards.
  // One transaction at a time: jobs fetched meanwhile make the next batch
  // larger, which costs less per event than two smaller ones side by side.
  const batcher = createMicroBatcher<number, PromiseSettledResult<IngestResult>>({
    maxBatch: deps.maxBatch ?? 100,
    maxInFlight: 1,
    run: (ids) => processIngestBatch(deps, ids, deps.logger),
  });
  const handlers: HandlerTable<'ingest'> = {
    'inquiry.ingest': async (job, log) => {
      const ids = job.data.inboundEventIds ?? [job.data.inboundEventId];
      const outcomes = await Promise.all(ids.map((id) => batcher.submit(id)));
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      // Retried as a whole if anything can still succeed (what was processed is skipped then); failed for good if nothing can.
      const retryable = failed.find((o) => !(o.reason instanceof UnrecoverableError));
      if (retryable) throw retryable.reason;
      if (failed.length === ids.length) throw failed[0]!.reason;
      const results = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      const processed = results.filter((r) => r.status === 'processed');
      if (processed.length > 0) log.debug({ events: ids.length, items: processed.reduce((n, r) => n + r.items, 0), newInquiries: processed.flatMap((r) => r.cardInquiryIds) }, 'inbound events ingested');
      return { status: ids.length === 1 ? results[0]!.status : `${processed.length} of ${ids.length} processed`, cards: processed.reduce((n, r) => n + r.cardInquiryIds.length, 0) };
    },
  };
  return createQueueWorker({
    queue: QUEUE_NAMES.ingest,
    handlers,
    transport: deps.transport,
    logger: deps.logger,
    metrics: deps.metrics,
    concurrency: deps.concurrency ?? 64,
    autorun: deps.autorun ?? true,
  });
}
