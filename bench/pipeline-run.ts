/**
 * `node dist/bench/pipeline-run.js [ingest] [memory] [graph] [latency] [wave]`
 * (after `npm run build`; no names: all of them): the pipeline benchmarks of
 * issue 6, a table on stdout and the figures as JSON in `bench/results/`.
 *
 * Needs PostgreSQL and Redis like the tests (BENCH_DATABASE_URL /
 * TEST_DATABASE_URL, BENCH_REDIS_URL / TEST_REDIS_URL); each benchmark uses a
 * database and a queue prefix of its own and removes them afterwards.
 * BENCH_INGEST_COUNT, BENCH_MEMORY_COUNT, BENCH_LATENCY_COUNT and BENCH_LATENCY_RATE
 * (webhooks a second, default 25), BENCH_WAVE_COUNT and BENCH_WAVE_REPLIES_PER_MINUTE change the sizes.
 */
import { benchGraphCost } from './graph-cost.js';
import { benchIngestThroughput } from './ingest-throughput.js';
import { benchLatency } from './latency.js';
import { benchWave } from './wave.js';
import { benchMemory } from './memory.js';
import { machine, meets, renderTable, writeResults, type Figure } from './support/figures.js';

const ALL = ['ingest', 'memory', 'graph', 'latency', 'wave'] as const;
type Name = (typeof ALL)[number];

const numberEnv = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

/** Runs the named pipeline benchmarks; returns the figures and the raw results. */
export async function runPipelineBenchmarks(names: readonly Name[] = ALL, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {
  const figures: Figure[] = [];
  const results: Record<string, unknown> = {};
  for (const name of names) {
    switch (name) {
      case 'ingest': {
        const count = numberEnv('BENCH_INGEST_COUNT');
        const r = await benchIngestThroughput({ ...(count ? { count } : {}), log });
        results.ingest = r;
        figures.push(...r.figures);
        break;
      }
      case 'memory': {
        const count = numberEnv('BENCH_MEMORY_COUNT');
        const r = await benchMemory({ ...(count ? { count } : {}), log });
        results.memory = r;
        figures.push(...r.figures);
        break;
      }
      case 'graph': {
        log('graph cost: polls against the Graph API stand-in…');
        const r = await benchGraphCost();
        results.graph = r;
        figures.push(...r.figures);
        break;
      }
      case 'latency': {
        const count = numberEnv('BENCH_LATENCY_COUNT');
        const rate = numberEnv('BENCH_LATENCY_RATE');
        const r = await benchLatency({ ...(count ? { count } : {}), ...(rate ? { ratePerSecond: rate } : {}), log });
        results.latency = r;
        figures.push(...r.figures);
        break;
      }
      case 'wave': {
        const count = numberEnv('BENCH_WAVE_COUNT');
        const perMinute = numberEnv('BENCH_WAVE_REPLIES_PER_MINUTE');
        const r = await benchWave({ ...(count ? { count } : {}), ...(perMinute ? { repliesPerMinute: perMinute } : {}), log });
        results.wave = r;
        figures.push(...r.figures);
        break;
      }
    }
  }
  return { figures, results };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(ALL as readonly string[]).includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')} (none: all).\n`);
    process.exit(2);
  }
  const names = asked.length ? (asked as Name[]) : ALL;
  const { figures, results } = await runPipelineBenchmarks(names);
  const file = writeResults('pipeline', { machine: machine(), at: new Date().toISOString(), figures: figures.map((f) => ({ ...f, met: meets(f) })), results });
  process.stdout.write(`\n${renderTable(figures)}\n\nFigures: ${file}\n`);
}
