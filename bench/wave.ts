/**
 * A wave: 300 comments about one water outage under one post, sent as signed
 * webhooks within 10 seconds to the real service (`ardzagank start` as a
 * child process) on Telegram's real pace for a group (20 messages a minute).
 *
 * 1. How long until the staff group knows of every one of them (a group
 *    message whose text counts 300 questions), and how many group messages
 *    (new messages and edits) that took. Target: within 60 s, at most 20.
 * 2. One statement for the wave (published through the same workflow the bot
 *    calls): how long until 300 replies are published on the Graph API
 *    stand-in, each under its comment exactly once, at the configured pace
 *    (`STATEMENT_REPLIES_PER_MINUTE`, `BENCH_WAVE_REPLIES_PER_MINUTE`, default
 *    600 so the run takes half a minute; the product's default of 20 would
 *    take 15 minutes, as the expected figure says).
 */
import { openDatabase } from '../src/db/create-db.js';
import { findWaveMemberIds, findWaveOfInquiry } from '../src/db/repositories/wave.repository.js';
import { draftStatement, publishStatement } from '../src/inbox/waves.workflow.js';
import { createLogger } from '../src/observability/logger.js';
import { createProducers, createQueues, closeQueues } from '../src/queue/producers.js';
import { FakeBotApi } from '../src/stand-ins/bot-api.stand-in.js';
import { feedCommentPayload } from '../src/stand-ins/facebook-webhook-payloads.js';
import { startGraphApiFake } from '../src/stand-ins/graph-api.stand-in.js';
import { BENCH_QUEUES, benchQueuePrefix, benchRedisUrlFor, createBenchDatabase, openBenchTransport, removeBenchQueues } from './support/bench-env.js';
import { LOAD_PAGE_ID, facebookJson, loadServiceEnv, sendDeliveries, signBody, type CommentLoadItem } from './support/facebook-load.js';
import { round, type Figure } from './support/figures.js';
import { startServiceProcess } from './support/service-process.js';

const STAFF_CHAT_ID = -1001000000066;
const PAGE_TOKEN = 'EAAB-bench-wave-page-token';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How people ask about one outage (the labelled set's first incident, in the three languages and translit). */
const TEXTS = [
  'Արաբկիրում ջուր չկա առավոտվանից, ե՞րբ կտան',
  'В Арабкире нет воды с утра. Когда дадут?',
  'Arabkirum jur chka, inch ka?',
  'No water in Arabkir since 7am, any news?',
  'Ջուրը ե՞րբ են տալու Արաբկիրում',
  'Почему отключили воду в Арабкире без предупреждения?',
  'arabkir@ aranc jri, vayyy',
  'Water is off on Kievyan street, Arabkir. When will it be back?',
  'Ինչո՞ւ ջուր չկա, ոչ մի հայտարարություն չկար',
  'Когда будет вода? Арабкир, Баграмян 70',
];

export interface WaveBenchResult {
  comments: number;
  sendSeconds: number;
  knownAfterSeconds: number | null;
  groupMessages: number;
  replies: number;
  repliesPerMinute: number;
  publishSeconds: number;
  expectedSeconds: number;
  duplicates: number;
  figures: Figure[];
}

export async function benchWave(options: { count?: number; repliesPerMinute?: number; log?: (line: string) => void } = {}): Promise<WaveBenchResult> {
  const count = options.count ?? 300;
  const perMinute = options.repliesPerMinute ?? 600;
  const log = options.log ?? (() => undefined);
  const database = await createBenchDatabase('wave');
  const prefix = benchQueuePrefix('wave');
  const bot = await FakeBotApi.start({});
  const graph = await startGraphApiFake({ page: { id: LOAD_PAGE_ID, name: 'Bench Page', accessToken: PAGE_TOKEN } });
  const service = await startServiceProcess({
    env: {
      ...loadServiceEnv({
        databaseUrl: database.url,
        redisUrl: benchRedisUrlFor(BENCH_QUEUES),
        queuePrefix: prefix,
        telegram: { token: bot.token, apiRoot: bot.url, staffChatId: STAFF_CHAT_ID, groupPerMinute: 20, perSecond: 30 },
      }),
      FACEBOOK_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
      WAVES: 'on',
      STATEMENT_REPLIES_PER_MINUTE: String(perMinute),
    },
  });
  const opened = await openDatabase({ databaseUrl: database.url, dataDir: '', logger: createLogger({ level: 'warn' }) });
  const transport = await openBenchTransport(BENCH_QUEUES, database.url, prefix);
  const queues = createQueues(transport);
  try {
    const db = opened.db;
    const post = graph.seedPost({ message: 'Մանկապարտեզի վերանորոգում' });
    const start = new Date();
    const items: CommentLoadItem[] = Array.from({ length: count }, (_, n) => {
      const from = { id: String(7_400_000_000_000_000 + n), name: `Քաղաքացի ${n}` };
      const message = `${TEXTS[n % TEXTS.length]} (#${n})`;
      const createdTime = new Date(start.getTime() + n * 30);
      const comment = graph.addComment({ postId: post.id, message, from, created_time: createdTime });
      const body = facebookJson(feedCommentPayload({ pageId: LOAD_PAGE_ID, postId: post.id, commentId: comment.id, from, message, createdTime }));
      return { commentId: comment.id, body, signature: signBody(body) };
    });
    const groupMessages = () =>
      [...bot.requestsFor('sendMessage'), ...bot.requestsFor('editMessageText')]
        .filter((r) => Number(r.params.chat_id) === STAFF_CHAT_ID)
        .sort((a, b) => a.time - b.time);

    log(`wave: ${count} comments on one post within 10 s, group pace 20 a minute…`);
    const t0 = Date.now();
    await sendDeliveries(items, { baseUrl: service.url, concurrency: 4, intervalMs: 10_000 / count });
    const sendSeconds = (Date.now() - t0) / 1000;
    const counted = new RegExp(`· ${count} հարց`);
    let knownAt: number | undefined;
    const deadline = t0 + 180_000;
    while (knownAt === undefined && Date.now() < deadline) {
      knownAt = groupMessages().find((r) => counted.test(String(r.params.text)))?.time;
      if (knownAt === undefined) await sleep(200);
    }
    const knownAfterSeconds = knownAt === undefined ? null : round((knownAt - t0) / 1000);
    const messagesUntilKnown = knownAt === undefined ? groupMessages().length : groupMessages().filter((r) => r.time <= knownAt!).length;
    log(`wave: known after ${knownAfterSeconds ?? 'never'} s, ${messagesUntilKnown} group messages`);

    // The statement, through the workflow the bot calls (a supervisor, so no approval).
    const inquiry = await db.selectFrom('inquiries').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const waveId = await findWaveOfInquiry(db, inquiry.id);
    if (waveId === undefined) throw new Error('the comments formed no wave');
    const members = (await findWaveMemberIds(db, waveId)).length;
    const staff = await db
      .insertInto('staff')
      .values({ telegramUserId: 5_999_001, name: 'Bench Supervisor', role: 'supervisor', language: 'hy' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const deps = { db, producers: createProducers(queues), config: { workflow: { requireApproval: false }, waves: { enabled: true, cardEverySeconds: 10, statementRepliesPerMinute: perMinute, rumourAlertAfter: 10 } } };
    const drafted = await draftStatement(deps, { waveId, staff, text: 'Արաբկիրում վթար է, ջուրը կվերականգնվի 18:00-ին։ Авария, вода будет к 18:00. Water back by 18:00.' });
    if (!drafted.ok) throw new Error(`statement refused: ${drafted.reason}`);
    const p0 = Date.now();
    const published = await publishStatement(deps, { statementId: drafted.statement.id, kind: 'interim', staff, now: new Date() });
    if (!published.ok || published.status !== 'published') throw new Error('the statement was not published');
    log(`wave: statement to ${published.replies} questions (wave of ${members}) at ${perMinute} a minute…`);
    const sentCount = async () =>
      Number((await db.selectFrom('replies').select((eb) => eb.fn.countAll<string>().as('n')).where('statementId', '=', drafted.statement.id).where('status', '=', 'sent').executeTakeFirstOrThrow()).n);
    const publishDeadline = p0 + (published.replies / perMinute) * 60_000 * 2 + 60_000;
    while ((await sentCount()) < published.replies && Date.now() < publishDeadline) await sleep(250);
    const publishSeconds = round((Date.now() - p0) / 1000);
    const repliesOnGraph = items.map((i) => graph.commentsOn(i.commentId).filter((c) => c.from?.id === LOAD_PAGE_ID).length);
    const duplicates = repliesOnGraph.filter((n) => n > 1).length;
    const replies = repliesOnGraph.filter((n) => n >= 1).length;
    const expectedSeconds = round(((published.replies - 1) / perMinute) * 60);
    return {
      comments: count,
      sendSeconds: round(sendSeconds),
      knownAfterSeconds,
      groupMessages: messagesUntilKnown,
      replies,
      repliesPerMinute: perMinute,
      publishSeconds,
      expectedSeconds,
      duplicates,
      figures: [
        { benchmark: 'wave', measure: `${count} comments in ${round(sendSeconds)} s: every one counted on a card after`, value: knownAfterSeconds ?? Infinity, unit: 's', target: { op: '<=', value: 60 } },
        { benchmark: 'wave', measure: 'group messages until then (sent and edited, pace 20/min)', value: messagesUntilKnown, unit: 'messages', target: { op: '<=', value: 20 } },
        { benchmark: 'wave', measure: `statement: comments answered (of ${count})`, value: replies, unit: 'replies', target: { op: '>=', value: count } },
        { benchmark: 'wave', measure: 'statement: comments answered more than once', value: duplicates, unit: 'comments', target: { op: '<=', value: 0 } },
        { benchmark: 'wave', measure: `statement: ${published.replies} replies at ${perMinute}/min took (expected ${expectedSeconds} s)`, value: publishSeconds, unit: 's' },
      ],
    };
  } finally {
    await closeQueues(queues);
    await transport.close();
    await opened.close();
    await service.stop();
    await bot.close();
    await graph.close();
    await removeBenchQueues(BENCH_QUEUES, prefix);
    await database.drop();
  }
}
