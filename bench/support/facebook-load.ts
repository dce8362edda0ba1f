/**
 * Facebook webhook traffic for benchmarks and fault tests: Page `feed`
 * comment deliveries serialised and signed the way Facebook sends them, and
 * a sender that posts them with a bounded number of requests in flight and
 * delivers again whatever was not answered 200, as Facebook does.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

/** The Page the load is addressed to (any numeric id works: the parser reads it from the payload). */
export const LOAD_PAGE_ID = '104857600000777';

/** Secrets of the load's service (shaped like real ones, never real ones). */
export const LOAD_SECRETS = {
  appSecret: '9c1e4b7a2d5f8e3b6a9c0d1e2f3a4b5c',
  verifyToken: 'load-verify-7d1e9a3b5c',
  pageToken: 'EAAGm0PX4ZCpsBALoadBenchPageToken4c8e2a9f71b3d605',
} as const;

/** Citizen texts in the city's languages, cycled through by the load. */
const TEXTS = [
  'Բարև ձեզ, Կոմիտասի 12 շենքի մոտ երեք օր է ջուր չկա։ Ե՞րբ կվերականգնվի։',
  'Տիգրան Մեծի փողոցում լույսը չի վառվում արդեն մեկ շաբաթ',
  'Здравствуйте, во дворе дома 5 по улице Абовяна не вывозят мусор',
  'Hello, the bus stop near the school has no shelter since the storm',
  'Երբ կնորոգեն ճանապարհը Շահումյան փողոցում, փոսերը վտանգավոր են',
];

export interface CommentLoadItem {
  /** Facebook's comment id; also what the inquiry's `external_id` becomes. */
  commentId: string;
  /** The raw body, exactly the bytes that are signed and sent. */
  body: string;
  /** `sha256=…` of `body`. */
  signature: string;
}

/**
 * JSON as Facebook serialises webhook bodies: no spaces, every non-ASCII
 * character escaped (`\u0532…`).
 */
export function facebookJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function signBody(body: string | Buffer, appSecret: string = LOAD_SECRETS.appSecret): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** One delivery with one citizen comment (`add`) on one of 50 posts, by one of many citizens. */
export function commentDelivery(n: number, options: { runTag: string; createdAt?: Date; pageId?: string; appSecret?: string }): CommentLoadItem {
  const pageId = options.pageId ?? LOAD_PAGE_ID;
  const postId = `${pageId}_${900_000_000_000 + (n % 50)}`;
  const commentId = `${900_000_000_000 + (n % 50)}_${options.runTag}${String(n).padStart(7, '0')}`;
  const created = options.createdAt ?? new Date();
  const seconds = Math.floor(created.getTime() / 1000);
  const payload = {
    object: 'page',
    entry: [
      {
        id: pageId,
        time: seconds,
        changes: [
          {
            field: 'feed',
            value: {
              from: { id: String(7_300_000_000_000_000 + n), name: `Քաղաքացի ${n}` },
              post: { status_type: 'mobile_status_update', is_published: true, updated_time: created.toISOString(), permalink_url: `https://www.facebook.com/${postId}`, id: postId },
              message: `${TEXTS[n % TEXTS.length]} (#${n})`,
              post_id: postId,
              comment_id: commentId,
              created_time: seconds,
              item: 'comment',
              parent_id: postId,
              verb: 'add',
            },
          },
        ],
      },
    ],
  };
  const body = facebookJson(payload);
  return { commentId, body, signature: signBody(body, options.appSecret) };
}

export interface DeliveryRecord {
  commentId: string;
  /** `performance.now()` when the first attempt was sent. */
  firstSentAt: number;
  /** `performance.now()` when a 200 came back. */
  acceptedAt: number;
  attempts: number;
}

export interface SendOptions {
  /** `http://host:port` of the service. */
  baseUrl: string | (() => string);
  /** Requests in flight at once (Facebook opens several connections). */
  concurrency: number;
  /** Wait before delivering again after a non-200 or a refused connection, in ms (Facebook waits longer; tests do not). */
  retryDelayMs?: number;
  /** Give up on a delivery after this long, in ms (the caller then fails). Default 120 s. */
  giveUpAfterMs?: number;
  /** Called after each accepted delivery. */
  onAccepted?: (record: DeliveryRecord, index: number) => void;
  /** Spacing between the starts of deliveries, in ms (0: as fast as the concurrency allows). */
  intervalMs?: number;
}

export interface SendResult {
  records: DeliveryRecord[];
  /** Answers other than 200 and refused connections, by status (`network` for no answer). */
  refusals: Record<string, number>;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts every item to `/webhooks/facebook`, `concurrency` at a time, and
 * delivers again any that did not get a 200 (a 5xx, a refused or dropped
 * connection) until it does, like Facebook's webhook retries.
 */
export async function sendDeliveries(items: CommentLoadItem[], options: SendOptions): Promise<SendResult> {
  const records: DeliveryRecord[] = new Array(items.length);
  const refusals: Record<string, number> = {};
  const base = typeof options.baseUrl === 'function' ? options.baseUrl : () => options.baseUrl as string;
  const giveUp = options.giveUpAfterMs ?? 120_000;
  let next = 0;
  const started = performance.now();
  let lastStart = 0;

  // Plain node:http with keep-alive: Facebook's side of the benchmark must cost little CPU.
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, options.concurrency) });
  const post = (item: CommentLoadItem): Promise<number> =>
    new Promise((resolve, reject) => {
      const target = new URL('/webhooks/facebook', base());
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          timeout: 15_000,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(item.body), 'x-hub-signature-256': item.signature },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        },
      );
      req.once('timeout', () => req.destroy(new Error('no answer within 15 s')));
      req.once('error', reject);
      req.end(item.body);
    });

  const deliver = async (index: number) => {
    const item = items[index]!;
    const firstSentAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      let status: string;
      try {
        const code = await post(item);
        if (code === 200) {
          records[index] = { commentId: item.commentId, firstSentAt, acceptedAt: performance.now(), attempts: attempt };
          options.onAccepted?.(records[index]!, index);
          return;
        }
        status = String(code);
      } catch {
        status = 'network';
      }
      refusals[status] = (refusals[status] ?? 0) + 1;
      if (performance.now() - firstSentAt > giveUp) throw new Error(`delivery of comment ${item.commentId} still refused after ${attempt} attempts (last: ${status})`);
      await sleep(options.retryDelayMs ?? 100);
    }
  };

  const lane = async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      if (options.intervalMs) {
        const due = lastStart + options.intervalMs;
        lastStart = Math.max(due, performance.now());
        const wait = lastStart - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await deliver(index);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  } finally {
    agent.destroy();
  }
  return { records, refusals, elapsedMs: performance.now() - started };
}

/**
 * The environment of a service under load: its own database and queue
 * prefix, Facebook webhooks on, and (given a Bot API stand-in) the Telegram
 * part with Telegram's pacing lifted so the benchmark measures our code.
 */
export function loadServiceEnv(o: {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  telegram?: { token: string; apiRoot: string; staffChatId: number; groupPerMinute: number; perSecond: number };
}): Record<string, string> {
  return {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: o.queuePrefix,
    FACEBOOK_APP_SECRET: LOAD_SECRETS.appSecret,
    FACEBOOK_VERIFY_TOKEN: LOAD_SECRETS.verifyToken,
    ...(o.telegram
      ? {
          TELEGRAM_BOT_TOKEN: o.telegram.token,
          TELEGRAM_API_ROOT: o.telegram.apiRoot,
          TELEGRAM_STAFF_CHAT_ID: String(o.telegram.staffChatId),
          TELEGRAM_GROUP_MESSAGES_PER_MINUTE: String(o.telegram.groupPerMinute),
          TELEGRAM_MESSAGES_PER_SECOND: String(o.telegram.perSecond),
        }
      : {}),
  };
}
