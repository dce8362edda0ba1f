/**
 * The department's counters from Telegram (DESIGN.md, Domain: counter):
 *
 * - `/log [day]`: a menu of the counters; one tap logs one (a public
 *   hearing, a citizen received) on that day (today by default) and the
 *   menu shows the entry with buttons to cancel it or add a note. A counter
 *   with an amount (citizens granted support, agenda questions, GB) asks
 *   for it with a force-reply prompt: "13" or "13 the note".
 * - `/remark [year]`: what the year's report says of a counter instead of a
 *   figure ("no special counting was done, more than 10 a day").
 * - `/year [year]`: the year's report in the department's structure.
 *
 * Every entry, cancellation, note and remark goes through
 * `inbox/counters.workflow.ts` and is an event with its actor.
 */
import type { CallbackContext, CommandContext, Feature, MessageContext } from '../bot-context.js';
import { cb, idFrom } from '../callbacks.js';
import { counterMessagesFor, type CounterMessages } from '../i18n/counters.js';
import type { CounterRow } from '../../db/schema.js';
import {
  deleteCounterPrompt,
  findCounterById,
  findCounterEntry,
  findCounterPrompt,
  insertCounterPrompt,
  listCounters,
  sumCounterEntries,
} from '../../db/repositories/counter.repository.js';
import type { Locale } from '../../domain/locale.js';
import { localDateOf } from '../../domain/periods.js';
import { can } from '../../domain/staff.js';
import { CounterError, correctCounterEntry, logCounterEntry, setCounterRemark } from '../../inbox/counters.workflow.js';
import { buildYearDocument } from '../../reports/year/year-document.js';
import { renderYearTelegram } from '../../reports/year/year-renderers.js';
import { buildYearReport } from '../../reports/year/year-report.js';
import type { InlineKeyboardButton } from '../../telegram/telegram-client.js';
import { TELEGRAM_MESSAGE_MAX, truncateForTelegram } from '../../telegram/telegram-text.js';

/** Button text is cut to this many characters (a long name wraps on a phone; longer says nothing more). */
const BUTTON_TEXT = 64;

function nameOf(counter: CounterRow, locale: Locale): string {
  return locale === 'hy' ? counter.nameHy : locale === 'ru' ? counter.nameRu : counter.nameEn;
}

function amountNameOf(counter: CounterRow, locale: Locale): string {
  return (locale === 'hy' ? counter.amountHy : locale === 'ru' ? counter.amountRu : counter.amountEn) ?? '';
}

function short(text: string): string {
  const chars = Array.from(text);
  return chars.length > BUTTON_TEXT ? `${chars.slice(0, BUTTON_TEXT - 1).join('')}…` : text;
}

/** `15.03.2018` of `2018-03-15`. */
const shownDay = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
/** Callback data carries the day as `20180315`. */
const compactDay = (day: string) => day.replaceAll('-', '');
const dayFromCompact = (text: string | undefined) => (text && /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : undefined);

function isRealDay(day: string): boolean {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}

/** The day of `/log`: nothing (today), `2018-03-15` or `15.03.2018`. */
function parseDay(args: string, today: string): string | undefined {
  const text = args.trim();
  if (text === '') return today;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return isRealDay(text) ? text : undefined;
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  if (!m) return undefined;
  const day = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isRealDay(day) ? day : undefined;
}

/** The language of what the bot writes in this chat: the person's in private, the group's in the group. */
function chatLocale(ctx: { isPrivate: boolean; locale: Locale; deps: { config: { locale: Locale } } }): Locale {
  return ctx.isPrivate ? ctx.locale : ctx.deps.config.locale;
}

function menuKeyboard(counters: CounterRow[], locale: Locale, day: string, last?: { entryId: number; m: CounterMessages; withNote: boolean }): { inline_keyboard: InlineKeyboardButton[][] } {
  const rows: InlineKeyboardButton[][] = counters.map((c) => [{ text: short(nameOf(c, locale)), callback_data: cb.counterLog.build({ counter: String(c.id), day: compactDay(day) }) }]);
  if (last) {
    const row: InlineKeyboardButton[] = [{ text: last.m.cancel(last.entryId), callback_data: cb.counterCancel.build({ entry: String(last.entryId) }) }];
    if (last.withNote) row.push({ text: last.m.addNote, callback_data: cb.counterNote.build({ entry: String(last.entryId) }) });
    rows.push(row);
  }
  return { inline_keyboard: rows };
}

async function loggableCounters(ctx: { deps: { db: CommandContext['deps']['db'] } }): Promise<CounterRow[]> {
  return listCounters(ctx.deps.db, { activeOnly: true, loggable: true });
}

/** Sends a force-reply prompt in the chat and remembers what it is for. */
async function prompt(
  ctx: CallbackContext,
  html: string,
  what: { kind: 'amount' | 'note' | 'remark'; counterId: number; entryId?: number; occurredOn?: string; year?: number },
): Promise<void> {
  const message = await ctx.deps.client.sendMessage(ctx.chatId, html, { replyMarkup: { force_reply: true, selective: true } });
  await insertCounterPrompt(ctx.deps.db, {
    chatId: ctx.chatId,
    messageId: message.message_id,
    kind: what.kind,
    counterId: what.counterId,
    entryId: what.entryId ?? null,
    occurredOn: what.occurredOn ?? null,
    year: what.year ?? null,
    staffId: ctx.staff!.id,
  });
}

/** `13`, `13 the note`, `2,5 GB of video`: the amount and the rest as a note. */
function parseAmount(text: string): { amount: number; note: string } | undefined {
  const m = /^\s*(\d{1,12}(?:[.,]\d{1,2})?)\b\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  return { amount: Number(m[1]!.replace(',', '.')), note: m[2]!.trim() };
}

async function onCounterReply(ctx: MessageContext, repliedTo: { message_id: number }): Promise<boolean> {
  const { db } = ctx.deps;
  const p = await findCounterPrompt(db, ctx.chatId, repliedTo.message_id);
  if (!p) return false;
  const m = counterMessagesFor(chatLocale(ctx));
  const locale = chatLocale(ctx);
  const counter = await findCounterById(db, p.counterId);
  if (!counter || p.staffId !== ctx.staff!.id) {
    await ctx.deny('counter', 'prompt of someone else', { promptMessageId: repliedTo.message_id });
    await ctx.reply(ctx.t.notAllowed);
    return true;
  }
  const text = ctx.message.text;
  try {
    if (p.kind === 'amount') {
      const parsed = parseAmount(text);
      if (!parsed) {
        await ctx.reply(m.badAmount);
        return true;
      }
      const entry = await logCounterEntry(db, { counter, occurredOn: p.occurredOn!, amount: parsed.amount, note: parsed.note || null, actor: { staff: ctx.staff! } });
      const amount = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : locale, { maximumFractionDigits: 2 }).format(parsed.amount);
      await ctx.reply(m.loggedAmount(nameOf(counter, locale), amountNameOf(counter, locale), amount, entry.id), {
        replyMarkup: { inline_keyboard: [[{ text: m.cancel(entry.id), callback_data: cb.counterCancel.build({ entry: String(entry.id) }) }]] },
      });
    } else if (p.kind === 'note') {
      await correctCounterEntry(db, { entryId: p.entryId!, note: text, actor: { staff: ctx.staff! } });
      await ctx.reply(m.noteSet(p.entryId!));
    } else {
      await setCounterRemark(db, { counter, year: p.year!, text, actor: { staff: ctx.staff! } });
      await ctx.reply(m.remarkSet(nameOf(counter, locale), p.year!));
    }
  } catch (error) {
    if (!(error instanceof CounterError)) throw error;
    await ctx.reply(ctx.t.toastStale);
    return true;
  }
  await deleteCounterPrompt(db, ctx.chatId, repliedTo.message_id);
  return true;
}

async function logFromMenu(ctx: CallbackContext, values: Record<string, string>): Promise<void> {
  const counterId = idFrom(values.counter);
  const day = dayFromCompact(values.day);
  const counter = counterId === undefined ? undefined : await findCounterById(ctx.deps.db, counterId);
  if (!counter || !day || !isRealDay(day) || !counter.active || counter.source !== 'logged') {
    await ctx.deny('counter_log', 'unknown counter or day', { data: values });
    return ctx.answer(ctx.t.toastStale);
  }
  const locale = chatLocale(ctx);
  const m = counterMessagesFor(locale);
  const name = nameOf(counter, locale);
  if (counter.figure !== 'count') {
    await prompt(ctx, m.askAmount(name, shownDay(day), amountNameOf(counter, locale)), { kind: 'amount', counterId: counter.id, occurredOn: day });
    return ctx.answer();
  }
  const entry = await logCounterEntry(ctx.deps.db, { counter, occurredOn: day, actor: { staff: ctx.staff! } });
  const year = Number(day.slice(0, 4));
  const total = String(await sumCounterEntries(ctx.deps.db, counter.id, `${year}-01-01`, `${year}-12-31`));
  if (ctx.message) {
    const counters = await loggableCounters(ctx);
    await ctx.deps.client.editMessageText(ctx.message.chatId, ctx.message.messageId, `${m.menu(shownDay(day))}\n\n${m.logged(name, shownDay(day), entry.id, total, year)}`, {
      replyMarkup: menuKeyboard(counters, locale, day, { entryId: entry.id, m, withNote: counter.hasNote }),
    });
  }
  await ctx.answer(m.toastLogged(name, total, year));
}

async function cancelEntry(ctx: CallbackContext, values: Record<string, string>): Promise<void> {
  const m = counterMessagesFor(chatLocale(ctx));
  const entryId = idFrom(values.entry);
  const entry = entryId === undefined ? undefined : await findCounterEntry(ctx.deps.db, entryId);
  if (!entry || entry.voidedAt) {
    await ctx.deny('counter_cancel', 'no such entry', { data: values });
    return ctx.answer(ctx.t.toastStale);
  }
  if (entry.staffId !== ctx.staff!.id && !can(ctx.staff!, 'supervise')) {
    await ctx.deny('counter_cancel', 'logged by someone else', { entryId: entry.id });
    return ctx.answer(m.notYourEntry, true);
  }
  await correctCounterEntry(ctx.deps.db, { entryId: entry.id, void: true, actor: { staff: ctx.staff! } });
  if (ctx.message) await ctx.deps.client.sendMessage(ctx.message.chatId, m.cancelled(entry.id), { replyToMessageId: ctx.message.messageId });
  await ctx.answer(m.toastCancelled);
}

export const countersFeature: Feature = {
  commands: {
    log: {
      access: 'staff',
      async run(ctx) {
        const locale = chatLocale(ctx);
        const m = counterMessagesFor(locale);
        const day = parseDay(ctx.args, localDateOf(ctx.now, ctx.deps.config.timezone));
        if (!day) {
          await ctx.reply(m.badDay);
          return;
        }
        const counters = await loggableCounters(ctx);
        if (counters.length === 0) {
          await ctx.reply(m.none);
          return;
        }
        await ctx.reply(m.menu(shownDay(day)), { replyMarkup: menuKeyboard(counters, locale, day) });
      },
    },
    remark: {
      access: 'staff',
      async run(ctx) {
        const locale = chatLocale(ctx);
        const m = counterMessagesFor(locale);
        const text = ctx.args.trim();
        const year = text === '' ? Number(localDateOf(ctx.now, ctx.deps.config.timezone).slice(0, 4)) : /^\d{4}$/.test(text) ? Number(text) : undefined;
        if (year === undefined) {
          await ctx.reply(m.badYear);
          return;
        }
        const counters = await listCounters(ctx.deps.db, { activeOnly: true });
        await ctx.reply(m.remarkMenu(year), {
          replyMarkup: { inline_keyboard: counters.map((c) => [{ text: short(nameOf(c, locale)), callback_data: cb.counterRemark.build({ counter: String(c.id), year: String(year) }) }]) },
        });
      },
    },
    year: {
      access: 'reports',
      async run(ctx) {
        const text = ctx.args.trim();
        const year = text === '' ? Number(localDateOf(ctx.now, ctx.deps.config.timezone).slice(0, 4)) : /^\d{4}$/.test(text) ? Number(text) : undefined;
        if (year === undefined) {
          await ctx.reply(counterMessagesFor(ctx.locale).badYear);
          return;
        }
        const report = await buildYearReport(ctx.deps.db, ctx.deps.config, { year, now: ctx.now });
        await ctx.reply(truncateForTelegram(renderYearTelegram(buildYearDocument(report, ctx.locale)), TELEGRAM_MESSAGE_MAX));
      },
    },
  },
  callbacks: [
    { codec: cb.counterLog, permission: 'staff', run: logFromMenu },
    { codec: cb.counterCancel, permission: 'staff', run: cancelEntry },
    {
      codec: cb.counterNote,
      permission: 'staff',
      async run(ctx, values) {
        const entryId = idFrom(values.entry);
        const entry = entryId === undefined ? undefined : await findCounterEntry(ctx.deps.db, entryId);
        const counter = entry ? await findCounterById(ctx.deps.db, entry.counterId) : undefined;
        if (!entry || !counter || entry.voidedAt) return ctx.answer(ctx.t.toastStale);
        const locale = chatLocale(ctx);
        await prompt(ctx, counterMessagesFor(locale).askNote(nameOf(counter, locale), entry.id), { kind: 'note', counterId: counter.id, entryId: entry.id });
        await ctx.answer();
      },
    },
    {
      codec: cb.counterRemark,
      permission: 'staff',
      async run(ctx, values) {
        const counterId = idFrom(values.counter);
        const year = values.year && /^\d{4}$/.test(values.year) ? Number(values.year) : undefined;
        const counter = counterId === undefined ? undefined : await findCounterById(ctx.deps.db, counterId);
        if (!counter || year === undefined) {
          await ctx.deny('counter_remark', 'unknown counter or year', { data: values });
          return ctx.answer(ctx.t.toastStale);
        }
        const locale = chatLocale(ctx);
        await prompt(ctx, counterMessagesFor(locale).askRemark(nameOf(counter, locale), year), { kind: 'remark', counterId: counter.id, year });
        await ctx.answer();
      },
    },
  ],
  replies: [onCounterReply],
};
