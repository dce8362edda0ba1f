/**
 * `ardzagank staff list|add|remove|role`: the same changes admins make in
 * Telegram, from the server, each an event; usage mistakes are explained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { UsageError } from '../../src/commands/command.js';
import { runStaffCommand } from '../../src/commands/staff.command.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../support/test-env.js';

let tdb: TestDatabase;
let config: Config;

beforeAll(async () => {
  tdb = await createTestDatabase();
  config = loadConfig({ env: { DATABASE_URL: tdb.url, TELEGRAM_ADMIN_IDS: '9001' } });
});
afterAll(async () => {
  await tdb.close();
});

async function staff(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runStaffCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { config, logger: silentLogger() });
  return { code, out, err };
}

describe('ardzagank staff', () => {
  it('adds, lists, changes the role of and removes staff, each an event by the CLI', async () => {
    expect((await staff()).out).toEqual(['No staff yet. Add someone with "ardzagank staff add <telegram-user-id> <name>", or have them write /start to the bot.']);

    const added = await staff('add', '123456789', 'Անի', 'Պետրոսյան', '--lang', 'en', '--username', '@ani_cityhall');
    expect(added).toEqual({ code: 0, out: ['Անի Պետրոսյան (Telegram id 123456789) is active staff with the role agent.'], err: [] });
    await staff('add', '223456789', 'Գոհար Մանուկյան', '--role=supervisor');
    expect((await staff('list')).out).toEqual(['123456789\tԱնի Պետրոսյան (@ani_cityhall)\tagent\ten\tactive', '223456789\tԳոհար Մանուկյան\tsupervisor\thy\tactive']);

    expect((await staff('role', '123456789', 'supervisor')).out).toEqual(['Անի Պետրոսյան (Telegram id 123456789) now has the role supervisor.']);
    expect((await staff('remove', '223456789')).out).toEqual(['Գոհար Մանուկյան (Telegram id 223456789) is deactivated: they can do nothing in the bot any more.']);
    expect((await staff('list')).out).toEqual(['123456789\tԱնի Պետրոսյան (@ani_cityhall)\tsupervisor\ten\tactive', '223456789\tԳոհար Մանուկյան\tsupervisor\thy\tinactive']);
    // Adding a removed person makes them active again.
    await staff('add', '223456789', 'Գոհար Մանուկյան', '--role', 'head');
    const row = await tdb.db.selectFrom('staff').selectAll().where('telegramUserId', '=', 223456789).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ active: true, role: 'head' });

    const events = await tdb.db.selectFrom('events').select(['type', 'actorKind', 'actorStaffId', 'payload']).orderBy('id').execute();
    expect(events.map((e) => [e.type, e.actorKind, e.payload.via, e.payload.telegramUserId])).toEqual([
      ['staff_added', 'system', 'cli', 123456789],
      ['staff_added', 'system', 'cli', 223456789],
      ['staff_role_set', 'system', 'cli', 123456789],
      ['staff_removed', 'system', 'cli', 223456789],
      ['staff_added', 'system', 'cli', 223456789],
    ]);
    expect(events.every((e) => e.actorStaffId === null)).toBe(true);
  });

  it('explains mistakes', async () => {
    await expect(staff('add', 'ani', 'Անի')).rejects.toThrow(UsageError);
    await expect(staff('add', '5')).rejects.toThrow(/needs the person's name/);
    await expect(staff('role', '5', 'boss')).rejects.toThrow(/"boss" is not a role; use one of agent, supervisor, head, admin/);
    await expect(staff('fire', '5')).rejects.toThrow(/Unknown action "fire"/);
    const missing = await staff('remove', '777');
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual(['Nobody with Telegram id 777 is on the staff list (see "ardzagank staff list").']);
    const note = await staff('add', '9001', 'IT');
    expect((await staff('remove', '9001')).out[1]).toMatch(/TELEGRAM_ADMIN_IDS/);
    expect(note.code).toBe(0);
  });

  it('is listed by ardzagank --help and has its own help', async () => {
    const out: string[] = [];
    await main(['--help'], { out: (l) => out.push(l), err: () => undefined });
    expect(out.join('\n')).toMatch(/\n {2}staff +list, add, remove staff and change their roles/);
    const usage: string[] = [];
    expect(await main(['staff', '--help'], { out: (l) => usage.push(l), err: () => undefined })).toBe(0);
    expect(usage.join('\n')).toMatch(/^ardzagank staff \[list\]/);
  });
});
