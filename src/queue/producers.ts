/**
 * Typed producers: the only way the app puts jobs in queues. Every job id is
 * derived from its entity, so enqueueing twice is harmless.
 */
import type { JobsOptions, Queue } from 'bullmq';
import { CARD_SEND_PRIORITY, JOB_QUEUE, QUEUE_NAMES, jobId, type JobName, type JobPayloads, type QueueName } from './jobs.js';
import type { QueueTransport } from './transport.js';

export type Queues = Record<QueueName, Queue>;


const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  // Completed jobs are kept briefly so a duplicate add within that time is a
  // no-op at the queue too; Postgres is what makes processing idempotent.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export function createQueues(transport: QueueTransport): Queues {
  const make = (name: QueueName) => transport.queue(name, { defaultJobOptions: DEFAULT_JOB_OPTIONS });
  return {
    ingest: make(QUEUE_NAMES.ingest),
    notify: make(QUEUE_NAMES.notify),
    deliver: make(QUEUE_NAMES.deliver),
    schedule: make(QUEUE_NAMES.schedule),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

export interface Producers {
  ingest(inboundEventId: number): Promise<void>;
  ingestMany(inboundEventIds: number[]): Promise<void>;
  /**
   * Events stored together (a burst of webhooks) as one job, processed in one
   * transaction; one event alone gets its usual job. Postgres still tells
   * what is pending: the reconciler queues any event no job took.
   */
  ingestTogether(inboundEventIds: number[]): Promise<void>;
  sendCard(inquiryId: number): Promise<void>;
  sendCards(inquiryIds: number[]): Promise<void>;
  updateCards(inquiryIds: number[]): Promise<void>;
  deliverReply(replyId: number): Promise<void>;
  /** Replies each published after its delay (statement replies at a source's pace). */
  deliverRepliesAt(items: Array<{ replyId: number; delayMs: number }>): Promise<void>;
  /** The waves' cards show their latest state (one job per wave and change; the worker coalesces them). */
  waveCards(waveIds: number[]): Promise<void>;
  replyResult(replyId: number): Promise<void>;
  /** Polls a source now, outside its schedule. */
  pollSource(sourceId: number): Promise<void>;
  /** Reads what the platform says of inquiries taken in with their ids only (Instagram mentions). */
  readMentions(inquiryIds: number[]): Promise<void>;
  /** Tells the admins in Telegram; `key` (letters, digits, `-`) makes one occasion alert once. */
  adminAlert(alert: JobPayloads['admin.alert'], key: string): Promise<void>;
  /** Sends stored bot messages (`telegram_notices` rows). */
  sendNotices(noticeIds: number[]): Promise<void>;
  /** Runs now the notify jobs parked while the staff group was out of reach (the bot is back). */
  resendParkedNotifications(): Promise<void>;
}

export function createProducers(queues: Queues): Producers {
  const add = async <N extends JobName>(name: N, data: JobPayloads[N], id: string, opts: JobsOptions = {}) => {
    await queues[JOB_QUEUE[name]].add(name, data, { ...opts, jobId: id });
  };
  const addBulk = async <N extends JobName>(name: N, items: Array<{ data: JobPayloads[N]; id: string }>, opts: JobsOptions = {}) => {
    if (items.length === 0) return;
    await queues[JOB_QUEUE[name]].addBulk(items.map((i) => ({ name, data: i.data, opts: { ...opts, jobId: i.id } })));
  };
  // Card-update job ids carry a time; strictly increasing, so two changes
  // within one millisecond still make two jobs.
  let lastUpdateStamp = 0;
  return {
    ingest: (inboundEventId) => add('inquiry.ingest', { inboundEventId }, jobId.ingest(inboundEventId)),
    ingestMany: (ids) => addBulk('inquiry.ingest', ids.map((inboundEventId) => ({ data: { inboundEventId }, id: jobId.ingest(inboundEventId) }))),
    ingestTogether: async (ids) => {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return;
      if (sorted.length === 1) return add('inquiry.ingest', { inboundEventId: sorted[0]! }, jobId.ingest(sorted[0]!));
      return add('inquiry.ingest', { inboundEventId: sorted[0]!, inboundEventIds: sorted }, jobId.ingestTogether(sorted));
    },
    sendCard: (inquiryId) => add('card.send', { inquiryId }, jobId.cardSend(inquiryId), { priority: CARD_SEND_PRIORITY }),
    sendCards: (ids) =>
      addBulk('card.send', ids.map((inquiryId) => ({ data: { inquiryId }, id: jobId.cardSend(inquiryId) })), { priority: CARD_SEND_PRIORITY }),
    updateCards: (ids) => {
      lastUpdateStamp = Math.max(Date.now(), lastUpdateStamp + 1);
      const at = new Date(lastUpdateStamp);
      return addBulk('card.update', ids.map((inquiryId) => ({ data: { inquiryId }, id: jobId.cardUpdate(inquiryId, at) })));
    },
    deliverReply: (replyId) => add('reply.deliver', { replyId }, jobId.replyDeliver(replyId)),
    deliverRepliesAt: async (items) => {
      if (items.length === 0) return;
      await queues.deliver.addBulk(
        items.map((i) => ({ name: 'reply.deliver', data: { replyId: i.replyId }, opts: { jobId: jobId.replyDeliver(i.replyId), delay: Math.max(0, i.delayMs) } })),
      );
    },
    waveCards: (ids) => {
      lastUpdateStamp = Math.max(Date.now(), lastUpdateStamp + 1);
      const stamp = lastUpdateStamp;
      return addBulk('wave.card', [...new Set(ids)].map((waveId) => ({ data: { waveId }, id: jobId.waveCard(waveId, stamp) })));
    },
    replyResult: (replyId) => add('reply.result', { replyId }, jobId.replyResult(replyId)),
    pollSource: (sourceId) => add('source.poll', { sourceId }, jobId.sourcePollNow(sourceId, new Date()), { attempts: 1 }),
    readMentions: (ids) => addBulk('mention.read', ids.map((inquiryId) => ({ data: { inquiryId }, id: jobId.mentionRead(inquiryId) }))),
    adminAlert: (alert, key) => add('admin.alert', alert, jobId.adminAlert(key.replace(/[^A-Za-z0-9_-]/g, '-'))),
    sendNotices: (ids) => addBulk('notice.send', ids.map((noticeId) => ({ data: { noticeId }, id: jobId.noticeSend(noticeId) }))),
    // Delayed notify jobs are parked ones and retries waiting out their backoff; every notify job is idempotent, so running them now is harmless.
    resendParkedNotifications: () => queues.notify.promoteJobs(),
  };
}
