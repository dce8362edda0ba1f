/**
 * `ardzagank sources`: the connected accounts (Facebook Pages…), their
 * state, and resuming one that was paused because its token died, or whose
 * publishing the platform blocked for a while (Graph 368).
 */
import { appDatabaseUrl, openQueueTransport } from '../queue/transport.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findPendingReplyIdsOfSource } from '../db/repositories/reply.repository.js';
import { getSourceById, listSources, pauseSource } from '../db/repositories/source.repository.js';
import type { SourceRow } from '../db/schema.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { jobId } from '../queue/jobs.js';
import { closeQueues, createProducers, createQueues } from '../queue/producers.js';
import { resumePausedPublishing, resumePausedSource } from '../inbox/source-health.workflow.js';
import { UsageError, type Command, type CommandIo } from './command.js';

const USAGE = `ardzagank sources [list]
ardzagank sources resume <id>
ardzagank sources pause <id> [reason…]

  list            every connected source: id, platform, account id, name, state, last poll
  resume <id>     resume a source that was paused (for example because Facebook refused its
                  token: set the new FACEBOOK_PAGE_ACCESS_TOKEN and restart first), or whose
                  publishing Facebook blocked for a while (error 368) once the block is lifted;
                  replies that waited are sent and the source is polled right away
  pause <id>      stop reading from and publishing to a source until it is resumed`;

export interface SourcesCommandOptions {
  config: Config;
  logger?: Logger;
  now?: () => Date;
}

function stateOf(source: SourceRow, now: Date): string {
  if (!source.enabled) return `PAUSED since ${source.pausedAt?.toISOString() ?? '?'}: ${source.pausedReason ?? 'no reason recorded'}`;
  const parts = ['active'];
  if (source.publishingPausedUntil && source.publishingPausedUntil > now) {
    parts.push(`publishing paused until ${source.publishingPausedUntil.toISOString()}: ${source.publishingPausedReason ?? 'no reason recorded'}`);
  }
  if (source.throttledUntil && source.throttledUntil > now) parts.push(`slowed down until ${source.throttledUntil.toISOString()}`);
  return parts.join(', ');
}

/** Runs `ardzagank sources …` against `options.config` (tests pass their own). */
export async function runSourcesCommand(args: string[], io: CommandIo, options: SourcesCommandOptions): Promise<number> {
  const [action = 'list', idText, ...rest] = args;
  if (!['list', 'resume', 'pause'].includes(action)) throw new UsageError(`Unknown action "${action}".`);
  let id: number | undefined;
  if (action !== 'list') {
    if (!idText || !/^\d+$/.test(idText)) throw new UsageError(`"sources ${action}" needs the numeric id of a source (see "ardzagank sources").`);
    id = Number(idText);
  }
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const now = options.now ?? (() => new Date());
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    const db = database.db;
    await migrateToLatest(db, logger);
    if (action === 'list') {
      const sources = await listSources(db);
      if (sources.length === 0) {
        io.out('No sources yet. A Facebook Page becomes a source when the service starts with FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN.');
        return 0;
      }
      for (const s of sources) {
        const lastPoll = s.lastPolledAt ? `last poll ${s.lastPolledAt.toISOString()}${s.lastPollError ? ` failed: ${s.lastPollError}` : ''}` : 'never polled';
        io.out(`${s.id}\t${s.platform}\t${s.externalId}\t${s.name}\t${stateOf(s, now())}\t${lastPoll}`);
      }
      return 0;
    }

    const source = await getSourceById(db, id!);
    if (action === 'pause') {
      const reason = rest.join(' ').trim() || 'paused by an admin';
      const paused = await db.transaction().execute(async (trx) => {
        const row = await pauseSource(trx, source.id, reason, now());
        if (row) await insertEvent(trx, { type: 'source_paused', actorKind: 'system', payload: { sourceId: source.id, reason: 'admin', detail: reason } });
        return row;
      });
      io.out(paused ? `Source ${source.id} (${source.name}) is paused: nothing is read from it or published to it until "ardzagank sources resume ${source.id}".` : `Source ${source.id} was already paused.`);
      return 0;
    }

    const resumed = await resumePausedSource(db, source.id, 'cli', now());
    const publishing = await resumePausedPublishing(db, source.id, 'cli', now());
    if (!resumed && !publishing) {
      io.out(`Source ${source.id} (${source.name}) is not paused; nothing to do.`);
      return 0;
    }
    const waiting = await findPendingReplyIdsOfSource(db, source);
    io.out(resumed ? `Source ${source.id} (${source.name}) is resumed.` : `Publishing on source ${source.id} (${source.name}) is resumed.`);
    let transport;
    try {
      transport = await openQueueTransport({ redisUrl: config.redisUrl, databaseUrl: appDatabaseUrl(config.databaseUrl, database), prefix: config.queuePrefix, name: 'ardzagank-cli' });
    } catch {
      io.out(`The queues are not reachable now: the ${waiting.length} waiting repl${waiting.length === 1 ? 'y goes' : 'ies go'} out and polling restarts once the service runs.`);
      return 0;
    }
    const queues = createQueues(transport);
    try {
      const producers = createProducers(queues);
      for (const replyId of waiting) {
        // Replies of a paused source wait as delayed jobs: run them now.
        const job = await queues.deliver.getJob(jobId.replyDeliver(replyId));
        if (!job) await producers.deliverReply(replyId);
        else if (await job.isDelayed()) await job.promote();
      }
      await producers.pollSource(source.id);
    } finally {
      await closeQueues(queues);
      await transport.close();
    }
    io.out(
      waiting.length === 0
        ? 'No reply was waiting. A poll was queued.'
        : `${waiting.length} waiting repl${waiting.length === 1 ? 'y is' : 'ies are'} being sent now, and a poll was queued.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'list connected pages and their state; resume one paused by a dead token or blocked from publishing',
  usage: USAGE,
  run: (args: string[], io: CommandIo) => runSourcesCommand(args, io, { config: loadConfig() }),
};
