/**
 * What a staff answer is, platform aside: seen by everyone or by the citizen
 * alone, and the way a connector published it.
 */

/** `public`: in the thread for everyone to read; `private`: to the citizen alone. */
export type ReplyVisibility = 'public' | 'private';

/** How a reply was published: an answer in a comment thread, a private reply to a comment, a message in a conversation. */
export type ReplyChannel = 'comment_reply' | 'private_reply' | 'messenger';
