import type { Kysely } from 'kysely';
import type { Database, TelegramPromptRow } from '../schema.js';

type Executor = Kysely<Database>;

/** Remembers a force-reply prompt of the bot; a prompt already stored for that message is kept. */
export async function insertPrompt(
  db: Executor,
  prompt: { chatId: number; messageId: number; kind: TelegramPromptRow['kind']; inquiryId?: number | null; draftId?: number | null; staffId: number },
): Promise<void> {
  await db
    .insertInto('telegramPrompts')
    .values({ chatId: prompt.chatId, messageId: prompt.messageId, kind: prompt.kind, inquiryId: prompt.inquiryId ?? null, draftId: prompt.draftId ?? null, staffId: prompt.staffId })
    .onConflict((oc) => oc.columns(['chatId', 'messageId']).doNothing())
    .execute();
}

/** The prompt shown as `messageId` in `chatId`, if that message is one. */
export async function findPrompt(db: Executor, chatId: number, messageId: number): Promise<TelegramPromptRow | undefined> {
  return db.selectFrom('telegramPrompts').selectAll().where('chatId', '=', chatId).where('messageId', '=', messageId).executeTakeFirst();
}
