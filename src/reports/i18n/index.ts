/** The report catalogs by language. */
import { isLocale } from '../../domain/locale.js';
import type { ReportCatalog, ReportLang } from './catalog.js';
import { en } from './en.js';
import { hy } from './hy.js';
import { ru } from './ru.js';

export type { ReportCatalog, ReportLang } from './catalog.js';
export { REPORT_LANGS } from './catalog.js';

const CATALOGS: Record<ReportLang, ReportCatalog> = { hy, en, ru };

/** The catalog of a language (Armenian for anything unknown). */
export function catalogFor(lang: string | undefined): ReportCatalog {
  return isLocale(lang) ? CATALOGS[lang] : hy;
}
