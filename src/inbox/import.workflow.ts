/**
 * Imports past inquiries from a CSV file, so a city starts with its history:
 * platform, when it was posted, when it was answered, sector, staff member.
 *
 * Every line is checked first; with any error nothing is imported and each
 * error names its line. Importing the same file again adds nothing: each row
 * has an external id (its own `external_id` column, or one derived from its
 * content and its occurrence in the file), and inquiries are unique on
 * (platform, external id). Rows are written in batches, each in one
 * transaction, with the events ingest would have written (`ingested`,
 * `answered`, `dismissed`), so the audit log accounts for them.
 *
 * Columns (header names, any order, case-insensitive):
 * - `platform` (facebook, instagram, telegram) and `posted_at`: required;
 * - `answered_at`, `sector` (code, or name in any language or its unambiguous
 *   beginning), `staff` (name,
 *   @username or Telegram user id), `answered_via` (native by default: the
 *   page answered on the platform; telegram), `kind` (comment by default,
 *   message, mention), `text`, `author`, `permalink`, `external_id`,
 *   `status` (`dismissed` for items that were not inquiries).
 * Times: ISO 8601 with an offset (`2018-05-03T10:15:00+04:00`, `…Z`), or
 * local time in TIMEZONE (`2018-05-03 10:15`, `03.05.2018 10:15`).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/create-db.js';
import { insertEvents, type NewEvent } from '../db/repositories/event.repository.js';
import { insertInquiriesIfNew } from '../db/repositories/inquiry.repository.js';
import { insertInquiryMessages } from '../db/repositories/inquiry-message.repository.js';
import { listSectors } from '../db/repositories/sector.repository.js';
import { listAllStaffById } from '../db/repositories/staff.repository.js';
import type { AnsweredVia, InquiryKind, Platform } from '../db/schema.js';
import { createBusinessClock } from '../domain/business-time.js';
import { createHolidayCalendar } from '../domain/holidays.js';
import { instantOfLocalTime } from '../domain/periods.js';
import { ensureBusinessCalendar } from '../reports/business-calendar.service.js';
import { CsvSyntaxError, parseCsv } from '../reports/csv.js';
import type { ReportConfig } from '../reports/report-config.js';

const PLATFORMS: readonly Platform[] = ['facebook', 'instagram', 'telegram'];
const KINDS: readonly InquiryKind[] = ['comment', 'message', 'mention'];
const BATCH = 500;

export interface ImportOptions {
  config: ReportConfig;
  now: Date;
  /** What to do with rows that have no answer: keep them open (in the backlog, with cards) or dismiss them as handled offline. */
  unanswered?: 'open' | 'dismissed';
  /** Only check the file. */
  dryRun?: boolean;
  /** Called after each batch with rows done and rows in total. */
  onProgress?: (done: number, total: number) => void;
  /** Name of the file, recorded in the events. */
  source?: string;
}

export interface ImportResult {
  /** Valid rows in the file. */
  rows: number;
  /** Rows that were new and are now stored. */
  imported: number;
  /** Rows already imported before (same external id). */
  skipped: number;
  /** One line per problem (`line 7: …`); when not empty, nothing was imported. */
  errors: string[];
  /** Rows without an answer (decided by `unanswered`). */
  unanswered: number;
}

interface ValidRow {
  line: number;
  platform: Platform;
  kind: InquiryKind;
  externalId: string;
  postedAt: Date;
  answeredAt: Date | null;
  answeredVia: AnsweredVia | null;
  staffId: number | null;
  sector: string | null;
  text: string;
  author: string | null;
  permalink: string | null;
  dismissed: boolean;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DOTTED = /^(\d{2})\.(\d{2})\.(\d{4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** A time of the file as an instant; undefined when not understood. */
export function parseImportTime(text: string, timezone: string): Date | undefined {
  const t = text.trim();
  if (ISO_WITH_ZONE.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  let day: string | undefined;
  let h = 0;
  let m = 0;
  let s = 0;
  let match = LOCAL_ISO.exec(t);
  if (match) {
    day = match[1];
    h = Number(match[2]);
    m = Number(match[3]);
    s = Number(match[4] ?? 0);
  } else if ((match = LOCAL_DOTTED.exec(t))) {
    day = `${match[3]}-${match[2]}-${match[1]}`;
    h = Number(match[4]);
    m = Number(match[5]);
    s = Number(match[6] ?? 0);
  }
  if (!day || h > 23 || m > 59 || s > 59) return undefined;
  try {
    return new Date(instantOfLocalTime(day, timezone, h * 60 + m).getTime() + s * 1000);
  } catch {
    return undefined;
  }
}

async function lookups(db: Db) {
  const [sectors, staff] = await Promise.all([listSectors(db), listAllStaffById(db)]);
  const norm = (s: string) => s.trim().toLowerCase().normalize('NFKC');
  const sectorByKey = new Map<string, string>();
  for (const s of sectors) for (const k of [s.code, s.names.hy, s.names.en, s.names.ru]) sectorByKey.set(norm(k), s.code);
  const staffByKey = new Map<string, number>();
  for (const s of staff) {
    staffByKey.set(norm(s.name), s.id);
    staffByKey.set(String(s.telegramUserId), s.id);
    if (s.username) staffByKey.set(norm(`@${s.username.replace(/^@/, '')}`), s.id);
  }
  /** Exact code or name, else the one sector whose name starts with it ("Ջրամատակարարում" for "Ջրամատակարարում և ջրահեռացում"). */
  const sector = (v: string): string | undefined => {
    const key = norm(v);
    const exact = sectorByKey.get(key);
    if (exact || key.length < 3) return exact;
    const codes = new Set([...sectorByKey.entries()].filter(([k]) => k.startsWith(key)).map(([, code]) => code));
    return codes.size === 1 ? [...codes][0] : undefined;
  };
  return {
    sector,
    staff: (v: string) => staffByKey.get(norm(v)),
    sectorCodes: sectors.map((s) => s.code),
    staffNames: staff.map((s) => s.name),
  };
}

/** Checks every line; returns the valid rows and one message per problem. */
async function validate(db: Db, text: string, options: ImportOptions): Promise<{ rows: ValidRow[]; errors: string[] }> {
  const errors: string[] = [];
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { rows: [], errors: [error.message] };
    throw error;
  }
  const header = records.shift();
  if (!header) return { rows: [], errors: ['the file is empty: it needs a header line (platform,posted_at,answered_at,sector,staff) and rows'] };
  const col = new Map(header.fields.map((h, i) => [h.trim().toLowerCase().replace(/[\s-]+/g, '_'), i]));
  for (const required of ['platform', 'posted_at']) {
    if (!col.has(required)) errors.push(`line ${header.line}: the header has no "${required}" column (found: ${header.fields.join(', ')})`);
  }
  if (errors.length) return { rows: [], errors };
  const look = await lookups(db);
  const tz = options.config.timezone;
  const seen = new Map<string, number>();
  const rows: ValidRow[] = [];
  for (const r of records) {
    const get = (name: string) => {
      const i = col.get(name);
      return i === undefined ? '' : (r.fields[i] ?? '').trim();
    };
    const problems: string[] = [];
    const platform = get('platform').toLowerCase() as Platform;
    if (!PLATFORMS.includes(platform)) problems.push(`platform "${get('platform')}" is not one of ${PLATFORMS.join(', ')}`);
    const kind = (get('kind').toLowerCase() || 'comment') as InquiryKind;
    if (!KINDS.includes(kind)) problems.push(`kind "${get('kind')}" is not one of ${KINDS.join(', ')}`);
    const postedAt = parseImportTime(get('posted_at'), tz);
    if (!get('posted_at')) problems.push('posted_at is empty');
    else if (!postedAt) problems.push(`posted_at "${get('posted_at')}" is not a time (write 2018-05-03 10:15, 03.05.2018 10:15 or 2018-05-03T10:15:00+04:00)`);
    else if (postedAt > options.now) problems.push(`posted_at ${get('posted_at')} is in the future`);
    let answeredAt: Date | null = null;
    if (get('answered_at')) {
      answeredAt = parseImportTime(get('answered_at'), tz) ?? null;
      if (!answeredAt) problems.push(`answered_at "${get('answered_at')}" is not a time`);
      else if (postedAt && answeredAt < postedAt) problems.push(`answered_at ${get('answered_at')} is before posted_at ${get('posted_at')}`);
      else if (answeredAt > options.now) problems.push(`answered_at ${get('answered_at')} is in the future`);
    }
    const status = get('status').toLowerCase();
    if (status && !['dismissed', 'answered', 'open', 'new'].includes(status)) problems.push(`status "${get('status')}" is not dismissed, answered or open`);
    const dismissed = status === 'dismissed';
    if (dismissed && answeredAt) problems.push('a dismissed row cannot have answered_at');
    if (status === 'answered' && !answeredAt) problems.push('status is answered but answered_at is empty');
    let sector: string | null = null;
    if (get('sector')) {
      sector = look.sector(get('sector')) ?? null;
      if (!sector) problems.push(`sector "${get('sector')}" is unknown; use a code (${look.sectorCodes.join(', ')}) or a sector name`);
    }
    let staffId: number | null = null;
    if (get('staff')) {
      staffId = look.staff(get('staff')) ?? null;
      if (staffId === null) {
        problems.push(
          `staff "${get('staff')}" is not a known staff member (${look.staffNames.length ? look.staffNames.join(', ') : 'none yet'}); add them first or leave the column empty`,
        );
      }
    }
    let answeredVia: AnsweredVia | null = null;
    if (answeredAt) {
      const via = get('answered_via').toLowerCase() || 'native';
      if (via !== 'native' && via !== 'telegram') problems.push(`answered_via "${get('answered_via')}" is not native or telegram`);
      else answeredVia = via;
    }
    if (problems.length) {
      errors.push(...problems.map((p) => `line ${r.line}: ${p}`));
      continue;
    }
    const textValue = get('text');
    const author = get('author') || null;
    let externalId = get('external_id');
    if (!externalId) {
      // The same content twice in one file is two inquiries; the same file again is not.
      const key = createHash('sha256').update([platform, postedAt!.toISOString(), answeredAt?.toISOString() ?? '', textValue, author ?? '', sector ?? '', get('staff')].join('\u0000')).digest('hex').slice(0, 24);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      externalId = `import-${key}-${n}`;
    }
    rows.push({
      line: r.line,
      platform,
      kind,
      externalId,
      postedAt: postedAt!,
      answeredAt,
      answeredVia,
      staffId: answeredAt ? staffId : null,
      sector,
      text: textValue,
      author,
      permalink: get('permalink') || null,
      dismissed,
    });
  }
  const duplicates = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.platform}|${row.externalId}`;
    const first = duplicates.get(key);
    if (first !== undefined) errors.push(`line ${row.line}: external_id ${row.externalId} already appears on line ${first}`);
    else duplicates.set(key, row.line);
  }
  return { rows, errors };
}

/** Imports a CSV of past inquiries (see the file comment). */
export async function importInquiriesCsv(db: Db, text: string, options: ImportOptions): Promise<ImportResult> {
  const { rows, errors } = await validate(db, text, options);
  const unanswered = rows.filter((r) => !r.answeredAt && !r.dismissed).length;
  if (unanswered > 0 && !options.unanswered && errors.length === 0) {
    errors.push(
      `${unanswered} row(s) have no answered_at: choose what they are with --unanswered open (they join the open backlog and the staff get a card for each) or --unanswered dismissed (counted as dismissed, handled offline)`,
    );
  }
  if (errors.length > 0 || options.dryRun) return { rows: rows.length, imported: 0, skipped: 0, errors, unanswered };

  // The business calendar must cover the imported days before the trigger fills business-hours times.
  await ensureBusinessCalendar(db, options.config, options.now);
  const clock = createBusinessClock({ timezone: options.config.timezone, hours: options.config.businessHours, holidays: createHolidayCalendar(options.config.holidays) });
  const slaDueAt = (postedAt: Date) =>
    options.config.sla.clock === 'business'
      ? clock.addBusinessMinutes(postedAt, options.config.sla.firstResponseMinutes)
      : new Date(postedAt.getTime() + options.config.sla.firstResponseMinutes * 60_000);

  let imported = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    imported += await db.transaction().execute(async (trx) => {
      const inserted = await insertInquiriesIfNew(
        trx,
        batch.map((r) => {
          const dismissed = r.dismissed || (!r.answeredAt && options.unanswered === 'dismissed');
          return {
            platform: r.platform,
            kind: r.kind,
            externalId: r.externalId,
            threadId: null,
            parentId: null,
            authorId: null,
            authorName: r.author,
            text: r.text,
            permalink: r.permalink,
            postedAt: r.postedAt,
            lastCitizenAt: r.postedAt,
            // An answer in the history is taken as the final one: it closes the inquiry (issue 18).
            status: dismissed ? ('dismissed' as const) : r.answeredAt ? ('closed' as const) : ('new' as const),
            closedAt: dismissed ? null : r.answeredAt,
            dismissReason: dismissed ? (r.dismissed ? 'not_inquiry' : 'handled_offline') : null,
            sectorCode: r.sector,
            firstResponseAt: r.answeredAt,
            answeredVia: r.answeredVia,
            answeredBy: r.staffId,
            slaDueAt: slaDueAt(r.postedAt),
          };
        }),
      );
      if (inserted.length === 0) return 0;
      const byKey = new Map(batch.map((r) => [`${r.platform}|${r.externalId}`, r]));
      await insertInquiryMessages(
        trx,
        inserted.map((q) => ({ inquiryId: q.id, platform: q.platform, externalId: q.externalId, authorId: null, text: byKey.get(`${q.platform}|${q.externalId}`)!.text, postedAt: q.postedAt })),
      );
      const events = inserted.flatMap((q): NewEvent[] => {
        const row = byKey.get(`${q.platform}|${q.externalId}`)!;
        const list: NewEvent[] = [
          {
            type: 'ingested',
            inquiryId: q.id,
            actorKind: 'system',
            occurredAt: q.postedAt,
            payload: { origin: 'import', source: options.source ?? null, line: row.line, platform: q.platform, externalId: q.externalId, postedAt: q.postedAt.toISOString() },
          },
        ];
        if (q.firstResponseAt) {
          list.push({
            type: 'answered',
            inquiryId: q.id,
            actorKind: q.answeredVia === 'native' && !q.answeredBy ? 'page' : 'staff',
            occurredAt: q.firstResponseAt,
            payload: { via: q.answeredVia, at: q.firstResponseAt.toISOString(), origin: 'import', staffId: q.answeredBy },
          });
          if (q.status === 'closed') {
            list.push({
              type: 'closed',
              inquiryId: q.id,
              actorKind: q.answeredVia === 'native' && !q.answeredBy ? 'page' : 'staff',
              occurredAt: q.firstResponseAt,
              payload: { at: q.firstResponseAt.toISOString(), origin: 'import' },
            });
          }
        }
        if (q.status === 'dismissed') {
          list.push({ type: 'dismissed', inquiryId: q.id, actorKind: 'system', occurredAt: q.postedAt, payload: { origin: 'import', reason: row.dismissed ? 'not_inquiry' : 'handled_offline' } });
        }
        return list;
      });
      await insertEvents(trx, events);
      return inserted.length;
    });
    options.onProgress?.(Math.min(i + BATCH, rows.length), rows.length);
  }
  // Days outside the calendar before the import now have their business-hours times.
  await ensureBusinessCalendar(db, options.config, options.now);
  return { rows: rows.length, imported, skipped: rows.length - imported, errors: [], unanswered };
}
