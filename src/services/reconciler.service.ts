/**
 * The reconciler: Postgres is the source of truth, Redis only transport.
 * It re-enqueues everything Postgres says is pending (unprocessed inbound
 * events, open inquiries whose card Telegram has not accepted, replies not
 * yet published). Job ids are derived from the entity, so a job that is
 * still in the queue is not added twice; only missing ones come back.
 */
import type { Db } from '../db/create-db.js';
import { findPendingInboundEventIds } from '../db/repositories/inbound-event.repository.js';
import { findInquiryIdsWithoutCard } from '../db/repositories/inquiry.repository.js';
import { findPendingReplyIds } from '../db/repositories/reply.repository.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Producers } from '../queue/producers.js';

export interface ReconcileDeps {
  db: Db;
  producers: Producers;
  logger: Logger;
  metrics?: Metrics;
  /** Whether card jobs are wanted (the Telegram part is configured). */
  cards: boolean;
  /** Whether reply jobs are wanted (a publishing connector is configured). */
  replies: boolean;
}

export interface ReconcileResult {
  inboundEvents: number;
  cards: number;
  replies: number;
}

const PAGE = 1_000;

async function eachPage(find: (limit: number, afterId: number) => Promise<number[]>, handle: (ids: number[]) => Promise<void>): Promise<number> {
  let afterId = 0;
  let total = 0;
  for (;;) {
    const ids = await find(PAGE, afterId);
    if (ids.length === 0) return total;
    await handle(ids);
    total += ids.length;
    afterId = ids[ids.length - 1]!;
    if (ids.length < PAGE) return total;
  }
}

export async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  const { db, producers } = deps;
  const inboundEvents = await eachPage((l, a) => findPendingInboundEventIds(db, l, a), (ids) => producers.ingestMany(ids));
  const cards = deps.cards ? await eachPage((l, a) => findInquiryIdsWithoutCard(db, l, a), (ids) => producers.sendCards(ids)) : 0;
  const replies = deps.replies
    ? await eachPage(
        (l, a) => findPendingReplyIds(db, l, a),
        async (ids) => {
          for (const id of ids) await producers.deliverReply(id);
        },
      )
    : 0;
  deps.metrics?.reconciled.inc({ kind: 'inbound' }, inboundEvents);
  deps.metrics?.reconciled.inc({ kind: 'card' }, cards);
  deps.metrics?.reconciled.inc({ kind: 'reply' }, replies);
  const result = { inboundEvents, cards, replies };
  if (inboundEvents + cards + replies > 0) deps.logger.info(result, 'reconciler: made sure pending work is queued');
  return result;
}
