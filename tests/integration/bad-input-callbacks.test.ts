/**
 * The bad-input corpus of button presses: every file in
 * `tests/fixtures/bad-input/callbacks/` is callback data that is forged
 * (made up, malformed, too long), replayed, or pressed by someone whose role
 * does not allow it. Each press gets an answer (no spinner left turning),
 * nothing crashes, refusals are recorded as `denied` events, and the
 * inquiry, replies and staff change only as the one legitimate press would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStaffMember, insertTestInquiry, people, type Person } from '../factories/staff.factory.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';

const DIR = path.resolve('tests/fixtures/bad-input/callbacks');

interface Case {
  description: string;
  as: 'agent' | 'head' | 'admin' | 'stranger';
  /** `{inquiry}` stands for the id of a fresh inquiry with its card. */
  data: string;
  presses?: number;
  expect: {
    denied?: string;
    status?: string;
    claimEvents?: number;
    dismissEvents?: number;
    replies?: number;
    sector?: string | null;
    staffWith?: number;
    staffCount?: number;
    language?: string;
  };
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, spec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case }));

const persons: Record<Case['as'], Person> = { agent: people.ani, head: people.lilit, admin: people.admin, stranger: people.stranger };
let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
  await insertStaffMember(h.tdb.db, people.ani, 'agent');
  await insertStaffMember(h.tdb.db, people.lilit, 'head');
  await insertStaffMember(h.tdb.db, people.admin, 'admin');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const eventsOf = async (inquiryId: number, type: string) =>
  (await h.tdb.db.selectFrom('events').select('id').where('inquiryId', '=', inquiryId).where('type', '=', type).execute()).length;

describe('bad button presses', () => {
  it('has a corpus', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  for (const { file, spec } of cases) {
    it(`${file}: ${spec.description}`, async () => {
      const person = persons[spec.as];
      const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date(Date.now() - 3_600_000), text: `Հարց ${file}` });
      await h.service.ctx.producers.sendCard(inquiry.id);
      const card = await h.card(inquiry.id);
      const data = spec.data.replaceAll('{inquiry}', String(inquiry.id));
      const deniedBefore = (await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'denied').execute()).filter(
        (r) => r.payload.telegramUserId === person.id && r.payload.action === spec.expect.denied,
      ).length;
      const repliesBefore = (await h.tdb.db.selectFrom('replies').select('id').execute()).length;

      for (let i = 0; i < (spec.presses ?? 1); i++) {
        const answer = await h.press(person, card, { data, unchecked: true });
        expect(answer, 'every press is answered').toBeDefined();
      }

      const e = spec.expect;
      if (e.denied !== undefined) {
        const denied = (await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'denied').execute()).filter(
          (r) => r.payload.telegramUserId === person.id && r.payload.action === e.denied,
        ).length;
        expect(denied - deniedBefore).toBe(spec.presses ?? 1);
      }
      const row = await h.tdb.db.selectFrom('inquiries').selectAll().where('id', '=', inquiry.id).executeTakeFirstOrThrow();
      if (e.status !== undefined) expect(row.status).toBe(e.status);
      if (e.sector !== undefined) expect(row.sectorCode).toBe(e.sector);
      if (e.claimEvents !== undefined) expect(await eventsOf(inquiry.id, 'claimed')).toBe(e.claimEvents);
      if (e.dismissEvents !== undefined) expect(await eventsOf(inquiry.id, 'dismissed')).toBe(e.dismissEvents);
      if (e.replies !== undefined) expect((await h.tdb.db.selectFrom('replies').select('id').execute()).length - repliesBefore).toBe(e.replies);
      if (e.staffWith !== undefined) {
        const rows = await h.tdb.db.selectFrom('staff').select('id').where('telegramUserId', '=', e.staffWith).execute();
        expect(rows).toHaveLength(e.staffCount ?? 0);
      }
      if (e.language !== undefined) {
        const me = await h.tdb.db.selectFrom('staff').select('language').where('telegramUserId', '=', person.id).executeTakeFirstOrThrow();
        expect(me.language).toBe(e.language);
      }
      // The card is still there, and the bot still answers.
      expect((await h.card(inquiry.id)).messageId).toBe(card.messageId);
    });
  }
});
