/**
 * The whole path in one test, through the real composition (startService
 * with DEFAULT_PARTS: the Facebook connector with its `reply.deliver`
 * worker, and the Telegram part), the real Graph SDK against the Graph API
 * stand-in and the real telegraf against the Bot API stand-in: a Facebook
 * comment arrives by a signed webhook, its card appears, a staff member
 * claims it, replies to the card, confirms; the stand-in Graph API gets the
 * answer under that comment, the card ends as "answered by … in …" and the
 * author is told privately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebookJson, hubSignature, TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { eventTypes, insertStaffMember, people } from '../factories/staff.factory.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { STAFF_CHAT_ID, createTestClock, startBotHarness, type BotHarness } from '../support/bot-harness.js';

const postedAt = new Date('2026-11-27T07:05:00Z'); // Friday 11:05 in Yerevan
const clock = createTestClock(new Date('2026-11-27T07:06:00Z'));
let graph: GraphApiFake;
let h: BotHarness;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN }, now: clock.now });
  h = await startBotHarness({
    clock,
    http: true,
    env: {
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

describe('the whole path', () => {
  it('a Facebook comment → card → claim → reply → confirm → published under the comment → card "answered by … in …"', async () => {
    const question = 'Բարև ձեզ 👋 Կոմիտասի 12 շենքում <b>երեք</b> օր է ջուր չկա & ոչ ոք չի պատասխանում 😡';
    const post = graph.seedPost({ message: 'Ջրամատակարարման աշխատանքներ', created_time: new Date('2026-11-26T08:00:00Z') });
    const comment = graph.addComment({ postId: post.id, message: question, from: { id: '7500000000000001', name: 'Լուսինե Ավագյան' }, created_time: postedAt });

    // 1. Facebook delivers the comment to our webhook, signed.
    const body = facebookJson(
      feedCommentPayload({ commentId: comment.id, postId: post.id, message: question, createdTime: postedAt, from: { id: '7500000000000001', name: 'Լուսինե Ավագյան' } }),
    );
    const hook = await fetch(`${h.service.address}/webhooks/facebook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(body) },
      body,
    });
    expect(hook.status).toBe(200);

    // 2. Its card appears in the staff group, the citizen's text exactly as written.
    let inquiryId: number | undefined;
    await expect.poll(async () => (inquiryId = (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', comment.id).executeTakeFirst())?.id), { timeout: 15_000 }).toBeDefined();
    let card = await h.card(inquiryId!);
    expect(card.text).toContain(question);
    expect(card.text).toContain('👤 Լուսինե Ավագյան · 11:05');

    // 3. A staff member claims it…
    clock.set(new Date('2026-11-27T07:30:00Z'));
    await h.press(people.ani, card, { text: '✋ Վերցնել' });
    card = await h.card(inquiryId!, (c) => c.text.includes('🙋 Վերցրեց՝ Անի Պետրոսյան, 11:30'));

    // 4. …replies to the card, and confirms the preview.
    const answer = 'Բարև ձեզ, Լուսինե։ Վթարը վերացված է, ջուրը կմիացվի այսօր՝ 18:00-ին։ Ներողություն անհարմարության համար 🙏';
    await h.write(people.ani, answer, { chat: STAFF_CHAT_ID, replyTo: card.messageId });
    const preview = h.fake.lastSent(STAFF_CHAT_ID)!;
    expect(preview.text).toContain(answer);
    clock.set(new Date('2026-11-27T08:17:00Z'));
    await h.press(people.ani, preview, { text: '📢 Հրապարակել' });

    // 5. The Graph API receives the answer under that comment.
    await expect.poll(() => graph.commentsOn(comment.id).filter((c) => c.from?.id === PAGE_ID).map((c) => c.message), { timeout: 15_000 }).toEqual([answer]);

    // 6. The card ends as "answered by … in …" (11:05 → 12:17), and the author is told privately.
    card = await h.card(inquiryId!, (c) => c.text.startsWith('✅'));
    expect(card.text).toContain('✅ Պատասխանեց՝ Անի Պետրոսյան · 1 ժ 12 ր-ում · հանրային պատասխան Facebook-ում');
    expect(card.buttons.map((r) => r.map((b) => b.text))).toEqual([['🏷 Ոլորտ']]);
    await expect.poll(() => h.privateMessages(people.ani.id).at(-1)?.text, { timeout: 10_000 }).toBe(`✅ Ձեր պատասխանը #${inquiryId} հարցին հրապարակվեց Facebook-ում։`);

    const inquiry = await h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiryId!).executeTakeFirstOrThrow();
    expect(inquiry).toMatchObject({ status: 'closed', answeredVia: 'telegram' });
    expect(inquiry.firstResponseAt!.toISOString()).toBe('2026-11-27T08:17:00.000Z');
    const types = await eventTypes(h.tdb.db, inquiryId!);
    expect(types.slice(0, 5)).toEqual(['ingested', 'card_sent', 'claimed', 'answer_drafted', 'reply_created']);
    expect(types).toContain('answered');
    expect(h.fake.sent(STAFF_CHAT_ID).filter((m) => m.text.includes(`#${inquiryId} `) && m.text.includes('Facebook · մեկնաբանություն'))).toHaveLength(1);
  });
});
