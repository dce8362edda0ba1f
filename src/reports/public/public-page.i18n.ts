/**
 * The words of the public page in each language; figures, month names and
 * the names of the columns come from the report catalogs (`../i18n`).
 */
import type { Locale } from '../../domain/locale.js';

export interface PublicPageText {
  /** The language's own name, for the language links. */
  languageName: string;
  title: string;
  /** The line under the title: what the page shows, over which months. */
  intro(range: string): string;
  /** `First-response target: 8 h of business hours.` */
  target(duration: string, clock: 'business' | 'wall'): string;
  updated(moment: string): string;
  skip: string;
  languages: string;
  summaryHeading(range: string): string;
  monthsHeading: string;
  chartTitle: string;
  /** The chart's text alternative. */
  chartDescription(range: string, busiest: string | null): string;
  chartLegendReceived: string;
  chartLegendAnswered: string;
  chartNote: string;
  monthsCaption(range: string): string;
  month: string;
  platform: string;
  sector: string;
  platformCaption(range: string): string;
  sectorCaption(range: string): string;
  soFar: string;
  openData: string;
  openDataLink: string;
  definitionsHeading: string;
  definitions: Array<[term: string, meaning: string]>;
  enteredNote: string;
  privacy: string;
}

const hy: PublicPageText = {
  languageName: 'Հայերեն',
  title: 'Որքան արագ է քաղաքը պատասխանում քաղաքացիներին',
  intro: (range) => `Քաղաքի սոցիալական էջերում քաղաքացիների տված հարցերը և դրանց պատասխանները՝ ըստ ամիսների, ${range}։`,
  target: (d, clock) => `Առաջին պատասխանի նորմատիվը՝ ${d}${clock === 'business' ? ' աշխատանքային ժամերով' : ''}։`,
  updated: (m) => `Թարմացվել է՝ ${m}`,
  skip: 'Անցնել թվերին',
  languages: 'Լեզու',
  summaryHeading: (range) => `Վերջին 12 ամիսը (${range})`,
  monthsHeading: 'Ըստ ամիսների',
  chartTitle: 'Ստացված և պատասխանված հարցեր ըստ ամիսների',
  chartDescription: (range, busiest) =>
    `Սյունակային գծապատկեր. ստացված և պատասխանված հարցերի թիվը ամեն ամիս, ${range}։${busiest ? ` Ամենաշատ հարցերը՝ ${busiest}։` : ''} Նույն թվերը ներքևի աղյուսակում են։`,
  chartLegendReceived: 'Ստացված',
  chartLegendAnswered: 'Պատասխանված',
  chartNote: 'Նույն թվերը՝ ներքևի աղյուսակում։',
  monthsCaption: (range) => `Հարցերը և պատասխանները ըստ ամիսների, ${range}`,
  month: 'Ամիս',
  platform: 'Հարթակ',
  sector: 'Ոլորտ',
  platformCaption: (range) => `Ըստ հարթակի, ${range}`,
  sectorCaption: (range) => `Ըստ ոլորտի, ${range}`,
  soFar: '(առայժմ)',
  openData: 'Նույն թվերը՝ բաց տվյալների տեսքով.',
  openDataLink: 'JSON',
  definitionsHeading: 'Ինչ են նշանակում թվերը',
  definitions: [
    ['Ստացված', 'ամսվա ընթացքում տրված հարցերը (առանց շնորհակալությունների, էմոջիների և սպամի)'],
    ['Պատասխանված', 'հարցերը, որոնց առաջին պատասխանը տրվել է այդ ամիս'],
    ['Պատասխանների տոկոս', 'ամսվա հարցերից որքանն է մինչ օրս պատասխան ստացել'],
    ['Առաջին պատասխան, մեդիան', 'պատասխանների կեսը տրվել է ավելի արագ, կեսը՝ ավելի ուշ'],
    ['Նորմատիվ ժամկետում', 'ամսվա հարցերից որքանն է պատասխան ստացել նորմատիվ ժամկետում'],
  ],
  enteredNote: '* ձեռքով մուտքագրված թվեր (համակարգից առաջ ընկած ժամանակահատված)',
  privacy: 'Էջում չկան անուններ, հաղորդագրություններ կամ նույնացուցիչներ՝ միայն ընդհանուր թվեր։',
};

const en: PublicPageText = {
  languageName: 'English',
  title: 'How fast the city answers its citizens',
  intro: (range) => `Questions citizens asked on the city's social pages, and the city's answers, month by month: ${range}.`,
  target: (d, clock) => `First-response target: ${d}${clock === 'business' ? ' of business hours' : ''}.`,
  updated: (m) => `Updated ${m}`,
  skip: 'Skip to the figures',
  languages: 'Language',
  summaryHeading: (range) => `The last 12 months (${range})`,
  monthsHeading: 'Month by month',
  chartTitle: 'Questions received and answered each month',
  chartDescription: (range, busiest) =>
    `Bar chart of the questions received and answered each month, ${range}.${busiest ? ` Most questions: ${busiest}.` : ''} The same figures are in the table below.`,
  chartLegendReceived: 'Received',
  chartLegendAnswered: 'Answered',
  chartNote: 'The same figures are in the table below.',
  monthsCaption: (range) => `Questions and answers by month, ${range}`,
  month: 'Month',
  platform: 'Platform',
  sector: 'Sector',
  platformCaption: (range) => `By platform, ${range}`,
  sectorCaption: (range) => `By sector, ${range}`,
  soFar: '(so far)',
  openData: 'The same figures as open data:',
  openDataLink: 'JSON',
  definitionsHeading: 'What the figures mean',
  definitions: [
    ['Received', 'questions asked in the month (thanks, emoji and spam not counted)'],
    ['Answered', 'questions whose first answer came in the month'],
    ['Response rate', "the share of the month's questions answered so far"],
    ['First response, median', 'half of the answers came faster than this, half slower'],
    ['Within target', "the share of the month's questions answered within the first-response target"],
  ],
  enteredNote: '* counts entered by hand (a time before the system)',
  privacy: 'No names, messages or identifiers are shown: only totals.',
};

const ru: PublicPageText = {
  languageName: 'Русский',
  title: 'Как быстро город отвечает жителям',
  intro: (range) => `Вопросы жителей на страницах города в социальных сетях и ответы на них по месяцам: ${range}.`,
  target: (d, clock) => `Норматив первого ответа: ${d}${clock === 'business' ? ' рабочего времени' : ''}.`,
  updated: (m) => `Обновлено ${m}`,
  skip: 'Перейти к цифрам',
  languages: 'Язык',
  summaryHeading: (range) => `Последние 12 месяцев (${range})`,
  monthsHeading: 'По месяцам',
  chartTitle: 'Полученные и отвеченные вопросы по месяцам',
  chartDescription: (range, busiest) =>
    `Столбчатая диаграмма: число полученных и отвеченных вопросов за каждый месяц, ${range}.${busiest ? ` Больше всего вопросов: ${busiest}.` : ''} Те же цифры в таблице ниже.`,
  chartLegendReceived: 'Получено',
  chartLegendAnswered: 'Отвечено',
  chartNote: 'Те же цифры в таблице ниже.',
  monthsCaption: (range) => `Вопросы и ответы по месяцам, ${range}`,
  month: 'Месяц',
  platform: 'Платформа',
  sector: 'Сфера',
  platformCaption: (range) => `По платформам, ${range}`,
  sectorCaption: (range) => `По сферам, ${range}`,
  soFar: '(пока)',
  openData: 'Те же цифры как открытые данные:',
  openDataLink: 'JSON',
  definitionsHeading: 'Что означают цифры',
  definitions: [
    ['Получено', 'вопросы, заданные за месяц (без благодарностей, эмодзи и спама)'],
    ['Отвечено', 'вопросы, первый ответ на которые дан в этом месяце'],
    ['Доля отвеченных', 'какая часть вопросов месяца уже получила ответ'],
    ['Первый ответ, медиана', 'половина ответов дана быстрее, половина медленнее'],
    ['В пределах норматива', 'какая часть вопросов месяца получила ответ в пределах норматива'],
  ],
  enteredNote: '* цифры, введённые вручную (время до системы)',
  privacy: 'Никаких имён, сообщений и идентификаторов: только итоги.',
};

export const PUBLIC_PAGE_TEXT: Record<Locale, PublicPageText> = { hy, en, ru };
