/**
 * Texts of the year's report in Armenian, English and Russian (the figures'
 * own names come from `reports/i18n` and from the counters' rows).
 */
import type { ReportLang } from '../i18n/index.js';

export interface YearCatalog {
  title(year: number): string;
  subtitle(year: number, previous: number, generated: string): string;
  sections: { public_relations: string; information: string; protocol: string; inquiries: string };
  figure: string;
  change: string;
  answeredOnPages: string;
  /** A part of the year whose answered count was entered by hand, before the system. */
  beforeSystem(period: string): string;
  /** A part measured by the system. */
  withSystem(period: string): string;
  publishedOn(platform: string): string;
  openAtYearEnd: string;
  byPlatform: string;
  /** By source: each connected Page, account or channel by its name. */
  bySource: string;
  bySector: string;
  sliceColumns: { name: string; received: string; answered: string; responseRate: string; frtMedian: string };
  enteredNote(parts: string): string;
  sourceNote: string;
  notRecorded: string;
}

const hy: YearCatalog = {
  title: (year) => `${year} թվականը թվերով`,
  subtitle: (year, previous, generated) => `Հասարակայնության հետ կապերի բաժին · ${year} թ.՝ համեմատած ${previous} թ.-ի հետ · կազմված է ${generated}`,
  sections: {
    public_relations: 'Հասարակայնության հետ կապեր',
    information: 'Տեղեկատվություն',
    protocol: 'Արարողակարգ',
    inquiries: 'Քաղաքացիների հարցերը սոցիալական էջերում',
  },
  figure: 'Ցուցանիշ',
  change: 'Փոփոխություն',
  answeredOnPages: 'Սոցիալական էջերում պատասխանված քաղաքացիների հարցեր',
  beforeSystem: (period) => `${period}, մինչ համակարգը (մուտքագրված)`,
  withSystem: (period) => `${period}, համակարգով`,
  publishedOn: (platform) => `${platform}-ում`,
  openAtYearEnd: 'Անպատասխան տարեվերջին',
  byPlatform: 'Ըստ հարթակի',
  bySource: 'Ըստ աղբյուրի',
  bySector: 'Ըստ ոլորտի',
  sliceColumns: { name: 'Անվանում', received: 'Ստացված', answered: 'Պատասխանված', responseRate: 'Արձագանքման տոկոս', frtMedian: 'Առաջին պատասխան, մեդիան' },
  enteredNote: (parts) => `✎ Ձեռքով մուտքագրված՝ համակարգից առաջ ընկած ժամանակահատվածի համար՝ ${parts}։`,
  sourceNote: 'Բոլոր թվերը վերցված են տվյալներից․ հրապարակումները հաշվված են էջերի հոսքից, մնացածը՝ աշխատակիցների գրանցումներից։',
  notRecorded: '—',
};

const en: YearCatalog = {
  title: (year) => `The year ${year} in numbers`,
  subtitle: (year, previous, generated) => `Public relations department · ${year} compared with ${previous} · generated ${generated}`,
  sections: {
    public_relations: 'Public relations',
    information: 'Information',
    protocol: 'Protocol',
    inquiries: "Citizens' questions on the social pages",
  },
  figure: 'Figure',
  change: 'Change',
  answeredOnPages: "Citizens' questions answered on the social pages",
  beforeSystem: (period) => `${period}, before the system (entered)`,
  withSystem: (period) => `${period}, with the system`,
  publishedOn: (platform) => `on ${platform}`,
  openAtYearEnd: 'Unanswered at the end of the year',
  byPlatform: 'By platform',
  bySource: 'By source',
  bySector: 'By sector',
  sliceColumns: { name: 'Name', received: 'Received', answered: 'Answered', responseRate: 'Response rate', frtMedian: 'First response, median' },
  enteredNote: (parts) => `✎ Entered by hand for the period before the system: ${parts}.`,
  sourceNote: "Every figure is read from data: posts are counted from the pages' feeds, the rest from what staff logged.",
  notRecorded: '—',
};

const ru: YearCatalog = {
  title: (year) => `${year} год в цифрах`,
  subtitle: (year, previous, generated) => `Отдел по связям с общественностью · ${year} в сравнении с ${previous} · составлено ${generated}`,
  sections: {
    public_relations: 'Связи с общественностью',
    information: 'Информация',
    protocol: 'Протокол',
    inquiries: 'Вопросы граждан на страницах в соцсетях',
  },
  figure: 'Показатель',
  change: 'Изменение',
  answeredOnPages: 'Отвечено на вопросы граждан в соцсетях',
  beforeSystem: (period) => `${period}, до системы (введено вручную)`,
  withSystem: (period) => `${period}, с системой`,
  publishedOn: (platform) => `в ${platform}`,
  openAtYearEnd: 'Без ответа на конец года',
  byPlatform: 'По платформам',
  bySource: 'По источникам',
  bySector: 'По сферам',
  sliceColumns: { name: 'Название', received: 'Получено', answered: 'Отвечено', responseRate: 'Доля ответов', frtMedian: 'Первый ответ, медиана' },
  enteredNote: (parts) => `✎ Введено вручную за период до системы: ${parts}.`,
  sourceNote: 'Все цифры взяты из данных: публикации посчитаны по лентам страниц, остальное — по записям сотрудников.',
  notRecorded: '—',
};

const CATALOGS: Record<ReportLang, YearCatalog> = { hy, en, ru };

export function yearCatalogFor(lang: ReportLang): YearCatalog {
  return CATALOGS[lang];
}
