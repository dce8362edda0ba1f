/**
 * The bot's texts for counters (`/log`, `/remark`) and `/year`, in Armenian,
 * English and Russian. HTML parse mode: functions escape what they are given.
 */
import type { Locale } from '../../domain/locale.js';
import { escapeHtml as e } from '../../telegram/telegram-text.js';

export interface CounterMessages {
  menu(day: string): string;
  logged(name: string, day: string, entryId: number, yearTotal: string, year: number): string;
  loggedAmount(name: string, amountName: string, amount: string, entryId: number): string;
  toastLogged(name: string, yearTotal: string, year: number): string;
  askAmount(name: string, day: string, amountName: string): string;
  askNote(name: string, entryId: number): string;
  askRemark(name: string, year: number): string;
  remarkMenu(year: number): string;
  remarkSet(name: string, year: number): string;
  noteSet(entryId: number): string;
  badAmount: string;
  badDay: string;
  cancel(entryId: number): string;
  addNote: string;
  cancelled(entryId: number): string;
  toastCancelled: string;
  notYourEntry: string;
  none: string;
  badYear: string;
}

const hy: CounterMessages = {
  menu: (day) => `📋 <b>Ի՞նչ եղավ ${e(day)}-ին</b>\nՄեկ սեղմումը գրանցում է մեկը։ Մեկ այլ օրվա համար՝ /log ՕՕ.ԱԱ.ՏՏՏՏ`,
  logged: (name, day, id, total, year) => `✓ ${e(name)} · ${e(day)} · #${id}\n${year} թ.՝ ${e(total)}`,
  loggedAmount: (name, amountName, amount, id) => `✓ ${e(name)} · ${e(amountName)}՝ ${e(amount)} · #${id}`,
  toastLogged: (name, total, year) => `✓ ${name}: ${total} (${year})`,
  askAmount: (name, day, amountName) => `${e(name)}, ${e(day)}\nՔանի՞ ${e(amountName)}։ Պատասխանեք թվով, դրանից հետո կարող եք նշում գրել։`,
  askNote: (name, id) => `${e(name)} · #${id}\nԳրեք նշումը՝ պատասխանելով այս հաղորդագրությանը։`,
  askRemark: (name, year) => `${e(name)}, ${year} թ.\nԳրեք, թե ինչ ասի տարեկան հաշվետվությունը (օր.՝ «հատուկ հաշվառում չի իրականացվել»)։`,
  remarkMenu: (year) => `✎ Որ ցուցանիշի մասին գրել դիտողություն ${year} թ. հաշվետվության համար`,
  remarkSet: (name, year) => `✓ ${e(name)}, ${year} թ.՝ դիտողությունը պահպանված է։`,
  noteSet: (id) => `✓ #${id}՝ նշումը պահպանված է։`,
  badAmount: 'Պետք է թիվ լինի (օր.՝ 12 կամ 12 նշում)։',
  badDay: 'Օրը գրեք այսպես՝ /log 15.03.2018 կամ /log 2018-03-15',
  cancel: (id) => `↩ Չեղարկել #${id}`,
  addNote: '✎ Նշում',
  cancelled: (id) => `↩ #${id}՝ չեղարկված է, այլևս չի հաշվվում։`,
  toastCancelled: 'Չեղարկված է',
  notYourEntry: 'Կարող է չեղարկել գրանցողը կամ ղեկավարը',
  none: 'Գրանցելու ցուցանիշներ չկան։',
  badYear: 'Տարին գրեք այսպես՝ /year 2026',
};

const en: CounterMessages = {
  menu: (day) => `📋 <b>What happened on ${e(day)}?</b>\nOne tap logs one. For another day: /log DD.MM.YYYY`,
  logged: (name, day, id, total, year) => `✓ ${e(name)} · ${e(day)} · #${id}\n${year}: ${e(total)}`,
  loggedAmount: (name, amountName, amount, id) => `✓ ${e(name)} · ${e(amountName)}: ${e(amount)} · #${id}`,
  toastLogged: (name, total, year) => `✓ ${name}: ${total} in ${year}`,
  askAmount: (name, day, amountName) => `${e(name)}, ${e(day)}\nHow many ${e(amountName)}? Reply with the number; a note may follow it.`,
  askNote: (name, id) => `${e(name)} · #${id}\nReply to this message with the note.`,
  askRemark: (name, year) => `${e(name)}, ${year}\nReply with what the year's report should say (e.g. "no special counting was done").`,
  remarkMenu: (year) => `✎ Which figure gets a remark in the report of ${year}?`,
  remarkSet: (name, year) => `✓ ${e(name)}, ${year}: remark saved.`,
  noteSet: (id) => `✓ #${id}: note saved.`,
  badAmount: 'That should be a number (e.g. 12, or 12 and a note).',
  badDay: 'Write the day like /log 15.03.2018 or /log 2018-03-15',
  cancel: (id) => `↩ Cancel #${id}`,
  addNote: '✎ Note',
  cancelled: (id) => `↩ #${id} cancelled; it no longer counts.`,
  toastCancelled: 'Cancelled',
  notYourEntry: 'Only who logged it or a supervisor can cancel it',
  none: 'There is nothing to log.',
  badYear: 'Write the year like /year 2026',
};

const ru: CounterMessages = {
  menu: (day) => `📋 <b>Что было ${e(day)}?</b>\nОдно нажатие — одна запись. Другой день: /log ДД.ММ.ГГГГ`,
  logged: (name, day, id, total, year) => `✓ ${e(name)} · ${e(day)} · #${id}\nЗа ${year}: ${e(total)}`,
  loggedAmount: (name, amountName, amount, id) => `✓ ${e(name)} · ${e(amountName)}: ${e(amount)} · #${id}`,
  toastLogged: (name, total, year) => `✓ ${name}: ${total} за ${year}`,
  askAmount: (name, day, amountName) => `${e(name)}, ${e(day)}\nСколько (${e(amountName)})? Ответьте числом; после него можно написать заметку.`,
  askNote: (name, id) => `${e(name)} · #${id}\nОтветьте на это сообщение заметкой.`,
  askRemark: (name, year) => `${e(name)}, ${year}\nОтветьте, что должен сказать годовой отчёт (например, «специальный учёт не вёлся»).`,
  remarkMenu: (year) => `✎ К какому показателю отчёта за ${year} добавить примечание?`,
  remarkSet: (name, year) => `✓ ${e(name)}, ${year}: примечание сохранено.`,
  noteSet: (id) => `✓ #${id}: заметка сохранена.`,
  badAmount: 'Нужно число (например, 12, или 12 и заметка).',
  badDay: 'Напишите день так: /log 15.03.2018 или /log 2018-03-15',
  cancel: (id) => `↩ Отменить #${id}`,
  addNote: '✎ Заметка',
  cancelled: (id) => `↩ #${id} отменена и больше не считается.`,
  toastCancelled: 'Отменено',
  notYourEntry: 'Отменить может автор записи или руководитель',
  none: 'Нечего записывать.',
  badYear: 'Напишите год так: /year 2026',
};

const CATALOGS: Record<Locale, CounterMessages> = { hy, en, ru };

export function counterMessagesFor(locale: Locale): CounterMessages {
  return CATALOGS[locale];
}
