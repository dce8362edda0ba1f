/**
 * A mention whose text is read after it was taken in (its webhook gives
 * only ids) is grouped like any other question once its text is known: when
 * others are asking about the same thing, it joins their wave, and the
 * wave's one card counts it. Real service, real Graph SDK against the Graph
 * stand-in, real telegraf against the Bot API stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_APP_SECRET, TEST_PAGE_TOKEN, TEST_VERIFY_TOKEN } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igMentionPayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';

const IG = { id: IG_ACCOUNT_ID, username: 'vanadzor.city' };
const MINUTE = 60_000;

let graph: GraphApiFake;
let h: BotHarness;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN }, instagram: IG });
  h = await startBotHarness({
    env: {
      WAVES: 'on',
      WAVE_CARD_EVERY_SECONDS: '1',
      FACEBOOK_PAGE_ID: PAGE_ID,
      FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN,
      FACEBOOK_APP_SECRET: TEST_APP_SECRET,
      FACEBOOK_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
      INSTAGRAM_ACCOUNT_ID: IG.id,
      GRAPH_API_URL: graph.url,
      FACEBOOK_POLL_EVERY: 'off',
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await graph?.close();
});

async function waveOf(inquiryId: number): Promise<number | undefined> {
  return (await h.tdb.db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', inquiryId).executeTakeFirst())?.waveId;
}

async function inquiryId(externalId: string): Promise<number> {
  let id: number | undefined;
  await expect.poll(async () => (id = (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', externalId).executeTakeFirst())?.id), { timeout: 15_000 }).toBeDefined();
  return id!;
}

describe('a mention about what others are asking', () => {
  it('joins their wave once its text is read', async () => {
    const post = graph.seedPost({ message: 'Ջրամատակարարման մասին', created_time: new Date(Date.now() - 60 * MINUTE) });
    const texts = ['Շենգավիթում ջուր չկա', 'В Шенгавите нет воды', 'Shengavitum jur chka'];
    const ids: number[] = [];
    for (const [i, text] of texts.entries()) {
      const at = new Date(Date.now() - (10 - i) * MINUTE);
      const from = { id: `750000000009${i}`, name: `Քաղաքացի ${i}` };
      const c = graph.addComment({ postId: post.id, message: text, from, created_time: at });
      await h.ingest(feedCommentPayload({ commentId: c.id, postId: post.id, message: text, createdTime: at, from }));
      ids.push(await inquiryId(c.id));
    }
    await expect.poll(() => waveOf(ids[2]!), { timeout: 15_000 }).toBeDefined();
    const waveId = (await waveOf(ids[0]!))!;

    // Someone tags the city under their own post, about the same outage.
    const owner = { id: '1254459154689031', username: 'shengavit.news' };
    const media = graph.seedForeignIgMedia({ owner, caption: 'Թաղամասի լուրեր', created_time: new Date(Date.now() - 60 * MINUTE) });
    const citizen = { id: '1254459154689032', username: 'gayane.m' };
    const comment = graph.addIgComment({ mediaId: media.id, text: '@vanadzor.city Շենգավիթում ջուր չկա արդեն երեք ժամ', from: citizen, created_time: new Date(Date.now() - 2 * MINUTE) });
    await h.ingest(igMentionPayload({ mediaId: media.id, commentId: comment.id, at: new Date(Date.now() - MINUTE) }));
    const mentionId = await inquiryId(comment.id);

    await expect.poll(() => waveOf(mentionId), { timeout: 20_000 }).toBe(waveId);
    const joined = await h.tdb.db.selectFrom('events').select('type').where('inquiryId', '=', mentionId).where('type', '=', 'wave_joined').execute();
    expect(joined).toHaveLength(1);
  }, 90_000);
});
