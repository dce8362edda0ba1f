/**
 * Rows and raw webhook bodies the Facebook connector tests build on: a staff
 * member, a pending reply (as the Telegram bot creates it), and webhook
 * bodies serialised and signed the way Facebook sends them.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../src/db/create-db.js';
import type { ReplyVisibility } from '../../src/db/schema.js';

/** A Page token shaped like a real one (never a real one). */
export const TEST_PAGE_TOKEN = 'EAAGm0PX4ZCpsBAKZCfbConnectorTestToken7f3a9c2e51d84b06';
export const TEST_APP_SECRET = '5f2b8c1d9e7a4b3c6d0e1f2a3b4c5d6e';
export const TEST_VERIFY_TOKEN = 'verify-me-a1b2c3d4e5f6';

let staffSeq = 0;

export async function insertStaff(db: Db, name = 'Նարե Հակոբյան'): Promise<number> {
  staffSeq += 1;
  const row = await db
    .insertInto('staff')
    .values({ telegramUserId: 880_000_000 + staffSeq + Math.floor(Math.random() * 1_000_000), name, role: 'agent' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A reply as the bot creates it: pending, by a staff member. */
export async function insertPendingReply(db: Db, reply: { inquiryId: number; staffId: number; text: string; visibility?: ReplyVisibility }): Promise<number> {
  const row = await db
    .insertInto('replies')
    .values({ inquiryId: reply.inquiryId, staffId: reply.staffId, text: reply.text, visibility: reply.visibility ?? 'public' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * JSON as Facebook serialises webhook bodies: no spaces, every non-ASCII
 * character escaped (`\u0532…`). Parsing and serialising it again gives
 * other bytes, so its signature no longer matches.
 */
export function facebookJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `sha256=<hex>` of `body` with `appSecret`, as in `X-Hub-Signature-256`. */
export function hubSignature(body: string, appSecret = TEST_APP_SECRET): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}
