import { describe, expect, it } from 'vitest';
import { createInstagramConnector } from '../../src/connectors/instagram/instagram.connector.js';
import { instagramModuleOf } from '../../src/connectors/instagram/instagram.module.js';
import { parseInstagramPollPayload } from '../../src/connectors/instagram/poll-payload.js';
import { GraphApiError } from '../../src/connectors/meta/graph-errors.js';
import { parseInstagramWebhook, InstagramPayloadError } from '../../src/connectors/instagram/webhook-parser.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { IG_ACCOUNT_ID, igCommentPayload, igMentionPayload, igMessagePayload } from '../../src/stand-ins/instagram-webhook-payloads.js';

const at = new Date('2026-12-01T10:00:00Z');

describe('Instagram webhook parser', () => {
  it('reads a comment, a reply to a comment and the account\'s own reply', () => {
    const [comment] = parseInstagramWebhook(igCommentPayload({ commentId: '17870913679156914', mediaId: '17895695668004550', text: 'Ջուր չկա', from: { id: '1254459154682919', username: 'anna.h' }, at }));
    expect(comment).toMatchObject({ type: 'citizen_item', platform: 'instagram', accountId: IG_ACCOUNT_ID, kind: 'comment', externalId: '17870913679156914', threadId: '17895695668004550', parentId: null, authorId: '1254459154682919', authorName: 'anna.h', text: 'Ջուր չկա', postedAt: at });
    const [reply] = parseInstagramWebhook(igCommentPayload({ commentId: '17870913679156915', parentId: '17870913679156914', mediaId: '17895695668004550', text: 'ու լույս', from: { id: '1254459154682920', username: 'ara' }, at }));
    expect(reply).toMatchObject({ type: 'citizen_item', parentId: '17870913679156914' });
    const [own] = parseInstagramWebhook(igCommentPayload({ commentId: '17870913679156916', parentId: '17870913679156914', mediaId: '17895695668004550', text: 'Կստուգենք', from: { id: IG_ACCOUNT_ID, username: 'city' }, at }));
    expect(own).toMatchObject({ type: 'page_answer', externalId: '17870913679156916', inReplyToExternalId: '17870913679156914' });
  });

  it('reads a mention, DMs and echoes; an echo sent through an app is marked', () => {
    expect(parseInstagramWebhook(igMentionPayload({ mediaId: '17918195224117851', commentId: '17894227972186120', at }))[0]).toMatchObject({ type: 'citizen_item', kind: 'mention', externalId: '17894227972186120', threadId: '17918195224117851' });
    expect(parseInstagramWebhook(igMessagePayload({ mid: 'aWdfZAG1faXRlbTox', igsid: '1254459154682919', text: 'Բարև', at }))[0]).toMatchObject({ type: 'citizen_item', kind: 'message', threadId: '1254459154682919', authorId: '1254459154682919' });
    expect(parseInstagramWebhook(igMessagePayload({ mid: 'aWdfZAG1faXRlbToy', igsid: '1254459154682919', text: 'Պատասխան', at, echo: true }))[0]).toMatchObject({ type: 'page_answer', recipientId: '1254459154682919' });
    expect(parseInstagramWebhook(igMessagePayload({ mid: 'aWdfZAG1faXRlbToz', igsid: '1254459154682919', text: 'auto', at, echo: true, appId: '1234567890' }))[0]).toMatchObject({ type: 'page_answer', sentByApp: { appId: '1234567890' } });
  });

  it('reads item by item: a broken change is ignored, the others go on; a non-Instagram body throws', () => {
    const payload = igCommentPayload({ commentId: '1', mediaId: '2', text: 'ok', from: { id: '3', username: 'u' }, at }) as unknown as { entry: Array<{ changes: unknown[] }> };
    payload.entry[0]!.changes.unshift({ field: 'comments', value: { text: 5 } }, { field: 'story_insights', value: {} });
    const items = parseInstagramWebhook(payload);
    expect(items.map((i) => i.type)).toEqual(['ignored_item', 'ignored_item', 'citizen_item']);
    expect(items[0]).toMatchObject({ reason: 'not_understood' });
    expect(items[1]).toMatchObject({ reason: 'unsupported', kind: 'story_insights' });
    expect(() => parseInstagramWebhook({ object: 'page', entry: [] })).toThrow(InstagramPayloadError);
  });

  it('the registry hands Instagram deliveries stored by the Page endpoint to the Instagram module', () => {
    const registry = createConnectorRegistry([facebookModuleOf(), instagramModuleOf()]);
    const items = registry.parse('facebook', igCommentPayload({ commentId: '1', mediaId: '2', text: 'ok', from: { id: '3', username: 'u' }, at }));
    expect(items[0]).toMatchObject({ platform: 'instagram', type: 'citizen_item' });
  });
});

describe('Instagram poll batches: the account\'s media', () => {
  it('become published posts with their time and kind; one without a time is an ignored item, the others go on', () => {
    const items = parseInstagramPollPayload({
      source: 'poll',
      platform: 'instagram',
      accountId: IG_ACCOUNT_ID,
      polledAt: at.toISOString(),
      items: [
        { kind: 'media', media: { id: '17895695668004550', timestamp: '2017-08-31T18:10:00+0000', media_type: 'IMAGE', media_product_type: 'FEED', permalink: 'https://www.instagram.com/p/Ca1b2C3d4E5/' } },
        { kind: 'media', media: { id: '17895695668004551', timestamp: '2017-09-01T08:00:00+0000', media_type: 'VIDEO', media_product_type: 'REELS' } },
        { kind: 'media', media: { id: '17895695668004552', timestamp: '2017-09-02T08:00:00+0000', media_type: 'CAROUSEL_ALBUM', media_product_type: 'FEED' } },
        { kind: 'media', media: { id: '17895695668004553' } as never },
      ],
    });
    expect(items.slice(0, 3)).toEqual([
      { type: 'page_post', platform: 'instagram', accountId: IG_ACCOUNT_ID, externalId: '17895695668004550', postedAt: new Date('2017-08-31T18:10:00Z'), postKind: 'photo' },
      { type: 'page_post', platform: 'instagram', accountId: IG_ACCOUNT_ID, externalId: '17895695668004551', postedAt: new Date('2017-09-01T08:00:00Z'), postKind: 'reel' },
      { type: 'page_post', platform: 'instagram', accountId: IG_ACCOUNT_ID, externalId: '17895695668004552', postedAt: new Date('2017-09-02T08:00:00Z'), postKind: 'album' },
    ]);
    expect(items[3]).toMatchObject({ type: 'ignored_item', reason: 'not_understood', path: 'items[3]' });
  });
});

describe('Instagram connector: plans and Graph errors', () => {
  const quiet = { child: () => quiet, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } as unknown as import('../../src/observability/logger.js').Logger;
  const connector = createInstagramConnector({ graph: { timeoutMs: 1000 } as never, accountId: IG_ACCOUNT_ID, pageId: 'me', lookbackDays: 14, logger: quiet });
  const error = (code: number, subcode?: number, httpStatus = 400) =>
    new GraphApiError({ method: 'POST', endpoint: '{id}/messages', httpStatus, code, subcode, type: 'OAuthException', graphMessage: 'refused', fbtraceId: undefined, userTitle: undefined, userMessage: undefined, usage: undefined, isTransientFlag: false });

  it('classifies 190, 368, rate limits and the closed window as on Facebook, in Instagram words', () => {
    expect(connector.classifyError(error(190, 463))).toMatchObject({ action: 'pause_source' });
    expect(connector.classifyError(error(368))).toMatchObject({ action: 'pause_publishing' });
    for (const code of [4, 17, 32, 613]) expect(connector.classifyError(error(code))).toMatchObject({ action: 'slow_down' });
    expect(connector.classifyError(error(10, 2534022), { channel: 'messenger', target: '1' })).toMatchObject({ action: 'fail', reason: { code: 'message_window_refused', params: { platform: 'instagram' } } });
    expect(connector.classifyError(error(10900), { channel: 'private_reply', target: '1' })).toMatchObject({ action: 'look_up', reason: { code: 'private_reply_used', params: { platform: 'instagram' } } });
    expect(connector.classifyError(error(200), { channel: 'comment_reply', target: '1' })).toMatchObject({
      action: 'fail',
      reason: { code: 'permission_missing', params: { platform: 'instagram', permission: 'instagram_manage_comments', use: 'comment_reply', graphCode: 200, graphMessage: 'refused' } },
    });
  });

  it('plans DMs by the windows', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const target = (hoursAgo: number, kind: 'message' | 'mention' = 'message') => ({
      kind,
      externalId: 'm1',
      parentId: null,
      threadId: '6723094128839211',
      authorId: '6723094128839211',
      postedAt: new Date(now.getTime() - hoursAgo * 3_600_000),
      lastCitizenAt: new Date(now.getTime() - hoursAgo * 3_600_000),
    });
    expect(connector.planReply(target(2), 'public', now)).toMatchObject({ ok: true, plan: { channel: 'messenger', messagingType: 'RESPONSE' } });
    expect(connector.planReply(target(30), 'public', now)).toMatchObject({ ok: true, plan: { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } });
    expect(connector.planReply(target(8 * 24), 'public', now)).toEqual({ ok: false, reason: { code: 'dm_window_closed', params: { platform: 'instagram', ageDays: 8 } } });
  });

  it('plans the answer to a mention where it was made (POST /{ig-user-id}/mentions): under the comment, or on the media for a caption', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const mention = (externalId: string, threadId: string | null) => ({ kind: 'mention' as const, externalId, parentId: null, threadId, authorId: null, postedAt: now, lastCitizenAt: now });
    expect(connector.planReply(mention('17894227972186120', '17918195224117851'), 'public', now)).toEqual({
      ok: true,
      plan: { channel: 'mention_reply', target: '17894227972186120', mediaId: '17918195224117851' },
    });
    expect(connector.planReply(mention('17918195224117851', '17918195224117851'), 'public', now)).toEqual({
      ok: true,
      plan: { channel: 'mention_reply', target: '17918195224117851', mediaId: '17918195224117851' },
    });
    // Instagram has no private answer to a mention; without its media there is nowhere to answer.
    expect(connector.planReply(mention('17894227972186120', '17918195224117851'), 'private', now)).toEqual({ ok: false, reason: { code: 'mention_no_private_answer', params: { platform: 'instagram' } } });
    expect(connector.planReply(mention('17894227972186120', null), 'public', now)).toEqual({ ok: false, reason: { code: 'mention_media_unknown', params: { platform: 'instagram' } } });
    expect(connector.maxTextLength('mention_reply')).toBe(2200);
  });
});
