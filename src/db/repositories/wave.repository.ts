/** Waves, their members and statements (migration 2026_12_16_0900). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, InquiryRow, Platform, ReplyRow, ReplyVisibility, StatementKind, StatementRow, StatementStatus, WaveRow } from '../schema.js';

type Executor = Kysely<Database>;

/** A recent question as wave suggestion compares it. */
export interface WaveCandidateRow {
  id: number;
  platform: Platform;
  threadId: string | null;
  text: string;
  postedAt: Date;
  waveId: number | null;
}

/**
 * Questions posted since `since` that may start or be in a wave: not
 * low-priority, not dismissed, and in no wave that was merged or closed.
 * The newest `limit`.
 */
export async function findWaveCandidates(db: Executor, since: Date, limit: number): Promise<WaveCandidateRow[]> {
  return db
    .selectFrom('inquiries as i')
    .leftJoin('waveMembers as m', 'm.inquiryId', 'i.id')
    .leftJoin('waves as w', 'w.id', 'm.waveId')
    .select(['i.id', 'i.platform', 'i.threadId', 'i.text', 'i.postedAt', 'm.waveId'])
    .where('i.postedAt', '>=', since)
    .where('i.lowPriority', '=', false)
    .where('i.status', '!=', 'dismissed')
    .where((eb) => eb.or([eb('w.id', 'is', null), eb('w.status', 'in', ['suggested', 'confirmed'])]))
    .orderBy('i.postedAt', 'desc')
    .limit(limit)
    .execute();
}

export async function findInquiriesForWaves(db: Executor, ids: number[]): Promise<InquiryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('inquiries').selectAll().where('id', 'in', ids).where('lowPriority', '=', false).orderBy('postedAt').orderBy('id').execute();
}

export async function insertWave(db: Executor, wave: { title: string; firstPostedAt: Date; status?: 'suggested' | 'confirmed' }): Promise<WaveRow> {
  return db.insertInto('waves').values({ title: wave.title, firstPostedAt: wave.firstPostedAt, status: wave.status ?? 'suggested' }).returningAll().executeTakeFirstOrThrow();
}

/** Puts inquiries in a wave (moving them from any other). */
export async function upsertWaveMembers(db: Executor, waveId: number, inquiryIds: number[], addedBy: number | null, at: Date): Promise<void> {
  if (inquiryIds.length === 0) return;
  await db
    .insertInto('waveMembers')
    .values(inquiryIds.map((inquiryId) => ({ inquiryId, waveId, addedBy, joinedAt: at })))
    .onConflict((oc) => oc.column('inquiryId').doUpdateSet({ waveId, addedBy, joinedAt: at }))
    .execute();
}

export async function deleteWaveMember(db: Executor, inquiryId: number): Promise<number | undefined> {
  const row = await db.deleteFrom('waveMembers').where('inquiryId', '=', inquiryId).returning('waveId').executeTakeFirst();
  return row?.waveId;
}

/** Every change a wave's card shows raises its revision. */
export async function bumpWaveRevisions(db: Executor, waveIds: number[], at: Date): Promise<Array<{ id: number; revision: number }>> {
  if (waveIds.length === 0) return [];
  return db
    .updateTable('waves')
    .set((eb) => ({ revision: eb('revision', '+', 1), updatedAt: at }))
    .where('id', 'in', [...new Set(waveIds)])
    .returning(['id', 'revision'])
    .execute();
}

export async function findWaveById(db: Executor, id: number): Promise<WaveRow | undefined> {
  return db.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockWave(trx: Transaction<Database>, id: number): Promise<WaveRow | undefined> {
  return trx.selectFrom('waves').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateWave(db: Executor, id: number, values: Partial<Omit<WaveRow, 'id'>>): Promise<void> {
  await db.updateTable('waves').set(values).where('id', '=', id).execute();
}

export async function findWaveByCardMessage(db: Executor, chatId: number, messageId: number): Promise<WaveRow | undefined> {
  return db.selectFrom('waves').selectAll().where('cardChatId', '=', chatId).where('cardMessageId', '=', messageId).executeTakeFirst();
}

export async function findWaveOfInquiry(db: Executor, inquiryId: number): Promise<number | undefined> {
  const row = await db.selectFrom('waveMembers').select('waveId').where('inquiryId', '=', inquiryId).executeTakeFirst();
  return row?.waveId;
}

export async function findWaveMemberIds(db: Executor, waveId: number): Promise<number[]> {
  const rows = await db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', waveId).orderBy('inquiryId').execute();
  return rows.map((r) => r.inquiryId);
}

/** Replies of a statement refused for one reason: the reason (`failure` unchecked, null on older rows; `text` in English) and how many. */
export interface RefusalTally {
  failure: unknown;
  text: string | null;
  count: number;
}

/** What a wave card shows. */
export interface WaveCardView {
  wave: WaveRow;
  count: number;
  byPlatform: Array<{ platform: string; kind: string; count: number }>;
  bySector: Array<{ sector: string; count: number }>;
  latest: Array<{ id: number; text: string; authorName: string | null; postedAt: Date; platform: string }>;
  /** The most-liked questions (likes > 0), most likes first ({@link findMostLiked}). */
  mostLiked: MostLikedQuestion[];
  lastPostedAt: Date;
  answered: number;
  statements: Array<{ id: number; kind: StatementKind; status: StatementStatus; publishedAt: Date | null; sent: number; pending: number; failed: number; reasons: RefusalTally[] }>;
  /** Open members that the latest published statement has not reached (joined later). */
  notReached: number;
}

export async function findWaveCardView(db: Executor, waveId: number): Promise<WaveCardView | undefined> {
  const wave = await findWaveById(db, waveId);
  if (!wave) return undefined;
  const members = db.selectFrom('waveMembers').select('inquiryId').where('waveId', '=', waveId);
  const totals = await db
    .selectFrom('inquiries')
    .select((eb) => [
      eb.fn.countAll<string>().as('count'),
      eb.fn.max('postedAt').as('last'),
      sql<string>`count(*) filter (where first_response_at is not null)`.as('answered'),
    ])
    .where('id', 'in', members)
    .executeTakeFirstOrThrow();
  const byPlatform = await db
    .selectFrom('inquiries')
    .select(['platform', 'kind', (eb) => eb.fn.countAll<string>().as('count')])
    .where('id', 'in', members)
    .groupBy(['platform', 'kind'])
    .orderBy('count', 'desc')
    .execute();
  const bySector = await db
    .selectFrom('inquiries')
    .select([sql<string>`coalesce(sector_code, suggested_sector_code, 'other')`.as('sector'), (eb) => eb.fn.countAll<string>().as('count')])
    .where('id', 'in', members)
    .groupBy(sql`1`)
    .orderBy('count', 'desc')
    .execute();
  const latest = await db
    .selectFrom('inquiries')
    .select(['id', 'text', 'authorName', 'postedAt', 'platform'])
    .where('id', 'in', members)
    .orderBy('postedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(3)
    .execute();
  const mostLiked = (await findMostLiked(db, [waveId])).get(waveId) ?? [];
  const statementRows = await db.selectFrom('statements').selectAll().where('waveId', '=', waveId).where('status', '!=', 'cancelled').orderBy('id').execute();
  const statements: WaveCardView['statements'] = [];
  for (const s of statementRows) {
    const counts = await db
      .selectFrom('replies')
      .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
      .where('statementId', '=', s.id)
      .groupBy('status')
      .execute();
    const reasons = await db
      .selectFrom('replies')
      .select(['failureReason', 'failure', (eb) => eb.fn.countAll<string>().as('count')])
      .where('statementId', '=', s.id)
      .where('status', '=', 'failed')
      // The English sentence follows from the code and parameters: the same groups as by `failure_reason` alone, rows from before codes included.
      .groupBy(['failureReason', 'failure'])
      .orderBy('count', 'desc')
      .limit(3)
      .execute();
    const n = (status: string) => Number(counts.find((c) => c.status === status)?.count ?? 0);
    statements.push({
      id: s.id,
      kind: s.kind,
      status: s.status,
      publishedAt: s.publishedAt,
      sent: n('sent'),
      pending: n('pending'),
      failed: n('failed'),
      reasons: reasons.map((r) => ({ failure: r.failure ?? null, text: r.failureReason, count: Number(r.count) })),
    });
  }
  const lastPublished = [...statementRows].reverse().find((s) => s.status === 'published');
  const notReached = lastPublished ? (await findMembersToReach(db, waveId, lastPublished.id)).length : 0;
  return {
    wave,
    count: Number(totals.count),
    byPlatform: byPlatform.map((r) => ({ platform: r.platform, kind: r.kind, count: Number(r.count) })),
    bySector: bySector.map((r) => ({ sector: r.sector, count: Number(r.count) })),
    latest,
    mostLiked,
    lastPostedAt: (totals.last as Date | null) ?? wave.firstPostedAt,
    answered: Number(totals.answered),
    statements,
    notReached,
  };
}

/** A question of a wave with its likes: the sum over its items (`inquiry_messages.like_count`). */
export interface MostLikedQuestion {
  id: number;
  text: string;
  authorName: string | null;
  postedAt: Date;
  platform: string;
  likes: number;
}

/** How many most-liked questions a wave card shows. */
export const MOST_LIKED_SHOWN = 3;

/**
 * Each wave's `limit` most-liked questions (likes > 0; ties: the latest
 * first), by wave id; a wave without likes is absent.
 */
export async function findMostLiked(db: Executor, waveIds: readonly number[], limit = MOST_LIKED_SHOWN): Promise<Map<number, MostLikedQuestion[]>> {
  const out = new Map<number, MostLikedQuestion[]>();
  if (waveIds.length === 0) return out;
  const result = await sql<MostLikedQuestion & { waveId: string | number }>`
    select t.wave_id as "waveId", t.id, t.text, t.author_name as "authorName", t.posted_at as "postedAt", t.platform, t.likes
    from (
      select m.wave_id, i.id, i.text, i.author_name, i.posted_at, i.platform, l.likes,
             row_number() over (partition by m.wave_id order by l.likes desc, i.posted_at desc, i.id desc) as rank
      from wave_members m
      join inquiries i on i.id = m.inquiry_id
      cross join lateral (select coalesce(sum(im.like_count), 0)::int as likes from inquiry_messages im where im.inquiry_id = i.id) l
      where m.wave_id = any(${[...new Set(waveIds)]}::bigint[]) and l.likes > 0
    ) t
    where t.rank <= ${limit}
    order by t.wave_id, t.rank
  `.execute(db);
  for (const r of result.rows) {
    const waveId = Number(r.waveId);
    const list = out.get(waveId) ?? [];
    list.push({ id: Number(r.id), text: r.text, authorName: r.authorName, postedAt: r.postedAt, platform: r.platform, likes: Number(r.likes) });
    out.set(waveId, list);
  }
  return out;
}

/** The suggested or confirmed waves these inquiries are in. */
export async function findOpenWaveIdsOf(db: Executor, inquiryIds: readonly number[]): Promise<number[]> {
  if (inquiryIds.length === 0) return [];
  const rows = await db
    .selectFrom('waveMembers as m')
    .innerJoin('waves as w', 'w.id', 'm.waveId')
    .select('m.waveId')
    .distinct()
    .where('m.inquiryId', 'in', [...new Set(inquiryIds)])
    .where('w.status', 'in', ['suggested', 'confirmed'])
    .orderBy('m.waveId')
    .execute();
  return rows.map((r) => r.waveId);
}

/**
 * Open members of a wave the statement has not reached: no reply of this
 * statement, none pending (one answer in flight per inquiry).
 */
export async function findMembersToReach(db: Executor, waveId: number, statementId: number): Promise<Array<{ id: number; sourceId: number | null; kind: InquiryRow['kind']; platform: Platform }>> {
  return db
    .selectFrom('inquiries as i')
    .innerJoin('waveMembers as m', 'm.inquiryId', 'i.id')
    .select(['i.id', 'i.sourceId', 'i.kind', 'i.platform'])
    .where('m.waveId', '=', waveId)
    .where('i.status', 'in', ['new', 'claimed', 'answered'])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('replies as r').select('r.id').whereRef('r.inquiryId', '=', 'i.id').where((e) => e.or([e('r.statementId', '=', statementId), e('r.status', '=', 'pending')])))))
    .orderBy('i.postedAt')
    .orderBy('i.id')
    .execute();
}

/** The pending replies that publish a statement to questions of its wave. */
export async function insertStatementReplies(
  db: Executor,
  rows: Array<{ inquiryId: number; staffId: number; visibility: ReplyVisibility; text: string; statementId: number; kind: StatementKind }>,
): Promise<Array<{ id: number; inquiryId: number }>> {
  if (rows.length === 0) return [];
  return db.insertInto('replies').values(rows).returning(['id', 'inquiryId']).execute();
}

export async function insertStatement(db: Executor, s: { waveId: number; kind: StatementKind; text: string; staffId: number }): Promise<StatementRow> {
  return db.insertInto('statements').values(s).returningAll().executeTakeFirstOrThrow();
}

export async function findStatementById(db: Executor, id: number): Promise<StatementRow | undefined> {
  return db.selectFrom('statements').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockStatement(trx: Transaction<Database>, id: number): Promise<StatementRow | undefined> {
  return trx.selectFrom('statements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateStatement(db: Executor, id: number, values: Partial<Omit<StatementRow, 'id'>>): Promise<void> {
  await db.updateTable('statements').set(values).where('id', '=', id).execute();
}

/** The wave's latest statement, whatever its state. */
export async function findLatestStatement(db: Executor, waveId: number): Promise<StatementRow | undefined> {
  return db.selectFrom('statements').selectAll().where('waveId', '=', waveId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The states of the replies that publish a statement. */
export async function findStatementReplyStatuses(db: Executor, statementId: number): Promise<Array<ReplyRow['status']>> {
  return (await db.selectFrom('replies').select('status').where('statementId', '=', statementId).execute()).map((r) => r.status);
}

export async function findLatestPublishedStatement(db: Executor, waveId: number): Promise<StatementRow | undefined> {
  return db.selectFrom('statements').selectAll().where('waveId', '=', waveId).where('status', '=', 'published').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * Reserves `count` consecutive moments for statement replies on a source,
 * `intervalMs` apart, from its next free one (or `now`); returns them. The
 * source row is locked for the transaction, so statements published at once
 * share the pace.
 */
export async function reserveStatementSlots(trx: Transaction<Database>, sourceId: number, count: number, intervalMs: number, now: Date): Promise<Date[]> {
  const row = await trx.selectFrom('sources').select('statementNextAt').where('id', '=', sourceId).forUpdate().executeTakeFirst();
  let next = Math.max(now.getTime(), row?.statementNextAt?.getTime() ?? 0);
  const slots: Date[] = [];
  for (let i = 0; i < count; i++) {
    slots.push(new Date(next));
    next += intervalMs;
  }
  await trx.updateTable('sources').set({ statementNextAt: new Date(next) }).where('id', '=', sourceId).execute();
  return slots;
}

/** Questions of a rumour wave posted after its rebuttal was published. */
export async function countQuestionsAfter(db: Executor, waveId: number, at: Date): Promise<number> {
  const row = await db
    .selectFrom('inquiries as i')
    .innerJoin('waveMembers as m', 'm.inquiryId', 'i.id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('m.waveId', '=', waveId)
    .where('i.postedAt', '>', at)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
