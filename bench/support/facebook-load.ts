/**
 * Facebook webhook traffic for benchmarks and fault tests: Page `feed`
 * comment deliveries serialised and signed the way Facebook sends them, and
 * a sender that posts them with a bounded number of requests in flight and
 * delivers again whatever was not answered 200, as Facebook does.
 */
import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { feedCommentPayload } from '../../src/stand-ins/facebook-webhook-payloads.js';

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
  const payload = feedCommentPayload({
    pageId,
    postId,
    commentId,
    from: { id: String(7_300_000_000_000_000 + n), name: `Քաղաքացի ${n}` },
    message: `${TEXTS[n % TEXTS.length]} (#${n})`,
    createdTime: options.createdAt ?? new Date(),
  });
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

/** How long an attempt waits for its whole answer before it counts as a network failure. */
const NO_ANSWER_MS = 15_000;
/** An answer's head, a chunk-size line or a trailer line longer than this is not HTTP we take. */
const MAX_LINE_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const CRLF_CRLF = Buffer.from('\r\n\r\n');
/** What Node's own HTTP client refuses in a header value (the signature is the caller's). */
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

// What a connection is reading.
const IDLE = 0;
const HEAD = 1;
const BODY = 2;
const CHUNK_SIZE = 3;
const CHUNK_DATA = 4;
const CHUNK_END = 5;
const TRAILER = 6;
const UNTIL_CLOSE = 7;

/** Where deliveries go for one `baseUrl`, and the start of every request to it. */
interface Target {
  baseUrl: string;
  /** Connections are reused only for the same host and port. */
  key: string;
  hostname: string;
  port: number;
  /** Request line and headers up to the signature's value. */
  head: string;
}

function targetOf(baseUrl: string): Target {
  const url = new URL('/webhooks/facebook', baseUrl);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || 80;
  return {
    baseUrl,
    key: `${hostname} ${port}`,
    hostname,
    port,
    head: `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nx-hub-signature-256: `,
  };
}

/**
 * One persistent HTTP/1.1 connection carrying one request at a time: writes
 * a pre-built request, reads the answer's status line and headers, discards
 * its body (by content-length, chunked, or until the server closes), and
 * knows whether the next request may use it. Anything that ends a request
 * without a whole answer (refused, reset, closed early, 15 s without an
 * answer, an answer it cannot parse) rejects it and closes the connection.
 */
class Connection {
  readonly key: string;
  /** Resolves once the socket is closed (so a finished send leaves nothing open). */
  readonly closed: Promise<void>;
  /** False once the socket is closing or the last answer asked to close it. */
  usable = true;
  private readonly socket: Socket;
  private state = IDLE;
  private carry: Buffer | undefined;
  private status = 0;
  private remaining = 0;
  private closeAfter = false;
  private timer: NodeJS.Timeout | undefined;
  private waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;

  constructor(target: Target) {
    this.key = target.key;
    this.socket = connect({ host: target.hostname, port: target.port });
    this.socket.setNoDelay(true);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('end', () => {
      this.usable = false;
      if (this.waiting && this.state === UNTIL_CLOSE) this.finish();
      else this.fail(new Error('connection closed before a full answer'));
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed before a full answer')));
  }

  /** Sends one request (the whole of it, head and body); resolves with the answer's status once the answer has been read to its end. */
  request(text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.state = HEAD;
      this.timer = setTimeout(() => this.fail(new Error(`no answer within ${NO_ANSWER_MS / 1000} s`)), NO_ANSWER_MS);
      this.socket.write(text);
    });
  }

  /** Closes the connection; a request in flight fails. */
  close(): void {
    this.fail(new Error('connection closed by the sender'));
  }

  private fail(error: Error): void {
    this.usable = false;
    this.socket.destroy();
    const waiting = this.settle();
    waiting?.reject(error);
  }

  private finish(): void {
    // Not reusable if the server asked, or if part of the request is still unsent (an early answer).
    if (this.closeAfter || this.socket.writableLength > 0) {
      this.usable = false;
      this.socket.destroy();
    }
    const waiting = this.settle();
    waiting?.resolve(this.status);
  }

  private settle() {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.state = IDLE;
    this.carry = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    return waiting;
  }

  /** Keeps an unfinished line (or head) for the next chunk. */
  private keep(buffer: Buffer, at: number): void {
    if (buffer.length - at > MAX_LINE_BYTES) this.fail(new Error('answer line too long'));
    else this.carry = buffer.subarray(at);
  }

  private read(chunk: Buffer): void {
    if (!this.waiting) return this.fail(new Error('data from the server with no request in flight'));
    const buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let at = 0;
    while (this.waiting) {
      if (at >= buffer.length) return;
      switch (this.state) {
        case HEAD: {
          const end = buffer.indexOf(CRLF_CRLF, at);
          if (end < 0) return this.keep(buffer, at);
          const head = buffer.toString('latin1', at, end);
          at = end + 4;
          this.head(head);
          break;
        }
        case BODY:
        case CHUNK_DATA: {
          const n = Math.min(this.remaining, buffer.length - at);
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.state === BODY) this.finish();
            else this.state = CHUNK_END;
          }
          break;
        }
        case CHUNK_SIZE: {
          const end = buffer.indexOf(CRLF, at);
          if (end < 0) return this.keep(buffer, at);
          const line = buffer.toString('latin1', at, end);
          at = end + 2;
          const semicolon = line.indexOf(';');
          const hex = (semicolon < 0 ? line : line.slice(0, semicolon)).trim();
          if (!/^[0-9a-f]{1,12}$/i.test(hex)) return this.fail(new Error('malformed chunk size'));
          this.remaining = parseInt(hex, 16);
          this.state = this.remaining === 0 ? TRAILER : CHUNK_DATA;
          break;
        }
        case CHUNK_END: {
          const end = buffer.indexOf(CRLF, at);
          if (end < 0) return this.keep(buffer, at);
          if (end !== at) return this.fail(new Error('chunk data longer than its size'));
          at += 2;
          this.state = CHUNK_SIZE;
          break;
        }
        case TRAILER: {
          const end = buffer.indexOf(CRLF, at);
          if (end < 0) return this.keep(buffer, at);
          const last = end === at;
          at = end + 2;
          if (last) this.finish();
          break;
        }
        case UNTIL_CLOSE:
          return;
        default:
          return this.fail(new Error('connection out of step'));
      }
    }
    // Bytes after the end of the answer: the connection is out of step with the requests.
    if (at < buffer.length) this.fail(new Error('data from the server after its answer'));
  }

  /** Reads an answer's status line and headers (names case-insensitively) and decides how its body ends. */
  private head(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?:[ \t]|$)/.exec(lines[0]!);
    if (!statusLine) return this.fail(new Error('not an HTTP/1.x answer'));
    const status = Number(statusLine[2]);
    let length = -1;
    let encoded = false;
    let chunked = false;
    let closeToken = false;
    let keepAliveToken = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.startsWith(' ') || line.startsWith('\t')) continue; // obsolete line folding of a header we do not read
      const colon = line.indexOf(':');
      if (colon <= 0) return this.fail(new Error('malformed header line'));
      const name = line.slice(0, colon).trim().toLowerCase();
      if (name === 'content-length') {
        for (const part of line.slice(colon + 1).split(',')) {
          const value = part.trim();
          if (!/^\d{1,15}$/.test(value) || (length >= 0 && Number(value) !== length)) return this.fail(new Error('malformed content-length'));
          length = Number(value);
        }
      } else if (name === 'transfer-encoding') {
        encoded = true;
        chunked = line.slice(colon + 1).split(',').at(-1)!.trim().toLowerCase() === 'chunked';
      } else if (name === 'connection') {
        for (const token of line.slice(colon + 1).split(',')) {
          const t = token.trim().toLowerCase();
          if (t === 'close') closeToken = true;
          else if (t === 'keep-alive') keepAliveToken = true;
        }
      }
    }
    if (status < 200) {
      // An interim answer (100, 103): the final one follows. 101 would switch protocols, which we never ask for.
      if (status === 101 || status < 100) this.fail(new Error(`unexpected ${status} answer`));
      return;
    }
    this.status = status;
    this.closeAfter = closeToken || (statusLine[1] === '0' && !keepAliveToken);
    if (status === 204 || status === 304) return this.finish();
    if (encoded) {
      // Transfer-Encoding overrides Content-Length; either way such a connection is not reused.
      if (length >= 0 || !chunked) this.closeAfter = true;
      this.state = chunked ? CHUNK_SIZE : UNTIL_CLOSE;
    } else if (length > 0) {
      this.remaining = length;
      this.state = BODY;
    } else if (length === 0) {
      this.finish();
    } else {
      this.closeAfter = true;
      this.state = UNTIL_CLOSE;
    }
  }
}

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

  // Set when a lane fails (a delivery given up on, a throwing onAccepted): the other lanes stop,
  // their connections are closed and their waits cut short, and the send throws that error.
  let failed: { error: unknown } | undefined;
  const connections = new Set<Connection>();
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const stop = (error: unknown) => {
    if (failed) return;
    failed = { error };
    for (const wake of [...sleepers]) wake();
    for (const connection of connections) connection.close();
  };

  // A lean HTTP/1.1 client over node:net, one keep-alive connection per lane: Facebook's side of the
  // benchmark shares the machine with the service it measures, and node:http's client costs
  // several times the CPU per request of the service's work on this route.
  let target: Target | undefined;
  const post = (lane: { connection?: Connection }, item: CommentLoadItem): Promise<number> => {
    const baseUrl = base();
    if (target?.baseUrl !== baseUrl) target = targetOf(baseUrl);
    if (INVALID_HEADER_VALUE.test(item.signature)) throw new TypeError('invalid character in the x-hub-signature-256 header');
    let connection = lane.connection;
    if (!connection?.usable || connection.key !== target.key) {
      connection?.close();
      connection = lane.connection = new Connection(target);
      connections.add(connection);
      const opened = connection;
      void opened.closed.then(() => connections.delete(opened));
    }
    return connection.request(`${target.head}${item.signature}\r\ncontent-length: ${Buffer.byteLength(item.body)}\r\n\r\n${item.body}`);
  };

  const deliver = async (lane: { connection?: Connection }, index: number) => {
    const item = items[index]!;
    const firstSentAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      let status: string;
      try {
        const code = await post(lane, item);
        status = code === 200 ? '' : String(code);
      } catch {
        status = 'network';
      }
      if (failed) return;
      if (!status) {
        records[index] = { commentId: item.commentId, firstSentAt, acceptedAt: performance.now(), attempts: attempt };
        options.onAccepted?.(records[index]!, index);
        return;
      }
      refusals[status] = (refusals[status] ?? 0) + 1;
      if (performance.now() - firstSentAt > giveUp) throw new Error(`delivery of comment ${item.commentId} still refused after ${attempt} attempts (last: ${status})`);
      await sleep(options.retryDelayMs ?? 100);
      if (failed) return;
    }
  };

  const lane = async () => {
    const own: { connection?: Connection } = {};
    try {
      for (;;) {
        if (failed) return;
        const index = next++;
        if (index >= items.length) return;
        if (options.intervalMs) {
          const due = lastStart + options.intervalMs;
          lastStart = Math.max(due, performance.now());
          const wait = lastStart - performance.now();
          if (wait > 0) await sleep(wait);
          if (failed) return;
        }
        await deliver(own, index);
      }
    } catch (error) {
      stop(error);
    } finally {
      own.connection?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  // Nothing left open: every socket closed before the send returns or throws.
  const left = [...connections];
  for (const connection of left) connection.close();
  await Promise.all(left.map((connection) => connection.closed));
  if (failed) throw failed.error;
  return { records, refusals, elapsedMs: performance.now() - started };
}

/**
 * The environment of a service under load: its own database and queue
 * prefix, Facebook webhooks on, and (given a Bot API stand-in) the Telegram
 * part with Telegram's pacing lifted so the benchmark measures our code.
 */
export function loadServiceEnv(o: {
  databaseUrl: string;
  /** Unset: the queues run in PostgreSQL (DATABASE_URL). */
  redisUrl: string | undefined;
  queuePrefix: string;
  telegram?: { token: string; apiRoot: string; staffChatId: number; groupPerMinute: number; perSecond: number };
}): Record<string, string> {
  return {
    DATABASE_URL: o.databaseUrl,
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    QUEUE_PREFIX: o.queuePrefix,
    FACEBOOK_APP_SECRET: LOAD_SECRETS.appSecret,
    FACEBOOK_VERIFY_TOKEN: LOAD_SECRETS.verifyToken,
    // The Page the deliveries are for: a source, so its items become inquiries.
    FACEBOOK_PAGE_ID: LOAD_PAGE_ID,
    // These benchmarks count one card per inquiry (the load cycles through a few texts, which waves would group);
    // the wave benchmark turns waves on.
    WAVES: 'off',
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
