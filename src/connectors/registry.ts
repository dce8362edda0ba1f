/**
 * Which connector parses an inbound payload of which platform (webhook
 * deliveries and poll batches alike).
 */
import type { Platform } from '../db/schema.js';
import type { InboundItem } from '../domain/inquiry.js';
import { parseFacebookInbound } from './facebook/inbound-parser.js';

/** No connector of ours handles this platform yet; the payload waits as failed. */
export class UnknownPlatformError extends Error {
  override name = 'UnknownPlatformError';
}

export function parseInbound(platform: Platform, payload: unknown): InboundItem[] {
  switch (platform) {
    case 'facebook':
      return parseFacebookInbound(payload);
    default:
      throw new UnknownPlatformError(`no connector parses ${platform} payloads yet`);
  }
}
