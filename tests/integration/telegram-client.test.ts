/**
 * The Telegram client and update source through the real telegraf, against
 * the loopback Bot API stand-in: what a staff member would see in the chat,
 * and how refusals and lost requests reach the caller.
 */
import { createServer as createHttpServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createTelegramClient, type TelegramClient, type TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { createUpdateSource, verifyWebhookSecret, type UpdateSource } from '../../src/telegram/update-source.js';
import { TelegramApiError, TelegramHttpError } from '../../src/telegram/telegram-errors.js';
import { CallbackDataError, callbackData, escapeHtml } from '../../src/telegram/telegram-text.js';
import { FakeBotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import { holdRefusedPort } from '../support/refused-port.js';

const STAFF_CHAT = -1001234567890;
const AGENT = { id: 501, first_name: 'Անի', username: 'ani_cityhall' };

let fake: FakeBotApi;
let logLines: string[];
let logger: Logger;
let client: TelegramClient;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}


/** The smallest header of a PNG that reports the given size. */
function pngHeader(width: number, height: number): Buffer {
  const buffer = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buffer, 0);
  buffer.writeUInt32BE(13, 8);
  buffer.write('IHDR', 12, 'ascii');
  buffer.writeUInt32BE(width, 16);
  buffer.writeUInt32BE(height, 20);
  return buffer;
}

beforeAll(async () => {
  fake = await FakeBotApi.start();
  logLines = [];
  logger = createLogger({ level: 'debug', destination: { write: (line: string) => logLines.push(line) } });
  client = createTelegramClient({ token: fake.token, apiRoot: fake.url, logger });
});

afterEach(() => {
  fake.reset();
});

afterAll(async () => {
  await fake.close();
  expect(logLines.join('')).not.toContain(fake.token);
});

describe('sending and editing', () => {
  it('shows an escaped citizen text with Armenian, emoji and markup exactly as written', async () => {
    const citizen = 'Բարև ձեզ 👋 <script>alert("x")</script> & Co — ջուր չկա 💧';
    const claim = callbackData('claim', 42);
    const message = await client.sendMessage(STAFF_CHAT, `<b>Նոր հարց</b>\n${escapeHtml(citizen)}`, {
      replyMarkup: { inline_keyboard: [[{ text: 'Վերցնել ✋', callback_data: claim }]] },
      disableLinkPreview: true,
    });

    expect(message.message_id).toBe(1);
    expect(message.text).toBe(`Նոր հարց\n${citizen}`);
    const [shown] = fake.sent(STAFF_CHAT);
    expect(shown?.text).toBe(`Նոր հարց\n${citizen}`);
    expect(shown?.entities).toEqual([{ type: 'bold', offset: 0, length: 8 }]);
    expect(shown?.buttons).toEqual([[{ text: 'Վերցնել ✋', callbackData: 'claim:42' }]]);
    const [request] = fake.requestsFor('sendMessage');
    expect(request?.params).toMatchObject({ parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  });

  it('edits what the chat shows, and an identical edit is a success that changes nothing', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Պատասխանել', callback_data: callbackData('answer', 42) }]] };
    const sent = await client.sendMessage(STAFF_CHAT, 'Նոր', { replyMarkup: keyboard });
    const claimed = `<b>Վերցրեց՝</b> ${escapeHtml('Անի <ani>')} 🙋‍♀️`;

    await expect(client.editMessageText(STAFF_CHAT, sent.message_id, claimed, { replyMarkup: keyboard })).resolves.toEqual({ modified: true });
    await expect(client.editMessageText(STAFF_CHAT, sent.message_id, claimed, { replyMarkup: keyboard })).resolves.toEqual({ modified: false });

    const [shown] = fake.sent(STAFF_CHAT);
    expect(shown?.text).toBe('Վերցրեց՝ Անի <ani> 🙋‍♀️');
    expect(shown?.editCount).toBe(1);
    expect(shown?.buttons).toEqual([[{ text: 'Պատասխանել', callbackData: 'answer:42' }]]);
    expect(fake.requestsFor('editMessageText')).toHaveLength(2);
  });

  it('follows Telegram: an edit without markup removes the buttons; markup-only edits work the same way', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Վերցնել', callback_data: 'claim:7' }]] };
    const sent = await client.sendMessage(STAFF_CHAT, 'Հարց', { replyMarkup: keyboard });
    await client.editMessageText(STAFF_CHAT, sent.message_id, 'Հարց');
    expect(fake.lastSent(STAFF_CHAT)?.buttons).toEqual([]);

    await expect(client.editMessageReplyMarkup(STAFF_CHAT, sent.message_id, keyboard)).resolves.toEqual({ modified: true });
    await expect(client.editMessageReplyMarkup(STAFF_CHAT, sent.message_id, keyboard)).resolves.toEqual({ modified: false });
    expect(fake.lastSent(STAFF_CHAT)?.buttons).toEqual([[{ text: 'Վերցնել', callbackData: 'claim:7' }]]);
  });

  it('reports a message that is gone, and deleting twice is harmless', async () => {
    const sent = await client.sendMessage(STAFF_CHAT, 'x');
    await expect(client.deleteMessage(STAFF_CHAT, sent.message_id)).resolves.toBe(true);
    await expect(client.deleteMessage(STAFF_CHAT, sent.message_id)).resolves.toBe(false);
    expect(fake.sent(STAFF_CHAT)).toEqual([]);

    const error = await rejection(client.editMessageText(STAFF_CHAT, sent.message_id, 'y'));
    expect(error).toBeInstanceOf(TelegramApiError);
    expect((error as TelegramApiError).isMessageNotFound()).toBe(true);
    expect((error as TelegramApiError).description).toBe('Bad Request: message to edit not found');
  });

  it('replies to a message, and still sends when that message was deleted', async () => {
    const question = fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: 'Ո՞վ է պատասխանում' });
    const questionId = 'message' in question ? question.message.message_id : 0;
    const reply = await client.sendMessage(STAFF_CHAT, 'Ես', { replyToMessageId: questionId });
    expect(reply.reply_to_message?.message_id).toBe(questionId);
    await client.deleteMessage(STAFF_CHAT, questionId);
    await expect(client.sendMessage(STAFF_CHAT, 'Ես', { replyToMessageId: questionId })).resolves.toMatchObject({ text: 'Ես' });
  });

  it('refuses malformed HTML the way Telegram does, which is why citizen text is escaped', async () => {
    const error = await rejection(client.sendMessage(STAFF_CHAT, 'Ջուր <չկա> 3 օր'));
    expect(error).toBeInstanceOf(TelegramApiError);
    expect((error as TelegramApiError).isBadRequest()).toBe(true);
    expect((error as TelegramApiError).description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "չկա" at byte offset 9');
    expect((error as Error).message).toContain('escapeHtml');
    expect(fake.sent(STAFF_CHAT)).toEqual([]);
  });

  it('sends a PNG chart with an HTML caption as multipart', async () => {
    const png = pngHeader(800, 450);
    const keyboard = { inline_keyboard: [[{ text: 'Մանրամասն', callback_data: 'report:2025-05' }]] };
    const message = await client.sendPhoto(STAFF_CHAT, png, `<b>Մայիս</b> ${escapeHtml('12 < 75')} 📈`, { replyMarkup: keyboard });

    expect(message.photo[0]?.width).toBe(800);
    const shown = fake.lastSent(STAFF_CHAT);
    expect(shown).toMatchObject({ kind: 'photo', text: 'Մայիս 12 < 75 📈', file: { size: 64, width: 800, height: 450 } });
    expect(shown?.buttons).toEqual([[{ text: 'Մանրամասն', callbackData: 'report:2025-05' }]]);
    const [request] = fake.requestsFor('sendPhoto');
    expect(request?.encoding).toBe('multipart');
    expect(request?.files).toMatchObject([{ field: 'photo', filename: 'chart.png', size: 64 }]);
  });

  it('sends a document under its file name', async () => {
    const csv = Buffer.from('month,received,answered\n2025-05,14,12\n', 'utf8');
    await client.sendDocument(STAFF_CHAT, csv, 'report-2025-05.csv', 'Հաշվետվություն');
    expect(fake.lastSent(STAFF_CHAT)).toMatchObject({ kind: 'document', text: 'Հաշվետվություն', file: { size: csv.length, filename: 'report-2025-05.csv' } });
  });

  it('sets the command menu', async () => {
    await client.setMyCommands([{ command: 'report', description: 'Հաշվետվություն' }], { scope: { type: 'all_private_chats' }, languageCode: 'hy' });
    expect(fake.commands({ type: 'all_private_chats' }, 'hy')).toEqual([{ command: 'report', description: 'Հաշվետվություն' }]);
  });
});

describe('buttons', () => {
  it('refuses callback data over 64 bytes before anything is sent', () => {
    expect(() => callbackData('sector', 'ջրամատակարարում-և-ջրահեռացում-2025')).toThrow(CallbackDataError);
  });

  it('Telegram refuses data that bypasses the builder, with advice in the message', async () => {
    const error = await rejection(client.sendMessage(STAFF_CHAT, 'x', { replyMarkup: { inline_keyboard: [[{ text: 'x', callback_data: 'x'.repeat(65) }]] } }));
    expect((error as TelegramApiError).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((error as Error).message).toContain('callbackData()');
  });

  it('answers a button press once; a second answer reports the query as expired', async () => {
    const card = await client.sendMessage(STAFF_CHAT, 'Հարց', { replyMarkup: { inline_keyboard: [[{ text: 'Վերցնել', callback_data: 'claim:9' }]] } });
    const update = fake.callbackQueryUpdate({ from: AGENT, message: card, buttonText: 'Վերցնել' });
    const query = 'callback_query' in update ? update.callback_query : undefined;
    expect(query && 'data' in query ? query.data : undefined).toBe('claim:9');

    await expect(client.answerCallbackQuery(query!.id, 'Վերցրիք ✅')).resolves.toBe(true);
    await expect(client.answerCallbackQuery(query!.id, 'again')).resolves.toBe(false);
    expect(fake.callbackAnswers).toEqual([{ callbackQueryId: query!.id, text: 'Վերցրիք ✅', showAlert: false }]);
  });
});

describe('refusals and lost requests', () => {
  it('429 carries retry_after and nothing is sent', async () => {
    fake.failNext('sendMessage', 429, { retry_after: 7 });
    const error = await rejection(client.sendMessage(STAFF_CHAT, 'x'));
    expect(error).toBeInstanceOf(TelegramApiError);
    const apiError = error as TelegramApiError;
    expect(apiError.isRateLimit()).toBe(true);
    expect(apiError.retryAfterSeconds).toBe(7);
    expect(apiError.description).toBe('Too Many Requests: retry after 7');
    expect(fake.sent(STAFF_CHAT)).toEqual([]);
    await expect(client.sendMessage(STAFF_CHAT, 'x')).resolves.toMatchObject({ text: 'x' });
  });

  it('flood control answers 429 with the seconds until the window frees up', async () => {
    let now = Date.UTC(2025, 4, 12, 9, 0, 0);
    const clocked = await FakeBotApi.start({ now: () => now });
    try {
      const c = createTelegramClient({ token: clocked.token, apiRoot: clocked.url, logger });
      clocked.rateLimit({ perChatPerMinute: 2 });
      await c.sendMessage(STAFF_CHAT, '1');
      now += 15_000;
      await c.sendMessage(STAFF_CHAT, '2');
      const error = (await rejection(c.sendMessage(STAFF_CHAT, '3'))) as TelegramApiError;
      expect(error.retryAfterSeconds).toBe(45);
      now += 45_000;
      await c.sendMessage(STAFF_CHAT, '3');
      expect(clocked.sent(STAFF_CHAT).map((m) => m.text)).toEqual(['1', '2', '3']);
    } finally {
      await clocked.close();
    }
  });

  it('403 when the user blocked the bot', async () => {
    fake.block(AGENT.id);
    const error = (await rejection(client.sendMessage(AGENT.id, 'Բարև'))) as TelegramApiError;
    expect(error).toBeInstanceOf(TelegramApiError);
    expect(error.isForbidden()).toBe(true);
    expect(error.code).toBe(403);
    expect(error.description).toBe('Forbidden: bot was blocked by the user');
  });

  it('a group upgraded to a supergroup reports its new id', async () => {
    fake.failNext('sendMessage', 400, { description: 'Bad Request: group chat was upgraded to a supergroup chat', migrate_to_chat_id: -1009999 });
    const error = (await rejection(client.sendMessage(-4242, 'x'))) as TelegramApiError;
    expect(error.migrateToChatId).toBe(-1009999);
    expect(error.message).toContain('-1009999');
  });

  it('a wrong token is a 401 whose message and logs hold no token', async () => {
    const wrongToken = '7000000001:AAWrongTokenWrongTokenWrongToken123';
    const lines: string[] = [];
    const wrong = createTelegramClient({
      token: wrongToken,
      apiRoot: fake.url,
      logger: createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(line) } }),
    });
    const error = (await rejection(wrong.getMe())) as TelegramApiError;
    expect(error).toBeInstanceOf(TelegramApiError);
    expect(error.code).toBe(401);
    expect(error.isUnauthorized()).toBe(true);
    expect(error.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(`${error.message} ${error.stack}`).not.toContain(wrongToken);
    expect(`${error.message} ${error.stack}`).not.toContain('AAWrongToken');
    expect(lines.join('')).not.toContain('AAWrongToken');
  });

  it('a dropped connection is a TelegramHttpError without the token', async () => {
    fake.failNext('sendMessage', 'network');
    const error = (await rejection(client.sendMessage(STAFF_CHAT, 'x'))) as TelegramHttpError;
    expect(error).toBeInstanceOf(TelegramHttpError);
    expect(error.method).toBe('sendMessage');
    const everything = `${error.message} ${String((error.cause as Error | undefined)?.message)} ${error.stack}`;
    expect(everything).not.toContain(fake.token);
    expect(everything).not.toContain(fake.token.split(':')[1]!);
  });

  it('an unreachable API root is a TelegramHttpError without the token', async () => {
    const refused = await holdRefusedPort();
    const unreachable = createTelegramClient({ token: fake.token, apiRoot: refused.url, logger });
    const error = (await rejection(unreachable.sendMessage(STAFF_CHAT, 'x')).finally(() => refused.close())) as TelegramHttpError;
    expect(error).toBeInstanceOf(TelegramHttpError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(`${error.message} ${String((error.cause as Error | undefined)?.message)}`).not.toContain(fake.token.split(':')[1]!);
  });

  it('an API root that is not the Bot API (an HTML error page) is a TelegramHttpError without the token', async () => {
    const web = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>404 Not Found</body></html>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = web.address() as { port: number };
      const misconfigured = createTelegramClient({ token: fake.token, apiRoot: `http://127.0.0.1:${port}`, logger });
      const error = (await rejection(misconfigured.sendMessage(STAFF_CHAT, 'x'))) as TelegramHttpError;
      expect(error).toBeInstanceOf(TelegramHttpError);
      expect(error.message).toContain('invalid json response body');
      const everything = `${error.message} ${String((error.cause as Error | undefined)?.message)} ${error.stack}`;
      expect(everything).not.toContain(fake.token.split(':')[1]!);
    } finally {
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  });

  it('a call that gets no answer in time is a TelegramHttpError marked timedOut', async () => {
    const impatient = createTelegramClient({ token: fake.token, apiRoot: fake.url, logger, requestTimeoutMs: 200 });
    fake.failNext('sendMessage', 'hang');
    const started = performance.now();
    const error = (await rejection(impatient.sendMessage(STAFF_CHAT, 'x'))) as TelegramHttpError;
    expect(error).toBeInstanceOf(TelegramHttpError);
    expect(error.timedOut).toBe(true);
    expect(error.message).toContain('no answer within 200 ms');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('long polling', () => {
  let source: UpdateSource | undefined;

  afterEach(async () => {
    await source?.stop();
    source = undefined;
  });

  it('delivers a pushed update and stops promptly while a poll is held', async () => {
    const received: TelegramUpdate[] = [];
    source = createUpdateSource({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      handler: async (update) => {
        received.push(update);
      },
      mode: { kind: 'polling', timeoutSeconds: 30 },
    });
    await source.start();
    const pushed = fake.pushUpdate(fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: '/queue' }));
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5000, interval: 20 });
    expect(received[0]).toEqual(pushed);
    const first = fake.requestsFor('getUpdates')[0];
    expect(first?.params).toMatchObject({ offset: 0, timeout: 30, allowed_updates: expect.arrayContaining(['message', 'callback_query']) });

    // Wait until the next poll is being held, then stop: it must not wait out the poll.
    await vi.waitFor(() => expect(fake.requestsFor('getUpdates').length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    const started = performance.now();
    await source.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fake.pendingUpdates).toEqual([]);
  });

  it('confirms handled updates on stop, so a restart does not handle them again', async () => {
    const received: number[] = [];
    source = createUpdateSource({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      handler: async (update) => {
        received.push(update.update_id);
        // Stop right after the last update is handled, before the next getUpdates can confirm it.
        if (received.length === 2) void source?.stop();
      },
      mode: { kind: 'polling', timeoutSeconds: 30 },
    });
    fake.pushUpdate(fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: 'a' }));
    fake.pushUpdate(fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: 'b' }));
    await source.start();
    await vi.waitFor(() => expect(received).toHaveLength(2), { timeout: 5000, interval: 20 });
    await source.stop();
    expect(fake.pendingUpdates).toEqual([]);
  });

  it('retries a failing handler and keeps polling after a 409 conflict', async () => {
    let calls = 0;
    const handled: number[] = [];
    source = createUpdateSource({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      handler: async (update) => {
        calls++;
        if (calls === 1) throw new Error('database is restarting');
        handled.push(update.update_id);
      },
      mode: { kind: 'polling', timeoutSeconds: 30 },
      backoff: { initialMs: 10, maxMs: 50 },
    });
    fake.failNext('getUpdates', 409);
    await source.start();
    const pushed = fake.pushUpdate(fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: 'x' }));
    await vi.waitFor(() => expect(handled).toEqual([pushed.update_id]), { timeout: 5000, interval: 20 });
    expect(calls).toBe(2);
  });

  it('removes a leftover webhook before polling', async () => {
    await fetch(`${fake.url}/bot${fake.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://old.example.am/hook' }),
    });
    source = createUpdateSource({ token: fake.token, apiRoot: fake.url, logger, handler: async () => undefined, mode: { kind: 'polling' } });
    await source.start();
    expect(fake.webhook).toBeUndefined();
    expect(fake.requestsFor('deleteWebhook')).toHaveLength(1);
  });

  it('a wrong token fails start with a 401', async () => {
    source = createUpdateSource({
      token: '7000000001:AAWrongTokenWrongTokenWrongToken123',
      apiRoot: fake.url,
      logger,
      handler: async () => undefined,
      mode: { kind: 'polling' },
    });
    const error = (await rejection(source.start())) as TelegramApiError;
    expect(error.isUnauthorized()).toBe(true);
  });
});

describe('webhook', () => {
  const secret = 'Xk9_city-hall_secret_2025';

  it('registers the webhook with its secret and accepts only requests that carry it', async () => {
    const received: TelegramUpdate[] = [];
    const source = createUpdateSource({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      handler: async (update) => {
        received.push(update);
      },
      mode: { kind: 'webhook', url: 'https://ardzagank.yerevan.am/webhooks/telegram', secret },
    });
    const update = fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: 'Բարև' });
    await expect(source.handleWebhook(update, secret)).resolves.toEqual({ accepted: false, reason: 'not-listening' });

    await source.start();
    expect(fake.webhook).toEqual({
      url: 'https://ardzagank.yerevan.am/webhooks/telegram',
      secretToken: secret,
      allowedUpdates: expect.arrayContaining(['message', 'callback_query']),
    });

    await expect(source.handleWebhook(update, 'Xk9_city-hall_secret_2024')).resolves.toEqual({ accepted: false, reason: 'wrong-secret' });
    await expect(source.handleWebhook(update, undefined)).resolves.toEqual({ accepted: false, reason: 'wrong-secret' });
    await expect(source.handleWebhook(update, `${secret} `)).resolves.toEqual({ accepted: false, reason: 'wrong-secret' });
    expect(received).toEqual([]);

    await expect(source.handleWebhook({ hello: 'world' }, secret)).resolves.toEqual({ accepted: false, reason: 'malformed' });
    await expect(source.handleWebhook(update, secret)).resolves.toEqual({ accepted: true });
    expect(received).toEqual([update]);

    await source.stop();
    await expect(source.handleWebhook(update, secret)).resolves.toEqual({ accepted: false, reason: 'not-listening' });
  });

  it('passes handler errors on, so the HTTP layer answers 500 and Telegram retries', async () => {
    const source = createUpdateSource({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      handler: async () => {
        throw new Error('database unavailable');
      },
      mode: { kind: 'webhook', url: 'https://ardzagank.yerevan.am/webhooks/telegram', secret },
    });
    await source.start();
    await expect(source.handleWebhook(fake.messageUpdate({ from: AGENT, text: 'x' }), secret)).rejects.toThrow('database unavailable');
    await source.stop();
  });

  it('verifyWebhookSecret compares exactly', () => {
    expect(verifyWebhookSecret(secret, secret)).toBe(true);
    expect(verifyWebhookSecret(secret, secret.slice(0, -1))).toBe(false);
    expect(verifyWebhookSecret(secret, '')).toBe(false);
    expect(verifyWebhookSecret('', '')).toBe(false);
  });
});

describe('the stand-in speaks the Bot API wire format', () => {
  const call = async (method: string, init: RequestInit = {}, token = fake.token): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${fake.url}/bot${token}/${method}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('accepts form-urlencoded and query-string parameters and answers errors with the matching status', async () => {
    const form = await call('sendMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: String(STAFF_CHAT), text: '<i>Բարև</i>', parse_mode: 'HTML', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] }) }),
    });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ ok: true, result: { message_id: 1, text: 'Բարև', entities: [{ type: 'italic', offset: 0, length: 4 }] } });
    expect(fake.lastSent(STAFF_CHAT)?.buttons).toEqual([[{ text: 'A', callbackData: 'a' }]]);

    const query = await call(`getMe?x=1`);
    expect(query.body).toMatchObject({ ok: true, result: { is_bot: true, username: fake.botUser.username } });

    expect(await call('getMe', {}, '7000000001:AAnother')).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('noSuchMethod')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    fake.failNext('getMe', 429, { retry_after: 3 });
    expect(await call('getMe')).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } },
    });
  });

  it('getUpdates confirms by offset, ends an older held poll with 409, and refuses while a webhook is set', async () => {
    const first = fake.pushUpdate(fake.messageUpdate({ from: AGENT, text: 'a' }));
    const second = fake.pushUpdate(fake.messageUpdate({ from: AGENT, text: 'b' }));
    const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await call('getUpdates', json({}))).body.result).toEqual([first, second]);
    expect((await call('getUpdates', json({ offset: second.update_id }))).body.result).toEqual([second]);
    expect(fake.pendingUpdates).toEqual([second]);

    const held = call('getUpdates', json({ offset: second.update_id + 1, timeout: 5 }));
    await vi.waitFor(() => expect(fake.requestsFor('getUpdates')).toHaveLength(3), { interval: 10 });
    const newer = call('getUpdates', json({ offset: second.update_id + 1, timeout: 5 }));
    expect(await held).toMatchObject({ status: 409, body: { description: expect.stringContaining('terminated by other getUpdates request') } });
    const third = fake.pushUpdate(fake.messageUpdate({ from: AGENT, text: 'c' }));
    expect((await newer).body.result).toEqual([third]);

    await call('setWebhook', json({ url: 'https://example.am/hook' }));
    expect((await call('getUpdates', json({}))).status).toBe(409);
  });

  it('delivers to a registered webhook with its secret, end to end', async () => {
    const received: TelegramUpdate[] = [];
    let source: UpdateSource | undefined;
    // A minimal stand-in of our POST /webhooks/telegram.
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const header = req.headers['x-telegram-bot-api-secret-token'];
        source!.handleWebhook(JSON.parse(Buffer.concat(chunks).toString('utf8')), typeof header === 'string' ? header : undefined).then(
          (outcome) => res.writeHead(outcome.accepted ? 200 : outcome.reason === 'wrong-secret' ? 401 : 400).end(),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      source = createUpdateSource({
        token: fake.token,
        apiRoot: fake.url,
        logger,
        handler: async (update) => {
          received.push(update);
        },
        mode: { kind: 'webhook', url: `http://127.0.0.1:${port}/webhooks/telegram`, secret: 'hook_secret_1' },
      });
      await source.start();
      const update = fake.messageUpdate({ from: AGENT, chat: STAFF_CHAT, text: '/report' });
      expect((await fake.deliverToWebhook(update)).status).toBe(200);
      expect((await fake.postUpdateTo(fake.webhook!.url, update, 'forged')).status).toBe(401);
      expect(received).toEqual([update]);
      await source.stop();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
