/**
 * Lists for the staff: `/queue` (open inquiries, oldest first, with links to
 * their cards, then those waiting for a final answer), `/mine` (the ones I
 * claimed, then those I gave an interim answer), `/find <text>`, and the whole
 * text of one inquiry (the card's "whole text" link opens `/start i<id>`),
 * split over several messages when it is longer than one.
 */
import type { CommandContext, Feature } from '../bot-context.js';
import { formatDuration, formatTime, type Messages } from '../i18n/index.js';
import { messageLink } from '../links.js';
import { findInquiryById, findInquiryMessages } from '../../db/repositories/inquiry.repository.js';
import { findAwaitingFinalPage, findClaimedPage, findMatchingPage, findQueuePage, type InquiryListPage } from '../../db/repositories/inquiry-list.repository.js';
import { findCardsByInquiryIds } from '../../db/repositories/telegram-card.repository.js';
import { TELEGRAM_MESSAGE_MAX, escapeHtml, truncateForTelegram } from '../../telegram/telegram-text.js';

const LIST_LIMIT = 25;
/** Lines of the "waiting for a final answer" part under /queue and /mine. */
const AWAITING_LIMIT = 10;
const LINE_TEXT = 80;

function short(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}

async function renderLines(ctx: CommandContext, page: InquiryListPage, title: string, withStatus: boolean): Promise<string[]> {
  const t: Messages = ctx.t;
  const { items: rows, total } = page;
  const cards = await findCardsByInquiryIds(ctx.deps.db, rows.map((r) => r.id));
  const lines = [title, ''];
  for (const r of rows) {
    const card = cards.get(r.id);
    const link = card ? messageLink(card.chatId, card.messageId) : undefined;
    const id = link ? `<a href="${escapeHtml(link)}">#${r.id}</a>` : `#${r.id}`;
    const age = formatDuration((ctx.now.getTime() - r.postedAt.getTime()) / 60_000, ctx.locale);
    const parts = [id, withStatus ? formatTime(r.postedAt, ctx.deps.config.timezone, ctx.now) : age, escapeHtml(short(r.authorName ?? '—', 30)), `«${escapeHtml(short(r.text, LINE_TEXT))}»`];
    if (withStatus) parts.push(t.listStatus(r.status));
    if (r.claimantName && r.status === 'claimed') parts.push(t.listClaimedBy(r.claimantName));
    if (r.answererName && r.status === 'answered') parts.push(t.listAnsweredBy(r.answererName));
    lines.push(parts.join(' · '));
  }
  if (total > rows.length) lines.push('', t.listMore(total - rows.length));
  return lines;
}

async function renderList(ctx: CommandContext, page: InquiryListPage, title: string, withStatus: boolean): Promise<string> {
  return truncateForTelegram((await renderLines(ctx, page, title, withStatus)).join('\n'), TELEGRAM_MESSAGE_MAX);
}

/**
 * An open list followed by the inquiries that had an interim answer and wait
 * for the final one (they are open too, but answered: they are not in the
 * first list's count).
 */
async function replyWithAwaiting(ctx: CommandContext, open: InquiryListPage, openTitle: string, awaiting: InquiryListPage, empty: string): Promise<void> {
  if (open.items.length === 0 && awaiting.items.length === 0) {
    await ctx.reply(empty);
    return;
  }
  const lines = open.items.length > 0 ? await renderLines(ctx, open, openTitle, false) : [empty];
  if (awaiting.items.length > 0) lines.push('', ...(await renderLines(ctx, awaiting, ctx.t.awaitingFinalTitle(awaiting.total), false)));
  await ctx.reply(truncateForTelegram(lines.join('\n'), TELEGRAM_MESSAGE_MAX));
}

/** Splits plain text into pieces of at most `max` characters, at line or word ends where possible. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (Array.from(rest).length > max) {
    const head = Array.from(rest).slice(0, max).join('');
    let cut = Math.max(head.lastIndexOf('\n'), head.lastIndexOf(' '));
    if (cut < head.length / 2) cut = head.length;
    pieces.push(head.slice(0, cut));
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** Shows the whole text of an inquiry to a staff member, in as many messages as it takes. */
export async function showWhole(ctx: CommandContext, inquiryId: number): Promise<void> {
  const inquiry = await findInquiryById(ctx.deps.db, inquiryId);
  if (!inquiry) {
    await ctx.deny('view', 'no such inquiry', { inquiryId });
    await ctx.reply(escapeHtml(ctx.t.toastStale));
    return;
  }
  const messages = await findInquiryMessages(ctx.deps.db, inquiryId);
  const texts = (messages.length > 0 ? messages : [{ text: inquiry.text, postedAt: inquiry.postedAt }]).map(
    (m) => `${formatTime(m.postedAt, ctx.deps.config.timezone, ctx.now)}\n${m.text}`,
  );
  const header = `${ctx.t.fullTitle(inquiryId)}\n${ctx.t.cardAuthor(inquiry.authorName, formatTime(inquiry.postedAt, ctx.deps.config.timezone, ctx.now))}`;
  // Escaping can lengthen the source but not what is shown; leave room for the header.
  const pieces = splitText(texts.join('\n\n'), TELEGRAM_MESSAGE_MAX - 300);
  for (const [index, piece] of pieces.entries()) {
    await ctx.reply(index === 0 ? `${header}\n\n${escapeHtml(piece)}` : escapeHtml(piece));
  }
}

export const listsFeature: Feature = {
  commands: {
    queue: {
      access: 'staff',
      async run(ctx) {
        const page = await findQueuePage(ctx.deps.db, LIST_LIMIT);
        const awaiting = await findAwaitingFinalPage(ctx.deps.db, AWAITING_LIMIT);
        await replyWithAwaiting(ctx, page, ctx.t.queueTitle(page.total), awaiting, ctx.t.queueEmpty);
      },
    },
    mine: {
      access: 'handle',
      async run(ctx) {
        const page = await findClaimedPage(ctx.deps.db, ctx.staff!.id, LIST_LIMIT);
        const awaiting = await findAwaitingFinalPage(ctx.deps.db, AWAITING_LIMIT, ctx.staff!.id);
        await replyWithAwaiting(ctx, page, ctx.t.mineTitle(page.total), awaiting, ctx.t.mineEmpty);
      },
    },
    find: {
      access: 'staff',
      async run(ctx) {
        const query = ctx.args.slice(0, 100);
        if (query.length < 2) {
          await ctx.reply(ctx.t.findUsage);
          return;
        }
        const page = await findMatchingPage(ctx.deps.db, query, LIST_LIMIT);
        if (page.items.length === 0) {
          await ctx.reply(ctx.t.findEmpty(query));
          return;
        }
        await ctx.reply(await renderList(ctx, page, ctx.t.findTitle(query, page.total), true));
      },
    },
  },
};

