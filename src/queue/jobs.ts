/**
 * The one list of queues, job names and payloads. Payloads are small JSON
 * (ids, ISO times), never tokens or rows. Job ids derived from the entity id
 * make every enqueue idempotent: adding a job whose id exists is a no-op.
 */

export const QUEUE_NAMES = {
  /** inbound_events → inquiries */
  ingest: 'ingest',
  /** Telegram cards, edits and notices, rate-limited */
  notify: 'notify',
  /** Staff replies published on the platforms */
  deliver: 'deliver',
  /** Pollers, reminders, digest, reconciler */
  schedule: 'schedule',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export interface JobPayloads {
  'inquiry.ingest': { inboundEventId: number };
  'card.send': { inquiryId: number };
  /** The inquiry changed; its card (if sent) should show the new state. */
  'card.update': { inquiryId: number };
  'reply.deliver': { replyId: number };
  /** A reply was published or failed for good: tell its author and refresh the card. */
  'reply.result': { replyId: number };
  'reconcile.run': { reason: 'start' | 'schedule' | 'manual' };
}

export type JobName = keyof JobPayloads;

/** Which queue each job goes to. */
export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'inquiry.ingest': QUEUE_NAMES.ingest,
  'card.send': QUEUE_NAMES.notify,
  'card.update': QUEUE_NAMES.notify,
  'reply.deliver': QUEUE_NAMES.deliver,
  'reply.result': QUEUE_NAMES.notify,
  'reconcile.run': QUEUE_NAMES.schedule,
};

/** Deterministic job ids (BullMQ forbids ':' in custom ids). */
export const jobId = {
  ingest: (inboundEventId: number) => `ingest-${inboundEventId}`,
  cardSend: (inquiryId: number) => `card-send-${inquiryId}`,
  /** Unique per change: the card worker renders the current state and skips no-op edits. */
  cardUpdate: (inquiryId: number, at: Date) => `card-update-${inquiryId}-${at.getTime()}`,
  replyDeliver: (replyId: number) => `reply-deliver-${replyId}`,
  replyResult: (replyId: number) => `reply-result-${replyId}`,
};
