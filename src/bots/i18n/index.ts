/**
 * The bot's languages: Armenian (default), English and Russian. Every text
 * comes from a catalog; each person reads their own language (`staff.language`),
 * the staff group reads `LOCALE`.
 */
import { isLocale, type Locale } from '../../domain/locale.js';
import { en } from './en.js';
import { hy } from './hy.js';
import type { Messages } from './messages.js';
import { ru } from './ru.js';

export type { Messages } from './messages.js';
export type { Locale };
export { isLocale, LOCALES } from '../../domain/locale.js';

const CATALOGS: Record<Locale, Messages> = { hy, en, ru };

export function messagesFor(locale: Locale): Messages {
  return CATALOGS[locale];
}

/** The language a Telegram client reports (`language_code`, e.g. `ru`, `hy-AM`), if we speak it. */
export function localeFromTelegram(languageCode: string | undefined): Locale | undefined {
  const code = languageCode?.slice(0, 2).toLowerCase();
  return isLocale(code) ? code : undefined;
}

/**
 * A duration in minutes as people write it: "1 ժ 12 ր", "3 օր 4 ժ",
 * "1 h 12 min", "45 мин". Two units at most; under a minute is "<1 ր".
 * The result is Telegram HTML (the "<" is escaped), as every text it goes into.
 */
export function formatDuration(minutes: number, locale: Locale): string {
  const u = CATALOGS[locale].units;
  const total = Math.max(0, Math.floor(minutes));
  if (total < 1) return u.lessThanMinute;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days} ${u.d} ${hours} ${u.h}` : `${days} ${u.d}`;
  if (hours > 0) return mins > 0 ? `${hours} ${u.h} ${mins} ${u.m}` : `${hours} ${u.h}`;
  return `${mins} ${u.m}`;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): { y: string; mo: string; d: string; h: string; mi: string } {
  let f = timeFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    timeFormatters.set(timeZone, f);
  }
  const out = { y: '', mo: '', d: '', h: '', mi: '' };
  for (const p of f.formatToParts(date)) {
    if (p.type === 'year') out.y = p.value;
    else if (p.type === 'month') out.mo = p.value;
    else if (p.type === 'day') out.d = p.value;
    else if (p.type === 'hour') out.h = p.value;
    else if (p.type === 'minute') out.mi = p.value;
  }
  return out;
}

/**
 * A moment in the city's time zone, as short as is clear from `now`:
 * "14:05" today, "28.11 14:05" this year, "28.11.2025 14:05" before.
 * The same digits read right in all three languages.
 */
export function formatTime(date: Date, timeZone: string, now: Date): string {
  const a = partsIn(date, timeZone);
  const b = partsIn(now, timeZone);
  const time = `${a.h}:${a.mi}`;
  if (a.y === b.y && a.mo === b.mo && a.d === b.d) return time;
  if (a.y === b.y) return `${a.d}.${a.mo} ${time}`;
  return `${a.d}.${a.mo}.${a.y} ${time}`;
}
