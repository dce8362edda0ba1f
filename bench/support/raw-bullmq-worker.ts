/**
 * The baseline of the ingest benchmark, run as its own process like the
 * service's workers: a plain BullMQ worker that does nothing with its jobs,
 * on the transport the service would use (Redis when REDIS_URL is set, else
 * PostgreSQL at DATABASE_URL). Environment: REDIS_URL, DATABASE_URL,
 * RAW_PREFIX, RAW_QUEUE, RAW_CONCURRENCY. Writes "ready" on stdout once it
 * listens; stops on SIGTERM.
 */
import { openQueueTransport } from '../../src/queue/transport.js';

const transport = await openQueueTransport({
  redisUrl: process.env.REDIS_URL || undefined,
  databaseUrl: process.env.DATABASE_URL || undefined,
  prefix: process.env.RAW_PREFIX ?? 'bench-raw',
  name: 'ardzagank-bench-raw',
});
const worker = transport.worker(process.env.RAW_QUEUE ?? 'raw', async () => undefined, { concurrency: Number(process.env.RAW_CONCURRENCY ?? 8) });
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => transport.close())
    .finally(() => process.exit(0));
});
