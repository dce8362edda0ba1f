/**
 * The city's Telegram channel as a connector module (see `../registry.ts`):
 *
 * - its payloads (updates of a discussion group, stored with what the service
 *   knew then) are always read (`channel-update-parser.ts`);
 * - the connected channels: TELEGRAM_CHANNEL_ID + TELEGRAM_DISCUSSION_CHAT_ID
 *   is the quick way for one, `ardzagank sources add telegram-channel` adds
 *   more; each is a `sources` row (external id: the discussion group; its
 *   channel in `settings`) read and answered through the bot
 *   (TELEGRAM_BOT_TOKEN, the staff bot's token: the bot is an admin of the
 *   group);
 * - the updates of those groups are taken from the bot's one update source
 *   (long polling or webhook; no second getUpdates loop) before the staff bot
 *   sees them, stored raw and queued for ingest; whether the sender is one of
 *   the group's admins (a native answer) is read from getChatAdministrators,
 *   kept for a few minutes; reactions to comments (`message_reaction`,
 *   asked for in `allowed_updates`) move their like counts.
 */
import { createGroupPacer } from '../../bots/group-pacer.js';
import { listConnectedSources, upsertSource } from '../../db/repositories/source.repository.js';
import type { SourceRow } from '../../db/schema.js';
import { storeChannelUpdate } from '../../inbox/channel-updates.workflow.js';
import type { ServiceContext } from '../../service-part.js';
import { createTelegramClient, type TelegramClient, type TelegramUpdate } from '../../telegram/telegram-client.js';
import type { ConnectedAccount, ConnectorModule } from '../connector.js';
import { parseChannelUpdate, type ChannelUpdateEnvelope } from './channel-update-parser.js';
import { createTelegramChannelConnector } from './telegram-channel.connector.js';

/** The channel a discussion-group source discusses, as stored in `sources.settings`. */
export interface ChannelSettings {
  channelId: number;
  channelUsername?: string;
}

export function channelSettingsOf(source: Pick<SourceRow, 'settings'>): ChannelSettings | undefined {
  const s = source.settings as Partial<ChannelSettings>;
  return typeof s.channelId === 'number' ? { channelId: s.channelId, ...(typeof s.channelUsername === 'string' ? { channelUsername: s.channelUsername } : {}) } : undefined;
}

/** The Telegram module's parts that need no I/O (tests build registries with it). */
export function telegramChannelModuleOf(...accounts: ConnectedAccount[]): ConnectorModule {
  return { platform: 'telegram', parse: parseChannelUpdate, ...(accounts.length > 0 ? { accounts } : {}) };
}

/** Tuning that tests change. */
export interface TelegramChannelModuleTuning {
  /** How long the list of a group's admins is kept, in ms (default 5 minutes). */
  adminsTtlMs?: number;
}

/**
 * The chat of an update that a discussion group sends (`message`,
 * `edited_message`, `message_reaction`) and the person it is from (a
 * message's sender, the person who reacted).
 */
function groupUpdateOf(update: TelegramUpdate): { chat: { id: number }; from?: { id: number } } | undefined {
  const u = update as { message?: unknown; edited_message?: unknown; message_reaction?: unknown };
  type Part = { chat?: { id?: unknown }; from?: { id?: unknown }; user?: { id?: unknown } };
  const part = (u.message ?? u.edited_message ?? u.message_reaction) as Part | undefined;
  if (!part || typeof part.chat?.id !== 'number') return undefined;
  const fromId = (part.from ?? part.user)?.id;
  return { chat: { id: part.chat.id }, ...(typeof fromId === 'number' ? { from: { id: fromId } } : {}) };
}

export function createTelegramChannelModule(tuning: TelegramChannelModuleTuning = {}) {
  return async (ctx: ServiceContext): Promise<ConnectorModule> => {
    const { config, logger, database } = ctx;
    const log = logger.child({ part: 'telegram-channel' });
    const db = database.db;
    const off: string[] = [];

    // The quick way for one channel.
    const quick = config.telegram.channel;
    if (quick) {
      const existing = (await listConnectedSources(db, 'telegram')).find((s) => s.externalId === String(quick.discussionChatId));
      await upsertSource(db, {
        platform: 'telegram',
        externalId: String(quick.discussionChatId),
        name: existing?.name ?? `Telegram channel ${quick.channelId}`,
        credentialsRef: null,
        settings: { ...(existing ? channelSettingsOf(existing) : {}), channelId: quick.channelId },
      });
    }
    const sources = (await listConnectedSources(db, 'telegram')).filter((s) => channelSettingsOf(s) !== undefined);
    if (sources.length === 0) {
      off.push('Telegram channel connector is off: set TELEGRAM_CHANNEL_ID and TELEGRAM_DISCUSSION_CHAT_ID (or run "ardzagank sources add telegram-channel") to read its comments.');
      return { ...telegramChannelModuleOf(), off };
    }
    const { botToken } = config.telegram;
    if (!botToken) {
      off.push(`Telegram channel connector is off for ${sources.map((s) => s.name).join(', ')}: set TELEGRAM_BOT_TOKEN (the bot must be an admin of the discussion group).`);
      return { ...telegramChannelModuleOf(), off };
    }
    const client: TelegramClient = createTelegramClient({ token: botToken, apiRoot: config.telegram.apiRoot, logger: log, secrets: ctx.secrets });
    const pacer = createGroupPacer({ db: ctx.database.db, perMinute: config.telegram.groupMessagesPerMinute });
    const botId = Number(botToken.split(':')[0]);
    const byChat = new Map<number, SourceRow>(sources.map((s) => [Number(s.externalId), s]));
    const accounts: ConnectedAccount[] = sources.map((s) => ({ sourceId: s.id, connector: createTelegramChannelConnector({ client, pacer, chatId: Number(s.externalId), name: s.name }) }));

    // A group's admins, kept a few minutes: their comments are the city answering.
    const adminsTtlMs = tuning.adminsTtlMs ?? 5 * 60_000;
    const admins = new Map<number, { ids: Set<number>; at: number }>();
    const isAdmin = async (chatId: number, userId: number): Promise<boolean | undefined> => {
      let known = admins.get(chatId);
      if (!known || Date.now() - known.at > adminsTtlMs) {
        try {
          const list = await client.getChatAdministrators(chatId);
          known = { ids: new Set(list.map((m) => m.user.id)), at: Date.now() };
          admins.set(chatId, known);
        } catch (error) {
          log.warn({ err: error, chatId }, 'could not read the discussion group\'s admins; comments are taken as citizens\' meanwhile');
          return undefined;
        }
      }
      return known.ids.has(userId);
    };

    return {
      ...telegramChannelModuleOf(...accounts),
      off,
      // Reactions to comments are their likes (the most-liked questions of a wave); Telegram sends them only when asked.
      telegramUpdateKinds: ['message_reaction'],
      telegramUpdates: async (update, origin) => {
        const message = groupUpdateOf(update);
        const source = message ? byChat.get(message.chat.id) : undefined;
        if (!message || !source) return false;
        const settings = channelSettingsOf(source)!;
        const senderIsAdmin = message.from ? await isAdmin(message.chat.id, message.from.id) : undefined;
        const envelope: ChannelUpdateEnvelope = {
          update,
          channelId: settings.channelId,
          ...(settings.channelUsername ? { channelUsername: settings.channelUsername } : {}),
          ...(senderIsAdmin === undefined ? {} : { senderIsAdmin }),
        };
        await storeChannelUpdate({ db, producers: ctx.producers }, { botId, updateId: update.update_id, origin, envelope });
        return true;
      },
      start: async () => {
        // The channel's public username, for t.me links (best effort: links fall back to the group's).
        for (const source of sources) {
          const settings = channelSettingsOf(source)!;
          try {
            const chat = (await client.getChat(settings.channelId)) as { username?: string; title?: string };
            if (chat.username !== settings.channelUsername) {
              await upsertSource(db, { platform: 'telegram', externalId: source.externalId, name: source.name, credentialsRef: null, settings: { ...settings, ...(chat.username ? { channelUsername: chat.username } : {}) } });
              if (chat.username) byChat.set(Number(source.externalId), { ...source, settings: { ...settings, channelUsername: chat.username } });
            }
          } catch (error) {
            log.warn({ err: error, sourceId: source.id }, 'could not read the channel (getChat); comment links point into the discussion group meanwhile');
          }
        }
      },
    };
  };
}

/** The Telegram channel module with production settings. */
export const telegramChannelModule = createTelegramChannelModule();
