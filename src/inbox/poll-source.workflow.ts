/**
 * Polling a connected source (the safety net under webhooks, and the only
 * way in for pages without them): the connector reads what is new since the
 * source's cursor; the batch is stored in `inbound_events` (origin `poll`)
 * and the cursor moved in ONE transaction, so the cursor never moves past
 * items that were not committed; then the batch is queued for ingest.
 *
 * The like counts of comments the poll read are stored in the same
 * transaction (no item, no event); a wave whose most-liked questions changed
 * gets its card edited (the card's own pace applies).
 *
 * A paused source is not polled; a throttled one waits until
 * `throttled_until`. Graph's "slow down" answers and high usage headers set
 * that time; a dead token pauses the source and alerts the admins. Any other
 * failure leaves the cursor where it was (the next poll reads the same
 * window) and is rethrown for the queue to log and retry.
 */
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Db } from '../db/create-db.js';
import { insertInboundEvent } from '../db/repositories/inbound-event.repository.js';
import { findSourceById, lockSource, recordPollFailure, recordPollSuccess } from '../db/repositories/source.repository.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { describeError, scrubSecrets } from '../observability/redact.js';
import type { Producers } from '../queue/producers.js';
import { holdSourceAfterReadRefusal, sourceWaiting, throttleSourceUntil } from './source-health.workflow.js';
import { recordLikeCounts } from './waves.workflow.js';

export interface SourcePollDeps {
  db: Db;
  producers: Pick<Producers, 'ingest' | 'adminAlert' | 'waveCards'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'inboundReceived'>;
  now: () => Date;
  /** Finds the connected account that polls a source. */
  registry: Pick<ConnectorRegistry, 'route'>;
  /** How long to wait after a "slow down" that does not say how long; default 5 minutes. */
  slowDownMs?: number;
  /** Usage (percent of the platform's quota) from which polls are spaced out; default 90. */
  highUsagePercent?: number;
  secrets?: readonly string[];
}

export type PollOutcome =
  | { status: 'stored'; inboundEventId: number; items: number; duplicate: boolean }
  | { status: 'idle' }
  | { status: 'skipped'; reason: 'missing' | 'paused' | 'throttled' | 'no_connector' }
  | { status: 'paused' }
  | { status: 'throttled'; until: Date };

/** One poll of source `sourceId`. */
export async function pollSource(deps: SourcePollDeps, sourceId: number): Promise<PollOutcome> {
  const source = await findSourceById(deps.db, sourceId);
  if (!source || source.removedAt) return { status: 'skipped', reason: 'missing' };
  const connector = deps.registry.route(source.platform, source.id)?.connector;
  if (!connector) return { status: 'skipped', reason: 'no_connector' };
  const now = deps.now();
  const waiting = sourceWaiting(source, now);
  if (waiting) return { status: 'skipped', reason: waiting };
  const log = deps.logger.child({ sourceId, platform: source.platform });
  const slowDownMs = deps.slowDownMs ?? 5 * 60_000;

  let result;
  try {
    result = await connector.pull(source.cursor, now);
  } catch (error) {
    const verdict = connector.classifyError(error);
    const summary = scrubSecrets(verdict.summary, deps.secrets);
    const aboutSource = verdict.action === 'pause_source' || verdict.action === 'slow_down' || verdict.action === 'pause_publishing';
    await recordPollFailure(deps.db, sourceId, aboutSource ? summary : describeError(error, deps.secrets), now);
    const held = await holdSourceAfterReadRefusal({ db: deps.db, producers: deps.producers, logger: log, secrets: deps.secrets ?? [] }, source, verdict, summary, now, slowDownMs);
    if (held) return held;
    throw error;
  }

  const stored = await deps.db.transaction().execute(async (trx) => {
    await lockSource(trx, sourceId);
    const event = result.batch
      ? await insertInboundEvent(trx, { platform: source.platform, origin: 'poll', dedupKey: result.batch.dedupKey, payload: result.batch.payload })
      : undefined;
    await recordPollSuccess(trx, sourceId, result.cursor, now);
    const waveIds = await recordLikeCounts(trx, source.platform, result.likes ?? [], now);
    return { event, waveIds };
  });
  const { event, waveIds } = stored;

  const usage = connector.usage();
  if (usage && usage.percent >= (deps.highUsagePercent ?? 90)) {
    await throttleSourceUntil({ db: deps.db, logger: log }, source, new Date(now.getTime() + Math.max(usage.regainAccessInMs, slowDownMs)), `usage at ${usage.percent}% of the quota`);
  }

  if (!event || !result.batch) {
    if (waveIds.length > 0) await deps.producers.waveCards(waveIds);
    log.debug('poll found nothing new');
    return { status: 'idle' };
  }
  deps.metrics?.inboundReceived.inc({ platform: source.platform, origin: 'poll', duplicate: String(!event.inserted) });
  // After the commit; a crash before this line is covered by the reconciler (the row is pending).
  if (event.inserted) await deps.producers.ingest(event.id);
  // A lost card job leaves the card one change behind: the wave's next change queues it again.
  if (waveIds.length > 0) await deps.producers.waveCards(waveIds);
  log.info({ inboundEventId: event.id, items: result.batch.items, duplicate: !event.inserted }, 'poll stored new items');
  return { status: 'stored', inboundEventId: event.id, items: result.batch.items, duplicate: !event.inserted };
}
