import os from 'node:os';
import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/create-db.js';
import { migrateToLatest } from '../db/migrate.js';
import { deleteCounterRemark, findCounterByCode, insertCounter, listCounterEntries, listCounters, updateCounter } from '../db/repositories/counter.repository.js';
import type { CounterRow } from '../db/schema.js';
import { localDateOf } from '../domain/periods.js';
import { CounterError, correctCounterEntry, getCounterByCode, logCounterEntry, setCounterRemark, type CounterActor } from '../inbox/counters.workflow.js';
import { createLogger } from '../observability/logger.js';
import { UsageError, parseCommandArgs, type Command, type CommandIo } from './command.js';

const COUNTERS_USAGE = `ardzagank counters [list]
ardzagank counters entries [CODE] [--year YEAR]
ardzagank counters correct ENTRY [--date YYYY-MM-DD] [--count N] [--amount X] [--note TEXT]
ardzagank counters cancel ENTRY
ardzagank counters remark CODE YEAR TEXT       (or --delete)
ardzagank counters add CODE --section public_relations|information|protocol
        --name-hy TEXT --name-en TEXT --name-ru TEXT [--figure count|amount|both]
        [--amount-hy TEXT --amount-en TEXT --amount-ru TEXT] [--note] [--position N]
ardzagank counters off CODE | on CODE

The department's figures that are not inquiries (public hearings, citizens
received by the head, commission and council sessions…), as its annual
report has them. Staff log them in Telegram (/log) or with "ardzagank log".
Every entry, correction, cancellation and remark is recorded with who and
when. A remark is what the year's report says of a counter for a year
instead of (or beside) a figure: "no special counting was done".`;

const LOG_USAGE = `ardzagank log CODE [--date YYYY-MM-DD] [--count N] [--amount X] [--note TEXT] [--by NAME]

Logs one entry of a counter (ardzagank counters lists the codes): a public
hearing, a citizen received, a commission session with its amount
(citizens granted support, agenda questions)… --date defaults to today in
TIMEZONE; --count logs several at once (e.g. 12 citizens received that day).
Prints the entry's number, for "ardzagank counters correct".`;

function operator(by: string | undefined): CounterActor {
  if (by) return { enteredBy: `cli:${by}` };
  try {
    return { enteredBy: `cli:${os.userInfo().username}` };
  } catch {
    return { enteredBy: 'cli' };
  }
}

async function withDb<T>(fn: (db: Db, timezone: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await migrateToLatest(database.db, logger);
    return await fn(database.db, config.timezone);
  } finally {
    await database.close();
  }
}

function number(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(',', '.'));
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${what} must be a number, not "${value}"`);
  return n;
}

function entryId(value: string | undefined): number {
  if (!value || !/^\d+$/.test(value)) throw new UsageError('give the entry number (ardzagank counters entries shows them)');
  return Number(value);
}

function describe(c: CounterRow): string {
  const amount = c.amountEn ? `, amount: ${c.amountEn}` : '';
  const from = c.source === 'published_posts' ? ', counted from the feeds' : '';
  return `${c.code.padEnd(24)} ${c.section.padEnd(16)} ${c.active ? 'on ' : 'off'}  ${c.nameEn} (${c.figure}${amount}${from})`;
}

/** Turns workflow refusals into one clear line, exit 1. */
async function guarded(io: CommandIo, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CounterError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

export const countersCommand: Command = {
  name: 'counters',
  summary: "the department's counters (hearings, receptions, sessions…): list, entries, corrections, remarks, add",
  usage: COUNTERS_USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      options: {
        year: { type: 'string' },
        date: { type: 'string' },
        count: { type: 'string' },
        amount: { type: 'string' },
        note: { type: 'string' },
        delete: { type: 'boolean', default: false },
        section: { type: 'string' },
        figure: { type: 'string', default: 'count' },
        position: { type: 'string' },
        'name-hy': { type: 'string' },
        'name-en': { type: 'string' },
        'name-ru': { type: 'string' },
        'amount-hy': { type: 'string' },
        'amount-en': { type: 'string' },
        'amount-ru': { type: 'string' },
        'has-note': { type: 'boolean', default: false },
        by: { type: 'string' },
      },
      allowPositionals: true,
    });
    const [action = 'list', ...rest] = positionals;
    return guarded(io, () =>
      withDb(async (db, timezone) => {
        switch (action) {
          case 'list': {
            for (const c of await listCounters(db)) io.out(describe(c));
            return 0;
          }
          case 'entries': {
            const year = values.year ?? localDateOf(new Date(), timezone).slice(0, 4);
            if (!/^\d{4}$/.test(year)) throw new UsageError('--year must be like 2018');
            const counter = rest[0] ? await getCounterByCode(db, rest[0]) : undefined;
            const entries = await listCounterEntries(db, { ...(counter ? { counterId: counter.id } : {}), from: `${year}-01-01`, to: `${year}-12-31`, limit: 10_000 });
            for (const e of entries) {
              const parts = [`#${e.id}`, e.occurredOn, e.code, `×${e.quantity}`];
              if (e.amount !== null) parts.push(`amount ${Number(e.amount)}`);
              if (e.note) parts.push(JSON.stringify(e.note));
              parts.push(`by ${e.staffName ?? e.enteredBy ?? '?'}`);
              if (e.voidedAt) parts.push('(cancelled)');
              io.out(parts.join('  '));
            }
            if (entries.length === 0) io.out(`No entries in ${year}.`);
            return 0;
          }
          case 'correct': {
            const id = entryId(rest[0]);
            const quantity = number(values.count, '--count');
            const amount = number(values.amount, '--amount');
            const { entry, counter } = await correctCounterEntry(db, {
              entryId: id,
              ...(values.date !== undefined ? { occurredOn: values.date } : {}),
              ...(quantity !== undefined ? { quantity } : {}),
              ...(amount !== undefined ? { amount } : {}),
              ...(values.note !== undefined ? { note: values.note } : {}),
              actor: operator(values.by),
            });
            io.out(`Corrected #${entry.id} (${counter.code}): ${entry.occurredOn} ×${entry.quantity}${entry.amount !== null ? ` amount ${Number(entry.amount)}` : ''}`);
            return 0;
          }
          case 'cancel': {
            const { entry, counter } = await correctCounterEntry(db, { entryId: entryId(rest[0]), void: true, actor: operator(values.by) });
            io.out(`Cancelled #${entry.id} (${counter.code}); it no longer counts.`);
            return 0;
          }
          case 'remark': {
            const [code, yearText, ...words] = rest;
            if (!code || !yearText || !/^\d{4}$/.test(yearText)) throw new UsageError('counters remark CODE YEAR TEXT');
            const counter = await getCounterByCode(db, code);
            if (values.delete) {
              const n = await deleteCounterRemark(db, counter.id, Number(yearText));
              io.out(n > 0 ? `Removed the remark of ${code} for ${yearText}.` : `${code} had no remark for ${yearText}.`);
              return 0;
            }
            const text = words.join(' ');
            if (!text.trim()) throw new UsageError('the remark is empty');
            await setCounterRemark(db, { counter, year: Number(yearText), text, actor: operator(values.by) });
            io.out(`${code}, ${yearText}: "${text}"`);
            return 0;
          }
          case 'add': {
            const code = rest[0];
            if (!code || !/^[a-z][a-z0-9_]{0,39}$/.test(code)) throw new UsageError('the code is lowercase letters, digits and _, e.g. youth_meetings');
            if (await findCounterByCode(db, code)) throw new UsageError(`a counter "${code}" exists`);
            const section = values.section;
            if (section !== 'public_relations' && section !== 'information' && section !== 'protocol') throw new UsageError('--section must be public_relations, information or protocol');
            const figure = values.figure;
            if (figure !== 'count' && figure !== 'amount' && figure !== 'both') throw new UsageError('--figure must be count, amount or both');
            const names = { hy: values['name-hy'], en: values['name-en'], ru: values['name-ru'] };
            if (!names.hy || !names.en || !names.ru) throw new UsageError('--name-hy, --name-en and --name-ru are needed');
            const amount = { hy: values['amount-hy'], en: values['amount-en'], ru: values['amount-ru'] };
            if (figure !== 'count' && (!amount.hy || !amount.en || !amount.ru)) throw new UsageError('a counter with an amount needs --amount-hy, --amount-en and --amount-ru');
            const position = number(values.position, '--position') ?? 1000;
            const row = await insertCounter(db, {
              code,
              section,
              position,
              nameHy: names.hy,
              nameEn: names.en,
              nameRu: names.ru,
              figure,
              amountHy: figure === 'count' ? null : amount.hy!,
              amountEn: figure === 'count' ? null : amount.en!,
              amountRu: figure === 'count' ? null : amount.ru!,
              hasNote: values['has-note'],
            });
            io.out(`Added ${describe(row)}`);
            return 0;
          }
          case 'on':
          case 'off': {
            const counter = await getCounterByCode(db, rest[0] ?? '');
            await updateCounter(db, counter.id, { active: action === 'on' });
            io.out(`${counter.code} is ${action}.`);
            return 0;
          }
          default:
            throw new UsageError(`unknown action "${action}"`);
        }
      }),
    );
  },
};

export const logCommand: Command = {
  name: 'log',
  summary: 'log one entry of a counter (a hearing, a citizen received, a session with its amount)',
  usage: LOG_USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      options: { date: { type: 'string' }, count: { type: 'string' }, amount: { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('give one counter code (ardzagank counters lists them)');
    const quantity = number(values.count, '--count');
    const amount = number(values.amount, '--amount');
    return guarded(io, () =>
      withDb(async (db, timezone) => {
        const counter = await getCounterByCode(db, positionals[0]!);
        const entry = await logCounterEntry(db, {
          counter,
          occurredOn: values.date ?? localDateOf(new Date(), timezone),
          ...(quantity !== undefined ? { quantity } : {}),
          ...(amount !== undefined ? { amount } : {}),
          note: values.note ?? null,
          actor: operator(values.by),
        });
        io.out(`Logged #${entry.id}: ${counter.code}, ${entry.occurredOn}, ×${entry.quantity}${entry.amount !== null ? `, amount ${Number(entry.amount)}` : ''}`);
        return 0;
      }),
    );
  },
};
