/**
 * Redis connections for BullMQ. Redis is transport only: Postgres is the
 * source of truth, so losing Redis loses no work (the reconciler rebuilds).
 */
import { Redis } from 'ioredis';
import { scrubSecrets } from '../observability/redact.js';

/** Redis could not be reached; `message` is one sentence saying what to do. */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/**
 * A connection for queues and workers: retries for ever with a capped
 * backoff (BullMQ requires `maxRetriesPerRequest: null` for workers).
 */
export function createRedisConnection(url: string, name = 'ardzagank'): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
  });
}

/** Connects once, without retrying, to fail fast and clearly at start. */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailableError(
      `Cannot connect to Redis at ${scrubSecrets(url)} (${scrubSecrets(reason)}). Start Redis (redis-server) or set REDIS_URL to a reachable server.`,
      { cause: error },
    );
  } finally {
    probe.disconnect();
  }
}
