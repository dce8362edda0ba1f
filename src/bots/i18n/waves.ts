/**
 * The bot's texts about waves, statements and rumours, in Armenian, English
 * and Russian. Apart from the main catalog so the feature can grow on its own.
 * Every function returns Telegram HTML; values from outside are escaped by callers.
 */
import type { Locale } from '../../domain/locale.js';

export interface WaveMessages {
  title: (id: number, count: number) => string;
  suggested: string;
  confirmed: string;
  merged: (into: number) => string;
  rumour: string;
  sources: string;
  sectors: string;
  period: (first: string, last: string) => string;
  answered: (answered: number, count: number) => string;
  latest: string;
  mostLiked: string;
  /** A like count beside a question (👍 and the number). */
  likes: (n: number) => string;
  statement: (kind: 'interim' | 'final', status: string) => string;
  progress: (sent: number, waiting: number, refused: number) => string;
  refusedWhy: string;
  notReached: (n: number) => string;
  howToStatement: string;
  platformKind: (platform: string, kind: string) => string;
  statuses: Record<'draft' | 'awaiting_approval' | 'published' | 'cancelled', string>;
  // Buttons
  confirm: string;
  sendLatest: (n: number) => string;
  markRumour: string;
  publishInterim: string;
  publishFinal: string;
  approve: string;
  cancel: string;
  // Preview and toasts
  preview: (waveId: number, count: number, text: string) => string;
  previewState: (status: string) => string;
  done: string;
  nothingToSend: string;
  noStatement: string;
  stale: string;
  published: (n: number) => string;
  submitted: string;
  rumourAlert: (waveId: number, title: string, late: number) => string;
  usage: string;
  merged2: (into: number, from: number, moved: number) => string;
  removed: (inquiryId: number, waveId: number) => string;
  split: (newWaveId: number) => string;
}

const en: WaveMessages = {
  title: (id, count) => `🌊 <b>Wave #${id}</b> · ${count} ${count === 1 ? 'question' : 'questions'}`,
  suggested: 'suggested: confirm it, or take out what does not belong (/wave)',
  confirmed: 'confirmed',
  merged: (into) => `merged into wave #${into}`,
  rumour: '⚠️ <b>rumour</b>',
  sources: 'Where',
  sectors: 'Sectors',
  period: (first, last) => `First ${first}, latest ${last}`,
  answered: (a, c) => `Answered ${a} of ${c}`,
  latest: 'Latest questions',
  mostLiked: 'Most-liked questions',
  likes: (n) => `👍 ${n}`,
  statement: (kind, status) => `📣 Statement (${kind === 'final' ? 'final' : 'interim'}) — ${status}`,
  progress: (sent, waiting, refused) => `sent ${sent} · waiting ${waiting} · refused ${refused}`,
  refusedWhy: 'Refused',
  notReached: (n) => `${n} joined after the latest statement`,
  howToStatement: '<i>Reply to this card with the text of a statement to answer every question of the wave.</i>',
  platformKind: (p, k) => `${p === 'facebook' ? (k === 'message' ? 'Messenger' : 'Facebook') : p === 'instagram' ? 'Instagram' : p === 'telegram' ? 'Telegram' : p}`,
  statuses: { draft: 'draft', awaiting_approval: 'waiting for approval', published: 'published', cancelled: 'cancelled' },
  confirm: '✅ Confirm wave',
  sendLatest: (n) => `📣 Send the statement to ${n} more`,
  markRumour: '⚠️ Mark as rumour',
  publishInterim: '📣 Publish as interim',
  publishFinal: '📣 Publish as final',
  approve: '✅ Approve and publish',
  cancel: '✖ Cancel',
  preview: (id, count, text) => `📣 <b>Statement for wave #${id}</b> (${count} questions), as it will be published:\n\n<blockquote>${text}</blockquote>`,
  previewState: (s) => `<i>${s}</i>`,
  done: 'Done',
  nothingToSend: 'Everyone in the wave has it already',
  noStatement: 'Publish a statement first',
  stale: 'This was already handled',
  published: (n) => `Publishing: ${n} replies`,
  submitted: 'Sent to a supervisor for approval',
  rumourAlert: (id, title, late) => `⚠️ Rumour, wave #${id}: ${late} questions came after the rebuttal was published.\n<blockquote>${title}</blockquote>`,
  usage: '/wave merge INTO FROM · /wave remove INQUIRY · /wave split WAVE INQUIRY…',
  merged2: (into, from, moved) => `Wave #${from} merged into #${into} (${moved} questions).`,
  removed: (q, w) => `Question #${q} taken out of wave #${w}; it gets its own card.`,
  split: (w) => `New wave #${w}.`,
};

const hy: WaveMessages = {
  title: (id, count) => `🌊 <b>Ալիք #${id}</b> · ${count} հարց`,
  suggested: 'առաջարկված է. հաստատեք կամ հանեք չհամապատասխանողները (/wave)',
  confirmed: 'հաստատված է',
  merged: (into) => `միացված է #${into} ալիքին`,
  rumour: '⚠️ <b>ապատեղեկատվություն</b>',
  sources: 'Որտեղ',
  sectors: 'Ոլորտներ',
  period: (first, last) => `Առաջինը՝ ${first}, վերջինը՝ ${last}`,
  answered: (a, c) => `Պատասխանված է ${a}-ը ${c}-ից`,
  latest: 'Վերջին հարցերը',
  mostLiked: 'Ամենահավանված հարցերը',
  likes: en.likes,
  statement: (kind, status) => `📣 Հայտարարություն (${kind === 'final' ? 'վերջնական' : 'միջանկյալ'}) — ${status}`,
  progress: (sent, waiting, refused) => `ուղարկված՝ ${sent} · սպասում է՝ ${waiting} · մերժված՝ ${refused}`,
  refusedWhy: 'Մերժված',
  notReached: (n) => `${n} հարց եկել է վերջին հայտարարությունից հետո`,
  howToStatement: '<i>Պատասխանեք այս քարտին հայտարարության տեքստով՝ ալիքի բոլոր հարցերին պատասխանելու համար։</i>',
  platformKind: en.platformKind,
  statuses: { draft: 'սևագիր', awaiting_approval: 'սպասում է հաստատման', published: 'հրապարակված', cancelled: 'չեղարկված' },
  confirm: '✅ Հաստատել ալիքը',
  sendLatest: (n) => `📣 Ուղարկել հայտարարությունը ևս ${n}-ին`,
  markRumour: '⚠️ Նշել որպես ապատեղեկատվություն',
  publishInterim: '📣 Հրապարակել որպես միջանկյալ',
  publishFinal: '📣 Հրապարակել որպես վերջնական',
  approve: '✅ Հաստատել և հրապարակել',
  cancel: '✖ Չեղարկել',
  preview: (id, count, text) => `📣 <b>Հայտարարություն #${id} ալիքի համար</b> (${count} հարց), ինչպես կհրապարակվի.\n\n<blockquote>${text}</blockquote>`,
  previewState: (s) => `<i>${s}</i>`,
  done: 'Արված է',
  nothingToSend: 'Ալիքի բոլոր հարցերն արդեն ստացել են այն',
  noStatement: 'Նախ հրապարակեք հայտարարություն',
  stale: 'Սա արդեն արված է',
  published: (n) => `Հրապարակվում է՝ ${n} պատասխան`,
  submitted: 'Ուղարկված է ղեկավարի հաստատմանը',
  rumourAlert: (id, title, late) => `⚠️ Ապատեղեկատվություն, ալիք #${id}. հերքումից հետո եկել է ${late} հարց։\n<blockquote>${title}</blockquote>`,
  usage: en.usage,
  merged2: (into, from, moved) => `#${from} ալիքը միացվեց #${into}-ին (${moved} հարց)։`,
  removed: (q, w) => `#${q} հարցը հանվեց #${w} ալիքից և կստանա իր քարտը։`,
  split: (w) => `Նոր ալիք #${w}։`,
};

const ru: WaveMessages = {
  title: (id, count) => `🌊 <b>Волна #${id}</b> · вопросов: ${count}`,
  suggested: 'предложена: подтвердите или уберите лишнее (/wave)',
  confirmed: 'подтверждена',
  merged: (into) => `объединена с волной #${into}`,
  rumour: '⚠️ <b>слух</b>',
  sources: 'Где',
  sectors: 'Сферы',
  period: (first, last) => `Первый ${first}, последний ${last}`,
  answered: (a, c) => `Отвечено ${a} из ${c}`,
  latest: 'Последние вопросы',
  mostLiked: 'Вопросы с наибольшим числом лайков',
  likes: en.likes,
  statement: (kind, status) => `📣 Заявление (${kind === 'final' ? 'окончательное' : 'промежуточное'}) — ${status}`,
  progress: (sent, waiting, refused) => `отправлено ${sent} · ждут ${waiting} · отказ ${refused}`,
  refusedWhy: 'Отказ',
  notReached: (n) => `${n} пришли после последнего заявления`,
  howToStatement: '<i>Ответьте на эту карточку текстом заявления, чтобы ответить на все вопросы волны.</i>',
  platformKind: en.platformKind,
  statuses: { draft: 'черновик', awaiting_approval: 'ждёт утверждения', published: 'опубликовано', cancelled: 'отменено' },
  confirm: '✅ Подтвердить волну',
  sendLatest: (n) => `📣 Отправить заявление ещё ${n}`,
  markRumour: '⚠️ Отметить как слух',
  publishInterim: '📣 Опубликовать как промежуточное',
  publishFinal: '📣 Опубликовать как окончательное',
  approve: '✅ Утвердить и опубликовать',
  cancel: '✖ Отменить',
  preview: (id, count, text) => `📣 <b>Заявление для волны #${id}</b> (вопросов: ${count}), как оно будет опубликовано:\n\n<blockquote>${text}</blockquote>`,
  previewState: (s) => `<i>${s}</i>`,
  done: 'Готово',
  nothingToSend: 'Все в волне его уже получили',
  noStatement: 'Сначала опубликуйте заявление',
  stale: 'Это уже сделано',
  published: (n) => `Публикуется: ответов ${n}`,
  submitted: 'Отправлено руководителю на утверждение',
  rumourAlert: (id, title, late) => `⚠️ Слух, волна #${id}: после опровержения пришло вопросов: ${late}.\n<blockquote>${title}</blockquote>`,
  usage: en.usage,
  merged2: (into, from, moved) => `Волна #${from} объединена с #${into} (вопросов: ${moved}).`,
  removed: (q, w) => `Вопрос #${q} убран из волны #${w}; у него будет своя карточка.`,
  split: (w) => `Новая волна #${w}.`,
};

const CATALOGS: Record<Locale, WaveMessages> = { hy, en, ru };

export function waveMessagesFor(locale: Locale): WaveMessages {
  return CATALOGS[locale];
}
