/**
 * The whole service as the fault tests run it: Facebook (webhooks, replies
 * through the Graph API stand-in) and the Telegram bot (cards at the Bot API
 * stand-in), with the group pace opened up so thousands of cards do not take
 * hours, and the questions the tests ask afterwards: how many inquiries,
 * cards, replies, and are they each exactly once.
 */
import type { Db } from '../../../src/db/create-db.js';
import { commentDelivery, LOAD_PAGE_ID, LOAD_SECRETS, type CommentLoadItem } from '../../../bench/support/facebook-load.js';
import type { FakeBotApi } from '../../../src/stand-ins/bot-api.stand-in.js';
import type { GraphApiFake } from '../../../src/stand-ins/graph-api.stand-in.js';

export const STAFF_CHAT_ID = -1001000000077;
export const PAGE_ID = LOAD_PAGE_ID;
export const SECRETS = LOAD_SECRETS;

/** Environment of a service with every part on, pointed at the stand-ins. */
export function faultServiceEnv(o: { databaseUrl: string; redisUrl: string | undefined; prefix: string; graph?: GraphApiFake; bot?: FakeBotApi; port?: number }): Record<string, string> {
  return {
    DATABASE_URL: o.databaseUrl,
    // Unset: the queues run in PostgreSQL, in DATABASE_URL.
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    QUEUE_PREFIX: o.prefix,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(o.port ?? 0),
    LOG_LEVEL: 'warn',
    FACEBOOK_APP_SECRET: SECRETS.appSecret,
    FACEBOOK_VERIFY_TOKEN: SECRETS.verifyToken,
    FACEBOOK_POLL_EVERY: 'off',
    // The Page the deliveries are for: a source, so its items become inquiries (with the Graph stand-in, also answered).
    FACEBOOK_PAGE_ID: PAGE_ID,
    // The fault tests follow one card and one answer per inquiry through failures; waves are tested apart.
    WAVES: 'off',
    ...(o.graph ? { FACEBOOK_PAGE_ACCESS_TOKEN: SECRETS.pageToken, GRAPH_API_URL: o.graph.url } : {}),
    ...(o.bot
      ? {
          TELEGRAM_BOT_TOKEN: o.bot.token,
          TELEGRAM_API_ROOT: o.bot.url,
          TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT_ID),
          // Telegram's 20 a minute would make 2,000 cards take 100 minutes; the pace itself is tested elsewhere.
          TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '600000',
          TELEGRAM_MESSAGES_PER_SECOND: '10000',
        }
      : {}),
  };
}

/** `count` citizen comments as signed webhook deliveries; with `graph`, also published on the Graph API stand-in so replies can be posted under them. */
export function citizenComments(count: number, runTag: string, graph?: GraphApiFake, offset = 0): CommentLoadItem[] {
  const items = Array.from({ length: count }, (_, i) => commentDelivery(offset + i, { runTag, createdAt: new Date(Date.now() - 60_000) }));
  if (graph) {
    for (const item of items) {
      const value = (JSON.parse(item.body) as { entry: Array<{ changes: Array<{ value: { post_id: string; message: string; from: { id: string; name: string } } }> }> }).entry[0]!.changes[0]!.value;
      if (!graph.pagePosts().some((p) => p.id === value.post_id)) graph.seedPost({ id: value.post_id, message: 'Announcement', created_time: new Date(Date.now() - 86_400_000) });
      graph.addComment({ postId: value.post_id, id: item.commentId, message: value.message, from: value.from, created_time: new Date(Date.now() - 60_000) });
    }
  }
  return items;
}

export async function count(db: Db, table: 'inquiries' | 'inboundEvents' | 'replies', where?: { column: string; value: unknown }): Promise<number> {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where.column as never, '=', where.value as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Inquiries per external id that appear more than once (must be none), and the total. */
export async function inquiryTally(db: Db): Promise<{ total: number; distinctExternalIds: number; ingestedEvents: number }> {
  const r = await db
    .selectFrom('inquiries')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('externalId').distinct().as('distinctExternalIds')])
    .executeTakeFirstOrThrow();
  const e = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', 'ingested')
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), distinctExternalIds: Number(r.distinctExternalIds), ingestedEvents: Number(e.n) };
}

/**
 * Cards as the staff group shows them: for each inquiry, the messages at the
 * Bot API stand-in that are its card (recognised by the `(#n)` every load
 * comment ends with), and the message its `telegram_cards` row records.
 */
export async function cardsAtTelegram(db: Db, bot: FakeBotApi): Promise<{ perInquiry: Map<number, number[]>; recorded: Map<number, number | null>; strays: number }> {
  const marker = /\(#(\d+)\)/;
  const inquiries = await db.selectFrom('inquiries').select(['id', 'text']).execute();
  const cards = await db.selectFrom('telegramCards').select(['inquiryId', 'messageId']).execute();
  const perInquiry = new Map<number, number[]>(inquiries.map((i) => [i.id, []]));
  const byMarker = new Map(inquiries.map((i) => [marker.exec(i.text)?.[1], i.id]));
  let strays = 0;
  for (const m of bot.sent(STAFF_CHAT_ID)) {
    const inquiryId = byMarker.get(marker.exec(m.text)?.[1]);
    if (inquiryId === undefined) strays++;
    else perInquiry.get(inquiryId)!.push(m.messageId);
  }
  return { perInquiry, recorded: new Map(cards.map((c) => [c.inquiryId, c.messageId])), strays };
}
