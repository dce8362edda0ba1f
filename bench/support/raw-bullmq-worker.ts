/**
 * The baseline of the ingest benchmark, run as its own process like the
 * service's workers: a plain BullMQ worker that does nothing with its jobs.
 * Environment: REDIS_URL, RAW_PREFIX, RAW_QUEUE, RAW_CONCURRENCY. Writes
 * "ready" on stdout once it listens; stops on SIGTERM.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const worker = new Worker(process.env.RAW_QUEUE ?? 'raw', async () => undefined, {
  connection,
  prefix: process.env.RAW_PREFIX ?? 'bench-raw',
  concurrency: Number(process.env.RAW_CONCURRENCY ?? 8),
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => connection.quit())
    .finally(() => process.exit(0));
});
