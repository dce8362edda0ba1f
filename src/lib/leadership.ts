/**
 * Work that only one of several instances of the service may do at a time
 * (long polling Telegram: two `getUpdates` callers cut each other off with
 * 409 Conflict), decided by a lease in PostgreSQL.
 *
 * Every instance tries to take the lease every `everyMs`; the one that has
 * it renews it as often, and leads while it does. The lease lasts `ttlMs`
 * from each renewal, by the database's clock. A leader that cannot renew
 * (killed, frozen, cut off from the database) loses it when it expires, and
 * another instance takes it at its next try: at most `ttlMs + everyMs`
 * after the last renewal. A leader that stops cleanly gives it up at once.
 *
 * Safety: the leader stops leading on its own a margin before the lease can
 * expire, counted on its monotonic clock from the moment it sent the last
 * renewal that succeeded, so it has stopped before anyone else can start,
 * even when the database is unreachable or a renewal hangs.
 *
 * Why a lease row rather than a session-level advisory lock: the lock lives
 * on one connection, so it needs a dedicated connection that no pooler
 * (PgBouncer in transaction mode, a managed database's proxy) may share, and
 * a holder that is cut off keeps it until the server notices the dead TCP
 * connection (keep-alives: minutes to hours) while believing it still leads.
 * A lease works through any pool, expires on time, and says who holds it
 * (`select * from leases`).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';

/** The lease as the leadership uses it (bound to one name and one holder). */
export interface LeaseStore {
  /** Takes the lease, or renews it when this holder has it, for `ttlMs`; true when this holder holds it now. */
  take(ttlMs: number): Promise<boolean>;
  /** Gives the lease up if this holder holds it. */
  release(): Promise<void>;
}

/**
 * Why leading stops. `closing`: the service stops while the lease is still
 * ours, so the work may finish cleanly (confirm what it handled). `lost`
 * (another instance holds it) and `expired` (not renewed in time): another
 * instance may be leading already, so stop at once and touch nothing shared.
 * `failed`: {@link LeadershipOptions.lead} threw.
 */
export type StandDownReason = 'closing' | 'lost' | 'expired' | 'failed';

export interface LeadershipOptions {
  /** What is led, for logs (`Telegram long polling`). */
  role: string;
  /** This instance, for logs (`host:pid:random`). */
  holder: string;
  store: LeaseStore;
  /** How long the lease lasts from a renewal, in milliseconds. */
  ttlMs: number;
  /** How often the leader renews and the others try, in milliseconds; default a third of `ttlMs`. */
  everyMs?: number;
  logger: Logger;
  /** Starts the work; resolves once it runs. A throw gives the lease up, to be tried again later. */
  lead(): Promise<void>;
  /** Stops the work (see {@link StandDownReason}); must be safe while `lead` is still starting. */
  standDown(reason: StandDownReason): Promise<void>;
  /** Told each time this instance starts or stops leading. */
  onChange?: (leading: boolean) => void;
}

export interface Leadership {
  /** Starts contending; resolves after the first try, leading or standing by. */
  start(): Promise<void>;
  /** Whether this instance leads now. */
  isLeading(): boolean;
  /** Stands down if leading, gives the lease up and stops contending. Safe to call twice. */
  close(): Promise<void>;
}

export function createLeadership(options: LeadershipOptions): Leadership {
  const { store, ttlMs } = options;
  const everyMs = options.everyMs ?? Math.max(50, Math.floor(ttlMs / 3));
  // The leader stops this long before the database could let someone else in.
  const marginMs = Math.min(5_000, Math.floor(ttlMs / 5));
  const log = options.logger.child({ component: 'leadership', role: options.role, holder: options.holder });
  const stopper = new AbortController();

  let leading = false;
  let closed = false;
  let started = false;
  let expiry: ReturnType<typeof setTimeout> | undefined;
  /** The try in progress, and the last stand-down, so neither overlaps what follows. */
  let trying: Promise<void> = Promise.resolve();
  let settling: Promise<void> = Promise.resolve();
  let loop: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let standingBy = false;
  let unreachable = false;

  const setLeading = (value: boolean): void => {
    if (leading === value) return;
    leading = value;
    options.onChange?.(value);
  };

  function standDown(reason: StandDownReason): Promise<void> {
    if (!leading) return settling;
    setLeading(false);
    clearTimeout(expiry);
    const message =
      reason === 'closing'
        ? `stopping ${options.role}; another instance may take over`
        : reason === 'lost'
          ? `another instance took over ${options.role}; stopped it here`
          : reason === 'expired'
            ? `could not renew the lease for ${options.role} in time (database unreachable or slow); stopped it here so another instance can take over`
            : `stopped ${options.role}`;
    log[reason === 'closing' ? 'info' : 'warn']({ reason }, message);
    const previous = settling;
    settling = previous.then(async () => {
      try {
        await options.standDown(reason);
      } catch (error) {
        log.warn({ err: error, reason }, `error while stopping ${options.role}`);
      }
    });
    return settling;
  }

  async function lead(): Promise<void> {
    await settling;
    if (closed || leading) return;
    setLeading(true);
    standingBy = false;
    try {
      await options.lead();
      if (leading) log.info(`this instance leads ${options.role}`);
    } catch (error) {
      if (!leading) return;
      log.warn({ err: error }, `could not start ${options.role}; giving the lease up, trying again in ${everyMs} ms`);
      await standDown('failed');
      await store.release().catch(() => undefined);
    }
  }

  async function attempt(): Promise<void> {
    const sentAt = performance.now();
    let held: boolean;
    try {
      held = await store.take(ttlMs);
      if (unreachable) log.info(`the lease for ${options.role} is reachable again`);
      unreachable = false;
    } catch (error) {
      // A leader keeps going until its lease runs out (the expiry timer); a standby tries again later.
      if (!unreachable) log.warn({ err: error }, `could not take or renew the lease for ${options.role}; trying again in ${everyMs} ms`);
      unreachable = true;
      return;
    }
    if (closed) return;
    // Valid until a margin before the database's expiry, counted from when the renewal was sent.
    const validForMs = sentAt + ttlMs - marginMs - performance.now();
    if (held && validForMs > 0) {
      clearTimeout(expiry);
      expiry = setTimeout(() => void standDown('expired'), validForMs);
      if (!leading) await lead();
      return;
    }
    if (leading) {
      await standDown(held ? 'expired' : 'lost');
      return;
    }
    if (!held && !standingBy) {
      standingBy = true;
      log.info(`another instance leads ${options.role}; this one stands by and takes over if it stops`);
    }
  }

  function tryOnce(): Promise<void> {
    trying = trying.then(attempt, attempt);
    return trying;
  }

  return {
    async start() {
      if (started || closed) return;
      started = true;
      await tryOnce();
      loop = (async () => {
        while (!closed) {
          await delay(everyMs, undefined, { signal: stopper.signal }).catch(() => undefined);
          if (closed) return;
          await tryOnce();
        }
      })();
    },
    isLeading: () => leading,
    close() {
      closing ??= (async () => {
        closed = true;
        stopper.abort();
        clearTimeout(expiry);
        // At once, so a start still in progress is cut short rather than waited for.
        const stopping = standDown('closing');
        await loop;
        await trying;
        await stopping;
        await settling;
        try {
          await store.release();
        } catch (error) {
          log.warn({ err: error }, `could not give the lease for ${options.role} up; another instance takes over when it expires (${ttlMs} ms)`);
        }
      })();
      return closing;
    },
  };
}
