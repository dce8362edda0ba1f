/**
 * Sectors of the city's taxonomy and the keyword rules that suggest one for
 * an inquiry, plus the test for texts that need no answer of substance.
 *
 * DESIGN.md (Domain): keyword rules in Armenian, Russian and English suggest
 * a sector; staff confirm or change it. The rules live in the `sectors` table
 * and are editable, so everything here works on whatever rules it is given.
 *
 * Matching is written for how citizens write on social pages: Armenian (in
 * Armenian letters or in Latin "translit"), Russian and English, often mixed,
 * with Armenian and Russian inflection. Armenian adds case and article
 * endings to a stem that itself may change (ջուր → ջրի, ջրից, ջրով; ճանապարհ
 * → ճանապարհին, ճանապարհները), so a keyword is a stem that matches the start
 * of a word — see {@link SectorKeywords} for the notation.
 */

/** The three languages of names and keywords. */
export type SectorLanguage = 'hy' | 'en' | 'ru';

/**
 * Keywords of a sector per language. The language is for the people who
 * edit them; matching uses all of them on any text.
 *
 * Notation of one keyword:
 * - `ճանապարհ` — a stem: matches every word that starts with it
 *   (ճանապարհ, ճանապարհին, ճանապարհները). Matching starts at a word
 *   boundary only, so `փոս` never matches inside `ափոսի`.
 * - `=газ` — a whole word only (газ, not газон or газета); use it for short
 *   stems that are the start of unrelated words, listing the forms needed
 *   (`=газа`, `=газом`, …).
 * - `детск сад`, `street light` — a phrase: consecutive words, each matched
 *   as a stem (or each as a whole word when the keyword starts with `=`).
 *
 * Case, Unicode form (NFKC), Russian ё/е and the Armenian spellings և / եւ /
 * եվ do not matter.
 */
export interface SectorKeywords {
  hy: readonly string[];
  en: readonly string[];
  ru: readonly string[];
}

/** A sector of the city's taxonomy, as the seed and the `sectors` table hold it. */
export interface Sector {
  /** Stable identifier, `[a-z][a-z0-9_]*` (`water`, `roads_transport`, …). */
  code: string;
  /** Display order; also breaks ties between equally scored suggestions (lower wins). */
  position: number;
  names: { hy: string; en: string; ru: string };
  keywords: SectorKeywords;
}

/** What {@link suggestSector} needs of a sector. */
export interface SectorRule {
  code: string;
  position: number;
  keywords: SectorKeywords;
}

/** A sector suggested for a text. */
export interface SectorSuggestion {
  code: string;
  /** How many words of the text the sector's keywords cover (a phrase covers all its words). */
  score: number;
  /** The keywords that matched, as written in the rule, in the order they first occur in the text. */
  matched: string[];
}

/** Code of the catch-all sector, which keywords never suggest. */
export const OTHER_SECTOR_CODE = 'other';

// Armenian emphasis, exclamation and question marks (՛ ՜ ՞) and the
// apostrophe and abbreviation marks (՚ ՟) are written on a vowel inside the
// word ("ջու՞րը"); soft hyphens and zero-width characters hide inside words
// pasted from elsewhere. None may split a word.
const IN_WORD_MARKS = /[\u055A\u055B\u055C\u055E\u055F\u00AD\u200B-\u200D\u2060\uFEFF]/gu;
// After NFKC has composed what it can (й, ё, é), the combining marks left are
// decoration — Russian stress accents, emoji variation selectors, keycaps —
// and are dropped so they neither split words nor count as words.
const COMBINING_MARKS = /\p{M}/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Lower-cased NFKC without leftover combining marks, with the spelling
 * variants folded: NFKC turns the ligature և into եւ, and եւ (classical
 * spelling) becomes եվ (how և is typed without the ligature key, and how ԵՎ
 * lower-cases); ё becomes е.
 */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(IN_WORD_MARKS, '')
    .replace(COMBINING_MARKS, '')
    .replace(/եւ/gu, 'եվ')
    .replace(/ё/gu, 'е');
}

function wordsOf(normalized: string): string[] {
  return normalized.match(WORD) ?? [];
}

interface CompiledKeyword {
  /** The keyword as written in the rule, reported in {@link SectorSuggestion.matched}. */
  source: string;
  words: string[];
  exact: boolean;
}

interface CompiledRule {
  code: string;
  position: number;
  keywords: CompiledKeyword[];
}

function compileKeyword(source: string): CompiledKeyword | undefined {
  const trimmed = source.trim();
  const exact = trimmed.startsWith('=');
  const words = wordsOf(normalize(exact ? trimmed.slice(1) : trimmed));
  return words.length === 0 ? undefined : { source: trimmed, words, exact };
}

// Rules come from a cache that hands out the same array for a while: compile once per array.
const compiledRules = new WeakMap<readonly SectorRule[], CompiledRule[]>();

function compileRules(rules: readonly SectorRule[]): CompiledRule[] {
  let compiled = compiledRules.get(rules);
  if (compiled === undefined) {
    compiled = rules
      .filter((rule) => rule.code !== OTHER_SECTOR_CODE)
      .map((rule) => {
        // Rules read from jsonb are only as complete as the row: tolerate a missing language.
        const all = [...(rule.keywords?.hy ?? []), ...(rule.keywords?.ru ?? []), ...(rule.keywords?.en ?? [])];
        const keywords: CompiledKeyword[] = [];
        for (const source of all) {
          const keyword = typeof source === 'string' ? compileKeyword(source) : undefined;
          if (keyword !== undefined) keywords.push(keyword);
        }
        return { code: rule.code, position: rule.position, keywords };
      });
    compiledRules.set(rules, compiled);
  }
  return compiled;
}

function matchesAt(words: readonly string[], at: number, keyword: CompiledKeyword): boolean {
  for (let j = 0; j < keyword.words.length; j++) {
    const word = words[at + j];
    const stem = keyword.words[j]!;
    if (word === undefined) return false;
    if (keyword.exact ? word !== stem : !word.startsWith(stem)) return false;
  }
  return true;
}

/**
 * Suggests the sector whose keywords cover the most words of `text`.
 *
 * Every word is counted once per sector however many of its keywords match
 * it (ջրամատակարարում matches both `ջր` and `ջրամատակարար`: one word). The
 * `other` sector is never suggested. Equal scores go to the lower
 * `position`, then to the alphabetically first code, so the result is
 * deterministic.
 *
 * @returns undefined when no keyword of any sector matches.
 *
 * @example
 * suggestSector('Ե՞րբ կլինի ջուրը, երկու օր է ջրի խնդիր ունենք', rules)
 * // { code: 'water', score: 2, matched: ['ջուր', 'ջր'] }
 */
export function suggestSector(text: string, rules: readonly SectorRule[]): SectorSuggestion | undefined {
  const words = wordsOf(normalize(text));
  if (words.length === 0) return undefined;
  // A keyword can only match where a word starts with its first character: look only there
  // (every text is checked against every keyword of every sector as it is ingested).
  const startsOf = new Map<string, number[]>();
  words.forEach((word, i) => {
    const at = startsOf.get(word[0]!);
    if (at) at.push(i);
    else startsOf.set(word[0]!, [i]);
  });
  let best: (SectorSuggestion & { position: number }) | undefined;
  for (const rule of compileRules(rules)) {
    const covered = new Set<number>();
    const firstAt = new Map<string, number>();
    for (const keyword of rule.keywords) {
      for (const i of startsOf.get(keyword.words[0]![0]!) ?? []) {
        if (i + keyword.words.length > words.length || !matchesAt(words, i, keyword)) continue;
        for (let j = 0; j < keyword.words.length; j++) covered.add(i + j);
        if (!firstAt.has(keyword.source)) firstAt.set(keyword.source, i);
      }
    }
    if (covered.size === 0) continue;
    const better =
      best === undefined ||
      covered.size > best.score ||
      (covered.size === best.score && (rule.position < best.position || (rule.position === best.position && rule.code < best.code)));
    if (better) {
      // Map iteration keeps insertion (keyword) order, so the sort is stable for equal positions.
      const matched = [...firstAt.entries()].sort((a, b) => a[1] - b[1]).map(([source]) => source);
      best = { code: rule.code, position: rule.position, score: covered.size, matched };
    }
  }
  if (best === undefined) return undefined;
  return { code: best.code, score: best.score, matched: best.matched };
}

// ---------------------------------------------------------------------------
// Low priority
// ---------------------------------------------------------------------------

/** Longest text, in words, that can still be "just thanks". */
const MAX_PRAISE_WORDS = 10;

/**
 * Words of thanks and praise, and the little words around them, as citizens
 * write them. A trailing `*` marks a stem (շնորհակալ* covers
 * շնորհակալություն and the joined-up շնորհակալեմ).
 */
const PRAISE_VOCABULARY = [
  // Armenian
  'շնորհակալ*', 'մերսի', 'ապրեք', 'ապրես', 'ապրեն', 'ապրի', 'ապրիք', 'բրավո', 'բռավո', 'կեցցե*',
  'մալադեց*', 'մոլոդեց*', 'շնորհավոր*', 'փառք', 'աստված', 'աստծո', 'պահի', 'պահապան', 'օրհնի*',
  'շատ', 'լավ', 'լավն', 'լավագույն*', 'ամենալավ*', 'հրաշալի', 'հիանալի', 'գերազանց', 'սուպեր', 'կլաս', 'կլասս',
  'գեղեցիկ', 'սիրուն', 'սիրում', 'մեծ', 'անչափ', 'խորին', 'անսահման', 'ուժ', 'համբերություն', 'այո', 'համաձայն*', 'ճիշտ',
  'ձեզ', 'ձեր', 'ձեզնից', 'քեզ', 'դուք', 'դու', 'մեր', 'բոլորին', 'բոլորիդ', 'բոլոր', 'և', 'ու', 'եմ', 'ենք', 'է', 'էլ',
  'այս', 'էս', 'աշխատանք*', 'գործ', 'գործի', 'համար', 'քաղաքապետ*', 'համայնքապետ*',
  // Armenian in Latin letters
  'shnorhakal*', 'shnorakal*', 'apreq', 'aprek', 'apres', 'aprik', 'mersi', 'merci', 'shat', 'lav',
  // Russian
  'спасибо', 'спасиб*', 'спс', 'благодар*', 'большое', 'огромное', 'вам', 'вас', 'тебе', 'всем', 'все', 'очень',
  'молодец', 'молодц*', 'браво', 'отлично', 'супер', 'класс', 'классно', 'здорово', 'хорошо', 'прекрасно',
  'замечательно', 'красота', 'красиво', 'ура', 'да', 'соглас*', 'поздравл*', 'мерси', 'так', 'держать', 'и',
  'за', 'работу', 'труд', 'ваш', 'вашу', 'вы', 'лучшие', 'лучший', 'умниц*',
  // English
  'thanks', 'thank*', 'thx', 'ty', 'you', 'u', 'so', 'very', 'much', 'a', 'lot', 'great', 'good', 'job', 'work',
  'well', 'done', 'bravo', 'super', 'excellent', 'awesome', 'nice', 'cool', 'love', 'it', 'this', 'wow', 'amazing',
  'congrat*', 'yes', 'agree', 'ok', 'okay', 'perfect', 'beautiful', 'the', 'all', 'of', 'for', 'your', 'keep', 'up',
  'best', 'mayor', 'team', 'guys', 'brilliant',
];

const PRAISE_WORDS = new Set<string>();
const PRAISE_STEMS: string[] = [];
for (const entry of PRAISE_VOCABULARY) {
  if (entry.endsWith('*')) PRAISE_STEMS.push(normalize(entry.slice(0, -1)));
  else for (const word of wordsOf(normalize(entry))) PRAISE_WORDS.add(word);
}

function isPraiseWord(word: string): boolean {
  return PRAISE_WORDS.has(word) || PRAISE_STEMS.some((stem) => word.startsWith(stem));
}

// ASCII, full-width, Spanish and Armenian question marks: a question is never low priority.
const QUESTION_MARK = /[?\uFF1F\u00BF\u055E]/u;
// "@handle" with up to two following capitalised words ("@Anna Petrosyan"), as typed on Telegram and Instagram.
const AT_MENTION = /@[\p{L}\p{M}\p{N}_.]+(?:[ \t\u00A0]+\p{Lu}[\p{L}\p{M}'’.-]*){0,2}/gu;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What the platform says about a text beyond its characters. */
export interface LowPriorityOptions {
  /**
   * Names of the people tagged in the text. A Facebook tag reaches the text
   * as the bare name ("Anna Petrosyan", without @); the Graph API lists it
   * in `message_tags`. Pass those names so a comment that only tags someone
   * is recognised.
   */
  mentionedNames?: readonly string[];
}

/**
 * Whether a citizen's text needs no answer of substance, so its inquiry is
 * kept but queued as low priority: it is empty or only emoji and
 * punctuation, only tags of people (`@Name Surname`, or a Facebook tag named
 * in `options.mentionedNames`), at most a few digits ("+1"), or a few words of
 * thanks or praise ("👍", "Շնորհակալություն", "Ապրեք", "Спасибо", "Thanks",
 * "Բրավո 👏👏").
 *
 * A text with a question mark, or with any word beyond thanks and praise, is
 * not low priority: "Շնորհակալություն, բայց ե՞րբ կնորոգեք ճանապարհը" is a
 * real question. An empty text (a photo or sticker without words) counts as
 * low priority; callers that see attachments and want them reviewed first
 * decide so themselves.
 */
export function isLowPriorityText(text: string, options: LowPriorityOptions = {}): boolean {
  let rest = text.normalize('NFKC');
  if (QUESTION_MARK.test(rest)) return false;
  for (const name of options.mentionedNames ?? []) {
    const trimmed = name.normalize('NFKC').trim();
    if (trimmed !== '') rest = rest.replace(new RegExp(escapeRegExp(trimmed), 'giu'), ' ');
  }
  rest = rest.replace(AT_MENTION, ' ');
  const words = wordsOf(normalize(rest));
  if (words.length === 0) return true;
  if (words.every((w) => /^\p{N}+$/u.test(w))) return words.join('').length <= 3;
  return words.length <= MAX_PRAISE_WORDS && words.every(isPraiseWord);
}
