/**
 * Hiding an abusive Instagram comment from its card: the whole bot (the
 * Bot API stand-in) and the Instagram connector (the Graph API stand-in).
 * An agent's press is refused; a supervisor's hides the comment on
 * Instagram and records `comment_hidden` with its actor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { IG_ACCOUNT_ID, igCommentPayload } from '../../src/stand-ins/instagram-webhook-payloads.js';
import { TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { eventTypes, insertStaffMember, people } from '../factories/staff.factory.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';

let h: BotHarness;
let graph: GraphApiFake;

beforeAll(async () => {
  graph = await startGraphApiFake({ page: { id: PAGE_ID, name: 'City Hall', accessToken: TEST_PAGE_TOKEN }, instagram: { id: IG_ACCOUNT_ID, username: 'vanadzor.city' } });
  h = await startBotHarness({
    env: { FACEBOOK_PAGE_ACCESS_TOKEN: TEST_PAGE_TOKEN, INSTAGRAM_ACCOUNT_ID: IG_ACCOUNT_ID, GRAPH_API_URL: graph.url, FACEBOOK_POLL_EVERY: 'off' },
  });
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.boss, 'supervisor');
}, 60_000);

afterAll(async () => {
  await h?.close();
  await graph?.close();
});

describe('hiding an Instagram comment from its card', () => {
  it('an agent may not; a supervisor hides it on Instagram, recorded with the actor', async () => {
    const at = new Date(Date.now() - 60_000);
    const media = graph.seedIgMedia({ caption: 'Քաղաքային այգի', created_time: new Date(Date.now() - 86_400_000) });
    const from = { id: '1254459154682977', username: 'troll_42' };
    const comment = graph.addIgComment({ mediaId: media.id, text: 'Վիրավորական խոսքեր քաղաքապետարանի հասցեին', from, created_time: at });
    await h.ingest(igCommentPayload({ commentId: comment.id, mediaId: media.id, text: comment.text, from, at }));
    await expect.poll(async () => (await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', comment.id).executeTakeFirst())?.id, { timeout: 15_000 }).toBeDefined();
    const { id } = await h.tdb.db.selectFrom('inquiries').select('id').where('externalId', '=', comment.id).executeTakeFirstOrThrow();
    const card = await h.card(id);

    const denied = await h.press(people.ani, card, { data: `hc:${id}`, unchecked: true });
    expect(denied?.text).toBeDefined();
    expect(graph.igComment(comment.id)!.hidden).toBe(false);

    const hidden = await h.press(people.boss, card, { text: '🙈 Թաքցնել մեկնաբանությունը' });
    expect(hidden?.text).toMatch(new RegExp(`#${id}`));
    expect(graph.igComment(comment.id)!.hidden).toBe(true);
    expect(await eventTypes(h.tdb.db, id)).toContain('comment_hidden');
    const event = await h.tdb.db.selectFrom('events').selectAll().where('inquiryId', '=', id).where('type', '=', 'comment_hidden').executeTakeFirstOrThrow();
    expect(event.actorKind).toBe('staff');
  }, 60_000);
});
