/**
 * The waves workflow on the real database:
 * - suggestion as the service does it (`assignToWaves` inside transactions,
 *   batch after batch) reaches on the labelled comments the precision and
 *   recall measured for the pure algorithm;
 * - staff confirm, merge, split and take questions out of waves;
 * - with `REQUIRE_APPROVAL` an agent's statement waits for a supervisor, and
 *   the supervisor's approval makes one reply per question, spaced at the
 *   source's pace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabelledComments } from '../../bench/support/wave-fixture.js';
import type { Db } from '../../src/db/create-db.js';
import type { InquiryRow, StaffRow } from '../../src/db/schema.js';
import { pairwiseScores } from '../../src/domain/waves.js';
import {
  assignToWaves,
  confirmWave,
  draftStatement,
  mergeWaves,
  publishStatement,
  removeFromWave,
  splitWave,
  type WaveDeps,
} from '../../src/inbox/waves.workflow.js';
import { findOverdueToEscalate } from '../../src/db/repositories/inquiry.repository.js';
import { insertInquiry } from '../factories/inquiry.factory.js';
import { insertStaffMember, people } from '../factories/staff.factory.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const WAVES = { enabled: true, cardEverySeconds: 10, statementRepliesPerMinute: 20, rumourAlertAfter: 10 };
let tdb: TestDatabase;
let db: Db;
let agent: StaffRow;
let supervisor: StaffRow;
const queued = { waveCards: [] as number[], replies: [] as Array<{ replyId: number; delayMs: number }>, cards: [] as number[] };
const producers: WaveDeps['producers'] = {
  waveCards: async (ids) => void queued.waveCards.push(...ids),
  deliverRepliesAt: async (items) => void queued.replies.push(...items),
  sendNotices: async () => undefined,
  sendCards: async (ids) => void queued.cards.push(...ids),
};
const deps = (requireApproval: boolean): WaveDeps => ({ db, producers, config: { workflow: { requireApproval }, waves: WAVES } });

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  agent = await insertStaffMember(db, people.ani, 'agent');
  supervisor = await insertStaffMember(db, people.aram, 'supervisor');
}, 60_000);
afterAll(async () => {
  await tdb?.close();
});

const PLATFORM = { fb: 'facebook', ms: 'facebook', tg: 'telegram', ig: 'instagram' } as const;

describe('waves workflow', () => {
  it('suggests the labelled comments into waves, batch by batch, as well as the measured algorithm', async () => {
    const comments = loadLabelledComments().sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
    const rows = new Map<string, InquiryRow>();
    for (let i = 0; i < comments.length; i += 7) {
      const batch = comments.slice(i, i + 7);
      const inserted: InquiryRow[] = [];
      for (const c of batch) {
        const row = await insertInquiry(db, {
          postedAt: c.postedAt,
          platform: PLATFORM[c.platform as keyof typeof PLATFORM],
          kind: c.kind as 'comment' | 'message',
          text: c.text,
          threadId: c.thread!.split(':')[1]!,
          externalId: `label-${c.id}`,
        });
        rows.set(c.id, row);
        inserted.push(row);
      }
      await db.transaction().execute((trx) => assignToWaves(trx, inserted.map((r) => r.id), { now: batch.at(-1)!.postedAt, waves: WAVES }));
    }
    const members = await db.selectFrom('waveMembers').select(['inquiryId', 'waveId']).execute();
    const waveOf = new Map(members.map((m) => [m.inquiryId, m.waveId]));
    const suggested = new Map<string, number>();
    for (const [id, row] of rows) if (waveOf.has(row.id)) suggested.set(id, waveOf.get(row.id)!);
    const scores = pairwiseScores(comments.map((c) => c.id), new Map(comments.map((c) => [c.id, c.incident])), suggested);
    expect(scores.precision).toBeGreaterThanOrEqual(0.9);
    expect(scores.recall).toBeGreaterThanOrEqual(0.8);
    // A wave's questions are not escalated one by one past their target; the single questions are.
    await db.updateTable('inquiries').set({ slaDueAt: new Date('2026-12-12T00:00:00Z') }).where('id', 'in', [...rows.values()].map((r) => r.id)).execute();
    const overdue = new Set((await findOverdueToEscalate(db, new Date('2027-01-01T00:00:00Z'), 1_000)).map((r) => r.id));
    for (const [id, row] of rows) expect({ id, escalated: overdue.has(row.id) }).toEqual({ id, escalated: !waveOf.has(row.id) });
    // Every join is an event of its question.
    const joined = await db.selectFrom('events').select('inquiryId').where('type', '=', 'wave_joined').execute();
    expect(new Set(joined.map((e) => e.inquiryId)).size).toBe(members.length);
  });

  it('staff confirm, merge, split, and take a question out (it gets its own card)', async () => {
    const at = new Date('2026-12-20T06:00:00Z');
    const qs = await Promise.all(
      ['Շենգավիթում ջուր չկա', 'В Шенгавите нет воды', 'Shengavitum jur chka', 'No water in Shengavit'].map((text, i) =>
        insertInquiry(db, { postedAt: new Date(at.getTime() + i * 60_000), text, threadId: 'post-s', externalId: `s-${i}` }),
      ),
    );
    await db.transaction().execute((trx) => assignToWaves(trx, qs.map((q) => q.id), { now: at, waves: WAVES }));
    const waveId = (await db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', qs[0]!.id).executeTakeFirstOrThrow()).waveId;
    expect(await db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', waveId).execute()).toHaveLength(4);

    expect(await confirmWave(deps(false), { waveId, staff: agent, now: at })).toEqual({ ok: true });
    expect((await db.selectFrom('waves').select('status').where('id', '=', waveId).executeTakeFirstOrThrow()).status).toBe('confirmed');

    const split = await splitWave(deps(false), { waveId, inquiryIds: [qs[2]!.id, qs[3]!.id], staff: agent, now: at });
    expect(split.ok).toBe(true);
    const newWaveId = (split as { newWaveId: number }).newWaveId;
    expect((await db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', newWaveId).execute()).map((r) => r.inquiryId).sort()).toEqual([qs[2]!.id, qs[3]!.id].sort());

    expect(await mergeWaves(deps(false), { into: waveId, from: newWaveId, staff: agent, now: at })).toEqual({ ok: true, moved: 2 });
    expect(await db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', waveId).execute()).toHaveLength(4);
    expect((await db.selectFrom('waves').select(['status', 'mergedIntoId']).where('id', '=', newWaveId).executeTakeFirstOrThrow())).toEqual({ status: 'merged', mergedIntoId: waveId });

    queued.cards.length = 0;
    expect(await removeFromWave(deps(false), { inquiryId: qs[1]!.id, staff: agent, now: at })).toEqual({ ok: true, waveId });
    expect(queued.cards).toEqual([qs[1]!.id]);
    expect(await db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', waveId).execute()).toHaveLength(3);
    // The head of community does not edit waves.
    const head = await insertStaffMember(db, people.lilit, 'head');
    expect(await confirmWave(deps(false), { waveId, staff: head, now: at })).toEqual({ ok: false, reason: 'denied' });
  });

  it("with REQUIRE_APPROVAL an agent's statement waits; the supervisor's approval makes one reply per question at the source's pace", async () => {
    const source = await db.insertInto('sources').values({ platform: 'facebook', externalId: 'page-w', name: 'Page', cursor: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
    const at = new Date('2026-12-21T06:00:00Z');
    const qs: InquiryRow[] = [];
    for (let i = 0; i < 4; i++) qs.push(await insertInquiry(db, { postedAt: new Date(at.getTime() + i * 60_000), text: ['Էրեբունիում աղբը չեն տանում', 'В Эребуни не вывозят мусор', 'Erebunium aghb@ chen tanum', 'Garbage not collected in Erebuni'][i]!, threadId: 'post-e', externalId: `e-${i}` }));
    await db.updateTable('inquiries').set({ sourceId: source.id }).where('id', 'in', qs.map((q) => q.id)).execute();
    await db.transaction().execute((trx) => assignToWaves(trx, qs.map((q) => q.id), { now: at, waves: WAVES }));
    const waveId = (await db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', qs[0]!.id).executeTakeFirstOrThrow()).waveId;

    const drafted = await draftStatement(deps(true), { waveId, staff: agent, text: 'Աղբը կտեղափոխվի այսօր։' });
    if (!drafted.ok) throw new Error(drafted.reason);
    expect(await publishStatement(deps(true), { statementId: drafted.statement.id, kind: 'interim', staff: agent, now: at })).toEqual({ ok: true, status: 'awaiting_approval' });
    expect(await db.selectFrom('replies').select('id').where('statementId', '=', drafted.statement.id).execute()).toEqual([]);
    // An agent cannot approve.
    expect(await publishStatement(deps(true), { statementId: drafted.statement.id, kind: 'interim', staff: agent, now: at, approving: true })).toEqual({ ok: false, reason: 'denied' });

    queued.replies.length = 0;
    expect(await publishStatement(deps(true), { statementId: drafted.statement.id, kind: 'interim', staff: supervisor, now: at, approving: true })).toEqual({ ok: true, status: 'published', replies: 4 });
    const replies = await db.selectFrom('replies').select(['inquiryId', 'visibility', 'text', 'status']).where('statementId', '=', drafted.statement.id).orderBy('id').execute();
    expect(replies.map((r) => r.inquiryId).sort()).toEqual(qs.map((q) => q.id).sort());
    expect(new Set(replies.map((r) => `${r.visibility}|${r.status}`))).toEqual(new Set(['public|pending']));
    // 20 a minute: 3 s apart.
    expect(queued.replies.map((r) => r.delayMs)).toEqual([0, 3_000, 6_000, 9_000]);
    // Published twice (a second press): nothing more.
    expect(await publishStatement(deps(true), { statementId: drafted.statement.id, kind: 'interim', staff: supervisor, now: at, approving: true })).toEqual({ ok: false, reason: 'stale' });
    expect(await db.selectFrom('replies').select('id').where('statementId', '=', drafted.statement.id).execute()).toHaveLength(4);
  });
});
