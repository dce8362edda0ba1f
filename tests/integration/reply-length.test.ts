/**
 * Delivery checks the length again: a reply longer than its channel takes
 * (Messenger and private replies 2,000 characters, comment replies 8,000)
 * fails with a reason that says what to do, without a call to the platform.
 * The bot refuses such answers before they are confirmed (bot-answer.test.ts);
 * this is for a reply that got past it (written before the limit, or by
 * another front end). Real Postgres, real queues, the real Graph client
 * against the loopback Graph API stand-in.
 */
import type { QueueTransport } from '../../src/queue/transport.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/registry.js';
import { facebookModuleOf } from '../../src/connectors/facebook/facebook.module.js';
import { createFacebookConnector } from '../../src/connectors/facebook/facebook.connector.js';
import { createGraphClient } from '../../src/connectors/facebook/graph-client.js';
import type { InquiryRow } from '../../src/db/schema.js';
import { deliverReply, type ReplyDeliveryDeps } from '../../src/inbox/deliver-reply.workflow.js';
import { ensureFacebookSource } from '../../src/inbox/source-health.workflow.js';
import { closeQueues, createProducers, createQueues, type Queues } from '../../src/queue/producers.js';
import { startGraphApiFake, type GraphApiFake } from '../../src/stand-ins/graph-api.stand-in.js';
import { insertPendingReply, insertStaff, TEST_PAGE_TOKEN } from '../factories/facebook-fixtures.js';
import { PAGE_ID } from '../factories/facebook-payloads.js';
import { insertTestInquiry } from '../factories/staff.factory.js';
import { createTestDatabase, openTestTransport, silentLogger, uniqueQueuePrefix, type TestDatabase } from '../support/test-env.js';

const NOW = new Date('2026-11-28T10:00:00Z');
const citizen = { id: '7200000000000099', name: 'Գայանե Մկրտչյան' };

let fake: GraphApiFake;
let transport: QueueTransport;
let tdb: TestDatabase;
let prefix: string;
let queues: Queues;
let deps: ReplyDeliveryDeps;
let staffId: number;

beforeAll(async () => {
  fake = await startGraphApiFake({ page: { id: PAGE_ID, name: 'Վանաձորի համայնքապետարան', accessToken: TEST_PAGE_TOKEN } });
});
afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  tdb = await createTestDatabase();
  fake.reset();
  fake.setNow(NOW);
  prefix = uniqueQueuePrefix('replylength');
  transport = await openTestTransport(tdb.url, prefix);
  queues = createQueues(transport);
  const logger = silentLogger();
  const graph = createGraphClient({ baseUrl: fake.url, version: 'v24.0', accessToken: TEST_PAGE_TOKEN, logger, timeoutMs: 2_000 });
  const connector = createFacebookConnector({ graph, pageId: PAGE_ID, lookbackDays: 14, logger });
  const source = await ensureFacebookSource(tdb.db, PAGE_ID);
  deps = {
    db: tdb.db,
    producers: createProducers(queues),
    logger,
    now: () => NOW,
    registry: createConnectorRegistry([facebookModuleOf({ sourceId: source.id, connector })]),
    secrets: [TEST_PAGE_TOKEN],
  };
  staffId = await insertStaff(tdb.db);
  return async () => {
    await closeQueues(queues);
    await transport.remove();
    await transport.close();
    await tdb.close();
  };
});

/** A citizen's comment, on the stand-in and stored as an inquiry. */
async function commentInquiry(): Promise<InquiryRow> {
  const post = fake.seedPost({ message: 'Ճանապարհների նորոգում', created_time: new Date(NOW.getTime() - 86_400_000) });
  const comment = fake.addComment({ postId: post.id, message: 'Ե՞րբ կնորոգեն մեր փողոցը', from: citizen, created_time: new Date(NOW.getTime() - 3_600_000) });
  const inquiry = await insertTestInquiry(tdb.db, { postedAt: new Date(NOW.getTime() - 3_600_000), threadId: post.id });
  return tdb.db.updateTable('inquiries').set({ externalId: comment.id }).where('id', '=', inquiry.id).returningAll().executeTakeFirstOrThrow();
}

/** A citizen's Messenger message, on the stand-in and stored as an inquiry. */
async function messageInquiry(): Promise<InquiryRow> {
  const psid = '26000000000000099';
  const message = fake.addMessage({ psid, name: 'Անի', text: 'Բարև, հարց ունեմ', created_time: new Date(NOW.getTime() - 600_000) });
  const inquiry = await insertTestInquiry(tdb.db, { postedAt: new Date(NOW.getTime() - 600_000), kind: 'message', threadId: psid, permalink: null });
  return tdb.db.updateTable('inquiries').set({ externalId: message.id, authorId: psid }).where('id', '=', inquiry.id).returningAll().executeTakeFirstOrThrow();
}

const reply = (id: number) => tdb.db.selectFrom('replies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const posts = () => fake.callCount({ method: 'POST' });

describe('delivery checks the length of the channel', () => {
  it('a Messenger reply over 2,000 characters fails with the reason, and nothing is sent', async () => {
    const inquiry = await messageInquiry();
    const id = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Ա'.repeat(2001), visibility: 'private' });
    expect(await deliverReply(deps, id)).toEqual({
      status: 'failed',
      reason: 'Not sent: the answer has 2001 characters, and Facebook takes at most 2000 in a Messenger message. Shorten it and send it again.',
      failure: { code: 'text_too_long', params: { platform: 'facebook', channel: 'messenger', length: 2001, max: 2000 } },
    });
    expect(await reply(id)).toMatchObject({ status: 'failed', attempts: 0, inFlightAt: null });
    expect(posts()).toBe(0);
    const events = await tdb.db.selectFrom('events').select(['type', 'payload']).where('inquiryId', '=', inquiry.id).where('type', '=', 'reply_failed').execute();
    expect(events).toHaveLength(1);
  });

  it('a private reply to a comment over 2,000 fails; a public one of 8,000 goes out, of 8,001 fails; all without a call for the long ones', async () => {
    const inquiry = await commentInquiry();
    const privately = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Բ'.repeat(2001), visibility: 'private' });
    expect(await deliverReply(deps, privately)).toMatchObject({ status: 'failed', reason: expect.stringContaining('2001 characters, and Facebook takes at most 2000 in a private reply to a comment') });
    const tooLong = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Գ'.repeat(8001) });
    expect(await deliverReply(deps, tooLong)).toMatchObject({ status: 'failed', reason: expect.stringContaining('8001 characters, and Facebook takes at most 8000 in a comment reply') });
    expect(posts()).toBe(0);

    const fits = await insertPendingReply(tdb.db, { inquiryId: inquiry.id, staffId, text: 'Դ'.repeat(8000) });
    expect(await deliverReply(deps, fits)).toMatchObject({ status: 'sent' });
    expect(posts()).toBe(1);
  });
});
