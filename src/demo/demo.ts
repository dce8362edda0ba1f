/**
 * `ardzagank demo`: the whole service on a machine with no accounts. It
 * starts the loopback stand-ins of the Graph API and the Bot API, runs the
 * real service against them (real telegraf, real Graph SDK, a database and
 * queues of its own), plays the scripted month of `demo-script.ts` on a
 * virtual clock — citizens ask on Facebook, staff claim and answer through
 * the bot, the Page answers some on Facebook directly, a few are dismissed,
 * a few stay open — then prints the month's report and writes the digest
 * chart.
 */
import { findLatestStatement, findStatementReplyStatuses, findWaveById, findWaveOfInquiry } from '../db/repositories/wave.repository.js';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeQueues } from '../queue/transport.js';
import { messagesFor } from '../bots/i18n/index.js';
import { cb } from '../bots/callbacks.js';
import { findCardByInquiryId } from '../db/repositories/telegram-card.repository.js';
import { loadConfig, type Config } from '../config.js';
import { findInquiryById, findInquiryByItemExternalId } from '../db/repositories/inquiry.repository.js';
import { findLatestReplyOfInquiry } from '../db/repositories/reply.repository.js';
import { localDateOf, monthRange, instantOfLocalTime } from '../domain/periods.js';
import { startService, type RunningService } from '../main.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { addStaff } from '../inbox/staff.workflow.js';
import type { TelegramUpdate } from '../telegram/telegram-client.js';
import { DEMO_ADMIN_ID, DEMO_POSTS, DEMO_QUESTIONS, DEMO_STAFF, DEMO_WAVE, type DemoPerson, type DemoQuestion } from './demo-script.js';
import type { GraphApiFake } from '../stand-ins/graph-api.stand-in.js';
import type { FakeBotApi, SentMessage } from '../stand-ins/bot-api.stand-in.js';

const PAGE_ID = '104857600000777';
const PAGE_NAME = 'Համայնքապետարան';
const PAGE_TOKEN = `EAADemo${randomBytes(12).toString('hex')}`;
const APP_SECRET = randomBytes(16).toString('hex');
const VERIFY_TOKEN = randomBytes(8).toString('hex');
const STAFF_CHAT_ID = -1009876543210;
/** The city's Telegram channel and its linked discussion group in the demo. */
const DEMO_CHANNEL_ID = -1009876543300;
const DEMO_DISCUSSION_ID = -1009876543301;
const WAIT_MS = 20_000;

export interface DemoOptions {
  /** Where progress lines go. */
  out: (line: string) => void;
  /** Month to play, `YYYY-MM`; default: the last full month in the city's time zone. */
  month?: string;
  /** Where the digest PNG is written. */
  pngPath: string;
  /** Redis for the queues; unset: they run in the demo's PostgreSQL. Either way they get a prefix of their own, removed at the end. */
  redisUrl?: string;
  /** PostgreSQL for the demo's data; unset: an embedded database in a temporary folder. */
  databaseUrl?: string;
  /** The city's time zone. */
  timezone: string;
  /** Service log level (the demo's own lines are always printed). */
  logLevel?: 'silent' | 'warn' | 'info' | 'debug';
  /** Stop after this many questions (tests). */
  limit?: number;
}

export interface DemoSummary {
  month: string;
  asked: number;
  answeredByStaff: number;
  answeredNatively: number;
  dismissed: number;
  open: number;
  reportText: string;
  pngPath: string;
  pngBytes: number;
}

/** A clock the demo moves by hand; the service reads it through `now`. */
class VirtualClock {
  #ms: number;
  constructor(start: Date) {
    this.#ms = start.getTime();
  }
  now = (): Date => new Date(this.#ms);
  set(at: Date): void {
    // Never backwards: steps of the script may share a minute.
    this.#ms = Math.max(this.#ms, at.getTime());
  }
}

/** The last complete calendar month before `now` in `timezone`, as `YYYY-MM`. */
export function lastFullMonth(now: Date, timezone: string): string {
  const [y, m] = localDateOf(now, timezone).split('-').map(Number) as [number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const giveUp = () => new Error(`demo: gave up waiting for ${what} after ${timeoutMs / 1000} s`);
  for (;;) {
    // The probe itself may hang (a stuck database): race it against the deadline.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(giveUp()), Math.max(0, deadline - Date.now()));
    });
    let value: T | undefined;
    try {
      value = await Promise.race([Promise.resolve(probe()), late]);
    } finally {
      clearTimeout(timer);
    }
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw giveUp();
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Step = { at: Date; order: number; run: () => Promise<void> };

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { out, timezone } = options;
  const month = options.month ?? lastFullMonth(new Date(), timezone);
  const range = monthRange(month, timezone);
  const clock = new VirtualClock(instantOfLocalTime(`${month}-01`, timezone, 8 * 60));
  const t = messagesFor('hy');

  // The stand-ins live with the tests; the build compiles them for the demo.
  const { startGraphApiFake } = await import('../stand-ins/graph-api.stand-in.js');
  const { FakeBotApi: BotApi } = await import('../stand-ins/bot-api.stand-in.js');
  const { feedCommentPayload, messengerPayload: messengerWebhook, pagePostPayload } = await import('../stand-ins/facebook-webhook-payloads.js');
  const { IG_ACCOUNT_ID, igCommentPayload } = await import('../stand-ins/instagram-webhook-payloads.js');
  const igAccount = { id: IG_ACCOUNT_ID, username: 'vanadzor.municipality' };
  const graph: GraphApiFake = await startGraphApiFake({ page: { id: PAGE_ID, name: PAGE_NAME, accessToken: PAGE_TOKEN }, instagram: igAccount, now: clock.now });
  const bot: FakeBotApi = await BotApi.start({ now: () => clock.now().getTime(), bot: { first_name: 'Արձագանք', username: 'ardzagank_demo_bot' } });
  // The city's Telegram channel and its discussion group, where the bot is an admin.
  bot.addChannel({ channel: { id: DEMO_CHANNEL_ID, title: PAGE_NAME, username: 'vanadzor_demo' }, discussion: { id: DEMO_DISCUSSION_ID, title: `${PAGE_NAME} — քննարկում` } });
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(path.join(tmpdir(), 'ardzagank-demo-'));
  // As root the embedded PostgreSQL runs as the user postgres, which must reach its folder.
  if (dataDir) chmodSync(dataDir, 0o755);
  const prefix = `demo-${randomBytes(4).toString('hex')}`;
  out(`Ardzagank demo: the month ${month} in ${timezone}, played on a virtual clock.`);
  out(`  Graph API stand-in ${graph.url}, Bot API stand-in ${bot.url}, ${options.databaseUrl ? 'the given database' : `an embedded database in ${dataDir}`}, ${options.redisUrl ? 'Redis' : 'PostgreSQL'} queues "${prefix}".`);

  const config: Config = loadConfig({
    env: {
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { DATA_DIR: dataDir }),
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      QUEUE_PREFIX: prefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: options.logLevel ?? 'silent',
      TIMEZONE: timezone,
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_API_ROOT: bot.url,
      TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT_ID),
      TELEGRAM_ADMIN_IDS: String(DEMO_ADMIN_ID),
      // The demo plays a month in a minute; Telegram's pace would take an hour.
      TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '6000',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      INSTAGRAM_ACCOUNT_ID: IG_ACCOUNT_ID,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      TELEGRAM_CHANNEL_ID: String(DEMO_CHANNEL_ID),
      TELEGRAM_DISCUSSION_CHAT_ID: String(DEMO_DISCUSSION_ID),
    },
  });
  const logger: Logger = createLogger({ level: options.logLevel ?? 'silent', destination: { write: (line: string) => process.stderr.write(line) } });

  out('Starting the service (database, queues, Facebook, Instagram and Telegram channel connectors, Telegram bot)…');
  let service: RunningService | undefined;
  try {
    service = await startService({ config, logger, now: clock.now });
    const { db } = service.ctx.database;
    const address = service.address!;

    const staffRows = new Map<number, number>();
    for (const person of DEMO_STAFF) {
      const row = await addStaff(db, { telegramUserId: person.id, name: `${person.firstName} ${person.lastName}`, role: person.role, language: 'hy' }, { staffId: null, via: 'cli' });
      staffRows.set(person.id, row.id);
    }
    out(`Staff: ${DEMO_STAFF.map((p) => `${p.firstName} ${p.lastName} (${t.role(p.role)})`).join(', ')}.`);

    // --- how citizens, the Page and staff act -----------------------------
    const postWebhook = async (payload: unknown) => {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${address}/webhooks/facebook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
        });
        if (response.ok) return;
        // Facebook retries a webhook that was not answered 200; so does the demo.
        if (attempt >= 5) throw new Error(`demo: the webhook answered ${response.status}`);
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    };
    const deliver = async (update: TelegramUpdate) => {
      const pushed = bot.pushUpdate(update);
      await waitFor(`the bot to handle update ${pushed.update_id}`, () => !bot.pendingUpdates.some((u) => u.update_id === pushed.update_id));
    };
    const person = (p: DemoPerson) => ({ id: p.id, first_name: p.firstName, last_name: p.lastName, language_code: 'hy' });
    const cardOf = async (inquiryId: number, until?: (m: SentMessage) => boolean): Promise<SentMessage> =>
      waitFor(`the card of #${inquiryId}`, async () => {
        const row = await findCardByInquiryId(db, inquiryId);
        const card = row?.messageId ? bot.sent(row.chatId).find((m) => m.messageId === row.messageId) : undefined;
        return card && (!until || until(card)) ? card : undefined;
      });
    const press = async (who: DemoPerson, message: SentMessage, button: { text?: string; data?: string }) => {
      await deliver(
        bot.callbackQueryUpdate({
          from: person(who),
          message: { chatId: message.chatId, messageId: message.messageId },
          ...(button.text !== undefined ? { buttonText: button.text } : {}),
          ...(button.data !== undefined ? { data: button.data } : {}),
        }),
      );
    };
    const inquiryIdOf = (externalId: string, platform: 'facebook' | 'instagram' | 'telegram' = 'facebook') =>
      waitFor(`the inquiry of ${externalId}`, async () => (await findInquiryByItemExternalId(db, platform, externalId))?.id);
    const localTime = (day: number, hhmm: string) => {
      const [h, m] = hhmm.split(':').map(Number) as [number, number];
      return instantOfLocalTime(`${month}-${String(day).padStart(2, '0')}`, timezone, h * 60 + m);
    };
    const label = (at: Date) => `${localDateOf(at, timezone).slice(8)}.${month.slice(5)} ${new Intl.DateTimeFormat('hy-AM', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)}`;

    // --- the Page's posts ---------------------------------------------------
    const daysInMonth = Number(localDateOf(new Date(range.to.getTime() - 1), timezone).slice(8));
    const posts = DEMO_POSTS.filter((p) => p.day <= daysInMonth).map((p) => {
      const at = localTime(p.day, '09:00');
      const post = graph.seedPost({ message: p.text, created_time: at, from: { id: PAGE_ID, name: PAGE_NAME } });
      // The same news on the city's Instagram account.
      const media = graph.seedIgMedia({ caption: p.text, created_time: at });
      return { day: p.day, at, id: post.id, mediaId: media.id };
    });
    const postFor = (day: number) => [...posts].reverse().find((p) => p.day <= day) ?? posts[0]!;
    // The same posts in the channel, a few minutes later; each starts a comment thread in the discussion group.
    const channelThreads = new Map<number, number>();
    const threadFor = (day: number) => {
      const days = [...channelThreads.keys()].filter((d) => d <= day);
      return channelThreads.get(days.length > 0 ? Math.max(...days) : [...channelThreads.keys()][0]!)!;
    };

    // --- the script as a timeline ----------------------------------------------
    const steps: Step[] = [];
    let order = 0;
    for (const post of posts) {
      steps.push({
        at: post.at,
        order: order++,
        run: async () => {
          await postWebhook(pagePostPayload({ postId: post.id, pageId: PAGE_ID, pageName: PAGE_NAME, createdTime: post.at }));
          out(`${label(post.at)}  The Page publishes a post.`);
        },
      });
      const channelAt = new Date(post.at.getTime() + 5 * 60_000);
      steps.push({
        at: channelAt,
        order: order++,
        run: async () => {
          const update = bot.channelPost({ channelId: DEMO_CHANNEL_ID, text: DEMO_POSTS.find((p) => p.day === post.day)!.text });
          await deliver(update);
          channelThreads.set(post.day, (update as unknown as { message: { message_id: number } }).message.message_id);
          out(`${label(channelAt)}  The same post in the Telegram channel; it opens a comment thread in the discussion group.`);
        },
      });
    }
    const questions = DEMO_QUESTIONS.filter((q) => q.day <= daysInMonth).slice(0, options.limit ?? Infinity);
    const counts = { asked: 0, answeredByStaff: 0, answeredNatively: 0, dismissed: 0, open: 0 };
    for (const q of questions) addQuestionSteps(q);

    function addQuestionSteps(q: DemoQuestion): void {
      const askedAt = localTime(q.day, q.time);
      const ref: { externalId?: string; inquiryId?: number; psid?: string; postId?: string; telegramMessageId?: number } = {};
      steps.push({
        at: askedAt,
        order: order++,
        run: async () => {
          counts.asked++;
          if (q.channel === 'telegram') {
            const [firstName, ...lastName] = q.citizen.name.split(' ');
            const update = bot.commentUpdate({ chatId: DEMO_DISCUSSION_ID, threadId: threadFor(q.day), from: { id: Number(q.citizen.id), first_name: firstName!, last_name: lastName.join(' ') }, text: q.text });
            ref.telegramMessageId = (update as unknown as { message: { message_id: number } }).message.message_id;
            ref.externalId = `${DEMO_DISCUSSION_ID}:${ref.telegramMessageId}`;
            await deliver(update);
          } else if (q.channel === 'instagram') {
            const post = postFor(q.day);
            const from = { id: q.citizen.id, username: `citizen_${q.citizen.id.slice(-4)}` };
            const comment = graph.addIgComment({ mediaId: post.mediaId, text: q.text, from, created_time: askedAt });
            ref.externalId = comment.id;
            ref.postId = post.mediaId;
            await postWebhook(igCommentPayload({ accountId: IG_ACCOUNT_ID, commentId: comment.id, mediaId: post.mediaId, text: q.text, from, at: askedAt }));
          } else if (q.channel === 'comment') {
            const post = postFor(q.day);
            const comment = graph.addComment({ postId: post.id, message: q.text, from: q.citizen, created_time: askedAt });
            ref.externalId = comment.id;
            ref.postId = post.id;
            await postWebhook(feedCommentPayload({ pageId: PAGE_ID, postId: post.id, commentId: comment.id, from: q.citizen, message: q.text, createdTime: askedAt }));
          } else {
            const psid = graph.psidFor(q.citizen.id);
            const message = graph.addMessage({ psid, name: q.citizen.name, text: q.text, from: 'user', created_time: askedAt });
            ref.externalId = message.id;
            ref.psid = psid;
            await postWebhook(messengerWebhook({ pageId: PAGE_ID, mid: message.id, senderId: psid, text: q.text, at: askedAt }));
          }
          ref.inquiryId = await inquiryIdOf(ref.externalId, q.channel === 'telegram' ? 'telegram' : q.channel === 'instagram' ? 'instagram' : 'facebook');
          const by = q.channel === 'comment' ? 'a comment' : q.channel === 'telegram' ? 'a comment in the Telegram channel' : q.channel === 'instagram' ? 'an Instagram comment' : 'Messenger';
          out(`${label(askedAt)}  #${ref.inquiryId} ${q.citizen.name} asks by ${by}: "${shorten(q.text, 70)}"`);
        },
      });
      const o = q.outcome;
      if (o.kind === 'staff') {
        const who = DEMO_STAFF[o.staff]!;
        const claimAt = new Date(askedAt.getTime() + o.claimAfterMin * 60_000);
        const answerAt = new Date(askedAt.getTime() + o.answerAfterMin * 60_000);
        steps.push({
          at: claimAt,
          order: order++,
          run: async () => {
            const card = await cardOf(ref.inquiryId!);
            await press(who, card, { text: t.btnClaim });
            await cardOf(ref.inquiryId!, (c) => c.text.includes(who.firstName));
            out(`${label(claimAt)}  #${ref.inquiryId} claimed by ${who.firstName} ${who.lastName}.`);
          },
        });
        steps.push({
          at: answerAt,
          order: order++,
          run: async () => {
            const card = await cardOf(ref.inquiryId!);
            const before = bot.sent(STAFF_CHAT_ID).length;
            await deliver(bot.messageUpdate({ from: person(who), chat: STAFF_CHAT_ID, text: o.answer, reply_to_message_id: card.messageId }));
            const preview = await waitFor('the preview of the answer', () => bot.sent(STAFF_CHAT_ID).slice(before).find((m) => m.text.includes(o.answer.slice(0, 20))));
            await press(who, preview, { text: q.channel === 'message' ? t.btnSendMessage : t.btnPublishPublic });
            await waitFor(`the answer to #${ref.inquiryId} to be published`, async () => {
              const row = await findLatestReplyOfInquiry(db, ref.inquiryId!);
              if (row?.status === 'failed') throw new Error(`demo: the answer to #${ref.inquiryId} failed: ${row.failureReason}`);
              return row?.status === 'sent';
            });
            counts.answeredByStaff++;
            out(
              `${label(answerAt)}  #${ref.inquiryId} answered by ${who.firstName} through the bot in ${formatMinutes(o.answerAfterMin)}; ${q.channel === 'telegram' ? 'posted in the discussion group as a reply to the comment' : q.channel === 'instagram' ? 'published on Instagram' : 'published on Facebook'}.`,
            );
          },
        });
      } else if (o.kind === 'native') {
        const answerAt = new Date(askedAt.getTime() + o.answerAfterMin * 60_000);
        steps.push({
          at: answerAt,
          order: order++,
          run: async () => {
            if (q.channel === 'telegram') {
              // The channel itself replies under the comment: a native answer.
              await deliver(bot.commentUpdate({ chatId: DEMO_DISCUSSION_ID, threadId: threadFor(q.day), as: 'channel', replyTo: ref.telegramMessageId!, text: o.answer }));
            } else if (q.channel === 'instagram') {
              const reply = graph.addIgComment({ mediaId: ref.postId!, parentId: ref.externalId!, text: o.answer, from: igAccount, created_time: answerAt });
              await postWebhook(igCommentPayload({ accountId: IG_ACCOUNT_ID, commentId: reply.id, parentId: ref.externalId!, mediaId: ref.postId!, text: o.answer, from: igAccount, at: answerAt }));
            } else if (q.channel === 'comment') {
              const reply = graph.addComment({ postId: ref.postId!, parentId: ref.externalId!, message: o.answer, from: { id: PAGE_ID, name: PAGE_NAME }, created_time: answerAt });
              await postWebhook(
                feedCommentPayload({ pageId: PAGE_ID, postId: ref.postId!, commentId: reply.id, parentId: ref.externalId!, from: { id: PAGE_ID, name: PAGE_NAME }, message: o.answer, createdTime: answerAt }),
              );
            } else {
              const message = graph.addMessage({ psid: ref.psid!, text: o.answer, from: 'page', created_time: answerAt });
              await postWebhook(messengerWebhook({ pageId: PAGE_ID, mid: message.id, senderId: ref.psid!, text: o.answer, at: answerAt, echo: true }));
            }
            await waitFor(`#${ref.inquiryId} to be answered natively`, async () => (await findInquiryById(db, ref.inquiryId!))?.answeredVia === 'native');
            counts.answeredNatively++;
            out(`${label(answerAt)}  #${ref.inquiryId} answered ${q.channel === 'telegram' ? 'by the channel itself on Telegram' : q.channel === 'instagram' ? 'by the city on Instagram directly' : 'by the Page on Facebook directly'} in ${formatMinutes(o.answerAfterMin)}; counted as a native answer.`);
          },
        });
      } else if (o.kind === 'dismiss') {
        const who = DEMO_STAFF[o.staff]!;
        const at = new Date(askedAt.getTime() + o.afterMin * 60_000);
        steps.push({
          at,
          order: order++,
          run: async () => {
            const card = await cardOf(ref.inquiryId!);
            await press(who, card, { text: t.btnDismiss });
            const menu = await cardOf(ref.inquiryId!);
            await press(who, menu, { data: cb.dismiss.build({ id: String(ref.inquiryId), reason: '1' }) });
            await cardOf(ref.inquiryId!, (c) => c.text.startsWith('🚫'));
            counts.dismissed++;
            out(`${label(at)}  #${ref.inquiryId} dismissed as spam by ${who.firstName}.`);
          },
        });
      } else {
        steps.push({ at: askedAt, order: order++, run: async () => void counts.open++ });
      }
    }

    // --- a small wave answered by one statement (the whole demo only) ----------
    const wave = { played: false, questions: 0, replies: 0 };
    if (options.limit === undefined && DEMO_WAVE.day <= daysInMonth) {
      const post = postFor(DEMO_WAVE.day);
      const externalIds: string[] = [];
      for (const q of DEMO_WAVE.questions) {
        const at = localTime(DEMO_WAVE.day, q.time);
        steps.push({
          at,
          order: order++,
          run: async () => {
            if (q.channel === 'comment') {
              const comment = graph.addComment({ postId: post.id, message: q.text, from: q.citizen, created_time: at });
              externalIds.push(comment.id);
              await postWebhook(feedCommentPayload({ pageId: PAGE_ID, postId: post.id, commentId: comment.id, from: q.citizen, message: q.text, createdTime: at }));
            } else {
              const psid = graph.psidFor(q.citizen.id);
              const message = graph.addMessage({ psid, name: q.citizen.name, text: q.text, from: 'user', created_time: at });
              externalIds.push(message.id);
              await postWebhook(messengerWebhook({ pageId: PAGE_ID, mid: message.id, senderId: psid, text: q.text, at }));
            }
            const id = await inquiryIdOf(externalIds.at(-1)!);
            wave.questions++;
            out(`${label(at)}  #${id} ${q.citizen.name} asks by ${q.channel === 'comment' ? 'a comment' : 'Messenger'}: "${shorten(q.text, 70)}"`);
          },
        });
      }
      const statementAt = localTime(DEMO_WAVE.day, DEMO_WAVE.statementAt);
      const marine = DEMO_STAFF.find((p) => p.role === 'supervisor')!;
      steps.push({
        at: statementAt,
        order: order++,
        run: async () => {
          const first = await inquiryIdOf(externalIds[0]!);
          const waveId = await waitFor('the questions to form a wave', async () => {
            const waves = await Promise.all(externalIds.map(async (e) => findWaveOfInquiry(db, await inquiryIdOf(e))));
            return waves.every((w) => w !== undefined && w === waves[0]) ? waves[0] : undefined;
          });
          const card = await waitFor('the wave card to count every question', async () => {
            const row = await findWaveById(db, waveId);
            const message = row?.cardMessageId ? bot.sent(STAFF_CHAT_ID).find((m) => m.messageId === row.cardMessageId) : undefined;
            return message?.text.includes(`· ${externalIds.length} `) ? message : undefined;
          });
          const separate = bot.sent(STAFF_CHAT_ID).filter((m) => /Facebook · /.test(m.text) && m.text.includes(`#${first} `)).length;
          out(`${label(statementAt)}  Wave #${waveId}: ${externalIds.length} questions on one card in the staff group (${separate} card of its own for the first, before the others came).`);
          const before = bot.sent(STAFF_CHAT_ID).length;
          await deliver(bot.messageUpdate({ from: person(marine), chat: STAFF_CHAT_ID, text: DEMO_WAVE.statement, reply_to_message_id: card.messageId }));
          const preview = await waitFor('the preview of the statement', () => bot.sent(STAFF_CHAT_ID).slice(before).find((m) => m.text.includes(DEMO_WAVE.statement.slice(0, 20))));
          const statement = await findLatestStatement(db, waveId);
          if (!statement) throw new Error('the statement was not drafted');
          await press(marine, preview, { data: cb.statementPublish.build({ statement: statement.id, kind: 'i' }) });
          wave.replies = await waitFor('every reply of the statement to be published', async () => {
            const states = await findStatementReplyStatuses(db, statement.id);
            return states.length === externalIds.length && states.every((s) => s !== 'pending') ? states.filter((s) => s === 'sent').length : undefined;
          });
          wave.played = true;
          out(`${label(statementAt)}  ${marine.firstName} answers wave #${waveId} with one statement: published to ${wave.replies} of ${externalIds.length} questions (under each comment, and in Messenger).`);
        },
      });
    }

    steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    for (const step of steps) {
      clock.set(step.at);
      await step.run();
    }

    // --- the report and the digest ----------------------------------------------
    clock.set(new Date(range.to.getTime() + 9 * 3600_000));
    const { renderMonthForDemo } = await import('./demo-report.js');
    const report = await renderMonthForDemo({ db, config, month, now: clock.now(), pngPath: options.pngPath });
    out('');
    out(report.text);
    out('');
    out(`The digest chart (last 12 weeks, received vs answered, median first response) is in ${options.pngPath} (${report.pngBytes} bytes).`);
    if (wave.played) out(`The wave: ${wave.questions} questions, one card, one statement, ${wave.replies} replies.`);
    out(
      `Done: ${counts.asked} questions, ${counts.answeredByStaff} answered by staff through the bot, ${counts.answeredNatively} answered natively on the platform (Facebook, Instagram, the Telegram channel), ${counts.dismissed} dismissed, ${counts.open} left open.`,
    );
    return { month, ...counts, reportText: report.text, pngPath: options.pngPath, pngBytes: report.pngBytes };
  } finally {
    await service?.close();
    await bot.close();
    await graph.close();
    // An embedded database goes with its folder; queues elsewhere are removed.
    await removeQueues({ redisUrl: options.redisUrl, databaseUrl: options.databaseUrl, prefix }).catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
}
