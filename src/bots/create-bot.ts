/**
 * The staff bot: turns Telegram updates into actions. Only the staff group
 * (`TELEGRAM_STAFF_CHAT_ID`) and private chats are served. Anyone who is not
 * active staff can only ask for access (/start); every other command, reply
 * or button press of theirs is refused and leaves nothing but a `denied`
 * event. Errors become a short answer in the person's language; the update
 * is not retried for them (actions are idempotent, but a person repeating a
 * failed action is clearer than a silent retry).
 */
import { hideCommentFeature } from './features/hide-comment.feature.js';
import type { TelegramMessage, TelegramUpdate, TelegramUser } from '../telegram/telegram-client.js';
import { TelegramApiError, TelegramHttpError } from '../telegram/telegram-errors.js';
import type { StaffRow } from '../db/schema.js';
import { can } from '../domain/staff.js';
import { recordDenied, resolveStaff } from '../inbox/staff.workflow.js';
import type { BaseContext, BotDeps, CallbackContext, CallbackRoute, CommandContext, CommandRoute, Feature, MessageContext, ReplyRoute } from './bot-context.js';
import { accessFeature } from './features/access.feature.js';
import { answerFeature } from './features/answer.feature.js';
import { waveFeature } from './features/wave.feature.js';
import { claimFeature } from './features/claim.feature.js';
import { countersFeature } from './features/counters.feature.js';
import { dismissFeature } from './features/dismiss.feature.js';
import { helpFeature } from './features/help.feature.js';
import { listsFeature } from './features/lists.feature.js';
import { reportFeature } from './features/report.feature.js';
import { sectorFeature } from './features/sector.feature.js';
import { onBotMembership } from './features/staff-group.feature.js';
import { localeFromTelegram, messagesFor } from './i18n/index.js';

export interface Bot {
  /** Handles one update; never throws for a person's mistake, only for failures worth retrying. */
  handleUpdate(update: TelegramUpdate): Promise<void>;
  /** Commands for the menu (setMyCommands), by name. */
  commandNames(): string[];
}

const RECENT_UPDATES = 2_000;

/** Errors after which the update should be delivered again (the database or Telegram is unreachable). */
function isTransient(error: unknown): boolean {
  if (error instanceof TelegramHttpError) return true;
  if (error instanceof TelegramApiError) return error.isRateLimit() || error.code >= 500;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0[1-3]|08\d{3})$/.test(code);
}

function parseCommand(text: string, botUsername: string | undefined): { name: string; args: string } | undefined {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return undefined;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[3] ?? '').trim() };
}

export function createBot(deps: BotDeps): Bot {
  const { config, db, client } = deps;
  const features: Feature[] = [accessFeature, helpFeature, claimFeature, sectorFeature, dismissFeature, waveFeature, hideCommentFeature, answerFeature, listsFeature, reportFeature, countersFeature];
  const commands = new Map<string, CommandRoute>();
  const callbacks: CallbackRoute[] = [];
  const replies: ReplyRoute[] = [];
  for (const f of features) {
    for (const [name, route] of Object.entries(f.commands ?? {})) commands.set(name, route);
    callbacks.push(...(f.callbacks ?? []));
    replies.push(...(f.replies ?? []));
  }
  if (!deps.reports) {
    commands.delete('report');
    commands.delete('stats');
  }
  const recent = new Set<number>();
  const groupT = messagesFor(config.locale);

  async function base(person: TelegramUser, chatId: number, isPrivate: boolean, log: BotDeps['logger']): Promise<BaseContext> {
    const staff = await resolveStaff(db, person, { adminIds: config.telegram.adminIds, defaultLocale: config.locale });
    const locale = staff?.language ?? localeFromTelegram(person.language_code) ?? config.locale;
    const now = deps.now();
    return {
      deps,
      log,
      person,
      staff,
      locale,
      t: messagesFor(locale),
      groupT,
      chatId,
      isPrivate,
      now,
      deny: async (action, reason, details) => {
        log.info({ telegramUserId: person.id, action, reason }, 'refused');
        await recordDenied(db, { person, staff, action, reason, at: now, details });
      },
    };
  }

  function allowed(staff: StaffRow | undefined, access: CommandRoute['access'] | CallbackRoute['permission']): boolean {
    if (access === 'public') return true;
    if (!staff) return false;
    return access === 'staff' ? true : can(staff, access);
  }

  async function onMessage(message: TelegramMessage, log: BotDeps['logger']): Promise<void> {
    const from = message.from;
    if (!from || from.is_bot) return;
    const isPrivate = message.chat.type === 'private';
    if (!isPrivate && message.chat.id !== config.telegram.staffChatId) {
      log.debug({ chatId: message.chat.id }, 'a message from a chat the bot does not serve; ignored');
      return;
    }
    const ctxBase = await base(from, message.chat.id, isPrivate, log);
    const text = 'text' in message ? message.text : undefined;
    const repliedTo = 'reply_to_message' in message ? message.reply_to_message : undefined;
    const reply: MessageContext['reply'] = (html, options = {}) =>
      client.sendMessage(message.chat.id, html, { replyToMessageId: message.message_id, disableLinkPreview: true, ...options });

    if (text === undefined) {
      // A photo or a sticker in reply to the bot: answers must be text.
      if (repliedTo && ctxBase.staff) await reply(ctxBase.t.answerEmpty);
      return;
    }
    const ctx: MessageContext = { ...ctxBase, message: message as TelegramMessage.TextMessage, reply };
    const command = parseCommand(text, await deps.botUsername());
    if (command) {
      const route = commands.get(command.name);
      if (!route) {
        if (isPrivate) await reply(ctx.staff ? ctx.t.help(ctx.staff.role, Boolean(deps.reports)) : ctx.t.notStaff);
        return;
      }
      if (!allowed(ctx.staff, route.access)) {
        await ctx.deny(`command:${command.name}`, ctx.staff ? `role ${ctx.staff.role}` : 'not staff');
        await reply(ctx.staff ? ctx.t.notAllowed : ctx.t.notStaff);
        return;
      }
      const commandCtx: CommandContext = { ...ctx, args: command.args };
      await route.run(commandCtx);
      return;
    }
    if (repliedTo) {
      if (!ctx.staff) {
        // Replying to a card or a prompt is an answer attempt.
        const botMessage = repliedTo.from?.is_bot === true;
        if (botMessage) {
          await ctx.deny('answer', 'not staff', { repliedTo: repliedTo.message_id });
          await reply(ctx.t.notStaff);
        }
        return;
      }
      for (const route of replies) if (await route(ctx, repliedTo)) return;
      return;
    }
    if (isPrivate) {
      if (!ctx.staff) {
        await ctx.deny('message', 'not staff');
        await reply(ctx.t.notStaff);
      } else {
        await reply(ctx.t.help(ctx.staff.role, Boolean(deps.reports)));
      }
    }
  }

  async function onCallback(query: NonNullable<TelegramUpdate.CallbackQueryUpdate['callback_query']>, log: BotDeps['logger']): Promise<void> {
    const msg = query.message && 'chat' in query.message ? query.message : undefined;
    const chatId = msg?.chat.id ?? query.from.id;
    const ctxBase = await base(query.from, chatId, msg?.chat.type === 'private', log);
    let answered = false;
    const answer: CallbackContext['answer'] = async (text, alert = false) => {
      if (answered) return;
      answered = true;
      await client.answerCallbackQuery(query.id, text, { showAlert: alert });
    };
    const ctx: CallbackContext = {
      ...ctxBase,
      query,
      message: msg ? { chatId: msg.chat.id, messageId: msg.message_id, text: 'text' in msg ? msg.text : undefined } : undefined,
      answer,
    };
    const data = 'data' in query ? query.data : undefined;
    try {
      if (!ctx.staff) {
        await ctx.deny('callback', 'not staff', { data: data ?? null });
        await answer(ctx.t.toastNotStaff, true);
        return;
      }
      for (const route of callbacks) {
        const values = route.codec.match(data);
        if (!values) continue;
        if (!allowed(ctx.staff, route.permission)) {
          await ctx.deny(`callback:${route.codec.action}`, `role ${ctx.staff.role}`, { data: data ?? null });
          await answer(ctx.t.toastNotAllowed, true);
          return;
        }
        await route.run(ctx, values);
        return;
      }
      await ctx.deny('callback', 'unknown button', { data: data ?? null });
      await answer(ctx.t.toastStale);
    } catch (error) {
      if (!isTransient(error)) await answer(ctx.t.toastError, true).catch(() => undefined);
      throw error;
    } finally {
      // Every press gets an answer, so no spinner is left turning.
      await answer().catch(() => undefined);
    }
  }

  return {
    commandNames: () => [...commands.keys()],
    async handleUpdate(update) {
      if (recent.has(update.update_id)) return;
      const log = deps.logger.child({ updateId: update.update_id });
      try {
        if ('message' in update && update.message) await onMessage(update.message, log);
        else if ('callback_query' in update && update.callback_query) await onCallback(update.callback_query, log);
        else if ('my_chat_member' in update && update.my_chat_member) await onBotMembership(deps, update.my_chat_member, log);
        else return;
        recent.add(update.update_id);
        if (recent.size > RECENT_UPDATES) recent.delete(recent.values().next().value!);
      } catch (error) {
        if (isTransient(error)) throw error;
        log.error({ err: error }, 'an update failed; the person was told');
        recent.add(update.update_id);
        const chatId =
          'message' in update && update.message
            ? update.message.chat.id
            : 'callback_query' in update && update.callback_query
              ? update.callback_query.from.id
              : undefined;
        const person = 'message' in update && update.message ? update.message.from : 'callback_query' in update ? update.callback_query?.from : undefined;
        if (chatId !== undefined && !('callback_query' in update && update.callback_query)) {
          const t = messagesFor(localeFromTelegram(person?.language_code) ?? config.locale);
          await client.sendMessage(chatId, t.errorGeneric).catch(() => undefined);
        }
      }
    },
  };
}
