/**
 * The reconciler: Postgres is the source of truth, Redis only transport.
 * It makes sure everything Postgres says is pending (unprocessed inbound
 * events, open inquiries whose card Telegram has not accepted, replies not
 * yet published) has a live job. Job ids are derived from the entity: a job
 * still waiting or running is left alone; a missing one is added; one that
 * ran out of attempts is retried; one that completed although its entity is
 * still pending is replaced. Mentions taken in without their text
 * (`details_pending`) get their `mention.read` job the same way.
 *
 * Inbound events stored together (a burst of webhooks) share one batch job,
 * `ingest-<a>-to-<b>-<n>`, not `ingest-<id>`: before queuing an event, the
 * reconciler looks at the live ingest jobs (waiting, delayed, active…) and
 * leaves alone every event a live batch will process. An event whose batch
 * failed for good, or completed while the event is still pending, gets a job
 * of its own.
 */
import type { JobState, JobsOptions, Queue } from 'bullmq';
import type { Db } from '../db/create-db.js';
import { findPendingInboundEventIds } from '../db/repositories/inbound-event.repository.js';
import { findInquiryIdsWithDetailsPending, findInquiryIdsWithoutCard } from '../db/repositories/inquiry.repository.js';
import { findPendingReplyIds } from '../db/repositories/reply.repository.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { CARD_SEND_PRIORITY, JOB_QUEUE, jobId, parseIngestJobId, type JobName, type JobPayloads } from '../queue/jobs.js';
import type { Queues } from '../queue/producers.js';

export interface ReconcileDeps {
  db: Db;
  queues: Queues;
  logger: Logger;
  metrics?: Metrics;
  /** Whether card jobs are wanted (the Telegram part is configured). */
  cards: boolean;
  /** Whether reply jobs are wanted (a publishing connector is configured). */
  replies: boolean;
  /** Whether mention reads are wanted (a connected account can read them); default no. */
  mentions?: boolean;
}

/** Per kind of work: how many pending items had no live job and got one. */
export interface ReconcileResult {
  inboundEvents: number;
  cards: number;
  replies: number;
  /** Mentions still to be read (present only when some were queued). */
  mentions?: number;
}

const PAGE = 1_000;

async function eachPage(find: (limit: number, afterId: number) => Promise<number[]>, handle: (ids: number[]) => Promise<number>): Promise<number> {
  let afterId = 0;
  let restored = 0;
  for (;;) {
    const ids = await find(PAGE, afterId);
    if (ids.length === 0) return restored;
    restored += await handle(ids);
    afterId = ids[ids.length - 1]!;
    if (ids.length < PAGE) return restored;
  }
}

/** States in which a job will still run, or is running (a paused queue keeps its jobs waiting). */
const LIVE_STATES: JobState[] = ['active', 'waiting', 'waiting-children', 'delayed', 'prioritized'];

/**
 * The inbound events that live batch ingest jobs will process. Job ids are
 * read without their data; only a batch whose ids are not consecutive is
 * opened to read the list in its payload.
 */
async function eventsInLiveBatches(queue: Queue): Promise<Set<number>> {
  const covered = new Set<number>();
  for (const id of await queue.getRanges(LIVE_STATES, 0, -1)) {
    const range = parseIngestJobId(id);
    if (!range || range.count < 2) continue;
    if (range.last - range.first + 1 === range.count) {
      for (let e = range.first; e <= range.last; e++) covered.add(e);
      continue;
    }
    const job = await queue.getJob(id);
    const data = job?.data as JobPayloads['inquiry.ingest'] | undefined;
    for (const e of data?.inboundEventIds ?? []) covered.add(e);
  }
  return covered;
}

/** Makes sure each item has a live job; returns how many had none. */
async function ensureJobs<N extends JobName>(
  queue: Queue,
  name: N,
  items: Array<{ id: string; data: JobPayloads[N] }>,
  opts: JobsOptions = {},
): Promise<number> {
  let restored = 0;
  for (const item of items) {
    const job = await queue.getJob(item.id);
    if (job) {
      const state = await job.getState();
      if (state === 'failed') {
        await job.retry('failed');
        restored++;
        continue;
      }
      if (state !== 'completed' && state !== 'unknown') continue;
      await job.remove().catch(() => undefined);
    }
    await queue.add(name, item.data, { ...opts, jobId: item.id });
    restored++;
  }
  return restored;
}

export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { db, queues } = deps;
  const queueOf = (name: JobName) => queues[JOB_QUEUE[name]];
  const ingestQueue = queueOf('inquiry.ingest');
  // Read before the pending events: a batch queued in between only costs a
  // redundant job, which ingest skips (the event is processed once).
  const inBatches = await eventsInLiveBatches(ingestQueue);
  const inboundEvents = await eachPage(
    (l, a) => findPendingInboundEventIds(db, l, a),
    (ids) =>
      ensureJobs(
        ingestQueue,
        'inquiry.ingest',
        ids.filter((id) => !inBatches.has(id)).map((inboundEventId) => ({ id: jobId.ingest(inboundEventId), data: { inboundEventId } })),
      ),
  );
  const cards = deps.cards
    ? await eachPage(
        (l, a) => findInquiryIdsWithoutCard(db, l, a),
        (ids) =>
          ensureJobs(queueOf('card.send'), 'card.send', ids.map((inquiryId) => ({ id: jobId.cardSend(inquiryId), data: { inquiryId } })), {
            priority: CARD_SEND_PRIORITY,
          }),
      )
    : 0;
  const replies = deps.replies
    ? await eachPage(
        (l, a) => findPendingReplyIds(db, l, a),
        (ids) => ensureJobs(queueOf('reply.deliver'), 'reply.deliver', ids.map((replyId) => ({ id: jobId.replyDeliver(replyId), data: { replyId } }))),
      )
    : 0;
  const mentions = deps.mentions
    ? await eachPage(
        (l, a) => findInquiryIdsWithDetailsPending(db, l, a),
        (ids) => ensureJobs(queueOf('mention.read'), 'mention.read', ids.map((inquiryId) => ({ id: jobId.mentionRead(inquiryId), data: { inquiryId } }))),
      )
    : 0;
  deps.metrics?.reconciled.inc({ kind: 'inbound' }, inboundEvents);
  deps.metrics?.reconciled.inc({ kind: 'card' }, cards);
  deps.metrics?.reconciled.inc({ kind: 'reply' }, replies);
  if (mentions > 0) deps.metrics?.reconciled.inc({ kind: 'mention' }, mentions);
  const result: ReconcileResult = { inboundEvents, cards, replies, ...(mentions > 0 ? { mentions } : {}) };
  if (inboundEvents + cards + replies + mentions > 0) deps.logger.info(result, 'reconciler: queued again the pending work that had no live job');
  return result;
}
