/** Russian. Phrased without gendered verb forms, so any name fits. */
import { escapeHtml as e } from '../../telegram/telegram-text.js';
import type { Messages } from './messages.js';

const ROLES = { agent: 'сотрудник', supervisor: 'руководитель отдела', head: 'глава общины', admin: 'администратор' } as const;

const REASONS: Record<string, string> = {
  not_inquiry: 'не вопрос',
  spam: 'спам',
  duplicate: 'дубликат',
  handled_offline: 'решено иначе',
  removed: 'автор удалил',
};

const STATUSES: Record<string, string> = {
  new: '🆕 новый',
  claimed: '🙋 в работе',
  answered: '✅ отвечен',
  dismissed: '🚫 закрыт',
  closed: '🔒 закрыт',
};

const KINDS = { comment: 'комментарий', message: 'сообщение', mention: 'упоминание' } as const;

export const ru: Messages = {
  languageName: 'Русский',

  platform: (p) => ({ facebook: 'Facebook', instagram: 'Instagram', telegram: 'Telegram' })[p],
  kind: (k) => KINDS[k],
  role: (r) => ROLES[r],
  dismissReason: (r) => REASONS[r] ?? e(r),
  visibility: (v, p) => (v === 'public' ? `публичный ответ в ${ru.platform(p)}` : 'личное сообщение'),

  cardTitle: (id, p, k) => `<b>#${id}</b> · ${ru.platform(p)} · ${KINDS[k]}`,
  cardAuthor: (name, at) => `👤 <b>${name ? e(name) : 'Аноним'}</b> · ${at}`,
  cardPost: (url) => (url ? `📌 Пост: <a href="${e(url)}">открыть</a>` : '📌 Под постом'),
  cardConversation: '💬 Личное сообщение',
  cardFollowUp: (at) => `➕ Дополнение, ${at}`,
  cardWholeText: 'весь текст',
  cardPrevious: (id) => `↪️ Предыдущий вопрос: #${id}`,
  cardSector: (name, suggested) => `🏷 Сфера: ${e(name)}${suggested ? ' <i>(предложено)</i>' : ''}`,
  cardNoSector: '🏷 Сфера не указана',
  cardOpenOn: (p) => `Открыть в ${ru.platform(p)}`,
  cardNoDeletions: 'ℹ️ Telegram не сообщает ботам об удалении комментариев: если его удалили, здесь этого не будет видно.',
  cardReaction: '🙂 Только благодарность или эмодзи: учитывается отдельно, как реакция, а не вопрос.',
  cardDetailsPending: (p) => `⏳ Аккаунт упомянули; текст читается из ${ru.platform(p)}.`,
  cardDetailsUnreadable: (p, reason) => `⚠️ Текст этого упоминания не удалось прочитать из ${ru.platform(p)}: ${reason}. Откройте его в ${ru.platform(p)}.`,
  stateClaimed: (name, at) => `🙋 В работе у <b>${e(name)}</b> с ${at}`,
  stateSending: (name) => `⏳ Ответ отправляется (автор: ${e(name)})…`,
  stateAwaitingApproval: (name) => `📝 Ответ ждёт утверждения (автор: ${e(name)})`,
  stateAnswered: (name, took, how) => `✅ Ответ: <b>${e(name)}</b> · за ${took} · ${how}`,
  stateAnsweredNative: (p, took) => `✅ Ответили прямо в ${ru.platform(p)} · за ${took}`,
  stateDismissed: (name, reason) => (name ? `🚫 Закрыто: <b>${e(name)}</b> · причина: ${reason}` : `🚫 Закрыто · причина: ${reason}`),
  stateFailed: (reason) => `⚠️ Ответ не опубликован: ${e(reason)}`,
  stateClosed: '🔒 Закрыто',
  viewAnswer: 'посмотреть',

  btnClaim: '✋ Взять',
  btnRelease: '↩️ Отказаться',
  btnAnswer: '✍️ Ответить',
  btnDismiss: '🚫 Не вопрос',
  btnHideComment: '🙈 Скрыть комментарий',
  toastCommentHidden: (id) => `#${id}: комментарий скрыт`,
  toastCommentNotHidden: (id, why) => `#${id}: комментарий не скрыт: ${why}`,
  btnSector: '🏷 Сфера',
  btnReassign: '👥 Передать',
  btnRetry: '🔁 Повторить',
  btnBack: '⬅️ Назад',
  btnPublishPublic: '📢 Опубликовать',
  btnPublishPrivate: '✉️ Личным сообщением',
  btnSendMessage: '✉️ Отправить',
  btnSubmitPublic: '📨 На утверждение (публично)',
  btnSubmitPrivate: '📨 На утверждение (лично)',
  btnCancel: '✖️ Отменить',
  btnApprove: '✅ Утвердить',
  btnSendBack: '↩️ Вернуть',
  btnWriteAgain: '✍️ Написать заново',
  btnApproveAs: (r) => `✅ Как ${ROLES[r]}`,
  btnReject: '❌ Отклонить',
  btnMakeCard: (id) => `📄 #${id}: карточка`,
  btnDismissAll: '🚫 Все — не вопросы',
  btnOpenCard: '📄 Карточка',

  toastClaimed: (id) => `✅ Вы взяли вопрос #${id}`,
  toastAlreadyYours: 'Этот вопрос уже ваш',
  toastTakenBy: (name) => `Этим вопросом уже занимается ${name}`,
  toastAnsweringBy: (name, waiting) => `На этот вопрос уже отвечает ${name}: ответ ${waiting ? 'ждёт утверждения' : 'отправляется'}`,
  toastAnsweringYours: (waiting) => `Ваш ответ на этот вопрос уже ${waiting ? 'ждёт утверждения' : 'отправляется'}`,
  toastAnsweringSomeone: (waiting) => `На этот вопрос уже отвечают: ответ ${waiting ? 'ждёт утверждения' : 'отправляется'}`,
  toastTooLong: (length, max) => `Слишком длинно: символов ${length}, можно не больше ${max}. Сократите и отправьте новый текст ответом на предпросмотр`,
  toastNotOpen: 'Этот вопрос уже закрыт',
  toastReleased: (id) => `Вы отказались от вопроса #${id}`,
  toastNotYours: 'Этим вопросом занимается другой сотрудник',
  toastDismissed: (id, reason) => `Вопрос #${id} закрыт: ${reason}`,
  toastSectorSet: (name) => `Сфера: ${name}`,
  toastReassigned: (id, name) => `Вопрос #${id} передан: ${name}`,
  toastNotAllowed: 'Это действие вам недоступно',
  toastNotStaff: 'Вас нет в списке сотрудников. Чтобы подать заявку, напишите боту /start',
  toastStale: 'Эта кнопка больше не действует',
  toastOpenPrivateChat: 'Сначала откройте чат с ботом и нажмите Start, затем повторите',
  toastPromptSent: 'Напишите ответ в личном чате с ботом',
  toastDone: 'Готово',
  toastRetrying: '🔁 Отправляем ещё раз',
  toastLanguageSet: 'Язык изменён',
  toastError: '⚠️ Не получилось, попробуйте чуть позже',

  chooseSector: (id) => `🏷 Выберите сферу вопроса #${id}`,
  chooseDismissReason: (id) => `🚫 Почему вы закрываете вопрос #${id}?`,
  chooseAssignee: (id) => `👥 Кому передать вопрос #${id}?`,
  noAssignees: 'Нет других сотрудников, которым можно передать вопрос',

  answerPrompt: (id, excerpt) => `✍️ Напишите ответ на вопрос #${id}, ответив на это сообщение.\n\n<blockquote>${e(excerpt)}</blockquote>`,
  previewPublic: (id, p, k, text, canPrivate, ask = true) =>
    `👀 Так будет опубликовано в ${ru.platform(p)} в ответ на ${KINDS[k]} #${id}:\n\n<blockquote>${e(text)}</blockquote>` +
    (ask ? `\n\n${canPrivate ? '«Личным сообщением» — ответ уйдёт автору лично и не будет виден под комментарием.\n\n' : ''}Опубликовать?` : ''),
  previewMessage: (id, p, text, ask = true) =>
    `👀 Так будет отправлено автору вопроса #${id} личным сообщением в ${ru.platform(p)}:\n\n<blockquote>${e(text)}</blockquote>${ask ? '\n\nОтправить?' : ''}`,
  previewLength: (n, limits) =>
    limits.public !== undefined && limits.private !== undefined
      ? `Символов: ${n} (не больше ${limits.public} в публичном ответе, ${limits.private} в личном сообщении)`
      : `Символов: ${n}${(limits.public ?? limits.private) === undefined ? '' : ` (не больше ${limits.public ?? limits.private})`}`,
  previewTooLong: (over) => `⛔ Слишком длинно (лишних символов: ${over}): сократите и отправьте новый текст ответом на это сообщение.`,
  previewTooLongPrivate: (max) =>
    `⚠️ Слишком длинно для личного сообщения (не больше ${max} символов): опубликуйте публичным ответом или сократите и отправьте новый текст ответом на это сообщение.`,
  previewRefused: (visibility, reason) =>
    `⛔ ${visibility === 'private' ? 'Личный ответ: ' : visibility === 'public' ? 'Публичный ответ: ' : ''}${e(reason)}`,
  previewNeedsApproval: 'Сначала ответ утвердит руководитель отдела.',
  previewTruncated: '(в предпросмотре текст сокращён, опубликован будет полностью)',
  draftSending: '⏳ Ответ отправляется…',
  draftSubmitted: '📨 Ответ отправлен на утверждение',
  draftCancelled: '✖️ Отменено',
  draftStale: 'Этот черновик уже неактуален',
  answerEmpty: 'Ответ должен быть текстом',
  approvalRequest: (id, author, text) => `📝 Ответ на вопрос #${id} на утверждение (автор: <b>${e(author)}</b>):\n\n<blockquote>${e(text)}</blockquote>`,
  approvalDecided: (approved, by) => (approved ? `✅ Утверждено: ${e(by)}` : `↩️ Возвращено: ${e(by)}`),
  approved: (id, by) => `✅ Ваш ответ на вопрос #${id} утверждён (${e(by)}) и отправляется.`,
  sendBackPrompt: (id) => `↩️ Напишите, что изменить в ответе на вопрос #${id} (ответьте на это сообщение).`,
  returned: (id, by, comment) => `↩️ Ваш ответ на вопрос #${id} возвращён (${e(by)}):\n\n<blockquote>${e(comment)}</blockquote>\n\nНапишите новый вариант.`,
  returnedDone: '↩️ Возвращено автору',
  replyPublished: (id, p) => `✅ Ваш ответ на вопрос #${id} опубликован в ${ru.platform(p)}.`,
  replyFailed: (id, reason) => `⚠️ Ваш ответ на вопрос #${id} не опубликован: ${e(reason)}`,

  remindUnclaimed: (id, waited) => `⏰ Вопрос #${id} ждёт уже ${waited}, но его пока никто не взял. Кто займётся?`,
  remindClaimed: (id, waited) => `⏰ Вы взяли вопрос #${id} ${waited} назад, но ответа пока нет.`,
  escalation: (id, target, claimant) =>
    `🚨 Срок первого ответа на вопрос #${id} (${target}) истёк, а ответа всё ещё нет. ` +
    (claimant ? `Вопросом занимается <b>${e(claimant)}</b>.` : 'Вопрос никто не взял.'),


  previewKind: (k, closed) =>
    k === 'interim'
      ? '⏳ <b>Промежуточный ответ</b>: первый отклик; вопрос останется открытым до окончательного ответа.'
      : k === 'correction'
        ? '✏️ <b>Исправление</b> опубликованного; состояние вопроса не изменится.'
        : closed
          ? '➕ <b>Дополнительный ответ</b>; вопрос останется закрытым.'
          : '✅ <b>Окончательный ответ</b>: он закроет вопрос.',
  btnAnswerKind: (k, closed) => (k === 'interim' ? '⏳ Сделать промежуточным' : k === 'correction' ? '✏️ Сделать исправлением' : closed ? '➕ Сделать дополнительным ответом' : '✅ Сделать окончательным'),
  stateInterim: (due) => `⏳ Дан только промежуточный ответ${due ? `; окончательный — до ${due}` : ''}`,
  stateReopened: (n) => `↩️ Открыт снова${n > 1 ? ` (${n} раза)` : ''}: снова нужен окончательный ответ`,
  resolutionOverdue: (id, target, handler) =>
    `⏰ Срок решения вопроса #${id} (${target}) истёк, а окончательного ответа всё ещё нет. ` + (handler ? `Вопросом занимается <b>${e(handler)}</b>.` : 'Вопросом никто не занимается.'),
  reopened: (id, why) => (why === 'follow_up' ? `↩️ Вопрос #${id} открыт снова: житель написал ещё раз после окончательного ответа.` : `↩️ Вопрос #${id} открыт снова: житель говорит, что проблема не решена.`),
  solvedAnswered: (id, solved) => (solved ? `👍 Автор вопроса #${id} говорит, что проблема решена.` : `👎 Автор вопроса #${id} говорит, что проблема не решена.`),
  solvedQuestion: 'Здравствуйте! Несколько дней назад мы ответили на ваш вопрос. Проблема решена?',
  solvedYes: 'Да, решена',
  solvedNo: 'Нет, не решена',
  queueTitle: (n) => `📋 <b>Открытые вопросы: ${n}</b> (сначала самые старые)`,
  queueEmpty: '🎉 Открытых вопросов нет',
  mineTitle: (n) => `🙋 <b>Ваши открытые вопросы: ${n}</b>`,
  mineEmpty: 'У вас нет открытых вопросов',
  findTitle: (q, n) => `🔎 «${e(q)}»: найдено ${n}`,
  findEmpty: (q) => `🔎 «${e(q)}»: ничего не найдено`,
  findUsage: '🔎 Напишите /find и искомое слово, например: /find вода',
  listMore: (n) => `…и ещё ${n}`,
  listClaimedBy: (name) => `🙋 ${e(name)}`,
  awaitingFinalTitle: (n) => `⏳ <b>Ждут окончательного ответа: ${n}</b>`,
  listAnsweredBy: (name) => `✍️ ${e(name)}`,
  listStatus: (s) => STATUSES[s] ?? e(s),
  fullTitle: (id) => `📄 <b>Полный текст вопроса #${id}</b>`,

  startStaff: (name, role) => `👋 Здравствуйте, ${e(name)}! Вы в команде, роль — ${ROLES[role]}.\nСписок команд: /help`,
  accessRequested: '✅ Ваша заявка отправлена администраторам. Мы сообщим, когда они примут решение.',
  accessPending: '⏳ Ваша заявка уже отправлена и ждёт решения администратора.',
  accessRejectedBefore: 'Ваша заявка отклонена. По вопросам обращайтесь к администратору.',
  accessRequest: (name, username, id) =>
    `👤 Новая заявка на доступ: <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} · Telegram id ${id}\nДобавить в команду?`,
  accessApproved: (role) => `✅ Вас добавили в команду, роль — ${ROLES[role]}. Список команд: /help`,
  accessRejected: 'Ваша заявка на доступ отклонена.',
  accessDecided: (name, role, by) =>
    role ? `✅ ${e(name)}: доступ выдан, роль — ${ROLES[role]} · решение: ${e(by)}` : `❌ ${e(name)}: заявка отклонена · решение: ${e(by)}`,
  reassignedToYou: (id, by) => `👥 Вам передан вопрос #${id} (передано: ${e(by)}).`,
  staffTitle: (n) => `👥 <b>Команда: ${n}</b>`,
  staffLine: (name, username, role, active) => `• <b>${e(name)}</b>${username ? ` (@${e(username)})` : ''} — ${ROLES[role]}${active ? '' : ' · отключён'}`,
  notStaff: 'Вас нет в списке сотрудников. Чтобы подать заявку на доступ, напишите /start.',
  notAllowed: 'Эта команда вам недоступна.',

  help: (role, reports) =>
    [
      'ℹ️ <b>Как работать</b>',
      'Каждый новый вопрос появляется в группе карточкой.',
      '✋ <b>Взять</b>: вопрос становится вашим.',
      '✍️ <b>Ответить</b>: ответьте на карточку в группе или нажмите кнопку и напишите боту в личном чате. Бот покажет, как ответ будет опубликован, и спросит, публиковать ли.',
      '🚫 <b>Не вопрос</b>: закрыть (спам, дубликат…).',
      '🏷 <b>Сфера</b>: указать сферу.',
      ...(role === 'supervisor' || role === 'admin' ? ['👥 Руководитель отдела может также передавать вопросы и утверждать ответы.'] : []),
      '',
      '/queue — открытые вопросы, сначала старые',
      '/mine — ваши вопросы',
      '/find текст — поиск',
      ...(reports ? ['/report — отчёт', '/stats — показатели'] : []),
      '/log — записать слушание, приём, заседание (показатели года)',
      '/remark — примечание для годового отчёта',
      '/year — год в цифрах',
      ...(role === 'admin' ? ['/staff — команда'] : []),
      '/lang — язык',
      '/help — эта справка',
    ].join('\n'),
  chooseLanguage: '🌐 Выберите язык',
  languageSet: '🌐 Язык: русский',
  adminAlert: (message) => `⚠️ <b>Вниманию администраторов</b>\n\n${e(message)}`,
  staffGroupRemoved: (reason) =>
    `⚠️ <b>Вниманию администраторов</b>\n\nБот больше не может писать в группу сотрудников (${e(reason)}). Добавьте его в группу снова как администратора: до тех пор карточки новых вопросов не отправляются, они ждут и будут отправлены, когда бот вернётся.`,
  staffGroupBack: '✅ <b>Вниманию администраторов</b>\n\nБот снова в группе сотрудников; ожидавшие карточки отправляются.',
  lowPrioritySummary: (n) =>
    `🗂 <b>Второстепенные отклики: ${n}</b>\nБлагодарности, эмодзи, отметки — обычно не требуют ответа. Если среди них есть вопрос, сделайте из него карточку.`,
  lowPriorityItem: (id, author, text) => `#${id} · ${author ? e(author) : 'Аноним'} · «${e(text)}»`,
  lowPriorityDismissedAll: (by) => `🚫 Все закрыты как «не вопрос» · ${e(by)}`,
  lowPriorityMadeCard: (id) => `📄 Для вопроса #${id} создана карточка`,
  errorGeneric: '⚠️ Что-то пошло не так. Попробуйте чуть позже, а если не получится — обратитесь к администратору.',
  commands: {
    queue: 'Открытые вопросы, сначала старые',
    mine: 'Мои вопросы',
    find: 'Поиск по вопросам',
    help: 'Справка',
    lang: 'Язык',
    report: 'Отчёт',
    stats: 'Показатели',
    staff: 'Команда',
    log: 'Записать (слушание, приём, заседание)',
    remark: 'Примечание для годового отчёта',
    year: 'Год в цифрах',
  },

  units: { d: 'дн', h: 'ч', m: 'мин', lessThanMinute: '&lt;1 мин' },
};
