/**
 * `ardzagank sources`: the connected accounts (Facebook Pages, Instagram
 * accounts, Telegram channels), their state; adding one (its token read from
 * the environment by name, or stored encrypted with SOURCES_SECRET_KEY),
 * pausing, resuming one that was paused because its token died or whose
 * publishing the platform blocked for a while (Graph 368), and removing one
 * (saying first what becomes of its open inquiries).
 */
import { appDatabaseUrl, openQueueTransport } from '../queue/transport.js';
import { configSecrets, CREDENTIALS_REF_PATTERN, loadConfig, type Config } from '../config.js';
import { openDatabase, type Db, type OpenedDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { insertEvent } from '../db/repositories/event.repository.js';
import { findPendingReplyIdsOfSource } from '../db/repositories/reply.repository.js';
import { countOpenWorkOfSource } from '../db/repositories/inquiry.repository.js';
import { findSourceByExternalId, getSourceById, listSources, markSourceRemoved, pauseSource, upsertSource } from '../db/repositories/source.repository.js';
import type { Platform, SourceRow } from '../db/schema.js';
import { LOCALES, type Locale } from '../domain/locale.js';
import { sealSecret } from '../lib/secret-box.js';
import { createTelegramClient, type TelegramClient } from '../telegram/telegram-client.js';
import { TelegramApiError } from '../telegram/telegram-errors.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { jobId } from '../queue/jobs.js';
import { closeQueues, createProducers, createQueues } from '../queue/producers.js';
import { resumePausedPublishing, resumePausedSource } from '../inbox/source-health.workflow.js';
import { parseCommandArgs, UsageError, type Command, type CommandIo } from './command.js';

const USAGE = `ardzagank sources [list]
ardzagank sources add facebook-page <page-id> [--name NAME] (--token-env VARIABLE | --token-stdin)
ardzagank sources add instagram <account-id> [--name NAME] (--token-env VARIABLE | --token-stdin)
ardzagank sources add telegram-channel <@channel|-100…> [--name NAME] [--lang hy|en|ru]
ardzagank sources resume <id>
ardzagank sources pause <id> [reason…]
ardzagank sources remove <id> [--yes]

  list            every connected source: id, platform, account id, name, state, last poll
  add             connects one more account (the service reads it from its next start):
                    --token-env VARIABLE  the token is read from this environment variable
                                          (its name ends in _TOKEN; only the name is stored)
                    --token-stdin         the token is read from standard input and stored
                                          encrypted with SOURCES_SECRET_KEY
                  FACEBOOK_PAGE_ID + FACEBOOK_PAGE_ACCESS_TOKEN stay the quick way for one Page;
                  a Telegram channel is read through the staff bot (TELEGRAM_BOT_TOKEN), which must
                  be an admin of the channel's linked discussion group: the command checks it, and
                  says what is missing (--lang: in which language; default LOCALE)
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
  /** The Bot API client `sources add telegram-channel` checks with (default: one from the config). */
  telegramClient?: Pick<TelegramClient, 'getChat' | 'getChatMember' | 'getMe'>;
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
  // A channel's numeric id starts with "-": taken out before the options are parsed.
  const numericChannel = args[0] === 'telegram-channel' && /^-100\d+$/.test(args[1] ?? '') ? args[1] : undefined;
  const { values, positionals } = parseCommandArgs({
    args: numericChannel === undefined ? args : [args[0]!, ...args.slice(2)],
    allowPositionals: true,
    options: { name: { type: 'string' }, 'token-env': { type: 'string' }, 'token-stdin': { type: 'boolean' }, lang: { type: 'string' } },
  });
  const [kindText, externalId, ...extra] = positionals;
  if (kindText === 'telegram-channel') return addTelegramChannel(db, numericChannel === undefined ? positionals.slice(1) : [numericChannel, ...positionals.slice(1)], values, io, options);
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

/** What `sources add telegram-channel` says, in the admin's language. */
const CHANNEL_TEXT: Record<Locale, {
  noBot: string;
  notFound: (channel: string) => string;
  notChannel: (channel: string) => string;
  noGroup: (title: string) => string;
  notAdmin: (group: string, status: string) => string;
  unreachable: (detail: string) => string;
  already: (name: string, id: number) => string;
  added: (name: string, id: number, group: string) => string;
  nothing: string;
}> = {
  en: {
    noBot: 'Set TELEGRAM_BOT_TOKEN: the channel is read through the staff bot.',
    notFound: (c) => `Telegram does not know the channel ${c}, or the bot cannot see it: check the @username (or the -100… id); for a private channel, add the bot to the channel first.`,
    notChannel: (c) => `${c} is not a channel. Give the city's channel (its @username or -100… id).`,
    noGroup: (t) => `The channel "${t}" has no linked discussion group, so it has no comments: in the channel's settings, under Discussion, link a group, make the bot an admin of that group, and run this again.`,
    notAdmin: (g, st) => `The bot is not an admin of the discussion group "${g}" (its status there: ${st}): add the bot to the group and make it an admin, then run this again.`,
    unreachable: (d) => `Telegram could not be asked (${d}); try again.`,
    already: (n, id) => `${n} is already source ${id}.`,
    added: (n, id, g) => `Added the channel ${n} as source ${id} (its comments are read in "${g}").`,
    nothing: 'Nothing was added.',
  },
  hy: {
    noBot: 'Սահմանեք TELEGRAM_BOT_TOKEN-ը. ալիքը կարդացվում է աշխատակազմի բոտի միջոցով։',
    notFound: (c) => `Telegram-ը չի ճանաչում ${c} ալիքը, կամ բոտը այն չի տեսնում. ստուգեք @username-ը (կամ -100… id-ն), իսկ փակ ալիքի դեպքում նախ ավելացրեք բոտին ալիքում։`,
    notChannel: (c) => `${c}-ը ալիք չէ։ Նշեք քաղաքի ալիքը (@username կամ -100… id)։`,
    noGroup: (t) => `«${t}» ալիքը կապված քննարկման խումբ չունի, ուստի մեկնաբանություններ չունի. ալիքի կարգավորումներում՝ «Քննարկում» բաժնում, կապեք խումբ, բոտին դարձրեք այդ խմբի ադմին և կրկին գործարկեք հրամանը։`,
    notAdmin: (g, st) => `Բոտը «${g}» քննարկման խմբի ադմին չէ (կարգավիճակը՝ ${st}). ավելացրեք բոտին խմբում, դարձրեք ադմին և կրկին գործարկեք հրամանը։`,
    unreachable: (d) => `Չհաջողվեց դիմել Telegram-ին (${d}). փորձեք կրկին։`,
    already: (n, id) => `${n}-ն արդեն ${id} աղբյուրն է։`,
    added: (n, id, g) => `${n} ալիքը ավելացվեց որպես ${id} աղբյուր (մեկնաբանությունները կարդացվում են «${g}» խմբում)։`,
    nothing: 'Ոչինչ չավելացվեց։',
  },
  ru: {
    noBot: 'Задайте TELEGRAM_BOT_TOKEN: канал читается через бота сотрудников.',
    notFound: (c) => `Telegram не знает канал ${c}, или бот его не видит: проверьте @username (или id -100…); для закрытого канала сначала добавьте бота в канал.`,
    notChannel: (c) => `${c} — не канал. Укажите канал города (@username или id -100…).`,
    noGroup: (t) => `У канала «${t}» нет привязанной группы обсуждения, поэтому нет комментариев: в настройках канала, в разделе «Обсуждение», привяжите группу, сделайте бота её администратором и запустите команду снова.`,
    notAdmin: (g, st) => `Бот не администратор группы обсуждения «${g}» (его статус там: ${st}): добавьте бота в группу и сделайте администратором, затем запустите команду снова.`,
    unreachable: (d) => `Не удалось обратиться к Telegram (${d}); попробуйте снова.`,
    already: (n, id) => `${n} уже источник ${id}.`,
    added: (n, id, g) => `Канал ${n} добавлен как источник ${id} (комментарии читаются в «${g}»).`,
    nothing: 'Ничего не добавлено.',
  },
};

/**
 * `sources add telegram-channel <@channel|-100…> [--name] [--lang]`: checks
 * with getChat that it is a channel with a linked discussion group and with
 * getChatMember that the bot is an admin of that group, and says what is
 * missing in the admin's language; only then is the source written (nothing
 * is half-added).
 */
async function addTelegramChannel(db: Db, args: string[], values: { name?: string | undefined; lang?: string | undefined }, io: CommandIo, options: SourcesCommandOptions): Promise<number> {
  const [channel, ...extra] = args;
  if (!channel || !/^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d+)$/.test(channel)) throw new UsageError('"sources add telegram-channel" needs the channel: its @username or its numeric id (-100…).');
  if (extra.length > 0) throw new UsageError(`"sources add telegram-channel" takes one channel; unexpected "${extra.join(' ')}".`);
  if (values.lang !== undefined && !(LOCALES as readonly string[]).includes(values.lang)) throw new UsageError(`--lang takes ${LOCALES.join(', ')}.`);
  const { config } = options;
  const t = CHANNEL_TEXT[(values.lang as Locale | undefined) ?? config.locale];
  const refuse = (line: string) => {
    io.err(`${line} ${t.nothing}`);
    return 1;
  };
  if (!config.telegram.botToken) return refuse(t.noBot);
  const client = options.telegramClient ?? createTelegramClient({ token: config.telegram.botToken, apiRoot: config.telegram.apiRoot, logger: options.logger ?? createLogger({ level: 'silent' }), secrets: configSecrets(config) });
  const notFound = (error: unknown) => error instanceof TelegramApiError && (error.isBadRequest() || error.isForbidden());
  let info: { id: number; type: string; title?: string; username?: string; linked_chat_id?: number };
  try {
    info = (await client.getChat(/^-/.test(channel) ? Number(channel) : channel)) as typeof info;
  } catch (error) {
    if (notFound(error)) return refuse(t.notFound(channel));
    return refuse(t.unreachable(error instanceof Error ? error.message : String(error)));
  }
  if (info.type !== 'channel') return refuse(t.notChannel(channel));
  const title = info.title ?? channel;
  if (info.linked_chat_id === undefined) return refuse(t.noGroup(title));
  let groupTitle = String(info.linked_chat_id);
  try {
    const group = (await client.getChat(info.linked_chat_id)) as { title?: string };
    groupTitle = group.title ?? groupTitle;
    const me = await client.getMe();
    const member = await client.getChatMember(info.linked_chat_id, me.id);
    if (member.status !== 'administrator' && member.status !== 'creator') return refuse(t.notAdmin(groupTitle, member.status));
  } catch (error) {
    if (notFound(error)) return refuse(t.notAdmin(groupTitle, 'not a member'));
    return refuse(t.unreachable(error instanceof Error ? error.message : String(error)));
  }
  const externalId = String(info.linked_chat_id);
  const existing = await findSourceByExternalId(db, 'telegram', externalId);
  if (existing && !existing.removedAt) return refuse(t.already(existing.name, existing.id));
  const name = values.name?.trim() || (info.username ? `${title} (@${info.username})` : title);
  const settings = { channelId: info.id, ...(info.username ? { channelUsername: info.username } : {}) };
  const source = await db.transaction().execute(async (trx) => {
    const row = await upsertSource(trx, { platform: 'telegram', externalId, name, credentialsRef: null, settings, restore: true });
    await insertEvent(trx, { type: 'source_added', actorKind: 'system', payload: { sourceId: row.id, platform: 'telegram', externalId, channelId: info.id, by: 'cli' } });
    return row;
  });
  io.out(t.added(name, source.id, groupTitle));
  io.out('Restart the service (or each instance) to start reading it and publishing to it.');
  return 0;
}

/** `sources remove <id> [--yes]`: what becomes of the source's open inquiries first; removed only with --yes. */
async function removeSource(database: OpenedDatabase, source: SourceRow, confirmed: boolean, io: CommandIo, options: SourcesCommandOptions, now: Date): Promise<number> {
  const db = database.db;
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
    const { config } = options;
    const transport = await openQueueTransport({ redisUrl: config.redisUrl, databaseUrl: appDatabaseUrl(config.databaseUrl, database), prefix: config.queuePrefix, name: 'ardzagank-cli' });
    const queues = createQueues(transport);
    try {
      await queues.schedule.removeJobScheduler(jobId.sourcePollScheduler(source.id));
    } finally {
      await closeQueues(queues);
      await transport.close();
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
        const token =
          s.platform === 'telegram' ? 'read through the bot (TELEGRAM_BOT_TOKEN)' : s.credentialsRef ? `token from ${s.credentialsRef}` : s.credentialsEncrypted ? 'token stored encrypted' : 'no token';
        io.out(`${s.id}\t${s.platform}\t${s.externalId}\t${s.name}\t${stateOf(s, now())}\t${lastPoll}\t${token}`);
      }
      return 0;
    }

    const source = await getSourceById(db, id!);
    if (action === 'remove') {
      const unexpected = rest.filter((r) => r !== '--yes');
      if (unexpected.length > 0) throw new UsageError(`"sources remove" takes an id and --yes; unexpected "${unexpected.join(' ')}".`);
      return await removeSource(database, source, rest.includes('--yes'), io, options, now());
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
  summary: 'connected accounts and their state: list, add, pause, resume, remove',
  usage: USAGE,
  run: (args: string[], io: CommandIo) => runSourcesCommand(args, io, { config: loadConfig() }),
};
