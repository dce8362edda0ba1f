/**
 * `ardzagank sources`: the connected accounts (Facebook Pages, Instagram
 * accounts, Telegram channels), their state; adding one (its token read from
 * the environment by name, or stored encrypted with SOURCES_SECRET_KEY),
 * pausing, resuming one that was paused because its token died or whose
 * publishing the platform blocked for a while (Graph 368), and removing one
 * (saying first what becomes of its open inquiries).
 */
import { checkRedis, createRedisConnection } from '../queue/redis.js';
import { CREDENTIALS_REF_PATTERN, loadConfig, type Config } from '../config.js';
import { openDatabase, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findPendingReplyIdsOfSource } from '../db/repositories/reply.repository.js';
import { countOpenWorkOfSource } from '../db/repositories/inquiry.repository.js';
import { findSourceByExternalId, getSourceById, listSources, markSourceRemoved, pauseSource, upsertSource } from '../db/repositories/source.repository.js';
import type { Platform, SourceRow } from '../db/schema.js';
import { sealSecret } from '../lib/secret-box.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { jobId } from '../queue/jobs.js';
import { closeQueues, createProducers, createQueues } from '../queue/producers.js';
import { resumePausedPublishing, resumePausedSource } from '../inbox/source-health.workflow.js';
import { parseCommandArgs, UsageError, type Command, type CommandIo } from './command.js';

const USAGE = `ardzagank sources [list]
ardzagank sources add facebook-page <page-id> [--name NAME] (--token-env VARIABLE | --token-stdin)
ardzagank sources add instagram <account-id> [--name NAME] (--token-env VARIABLE | --token-stdin)
ardzagank sources resume <id>
ardzagank sources pause <id> [reason…]
ardzagank sources remove <id> [--yes]

  list            every connected source: id, platform, account id, name, state, last poll
  add             connects one more account (the service reads it from its next start):
                    --token-env VARIABLE  the token is read from this environment variable
                                          (its name ends in _TOKEN; only the name is stored)
                    --token-stdin         the token is read from standard input and stored
                                          encrypted with SOURCES_SECRET_KEY
                  FACEBOOK_PAGE_ID + FACEBOOK_PAGE_ACCESS_TOKEN stay the quick way for one Page
  resume <id>     resume a source that was paused (for example because Facebook refused its
                  token: set the new FACEBOOK_PAGE_ACCESS_TOKEN and restart first), or whose
                  publishing Facebook blocked for a while (error 368) once the block is lifted;
                  replies that waited are sent and the source is polled right away
  pause <id>      stop reading from and publishing to a source until it is resumed
  remove <id>     disconnect a source for good: says first what becomes of its open inquiries,
                  and removes it only with --yes (its past inquiries stay in the reports)`;

export interface SourcesCommandOptions {
  config: Config;
  logger?: Logger;
  now?: () => Date;
  /** Standard input, read whole (`--token-stdin`); tests pass their own. */
  readStdin?: () => Promise<string>;
}

async function readProcessStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/** The kinds of account `sources add` connects, and their platform. */
const ADD_KINDS = { 'facebook-page': 'facebook', instagram: 'instagram' } as const satisfies Record<string, Platform>;
type AddKind = keyof typeof ADD_KINDS;

const ADD_NAMES: Record<AddKind, string> = { 'facebook-page': 'Facebook Page', instagram: 'Instagram account' };

/**
 * `sources add …`: every check first, then one write, so a mistake leaves
 * nothing half-added. Returns the exit code.
 */
async function addSource(db: Db, args: string[], io: CommandIo, options: SourcesCommandOptions): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, 'token-env': { type: 'string' }, 'token-stdin': { type: 'boolean' } },
  });
  const [kindText, externalId, ...extra] = positionals;
  if (kindText === 'telegram-channel') {
    io.err('Telegram channels are not connected by this version yet: nothing was added.');
    return 1;
  }
  if (!kindText || !(kindText in ADD_KINDS)) throw new UsageError(`"sources add" takes facebook-page or instagram, then the account's numeric id (got "${kindText ?? ''}").`);
  const kind = kindText as AddKind;
  if (!externalId || !/^\d+$/.test(externalId)) throw new UsageError(`"sources add ${kind}" needs the account's numeric id.`);
  if (extra.length > 0) throw new UsageError(`"sources add ${kind}" takes one account id; unexpected "${extra.join(' ')}".`);
  const tokenEnv = values['token-env'];
  const tokenStdin = values['token-stdin'] === true;
  if ((tokenEnv === undefined) === !tokenStdin) throw new UsageError('Say where the token is: --token-env VARIABLE (read from the environment) or --token-stdin (stored encrypted), one of them.');
  const { config } = options;
  let credentialsRef: string | null = null;
  let credentialsEncrypted: string | null = null;
  if (tokenEnv !== undefined) {
    if (!CREDENTIALS_REF_PATTERN.test(tokenEnv)) throw new UsageError('--token-env takes the NAME of an environment variable ending in _TOKEN (for example CITY_PAGE_2_TOKEN), never the token itself (what was given is not repeated here).');
    credentialsRef = tokenEnv;
  } else {
    if (!config.sources.secretKey) {
      io.err('Storing a token needs SOURCES_SECRET_KEY (32 random bytes: openssl rand -hex 32) in the environment of this command and of the service; or use --token-env VARIABLE. Nothing was added.');
      return 1;
    }
    const token = (await (options.readStdin ?? readProcessStdin)()).trim();
    if (token === '' || /\s/.test(token)) {
      io.err('No token was read from standard input (one line, the token alone). Nothing was added.');
      return 1;
    }
    credentialsEncrypted = sealSecret(config.sources.secretKey, token);
  }
  const platform = ADD_KINDS[kind];
  const name = values.name?.trim() || `${ADD_NAMES[kind]} ${externalId}`;
  const existing = await findSourceByExternalId(db, platform, externalId);
  if (existing && !existing.removedAt) {
    io.err(`${existing.name} is already source ${existing.id}; nothing was added. To give it another token, remove it first ("ardzagank sources remove ${existing.id}").`);
    return 1;
  }
  const source = await db.transaction().execute(async (trx) => {
    const row = await upsertSource(trx, { platform, externalId, name, credentialsRef, credentialsEncrypted, restore: true });
    await insertEvent(trx, { type: 'source_added', actorKind: 'system', payload: { sourceId: row.id, platform, externalId, by: 'cli', credentials: credentialsRef ? 'environment' : 'encrypted' } });
    return row;
  });
  io.out(`Added ${source.name} as source ${source.id} (${platform}).`);
  if (credentialsRef && config.sources.tokenVariables[credentialsRef] === undefined) {
    io.out(`${credentialsRef} is not set in this environment: set it in the service's environment (.env) before restarting.`);
  }
  io.out('Restart the service (or each instance) to start reading it and publishing to it.');
  return 0;
}

/** `sources remove <id> [--yes]`: what becomes of the source's open inquiries first; removed only with --yes. */
async function removeSource(db: Db, source: SourceRow, confirmed: boolean, io: CommandIo, options: SourcesCommandOptions, now: Date): Promise<number> {
  if (source.removedAt) {
    io.out(`Source ${source.id} (${source.name}) was already removed.`);
    return 0;
  }
  const work = await countOpenWorkOfSource(db, source.id);
  const lines = [
    `Removing source ${source.id} (${source.name}, ${source.platform}) stops reading it and publishing to it; what arrives from it afterwards is stored and ignored.`,
    work.open === 0
      ? 'It has no open inquiry.'
      : `Its ${work.open} open inquir${work.open === 1 ? 'y stays' : 'ies stay'} in the staff group as ${work.open === 1 ? 'it is' : 'they are'} (${work.claimed} claimed): staff can still dismiss ${work.open === 1 ? 'it' : 'them'} or answer on the platform itself, but an answer written in Ardzagank can no longer be published there.`,
    ...(work.pendingReplies > 0 ? [`${work.pendingReplies} repl${work.pendingReplies === 1 ? 'y' : 'ies'} not yet published will fail with that reason.`] : []),
    'Its past inquiries stay in the reports under its name. Adding the same account again ("ardzagank sources add") brings it back.',
  ];
  for (const line of lines) io.out(line);
  if (!confirmed) {
    io.err(`Nothing was removed. Run "ardzagank sources remove ${source.id} --yes" to remove it.`);
    return 1;
  }
  await db.transaction().execute(async (trx) => {
    const row = await markSourceRemoved(trx, source.id, now);
    if (row) await insertEvent(trx, { type: 'source_removed', actorKind: 'system', occurredAt: now, payload: { sourceId: source.id, by: 'cli', openInquiries: work.open } });
  });
  try {
    await checkRedis(options.config.redisUrl);
    const connection = createRedisConnection(options.config.redisUrl, 'ardzagank-cli');
    const queues = createQueues({ connection, prefix: options.config.queuePrefix });
    try {
      await queues.schedule.removeJobScheduler(jobId.sourcePollScheduler(source.id));
    } finally {
      await closeQueues(queues);
      await connection.quit();
    }
  } catch {
    // The service drops the poll of a removed source by itself (it has no connector for it after a restart).
  }
  io.out(`Source ${source.id} is removed. Restart the service (or each instance) so that it lets go of it.`);
  return 0;
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
  if (!['list', 'add', 'resume', 'pause', 'remove'].includes(action)) throw new UsageError(`Unknown action "${action}".`);
  let id: number | undefined;
  if (action !== 'list' && action !== 'add') {
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
    if (action === 'add') return await addSource(db, args.slice(1), io, options);
    if (action === 'list') {
      const sources = await listSources(db);
      if (sources.length === 0) {
        io.out('No sources yet. A Facebook Page becomes a source when the service starts with FACEBOOK_PAGE_ID and FACEBOOK_PAGE_ACCESS_TOKEN, or with "ardzagank sources add".');
        return 0;
      }
      for (const s of sources) {
        const lastPoll = s.lastPolledAt ? `last poll ${s.lastPolledAt.toISOString()}${s.lastPollError ? ` failed: ${s.lastPollError}` : ''}` : 'never polled';
        const token = s.credentialsRef ? `token from ${s.credentialsRef}` : s.credentialsEncrypted ? 'token stored encrypted' : 'no token';
        io.out(`${s.id}\t${s.platform}\t${s.externalId}\t${s.name}\t${stateOf(s, now())}\t${lastPoll}\t${token}`);
      }
      return 0;
    }

    const source = await getSourceById(db, id!);
    if (action === 'remove') {
      const unexpected = rest.filter((r) => r !== '--yes');
      if (unexpected.length > 0) throw new UsageError(`"sources remove" takes an id and --yes; unexpected "${unexpected.join(' ')}".`);
      return await removeSource(db, source, rest.includes('--yes'), io, options, now());
    }
    if (source.removedAt) {
      io.err(`Source ${source.id} (${source.name}) was removed; add it again with "ardzagank sources add".`);
      return 1;
    }
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
    try {
      await checkRedis(config.redisUrl);
    } catch {
      io.out(`Redis is not reachable now: the ${waiting.length} waiting repl${waiting.length === 1 ? 'y goes' : 'ies go'} out and polling restarts once the service runs.`);
      return 0;
    }
    const connection = createRedisConnection(config.redisUrl, 'ardzagank-cli');
    const queues = createQueues({ connection, prefix: config.queuePrefix });
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
      await connection.quit();
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
  summary: 'connected accounts and their state: list, add, pause, resume, remove',
  usage: USAGE,
  run: (args: string[], io: CommandIo) => runSourcesCommand(args, io, { config: loadConfig() }),
};
