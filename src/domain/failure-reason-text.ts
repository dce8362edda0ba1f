/**
 * A {@link FailureReason} as a sentence in Armenian (the default), English
 * or Russian: what happened and what to do. Plain text (the caller escapes
 * it for Telegram HTML). The English sentence is also what
 * `replies.failure_reason` keeps for logs and exports.
 *
 * A stored reason this version does not know (a row from before reasons had
 * codes) is shown as its stored English text: {@link storedFailureText}.
 * Pure: nothing from the app.
 */
import type { FailureCode, FailureReason, MentionLookUpObstacle, MetaPlatform, PermissionUse } from './failure-reason.js';
import { readFailureReason } from './failure-reason.js';
import type { Platform } from './inquiry.js';
import type { Locale } from './locale.js';
import type { ReplyChannel } from './reply.js';

type ParamsOf<C extends FailureCode> = Extract<FailureReason, { code: C }>['params'];

/** One language: a sentence for every code; `say` renders a nested reason (the cause of `may_be_published`) in the same language. */
type Templates = { [C in FailureCode]: (p: ParamsOf<C>, say: (reason: FailureReason) => string) => string };

const NAMES: Record<Platform, string> = { facebook: 'Facebook', instagram: 'Instagram', telegram: 'Telegram' };
const name = (platform: Platform | undefined): string => (platform && NAMES[platform]) ?? String(platform ?? '?');
const sub = (p: { graphSubcode?: number }) => (p.graphSubcode === undefined ? '' : `/${p.graphSubcode}`);

// English ---------------------------------------------------------------------------------------------------------

const EN_WHY: Record<MetaPlatform, Partial<Record<PermissionUse, string>>> = {
  facebook: {
    comment_reply: 'needed to reply to comments as the Page',
    private_reply: 'needed to answer a commenter privately in Messenger',
    messenger: 'needed to send Messenger messages as the Page',
    read: 'needed to read the Page posts, comments and conversations',
  },
  instagram: {
    comment_reply: 'needed to reply to Instagram comments as the account',
    private_reply: 'needed to answer an Instagram commenter privately',
    messenger: 'needed to send Instagram direct messages',
    mention_reply: 'needed to answer a mention of the account with a comment',
    read: 'needed to read the account media and comments',
  },
};
const EN_KIND = { comment: 'comment', message: 'message', mention: 'mention' } as const;
const EN_WHERE: Record<ReplyChannel, string> = {
  comment_reply: 'a comment reply',
  private_reply: 'a private reply to a comment',
  messenger: 'a Messenger message',
  mention_reply: 'an answer to a mention',
};
const EN_LOOKUP: Record<MentionLookUpObstacle, string> = {
  comment_replies: 'Instagram does not let the account read the replies under a comment that mentioned it',
  too_many_comments: 'the media has more comments than Instagram shows the account at once',
  no_username: "Instagram did not give the account's username, so its comments cannot be told apart",
};
const enDays = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const EN_MAYBE_THERE = (P: string) => `It may already be on ${P}: look there before answering again. Retry looks for it first and posts it only if it is missing.`;

const en: Templates = {
  private_reply_window_closed: (p) =>
    `${name(p.platform)} allows a private reply to a comment only within 7 days; this comment is ${enDays(p.ageDays)} old. Answer it publicly instead.`,
  dm_window_closed: (p) =>
    p.platform === 'instagram'
      ? `Not sent: the citizen last wrote ${enDays(p.ageDays)} ago, and Instagram lets the account answer a direct message only within 24 hours, ` +
        'or within 7 days as a staff member (human agent). Answer them another way, or wait until they write again.'
      : `Not sent: the citizen last wrote ${enDays(p.ageDays)} ago, and Messenger lets the Page answer only within 24 hours, ` +
        'or within 7 days as a staff member (human agent). Answer them another way (by phone, or publicly), or wait until they write again.',
  no_sender_id: (p) =>
    p.platform === 'instagram'
      ? 'This Instagram message has no sender id, so it cannot be answered from here. Answer it in the Instagram inbox.'
      : 'This Messenger inquiry has no sender id, so it cannot be answered from here. Answer it in the Page inbox.',
  kind_not_answerable: (p) =>
    p.kind === 'mention'
      ? `A ${name(p.platform)} mention (the city tagged in someone else's post or comment) cannot be answered from here. Answer it on ${name(p.platform)}.`
      : `A ${name(p.platform)} ${EN_KIND[p.kind] ?? p.kind} cannot be answered from here. Answer it on ${name(p.platform)}.`,
  mention_no_private_answer: (p) =>
    `${name(p.platform)} has no private answer to a mention: answer it publicly (a comment where the account was mentioned), or on ${name(p.platform)}.`,
  mention_media_unknown: (p) => `${name(p.platform)} did not say on which post this mention is, so it cannot be answered from here. Answer it on ${name(p.platform)}.`,
  telegram_no_private_reply: () => 'A bot cannot write privately to someone who commented in the channel; answer in public.',
  telegram_not_a_comment: (p) => `This inquiry is not a comment of ${p.source}; answer on Telegram itself.`,
  private_reply_used: (p) => `This comment already got its one private reply (${name(p.platform)} allows one). Answer it publicly instead.`,
  private_reply_refused: (p) =>
    p.platform === 'instagram'
      ? 'Instagram no longer allows a private reply to this comment (it is older than 7 days, or its author cannot receive messages). Answer it publicly instead.'
      : 'Facebook no longer allows a private reply to this comment (it is older than 7 days, or its author cannot receive messages from the Page). Answer it publicly instead.',
  message_window_refused: (p) =>
    `${name(p.platform)} refused the message: the citizen's ${p.platform === 'instagram' ? 'messaging' : 'Messenger'} window is closed ` +
    '(24 hours after their last message, 7 days for a staff answer). Answer them another way, or wait until they write again.',
  permission_missing: (p) =>
    `${name(p.platform)} refused: the Page access token lacks the permission ${p.permission} (${EN_WHY[p.platform]?.[p.use] ?? p.use}). ` +
    (p.platform === 'instagram'
      ? `An admin must add ${p.permission} to the Facebook app and set a new FACEBOOK_PAGE_ACCESS_TOKEN.`
      : `An admin must add ${p.permission} to the Facebook app, make sure the token's user can moderate the Page, and set a new FACEBOOK_PAGE_ACCESS_TOKEN.`) +
    ` (Graph #${p.graphCode}: ${p.graphMessage})`,
  item_gone: (p) => `${name(p.platform)} says the comment or conversation no longer exists (removed by its author or hidden), so nothing was published.`,
  mention_lookup_impossible: (p) => `${EN_LOOKUP[p.why] ?? p.why}; look on ${name(p.platform)} whether the answer is there`,
  platform_refused: (p) =>
    `${name(p.platform)} refused the reply: ${p.graphMessage} (Graph #${p.graphCode}${sub(p)}). Sending it again will not help; change the reply or answer on ${name(p.platform)}.`,
  details_gone: () => 'it is no longer there (deleted, or its author made the account private)',
  details_refused: (p) => `${name(p.platform)} refused to give the text (${p.detail})`,
  graph_unreachable: (p) =>
    `The Graph API could not be used (${p.httpStatus === undefined ? 'no answer' : `HTTP ${p.httpStatus}`} without a Graph answer): check GRAPH_API_URL and the network, then send the reply again.`,
  instagram_message_too_long: (p) =>
    `Not sent: the answer is too long for an Instagram message (the message is ${p.bytes} bytes of UTF-8; Instagram takes less than ${p.maxBytes}). Shorten it and send it again.`,
  telegram_bot_removed: (p) => `The bot cannot write in the discussion group of ${p.source} (removed, or no longer an admin): add it back as an admin, then press Retry.`,
  telegram_comment_gone: () => 'The comment is no longer in the discussion group (deleted); the answer was not posted.',
  telegram_no_rights: (p) => `The bot may not write in the discussion group of ${p.source}: give it the right to send messages, then press Retry.`,
  telegram_refused: (p) => `Telegram refused the answer: ${p.description}`,
  connector_missing: (p) => `Replies to ${name(p.platform)} cannot be published: that connector is not configured. Answer on ${name(p.platform)} itself.`,
  source_removed: (p) => `${p.source} was removed from Ardzagank, so replies are no longer published there. Answer on ${name(p.platform)} itself.`,
  may_be_published: (p, say) =>
    `Not confirmed: an earlier attempt may have published this reply, and ${name(p.platform)} could not be asked whether it did (${say(p.cause)}). ${EN_MAYBE_THERE(name(p.platform))}`,
  unconfirmed_after_attempts: (p) =>
    `Not confirmed: ${name(p.platform)} did not say whether it published the reply after ${p.attempts} attempts (last problem: ${p.problem}). ${EN_MAYBE_THERE(name(p.platform))}`,
  not_accepted_after_attempts: (p) => `Not sent: ${name(p.platform)} did not accept it after ${p.attempts} attempts (last problem: ${p.problem}). Send the reply again later.`,
  question_window_closed: (p) => `Not asked: the citizen last wrote more than 24 hours ago, and ${name(p.platform)} allows an automated question only within 24 hours.`,
  text_too_long: (p) =>
    `Not sent: the answer has ${p.length} characters, and ${name(p.platform)} takes at most ${p.max} in ` +
    `${p.channel === 'messenger' && p.platform !== 'facebook' ? 'a direct message' : (EN_WHERE[p.channel] ?? p.channel)}. Shorten it and send it again.`,
};

// Armenian --------------------------------------------------------------------------------------------------------

const HY_WHY: Record<MetaPlatform, Partial<Record<PermissionUse, string>>> = {
  facebook: {
    comment_reply: 'այն պետք է էջի անունից մեկնաբանություններին պատասխանելու համար',
    private_reply: 'այն պետք է մեկնաբանողին Messenger-ով անձնական պատասխան գրելու համար',
    messenger: 'այն պետք է էջի անունից Messenger-ով նամակներ ուղարկելու համար',
    read: 'այն պետք է էջի գրառումները, մեկնաբանություններն ու նամակագրությունը կարդալու համար',
  },
  instagram: {
    comment_reply: 'այն պետք է հաշվի անունից Instagram-ի մեկնաբանություններին պատասխանելու համար',
    private_reply: 'այն պետք է Instagram-ում մեկնաբանողին անձնական պատասխան գրելու համար',
    messenger: 'այն պետք է Instagram-ում անձնական նամակներ ուղարկելու համար',
    mention_reply: 'այն պետք է հաշվի նշմանը մեկնաբանությամբ պատասխանելու համար',
    read: 'այն պետք է հաշվի հրապարակումներն ու մեկնաբանությունները կարդալու համար',
  },
};
const HY_KIND = { comment: 'մեկնաբանություն', message: 'հաղորդագրություն', mention: 'նշում' } as const;
const HY_WHERE: Record<ReplyChannel, string> = {
  comment_reply: 'մեկնաբանության պատասխանում',
  private_reply: 'մեկնաբանությանը տրվող անձնական պատասխանում',
  messenger: 'անձնական նամակում',
  mention_reply: 'նշմանը տրվող պատասխանում',
};
const HY_LOOKUP: Record<MentionLookUpObstacle, string> = {
  comment_replies: 'Instagram-ը հաշվին թույլ չի տալիս կարդալ այն մեկնաբանության պատասխանները, որում հաշիվը նշվել է',
  too_many_comments: 'հրապարակումն ունի ավելի շատ մեկնաբանություններ, քան Instagram-ը միանգամից ցույց է տալիս հաշվին',
  no_username: 'Instagram-ը չտվեց հաշվի անունը, ուստի նրա մեկնաբանությունները հնարավոր չէ տարբերել',
};
/** The platform's name with the definite article, as the subject, and what follows: Facebook-ը մերժեց, but Facebook-ն այլևս (before a vowel). */
const hyThe = (platform: Platform | undefined, rest: string) => `${name(platform)}-${/^[աեէըիոօ]/u.test(rest) ? 'ն' : 'ը'} ${rest}`;
const HY_MAYBE_THERE = (P: string) =>
  `Այն կարող է արդեն ${P}-ում լինել․ նախքան նորից պատասխանելը ստուգեք այնտեղ։ «Կրկին փորձել»-ը նախ կփնտրի այն և կհրապարակի միայն, եթե այն չկա։`;

const hy: Templates = {
  private_reply_window_closed: (p) =>
    `${hyThe(p.platform, 'թույլ է տալիս')} մեկնաբանությանն անձնական նամակով պատասխանել միայն 7 օրվա ընթացքում, իսկ այս մեկնաբանությունը գրվել է ${p.ageDays} օր առաջ։ Պատասխանեք հանրային պատասխանով։`,
  dm_window_closed: (p) =>
    p.platform === 'instagram'
      ? `Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է ${p.ageDays} օր առաջ, իսկ Instagram-ում հաշիվը կարող է անձնական նամակին պատասխանել միայն 24 ժամվա ընթացքում, ` +
        'կամ 7 օրվա ընթացքում՝ որպես աշխատակից (human agent)։ Կապվեք նրա հետ այլ կերպ կամ սպասեք, մինչև նա նորից գրի։'
      : `Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է ${p.ageDays} օր առաջ, իսկ Messenger-ում էջը կարող է պատասխանել միայն 24 ժամվա ընթացքում, ` +
        'կամ 7 օրվա ընթացքում՝ որպես աշխատակից (human agent)։ Կապվեք նրա հետ այլ կերպ (հեռախոսով կամ հանրային պատասխանով) կամ սպասեք, մինչև նա նորից գրի։',
  no_sender_id: (p) =>
    p.platform === 'instagram'
      ? 'Այս Instagram հաղորդագրության ուղարկողի id-ն հայտնի չէ, ուստի այստեղից պատասխանել հնարավոր չէ։ Պատասխանեք Instagram-ի նամակներում։'
      : 'Այս Messenger հաղորդագրության ուղարկողի id-ն հայտնի չէ, ուստի այստեղից պատասխանել հնարավոր չէ։ Պատասխանեք էջի Inbox-ում։',
  kind_not_answerable: (p) =>
    p.kind === 'mention'
      ? `${name(p.platform)}-ի նշմանը (քաղաքը նշված է ուրիշի գրառման կամ մեկնաբանության մեջ) այստեղից պատասխանել հնարավոր չէ։ Պատասխանեք անմիջապես ${name(p.platform)}-ում։`
      : `${name(p.platform)}-ում այս տեսակի հարցին (${HY_KIND[p.kind] ?? p.kind}) այստեղից պատասխանել հնարավոր չէ։ Պատասխանեք անմիջապես ${name(p.platform)}-ում։`,
  mention_no_private_answer: (p) =>
    `${name(p.platform)}-ում նշմանը հնարավոր չէ անձնական պատասխան տալ․ պատասխանեք հանրային պատասխանով (մեկնաբանություն այնտեղ, որտեղ հաշիվը նշվել է) կամ ${name(p.platform)}-ում։`,
  mention_media_unknown: (p) =>
    `${hyThe(p.platform, 'չնշեց')}, թե որ հրապարակման մեջ է այս նշումը, ուստի այստեղից հնարավոր չէ պատասխանել։ Պատասխանեք ${name(p.platform)}-ում։`,
  telegram_no_private_reply: () => 'Բոտը չի կարող անձնական նամակ գրել ալիքում մեկնաբանած մարդուն․ պատասխանեք հանրային պատասխանով։',
  telegram_not_a_comment: (p) => `Այս հարցը «${p.source}» ալիքի մեկնաբանություն չէ․ պատասխանեք անմիջապես Telegram-ում։`,
  private_reply_used: (p) =>
    `Այս մեկնաբանությանն արդեն տրվել է անձնական պատասխան, իսկ ${hyThe(p.platform, 'թույլ է տալիս')} միայն մեկը։ Պատասխանեք հանրային պատասխանով։`,
  private_reply_refused: (p) =>
    `${hyThe(p.platform, 'այլևս')} թույլ չի տալիս այս մեկնաբանությանն անձնական նամակով պատասխանել (այն 7 օրից ավելի հին է, ` +
    `կամ հեղինակը չի կարող ${p.platform === 'facebook' ? 'էջից ' : ''}նամակներ ստանալ)։ Պատասխանեք հանրային պատասխանով։`,
  message_window_refused: (p) =>
    `${hyThe(p.platform, 'մերժեց')} հաղորդագրությունը․ քաղաքացու հետ նամակագրության ժամկետը լրացել է (24 ժամ նրա վերջին հաղորդագրությունից հետո, ` +
    'աշխատակցի պատասխանի համար՝ 7 օր)։ Կապվեք նրա հետ այլ կերպ կամ սպասեք, մինչև նա նորից գրի։',
  permission_missing: (p) =>
    `${hyThe(p.platform, 'մերժեց')}․ էջի access token-ը չունի ${p.permission} թույլտվությունը (${HY_WHY[p.platform]?.[p.use] ?? p.use})։ ` +
    (p.platform === 'instagram'
      ? `Ադմինիստրատորը պետք է ավելացնի ${p.permission} թույլտվությունը Facebook հավելվածին և սահմանի նոր FACEBOOK_PAGE_ACCESS_TOKEN։`
      : `Ադմինիստրատորը պետք է ավելացնի ${p.permission} թույլտվությունը Facebook հավելվածին, համոզվի, որ token-ի օգտատերը կարող է կառավարել էջը, և սահմանի նոր FACEBOOK_PAGE_ACCESS_TOKEN։`) +
    ` (Graph #${p.graphCode}՝ ${p.graphMessage})`,
  item_gone: (p) =>
    `${hyThe(p.platform, 'հայտնում է')}, որ մեկնաբանությունը կամ նամակագրությունն այլևս չկա (հեղինակը ջնջել է կամ այն թաքցված է), ուստի ոչինչ չհրապարակվեց։`,
  mention_lookup_impossible: (p) => `${HY_LOOKUP[p.why] ?? p.why}․ ստուգեք ${name(p.platform)}-ում՝ արդյոք պատասխանն այնտեղ է`,
  platform_refused: (p) =>
    `${hyThe(p.platform, 'մերժեց')} պատասխանը՝ ${p.graphMessage} (Graph #${p.graphCode}${sub(p)})։ Կրկին ուղարկելը չի օգնի․ փոխեք պատասխանը կամ պատասխանեք անմիջապես ${name(p.platform)}-ում։`,
  details_gone: () => 'այն այլևս չկա (ջնջվել է, կամ հեղինակը փակել է իր հաշիվը)',
  details_refused: (p) => `${hyThe(p.platform, 'հրաժարվեց տրամադրել տեքստը')} (${p.detail})`,
  graph_unreachable: (p) =>
    `Graph API-ին դիմել չհաջողվեց (${p.httpStatus === undefined ? 'սերվերը չպատասխանեց' : `HTTP ${p.httpStatus}՝ առանց Graph-ի պատասխանի`})։ Ստուգեք GRAPH_API_URL-ը և ցանցը, ապա կրկին ուղարկեք պատասխանը։`,
  instagram_message_too_long: (p) =>
    `Չուղարկվեց․ պատասխանը չափազանց երկար է Instagram-ի հաղորդագրության համար (${p.bytes} բայթ UTF-8-ով, իսկ Instagram-ն ընդունում է ${p.maxBytes}-ից պակաս)։ Կրճատեք և կրկին ուղարկեք։`,
  telegram_bot_removed: (p) =>
    `Բոտը չի կարող գրել «${p.source}» ալիքի քննարկումների խմբում (հեռացվել է կամ այլևս ադմինիստրատոր չէ)․ նորից ավելացրեք այն որպես ադմինիստրատոր, ապա սեղմեք «Կրկին փորձել»։`,
  telegram_comment_gone: () => 'Մեկնաբանությունն այլևս քննարկումների խմբում չէ (ջնջվել է)․ պատասխանը չհրապարակվեց։',
  telegram_no_rights: (p) =>
    `Բոտին թույլ չի տրված գրել «${p.source}» ալիքի քննարկումների խմբում․ տվեք նրան հաղորդագրություններ ուղարկելու իրավունք, ապա սեղմեք «Կրկին փորձել»։`,
  telegram_refused: (p) => `Telegram-ը մերժեց պատասխանը՝ ${p.description}`,
  connector_missing: (p) => `${name(p.platform)}-ում պատասխաններ չեն հրապարակվում․ այդ հարթակը միացված չէ։ Պատասխանեք անմիջապես ${name(p.platform)}-ում։`,
  source_removed: (p) => `«${p.source}» աղբյուրը հեռացվել է Արձագանքից, ուստի պատասխաններն այնտեղ այլևս չեն հրապարակվում։ Պատասխանեք անմիջապես ${name(p.platform)}-ում։`,
  may_be_published: (p, say) =>
    `Չհաստատվեց․ նախորդ փորձը կարող էր արդեն հրապարակել այս պատասխանը, իսկ ${name(p.platform)}-ից չհաջողվեց ճշտել՝ հրապարակվե՞լ է արդյոք (${say(p.cause)})։ ${HY_MAYBE_THERE(name(p.platform))}`,
  unconfirmed_after_attempts: (p) =>
    `Չհաստատվեց․ ${p.attempts} փորձից հետո ${hyThe(p.platform, 'չհայտնեց')}՝ հրապարակե՞լ է արդյոք պատասխանը (վերջին խնդիրը՝ ${p.problem})։ ${HY_MAYBE_THERE(name(p.platform))}`,
  not_accepted_after_attempts: (p) =>
    `Չուղարկվեց․ ${p.attempts} փորձից հետո ${hyThe(p.platform, 'այդպես էլ')} չընդունեց այն (վերջին խնդիրը՝ ${p.problem})։ Ուղարկեք պատասխանը մի փոքր ուշ։`,
  question_window_closed: (p) =>
    `Չհարցվեց․ քաղաքացին վերջին անգամ գրել է ավելի քան 24 ժամ առաջ, իսկ ${hyThe(p.platform, 'ավտոմատ')} հարց թույլ է տալիս միայն 24 ժամվա ընթացքում։`,
  text_too_long: (p) =>
    `Չուղարկվեց․ պատասխանն ունի ${p.length} նիշ, իսկ ${hyThe(p.platform, HY_WHERE[p.channel] ?? p.channel)} ընդունում է առավելագույնը ${p.max}։ Կրճատեք և կրկին ուղարկեք։`,
};

// Russian ---------------------------------------------------------------------------------------------------------

const RU_WHY: Record<MetaPlatform, Partial<Record<PermissionUse, string>>> = {
  facebook: {
    comment_reply: 'оно нужно, чтобы отвечать на комментарии от имени страницы',
    private_reply: 'оно нужно, чтобы отвечать автору комментария лично в Messenger',
    messenger: 'оно нужно, чтобы отправлять сообщения в Messenger от имени страницы',
    read: 'оно нужно, чтобы читать публикации, комментарии и переписку страницы',
  },
  instagram: {
    comment_reply: 'оно нужно, чтобы отвечать на комментарии в Instagram от имени аккаунта',
    private_reply: 'оно нужно, чтобы отвечать автору комментария в Instagram лично',
    messenger: 'оно нужно, чтобы отправлять личные сообщения в Instagram',
    mention_reply: 'оно нужно, чтобы отвечать комментарием на упоминание аккаунта',
    read: 'оно нужно, чтобы читать публикации и комментарии аккаунта',
  },
};
const RU_KIND = { comment: 'комментарий', message: 'сообщение', mention: 'упоминание' } as const;
const RU_WHERE: Record<ReplyChannel, string> = {
  comment_reply: 'в ответе на комментарий',
  private_reply: 'в личном ответе на комментарий',
  messenger: 'в личном сообщении',
  mention_reply: 'в ответе на упоминание',
};
const RU_LOOKUP: Record<MentionLookUpObstacle, string> = {
  comment_replies: 'Instagram не даёт аккаунту читать ответы под комментарием, в котором его упомянули',
  too_many_comments: 'у публикации больше комментариев, чем Instagram показывает аккаунту за раз',
  no_username: 'Instagram не сообщил имя аккаунта, поэтому его комментарии не отличить',
};
/** 1 день, 2 дня, 5 дней, 21 день. */
function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
const ruDays = (n: number) => `${n} ${ruPlural(n, 'день', 'дня', 'дней')}`;
const ruAttempts = (n: number) => `${n} ${ruPlural(n, 'попытки', 'попыток', 'попыток')}`;
const RU_MAYBE_THERE = (P: string) =>
  `Возможно, он уже есть в ${P}: проверьте там, прежде чем отвечать снова. «Повторить» сначала ищет его и публикует, только если его нет.`;

const ru: Templates = {
  private_reply_window_closed: (p) =>
    `${name(p.platform)} разрешает личный ответ на комментарий только в течение 7 дней, а этому комментарию ${ruDays(p.ageDays)}. Ответьте публично.`,
  dm_window_closed: (p) =>
    p.platform === 'instagram'
      ? `Не отправлено: гражданин писал в последний раз ${ruDays(p.ageDays)} назад, а Instagram позволяет аккаунту отвечать на личное сообщение только в течение 24 часов ` +
        'или в течение 7 дней от имени сотрудника (human agent). Свяжитесь с ним иначе или дождитесь, пока он напишет снова.'
      : `Не отправлено: гражданин писал в последний раз ${ruDays(p.ageDays)} назад, а Messenger позволяет странице отвечать только в течение 24 часов ` +
        'или в течение 7 дней от имени сотрудника (human agent). Свяжитесь с ним иначе (по телефону или публично) или дождитесь, пока он напишет снова.',
  no_sender_id: (p) =>
    p.platform === 'instagram'
      ? 'У этого сообщения в Instagram нет id отправителя, поэтому ответить отсюда нельзя. Ответьте во входящих Instagram.'
      : 'У этого обращения в Messenger нет id отправителя, поэтому ответить отсюда нельзя. Ответьте во входящих страницы (Inbox).',
  kind_not_answerable: (p) =>
    p.kind === 'mention'
      ? `На упоминание в ${name(p.platform)} (город отмечен в чужой публикации или комментарии) нельзя ответить отсюда. Ответьте в самом ${name(p.platform)}.`
      : `На такое обращение в ${name(p.platform)} (${RU_KIND[p.kind] ?? p.kind}) нельзя ответить отсюда. Ответьте в самом ${name(p.platform)}.`,
  mention_no_private_answer: (p) =>
    `В ${name(p.platform)} на упоминание нельзя ответить лично: ответьте публично (комментарием там, где упомянули аккаунт) или в ${name(p.platform)}.`,
  mention_media_unknown: (p) => `${name(p.platform)} не сообщил, в какой публикации это упоминание, поэтому ответить отсюда нельзя. Ответьте в ${name(p.platform)}.`,
  telegram_no_private_reply: () => 'Бот не может написать лично тому, кто прокомментировал в канале; ответьте публично.',
  telegram_not_a_comment: (p) => `Это обращение не комментарий канала «${p.source}»; ответьте в самом Telegram.`,
  private_reply_used: (p) => `На этот комментарий уже дан личный ответ (${name(p.platform)} разрешает только один). Ответьте публично.`,
  private_reply_refused: (p) =>
    `${name(p.platform)} больше не разрешает личный ответ на этот комментарий (он старше 7 дней, или его автор не может получать сообщения` +
    `${p.platform === 'facebook' ? ' от страницы' : ''}). Ответьте публично.`,
  message_window_refused: (p) =>
    `${name(p.platform)} отклонил сообщение: окно переписки с гражданином закрыто (24 часа после его последнего сообщения, 7 дней для ответа сотрудника). ` +
    'Свяжитесь с ним иначе или дождитесь, пока он напишет снова.',
  permission_missing: (p) =>
    `${name(p.platform)} отказал: у токена доступа страницы нет разрешения ${p.permission} (${RU_WHY[p.platform]?.[p.use] ?? p.use}). ` +
    (p.platform === 'instagram'
      ? `Администратор должен добавить ${p.permission} в приложение Facebook и задать новый FACEBOOK_PAGE_ACCESS_TOKEN.`
      : `Администратор должен добавить ${p.permission} в приложение Facebook, убедиться, что пользователь токена может управлять страницей, и задать новый FACEBOOK_PAGE_ACCESS_TOKEN.`) +
    ` (Graph #${p.graphCode}: ${p.graphMessage})`,
  item_gone: (p) => `${name(p.platform)} сообщает, что комментария или переписки больше нет (автор удалил или он скрыт), поэтому ничего не опубликовано.`,
  mention_lookup_impossible: (p) => `${RU_LOOKUP[p.why] ?? p.why}; проверьте в ${name(p.platform)}, есть ли там ответ`,
  platform_refused: (p) =>
    `${name(p.platform)} отклонил ответ: ${p.graphMessage} (Graph #${p.graphCode}${sub(p)}). Повторная отправка не поможет; измените ответ или ответьте в самом ${name(p.platform)}.`,
  details_gone: () => 'его больше нет (удалено, или автор закрыл аккаунт)',
  details_refused: (p) => `${name(p.platform)} отказался выдать текст (${p.detail})`,
  graph_unreachable: (p) =>
    `Не удалось обратиться к Graph API (${p.httpStatus === undefined ? 'сервер не ответил' : `HTTP ${p.httpStatus} без ответа Graph`}): проверьте GRAPH_API_URL и сеть, затем отправьте ответ снова.`,
  instagram_message_too_long: (p) =>
    `Не отправлено: ответ слишком длинный для сообщения Instagram (${p.bytes} байт в UTF-8, Instagram принимает меньше ${p.maxBytes}). Сократите его и отправьте снова.`,
  telegram_bot_removed: (p) =>
    `Бот не может писать в группе обсуждения канала «${p.source}» (удалён или больше не администратор): добавьте его снова администратором и нажмите «Повторить».`,
  telegram_comment_gone: () => 'Комментария больше нет в группе обсуждения (удалён); ответ не опубликован.',
  telegram_no_rights: (p) => `Боту запрещено писать в группе обсуждения канала «${p.source}»: дайте ему право отправлять сообщения и нажмите «Повторить».`,
  telegram_refused: (p) => `Telegram отклонил ответ: ${p.description}`,
  connector_missing: (p) => `Ответы в ${name(p.platform)} не публикуются: эта площадка не подключена. Ответьте в самом ${name(p.platform)}.`,
  source_removed: (p) => `Источник «${p.source}» удалён из Ardzagank, поэтому ответы туда больше не публикуются. Ответьте в самом ${name(p.platform)}.`,
  may_be_published: (p, say) =>
    `Не подтверждено: предыдущая попытка могла уже опубликовать этот ответ, а узнать у ${name(p.platform)}, так ли это, не удалось (${say(p.cause)}). ${RU_MAYBE_THERE(name(p.platform))}`,
  unconfirmed_after_attempts: (p) =>
    `Не подтверждено: после ${ruAttempts(p.attempts)} ${name(p.platform)} так и не сообщил, опубликован ли ответ (последняя ошибка: ${p.problem}). ${RU_MAYBE_THERE(name(p.platform))}`,
  not_accepted_after_attempts: (p) =>
    `Не отправлено: ${name(p.platform)} не принял ответ после ${ruAttempts(p.attempts)} (последняя ошибка: ${p.problem}). Отправьте ответ снова позже.`,
  question_window_closed: (p) =>
    `Не спрошено: гражданин писал в последний раз более 24 часов назад, а ${name(p.platform)} разрешает автоматический вопрос только в течение 24 часов.`,
  text_too_long: (p) =>
    `Не отправлено: в ответе ${p.length} ${ruPlural(p.length, 'символ', 'символа', 'символов')}, а ${name(p.platform)} принимает не больше ${p.max} ${RU_WHERE[p.channel] ?? p.channel}. Сократите его и отправьте снова.`,
};

const CATALOGS: Record<Locale, Templates> = { hy, en, ru };

/** Parameters that may be absent; any other missing one reads "?" (a stored reason of another version). */
const OPTIONAL = new Set(['graphSubcode', 'httpStatus']);

/** `reason` as a sentence in `locale` (plain text, not escaped). */
export function failureReasonText(reason: FailureReason, locale: Locale): string {
  const templates = CATALOGS[locale] ?? CATALOGS.hy;
  const template = templates[reason.code] as (p: unknown, say: (r: FailureReason) => string) => string;
  const params = new Proxy(reason.params as Record<string, unknown>, {
    get: (target, key) => (typeof key === 'string' && target[key] === undefined && !OPTIONAL.has(key) ? '?' : target[key as string]),
  });
  return template(params, (nested) => failureReasonText(nested, locale));
}

/**
 * What a stored failure says in `locale`: the reason rendered when `failure`
 * is one this version knows, otherwise the stored English `text` (rows from
 * before reasons had codes), otherwise "—".
 */
export function storedFailureText(failure: unknown, text: string | null | undefined, locale: Locale): string {
  const reason = readFailureReason(failure);
  if (reason) return failureReasonText(reason, locale);
  return text ?? '—';
}
