/** English. */
import { escapeHtml as e } from '../../telegram/telegram-text.js';
import type { Messages } from './messages.js';

const ROLES = { agent: 'agent', supervisor: 'supervisor', head: 'head of community', admin: 'admin' } as const;

const REASONS: Record<string, string> = {
  not_inquiry: 'not an inquiry',
  spam: 'spam',
  duplicate: 'duplicate',
  handled_offline: 'handled offline',
  removed: 'removed by its author',
};

const STATUSES: Record<string, string> = {
  new: '🆕 new',
  claimed: '🙋 claimed',
  answered: '✅ answered',
  dismissed: '🚫 dismissed',
  closed: '🔒 closed',
};

export const en: Messages = {
  languageName: 'English',

  platform: (p) => ({ facebook: 'Facebook', instagram: 'Instagram', telegram: 'Telegram' })[p],
  kind: (k) => ({ comment: 'comment', message: 'message', mention: 'mention' })[k],
  role: (r) => ROLES[r],
  dismissReason: (r) => REASONS[r] ?? e(r),
  visibility: (v, p) => (v === 'public' ? `public reply on ${en.platform(p)}` : 'private message'),

  cardTitle: (id, p, k) => `<b>#${id}</b> · ${en.platform(p)} · ${en.kind(k)}`,
  cardAuthor: (name, at) => `👤 <b>${name ? e(name) : 'Anonymous'}</b> · ${at}`,
  cardPost: (url) => (url ? `📌 On this post: <a href="${e(url)}">open</a>` : '📌 Under a post'),
  cardConversation: '💬 Private message',
  cardFollowUp: (at) => `➕ Follow-up, ${at}`,
  cardWholeText: 'whole text',
  cardPrevious: (id) => `↪️ Previous inquiry: #${id}`,
  cardSector: (name, suggested) => `🏷 Sector: ${e(name)}${suggested ? ' <i>(suggested)</i>' : ''}`,
  cardNoSector: '🏷 No sector yet',
  cardOpenOn: (p) => `Open on ${en.platform(p)}`,
  cardNoDeletions: 'ℹ️ Telegram does not tell bots when a comment is deleted: if it was, this card will not show it.',
  cardReaction: '🙂 Only thanks or emoji: counted apart as a reaction, not a question.',
  cardDetailsPending: (p) => `⏳ The account was mentioned; the text is being read from ${en.platform(p)}.`,
  cardDetailsUnreadable: (p, reason) => `⚠️ The text of this mention could not be read from ${en.platform(p)}: ${reason}. Open it on ${en.platform(p)}.`,
  stateClaimed: (name, at) => `🙋 Claimed by <b>${e(name)}</b>, ${at}`,
  stateSending: (name) => `⏳ Sending the answer (by ${e(name)})…`,
  stateAwaitingApproval: (name) => `📝 Answer awaiting approval (by ${e(name)})`,
  stateAnswered: (name, took, how) => `✅ Answered by <b>${e(name)}</b> in ${took} · ${how}`,
  stateAnsweredNative: (p, took) => `✅ Answered directly on ${en.platform(p)} in ${took}`,
  stateDismissed: (name, reason) => (name ? `🚫 Dismissed by <b>${e(name)}</b> · ${reason}` : `🚫 Dismissed · ${reason}`),
  stateFailed: (reason) => `⚠️ Delivery failed: ${e(reason)}`,
  stateClosed: '🔒 Closed',
  viewAnswer: 'view',

  btnClaim: '✋ Claim',
  btnRelease: '↩️ Release',
  btnAnswer: '✍️ Answer',
  btnDismiss: '🚫 Not an inquiry',
  btnHideComment: '🙈 Hide the comment',
  toastCommentHidden: (id) => `#${id}: the comment is hidden on the platform`,
  toastCommentNotHidden: (id, why) => `#${id}: the comment was not hidden: ${why}`,
  btnSector: '🏷 Sector',
  btnReassign: '👥 Reassign',
  btnRetry: '🔁 Retry',
  btnBack: '⬅️ Back',
  btnPublishPublic: '📢 Publish',
  btnPublishPrivate: '✉️ As a private message',
  btnSendMessage: '✉️ Send',
  btnSubmitPublic: '📨 For approval (public)',
  btnSubmitPrivate: '📨 For approval (private)',
  btnCancel: '✖️ Cancel',
  btnApprove: '✅ Approve',
  btnSendBack: '↩️ Send back',
  btnWriteAgain: '✍️ Write again',
  btnApproveAs: (r) => `✅ As ${ROLES[r]}`,
  btnReject: '❌ Reject',
  btnMakeCard: (id) => `📄 #${id}: card`,
  btnDismissAll: '🚫 None are inquiries',
  btnOpenCard: '📄 Card',

  toastClaimed: (id) => `✅ You claimed #${id}`,
  toastAlreadyYours: 'This inquiry is already yours',
  toastTakenBy: (name) => `${name} is already handling this inquiry`,
  toastAnsweringBy: (name, waiting) => `${name} is already answering this inquiry: the answer ${waiting ? 'is awaiting approval' : 'is being sent'}`,
  toastAnsweringYours: (waiting) => `Your answer to this inquiry is already ${waiting ? 'awaiting approval' : 'being sent'}`,
  toastAnsweringSomeone: (waiting) => `Someone is already answering this inquiry: the answer ${waiting ? 'is awaiting approval' : 'is being sent'}`,
  toastTooLong: (length, max) => `Too long: ${length} characters, at most ${max}. Shorten it and send the new text as a reply to the preview`,
  toastNotOpen: 'This inquiry is already closed',
  toastReleased: (id) => `You released #${id}`,
  toastNotYours: 'Someone else is handling this inquiry',
  toastDismissed: (id, reason) => `#${id} dismissed: ${reason}`,
  toastSectorSet: (name) => `Sector: ${name}`,
  toastReassigned: (id, name) => `#${id} reassigned to ${name}`,
  toastNotAllowed: 'You are not allowed to do this',
  toastNotStaff: 'You are not on the staff. Send /start to the bot to ask for access',
  toastStale: 'This button no longer works',
  toastOpenPrivateChat: 'Open a chat with the bot and press Start first, then try again',
  toastPromptSent: 'Write your answer in the private chat with the bot',
  toastDone: 'Done',
  toastRetrying: '🔁 Sending again',
  toastLanguageSet: 'Language changed',
  toastError: '⚠️ That did not work; try again in a moment',

  chooseSector: (id) => `🏷 Choose the sector of #${id}`,
  chooseDismissReason: (id) => `🚫 Why are you dismissing #${id}?`,
  chooseAssignee: (id) => `👥 Who should take #${id}?`,
  noAssignees: 'There is nobody else to reassign it to',

  answerPrompt: (id, excerpt) => `✍️ Write your answer to #${id} as a reply to this message.\n\n<blockquote>${e(excerpt)}</blockquote>`,
  previewPublic: (id, p, k, text, canPrivate, ask = true) =>
    `👀 This is how it will be published on ${en.platform(p)}, in reply to ${en.kind(k)} #${id}:\n\n<blockquote>${e(text)}</blockquote>` +
    (ask ? `\n\n${canPrivate ? '“As a private message” sends it to the author privately instead; it will not show under the comment.\n\n' : ''}Publish?` : ''),
  previewMessage: (id, p, text, ask = true) =>
    `👀 This is how it will be sent to the author of #${id} as a private ${en.platform(p)} message:\n\n<blockquote>${e(text)}</blockquote>${ask ? '\n\nSend?' : ''}`,
  previewLength: (n, limits) =>
    limits.public !== undefined && limits.private !== undefined
      ? `Characters: ${n} (at most ${limits.public} in a public reply, ${limits.private} in a private message)`
      : `Characters: ${n}${(limits.public ?? limits.private) === undefined ? '' : ` (at most ${limits.public ?? limits.private})`}`,
  previewTooLong: (over) => `⛔ Too long (${over} over the limit): shorten it and send the new text as a reply to this message.`,
  previewTooLongPrivate: (max) =>
    `⚠️ Too long for a private message (at most ${max} characters): publish it as a public reply, or shorten it and send the new text as a reply to this message.`,
  previewRefused: (visibility, reason) =>
    `⛔ ${visibility === 'private' ? 'Private reply: ' : visibility === 'public' ? 'Public reply: ' : ''}${e(reason)}`,
  previewNeedsApproval: 'A supervisor will approve it first.',
  previewTruncated: '(the preview is shortened; the whole text will be published)',
  draftSending: '⏳ Sending the answer…',
  draftSubmitted: '📨 Sent for approval',
  draftCancelled: '✖️ Cancelled',
  draftStale: 'This draft is no longer current',
  answerEmpty: 'An answer must be text',
  approvalRequest: (id, author, text) => `📝 Answer to #${id} for approval (by <b>${e(author)}</b>):\n\n<blockquote>${e(text)}</blockquote>`,
  approvalDecided: (approved, by) => (approved ? `✅ Approved by ${e(by)}` : `↩️ Sent back by ${e(by)}`),
  approved: (id, by) => `✅ Your answer to #${id} was approved (${e(by)}) and is being sent.`,
  sendBackPrompt: (id) => `↩️ Write what to change in the answer to #${id} (reply to this message).`,
  returned: (id, by, comment) => `↩️ Your answer to #${id} was sent back (${e(by)}):\n\n<blockquote>${e(comment)}</blockquote>\n\nPlease write a new version.`,
  returnedDone: '↩️ Sent back to the author',
  replyPublished: (id, p) => `✅ Your answer to #${id} was published on ${en.platform(p)}.`,
  replyFailed: (id, reason) => `⚠️ Your answer to #${id} was not published: ${e(reason)}`,

  remindUnclaimed: (id, waited) => `⏰ #${id} has been waiting for ${waited} and nobody has claimed it yet. Who will take it?`,
  remindClaimed: (id, waited) => `⏰ You claimed #${id} ${waited} ago and it has no answer yet.`,
  escalation: (id, target, claimant) =>
    `🚨 The first-response target of #${id} (${target}) has passed and there is still no answer. ` +
    (claimant ? `<b>${e(claimant)}</b> is handling it.` : 'Nobody has claimed it.'),


  previewKind: (k, closed) =>
    k === 'interim'
      ? '⏳ <b>Interim answer</b>: the first response; the inquiry stays open for the final answer.'
      : k === 'correction'
        ? '✏️ <b>Correction</b> of what was published; the inquiry stays as it is.'
        : closed
          ? '➕ <b>Further answer</b>; the inquiry stays closed.'
          : '✅ <b>Final answer</b>: it closes the inquiry.',
  btnAnswerKind: (k, closed) => (k === 'interim' ? '⏳ Make it interim' : k === 'correction' ? '✏️ Make it a correction' : closed ? '➕ Make it a further answer' : '✅ Make it final'),
  stateInterim: (due) => `⏳ Interim answer only${due ? `; the final answer is due ${due}` : ''}`,
  stateReopened: (n) => `↩️ Reopened${n > 1 ? ` (${n} times)` : ''}: a final answer is needed again`,
  resolutionOverdue: (id, target, handler) =>
    `⏰ The resolution target of #${id} (${target}) has passed and it has no final answer yet. ` + (handler ? `<b>${e(handler)}</b> is handling it.` : 'Nobody is handling it.'),
  reopened: (id, why) => (why === 'follow_up' ? `↩️ #${id} was reopened: the citizen wrote again after the final answer.` : `↩️ #${id} was reopened: the citizen says it is not solved.`),
  solvedAnswered: (id, solved) => (solved ? `👍 The citizen of #${id} says it is solved.` : `👎 The citizen of #${id} says it is not solved.`),
  solvedQuestion: 'Hello! A few days ago we answered your question. Has the problem been solved?',
  solvedYes: 'Yes, solved',
  solvedNo: 'No, not solved',
  queueTitle: (n) => `📋 <b>Open inquiries: ${n}</b> (oldest first)`,
  queueEmpty: '🎉 No open inquiries',
  mineTitle: (n) => `🙋 <b>Your open inquiries: ${n}</b>`,
  mineEmpty: 'You have no open inquiries',
  findTitle: (q, n) => `🔎 “${e(q)}”: ${n} found`,
  findEmpty: (q) => `🔎 “${e(q)}”: nothing found`,
  findUsage: '🔎 Write /find and a word to look for, e.g. /find water',
  listMore: (n) => `…and ${n} more`,
  listClaimedBy: (name) => `🙋 ${e(name)}`,
  awaitingFinalTitle: (n) => `⏳ <b>Waiting for a final answer: ${n}</b>`,
  listAnsweredBy: (name) => `✍️ ${e(name)}`,
  listStatus: (s) => STATUSES[s] ?? e(s),
  fullTitle: (id) => `📄 <b>Whole text of #${id}</b>`,

  startStaff: (name, role) => `👋 Hello, ${e(name)}! You are on the staff as ${ROLES[role]}.\nCommands: /help`,
  accessRequested: '✅ Your request was sent to the admins. We will let you know when they decide.',
  accessPending: '⏳ Your request was already sent and is waiting for an admin.',
  accessRejectedBefore: 'Your request was rejected. Please contact an admin if you have questions.',
  accessRequest: (name, username, id) => `👤 New access request: <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} · Telegram id ${id}\nAdd to the staff?`,
  accessApproved: (role) => `✅ You were added to the staff as ${ROLES[role]}. Commands: /help`,
  accessRejected: 'Your access request was rejected.',
  accessDecided: (name, role, by) => (role ? `✅ ${e(name)}: added as ${ROLES[role]} · by ${e(by)}` : `❌ ${e(name)}: rejected · by ${e(by)}`),
  reassignedToYou: (id, by) => `👥 #${id} was reassigned to you (by ${e(by)}).`,
  staffTitle: (n) => `👥 <b>Staff: ${n}</b>`,
  staffLine: (name, username, role, active) => `• <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} — ${ROLES[role]}${active ? '' : ' · deactivated'}`,
  notStaff: 'You are not on the staff list. Send /start to ask for access.',
  notAllowed: 'This command is not available to you.',

  help: (role, reports) =>
    [
      'ℹ️ <b>How it works</b>',
      'Every new inquiry appears in the group as a card.',
      '✋ <b>Claim</b>: it becomes yours.',
      '✍️ <b>Answer</b>: reply to the card in the group, or press the button and write to the bot privately. The bot shows how the answer will be published and asks before publishing.',
      '🚫 <b>Not an inquiry</b>: dismiss it (spam, duplicate…).',
      '🏷 <b>Sector</b>: set the sector.',
      ...(role === 'supervisor' || role === 'admin' ? ['👥 Supervisors can also reassign inquiries and approve answers.'] : []),
      '',
      '/queue — open inquiries, oldest first',
      '/mine — the inquiries you claimed',
      '/find text — search',
      ...(reports ? ['/report — report', '/stats — key figures'] : []),
      '/log — log a hearing, a reception, a session (the year\'s counters)',
      '/remark — a remark for the year\'s report',
      '/year — the year in numbers',
      ...(role === 'admin' ? ['/staff — the staff'] : []),
      '/lang — language',
      '/help — this help',
    ].join('\n'),
  chooseLanguage: '🌐 Choose your language',
  languageSet: '🌐 Language: English',
  adminAlert: (message) => `⚠️ <b>For the admins</b>\n\n${e(message)}`,
  staffGroupRemoved: (reason) =>
    `⚠️ <b>For the admins</b>\n\nThe bot can no longer post in the staff group (${e(reason)}). Add it back to the group as an admin: until then new questions get no cards; they wait and are posted when the bot is back.`,
  staffGroupBack: '✅ <b>For the admins</b>\n\nThe bot is in the staff group again; the cards that waited are being posted.',
  lowPrioritySummary: (n) =>
    `🗂 <b>Low-priority reactions: ${n}</b>\nThanks, emoji, tags: they usually need no answer. If one of them is a question, turn it into a card.`,
  lowPriorityItem: (id, author, text) => `#${id} · ${author ? e(author) : 'Anonymous'} · “${e(text)}”`,
  lowPriorityDismissedAll: (by) => `🚫 All dismissed as not inquiries · ${e(by)}`,
  lowPriorityMadeCard: (id) => `📄 A card was made for #${id}`,
  errorGeneric: '⚠️ Something went wrong. Try again in a moment; if it keeps failing, tell an admin.',
  commands: {
    queue: 'Open inquiries, oldest first',
    mine: 'My inquiries',
    find: 'Search inquiries',
    help: 'Help',
    lang: 'Language',
    report: 'Report',
    stats: 'Key figures',
    staff: 'The staff',
    log: 'Log a counter (hearing, reception, session)',
    remark: "A remark for the year's report",
    year: 'The year in numbers',
  },

  units: { d: 'd', h: 'h', m: 'min', lessThanMinute: '&lt;1 min' },
};
