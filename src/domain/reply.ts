/**
 * What a staff answer is, platform aside: seen by everyone or by the citizen
 * alone, and the way a connector published it.
 */

/** `public`: in the thread for everyone to read; `private`: to the citizen alone. */
export type ReplyVisibility = 'public' | 'private';

/**
 * How a reply was published: an answer in a comment thread, a private reply
 * to a comment, a message in a conversation, or a comment answering where
 * someone mentioned the account (Instagram `POST /{ig-user-id}/mentions`).
 */
export type ReplyChannel = 'comment_reply' | 'private_reply' | 'messenger' | 'mention_reply';

/**
 * What an answer does to its inquiry (DESIGN.md, Domain: status): `final`
 * closes it (the default), `interim` is a first response that leaves it open
 * for the final one, `correction` corrects what was published and changes
 * no state. `solved_question` is the service asking the citizen whether it
 * was solved (ASK_IF_SOLVED), never written by staff.
 */
export type ReplyKind = 'final' | 'interim' | 'correction' | 'solved_question';

/** The kinds staff choose from in the preview. */
export type AnswerKind = Exclude<ReplyKind, 'solved_question'>;

/** The citizen's answer to "was it solved?", or none within the time allowed. */
export type SolvedAnswer = 'yes' | 'no' | 'no_reply';
