/**
 * Claims are atomic: 50 staff pressing "claim" on one card at the same
 * moment (webhook mode, so the presses really are handled concurrently)
 * make exactly one claimant, and the 49 others are told who has it. Also
 * checks the webhook's secret-token header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramUpdate } from '../../src/telegram/telegram-client.js';
import { claimInquiry } from '../../src/inbox/claim.workflow.js';
import { insertStaffMember, insertTestInquiry, type Person } from '../factories/staff.factory.js';
import { STAFF_CHAT_ID, startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { startOnFreePort } from '../support/free-port.js';

const SECRET = 'claims_webhook_secret_1';
let h: BotHarness;
let hookUrl: string;
const agents: Person[] = Array.from({ length: 50 }, (_, i) => ({ id: 8000 + i, first_name: `Աշխատակից${i + 1}`, last_name: 'Քաղաքապետարան' }));

beforeAll(async () => {
  h = await startOnFreePort((port) => {
    hookUrl = `http://127.0.0.1:${port}/webhooks/telegram`;
    return startBotHarness({ http: true, env: { HTTP_PORT: String(port), TELEGRAM_WEBHOOK_URL: hookUrl, TELEGRAM_WEBHOOK_SECRET: SECRET } });
  });
  for (const a of agents) await insertStaffMember(h.tdb.db, a, 'agent');
});
afterAll(async () => {
  await h?.close();
});

describe('the webhook', () => {
  it('is registered with its secret, and refuses requests without it', async () => {
    expect(h.fake.webhook).toMatchObject({ url: hookUrl, secretToken: SECRET });
    const update = h.fake.messageUpdate({ from: agents[0]!, text: '/help' });
    expect((await h.fake.postUpdateTo(hookUrl, update, 'wrong')).status).toBe(401);
    expect((await h.fake.postUpdateTo(hookUrl, update)).status).toBe(401);
    expect((await h.fake.postUpdateTo(hookUrl, { hello: 'world' } as unknown as TelegramUpdate, SECRET)).status).toBe(400);
    expect(h.fake.sent(agents[0]!.id)).toEqual([]);
    expect((await h.fake.deliverToWebhook(update)).status).toBe(200);
    expect(h.fake.sent(agents[0]!.id).at(-1)!.text).toMatch(/^ℹ️ Ինչպես աշխատել/);
  });
});

describe('50 simultaneous claims', () => {
  it('through the bot: one winner, and everyone else is told who has it', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:00:00Z'), text: 'Աղբամանները լցված են' });
    await h.service.ctx.producers.sendCard(inquiry.id);
    const card = await h.card(inquiry.id);
    const presses = agents.map((a) => h.fake.callbackQueryUpdate({ from: a, message: card, buttonText: '✋ Վերցնել' }));
    const statuses = await Promise.all(presses.map((u) => h.fake.deliverToWebhook(u)));
    expect(statuses.every((s) => s.status === 200)).toBe(true);

    const row = await h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('claimed');
    const winner = await h.tdb.db.selectFrom('staff').selectAll().where('id', '=', row.claimedBy!).executeTakeFirstOrThrow();
    const claims = await h.tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', inquiry.id).where('type', '=', 'claimed').execute();
    expect(claims).toHaveLength(1);
    expect(claims[0]!.actorStaffId).toBe(winner.id);

    const answers = h.fake.callbackAnswers.filter((a) => presses.some((p) => (p as { callback_query: { id: string } }).callback_query.id === a.callbackQueryId));
    expect(answers).toHaveLength(50);
    const texts = answers.map((a) => a.text);
    expect(texts.filter((t) => t === `✅ Դուք վերցրիք #${inquiry.id} հարցը`)).toHaveLength(1);
    expect(texts.filter((t) => t === `Այս հարցով արդեն զբաղվում է ${winner.name}ը`)).toHaveLength(49);
    await h.card(inquiry.id, (c) => c.text.includes(`🙋 Վերցրեց՝ ${winner.name}`));
    expect(h.fake.sent(STAFF_CHAT_ID)).toHaveLength(1);
  });

  it('through the service: exactly one of 50 concurrent claims succeeds', async () => {
    const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date('2026-11-28T08:05:00Z') });
    const staff = await h.tdb.db.selectFrom('staff').selectAll().where('role', '=', 'agent').orderBy('id').limit(50).execute();
    const now = new Date('2026-11-28T09:00:00Z');
    const outcomes = await Promise.all(staff.map((s) => claimInquiry({ db: h.tdb.db, producers: h.service.ctx.producers }, { inquiryId: inquiry.id, staff: s, now })));
    const won = outcomes.filter((o) => o.ok);
    expect(won).toHaveLength(1);
    const holder = won[0]!.inquiry.claimedBy;
    for (const o of outcomes.filter((x) => !x.ok)) expect(o).toMatchObject({ ok: false, reason: 'taken', holder: { id: holder } });
  });
});
