import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, ReplyDraftRow, ReplyDraftTable } from '../schema.js';

type Executor = Kysely<Database>;

export async function findReplyDraftById(db: Executor, id: number): Promise<ReplyDraftRow | undefined> {
  return db.selectFrom('replyDrafts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks a draft for this transaction (a draft is confirmed, cancelled or decided once). */
export async function lockReplyDraft(trx: Transaction<Database>, id: number): Promise<ReplyDraftRow | undefined> {
  return trx.selectFrom('replyDrafts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The draft whose preview is the message `messageId` of `chatId`. */
export async function findReplyDraftByPreview(db: Executor, chatId: number, messageId: number): Promise<ReplyDraftRow | undefined> {
  return db.selectFrom('replyDrafts').selectAll().where('chatId', '=', chatId).where('previewMessageId', '=', messageId).executeTakeFirst();
}

export async function insertReplyDraft(db: Executor, draft: Insertable<ReplyDraftTable>): Promise<ReplyDraftRow> {
  return db.insertInto('replyDrafts').values(draft).returningAll().executeTakeFirstOrThrow();
}

/** Changes a draft; `updated_at` only when `changes` says so (drafts keep the action's clock). */
export async function updateReplyDraft(db: Executor, id: number, changes: Updateable<ReplyDraftTable>): Promise<ReplyDraftRow> {
  return db.updateTable('replyDrafts').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Changes the drafts of one author for one inquiry that are not confirmed yet (being written or sent back). */
export async function updateUnconfirmedReplyDrafts(db: Executor, inquiryId: number, staffId: number, changes: Updateable<ReplyDraftTable>): Promise<void> {
  await db.updateTable('replyDrafts').set(changes).where('inquiryId', '=', inquiryId).where('staffId', '=', staffId).where('status', 'in', ['draft', 'returned']).execute();
}

/** The oldest draft of an inquiry waiting for a supervisor's approval, if any. */
export async function findReplyDraftAwaitingApproval(db: Executor, inquiryId: number): Promise<ReplyDraftRow | undefined> {
  return db.selectFrom('replyDrafts').selectAll().where('inquiryId', '=', inquiryId).where('status', '=', 'awaiting_approval').orderBy('id').limit(1).executeTakeFirst();
}
