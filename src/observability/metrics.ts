/**
 * Prometheus metrics. One registry per service instance (not prom-client's
 * global one), so tests can run several services in one process.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  jobsProcessed: Counter<'queue' | 'name'>;
  jobsFailed: Counter<'queue' | 'name' | 'final'>;
  jobDuration: Histogram<'queue' | 'name'>;
  inboundReceived: Counter<'platform' | 'origin' | 'duplicate'>;
  graphApiCalls: Counter<'source' | 'purpose'>;
  telegramCalls: Counter<'method' | 'outcome'>;
  reconciled: Counter<'kind'>;
  /** 1 while this instance long-polls Telegram (one instance at a time does, holding the lease). */
  telegramPolling: Gauge;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'ardzagank_' });
  return {
    registry,
    jobsProcessed: new Counter({ name: 'ardzagank_jobs_processed_total', help: 'Jobs completed, by queue and job name', labelNames: ['queue', 'name'], registers: [registry] }),
    jobsFailed: new Counter({
      name: 'ardzagank_jobs_failed_total',
      help: 'Job attempts that failed; final="true" when no retry is left',
      labelNames: ['queue', 'name', 'final'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'ardzagank_job_duration_seconds',
      help: 'Time to process one job',
      labelNames: ['queue', 'name'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inboundReceived: new Counter({
      name: 'ardzagank_inbound_events_total',
      help: 'Raw webhook and poll payloads stored; duplicate="true" when already stored',
      labelNames: ['platform', 'origin', 'duplicate'],
      registers: [registry],
    }),
    graphApiCalls: new Counter({ name: 'ardzagank_graph_api_calls_total', help: 'Graph API requests made', labelNames: ['source', 'purpose'], registers: [registry] }),
    telegramCalls: new Counter({ name: 'ardzagank_telegram_calls_total', help: 'Telegram Bot API requests made', labelNames: ['method', 'outcome'], registers: [registry] }),
    reconciled: new Counter({ name: 'ardzagank_reconciled_total', help: 'Pending items that had no live job and were queued again by the reconciler', labelNames: ['kind'], registers: [registry] }),
    telegramPolling: new Gauge({
      name: 'ardzagank_telegram_polling',
      help: '1 while this instance long-polls Telegram (of several instances on one database, one does at a time)',
      registers: [registry],
    }),
  };
}

/** What the state gauges read when Prometheus scrapes. */
export interface StateReader {
  queueCounts(): Promise<Record<string, Record<string, number>>>;
  /** By status: inquiries, and low-priority items (thanks, emoji, a tag) apart as reactions. */
  inquiriesByStatus(): Promise<{ inquiries: Record<string, number>; reactions: Record<string, number> }>;
}

const STATUSES = ['new', 'claimed', 'answered', 'dismissed', 'closed'] as const;

/**
 * Gauges computed when Prometheus scrapes: queue depths, inquiries by status
 * and reactions (low-priority items) by status, so a backlog of emoji does not
 * look like questions waiting. The two status gauges share one count per scrape.
 */
export function registerStateGauges(metrics: Metrics, read: StateReader): void {
  let counted: { at: number; counts: ReturnType<StateReader['inquiriesByStatus']> } | undefined;
  const byStatus = () => {
    const now = Date.now();
    if (!counted || now - counted.at > 1_000) {
      const counts = read.inquiriesByStatus();
      counted = { at: now, counts };
      counts.catch(() => (counted = undefined));
    }
    return counted.counts;
  };
  new Gauge({
    name: 'ardzagank_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const counts = await read.queueCounts();
      for (const [queue, states] of Object.entries(counts)) for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
    },
  });
  new Gauge({
    name: 'ardzagank_inquiries',
    help: 'Inquiries by status (low-priority items are counted in ardzagank_reactions)',
    labelNames: ['status'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const { inquiries } = await byStatus();
      for (const status of STATUSES) this.set({ status }, inquiries[status] ?? 0);
    },
  });
  new Gauge({
    name: 'ardzagank_reactions',
    help: 'Low-priority items (thanks, emoji, a tag) by status',
    labelNames: ['status'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const { reactions } = await byStatus();
      for (const status of STATUSES) this.set({ status }, reactions[status] ?? 0);
    },
  });
}
