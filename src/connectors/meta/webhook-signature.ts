/**
 * Checks of Meta's webhook requests (a Facebook Page's, and Instagram's,
 * signed the same way): the `X-Hub-Signature-256` header
 * (`sha256=` + hex HMAC-SHA256 of the raw request bytes with the app secret)
 * and the verify token of the subscription handshake. Both compare in
 * constant time. The signature is over the bytes as sent: a body parsed and
 * serialised again (other spacing, other escaping of non-ASCII text) no
 * longer matches, which is why the route hands the raw bytes here.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` as Facebook sends it for `body`. */
export function signWebhookBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Whether `header` is the valid signature of `rawBody`. A missing or malformed header is not. */
export function isValidWebhookSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time comparison of two strings (by their SHA-256, so lengths do not leak either). */
export function constantTimeEquals(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** The dedup key of a webhook delivery: the SHA-256 of its raw bytes, hex. */
export function webhookDedupKey(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}
