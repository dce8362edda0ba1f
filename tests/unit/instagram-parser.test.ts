import { describe, expect, it } from 'vitest';
import { instagramModuleOf } from '../../src/connectors/instagram/instagram.module.js';
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
