/**
 * Telegram likes counted from each person's latest reaction, on real
 * PostgreSQL with two transactions at once (two ingest batches, two
 * instances): two people's reactions to one comment, and a reaction racing
 * its comment's insert, are both counted. Without the item lock the second
 * count reads a snapshot from before the first commit and writes 1, or the
 * comment's insert does not see the reaction committed meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockTelegramItems, recordTelegramReaction, recountTelegramLikes } from '../../src/db/repositories/inquiry-message.repository.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { insertTestInquiry } from '../factories/staff.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
beforeEach(async () => {
  tdb = await createTestDatabase();
});
afterEach(async () => {
  await tdb.close();
});

const at = new Date('2026-12-07T06:00:00Z');
const likesOf = async (externalId: string) =>
  (await tdb.db.selectFrom('inquiryMessages').select('likeCount').where('platform', '=', 'telegram').where('externalId', '=', externalId).executeTakeFirstOrThrow()).likeCount;

/**
 * A batch that records one reaction to `item` under the item's lock and stays
 * open until `commit` is called; resolves once its writes are made.
 */
async function heldReaction(item: string, actor: string, order: number) {
  let commit!: () => void;
  const held = new Promise<void>((resolve) => (commit = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = tdb.db.transaction().execute(async (trx) => {
    await lockTelegramItems(trx, [item]);
    await recordTelegramReaction(trx, { externalId: item, actor, reacted: true, order, at });
    wrote();
    await held;
  });
  await written;
  return { commit, done };
}

/** Another batch at the same time, given time to reach the point where it waits for the first. */
async function meanwhile(first: { commit: () => void; done: Promise<void> }, work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  const second = tdb.db.transaction().execute(work);
  await new Promise((resolve) => setTimeout(resolve, 200));
  first.commit();
  await Promise.all([first.done, second]);
}

describe('Telegram likes under concurrent batches', () => {
  it('two people reacting at once are two likes', async () => {
    const inquiry = await insertTestInquiry(tdb.db, { postedAt: at, platform: 'telegram', text: 'Ե՞րբ կլինի ջուրը' });
    const item = inquiry.externalId;
    const first = await heldReaction(item, '7301', 10);
    // The second waits for the first (it would otherwise count in a snapshot without the first's reaction).
    await meanwhile(first, async (trx) => {
      await lockTelegramItems(trx, [item]);
      await recordTelegramReaction(trx, { externalId: item, actor: '7302', reacted: true, order: 11, at });
    });
    expect(await likesOf(item)).toBe(2);
  });

  it('a reaction committed while its comment is being stored is counted', async () => {
    const item = '-1001500000012:77';
    // The reaction's batch: the comment is not stored yet.
    const reaction = await heldReaction(item, '7303', 12);
    // The comment's batch stores it meanwhile, then takes the reactions that came before it.
    await meanwhile(reaction, async (trx) => {
      await lockTelegramItems(trx, [item]);
      const row = await trx
        .insertInto('inquiries')
        .values({ platform: 'telegram', kind: 'comment', externalId: item, threadId: '-1001500000012:70', parentId: null, authorId: '7299', authorName: 'Վարդան', text: 'Իսկ Ավանում', permalink: null, postedAt: at, lastCitizenAt: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('inquiryMessages').values({ inquiryId: row.id, platform: 'telegram', externalId: item, authorId: '7299', text: 'Իսկ Ավանում', postedAt: at }).execute();
      await recountTelegramLikes(trx, [item]);
    });
    expect(await likesOf(item)).toBe(1);
  });
});
