/**
 * The benchmark's webhook sender (`sendDeliveries`, a lean HTTP/1.1 client
 * over node:net) against loopback servers that misbehave the ways a service
 * under fault does: 503 then 200, `connection: close`, chunked answers with
 * interim 1xx heads and trailers, answers split into tiny pieces or read to
 * the close, connections dropped before an answer, a refused port, and a
 * delivery given up on. Every delivery ends accepted exactly when it should,
 * every failure is counted, and nothing is left open afterwards. Nothing
 * here depends on how fast the machine is.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commentDelivery, sendDeliveries, type CommentLoadItem } from '../../bench/support/facebook-load.js';
import { holdRefusedPort } from '../support/refused-port.js';

interface Loopback {
  url: string;
  port: number;
  /** Requests seen, in order: the signature header (one per delivery) and the body. */
  requests: Array<{ signature: string; body: string }>;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections still open on the server side. */
  open: () => number;
  close: () => Promise<void>;
}

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function listen(server: Server, sockets: Set<Socket>, requests: Loopback['requests'], counter: { accepted: number }): Promise<Loopback> {
  server.on('connection', (socket: Socket) => {
    counter.accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const loopback: Loopback = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get accepted() {
      return counter.accepted;
    },
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(loopback);
  return loopback;
}

/** A node:http server; `answer` gets the request with its body read and how many times this delivery was seen before. */
async function httpServer(answer: (req: IncomingMessage, res: ServerResponse, seenBefore: number) => void): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const seen = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const signature = String(req.headers['x-hub-signature-256']);
      requests.push({ signature, body: Buffer.concat(parts).toString('utf8') });
      const before = seen.get(signature) ?? 0;
      seen.set(signature, before + 1);
      answer(req, res, before);
    });
  });
  return listen(server, new Set(), requests, { accepted: 0 });
}

/** A raw TCP server reading whole requests (head and content-length body) and answering them with whatever bytes `answer` writes. */
async function rawServer(answer: (socket: Socket, seenBefore: number) => void): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const seen = new Map<string, number>();
  const server = createNetServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buffered = Buffer.concat([buffered, d]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.toString('latin1', 0, end);
        const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const signature = /^x-hub-signature-256: *(\S+)/im.exec(head)?.[1] ?? '';
        requests.push({ signature, body: buffered.toString('utf8', end + 4, end + 4 + length) });
        buffered = buffered.subarray(end + 4 + length);
        const before = seen.get(signature) ?? 0;
        seen.set(signature, before + 1);
        answer(socket, before);
      }
    });
  });
  return listen(server, new Set(), requests, { accepted: 0 });
}

const deliveries = (count: number, tag: string): CommentLoadItem[] => Array.from({ length: count }, (_, n) => commentDelivery(n, { runTag: tag }));

/** Every delivery accepted once, in its own record. */
function expectAllAccepted(items: CommentLoadItem[], records: Array<{ commentId: string; attempts: number; firstSentAt: number; acceptedAt: number }>) {
  expect(records).toHaveLength(items.length);
  records.forEach((record, i) => {
    expect(record.commentId).toBe(items[i]!.commentId);
    expect(record.acceptedAt).toBeGreaterThanOrEqual(record.firstSentAt);
  });
}

/** The sender's sockets are closed once it returns: the server sees every connection end. */
async function expectNothingOpen(server: Loopback) {
  await expect.poll(() => server.open(), { timeout: 10_000, interval: 10 }).toBe(0);
}

describe('sendDeliveries', () => {
  it('sends the signed request and keeps one connection per lane', async () => {
    const server = await httpServer((req, res) => {
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/webhooks/facebook');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers.host).toBe(`127.0.0.1:${server.port}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    });
    const items = deliveries(60, 'ka');
    const accepted: number[] = [];
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 3, onAccepted: (record, index) => accepted.push(index) });

    expectAllAccepted(items, result.records);
    expect(result.records.every((r) => r.attempts === 1)).toBe(true);
    expect(result.refusals).toEqual({});
    expect(accepted.sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    // The exact bytes, signed as sent.
    expect(new Map(server.requests.map((r) => [r.signature, r.body]))).toEqual(new Map(items.map((i) => [i.signature, i.body])));
    expect(server.accepted).toBeLessThanOrEqual(3);
    await expectNothingOpen(server);
  });

  it('delivers again after a 503, and counts the refusal', async () => {
    const server = await httpServer((_req, res, seenBefore) => {
      if (seenBefore === 0) res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
      else res.writeHead(200).end('{}');
    });
    const items = deliveries(20, 'rt');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 4, retryDelayMs: 1 });

    expectAllAccepted(items, result.records);
    expect(result.records.every((r) => r.attempts === 2)).toBe(true);
    expect(result.refusals).toEqual({ '503': 20 });
    // A refusal does not cost the connection.
    expect(server.accepted).toBeLessThanOrEqual(4);
    await expectNothingOpen(server);
  });

  it('opens a new connection after an answer with `connection: close`', async () => {
    let answered = 0;
    const server = await httpServer((_req, res) => {
      const close = answered++ % 2 === 0;
      res.shouldKeepAlive = !close;
      res.writeHead(200, close ? { Connection: 'Close' } : {}).end('{}');
    });
    const items = deliveries(30, 'cc');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 2, retryDelayMs: 1 });

    expectAllAccepted(items, result.records);
    expect(result.refusals).toEqual({});
    expect(result.records.every((r) => r.attempts === 1)).toBe(true);
    expect(server.accepted).toBeGreaterThanOrEqual(15);
    await expectNothingOpen(server);
  });

  it('reads chunked answers (with 1xx heads before them and trailers after) and slow answers to their end', async () => {
    const server = await httpServer((_req, res, seenBefore) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      if (seenBefore === 0) {
        // Chunked, in pieces, with a trailer; the status is a refusal so the delivery comes again.
        res.writeHead(500, { 'content-type': 'text/plain', trailer: 'x-checksum' });
        res.write('first piece, ');
        setTimeout(() => {
          res.write('x'.repeat(70_000));
          res.addTrailers({ 'x-checksum': 'abc' });
          res.end('last');
        }, 5);
      } else {
        // A large body by content-length, written slowly.
        const body = 'y'.repeat(200_000);
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.slice(0, 1000));
        setTimeout(() => res.end(body.slice(1000)), 10);
      }
    });
    const items = deliveries(12, 'ch');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 3, retryDelayMs: 1 });

    expectAllAccepted(items, result.records);
    expect(result.refusals).toEqual({ '500': 12 });
    expect(result.records.every((r) => r.attempts === 2)).toBe(true);
    expect(server.accepted).toBeLessThanOrEqual(3);
    await expectNothingOpen(server);
  });

  it('parses answers split byte by byte, headers in any case, chunk extensions, HTTP/1.0 and bodies read to the close', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 5\r\nX-Other: 1\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nx-trailer: 1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nto the close',
      'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok',
      'HTTP/1.1 204 No Content\r\n\r\n',
    ];
    let n = 0;
    const server = await rawServer((socket) => {
      const answer = Buffer.from(answers[n++ % answers.length]!, 'latin1');
      const closes = !/content-length|chunked|204/i.test(answer.toString('latin1')) || answer.toString('latin1').startsWith('HTTP/1.0');
      // One byte at a time, each in its own write.
      let i = 0;
      const step = () => {
        if (socket.destroyed) return;
        if (i < answer.length) {
          socket.write(answer.subarray(i, ++i));
          setImmediate(step);
        } else if (closes) socket.end();
      };
      step();
    });
    const items = deliveries(15, 'bb');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 1, retryDelayMs: 1 });

    expectAllAccepted(items, result.records);
    // 204 is not the 200 Facebook wants: those deliveries come again (18 answers for 15 deliveries).
    expect(result.refusals).toEqual({ '204': 3 });
    expect(result.records.reduce((sum, r) => sum + r.attempts, 0)).toBe(18);
    // A new connection after each answer that ended its connection (2 of every 5: read to the close, HTTP/1.0).
    expect(server.accepted).toBe(1 + 6);
    await expectNothingOpen(server);
  });

  it('counts a connection dropped before the answer, or in the middle of it, as a network failure and delivers again', async () => {
    const server = await rawServer((socket, seenBefore) => {
      if (seenBefore === 0) socket.destroy();
      else if (seenBefore === 1) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part of the body');
      else if (seenBefore === 2) socket.end('HTTP/1.1 200 O');
      else socket.write('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
    });
    const items = deliveries(10, 'dr');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 2, retryDelayMs: 1 });

    expectAllAccepted(items, result.records);
    expect(result.refusals).toEqual({ network: 30 });
    expect(result.records.every((r) => r.attempts === 4)).toBe(true);
    await expectNothingOpen(server);
  });

  it('counts no answer within 15 s as a network failure, and delivers again (on a fake clock)', async () => {
    const server = await httpServer((_req, res, seenBefore) => {
      if (seenBefore > 0) res.writeHead(200).end();
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const items = deliveries(1, 'to');
      const sending = sendDeliveries(items, { baseUrl: server.url, concurrency: 1, retryDelayMs: 1 });
      await expect.poll(() => server.requests.length, { timeout: 10_000, interval: 5 }).toBe(1);
      vi.advanceTimersByTime(14_000);
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(server.requests).toHaveLength(1);
      // Moves the fake clock on until the delivery comes again (after the 15 s and the retry delay).
      await expect
        .poll(
          () => {
            vi.advanceTimersByTime(100);
            return server.requests.length;
          },
          { timeout: 10_000, interval: 5 },
        )
        .toBe(2);
      const result = await sending;
      expect(result.refusals).toEqual({ network: 1 });
      expect(result.records[0]!.attempts).toBe(2);
    } finally {
      vi.useRealTimers();
    }
    await expectNothingOpen(server);
  });

  it('asks baseUrl on every attempt: a refused port counts as network, then the service at its new address takes the delivery', async () => {
    // Held for the whole test: a port merely closed could be handed to the next server, ours or another program's.
    const gone = await holdRefusedPort();
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    let calls = 0;
    const items = deliveries(8, 'mv');
    const result = await sendDeliveries(items, {
      baseUrl: () => (calls++ < 10 ? gone.url : server.url),
      concurrency: 2,
      retryDelayMs: 1,
    }).finally(() => gone.close());

    expectAllAccepted(items, result.records);
    expect(result.refusals).toEqual({ network: 10 });
    expect(calls).toBe(10 + items.length);
    await expectNothingOpen(server);
  });

  it('spaces the starts of deliveries by intervalMs', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    const items = deliveries(11, 'iv');
    const result = await sendDeliveries(items, { baseUrl: server.url, concurrency: 4, intervalMs: 10 });

    expectAllAccepted(items, result.records);
    const starts = result.records.map((r) => r.firstSentAt).sort((a, b) => a - b);
    // Timers can fire a little early, never a whole interval early overall.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(10 * 10 - 10);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(starts.at(-1)! - starts[0]!);
    await expectNothingOpen(server);
  });

  it('gives up on a delivery still refused after giveUpAfterMs: throws, and leaves no socket or timer behind', async () => {
    const server = await httpServer((_req, res) => res.writeHead(503).end());
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const items = deliveries(50, 'gu');
    let accepted = 0;
    const sending = sendDeliveries(items, { baseUrl: server.url, concurrency: 4, retryDelayMs: 5, giveUpAfterMs: 30, onAccepted: () => accepted++ });

    await expect(sending).rejects.toThrow(/still refused after \d+ attempts \(last: 503\)/);
    expect(accepted).toBe(0);
    // Closed by the time it threw: the server sees the connections end, and no sender timer is left.
    await expectNothingOpen(server);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(timersBefore);
    // And nothing comes after the throw.
    const seen = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.length).toBe(seen);
  });

  it('a throwing onAccepted stops the send with that error', async () => {
    const server = await httpServer((_req, res) => res.writeHead(200).end());
    const items = deliveries(40, 'oa');
    const sending = sendDeliveries(items, {
      baseUrl: server.url,
      concurrency: 4,
      onAccepted: (_record, index) => {
        if (index === 5) throw new Error('caller failed');
      },
    });
    await expect(sending).rejects.toThrow('caller failed');
    await expectNothingOpen(server);
  });
});
