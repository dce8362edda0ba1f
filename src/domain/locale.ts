/**
 * The languages Ardzagank speaks: Armenian (the default), English and
 * Russian. Staff read the bot in their own language (`staff.language`), the
 * staff group and reports in `LOCALE`; sector names and keywords come in all
 * three.
 */

/** Every language, Armenian first (the default). */
export const LOCALES = ['hy', 'en', 'ru'] as const;

/** A language code: `hy`, `en` or `ru`. */
export type Locale = (typeof LOCALES)[number];

/** Whether `value` is one of {@link LOCALES}. */
export function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}
