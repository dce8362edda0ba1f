/**
 * The role matrix: agent, supervisor, head, admin and a stranger × every
 * button the bot has (each `cb.*` kind, with data as the bot would build it)
 * and every command. What each role may do is written here from DESIGN.md
 * and issue 4, not read from the code: agents handle inquiries (claim,
 * answer, dismiss, sector, their drafts), supervisors also supervise
 * (reassign, approve, send back), the head of community reads reports,
 * admins do everything and manage staff; someone not on the staff can only
 * ask for access. A press or command outside one's role is refused at the
 * door with a `denied` event; one inside it is never refused for the role.
 * A button kind or command added without a decision here fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cb } from '../../src/bots/callbacks.js';
import { insertStaffMember, insertTestInquiry, people, type Person } from '../factories/staff.factory.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';

type Role = 'agent' | 'supervisor' | 'head' | 'admin' | 'stranger';
type Need = 'public' | 'staff' | 'handle' | 'supervise' | 'manage_staff' | 'reports';

const MAY: Record<Need, readonly Role[]> = {
  public: ['agent', 'supervisor', 'head', 'admin', 'stranger'],
  staff: ['agent', 'supervisor', 'head', 'admin'],
  handle: ['agent', 'supervisor', 'admin'],
  supervise: ['supervisor', 'admin'],
  manage_staff: ['admin'],
  reports: ['agent', 'supervisor', 'head', 'admin'],
};

/** Every button kind and what it needs. */
const BUTTONS: Record<keyof typeof cb, Need> = {
  claim: 'handle',
  release: 'handle',
  answer: 'handle',
  dismissMenu: 'handle',
  dismiss: 'handle',
  sectorMenu: 'handle',
  sector: 'handle',
  reassignMenu: 'supervise',
  reassign: 'supervise',
  back: 'staff',
  publish: 'handle',
  cancelDraft: 'handle',
  answerKind: 'handle',
  approve: 'supervise',
  sendBack: 'supervise',
  retry: 'handle',
  grantAccess: 'manage_staff',
  rejectAccess: 'manage_staff',
  language: 'staff',
  makeCard: 'handle',
  dismissAll: 'handle',
  counterLog: 'staff',
  counterCancel: 'staff',
  counterNote: 'staff',
  counterRemark: 'staff',
  waveConfirm: 'handle',
  waveSendLatest: 'handle',
  waveRumour: 'supervise',
  statementPublish: 'handle',
  statementApprove: 'supervise',
  statementCancel: 'handle',
  hideComment: 'supervise',
};

/** Every command and what it needs. */
const COMMANDS: Record<string, Need> = {
  start: 'public',
  help: 'staff',
  lang: 'staff',
  queue: 'staff',
  find: 'staff',
  mine: 'handle',
  report: 'reports',
  stats: 'reports',
  staff: 'manage_staff',
  log: 'staff',
  remark: 'staff',
  year: 'reports',
  wave: 'handle',
};

const persons: Record<Role, Person> = {
  agent: people.ani,
  supervisor: people.aram,
  head: people.lilit,
  admin: people.admin,
  stranger: people.stranger,
};

let h: BotHarness;
let agentStaffId: number;

beforeAll(async () => {
  h = await startBotHarness();
  agentStaffId = (await insertStaffMember(h.tdb.db, people.ani, 'agent')).id;
  await insertStaffMember(h.tdb.db, people.aram, 'supervisor');
  await insertStaffMember(h.tdb.db, people.lilit, 'head');
  await insertStaffMember(h.tdb.db, people.admin, 'admin');
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function deniedFor(person: Person, action: string): Promise<number> {
  const rows = await h.tdb.db.selectFrom('events').select('payload').where('type', '=', 'denied').execute();
  return rows.filter((r) => r.payload.telegramUserId === person.id && r.payload.action === action).length;
}

describe('role matrix', () => {
  it('covers every button kind and every command the bot has', () => {
    expect(Object.keys(BUTTONS).sort()).toEqual(Object.keys(cb).sort());
    expect(Object.keys(COMMANDS).sort()).toEqual(h.fake.commands()?.map((c) => (c as { command: string }).command).concat(['start', 'staff', 'wave']).sort());
  });

  for (const [kind, need] of Object.entries(BUTTONS) as Array<[keyof typeof cb, Need]>) {
    it(`button ${kind} (${cb[kind].action}) needs ${need}`, async () => {
      // A fresh inquiry and its card for each kind: the presses act on something real.
      const inquiry = await insertTestInquiry(h.tdb.db, { postedAt: new Date(Date.now() - 3_600_000), text: `Հարց ${kind}` });
      await h.service.ctx.producers.sendCard(inquiry.id);
      const card = await h.card(inquiry.id);
      const values: Record<string, string | number> = {
        id: inquiry.id,
        reason: 'spam',
        code: 'water',
        staff: agentStaffId,
        draft: 999_999,
        visibility: 'u',
        reply: 999_999,
        user: 777_000_111,
        role: 'agent',
        notice: 999_999,
        counter: 1,
        day: '20180315',
        entry: 999_999,
        year: 2018,
        wave: 999_999,
        statement: 999_999,
        kind: 'i',
      };
      const data = (cb[kind] as { build(v: Record<string, string | number>): string }).build(values);
      for (const role of ['stranger', 'head', 'agent', 'supervisor', 'admin'] as const) {
        const person = persons[role];
        const gate = role === 'stranger' ? 'callback' : `callback:${cb[kind].action}`;
        const before = await deniedFor(person, gate);
        const answer = await h.press(person, card, { data, unchecked: true });
        const refused = (await deniedFor(person, gate)) - before;
        const allowed = MAY[need].includes(role);
        expect({ kind, role, refusedAtTheDoor: refused }).toEqual({ kind, role, refusedAtTheDoor: allowed ? 0 : 1 });
        // Every press is answered, so no spinner is left turning.
        expect(answer, `${role} pressing ${kind} got no answer`).toBeDefined();
        if (!allowed) expect(answer!.showAlert).toBe(true);
      }
    });
  }

  for (const [command, need] of Object.entries(COMMANDS)) {
    it(`command /${command} needs ${need}`, async () => {
      for (const role of ['stranger', 'head', 'agent', 'supervisor', 'admin'] as const) {
        const person = persons[role];
        const gate = `command:${command}`;
        const before = await deniedFor(person, gate);
        const seen = h.privateMessages(person.id).length;
        await h.write(person, `/${command}${command === 'find' ? ' ջուր' : ''}`);
        const refused = (await deniedFor(person, gate)) - before;
        const allowed = MAY[need].includes(role);
        expect({ command, role, refused }).toEqual({ command, role, refused: allowed ? 0 : 1 });
        // Whoever writes gets an answer in their chat.
        await expect.poll(() => h.privateMessages(person.id).length, { timeout: 10_000 }).toBeGreaterThan(seen);
      }
    });
  }
});
