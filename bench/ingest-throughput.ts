/**
 * Ingest throughput: signed Facebook webhooks → inquiries → card jobs, on
 * the real service (`ardzagank start` as a child process, its own database
 * and queue prefix), against raw BullMQ (the same number of jobs added one
 * by one, `concurrency` at a time, and processed by a do-nothing worker of
 * the ingest worker's concurrency in a process of its own), on both queue
 * transports side by side in the same run: Redis, then PostgreSQL (the
 * queues in the benchmark's database, as `npm start` runs without REDIS_URL).
 * The Redis half is left out, with a line saying so, when Redis cannot be reached.
 *
 * The pipeline's clock runs from the first webhook sent until Postgres holds
 * every inquiry and the notify queue every card job. Both runs are preceded
 * by a warm-up that is not counted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { checkRedis } from '../src/queue/redis.js';
import { BENCH_REDIS_URL, benchQueuePrefix, benchRedisUrlFor, createBenchDatabase, openBenchTransport, removeBenchQueues, type BenchTransportKind } from './support/bench-env.js';
import { commentDelivery, loadServiceEnv, sendDeliveries } from './support/facebook-load.js';
import { round, type Figure } from './support/figures.js';
import { processGroups, startCpuMeter, type CpuReading } from './support/process-cpu.js';
import { repoRoot, startServiceProcess } from './support/service-process.js';

export interface IngestThroughputOptions {
  /** Inquiries (and raw jobs) measured; default 5,000. */
  count?: number;
  /** Webhooks (and raw adds) in flight at once; default 32. */
  concurrency?: number;
  /** Concurrency of the raw BullMQ worker: the ingest worker's; default 8. */
  rawWorkerConcurrency?: number;
  /** Extra environment of the service (tuning experiments). */
  serviceEnv?: Record<string, string>;
  log?: (line: string) => void;
}

/** One transport's half of the run. */
export interface IngestTransportResult {
  pipeline: { elapsedMs: number; perSecond: number; webhooksAcceptedPerSecond: number; refusals: Record<string, number> };
  rawBullmq: { elapsedMs: number; perSecond: number };
  ratio: number;
  /** CPU microseconds per inquiry (pipeline) and per job (raw BullMQ), by process, and the machine's busy cores. */
  cpu: { pipeline: CpuCost; rawBullmq: CpuCost };
}

export interface IngestThroughputResult {
  count: number;
  concurrency: number;
  /** Undefined when Redis could not be reached. */
  redis: IngestTransportResult | undefined;
  postgres: IngestTransportResult;
  /** PostgreSQL pipeline / Redis pipeline. */
  postgresToRedis: number | undefined;
  figures: Figure[];
}

/** What a run cost in CPU: microseconds per inquiry or job, by process and for the whole machine. */
export interface CpuCost {
  available: boolean;
  microsecondsPerItem: Record<string, number>;
  machineMicrosecondsPerItem: number;
  /** Average cores busy over the run, of `cpus`. */
  busyCores: number;
  stealCores: number;
  cpus: number;
}

const cpuCost = (reading: CpuReading, items: number): CpuCost => ({
  available: reading.available,
  microsecondsPerItem: Object.fromEntries(Object.entries(reading.seconds).map(([name, s]) => [name, round((s * 1e6) / items)])),
  machineMicrosecondsPerItem: round((reading.machineBusySeconds * 1e6) / items),
  busyCores: round(reading.machineBusySeconds / reading.elapsedSeconds, 2),
  stealCores: round(reading.stealSeconds / reading.elapsedSeconds, 2),
  cpus: reading.cpus,
});

// The processes every run involves besides its own: the servers on this machine (when they run elsewhere, they read 0).
const serverGroups = () => [processGroups.executable('PostgreSQL', 'postgres'), processGroups.executable('Redis', 'redis-server')];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function runPipeline(kind: BenchTransportKind, count: number, warmup: number, concurrency: number, options: IngestThroughputOptions) {
  const database = await createBenchDatabase('ingest');
  const prefix = benchQueuePrefix('ingest');
  const service = await startServiceProcess({
    env: { ...loadServiceEnv({ databaseUrl: database.url, redisUrl: benchRedisUrlFor(kind), queuePrefix: prefix }), ...options.serviceEnv },
  });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const transport = await openBenchTransport(kind, database.url, prefix);
  const notify = transport.queue('notify');
  const inquiries = async () => Number((await client.query<{ n: string }>('select count(*) as n from inquiries')).rows[0]!.n);
  const cardJobs = async () => {
    const counts = await notify.getJobCounts('prioritized', 'waiting', 'active', 'completed', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };
  try {
    const tag = `${Date.now() % 100000}`;
    const all = Array.from({ length: warmup + count }, (_, n) => commentDelivery(n, { runTag: tag }));
    await sendDeliveries(all.slice(0, warmup), { baseUrl: service.url, concurrency });
    await waitFor(async () => (await inquiries()) >= warmup && (await cardJobs()) >= warmup, 60_000, 'the warm-up inquiries');

    const meter = startCpuMeter([processGroups.pid('service', service.pid), ...serverGroups(), processGroups.pid('load sender', process.pid)]);
    const started = performance.now();
    const sent = await sendDeliveries(all.slice(warmup), { baseUrl: service.url, concurrency });
    const acceptedMs = performance.now() - started;
    await waitFor(async () => (await inquiries()) >= warmup + count && (await cardJobs()) >= warmup + count, 300_000, 'every inquiry and card job');
    const elapsedMs = performance.now() - started;
    const cpu = cpuCost(meter.stop(), count);
    if ((await inquiries()) !== warmup + count) throw new Error('the pipeline made more inquiries than comments were sent');
    return { elapsedMs, perSecond: (count / elapsedMs) * 1000, webhooksAcceptedPerSecond: (count / acceptedMs) * 1000, refusals: sent.refusals, cpu };
  } finally {
    await client.end();
    await notify.close();
    await transport.close();
    await service.stop();
    await removeBenchQueues(kind, prefix);
    await database.drop();
  }
}

async function runRawBullmq(kind: BenchTransportKind, count: number, warmup: number, concurrency: number, workerConcurrency: number) {
  const prefix = benchQueuePrefix('raw');
  // Queues in PostgreSQL live in a database: one of its own, as the pipeline's.
  const database = await createBenchDatabase('raw');
  const redisUrl = benchRedisUrlFor(kind);
  const script = path.join(repoRoot(), 'dist', 'bench', 'support', 'raw-bullmq-worker.js');
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: process.env.PATH ?? '',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      DATABASE_URL: database.url,
      RAW_PREFIX: prefix,
      RAW_QUEUE: 'ingest',
      RAW_CONCURRENCY: String(workerConcurrency),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the raw BullMQ worker exited (${code})`)));
  });
  // The service's job options, so both keep the same bookkeeping per job.
  const transport = await openBenchTransport(kind, database.url, prefix);
  const queue = transport.queue('ingest', {
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: { age: 14 * 24 * 3600 } },
  });
  const completed = async () => {
    const c = await queue.getJobCounts('completed');
    return c.completed ?? 0;
  };
  const addAll = async (from: number, to: number) => {
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const n = next++;
          if (n >= to) return;
          await queue.add('inquiry.ingest', { inboundEventId: n + 1 }, { jobId: `ingest-${n + 1}` });
        }
      }),
    );
  };
  try {
    await addAll(0, warmup);
    await waitFor(async () => (await completed()) >= warmup, 60_000, 'the raw warm-up jobs');
    const meter = startCpuMeter([processGroups.pid('worker', child.pid!), ...serverGroups(), processGroups.pid('adder', process.pid)]);
    const started = performance.now();
    await addAll(warmup, warmup + count);
    // Completed jobs are capped at 10,000 by removeOnComplete; count what is left to do instead.
    await waitFor(async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return Object.values(c).reduce((a, b) => a + b, 0) === 0;
    }, 300_000, 'every raw job');
    const elapsedMs = performance.now() - started;
    return { elapsedMs, perSecond: (count / elapsedMs) * 1000, cpu: cpuCost(meter.stop(), count) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await queue.close();
    await transport.close();
    await removeBenchQueues(kind, prefix);
    await database.drop();
  }
}

const TRANSPORT_NAME: Record<BenchTransportKind, string> = { redis: 'Redis', postgres: 'PostgreSQL' };

async function runTransport(kind: BenchTransportKind, count: number, warmup: number, concurrency: number, options: IngestThroughputOptions): Promise<IngestTransportResult> {
  const log = options.log ?? (() => undefined);
  log(`ingest throughput, queues on ${TRANSPORT_NAME[kind]}: raw BullMQ, ${count} jobs…`);
  const raw = await runRawBullmq(kind, count, warmup, concurrency, options.rawWorkerConcurrency ?? 8);
  log(`ingest throughput, queues on ${TRANSPORT_NAME[kind]}: the pipeline, ${count} signed webhooks…`);
  const pipeline = await runPipeline(kind, count, warmup, concurrency, options);
  const { cpu: pipelineCpu, ...pipelineRest } = pipeline;
  return {
    pipeline: { ...pipelineRest, elapsedMs: round(pipeline.elapsedMs), perSecond: round(pipeline.perSecond), webhooksAcceptedPerSecond: round(pipeline.webhooksAcceptedPerSecond) },
    rawBullmq: { elapsedMs: round(raw.elapsedMs), perSecond: round(raw.perSecond) },
    ratio: round(pipeline.perSecond / raw.perSecond, 3),
    cpu: { pipeline: pipelineCpu, rawBullmq: raw.cpu },
  };
}

function transportFigures(kind: BenchTransportKind, count: number, r: IngestTransportResult): Figure[] {
  const on = `queues on ${TRANSPORT_NAME[kind]}`;
  // The pipeline's targets: 1,000 /s and half of raw BullMQ on Redis (issue 6); 500 /s in PostgreSQL (issue 13).
  const target = kind === 'redis' ? 1000 : 500;
  return [
    { benchmark: 'ingest', measure: `${on}: pipeline, ${count} webhooks → inquiries → card jobs`, value: r.pipeline.perSecond, unit: 'inquiries/s', target: { op: '>=', value: target } },
    { benchmark: 'ingest', measure: `${on}: raw BullMQ, ${count} jobs added and processed`, value: r.rawBullmq.perSecond, unit: 'jobs/s' },
    { benchmark: 'ingest', measure: `${on}: pipeline / raw BullMQ`, value: r.ratio, unit: '', ...(kind === 'redis' ? { target: { op: '>=' as const, value: 0.5 } } : {}) },
    { benchmark: 'ingest', measure: `${on}: webhooks answered 200 (storing only)`, value: r.pipeline.webhooksAcceptedPerSecond, unit: 'webhooks/s' },
    ...cpuFigures(`${on}: pipeline`, 'inquiry', r.cpu.pipeline),
    ...cpuFigures(`${on}: raw BullMQ`, 'job', r.cpu.rawBullmq),
  ];
}

export async function benchIngestThroughput(options: IngestThroughputOptions = {}): Promise<IngestThroughputResult> {
  const count = options.count ?? 5_000;
  const concurrency = options.concurrency ?? 32;
  const warmup = Math.min(500, Math.ceil(count / 10));
  const log = options.log ?? (() => undefined);
  let redis: IngestTransportResult | undefined;
  const redisReachable = await checkRedis(BENCH_REDIS_URL).then(
    () => true,
    (error: unknown) => {
      log(`ingest throughput: queues on Redis left out: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  );
  if (redisReachable) redis = await runTransport('redis', count, warmup, concurrency, options);
  const postgres = await runTransport('postgres', count, warmup, concurrency, options);
  const postgresToRedis = redis ? round(postgres.pipeline.perSecond / redis.pipeline.perSecond, 3) : undefined;
  return {
    count,
    concurrency,
    redis,
    postgres,
    postgresToRedis,
    figures: [
      ...(redis ? transportFigures('redis', count, redis) : []),
      ...transportFigures('postgres', count, postgres),
      ...(postgresToRedis === undefined
        ? []
        : [{ benchmark: 'ingest', measure: 'pipeline, queues in PostgreSQL / on Redis', value: postgresToRedis, unit: '', target: { op: '>=' as const, value: 0.5 } }]),
    ],
  };
}

/**
 * Where the CPU of a run went, per inquiry or job: why the ratio is what it
 * is. Both runs share the machine's cores, so a run whose items cost more CPU
 * in all its processes together cannot go as fast once the cores are busy.
 */
function cpuFigures(run: string, item: string, cpu: CpuCost): Figure[] {
  if (!cpu.available) return [];
  return [
    ...Object.entries(cpu.microsecondsPerItem).map(([name, us]): Figure => ({ benchmark: 'ingest', measure: `${run}: CPU per ${item}, ${name}`, value: us, unit: 'µs' })),
    { benchmark: 'ingest', measure: `${run}: CPU per ${item}, whole machine`, value: cpu.machineMicrosecondsPerItem, unit: 'µs' },
    { benchmark: 'ingest', measure: `${run}: cores busy (of ${cpu.cpus})`, value: cpu.busyCores, unit: 'cores', ...(cpu.stealCores >= 0.05 ? { note: `${cpu.stealCores} cores stolen by the hypervisor` } : {}) },
  ];
}
