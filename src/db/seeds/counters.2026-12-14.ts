/**
 * FROZEN DATA — the department's counters as first seeded on 2026-12-14: the
 * functions of its annual report (public relations, information, protocol)
 * that are not inquiries (DESIGN.md, Domain: counter).
 *
 * A migration imports this file to fill the `counters` table. It must NEVER
 * change once it has landed; to change the list later write a new migration
 * (admins can also add and switch counters off with `ardzagank counters`).
 * It imports nothing, so later changes to types cannot change what it exports.
 *
 * - `figure`: what the year's report shows: the number of entries (`count`,
 *   each entry counts its quantity, 1 for a tap), the sum of their amounts
 *   (`amount`), or both (`both`: sessions, and the citizens or questions they took).
 * - `amount`: the name of an entry's amount (null: entries have none).
 * - `source`: `logged` by staff, or `published_posts`: counted from the
 *   sources' feeds, never logged by hand.
 */
export const COUNTER_SEED: ReadonlyArray<{
  code: string;
  section: 'public_relations' | 'information' | 'protocol';
  position: number;
  names: { hy: string; en: string; ru: string };
  figure: 'count' | 'amount' | 'both';
  amount: { hy: string; en: string; ru: string } | null;
  hasNote: boolean;
  source: 'logged' | 'published_posts';
}> = [
  {
    code: 'public_hearings',
    section: 'public_relations',
    position: 10,
    names: { hy: 'Անցկացված հանրային լսումներ', en: 'Public hearings held', ru: 'Проведённые публичные слушания' },
    figure: 'count',
    amount: null,
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'head_reception',
    section: 'public_relations',
    position: 20,
    names: {
      hy: 'Համայնքի ղեկավարի ընդունելությանը ընդունված քաղաքացիներ',
      en: 'Citizens received by the head of the community',
      ru: 'Граждане, принятые главой общины',
    },
    figure: 'count',
    amount: null,
    hasNote: false,
    source: 'logged',
  },
  {
    code: 'office_consultations',
    section: 'public_relations',
    position: 30,
    names: { hy: 'Խորհրդատվություններ սպասարկման գրասենյակում', en: 'Consultations at the service office', ru: 'Консультации в офисе обслуживания' },
    figure: 'count',
    amount: null,
    hasNote: false,
    source: 'logged',
  },
  {
    code: 'social_commission',
    section: 'public_relations',
    position: 40,
    names: {
      hy: 'Սոցիալական աջակցության հանձնաժողովի նիստեր',
      en: 'Sessions of the social assistance commission',
      ru: 'Заседания комиссии по социальной помощи',
    },
    figure: 'both',
    amount: { hy: 'աջակցություն ստացած քաղաքացիներ', en: 'citizens granted support', ru: 'граждан получили помощь' },
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'guardianship_commission',
    section: 'public_relations',
    position: 50,
    names: {
      hy: 'Խնամակալության և հոգաբարձության հանձնաժողովի նիստեր',
      en: 'Sessions of the guardianship and trusteeship commission',
      ru: 'Заседания комиссии по опеке и попечительству',
    },
    figure: 'both',
    amount: { hy: 'օրակարգային հարցեր', en: 'agenda questions', ru: 'вопросов повестки' },
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'published_posts',
    section: 'information',
    position: 60,
    names: { hy: 'Հրապարակված նյութեր (տեքստ և տեսանյութ)', en: 'Items published (text and video)', ru: 'Опубликованные материалы (текст и видео)' },
    figure: 'count',
    amount: null,
    hasNote: false,
    source: 'published_posts',
  },
  {
    code: 'archive',
    section: 'information',
    position: 70,
    names: { hy: 'Արխիվացված նյութեր', en: 'Materials archived', ru: 'Архивировано материалов' },
    figure: 'amount',
    amount: { hy: 'ԳԲ', en: 'GB', ru: 'ГБ' },
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'press_relations',
    section: 'information',
    position: 80,
    names: { hy: 'Կապեր մամուլի հետ', en: 'Press relations', ru: 'Связи с прессой' },
    figure: 'count',
    amount: null,
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'council_sessions',
    section: 'protocol',
    position: 90,
    names: { hy: 'Ավագանու նիստեր', en: 'Council sessions', ru: 'Заседания совета' },
    figure: 'count',
    amount: null,
    hasNote: true,
    source: 'logged',
  },
  {
    code: 'official_meetings',
    section: 'protocol',
    position: 100,
    names: { hy: 'Պաշտոնական հանդիպումներ', en: 'Official meetings', ru: 'Официальные встречи' },
    figure: 'count',
    amount: null,
    hasNote: true,
    source: 'logged',
  },
];
