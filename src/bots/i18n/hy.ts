/**
 * Armenian, the default language of the staff. Written for people who read
 * it all day: short, plain, in the polite plural.
 */
import { escapeHtml as e } from '../../telegram/telegram-text.js';
import type { Messages } from './messages.js';

/**
 * A name with the Armenian definite article, as the subject of a sentence:
 * Անի → Անին, Արամ Պետրոսյան → Արամ Պետրոսյանը, Ani → Ani-ն.
 */
export function withArticle(name: string): string {
  const n = name.trim();
  if (/[\u0561-\u0587]$/u.test(n)) return `${n}${/(?:[աեէըիոօ]|ու)$/u.test(n) ? 'ն' : 'ը'}`;
  if (/[A-Za-z\u0400-\u04FF]$/u.test(n)) return `${n}-${/[aeiouyаеёиоуыэюя]$/iu.test(n) ? 'ն' : 'ը'}`;
  return n;
}

const ROLES = { agent: 'աշխատակից', supervisor: 'բաժնի պետ', head: 'համայնքի ղեկավար', admin: 'ադմինիստրատոր' } as const;

const REASONS: Record<string, string> = {
  not_inquiry: 'հարց չէ',
  spam: 'սպամ',
  duplicate: 'կրկնություն',
  handled_offline: 'լուծվել է այլ կերպ',
  removed: 'հեղինակը ջնջել է',
};

const STATUSES: Record<string, string> = {
  new: '🆕 նոր',
  claimed: '🙋 վերցված',
  answered: '✅ պատասխանված',
  dismissed: '🚫 փակված',
  closed: '🔒 փակված',
};

export const hy: Messages = {
  languageName: 'Հայերեն',

  platform: (p) => ({ facebook: 'Facebook', instagram: 'Instagram', telegram: 'Telegram' })[p],
  kind: (k) => ({ comment: 'մեկնաբանություն', message: 'հաղորդագրություն', mention: 'նշում' })[k],
  role: (r) => ROLES[r],
  dismissReason: (r) => REASONS[r] ?? e(r),
  visibility: (v, p) => (v === 'public' ? `հանրային պատասխան ${hy.platform(p)}-ում` : 'անձնական նամակ'),

  cardTitle: (id, p, k) => `<b>#${id}</b> · ${hy.platform(p)} · ${hy.kind(k)}`,
  cardAuthor: (name, at) => `👤 <b>${name ? e(name) : 'Անանուն'}</b> · ${at}`,
  cardPost: (url) => (url ? `📌 Մեկնաբանված գրառումը՝ <a href="${e(url)}">բացել</a>` : '📌 Գրառման տակ'),
  cardConversation: '💬 Անձնական նամակ',
  cardFollowUp: (at) => `➕ Լրացում՝ ${at}`,
  cardWholeText: 'ամբողջ տեքստը',
  cardPrevious: (id) => `↪️ Նախորդ հարցը՝ #${id}`,
  cardSector: (name, suggested) => `🏷 Ոլորտ՝ ${e(name)}${suggested ? ' <i>(առաջարկ)</i>' : ''}`,
  cardNoSector: '🏷 Ոլորտը նշված չէ',
  cardOpenOn: (p) => `Բացել ${hy.platform(p)}-ում`,
  cardNoDeletions: 'ℹ️ Telegram-ը բոտերին չի հայտնում ջնջված մեկնաբանությունների մասին. եթե այն ջնջվել է, այստեղ դա չի երևա։',
  cardReaction: '🙂 Միայն շնորհակալություն կամ էմոջի․ հաշվվում է առանձին՝ որպես արձագանք, ոչ թե հարց։',
  cardDetailsPending: (p) => `⏳ Հաշիվը նշվել է. տեքստը կարդացվում է ${hy.platform(p)}-ից։`,
  cardDetailsUnreadable: (p, reason) => `⚠️ Այս նշման տեքստը հնարավոր չեղավ կարդալ ${hy.platform(p)}-ից. ${reason}։ Բացեք այն ${hy.platform(p)}-ում։`,
  stateClaimed: (name, at) => `🙋 Վերցրեց՝ <b>${e(name)}</b>, ${at}`,
  stateSending: (name) => `⏳ Պատասխանն ուղարկվում է (հեղինակ՝ ${e(name)})…`,
  stateAwaitingApproval: (name) => `📝 Պատասխանը սպասում է հաստատման (հեղինակ՝ ${e(name)})`,
  stateAnswered: (name, took, how) => `✅ Պատասխանեց՝ <b>${e(name)}</b> · ${took}-ում · ${how}`,
  stateAnsweredNative: (p, took) => `✅ Պատասխանվել է անմիջապես ${hy.platform(p)}-ում · ${took}-ում`,
  stateDismissed: (name, reason) => (name ? `🚫 Փակեց՝ <b>${e(name)}</b> · պատճառը՝ ${reason}` : `🚫 Փակված է · պատճառը՝ ${reason}`),
  stateFailed: (reason) => `⚠️ Պատասխանը չհրապարակվեց՝ ${e(reason)}`,
  stateClosed: '🔒 Փակված է',
  viewAnswer: 'տեսնել',

  btnClaim: '✋ Վերցնել',
  btnRelease: '↩️ Հրաժարվել',
  btnAnswer: '✍️ Պատասխանել',
  btnDismiss: '🚫 Հարց չէ',
  btnHideComment: '🙈 Թաքցնել մեկնաբանությունը',
  toastCommentHidden: (id) => `#${id}․ մեկնաբանությունը թաքցվեց`,
  toastCommentNotHidden: (id, why) => `#${id}․ մեկնաբանությունը չթաքցվեց՝ ${why}`,
  btnSector: '🏷 Ոլորտ',
  btnReassign: '👥 Փոխանցել',
  btnRetry: '🔁 Կրկին փորձել',
  btnBack: '⬅️ Հետ',
  btnPublishPublic: '📢 Հրապարակել',
  btnPublishPrivate: '✉️ Անձնական նամակով',
  btnSendMessage: '✉️ Ուղարկել',
  btnSubmitPublic: '📨 Հաստատման (հանրային)',
  btnSubmitPrivate: '📨 Հաստատման (անձնական)',
  btnCancel: '✖️ Չեղարկել',
  btnApprove: '✅ Հաստատել',
  btnSendBack: '↩️ Վերադարձնել',
  btnWriteAgain: '✍️ Գրել նորից',
  btnApproveAs: (r) => `✅ Որպես ${ROLES[r]}`,
  btnReject: '❌ Մերժել',
  btnMakeCard: (id) => `📄 #${id}՝ քարտ`,
  btnDismissAll: '🚫 Բոլորը՝ հարց չեն',
  btnOpenCard: '📄 Քարտը',

  toastClaimed: (id) => `✅ Դուք վերցրիք #${id} հարցը`,
  toastAlreadyYours: 'Այս հարցն արդեն ձերն է',
  toastTakenBy: (name) => `Այս հարցով արդեն զբաղվում է ${withArticle(name)}`,
  toastAnsweringBy: (name, waiting) => `Այս հարցին արդեն պատասխանում է ${withArticle(name)}․ ${waiting ? 'պատասխանը սպասում է հաստատման' : 'պատասխանն ուղարկվում է'}`,
  toastAnsweringYours: (waiting) => `Ձեր պատասխանն այս հարցին արդեն ${waiting ? 'սպասում է հաստատման' : 'ուղարկվում է'}`,
  toastAnsweringSomeone: (waiting) => `Այս հարցին արդեն պատասխանում են․ ${waiting ? 'պատասխանը սպասում է հաստատման' : 'պատասխանն ուղարկվում է'}`,
  toastTooLong: (length, max) => `Չափազանց երկար է՝ ${length} նիշ, առավելագույնը՝ ${max}։ Կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով նախադիտմանը`,
  toastNotOpen: 'Այս հարցն արդեն փակված է',
  toastReleased: (id) => `Դուք հրաժարվեցիք #${id} հարցից`,
  toastNotYours: 'Այս հարցով զբաղվում է մեկ ուրիշը',
  toastDismissed: (id, reason) => `#${id} հարցը փակվեց՝ ${reason}`,
  toastSectorSet: (name) => `Ոլորտը՝ ${name}`,
  toastReassigned: (id, name) => `#${id} հարցը փոխանցվեց՝ ${name}`,
  toastNotAllowed: 'Այս գործողությունը ձեզ հասանելի չէ',
  toastNotStaff: 'Դուք աշխատակազմում չեք։ Մուտքի հայտի համար գրեք բոտին /start',
  toastStale: 'Այս կոճակն այլևս չի գործում',
  toastOpenPrivateChat: 'Նախ բացեք զրույցը բոտի հետ և սեղմեք Start, հետո կրկին փորձեք',
  toastPromptSent: 'Գրեք պատասխանը բոտի հետ անձնական զրույցում',
  toastDone: 'Պատրաստ է',
  toastRetrying: '🔁 Կրկին ուղարկում ենք',
  toastLanguageSet: 'Լեզուն փոխվեց',
  toastError: '⚠️ Չստացվեց, փորձեք մի փոքր ուշ',

  chooseSector: (id) => `🏷 Ընտրեք #${id} հարցի ոլորտը`,
  chooseDismissReason: (id) => `🚫 Ինչո՞ւ եք փակում #${id} հարցը`,
  chooseAssignee: (id) => `👥 Ո՞ւմ փոխանցել #${id} հարցը`,
  noAssignees: 'Փոխանցելու համար այլ աշխատակից չկա',

  answerPrompt: (id, excerpt) => `✍️ Գրեք պատասխանը #${id} հարցին՝ պատասխանելով այս հաղորդագրությանը։\n\n<blockquote>${e(excerpt)}</blockquote>`,
  previewPublic: (id, p, k, text, canPrivate, ask = true) =>
    `👀 Այսպես կհրապարակվի ${hy.platform(p)}-ում՝ ի պատասխան #${id} ${k === 'mention' ? 'նշման' : 'մեկնաբանության'}․\n\n<blockquote>${e(text)}</blockquote>` +
    (ask ? `\n\n${canPrivate ? '«Անձնական նամակով»՝ պատասխանը կգնա հեղինակին անձնական նամակով և չի երևա մեկնաբանությունների մեջ։\n\n' : ''}Հրապարակե՞լ։` : ''),
  previewMessage: (id, p, text, ask = true) =>
    `👀 Այսպես կուղարկվի #${id} հարցի հեղինակին ${hy.platform(p)}-ի անձնական նամակով․\n\n<blockquote>${e(text)}</blockquote>${ask ? '\n\nՈւղարկե՞լ։' : ''}`,
  previewLength: (n, limits) =>
    limits.public !== undefined && limits.private !== undefined
      ? `Նիշեր՝ ${n} (առավելագույնը՝ ${limits.public} հանրային պատասխանում, ${limits.private}՝ անձնական նամակում)`
      : `Նիշեր՝ ${n}${(limits.public ?? limits.private) === undefined ? '' : ` (առավելագույնը՝ ${limits.public ?? limits.private})`}`,
  previewTooLong: (over) => `⛔ Չափազանց երկար է (${over} նիշ ավել)․ կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով այս հաղորդագրությանը։`,
  previewTooLongPrivate: (max) =>
    `⚠️ Անձնական նամակի համար չափազանց երկար է (առավելագույնը՝ ${max} նիշ)․ հրապարակեք հանրային պատասխանով կամ կրճատեք և ուղարկեք նոր տեքստը՝ պատասխանելով այս հաղորդագրությանը։`,
  previewRefused: (visibility, reason) =>
    `⛔ ${visibility === 'private' ? 'Անձնական պատասխան՝ ' : visibility === 'public' ? 'Հանրային պատասխան՝ ' : ''}${e(reason)}`,
  previewNeedsApproval: 'Պատասխանը նախ կհաստատի բաժնի պետը։',
  previewTruncated: '(նախադիտումը կրճատված է, կհրապարակվի ամբողջությամբ)',
  draftSending: '⏳ Պատասխանն ուղարկվում է…',
  draftSubmitted: '📨 Պատասխանն ուղարկվեց հաստատման',
  draftCancelled: '✖️ Չեղարկված է',
  draftStale: 'Այս նախագիծն այլևս արդիական չէ',
  answerEmpty: 'Պատասխանը պետք է տեքստ լինի',
  approvalRequest: (id, author, text) => `📝 Պատասխան #${id} հարցին՝ հաստատման համար (հեղինակ՝ <b>${e(author)}</b>)․\n\n<blockquote>${e(text)}</blockquote>`,
  approvalDecided: (approved, by) => (approved ? `✅ Հաստատեց՝ ${e(by)}` : `↩️ Վերադարձրեց՝ ${e(by)}`),
  approved: (id, by) => `✅ Ձեր պատասխանը #${id} հարցին հաստատվեց (${e(by)}) և ուղարկվում է։`,
  sendBackPrompt: (id) => `↩️ Գրեք՝ ինչ փոխել #${id} հարցի պատասխանում (պատասխանեք այս հաղորդագրությանը)։`,
  returned: (id, by, comment) => `↩️ Ձեր պատասխանը #${id} հարցին վերադարձվեց (${e(by)})․\n\n<blockquote>${e(comment)}</blockquote>\n\nԳրեք նոր տարբերակը։`,
  returnedDone: '↩️ Վերադարձվեց հեղինակին',
  replyPublished: (id, p) => `✅ Ձեր պատասխանը #${id} հարցին հրապարակվեց ${hy.platform(p)}-ում։`,
  replyFailed: (id, reason) => `⚠️ Ձեր պատասխանը #${id} հարցին չհրապարակվեց՝ ${e(reason)}`,

  remindUnclaimed: (id, waited) => `⏰ #${id} հարցը սպասում է արդեն ${waited}, բայց դեռ ոչ ոք չի վերցրել։ Ո՞վ կզբաղվի։`,
  remindClaimed: (id, waited) => `⏰ Դուք վերցրել եք #${id} հարցը ${waited} առաջ, բայց պատասխան դեռ չկա։`,
  escalation: (id, target, claimant) =>
    `🚨 #${id} հարցի առաջին պատասխանի ժամկետը (${target}) լրացել է, իսկ պատասխան դեռ չկա։ ` +
    (claimant ? `Զբաղվում է՝ <b>${e(claimant)}</b>։` : 'Հարցը ոչ ոք չի վերցրել։'),


  previewKind: (k, closed) =>
    k === 'interim'
      ? '⏳ <b>Միջանկյալ պատասխան</b>՝ առաջին արձագանքը․ հարցը բաց կմնա վերջնական պատասխանի համար։'
      : k === 'correction'
        ? '✏️ <b>Ուղղում</b> հրապարակվածի մեջ․ հարցի վիճակը չի փոխվի։'
        : closed
          ? '➕ <b>Լրացուցիչ պատասխան</b>․ հարցը կմնա փակված։'
          : '✅ <b>Վերջնական պատասխան</b>՝ կփակի հարցը։',
  btnAnswerKind: (k, closed) => (k === 'interim' ? '⏳ Դարձնել միջանկյալ' : k === 'correction' ? '✏️ Դարձնել ուղղում' : closed ? '➕ Դարձնել լրացուցիչ պատասխան' : '✅ Դարձնել վերջնական'),
  stateInterim: (due) => `⏳ Տրված է միայն միջանկյալ պատասխան${due ? `․ վերջնականի ժամկետը՝ ${due}` : ''}`,
  stateReopened: (n) => `↩️ Վերաբացված է${n > 1 ? ` (${n} անգամ)` : ''}․ կրկին պետք է վերջնական պատասխան`,
  resolutionOverdue: (id, target, handler) =>
    `⏰ #${id} հարցի լուծման ժամկետը (${target}) լրացել է, իսկ վերջնական պատասխան դեռ չկա։ ` + (handler ? `Զբաղվում է՝ <b>${e(handler)}</b>։` : 'Հարցով ոչ ոք չի զբաղվում։'),
  reopened: (id, why) => (why === 'follow_up' ? `↩️ #${id} հարցը վերաբացվեց․ քաղաքացին կրկին գրեց վերջնական պատասխանից հետո։` : `↩️ #${id} հարցը վերաբացվեց․ քաղաքացին ասում է, որ խնդիրը լուծված չէ։`),
  solvedAnswered: (id, solved) => (solved ? `👍 #${id} հարցի հեղինակն ասում է, որ խնդիրը լուծված է։` : `👎 #${id} հարցի հեղինակն ասում է, որ խնդիրը լուծված չէ։`),
  solvedQuestion: 'Բարև Ձեզ։ Մի քանի օր առաջ պատասխանել ենք Ձեր հարցին։ Խնդիրը լուծվե՞լ է։',
  solvedYes: 'Այո, լուծվել է',
  solvedNo: 'Ոչ, չի լուծվել',
  queueTitle: (n) => `📋 <b>Բաց հարցեր՝ ${n}</b> (ամենահները՝ վերևում)`,
  queueEmpty: '🎉 Բաց հարց չկա',
  mineTitle: (n) => `🙋 <b>Ձեր բաց հարցերը՝ ${n}</b>`,
  mineEmpty: 'Դուք բաց հարց չունեք',
  findTitle: (q, n) => `🔎 «${e(q)}»՝ գտնվեց ${n}`,
  findEmpty: (q) => `🔎 «${e(q)}»՝ ոչինչ չգտնվեց`,
  findUsage: '🔎 Գրեք /find և փնտրվող բառը, օրինակ՝ /find ջուր',
  listMore: (n) => `…և ևս ${n}`,
  listClaimedBy: (name) => `🙋 ${e(name)}`,
  awaitingFinalTitle: (n) => `⏳ <b>Վերջնական պատասխանի սպասող՝ ${n}</b>`,
  listAnsweredBy: (name) => `✍️ ${e(name)}`,
  listStatus: (s) => STATUSES[s] ?? e(s),
  fullTitle: (id) => `📄 <b>#${id} հարցի ամբողջ տեքստը</b>`,

  startStaff: (name, role) => `👋 Բարև, ${e(name)}։ Դուք աշխատակազմում եք որպես ${ROLES[role]}։\nՀրամանների ցանկը՝ /help`,
  accessRequested: '✅ Ձեր հայտն ուղարկվեց ադմինիստրատորներին։ Կտեղեկացնենք, երբ որոշում կայացնեն։',
  accessPending: '⏳ Ձեր հայտն արդեն ուղարկված է և սպասում է ադմինիստրատորի որոշմանը։',
  accessRejectedBefore: 'Ձեր հայտը մերժվել է։ Հարցերի դեպքում դիմեք ադմինիստրատորին։',
  accessRequest: (name, username, id) =>
    `👤 Մուտքի նոր հայտ՝ <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} · Telegram id ${id}\nԱվելացնե՞լ աշխատակազմին։`,
  accessApproved: (role) => `✅ Ձեզ ավելացրին աշխատակազմին որպես ${ROLES[role]}։ Հրամանների ցանկը՝ /help`,
  accessRejected: 'Ձեր մուտքի հայտը մերժվեց։',
  accessDecided: (name, role, by) =>
    role ? `✅ ${e(name)}՝ ավելացվեց որպես ${ROLES[role]} · որոշեց՝ ${e(by)}` : `❌ ${e(name)}՝ հայտը մերժվեց · որոշեց՝ ${e(by)}`,
  reassignedToYou: (id, by) => `👥 Ձեզ փոխանցվեց #${id} հարցը (փոխանցեց՝ ${e(by)})։`,
  staffTitle: (n) => `👥 <b>Աշխատակազմ՝ ${n}</b>`,
  staffLine: (name, username, role, active) =>
    `• <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} — ${ROLES[role]}${active ? '' : ' · ապաակտիվացված'}`,
  notStaff: 'Դուք աշխատակազմի ցուցակում չեք։ Մուտքի հայտ ուղարկելու համար գրեք /start։',
  notAllowed: 'Այս հրամանը ձեզ հասանելի չէ։',

  help: (role, reports) =>
    [
      'ℹ️ <b>Ինչպես աշխատել</b>',
      'Յուրաքանչյուր նոր հարց խմբում հայտնվում է քարտով։',
      '✋ <b>Վերցնել</b>՝ հարցը դառնում է ձերը։',
      '✍️ <b>Պատասխանել</b>՝ պատասխանեք քարտին խմբում կամ սեղմեք կոճակը և գրեք բոտին անձնական զրույցում։ Բոտը ցույց կտա, թե ինչպես կհրապարակվի պատասխանը, և կհարցնի՝ հրապարակե՞լ։',
      '🚫 <b>Հարց չէ</b>՝ փակել (սպամ, կրկնություն…)։',
      '🏷 <b>Ոլորտ</b>՝ նշել ոլորտը։',
      ...(role === 'supervisor' || role === 'admin' ? ['👥 Բաժնի պետը կարող է նաև փոխանցել հարցը ուրիշին և հաստատել պատասխանները։'] : []),
      '',
      '/queue — բաց հարցերը՝ ամենահնից',
      '/mine — ձեր վերցրած հարցերը',
      '/find տեքստ — որոնում',
      ...(reports ? ['/report — հաշվետվություն', '/stats — ցուցանիշներ'] : []),
      '/log — գրանցել լսում, ընդունելություն, նիստ (տարվա ցուցանիշները)',
      '/remark — դիտողություն տարեկան հաշվետվության համար',
      '/year — տարին թվերով',
      ...(role === 'admin' ? ['/staff — աշխատակազմը'] : []),
      '/lang — լեզուն',
      '/help — այս օգնությունը',
    ].join('\n'),
  chooseLanguage: '🌐 Ընտրեք լեզուն',
  languageSet: '🌐 Լեզուն՝ հայերեն',
  adminAlert: (message) => `⚠️ <b>Ադմինիստրատորների ուշադրությանը</b>\n\n${e(message)}`,
  staffGroupRemoved: (reason) =>
    `⚠️ <b>Ադմինիստրատորների ուշադրությանը</b>\n\nԲոտն այլևս չի կարող գրել աշխատակազմի խմբում (${e(reason)})։ Նորից ավելացրեք այն խմբում որպես ադմինիստրատոր. մինչ այդ նոր հարցերի քարտերը չեն ուղարկվում, դրանք սպասում են և կուղարկվեն, երբ բոտը վերադառնա։`,
  staffGroupBack: '✅ <b>Ադմինիստրատորների ուշադրությանը</b>\n\nԲոտը կրկին աշխատակազմի խմբում է. սպասող քարտերն ուղարկվում են։',
  lowPrioritySummary: (n) =>
    `🗂 <b>Երկրորդական արձագանքներ՝ ${n}</b>\nՇնորհակալություններ, էմոջիներ, նշումներ․ սովորաբար պատասխան չեն պահանջում։ Եթե դրանց մեջ հարց կա, դարձրեք այն քարտ։`,
  lowPriorityItem: (id, author, text) => `#${id} · ${author ? e(author) : 'Անանուն'} · «${e(text)}»`,
  lowPriorityDismissedAll: (by) => `🚫 Բոլորը փակվեցին որպես «հարց չէ» · ${e(by)}`,
  lowPriorityMadeCard: (id) => `📄 #${id} հարցի համար ստեղծվեց քարտ`,
  errorGeneric: '⚠️ Ինչ-որ բան այն չէ։ Փորձեք մի փոքր ուշ, իսկ եթե չի ստացվում, դիմեք ադմինիստրատորին։',
  commands: {
    queue: 'Բաց հարցերը՝ ամենահնից',
    mine: 'Իմ հարցերը',
    find: 'Որոնում հարցերում',
    help: 'Օգնություն',
    lang: 'Լեզուն',
    report: 'Հաշվետվություն',
    stats: 'Ցուցանիշներ',
    staff: 'Աշխատակազմը',
    log: 'Գրանցել (լսում, ընդունելություն, նիստ)',
    remark: 'Դիտողություն տարեկան հաշվետվության համար',
    year: 'Տարին թվերով',
  },

  units: { d: 'օր', h: 'ժ', m: 'ր', lessThanMinute: '&lt;1 ր' },
};
