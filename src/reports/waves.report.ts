/**
 * Waves of a period (`report --by wave`): each wave whose first question was
 * posted in it — size, time from the first question to the first statement,
 * share answered — and for a rumour the questions before and after its
 * rebuttal and the time from the first question to the rebuttal. Computed by
 * PostgreSQL, one row per wave.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Period } from '../domain/periods.js';
import { toCsv } from './csv.js';
import { formatMoment } from './format.js';

export interface WaveReportRow {
  id: number;
  title: string;
  firstPostedAt: string;
  size: number;
  answered: number;
  answeredRate: number | null;
  minutesToFirstStatement: number | null;
  rumour: boolean;
  beforeRebuttal: number | null;
  afterRebuttal: number | null;
  minutesToRebuttal: number | null;
}

export async function buildWaveReport(db: Kysely<Database>, range: Pick<Period, 'from' | 'to'>): Promise<WaveReportRow[]> {
  // Result columns come back camelCased (CamelCasePlugin).
  const rows = await sql<{
    id: string;
    title: string;
    firstPostedAt: Date;
    size: string;
    answered: string;
    firstStatementAt: Date | null;
    rumour: boolean;
    rebuttalAt: Date | null;
    beforeRebuttal: string | null;
    afterRebuttal: string | null;
  }>`
    select w.id, w.title, w.first_posted_at,
           count(i.id) as size,
           count(i.id) filter (where i.first_response_at is not null) as answered,
           (select min(s.published_at) from statements s where s.wave_id = w.id and s.status = 'published') as first_statement_at,
           w.rumour_at is not null as rumour,
           r.published_at as rebuttal_at,
           case when r.published_at is null then null else count(i.id) filter (where i.posted_at <= r.published_at) end as before_rebuttal,
           case when r.published_at is null then null else count(i.id) filter (where i.posted_at > r.published_at) end as after_rebuttal
      from waves w
      join wave_members m on m.wave_id = w.id
      join inquiries i on i.id = m.inquiry_id
      left join statements r on r.id = w.rebuttal_statement_id
     where w.status <> 'merged' and w.first_posted_at >= ${range.from} and w.first_posted_at < ${range.to}
     group by w.id, r.published_at
     order by w.first_posted_at, w.id`.execute(db);
  const minutes = (a: Date | null, b: Date) => (a === null ? null : Math.round((a.getTime() - b.getTime()) / 60_000));
  return rows.rows.map((r) => {
    const size = Number(r.size);
    const answered = Number(r.answered);
    return {
      id: Number(r.id),
      title: r.title,
      firstPostedAt: r.firstPostedAt.toISOString(),
      size,
      answered,
      answeredRate: size === 0 ? null : answered / size,
      minutesToFirstStatement: minutes(r.firstStatementAt, r.firstPostedAt),
      rumour: r.rumour,
      beforeRebuttal: r.beforeRebuttal === null ? null : Number(r.beforeRebuttal),
      afterRebuttal: r.afterRebuttal === null ? null : Number(r.afterRebuttal),
      minutesToRebuttal: minutes(r.rebuttalAt, r.firstPostedAt),
    };
  });
}

const LABELS = {
  en: { none: 'No waves in this period.', wave: 'Wave', questions: 'questions', answered: 'answered', firstStatement: 'first statement after', noStatement: 'no statement', rumour: 'rumour', before: 'before the rebuttal', after: 'after', rebuttal: 'rebutted after', min: 'min' },
  hy: { none: 'Այս ժամանակահատվածում ալիքներ չկան։', wave: 'Ալիք', questions: 'հարց', answered: 'պատասխանված', firstStatement: 'առաջին հայտարարությունը՝', noStatement: 'հայտարարություն չկա', rumour: 'ապատեղեկատվություն', before: 'հերքումից առաջ', after: 'հետո', rebuttal: 'հերքվեց', min: 'ր' },
  ru: { none: 'Волн за этот период нет.', wave: 'Волна', questions: 'вопросов', answered: 'отвечено', firstStatement: 'первое заявление через', noStatement: 'заявления нет', rumour: 'слух', before: 'до опровержения', after: 'после', rebuttal: 'опровергнут через', min: 'мин' },
} as const;

/** The waves as text; times in the city's time zone (`timezone`). */
export function renderWaveReportText(rows: WaveReportRow[], lang: 'hy' | 'en' | 'ru', timezone: string): string {
  const l = LABELS[lang];
  if (rows.length === 0) return l.none;
  return rows
    .map((r) => {
      const head = `${l.wave} #${r.id} · ${formatMoment(new Date(r.firstPostedAt), timezone)} · ${r.size} ${l.questions} · ${l.answered} ${Math.round((r.answeredRate ?? 0) * 100)}% · ${
        r.minutesToFirstStatement === null ? l.noStatement : `${l.firstStatement} ${r.minutesToFirstStatement} ${l.min}`
      }`;
      const rumour = r.rumour
        ? `\n  ${l.rumour}: ${r.beforeRebuttal ?? 0} ${l.before}, ${r.afterRebuttal ?? 0} ${l.after}${r.minutesToRebuttal === null ? '' : `; ${l.rebuttal} ${r.minutesToRebuttal} ${l.min}`}`
        : '';
      return `${head}\n  ${Array.from(r.title).slice(0, 120).join('')}${rumour}`;
    })
    .join('\n');
}

export function renderWaveReportCsv(rows: WaveReportRow[]): string {
  return toCsv([
    ['id', 'first_posted_at', 'size', 'answered', 'answered_rate', 'minutes_to_first_statement', 'rumour', 'before_rebuttal', 'after_rebuttal', 'minutes_to_rebuttal', 'title'],
    ...rows.map((r) => [r.id, r.firstPostedAt, r.size, r.answered, r.answeredRate, r.minutesToFirstStatement, r.rumour, r.beforeRebuttal, r.afterRebuttal, r.minutesToRebuttal, r.title]),
  ]);
}

/** The digest's heading of the week's waves. */
export function waveDigestTitle(lang: 'hy' | 'en' | 'ru'): string {
  return { hy: 'Ալիքներ և ապատեղեկատվություն', en: 'Waves and rumours', ru: 'Волны и слухи' }[lang];
}
