/**
 * Graph API cost of polling a Page: calls of one idle poll, and of one poll
 * that finds 100 new comments spread over 20 posts (some of them old). The
 * real connector and Graph SDK talk to the loopback Graph API stand-in; the
 * calls are counted by the client's own call hook (the figure the
 * `ardzagank_graph_api_calls_total` metric shows) and at the stand-in.
 */
import { createFacebookConnector } from '../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../src/connectors/facebook/graph-client.js';
import { openDatabase } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/observability/logger.js';
import { closeQueues, createProducers, createQueues } from '../src/queue/producers.js';
import { ensureFacebookSource } from '../src/inbox/source-health.workflow.js';
import { pollSource, type PollOutcome } from '../src/inbox/poll-source.workflow.js';
import { createConnectorRegistry } from '../src/connectors/registry.js';
import { facebookModuleOf } from '../src/connectors/facebook/facebook.module.js';
import { startGraphApiFake } from '../src/stand-ins/graph-api.stand-in.js';
import { benchQueuePrefix, createBenchDatabase, openBenchTransport } from './support/bench-env.js';
import { LOAD_PAGE_ID, LOAD_SECRETS } from './support/facebook-load.js';
import type { Figure } from './support/figures.js';

export interface GraphCostResult {
  posts: number;
  firstPollCalls: number;
  idlePollCalls: number;
  busyPoll: { newComments: number; calls: number; itemsFound: number };
  figures: Figure[];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export async function benchGraphCost(options: { posts?: number; newComments?: number } = {}): Promise<GraphCostResult> {
  const posts = options.posts ?? 20;
  const newComments = options.newComments ?? 100;
  const logger = createLogger({ level: 'silent' });
  const database = await createBenchDatabase('graph');
  const prefix = benchQueuePrefix('graph');
  const graph = await startGraphApiFake({ page: { id: LOAD_PAGE_ID, name: 'City Hall', accessToken: LOAD_SECRETS.pageToken } });
  const opened = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', logger });
  const transport = await openBenchTransport('postgres', database.url, prefix);
  const queues = createQueues(transport);
  try {
    await migrateToLatest(opened.db, logger);
    let clock = new Date();
    graph.setNow(clock);
    let calls = 0;
    const client = createGraphClient({ baseUrl: graph.url, version: 'v24.0', accessToken: LOAD_SECRETS.pageToken, logger, onCall: () => calls++ });
    const connector = createFacebookConnector({ graph: client, pageId: LOAD_PAGE_ID, lookbackDays: 14, logger });
    const source = await ensureFacebookSource(opened.db, LOAD_PAGE_ID);
    const deps = { db: opened.db, producers: createProducers(queues), logger, now: () => clock, registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector })]) };
    const poll = async (): Promise<{ calls: number; requests: number; outcome: PollOutcome }> => {
      const [c, r] = [calls, graph.requests.length];
      const outcome = await pollSource(deps, source.id);
      if (graph.requests.length - r !== calls - c) throw new Error('the client counted other calls than the stand-in received');
      return { calls: calls - c, requests: graph.requests.length - r, outcome };
    };
    const advance = (ms: number) => {
      clock = new Date(clock.getTime() + ms);
      graph.setNow(clock);
    };

    // 20 posts of the last 12 days, each with some comments already read.
    const seeded = Array.from({ length: posts }, (_, i) => graph.seedPost({ message: `Հայտարարություն ${i}`, created_time: new Date(clock.getTime() - 12 * DAY + i * 12 * 60 * MINUTE) }));
    for (const [i, post] of seeded.entries()) {
      for (let k = 0; k < 3; k++) graph.addComment({ postId: post.id, message: `Հին հարց ${i}.${k}`, from: { id: `71000000000${i}${k}`, name: 'Քաղաքացի' }, created_time: new Date(clock.getTime() - 11 * DAY + i * 60 * MINUTE + k * MINUTE) });
    }
    const first = await poll();

    advance(5 * MINUTE);
    const idle = await poll();
    if (idle.outcome.status !== 'idle') throw new Error(`the idle poll found something: ${JSON.stringify(idle.outcome)}`);

    advance(MINUTE);
    for (let n = 0; n < newComments; n++) {
      const post = seeded[n % posts]!;
      graph.addComment({ postId: post.id, message: `Նոր հարց ${n}`, from: { id: `72000000000${String(n).padStart(3, '0')}`, name: 'Քաղաքացի' }, created_time: new Date(clock.getTime() - 30_000 + n * 100) });
    }
    advance(4 * MINUTE);
    const busy = await poll();
    const itemsFound = busy.outcome.status === 'stored' ? busy.outcome.items : 0;
    return {
      posts,
      firstPollCalls: first.calls,
      idlePollCalls: idle.calls,
      busyPoll: { newComments, calls: busy.calls, itemsFound },
      figures: [
        { benchmark: 'graph cost', measure: `idle poll (${posts} posts in the window)`, value: idle.calls, unit: 'calls' },
        { benchmark: 'graph cost', measure: `poll with ${newComments} new comments on ${posts} posts (${itemsFound} found)`, value: busy.calls, unit: 'calls' },
        { benchmark: 'graph cost', measure: 'first poll (reads the whole window)', value: first.calls, unit: 'calls' },
      ],
    };
  } finally {
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await opened.close();
    await graph.close();
    await database.drop();
  }
}
