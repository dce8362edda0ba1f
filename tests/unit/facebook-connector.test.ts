/**
 * The Facebook connector's pure parts: webhook signatures, the poll payload
 * parser (same items as the webhook parser), the reply plan (Messenger and
 * private-reply windows) and what each Graph error means. No network: the
 * Graph client below points at a closed port and is never called.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { ReplyTarget } from '../../src/connectors/connector.js';
import { createFacebookConnector } from '../../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../../src/connectors/facebook/graph-client.js';
import { GraphApiError, GraphHttpError } from '../../src/connectors/meta/graph-errors.js';
import { parseFacebookInbound } from '../../src/connectors/facebook/inbound-parser.js';
import { pollBatchKey, type FacebookPollPayload, type PollItem } from '../../src/connectors/facebook/poll-payload.js';
import { WebhookPayloadError } from '../../src/connectors/facebook/webhook-parser.js';
import { constantTimeEquals, isValidWebhookSignature, signWebhookBody } from '../../src/connectors/meta/webhook-signature.js';
import { createHttpServer } from '../../src/http/server.js';
import { facebookWebhookRoutes } from '../../src/http/webhooks/facebook.webhook.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { facebookJson, hubSignature, TEST_APP_SECRET } from '../factories/facebook-fixtures.js';
import { feedCommentPayload, messengerPayload, PAGE_ID } from '../factories/facebook-payloads.js';
import { silentLogger } from '../support/test-env.js';
import type { FailureReason } from '../../src/domain/failure-reason.js';
import { failureReasonText } from '../../src/domain/failure-reason-text.js';

const T0 = new Date('2026-11-28T10:00:00Z');
/** A refusal's English sentence (what `replies.failure_reason` keeps). */
const english = (refused: unknown) => failureReasonText((refused as { reason: FailureReason }).reason, 'en');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const connector = createFacebookConnector({
  graph: createGraphClient({ baseUrl: 'http://127.0.0.1:1', accessToken: 'EAAunusedTokenForUnitTests000', logger: silentLogger() }),
  pageId: PAGE_ID,
  lookbackDays: 14,
  logger: silentLogger(),
});

function apiError(code: number, extra: Partial<ConstructorParameters<typeof GraphApiError>[0]> = {}): GraphApiError {
  return new GraphApiError({
    method: 'POST',
    endpoint: '{id}/comments',
    httpStatus: 400,
    code,
    subcode: undefined,
    type: 'OAuthException',
    graphMessage: `(#${code}) something`,
    fbtraceId: 'AbCdEf',
    isTransientFlag: false,
    userTitle: undefined,
    userMessage: undefined,
    usage: undefined,
    ...extra,
  });
}

describe('X-Hub-Signature-256', () => {
  const body = facebookJson({ object: 'page', entry: [{ id: PAGE_ID, changes: [{ field: 'feed', value: { message: 'Բարև' } }] }] });

  it('accepts the signature of the exact bytes and nothing else', () => {
    expect(isValidWebhookSignature(Buffer.from(body), hubSignature(body), TEST_APP_SECRET)).toBe(true);
    expect(signWebhookBody(body, TEST_APP_SECRET)).toBe(hubSignature(body));
    expect(isValidWebhookSignature(Buffer.from(JSON.stringify(JSON.parse(body))), hubSignature(body), TEST_APP_SECRET)).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), hubSignature(body, 'another-secret'), TEST_APP_SECRET)).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), undefined, TEST_APP_SECRET)).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), 'sha256=zz', TEST_APP_SECRET)).toBe(false);
    expect(isValidWebhookSignature(Buffer.from(body), hubSignature(body).toUpperCase().replace('SHA256', 'sha256'), TEST_APP_SECRET)).toBe(true);
  });

  it('compares verify tokens exactly', () => {
    expect(constantTimeEquals('abc-123', 'abc-123')).toBe(true);
    expect(constantTimeEquals('abc-123', 'abc-12')).toBe(false);
    expect(constantTimeEquals('', 'x')).toBe(false);
  });

  it('the route refuses unsigned bodies of any content type with 401, and leaves other routes their JSON parser', async () => {
    const app = await createHttpServer({
      logger: silentLogger(),
      metrics: createMetrics({ defaultMetrics: false }),
      readiness: [],
      routes: [
        facebookWebhookRoutes({
          // Never reached: unsigned requests stop before storing.
          db: undefined as never,
          producers: { ingest: async () => undefined },
          logger: silentLogger(),
          appSecret: TEST_APP_SECRET,
          verifyToken: 'verify-token-unit',
        }),
        (scope) => {
          scope.post('/echo', async (req) => ({ body: req.body }));
        },
      ],
    });
    try {
      for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/json' }]) {
        const response = await app.inject({ method: 'POST', url: '/webhooks/facebook', headers, payload: '{"object":"page","entry":[]}' });
        expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      }
      const echo = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
      expect(echo.json()).toEqual({ body: { a: 1 } });
    } finally {
      await app.close();
    }
  });
});

describe('poll payloads', () => {
  const postId = `${PAGE_ID}_900000000000001`;
  const created = new Date('2026-11-20T08:15:00Z');
  const graphTime = '2026-11-20T08:15:00+0000';

  it('give the same citizen and page items as the webhook for the same comment and message', () => {
    const citizen = { id: '7000000000000001', name: 'Անի Պետրոսյան' };
    const items: PollItem[] = [
      { kind: 'comment', postId, comment: { id: '900000000000001_111', message: 'Ջուր չկա', created_time: graphTime, from: citizen } },
      { kind: 'comment', postId, comment: { id: '900000000000001_112', message: 'Կվերականգնվի', created_time: graphTime, from: { id: PAGE_ID, name: 'Page' }, parent: { id: '900000000000001_111' } } },
      { kind: 'message', conversationId: 't_1', participantId: '5550001', message: { id: 'm_1', message: 'Բարև', created_time: graphTime, from: { id: '5550001', name: 'Արամ' } } },
      { kind: 'message', conversationId: 't_1', participantId: '5550001', message: { id: 'm_2', message: 'Լսում ենք', created_time: graphTime, from: { id: PAGE_ID } } },
      { kind: 'post', post: { id: postId, created_time: graphTime, from: { id: PAGE_ID } } },
    ];
    const payload: FacebookPollPayload = { source: 'poll', pageId: PAGE_ID, polledAt: T0.toISOString(), items };
    const polled = parseFacebookInbound(JSON.parse(JSON.stringify(payload)));

    const hooked = [
      ...parseFacebookInbound(feedCommentPayload({ commentId: '900000000000001_111', postId, message: 'Ջուր չկա', createdTime: created, from: citizen })),
      ...parseFacebookInbound(feedCommentPayload({ commentId: '900000000000001_112', postId, parentId: '900000000000001_111', message: 'Կվերականգնվի', createdTime: created, from: { id: PAGE_ID, name: 'Page' } })),
      ...parseFacebookInbound(messengerPayload({ mid: 'm_1', senderId: '5550001', text: 'Բարև', at: created })),
      ...parseFacebookInbound(messengerPayload({ mid: 'm_2', senderId: '5550001', text: 'Լսում ենք', at: created, echo: true })),
    ];
    const comparable = (item: object) => {
      const { authorName: _n, permalink: _p, ...rest } = item as Record<string, unknown>;
      return rest;
    };
    expect(polled.slice(0, 4).map(comparable)).toEqual(hooked.map(comparable));
    expect(polled[4]).toEqual({ type: 'page_post', platform: 'facebook', accountId: PAGE_ID, externalId: postId, postedAt: created });
    expect(polled[1]).toMatchObject({ type: 'page_answer', inReplyToExternalId: '900000000000001_111', text: 'Կվերականգնվի' });
  });

  it('have a dedup key made of their items, whatever the order', () => {
    const a: PollItem = { kind: 'post', post: { id: 'p1', created_time: graphTime } };
    const b: PollItem = { kind: 'post', post: { id: 'p2', created_time: graphTime } };
    expect(pollBatchKey(PAGE_ID, [a, b])).toBe(pollBatchKey(PAGE_ID, [b, a]));
    expect(pollBatchKey(PAGE_ID, [a])).not.toBe(pollBatchKey(PAGE_ID, [a, b]));
    expect(pollBatchKey(PAGE_ID, [a])).toMatch(new RegExp(`^fb:poll:${PAGE_ID}:[0-9a-f]{40}$`));
  });

  it('a webhook comment that is only a photo is kept as [photo], and page answers carry their text', () => {
    const payload = feedCommentPayload({ commentId: '900000000000001_113', postId, message: '', createdTime: created });
    (payload.entry[0]!.changes[0]!.value as Record<string, unknown>).photo = 'https://scontent.xx.fbcdn.net/v/t39/photo.jpg';
    expect(parseFacebookInbound(payload)).toMatchObject([{ type: 'citizen_item', text: '[photo]' }]);
    const echo = parseFacebookInbound(messengerPayload({ mid: 'm_3', senderId: '5550001', text: 'Պատասխան', at: created, echo: true }));
    expect(echo).toMatchObject([{ type: 'page_answer', text: 'Պատասխան', recipientId: '5550001' }]);
  });

  it('that are not poll batches fail for good; an item that cannot be read is an ignored item, alone', () => {
    expect(() => parseFacebookInbound({ source: 'poll', pageId: PAGE_ID, items: 'nothing' })).toThrow(WebhookPayloadError);
    const items = parseFacebookInbound({
      source: 'poll',
      pageId: PAGE_ID,
      items: [{ kind: 'comment' }, { kind: 'comment', postId, comment: { id: '900000000000001_114', message: 'Ջուր չկա', created_time: graphTime } }],
    });
    expect(items).toMatchObject([
      { type: 'ignored_item', platform: 'facebook', reason: 'not_understood', path: 'items[0]', accountId: PAGE_ID },
      { type: 'citizen_item', externalId: '900000000000001_114', accountId: PAGE_ID },
    ]);
  });

  it('read the attachments of comments and messages: the same kinds and markers as the webhook', () => {
    const citizen = { id: '7000000000000001', name: 'Անի Պետրոսյան' };
    const image = 'https://scontent.xx.fbcdn.net/v/t39/115.jpg';
    const video = 'https://video.xx.fbcdn.net/v/t42/116.mp4';
    const polled = parseFacebookInbound({
      source: 'poll',
      pageId: PAGE_ID,
      polledAt: T0.toISOString(),
      items: [
        { kind: 'comment', postId, comment: { id: '1_115', message: 'Տեսեք', created_time: graphTime, from: citizen, attachment: { type: 'photo', media: { image: { src: image } }, url: 'https://www.facebook.com/photo.php?fbid=115' } } },
        { kind: 'comment', postId, comment: { id: '1_116', created_time: graphTime, from: citizen, attachment: { type: 'video_inline', media: { source: video, image: { src: image } } } } },
        { kind: 'message', conversationId: 't_1', participantId: '5550001', message: { id: 'm_117', created_time: graphTime, from: { id: '5550001' }, attachments: { data: [{ mime_type: 'audio/mpeg', file_url: 'https://cdn.fbsbx.com/v/117.mp3' }] } } },
        { kind: 'message', conversationId: 't_1', participantId: '5550001', message: { id: 'm_118', created_time: graphTime, from: { id: '5550001' }, sticker: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/118.png' } },
      ],
    });
    const hooked = [
      ...parseFacebookInbound(feedCommentPayload({ commentId: '1_115', postId, message: 'Տեսեք', createdTime: created, from: citizen, photo: image })),
      ...parseFacebookInbound(feedCommentPayload({ commentId: '1_116', postId, message: '', createdTime: created, from: citizen, video })),
      ...parseFacebookInbound(messengerPayload({ mid: 'm_117', senderId: '5550001', text: '', at: created, attachments: [{ type: 'audio', payload: { url: 'https://cdn.fbsbx.com/v/117.mp3' } }] })),
      ...parseFacebookInbound(
        messengerPayload({ mid: 'm_118', senderId: '5550001', text: '', at: created, attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t39.1997-6/118.png', sticker_id: 369239263222822 } }] }),
      ),
    ];
    const shape = (i: object) => {
      const { text, attachments } = i as { text: string; attachments: Array<{ kind: string }> };
      return { text, kinds: attachments.map((a) => a.kind) };
    };
    expect(polled.map(shape)).toEqual([
      { text: 'Տեսեք [photo]', kinds: ['photo'] },
      { text: '[video]', kinds: ['video'] },
      { text: '[audio]', kinds: ['audio'] },
      { text: '[sticker]', kinds: ['sticker'] },
    ]);
    expect(hooked.map(shape)).toEqual(polled.map(shape));
    expect(polled[0]).toMatchObject({ attachments: [{ kind: 'photo', url: image }] });
    expect(polled[1]).toMatchObject({ attachments: [{ kind: 'video', url: video }] });
  });
});

describe('webhook payloads, item by item', () => {
  it("name the Page each item was delivered for, take the legacy sender_id, and tell the Page's own comment from a citizen's", () => {
    const items = parseFacebookInbound({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: '1795800000',
          changes: [
            { field: 'feed', value: { item: 'comment', verb: 'add', sender_id: 7000000000000009, sender_name: 'Արամ', comment_id: '1_2', post_id: `${PAGE_ID}_1`, parent_id: `${PAGE_ID}_1`, created_time: '1795800000', message: 'Ե՞րբ' } },
            { field: 'feed', value: { item: 'comment', verb: 'add', sender_id: Number(PAGE_ID), sender_name: 'Page', comment_id: '1_3', post_id: `${PAGE_ID}_1`, parent_id: '1_2', created_time: 1795800600, message: 'Վաղը' } },
          ],
        },
      ],
    });
    expect(items).toMatchObject([
      { type: 'citizen_item', accountId: PAGE_ID, authorId: '7000000000000009', authorName: 'Արամ', postedAt: new Date(1795800000 * 1000) },
      { type: 'page_answer', accountId: PAGE_ID, externalId: '1_3', inReplyToExternalId: '1_2', answeredAt: new Date(1795800600 * 1000) },
    ]);
  });

  it('carry what the echo says about the app that sent it: none for the Page inbox, the app and its metadata otherwise', () => {
    const at = new Date('2026-11-20T08:15:00Z');
    const [inbox] = parseFacebookInbound(messengerPayload({ mid: 'm_1', senderId: '5550001', text: 'Բարև', at, echo: true }));
    const [bot] = parseFacebookInbound(messengerPayload({ mid: 'm_2', senderId: '5550001', text: 'Menu', at, echo: true, appId: 1517776481860111, metadata: 'flow-7' }));
    const [noApp] = parseFacebookInbound(messengerPayload({ mid: 'm_3', senderId: '5550001', text: 'Բարև', at, echo: true, appId: null }));
    expect(inbox).toMatchObject({ type: 'page_answer' });
    expect(inbox).not.toHaveProperty('sentByApp');
    expect(bot).toMatchObject({ type: 'page_answer', sentByApp: { appId: '1517776481860111', metadata: 'flow-7' } });
    expect(noApp).not.toHaveProperty('sentByApp');
  });
});

describe('reply plans', () => {
  const message = (lastCitizenAt: Date): ReplyTarget => ({
    kind: 'message',
    externalId: 'm_1',
    parentId: null,
    threadId: '5550001',
    authorId: '5550001',
    postedAt: lastCitizenAt,
    lastCitizenAt,
  });
  const comment = (postedAt: Date, parentId: string | null = null): ReplyTarget => ({
    kind: 'comment',
    externalId: '1_2',
    parentId,
    threadId: `${PAGE_ID}_1`,
    authorId: '70001',
    postedAt,
    lastCitizenAt: postedAt,
  });

  it('Messenger: RESPONSE up to 24 h, HUMAN_AGENT up to 7 days, then a refusal that says what to do', () => {
    expect(connector.planReply(message(new Date(T0.getTime() - 24 * HOUR)), 'private', T0)).toEqual({
      ok: true,
      plan: { channel: 'messenger', target: '5550001', messagingType: 'RESPONSE' },
    });
    expect(connector.planReply(message(new Date(T0.getTime() - 24 * HOUR - 1)), 'public', T0)).toEqual({
      ok: true,
      plan: { channel: 'messenger', target: '5550001', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
    });
    expect(connector.planReply(message(new Date(T0.getTime() - 7 * DAY)), 'private', T0)).toMatchObject({ ok: true, plan: { tag: 'HUMAN_AGENT' } });
    const refused = connector.planReply(message(new Date(T0.getTime() - 7 * DAY - 1)), 'private', T0);
    expect(refused).toEqual({ ok: false, reason: { code: 'dm_window_closed', params: { platform: 'facebook', ageDays: 7 } } });
    expect(english(refused)).toMatch(/7 days ago.*Answer them another way/);
  });

  it('comments: a public reply in the thread, a private reply within 7 days', () => {
    expect(connector.planReply(comment(T0, '1_1'), 'public', T0)).toEqual({ ok: true, plan: { channel: 'comment_reply', target: '1_2', threadRoot: '1_1' } });
    expect(connector.planReply(comment(new Date(T0.getTime() - 6 * DAY)), 'private', T0)).toEqual({ ok: true, plan: { channel: 'private_reply', target: '1_2' } });
    const late = connector.planReply(comment(new Date(T0.getTime() - 8 * DAY)), 'private', T0);
    expect(late).toEqual({ ok: false, reason: { code: 'private_reply_window_closed', params: { platform: 'facebook', ageDays: 8 } } });
    expect(english(late)).toMatch(/within 7 days; this comment is 8 days old\. Answer it publicly instead/);
  });
});

describe('what Graph errors mean', () => {
  const commentPlan = { channel: 'comment_reply' as const, target: '1_2' };
  const messengerPlan = { channel: 'messenger' as const, target: '5550001', messagingType: 'RESPONSE' as const };

  it('throttling slows down, 190 pauses, 1/2 and transport failures retry', () => {
    for (const code of [4, 17, 32, 613]) expect(connector.classifyError(apiError(code), commentPlan).action).toBe('slow_down');
    expect(connector.classifyError(apiError(613, { usage: { maxPercent: 100, regainAccessInMs: 120_000 } }), commentPlan)).toMatchObject({ action: 'slow_down', retryAfterMs: 120_000 });
    expect(connector.classifyError(apiError(190, { subcode: 463 }), commentPlan).action).toBe('pause_source');
    expect(connector.classifyError(apiError(1, { httpStatus: 500 }), commentPlan)).toMatchObject({ action: 'retry', outcomeUnknown: true });
    const timeout = new GraphHttpError({ method: 'POST', endpoint: '{id}/comments', detail: 'timeout', timedOut: true, timeoutMs: 100 });
    expect(connector.classifyError(timeout, commentPlan)).toMatchObject({ action: 'retry', outcomeUnknown: true });
  });

  it('permission errors name the permission: the one Graph named, else the one the call needs', () => {
    const comment = connector.classifyError(apiError(200), commentPlan);
    expect(comment).toMatchObject({ action: 'fail' });
    expect(comment).toMatchObject({ reason: { code: 'permission_missing', params: { platform: 'facebook', permission: 'pages_manage_engagement', use: 'comment_reply', graphCode: 200 } } });
    expect(english(comment)).toMatch(/lacks the permission pages_manage_engagement/);
    const messenger = connector.classifyError(apiError(10), messengerPlan);
    expect(english(messenger)).toMatch(/lacks the permission pages_messaging/);
    const named = connector.classifyError(apiError(200, { graphMessage: '(#200) Requires pages_read_user_content permission to manage the object' }), commentPlan);
    expect(english(named)).toMatch(/lacks the permission pages_read_user_content/);
  });

  it('closed windows and used-up private replies are clear refusals, not permission errors', () => {
    const window = connector.classifyError(apiError(10, { subcode: 2018278, graphMessage: '(#10) This message is sent outside of allowed window.' }), messengerPlan);
    expect(window).toMatchObject({ action: 'fail', reason: { code: 'message_window_refused', params: { platform: 'facebook' } } });
    expect(english(window)).toMatch(/Messenger window is closed/);
    expect(connector.classifyError(apiError(10900), { channel: 'private_reply', target: '1_2' })).toMatchObject({ action: 'look_up', reason: { code: 'private_reply_used' } });
    const gone = connector.classifyError(apiError(100, { subcode: 33 }), commentPlan);
    expect(gone).toMatchObject({ action: 'fail', reason: { code: 'item_gone', params: { platform: 'facebook' } } });
    expect(english(gone)).toMatch(/no longer exists/);
  });
});

describe('configuration of polling', () => {
  it('polls every 5 minutes over 14 days by default; off turns polling off', () => {
    expect(loadConfig({ env: {} }).facebook).toMatchObject({ pollEveryMinutes: 5, pollLookbackDays: 14 });
    expect(loadConfig({ env: { FACEBOOK_POLL_EVERY: 'off', FACEBOOK_POLL_LOOKBACK_DAYS: '30' } }).facebook).toMatchObject({ pollEveryMinutes: undefined, pollLookbackDays: 30 });
    expect(loadConfig({ env: { FACEBOOK_POLL_EVERY: '1h' } }).facebook.pollEveryMinutes).toBe(60);
  });

  it('lists bad polling variables with every other problem', () => {
    let error: unknown;
    try {
      loadConfig({ env: { FACEBOOK_POLL_EVERY: 'often', FACEBOOK_POLL_LOOKBACK_DAYS: '2 weeks', LOCALE: 'fr' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/FACEBOOK_POLL_EVERY: "often" is not a duration; write it like 5m or 1h, or off/);
    expect(problems).toMatch(/FACEBOOK_POLL_LOOKBACK_DAYS: must be a whole number of days/);
    expect(problems).toMatch(/LOCALE/);
  });
});
