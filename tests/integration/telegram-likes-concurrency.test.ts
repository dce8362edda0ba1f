/**
 * Telegram likes counted from each person's latest reaction, on real
 * PostgreSQL with two transactions at once (two ingest batches, two
 * instances): two people's reactions to one comment, and a reaction racing
 * its comment's insert, are both counted. Without the item lock the second
 * count reads a snapshot from before the first commit and writes 1, or the
 * comment's insert does not see the reaction committed meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEarlierTelegramReactions, lockTelegramItems, recordTelegramReaction } from '../../src/db/repositories/inquiry-message.repository.js';
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

describe('Telegram likes under concurrent batches', () => {
  it('two people reacting at once are two likes', async () => {
    const inquiry = await insertTestInquiry(tdb.db, { postedAt: at, platform: 'telegram', text: 'Ե՞րբ կլինի ջուրը' });
    const item = inquiry.externalId;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstWrote!: () => void;
    const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
    const first = tdb.db.transaction().execute(async (trx) => {
      await lockTelegramItems(trx, [item]);
      await recordTelegramReaction(trx, { externalId: item, actor: '7301', reacted: true, order: 10, at });
      firstWrote();
      await held;
    });
    await wrote;
    const second = tdb.db.transaction().execute(async (trx) => {
      await lockTelegramItems(trx, [item]);
      await recordTelegramReaction(trx, { externalId: item, actor: '7302', reacted: true, order: 11, at });
    });
    // The second waits for the first (it would otherwise count in a snapshot without the first's reaction).
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await Promise.all([first, second]);
    expect(await likesOf(item)).toBe(2);
  });

  it('a reaction committed while its comment is being stored is counted', async () => {
    const item = '-1001500000012:77';
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reactionTaken!: () => void;
    const taken = new Promise<void>((resolve) => (reactionTaken = resolve));
    // The reaction's batch: the comment is not stored yet.
    const reaction = tdb.db.transaction().execute(async (trx) => {
      await lockTelegramItems(trx, [item]);
      await recordTelegramReaction(trx, { externalId: item, actor: '7303', reacted: true, order: 12, at });
      reactionTaken();
      await held;
    });
    await taken;
    // The comment's batch stores it meanwhile, then takes the reactions that came before it.
    const comment = tdb.db.transaction().execute(async (trx) => {
      await lockTelegramItems(trx, [item]);
      const row = await trx
        .insertInto('inquiries')
        .values({ platform: 'telegram', kind: 'comment', externalId: item, threadId: '-1001500000012:70', parentId: null, authorId: '7299', authorName: 'Վարդան', text: 'Իսկ Ավանում', permalink: null, postedAt: at, lastCitizenAt: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('inquiryMessages').values({ inquiryId: row.id, platform: 'telegram', externalId: item, authorId: '7299', text: 'Իսկ Ավանում', postedAt: at }).execute();
      await applyEarlierTelegramReactions(trx, [item]);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await Promise.all([reaction, comment]);
    expect(await likesOf(item)).toBe(1);
  });
});
