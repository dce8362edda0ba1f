/**
 * `ardzagank staff`: the staff from the server, the same as admins do in
 * Telegram. Every change is an event (actor: the system, via the CLI).
 */
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Locale } from '../domain/locale.js';
import { STAFF_ROLES, type StaffRole } from '../domain/staff.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { addStaff, listStaff, removeStaff, setStaffRole, type Actor } from '../inbox/staff.workflow.js';
import { UsageError, type Command, type CommandIo } from './command.js';

const USAGE = `ardzagank staff [list]
ardzagank staff add <telegram-user-id> <name…> [--role agent|supervisor|head|admin] [--lang hy|en|ru] [--username name]
ardzagank staff remove <telegram-user-id>
ardzagank staff role <telegram-user-id> agent|supervisor|head|admin

  list     every staff member: Telegram id, name, role, language, active or not
  add      adds a person (or makes them active again) with a role (default agent)
  remove   deactivates a person: they can do nothing in the bot any more; their history stays
  role     changes a person's role

Roles: agent (claims and answers), supervisor (also reassigns, approves answers, gets
escalations), head (reads reports and the weekly digest), admin (everything, and approves
access requests). Admins listed in TELEGRAM_ADMIN_IDS are always admins.
The Telegram user id is the number @userinfobot shows; a person who writes /start to the bot
is also shown to the admins with approve / reject buttons.`;

export interface StaffCommandOptions {
  config: Config;
  logger?: Logger;
}

const CLI: Actor = { staffId: null, via: 'cli' };

function telegramId(text: string | undefined, action: string): number {
  if (!text || !/^\d{1,15}$/.test(text)) throw new UsageError(`"staff ${action}" needs the numeric Telegram user id of the person.`);
  return Number(text);
}

function role(text: string | undefined): StaffRole {
  const r = STAFF_ROLES.find((x) => x === text);
  if (!r) throw new UsageError(`"${text ?? ''}" is not a role; use one of ${STAFF_ROLES.join(', ')}.`);
  return r;
}

/** Reads `--name value` options out of the arguments; returns the rest. */
function options(args: string[]): { rest: string[]; values: Record<string, string> } {
  const rest: string[] = [];
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(role|lang|username)(?:=(.*))?$/.exec(a);
    if (!m) {
      if (a.startsWith('--')) throw new UsageError(`Unknown option ${a}.`);
      rest.push(a);
      continue;
    }
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UsageError(`${a} needs a value.`);
    values[m[1]!] = value;
  }
  return { rest, values };
}

/** Runs `ardzagank staff …` against `options.config` (tests pass their own). */
export async function runStaffCommand(args: string[], io: CommandIo, opts: StaffCommandOptions): Promise<number> {
  const [action = 'list', ...more] = args;
  if (!['list', 'add', 'remove', 'role'].includes(action)) throw new UsageError(`Unknown action "${action}".`);
  const { rest, values } = options(more);
  let run: (db: Parameters<typeof listStaff>[0]) => Promise<number>;
  switch (action) {
    case 'list':
      run = async (db) => {
        const people = await listStaff(db);
        if (people.length === 0) {
          io.out('No staff yet. Add someone with "ardzagank staff add <telegram-user-id> <name>", or have them write /start to the bot.');
          return 0;
        }
        for (const p of people) {
          io.out(`${p.telegramUserId}\t${p.name}${p.username ? ` (@${p.username})` : ''}\t${p.role}\t${p.language}\t${p.active ? 'active' : 'inactive'}`);
        }
        return 0;
      };
      break;
    case 'add': {
      const id = telegramId(rest[0], 'add');
      const name = rest.slice(1).join(' ').trim();
      if (!name) throw new UsageError('"staff add" needs the person\'s name after the Telegram id.');
      const r = values.role === undefined ? 'agent' : role(values.role);
      const lang = values.lang;
      if (lang !== undefined && !['hy', 'en', 'ru'].includes(lang)) throw new UsageError(`--lang must be hy, en or ru, not "${lang}".`);
      run = async (db) => {
        const row = await addStaff(db, { telegramUserId: id, name, role: r, ...(lang ? { language: lang as Locale } : {}), ...(values.username ? { username: values.username.replace(/^@/, '') } : {}) }, CLI);
        io.out(`${row.name} (Telegram id ${row.telegramUserId}) is active staff with the role ${row.role}.`);
        return 0;
      };
      break;
    }
    case 'remove': {
      const id = telegramId(rest[0], 'remove');
      run = async (db) => {
        const row = await removeStaff(db, id, CLI);
        if (!row) {
          io.err(`Nobody with Telegram id ${id} is on the staff list (see "ardzagank staff list").`);
          return 1;
        }
        io.out(`${row.name} (Telegram id ${id}) is deactivated: they can do nothing in the bot any more.`);
        if (opts.config.telegram.adminIds.includes(id)) io.out('Note: this id is in TELEGRAM_ADMIN_IDS, so they become an admin again when they next write to the bot. Remove it there too.');
        return 0;
      };
      break;
    }
    default: {
      const id = telegramId(rest[0], 'role');
      const r = role(rest[1]);
      run = async (db) => {
        const row = await setStaffRole(db, id, r, CLI);
        if (!row) {
          io.err(`Nobody with Telegram id ${id} is on the staff list; add them with "ardzagank staff add ${id} <name> --role ${r}".`);
          return 1;
        }
        io.out(`${row.name} (Telegram id ${id}) now has the role ${row.role}.`);
        return 0;
      };
    }
  }
  const logger = opts.logger ?? createLogger({ level: 'warn' });
  const database = await openDatabase({ databaseUrl: opts.config.databaseUrl, dataDir: opts.config.dataDir, logger });
  try {
    await migrateToLatest(database.db, logger);
    return await run(database.db);
  } finally {
    await database.close();
  }
}

export const staffCommand: Command = {
  name: 'staff',
  summary: 'list, add, remove staff and change their roles (also done by admins in Telegram)',
  usage: USAGE,
  run: (args: string[], io: CommandIo) => runStaffCommand(args, io, { config: loadConfig() }),
};
