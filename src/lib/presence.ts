/**
 * Each instance of the service on one database says it is alive: a lease
 * of its own, renewed every `everyMs` for `ttlMs`, removed when it stops
 * cleanly. An instance whose lease expired stopped without a clean
 * shutdown (killed, crashed, frozen, cut off): the first other instance to
 * notice removes it and calls `onPeersLost`, which queues that instance's
 * unfinished work again (the reconciler: cards whose job it had not queued
 * yet when it died), instead of leaving it to the next periodic run.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';

/** A new id for one running service (`host:pid:random`; several services in one process each get their own). */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** The presence leases as {@link createPresence} uses them (bound to this instance). */
export interface PresenceStore {
  /** Takes or renews this instance's lease for `ttlMs`. */
  renew(ttlMs: number): Promise<unknown>;
  /** Removes this instance's lease. */
  release(): Promise<void>;
  /** Removes the leases of instances that expired; returns who they were. */
  removeExpired(): Promise<string[]>;
}

export interface PresenceOptions {
  store: PresenceStore;
  /** How long the lease lasts from a renewal, in milliseconds. */
  ttlMs: number;
  /** How often it is renewed and the others' looked at; default a third of `ttlMs`. */
  everyMs?: number;
  logger: Logger;
  /** Called with the instances found dead; its errors are logged. */
  onPeersLost: (instances: string[]) => Promise<void>;
}

export interface Presence {
  /** Renews the lease once (and looks for dead instances), then keeps doing so in the background. */
  start(): Promise<void>;
  /** Stops, and removes the lease: a clean stop leaves no work behind. Safe to call twice. */
  close(): Promise<void>;
}

export function createPresence(options: PresenceOptions): Presence {
  const { store, ttlMs } = options;
  const everyMs = options.everyMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const log = options.logger.child({ component: 'presence' });
  const stopper = new AbortController();
  let loop: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let failing = false;
  /** The work queued again for dead instances, not awaited by the renewals (which must stay on time). */
  let recovering: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    try {
      await store.renew(ttlMs);
      const lost = await store.removeExpired();
      if (failing) log.info('the instance leases are reachable again');
      failing = false;
      if (lost.length === 0) return;
      log.warn({ instances: lost }, 'instances stopped without a clean shutdown; queueing their unfinished work again');
      recovering = recovering.then(() =>
        options.onPeersLost(lost).catch((error: unknown) => log.warn({ err: error }, 'could not queue the unfinished work of the instances that stopped; the periodic reconciler will')),
      );
    } catch (error) {
      if (!failing) log.warn({ err: error }, `could not renew this instance's lease or look at the others'; trying again in ${everyMs} ms`);
      failing = true;
    }
  }

  return {
    async start() {
      if (loop || closing) return;
      await tick();
      loop = (async () => {
        while (!stopper.signal.aborted) {
          await delay(everyMs, undefined, { signal: stopper.signal }).catch(() => undefined);
          if (stopper.signal.aborted) return;
          await tick();
        }
      })();
    },
    close() {
      closing ??= (async () => {
        stopper.abort();
        await loop;
        await recovering;
        await store.release().catch((error: unknown) => log.warn({ err: error }, 'could not remove this instance\'s lease; it expires on its own'));
      })();
      return closing;
    },
  };
}
