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
  /**
   * One inbound event, or (with `inboundEventIds`) several stored together,
   * such as a burst of webhooks: processed in one transaction, so a burst
   * costs one job instead of one each. `inboundEventId` is the first of them.
   */
  'inquiry.ingest': { inboundEventId: number; inboundEventIds?: number[] };
  'card.send': { inquiryId: number };
  /** The inquiry changed; its card (if sent) should show the new state. */
  'card.update': { inquiryId: number };
  'reply.deliver': { replyId: number };
  /** A wave changed: its one card in the staff group shows the latest state (sent first, then edited; changes coalesce). */
  'wave.card': { waveId: number };
  /** A reply was published or failed for good: tell its author and refresh the card. */
  'reply.result': { replyId: number };
  'reconcile.run': { reason: 'start' | 'schedule' | 'manual' };
  /** Read what is new on one connected source (Graph API poll); scheduled per source. */
  'source.poll': { sourceId: number };
  /** Read the text, author and time of an inquiry taken in with its ids only (an Instagram mention). */
  'mention.read': { inquiryId: number };
  /** Something the admins must act on (a source paused by a dead token…); the bot tells them in Telegram. */
  'admin.alert': { kind: string; sourceId?: number; message: string };
  /** A bot message other than a card (reminder, escalation, result, alert…), stored in `telegram_notices`. */
  'notice.send': { noticeId: number };
  /** Scheduled: reminders of unclaimed and unanswered inquiries, escalation past the SLA. */
  'reminders.check': { reason: 'schedule' | 'manual' };
  /** Scheduled: low-priority items posted to the staff group as one summary message. */
  'lowpriority.summary': { reason: 'schedule' | 'manual' };
  /**
   * The weekly digest (scheduled on DIGEST_CRON in TIMEZONE). `dueAt` (ISO)
   * is when it was due; scheduled jobs take it from their fire time.
   */
  'digest.send': { reason: 'schedule' | 'catch_up' | 'manual'; dueAt?: string };
}

export type JobName = keyof JobPayloads;

/** Which queue each job goes to. */
export const JOB_QUEUE = {
  'inquiry.ingest': QUEUE_NAMES.ingest,
  'card.send': QUEUE_NAMES.notify,
  'card.update': QUEUE_NAMES.notify,
  'reply.deliver': QUEUE_NAMES.deliver,
  'wave.card': QUEUE_NAMES.notify,
  'reply.result': QUEUE_NAMES.notify,
  'reconcile.run': QUEUE_NAMES.schedule,
  'source.poll': QUEUE_NAMES.schedule,
  'mention.read': QUEUE_NAMES.schedule,
  'admin.alert': QUEUE_NAMES.notify,
  'notice.send': QUEUE_NAMES.notify,
  'reminders.check': QUEUE_NAMES.schedule,
  'lowpriority.summary': QUEUE_NAMES.schedule,
  'digest.send': QUEUE_NAMES.schedule,
} as const satisfies { [N in JobName]: QueueName };

/** The jobs of queue `Q`. */
export type JobsOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];

/** Every job name of queue `queue`, in the order of {@link JOB_QUEUE}. */
export function jobsOf<Q extends QueueName>(queue: Q): Array<JobsOf<Q>> {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((name): name is JobsOf<Q> => JOB_QUEUE[name] === queue);
}

/**
 * BullMQ priority of new cards: jobs without a priority run first, so edits
 * of cards already shown and messages to people are not stuck behind a
 * burst of new cards waiting for the group's rate limit.
 */
export const CARD_SEND_PRIORITY = 10;

/** Deterministic job ids (BullMQ forbids ':' in custom ids). */
export const jobId = {
  ingest: (inboundEventId: number) => `ingest-${inboundEventId}`,
  /** Events stored together (`ids` ascending, more than one). */
  ingestTogether: (ids: number[]) => `ingest-${ids[0]}-to-${ids[ids.length - 1]}-${ids.length}`,
  cardSend: (inquiryId: number) => `card-send-${inquiryId}`,
  /** Unique per change: the card worker renders the current state and skips no-op edits. */
  cardUpdate: (inquiryId: number, at: Date) => `card-update-${inquiryId}-${at.getTime()}`,
  replyDeliver: (replyId: number) => `reply-deliver-${replyId}`,
  /** One per revision of the wave: a job finding the card already at or past it does nothing. */
  waveCard: (waveId: number, revision: number) => `wave-card-${waveId}-${revision}`,
  replyResult: (replyId: number) => `reply-result-${replyId}`,
  /** The scheduler that polls one source. */
  sourcePollScheduler: (sourceId: number) => `source-poll-${sourceId}`,
  mentionRead: (inquiryId: number) => `mention-read-${inquiryId}`,
  /** A poll asked for now (e.g. after `sources resume`). */
  sourcePollNow: (sourceId: number, at: Date) => `source-poll-${sourceId}-now-${at.getTime()}`,
  /** `key` names the occasion (e.g. `source-paused-3-1764324000000`), so one occasion alerts once. */
  adminAlert: (key: string) => `admin-alert-${key}`,
  noticeSend: (noticeId: number) => `notice-${noticeId}`,
  /** The scheduler of the weekly digest. */
  digestScheduler: 'digest-weekly',
  /** A digest sent outside the schedule (catch-up after downtime), one per reported week. */
  digestSend: (week: string) => `digest-send-${week}`,
};

/**
 * What the id of an `inquiry.ingest` job says it covers: `ingest-<id>` one
 * event; `ingest-<a>-to-<b>-<n>` ({@link jobId.ingestTogether}) `n` events
 * from `a` to `b`, every id between them when `n` is `b - a + 1`, else the
 * ones its payload lists. Undefined for any other id.
 */
export function parseIngestJobId(id: string): { first: number; last: number; count: number } | undefined {
  const single = /^ingest-(\d+)$/.exec(id);
  if (single) {
    const first = Number(single[1]);
    return { first, last: first, count: 1 };
  }
  const batch = /^ingest-(\d+)-to-(\d+)-(\d+)$/.exec(id);
  if (!batch) return undefined;
  return { first: Number(batch[1]), last: Number(batch[2]), count: Number(batch[3]) };
}
