/**
 * The real facebook-nodejs-business-sdk, through our graph client, against
 * the loopback Graph API stand-in: reading, publishing, the Messenger windows,
 * the error split (GraphApiError vs GraphHttpError), usage headers, and that
 * the access token never shows up in an error or a log line.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createGraphClient, parseGraphTime, type GraphClient } from '../../src/connectors/facebook/graph-client.js';
import { GraphApiError, GraphHttpError } from '../../src/connectors/meta/graph-errors.js';
import type { GraphCallInfo, GraphTransportOptions } from '../../src/connectors/meta/graph-transport.js';
import { createLogger } from '../../src/observability/logger.js';
import { describeError } from '../../src/observability/redact.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { holdRefusedPort } from '../support/refused-port.js';

const TOKEN = 'EAAGm0PX4ZCpsBAKZCtestPageToken7f3a9c2e51d84b06';
const PAGE_ID = '104710000000001';
const T0 = new Date('2026-11-28T10:00:00Z');
const HOUR = 60 * 60 * 1000;

let fake: GraphApiFake;
let logLines: string[];
let calls: GraphCallInfo[];

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Yerevan City Hall', accessToken: TOKEN } });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
  fake.setNow(T0);
  logLines = [];
  calls = [];
});

afterEach(() => {
  // Whatever the test did, nothing it logged may carry the token.
  for (const line of logLines) expect(line).not.toContain(TOKEN);
});

/**
 * A client whose logger does NOT know the token, so the test proves that the
 * client itself keeps the token out of what it logs.
 */
function client(overrides: Partial<GraphTransportOptions> = {}): GraphClient {
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logLines.push(line) } });
  return createGraphClient({
    baseUrl: fake.url,
    version: 'v24.0',
    accessToken: TOKEN,
    logger,
    onCall: (call) => calls.push(call),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** Every text an error could leak through: message, stack, cause chain, own properties. */
function everythingIn(error: unknown): string {
  const parts = [describeError(error), JSON.stringify(error)];
  let current: unknown = error;
  for (let i = 0; current instanceof Error && i < 5; i++) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(Object.entries(current)));
    current = current.cause;
  }
  return parts.join('\n');
}

describe('reading posts and comments', () => {
  it('reads every post with every comment and reply, following cursor paging of posts and nested comments', async () => {
    const posts = [0, 1, 2].map((i) => fake.seedPost({ message: `Announcement ${i}`, created_time: new Date(T0.getTime() - (10 - i) * HOUR) }));
    const busy = posts[1]!;
    const citizen = { id: '5550001', name: 'Anahit Petrosyan' };
    for (let i = 0; i < 12; i++) {
      fake.addComment({ postId: busy.id, message: `Question ${i}`, from: citizen, created_time: new Date(T0.getTime() - (9 - i / 10) * HOUR) });
    }
    const first = fake.commentsOn(busy.id)[0]!;
    const reply = fake.addComment({ postId: busy.id, parentId: first.id, message: 'Same problem on our street', from: { id: '5550002', name: 'Aram' }, created_time: T0 });

    const result = await client().getPagePostsWithComments(PAGE_ID, { limit: 2, commentsLimit: 5 });

    expect(result.map((p) => p.message)).toEqual(['Announcement 2', 'Announcement 1', 'Announcement 0']);
    const read = result.find((p) => p.id === busy.id)!;
    expect(read.comments).toHaveLength(13);
    expect(read.comments.map((c) => c.message).slice(0, 3)).toEqual(['Question 0', 'Question 1', 'Question 2']);
    const readReply = read.comments.find((c) => c.id === reply.id)!;
    expect(readReply.parent).toEqual({ id: first.id });
    expect(readReply.from).toEqual({ id: '5550002', name: 'Aram' });
    expect(read.comments[0]!.can_reply_privately).toBe(true);
    expect(parseGraphTime(read.comments[0]!.created_time).getTime()).toBe(T0.getTime() - 9 * HOUR);
    expect(read.updated_time).toBe('2026-11-28T10:00:00+0000');

    // Two pages of posts, plus two more pages of the busy post's comments (5 + 5 + 3).
    expect(fake.callCount({ path: `${PAGE_ID}/feed` })).toBe(2);
    expect(fake.callCount({ path: `${busy.id}/comments` })).toBe(2);
    expect(fake.requests.every((r) => r.version === 'v24.0' && r.accessToken === TOKEN)).toBe(true);
    expect(calls.map((c) => c.endpoint)).toEqual(['{id}/feed', '{id}/comments', '{id}/comments', '{id}/feed']);
    expect(calls.every((c) => c.outcome === 'ok' && c.purpose === 'getPagePostsWithComments')).toBe(true);
  });

  it('passes since and commentsSince as unix seconds so polling only gets what is new', async () => {
    const old = fake.seedPost({ message: 'Old post', created_time: new Date(T0.getTime() - 72 * HOUR) });
    const recent = fake.seedPost({ message: 'Recent post', created_time: new Date(T0.getTime() - 2 * HOUR) });
    fake.addComment({ postId: recent.id, message: 'seen already', created_time: new Date(T0.getTime() - 90 * 60 * 1000) });
    fake.addComment({ postId: recent.id, message: 'new question', created_time: new Date(T0.getTime() - 10 * 60 * 1000) });

    const result = await client().getPagePostsWithComments(PAGE_ID, {
      since: new Date(T0.getTime() - 24 * HOUR),
      commentsSince: new Date(T0.getTime() - HOUR),
    });

    expect(result.map((p) => p.id)).toEqual([recent.id]);
    expect(result[0]!.comments.map((c) => c.message)).toEqual(['new question']);
    expect(result.some((p) => p.id === old.id)).toBe(false);
    expect(fake.requests[0]!.query.since).toBe(String((T0.getTime() - 24 * HOUR) / 1000));
    expect(fake.requests[0]!.query.fields).toContain(`comments.filter(stream).since(${(T0.getTime() - HOUR) / 1000})`);
  });

  it('reads the comments of an old post and a node with chosen fields', async () => {
    const post = fake.seedPost({ message: 'Water outage schedule', created_time: new Date(T0.getTime() - 30 * 24 * HOUR) });
    fake.addComment({ postId: post.id, message: 'When will it be back?', created_time: new Date(T0.getTime() - HOUR) });
    const graph = client();

    const comments = await graph.getComments(post.id, { since: new Date(T0.getTime() - 2 * HOUR) });
    const page = await graph.getNode<{ id: string; name: string }>(PAGE_ID, ['id', 'name']);

    expect(comments.map((c) => c.message)).toEqual(['When will it be back?']);
    expect(page).toEqual({ id: PAGE_ID, name: 'Yerevan City Hall' });
  });

  it('reads Messenger conversations updated since a time, newest first, with their messages', async () => {
    fake.addMessage({ psid: '9001', name: 'Gor', text: 'Old question', created_time: new Date(T0.getTime() - 48 * HOUR) });
    fake.addMessage({ psid: '9002', name: 'Lilit', text: 'Is the park open?', created_time: new Date(T0.getTime() - 3 * HOUR) });
    fake.addMessage({ psid: '9002', text: 'Yes, until 22:00', from: 'page', created_time: new Date(T0.getTime() - 2 * HOUR) });
    fake.addMessage({ psid: '9003', name: 'Narek', text: 'Pothole on Abovyan street', created_time: new Date(T0.getTime() - HOUR) });

    const conversations = await client().getConversations(PAGE_ID, { since: new Date(T0.getTime() - 24 * HOUR), limit: 1 });

    expect(conversations.map((c) => c.participants[0]?.name)).toEqual(['Narek', 'Lilit']);
    expect(conversations[1]!.messages.map((m) => m.message)).toEqual(['Yes, until 22:00', 'Is the park open?']);
    expect(conversations[1]!.messages[1]!.from).toEqual({ id: '9002', name: 'Lilit' });
    // Paging stopped at the first conversation older than `since`.
    expect(fake.callCount({ path: `${PAGE_ID}/conversations` })).toBe(3);
    expect(fake.requests[0]!.query.platform).toBe('messenger');
  });

  it('honours the configured API version and appsecret_proof', async () => {
    const strict = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Yerevan City Hall', accessToken: TOKEN, appSecret: 'app-secret-0123456789' } });
    try {
      const withProof = await client({ baseUrl: strict.url, version: 'v23.0', appSecret: 'app-secret-0123456789' }).getNode<{ id: string }>(PAGE_ID, ['id']);
      const error = await failure(client({ baseUrl: strict.url }).getNode(PAGE_ID, ['id']));

      expect(withProof).toEqual({ id: PAGE_ID });
      expect(strict.requests[0]!.path).toBe(`/v23.0/${PAGE_ID}`);
      expect(strict.requests[0]!.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
      expect(error).toBeInstanceOf(GraphApiError);
      expect((error as GraphApiError).code).toBe(100);
      expect(everythingIn(error)).not.toContain('app-secret-0123456789');
    } finally {
      await strict.close();
    }
  });
});

describe('publishing answers', () => {
  it('replies to a comment publicly as the Page', async () => {
    const post = fake.seedPost({ message: 'Road works on Tumanyan street' });
    const question = fake.addComment({ postId: post.id, message: 'How long will it take?', from: { id: '5550003', name: 'Karen' } });

    const result = await client().replyToComment(question.id, 'Until 5 December. Thank you for asking!');

    const replies = fake.commentsOn(question.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ id: result.id, message: 'Until 5 December. Thank you for asking!', from: { id: PAGE_ID }, parent_id: question.id });
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.graphPath).toBe(`${question.id}/comments`);
    expect(request.body).toEqual({ message: 'Until 5 December. Thank you for asking!' });
  });

  it('a POST Facebook takes longer to process than the client waits: the client times out, yet the reply is published', async () => {
    const post = fake.seedPost({ message: 'Road works on Tumanyan street' });
    const question = fake.addComment({ postId: post.id, message: 'How long will it take?', from: { id: '5550003', name: 'Karen' } });
    fake.delayNext({ delayMs: 400, match: (r) => r.method === 'POST' });

    const error = (await failure(client({ timeoutMs: 100 }).replyToComment(question.id, 'Until 5 December.'))) as GraphHttpError;

    expect(error).toBeInstanceOf(GraphHttpError);
    expect(error.timedOut).toBe(true);
    // Nothing is there when the client gives up; Facebook finishes the work a little later.
    expect(fake.commentsOn(question.id)).toEqual([]);
    await vi.waitFor(() => expect(fake.commentsOn(question.id).map((c) => [c.message, c.from?.id])).toEqual([['Until 5 December.', PAGE_ID]]), { timeout: 3_000, interval: 20 });
    expect(fake.requests[0]!.abandoned).toBe(true);
  });

  it('answers in Messenger within 24 hours of the citizen last message', async () => {
    fake.addMessage({ psid: '9100', name: 'Mane', text: 'Where do I pay the parking fine?', created_time: new Date(T0.getTime() - 23 * HOUR) });

    const result = await client().sendMessage(PAGE_ID, { recipient: { id: '9100' }, text: 'At any bank or online at e-payments.am', messagingType: 'RESPONSE' });

    expect(result.recipient_id).toBe('9100');
    expect(fake.sentMessages()).toMatchObject([{ id: result.message_id, message: 'At any bank or online at e-payments.am', to: { id: '9100' }, messaging_type: 'RESPONSE' }]);
  });

  it('refuses a RESPONSE after 24 hours with isOutsideMessagingWindow, while HUMAN_AGENT still works up to 7 days', async () => {
    fake.addMessage({ psid: '9200', name: 'Tigran', text: 'Is there a bus to Garni?', created_time: new Date(T0.getTime() - 25 * HOUR) });
    const graph = client();

    const error = await failure(graph.sendMessage(PAGE_ID, { recipient: { id: '9200' }, text: 'Yes, line 266', messagingType: 'RESPONSE' }));
    const tagged = await graph.sendMessage(PAGE_ID, { recipient: { id: '9200' }, text: 'Yes, line 266', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    expect(error).toBeInstanceOf(GraphApiError);
    const refusal = error as GraphApiError;
    expect(refusal.isOutsideMessagingWindow()).toBe(true);
    expect(refusal.isRateLimit()).toBe(false);
    expect([refusal.code, refusal.subcode, refusal.httpStatus]).toEqual([10, 2018278, 400]);
    expect(refusal.message).toContain('messaging window is closed');
    expect(tagged.recipient_id).toBe('9200');
    expect(fake.sentMessages().map((m) => m.tag)).toEqual(['HUMAN_AGENT']);
  });

  it('refuses HUMAN_AGENT after 7 days', async () => {
    fake.addMessage({ psid: '9300', text: 'Hello?', created_time: new Date(T0.getTime() - 8 * 24 * HOUR) });

    const error = await failure(client().sendMessage(PAGE_ID, { recipient: { id: '9300' }, text: 'Sorry for the delay', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }));

    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as GraphApiError).isOutsideMessagingWindow()).toBe(true);
    expect(fake.sentMessages()).toEqual([]);
  });

  it('sends one private reply to a commenter; a second one is refused as already replied', async () => {
    const post = fake.seedPost({ message: 'Snow removal plan' });
    const comment = fake.addComment({ postId: post.id, message: 'My address is private, can I write to you?', from: { id: '5550004', name: 'Sona' } });
    const graph = client();

    const sent = await graph.sendPrivateReply(PAGE_ID, comment.id, 'Of course, write to us here.');
    const again = await failure(graph.sendPrivateReply(PAGE_ID, comment.id, 'Hello again'));

    expect(sent.recipient_id).toBe(fake.psidFor('5550004'));
    expect(fake.messagesWith(sent.recipient_id).map((m) => m.message)).toEqual(['Of course, write to us here.']);
    expect(fake.requests.find((r) => r.method === 'POST')!.body).toMatchObject({ recipient: { comment_id: comment.id }, message: { text: 'Of course, write to us here.' } });
    expect(again).toBeInstanceOf(GraphApiError);
    expect((again as GraphApiError).isAlreadyReplied()).toBe(true);
  });

  it('rejects MESSAGE_TAG without a tag before calling Facebook', async () => {
    await expect(client().sendMessage(PAGE_ID, { recipient: { id: '1' }, text: 'x', messagingType: 'MESSAGE_TAG' })).rejects.toThrow(TypeError);
    expect(fake.callCount()).toBe(0);
  });
});

describe('refusals (GraphApiError)', () => {
  it('a wrong token is a 190: isTokenExpired, and the message says what to do', async () => {
    const error = await failure(client({ accessToken: 'EAAwrongTokenValue1234567890' }).getNode(PAGE_ID, ['id']));

    expect(error).toBeInstanceOf(GraphApiError);
    const refusal = error as GraphApiError;
    expect(refusal.isTokenExpired()).toBe(true);
    expect([refusal.code, refusal.httpStatus, refusal.type]).toEqual([190, 400, 'OAuthException']);
    expect(refusal.message).toContain('FACEBOOK_PAGE_ACCESS_TOKEN');
    expect(refusal.fbtraceId).toMatch(/^\S{6,}$/);
    expect(calls).toMatchObject([{ outcome: 'api_error', errorCode: 190, httpStatus: 400 }]);
  });

  it('an expired token is a 190/463', async () => {
    fake.expireToken();

    const error = await failure(client().getComments('1_2'));

    expect((error as GraphApiError).isTokenExpired()).toBe(true);
    expect((error as GraphApiError).subcode).toBe(463);
  });

  it('a 613 is a rate limit; usage headers give the wait', async () => {
    fake.setUsage(97, { regainAccessMinutes: 5 });
    fake.failNext(400, { code: 613 }, { match: (r) => r.graphPath.endsWith('/feed') });
    const graph = client();

    const error = await failure(graph.getPagePostsWithComments(PAGE_ID));

    expect(error).toBeInstanceOf(GraphApiError);
    const refusal = error as GraphApiError;
    expect(refusal.isRateLimit()).toBe(true);
    expect(refusal.isTokenExpired()).toBe(false);
    expect(refusal.graphMessage).toBe('(#613) Calls to this api have exceeded the rate limit.');
    expect(refusal.retryAfterMs()).toBe(5 * 60_000);
    expect(refusal.usage?.maxPercent).toBe(97);
    expect(graph.lastUsage()?.businessUseCase?.[PAGE_ID]?.[0]?.type).toBe('pages');
    expect(logLines.some((l) => l.includes('"level":40') && l.includes('97%'))).toBe(true);
  });

  it('business use case codes are rate limits too, and codes 1/2 are transient', async () => {
    fake.failNext(400, { code: 80001 });
    fake.failNext(500, { code: 2 });
    const graph = client();

    const buc = (await failure(graph.getNode(PAGE_ID, ['id']))) as GraphApiError;
    const transient = (await failure(graph.getNode(PAGE_ID, ['id']))) as GraphApiError;

    expect(buc.isRateLimit()).toBe(true);
    expect(transient).toBeInstanceOf(GraphApiError);
    expect(transient.isTransient()).toBe(true);
    expect(transient.httpStatus).toBe(500);
  });

  it('a 368 (the Page temporarily blocked from an action) is its own refusal: not a rate limit, not a permission, not transient', async () => {
    // As Facebook answers a Page blocked from commenting for going too fast.
    fake.failNext(400, {
      code: 368,
      error_subcode: 1390008,
      message: 'It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.',
      is_transient: false,
      error_user_title: "You Can't Use This Feature Right Now",
      error_user_msg: "It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.\n\nIf you think you're seeing this by mistake, please let us know.",
    });
    const post = fake.seedPost({ message: 'Road works' });
    const question = fake.addComment({ postId: post.id, message: 'When?', from: { id: '5550004', name: 'Ani' } });

    const refusal = (await failure(client().replyToComment(question.id, 'Soon.'))) as GraphApiError;

    expect(refusal).toBeInstanceOf(GraphApiError);
    expect([refusal.code, refusal.subcode]).toEqual([368, 1390008]);
    expect(refusal.isTemporarilyBlocked()).toBe(true);
    expect([refusal.isRateLimit(), refusal.isPermission(), refusal.isTransient(), refusal.isTokenExpired()]).toEqual([false, false, false, false]);
    expect(refusal.message).toMatch(/temporarily blocked the Page/);
    expect(fake.commentsOn(question.id)).toEqual([]);
  });

  it('an unknown object is the real code 100 / subcode 33', async () => {
    const error = (await failure(client().getNode('999_888', ['id']))) as GraphApiError;

    expect([error.code, error.subcode, error.type]).toEqual([100, 33, 'GraphMethodException']);
    expect(error.graphMessage).toContain("Object with ID '999_888' does not exist");
    expect(error.endpoint).toBe('{id}');
  });
});

describe('transport failures (GraphHttpError)', () => {
  it('a 500 with an HTML page is a GraphHttpError with the status, not a GraphApiError', async () => {
    fake.failNext(500, '<html><body>Internal Server Error</body></html>');

    const error = await failure(client().getNode(PAGE_ID, ['id']));

    expect(error).toBeInstanceOf(GraphHttpError);
    expect(error).not.toBeInstanceOf(GraphApiError);
    const http = error as GraphHttpError;
    expect([http.httpStatus, http.timedOut, http.isTransient()]).toEqual([500, false, true]);
    expect(calls).toMatchObject([{ outcome: 'http_error', httpStatus: 500 }]);
  });

  it('a 502 with an empty body is a GraphHttpError', async () => {
    fake.failNext(502, '');

    const error = await failure(client().replyToComment('1_2', 'hello'));

    expect(error).toBeInstanceOf(GraphHttpError);
    expect((error as GraphHttpError).httpStatus).toBe(502);
  });

  it('a 200 whose body is not JSON is a GraphHttpError', async () => {
    fake.failNext(200, '<html>captive portal</html>');

    const error = await failure(client().getNode(PAGE_ID, ['id']));

    expect(error).toBeInstanceOf(GraphHttpError);
    expect((error as GraphHttpError).message).toContain('not JSON');
  });

  it('no answer within timeoutMs is a GraphHttpError with timedOut, and the socket is closed', async () => {
    fake.timeoutNext();
    const started = Date.now();

    const error = await failure(client({ timeoutMs: 150 }).getNode(PAGE_ID, ['id']));

    expect(error).toBeInstanceOf(GraphHttpError);
    const http = error as GraphHttpError;
    expect(http.timedOut).toBe(true);
    expect(http.isTransient()).toBe(true);
    expect(http.message).toContain('150 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(calls).toMatchObject([{ outcome: 'timeout' }]);
    // The client really gave up (closed the socket) rather than leaving it hanging.
    await vi.waitFor(() => expect(fake.requests[0]!.abandoned).toBe(true), { timeout: 2_000, interval: 10 });
    await expect(client().getNode(PAGE_ID, ['id'])).resolves.toEqual({ id: PAGE_ID });
  });

  it('a socket destroyed mid-request is a GraphHttpError with the network code', async () => {
    fake.timeoutNext({ destroyAfterMs: 10 });

    const error = (await failure(client().getNode(PAGE_ID, ['id']))) as GraphHttpError;

    expect(error).toBeInstanceOf(GraphHttpError);
    expect(error.timedOut).toBe(false);
    expect(error.transportCode).toBe('ECONNRESET');
  });

  it('a refused connection is a GraphHttpError with ECONNREFUSED', async () => {
    const refused = await holdRefusedPort();

    const error = (await failure(client({ baseUrl: refused.url }).getNode(PAGE_ID, ['id'])).finally(() => refused.close())) as GraphHttpError;

    expect(error).toBeInstanceOf(GraphHttpError);
    expect(error.transportCode).toBe('ECONNREFUSED');
    expect(error.httpStatus).toBeUndefined();
  });
});

describe('secrets', () => {
  it('no error, cause or log line contains the access token, even when Facebook echoes it', async () => {
    const graph = client();
    fake.addMessage({ psid: '9400', text: 'Hi', created_time: new Date(T0.getTime() - 30 * HOUR) });
    fake.failNext(400, { code: 190, message: `Malformed access token ${TOKEN}` });
    fake.failNext(500, `<html>upstream failed for /v24.0/me?access_token=${TOKEN}</html>`);
    fake.timeoutNext({ match: (r) => r.graphPath === 'timeout-me' });
    const errors = [
      await failure(graph.getNode(PAGE_ID, ['id'])),
      await failure(graph.getNode(PAGE_ID, ['id'])),
      await failure(graph.sendMessage(PAGE_ID, { recipient: { id: '9400' }, text: 'late', messagingType: 'RESPONSE' })),
      await failure(client({ timeoutMs: 50 }).get('timeout-me')),
      await failure(client({ baseUrl: 'http://127.0.0.1:1' }).getNode(PAGE_ID, ['id'])),
    ];

    expect(errors.map((e) => (e as Error).name)).toEqual(['GraphApiError', 'GraphHttpError', 'GraphApiError', 'GraphHttpError', 'GraphHttpError']);
    for (const error of errors) {
      expect(everythingIn(error)).not.toContain(TOKEN);
      expect(everythingIn(error)).not.toContain('access_token=EAA');
    }
    expect((errors[0] as GraphApiError).graphMessage).toContain('[REDACTED]');
    // The token did travel to Facebook, where it belongs.
    expect(fake.requests.every((r) => r.accessToken === TOKEN)).toBe(true);
    expect(logLines.length).toBeGreaterThanOrEqual(errors.length);
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });

  it('never turns on the SDK crash reporter (no uncaughtException handler is added)', () => {
    const before = process.listenerCount('uncaughtException');
    client();
    client();
    expect(process.listenerCount('uncaughtException')).toBe(before);
  });
});

describe('the stand-in speaks Graph on the wire', () => {
  it('takes the token from an Authorization header, form bodies, and sends Graph headers', async () => {
    const post = fake.seedPost({ message: 'Tree planting on Saturday' });

    const created = await fetch(`${fake.url}/v24.0/${post.id}/comments`, {
      method: 'POST',
      headers: { authorization: `OAuth ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ message: 'See you there' }),
    });
    const read = await fetch(`${fake.url}/v24.0/${post.id}/comments?fields=id,message,from{name}`, { headers: { authorization: `Bearer ${TOKEN}` } });

    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    expect(await read.json()).toEqual({
      data: [{ id, message: 'See you there', from: { name: 'Yerevan City Hall' } }],
      paging: { cursors: { before: expect.any(String), after: expect.any(String) } },
    });
    expect(read.headers.get('x-fb-trace-id')).toMatch(/^\S+$/);
    expect(read.headers.get('x-fb-rev')).toMatch(/^\d+$/);
    expect(JSON.parse(read.headers.get('x-app-usage')!)).toEqual({ call_count: 0, total_time: 0, total_cputime: 0 });
    expect(Object.keys(JSON.parse(read.headers.get('x-business-use-case-usage')!))).toEqual([PAGE_ID]);
  });

  it('answers a missing token, an unknown field and an unknown edge with the real errors', async () => {
    const missing = await fetch(`${fake.url}/v24.0/${PAGE_ID}`);
    const field = await fetch(`${fake.url}/v24.0/${PAGE_ID}?fields=id,colour&access_token=${TOKEN}`);
    const edge = await fetch(`${fake.url}/v24.0/${PAGE_ID}/photoz?access_token=${TOKEN}`);

    expect(missing.status).toBe(400);
    expect(missing.headers.get('www-authenticate')).toContain('invalid_token');
    expect(((await missing.json()) as { error: { code: number } }).error.code).toBe(104);
    expect(((await field.json()) as { error: { message: string } }).error.message).toBe('(#100) Tried accessing nonexisting field (colour) on node type (Page)');
    expect(((await edge.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: 2500, message: 'Unknown path components: /photoz' });
  });
});
