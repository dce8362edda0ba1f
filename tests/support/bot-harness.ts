/**
 * The whole service (startService with DEFAULT_PARTS) wired to the Bot API
 * stand-in, a database of its own and a queue prefix of its own, with an
 * injectable clock, plus helpers that act like staff in Telegram and wait
 * for what they would see.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { insertInboundEvent } from '../../src/db/repositories/inbound-event.repository.js';
import { createLogger } from '../../src/observability/logger.js';
import { startService, type PartFactory, type RunningService } from '../../src/main.js';
import type { CallbackAnswer, FakeBotApi, FakeBotApiOptions, SentMessage } from '../../src/stand-ins/bot-api.stand-in.js';
import { FakeBotApi as BotApi } from '../../src/stand-ins/bot-api.stand-in.js';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import type { Person } from '../factories/staff.factory.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { createTestDatabase, queueEnv, removeTestQueues, silentLogger, uniqueQueuePrefix, type TestDatabase } from './test-env.js';

export const STAFF_CHAT_ID = -1001234567890;

/** A clock tests move by hand. */
export interface TestClock {
  now: () => Date;
  set(at: Date): void;
  advance(ms: number): void;
}

export function createTestClock(start: Date): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface BotHarness {
  fake: FakeBotApi;
  service: RunningService;
  config: Config;
  tdb: TestDatabase;
  /** The queues' prefix (their Redis keys or their PostgreSQL schema). */
  prefix: string;
  clock: TestClock | undefined;
  /** Pushes an update and waits until the bot has handled it. */
  deliver(update: TelegramUpdate): Promise<void>;
  /** `person` presses the button `buttonText` (or with `data`) of a message; returns the answer they saw. */
  press(person: Person, message: SentMessage | { chatId: number; messageId: number }, button: { text?: string; data?: string; unchecked?: boolean }): Promise<CallbackAnswer | undefined>;
  /** `person` writes `text` in `chat` (default: their private chat), optionally as a reply. */
  write(person: Person, text: string, options?: { chat?: number; replyTo?: number }): Promise<void>;
  /** The card of an inquiry as the group sees it now (waits for it to exist, and for `until` if given). */
  card(inquiryId: number, until?: (card: SentMessage) => boolean): Promise<SentMessage>;
  /** The bot's messages in a private chat. */
  privateMessages(personId: number): SentMessage[];
  /** Stores a raw Facebook payload and queues its ingest, as the webhook route does. */
  ingest(payload: unknown): Promise<void>;
  /** Stops the service and starts it again on the same database (and, unless `emptyQueues`, the same queues). */
  restart(options?: { emptyQueues?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface BotHarnessOptions {
  env?: Record<string, string>;
  clock?: TestClock;
  parts?: PartFactory[];
  fake?: FakeBotApiOptions;
  http?: boolean;
  /**
   * `postgres` (default): a database of its own on the test server.
   * `embedded`: no DATABASE_URL, so the service starts its embedded
   * PostgreSQL in a temporary DATA_DIR, as `npm start` does; `tdb.db` is
   * then the service's own pool.
   */
  database?: 'postgres' | 'embedded';
  /** Prepares the stand-in before the service starts (a channel and its discussion group). */
  beforeStart?: (fake: FakeBotApi) => void;
}

/** The embedded database as a TestDatabase: read through the running service; `close` removes its folder. */
function embeddedTestDatabase(dataDir: string, service: () => RunningService): TestDatabase {
  return {
    get db() {
      return service().ctx.database.db;
    },
    url: '',
    name: dataDir,
    close: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export async function startBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const dataDir = options.database === 'embedded' ? mkdtempSync(path.join(tmpdir(), 'ardzagank-embedded-')) : undefined;
  if (dataDir) chmodSync(dataDir, 0o755); // as root the server runs as "postgres", which must reach DATA_DIR
  const tdb = dataDir ? embeddedTestDatabase(dataDir, () => harness.service) : await createTestDatabase();
  const fake = await BotApi.start(options.fake ?? {});
  options.beforeStart?.(fake);
  const prefix = uniqueQueuePrefix('bot');
  const removeQueues = () => (tdb.url ? removeTestQueues(tdb.url, prefix) : Promise.resolve());
  const config = loadConfig({
    env: {
      ...(dataDir ? { DATA_DIR: dataDir } : { DATABASE_URL: tdb.url }),
      ...queueEnv(),
      QUEUE_PREFIX: prefix,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT_ID),
      // Telegram's pace (20 a minute) would make every edit wait 3 s; tests that
      // are about the pace set their own.
      TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '6000',
      // The Page the ingested payloads are for (a source: its items become inquiries).
      FACEBOOK_PAGE_ID: PAGE_ID,
      // Tests of one card per inquiry send many alike questions; the wave tests turn waves on.
      WAVES: 'off',
      ...options.env,
    },
  });
  const start = () =>
    startService({
      config,
      logger: process.env.BOT_TEST_LOG ? createLogger({ level: 'debug', destination: { write: (line: string) => process.stderr.write(line) } }) : silentLogger(),
      ...(options.clock ? { now: options.clock.now } : {}),
      parts: options.parts ?? [],
      http: options.http ?? false,
    });

  const handled = (updateId: number) => !fake.pendingUpdates.some((u) => u.update_id === updateId);
  const deliver = async (update: TelegramUpdate) => {
    const pushed = fake.pushUpdate(update);
    await vi.waitFor(() => {
      if (!handled(pushed.update_id)) throw new Error(`update ${pushed.update_id} is not handled yet`);
    }, { timeout: 15_000, interval: 10 });
  };

  let service: RunningService;
  try {
    service = await start();
  } catch (error) {
    // Nothing of this attempt stays open, so a caller may try again (another port, see free-port.ts).
    await Promise.allSettled([fake.close(), removeQueues(), tdb.close()]);
    throw error;
  }

  const harness: BotHarness = {
    fake,
    service,
    config,
    tdb,
    prefix,
    clock: options.clock,
    deliver,
    async press(person, message, button) {
      const update = fake.callbackQueryUpdate({
        from: person,
        message: 'messageId' in message ? { chatId: message.chatId, messageId: message.messageId } : message,
        ...(button.text !== undefined ? { buttonText: button.text } : {}),
        ...(button.data !== undefined ? { data: button.data } : {}),
        ...(button.unchecked ? { unchecked: true } : {}),
      });
      const queryId = (update as { callback_query: { id: string } }).callback_query.id;
      await deliver(update);
      return fake.callbackAnswers.find((a) => a.callbackQueryId === queryId);
    },
    async write(person, text, opts = {}) {
      await deliver(fake.messageUpdate({ from: person, chat: opts.chat ?? person.id, text, ...(opts.replyTo !== undefined ? { reply_to_message_id: opts.replyTo } : {}) }));
    },
    async card(inquiryId, until) {
      let found: SentMessage | undefined;
      await vi.waitFor(
        async () => {
          const row = await tdb.db.selectFrom('telegramCards').select(['chatId', 'messageId']).where('inquiryId', '=', inquiryId).executeTakeFirst();
          found = row?.messageId ? fake.sent(row.chatId).find((m) => m.messageId === row.messageId) : undefined;
          if (!found) throw new Error(`no card of inquiry ${inquiryId} yet`);
          if (until && !until(found)) throw new Error(`the card of inquiry ${inquiryId} shows:\n${found.text}`);
        },
        { timeout: 15_000, interval: 20 },
      );
      return found!;
    },
    privateMessages: (personId) => fake.sent(personId),
    async ingest(payload) {
      const dedupKey = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
      const { id } = await insertInboundEvent(tdb.db, { platform: 'facebook', origin: 'webhook', dedupKey, payload });
      await harness.service.ctx.producers.ingest(id);
    },
    async restart(opts = {}) {
      await harness.service.close();
      if (opts.emptyQueues) await removeQueues();
      harness.service = await start();
    },
    async close() {
      await harness.service.close();
      await fake.close();
      await removeQueues();
      await tdb.close();
    },
  };
  return harness;
}
