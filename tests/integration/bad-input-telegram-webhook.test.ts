/**
 * The bad-input corpus of `POST /webhooks/telegram` (webhook mode): every
 * file in `tests/fixtures/bad-input/telegram-webhook/` is a request with a
 * missing, wrong or near-miss secret token, a body that is not an update,
 * or a genuine update the bot must refuse politely. Requests without the
 * exact secret get 401 and reach no handler; bodies that are not updates
 * 400, too big ones 413; nothing crashes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { startOnFreePort } from '../support/free-port.js';

const DIR = path.resolve('tests/fixtures/bad-input/telegram-webhook');
const SECRET = 'tg-Webhook_Secret-7f3a9c';

interface Case {
  description: string;
  secret: 'right' | 'wrong' | 'none' | 'upper' | 'prefix';
  json?: unknown;
  body?: string;
  generate?: { kind: 'oversize'; bytes: number };
  expect: { status: number; handled: boolean; deniedFor?: number };
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case }));

let h: BotHarness;
let url: string;

beforeAll(async () => {
  h = await startOnFreePort((port) => {
    url = `http://127.0.0.1:${port}/webhooks/telegram`;
    return startBotHarness({ http: true, env: { HTTP_PORT: String(port), TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: SECRET } });
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

function headers(spec: Case): Record<string, string> {
  const secret = { right: SECRET, wrong: 'not-the-secret', none: undefined, upper: SECRET.toUpperCase(), prefix: SECRET.slice(0, SECRET.length / 2) }[spec.secret];
  return { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) };
}

describe('bad input at POST /webhooks/telegram', () => {
  it('has a corpus', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const { file, spec } of cases) {
    it(`${file}: ${spec.description}`, async () => {
      const body = spec.body ?? (spec.json !== undefined ? JSON.stringify(spec.json) : `{"update_id":1,"message":{"text":"${'x'.repeat(spec.generate!.bytes)}"}}`);
      const before = { requests: h.fake.requests.length, denied: (await h.tdb.db.selectFrom('events').select('id').where('type', '=', 'denied').execute()).length };
      const response = await fetch(url, { method: 'POST', headers: headers(spec), body });
      expect(response.status).toBe(spec.expect.status);
      expect((await response.text()).length).toBeLessThan(300);
      const denied = (await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'denied').execute()).slice(before.denied);
      if (spec.expect.handled) {
        // The bot answered the person and recorded the refusal.
        await expect.poll(() => h.fake.sent(spec.expect.deniedFor).length, { timeout: 10_000 }).toBeGreaterThan(0);
        expect(denied.map((d) => d.payload.telegramUserId)).toContain(spec.expect.deniedFor);
      } else {
        // Nothing reached the bot: no call to Telegram, no event.
        expect(h.fake.requests.slice(before.requests).filter((r) => r.method !== 'getUpdates')).toEqual([]);
        expect(denied).toEqual([]);
      }
      expect((await fetch(url.replace('/webhooks/telegram', '/healthz'))).status).toBe(200);
    });
  }
});
