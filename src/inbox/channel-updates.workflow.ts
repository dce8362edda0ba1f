/**
 * A Telegram update of a channel's discussion group, taken from the bot's one
 * update source: stored raw in `inbound_events` (platform `telegram`, one row
 * per update, so an update delivered twice is stored once) and handed to
 * ingest through the queue, as webhook deliveries of the other platforms are.
 */
import type { Db } from '../db/create-db.js';
import { insertInboundEvent } from '../db/repositories/inbound-event.repository.js';
import type { Producers } from '../queue/producers.js';

export interface StoredChannelUpdate {
  inboundEventId: number;
  /** False when this update was stored before (Telegram sent it again). */
  inserted: boolean;
}

/** Stores one update (its envelope) and queues its ingest. */
export async function storeChannelUpdate(
  deps: { db: Db; producers: Pick<Producers, 'ingest'> },
  update: { botId: number; updateId: number; origin: 'poll' | 'webhook'; envelope: unknown },
): Promise<StoredChannelUpdate> {
  const stored = await insertInboundEvent(deps.db, {
    platform: 'telegram',
    origin: update.origin,
    dedupKey: `telegram:${update.botId}:${update.updateId}`,
    payload: update.envelope,
  });
  if (stored.inserted) await deps.producers.ingest(stored.id);
  return { inboundEventId: stored.id, inserted: stored.inserted };
}
