/**
 * Every payload stored for the Facebook platform: a webhook delivery
 * (`object: "page"`) or a poll batch (`source: "poll"`).
 */
import type { InboundItem } from '../../domain/inquiry.js';
import { isFacebookPollPayload, parseFacebookPollPayload } from './poll-payload.js';
import { parseFacebookWebhook } from './webhook-parser.js';

export function parseFacebookInbound(payload: unknown): InboundItem[] {
  return isFacebookPollPayload(payload) ? parseFacebookPollPayload(payload) : parseFacebookWebhook(payload);
}
