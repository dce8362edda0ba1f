/**
 * Several instances of the service on one database: each keeps a lease
 * `instance:<id>` (`lib/presence.ts`); when one dies without a clean stop,
 * the first other instance to see its lease expire queues its unfinished
 * work again at once (`onPeersLost`: the reconciler), so a card whose job
 * the dead instance had not queued yet goes out within seconds, not at the
 * next periodic reconcile. Its held jobs come back through the queue's own
 * stalled-job check; its Telegram polling through `lib/leadership.ts`.
 */
import type { Db } from '../db/create-db.js';
import { deleteExpiredLeases, releaseLease, takeLease } from '../db/repositories/lease.repository.js';
import { createPresence, type Presence } from '../lib/presence.js';
import type { Logger } from '../observability/logger.js';

export { newInstanceId } from '../lib/presence.js';

const PREFIX = 'instance:';

export interface InstancePresenceDeps {
  db: Db;
  instanceId: string;
  /** `INSTANCE_LEASE_SECONDS`, in milliseconds. */
  ttlMs: number;
  logger: Logger;
  onPeersLost: (instances: string[]) => Promise<void>;
}

/** Starts renewing this instance's lease and watching the others'; close it on shutdown. */
export async function startInstancePresence(deps: InstancePresenceDeps): Promise<Presence> {
  const name = `${PREFIX}${deps.instanceId}`;
  const presence = createPresence({
    ttlMs: deps.ttlMs,
    logger: deps.logger,
    onPeersLost: deps.onPeersLost,
    store: {
      renew: (ttlMs) => takeLease(deps.db, name, deps.instanceId, ttlMs),
      release: () => releaseLease(deps.db, name, deps.instanceId),
      removeExpired: () => deleteExpiredLeases(deps.db, PREFIX),
    },
  });
  await presence.start();
  return presence;
}
