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
const IN_WORD_MARK = /^[\u055A\u055B\u055C\u055E\u055F\u00AD\u200B-\u200D\u2060\uFEFF]$/u;
// After NFKC has composed what it can (й, ё, é), the combining marks left are
// decoration — Russian stress accents, emoji variation selectors, keycaps —
// and are dropped so they neither split words nor count as words.
const COMBINING_MARK = /^\p{M}$/u;
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

/** The Armenian ligature և, which NFKC expands to եւ. */
const EW_LIGATURE = 0x0587;

/**
 * Whether NFKC leaves every string made only of this UTF-16 unit and others
 * like it unchanged: ASCII, Latin-1 letters, Cyrillic and Armenian letters
 * and punctuation, dashes and quotes. Citizens' texts are almost always made
 * of these alone (and the ligature և, see {@link wordsOf}), and
 * `normalize('NFKC')` is then skipped: it costs about as much as finding the
 * words. Every unit listed is its own NFKC, is no combining mark, and
 * composes with no other one listed, so no string of them can change either
 * (the unit tests check this for every pair).
 *
 * Exported for those tests only.
 */
export function isNfkcInert(unit: number): boolean {
  return (
    unit < 0x00a0 ||
    unit === 0x00ab || // «
    unit === 0x00bb || // »
    (unit >= 0x00c0 && unit <= 0x00ff) || // Latin-1 letters, × and ÷
    (unit >= 0x0400 && unit <= 0x0482) || // Cyrillic, but not its combining marks
    (unit >= 0x048a && unit <= 0x04ff) ||
    (unit >= 0x0531 && unit <= 0x0556) || // Armenian capitals
    (unit >= 0x0559 && unit <= 0x055f) || // Armenian marks (՛ ՜ ՞ …), which are no combining marks
    (unit >= 0x0561 && unit <= 0x0586) || // Armenian small letters, but not the ligature և
    unit === 0x0589 || // Armenian full stop ։
    unit === 0x058a ||
    unit === 0x2010 || // hyphen, but not the non-breaking one
    (unit >= 0x2012 && unit <= 0x2016) || // dashes, but not ‗
    (unit >= 0x2018 && unit <= 0x2023) // quotes and bullets, but not the leaders ․ ‥ …
  );
}

/**
 * `text` in NFKC, without the cost of converting when no unit of it could
 * change. With `keepEwLigature`, a text whose only unit NFKC changes is the
 * ligature և is returned as it is, for a caller that expands և itself.
 */
function toNfkc(text: string, keepEwLigature = false): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!isNfkcInert(unit) && !(keepEwLigature && unit === EW_LIGATURE)) return text.normalize('NFKC');
  }
  return text;
}

/** What a character is to {@link wordsOf}: */
type Kind = typeof UNKNOWN | typeof WORD | typeof DROPPED | typeof SEPARATOR;
const UNKNOWN = 0;
/** a letter or a digit: part of a word; */
const WORD = 1;
/** an in-word mark or a combining mark: dropped, so it neither splits a word nor makes one; */
const DROPPED = 2;
/** anything else: ends a word. */
const SEPARATOR = 3;

function kindOf(character: string): Kind {
  if (WORD_CHARACTER.test(character)) return WORD;
  if (IN_WORD_MARK.test(character) || COMBINING_MARK.test(character)) return DROPPED;
  return SEPARATOR;
}

// Kind of each BMP unit, found by the regexes above the first time the unit is seen
// (Unicode-property regexes run over the whole text cost more than all the matching).
const KIND_OF_UNIT = new Uint8Array(0x10000);

function kindOfUnit(unit: number): Kind {
  let kind = KIND_OF_UNIT[unit]! as Kind;
  if (kind === UNKNOWN) KIND_OF_UNIT[unit] = kind = kindOf(String.fromCharCode(unit));
  return kind;
}

const YO = 0x0451; // ё
const ECH = 0x0565; // ե
const YIWN = 0x0582; // ւ

/** A word with the spelling variants folded: ё to е, and եւ and the ligature և to եվ. */
function foldVariants(word: string): string {
  return word.replaceAll('ё', 'е').replaceAll('եւ', 'եվ').replaceAll('և', 'եվ');
}

/**
 * The words (runs of letters and digits) of `text` lower-cased in NFKC
 * without in-word and combining marks, with the spelling variants folded:
 * NFKC turns the ligature և into եւ, and եւ (classical spelling) becomes եվ
 * (how և is typed without the ligature key, and how ԵՎ lower-cases); ё
 * becomes е.
 *
 * One pass over the lower-cased text, instead of a replace for each kind of
 * mark and variant and a Unicode-property regex for the words: this runs
 * for every text ingested. The ligature և is expanded here rather than by
 * NFKC, so an Armenian text ("Բարև ձեզ") needs no NFKC either; և has no
 * case, so lower-casing it first changes nothing.
 */
function wordsOf(text: string): string[] {
  const lower = toNfkc(text, true).toLowerCase();
  const words: string[] = [];
  let word = ''; // the current word up to `from`, where a dropped mark cut it out
  let from = -1; // start of the rest of the current word in `lower`; -1 between words
  let previous = 0; // the word's last unit so far, dropped marks aside (as they are dropped before folding)
  let fold = false; // whether the word has a spelling variant to fold
  for (let i = 0; i <= lower.length; ) {
    let unit = 0;
    let size = 1;
    let kind: Kind = SEPARATOR; // the end of the text ends the last word
    if (i < lower.length) {
      unit = lower.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && (lower.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        size = 2; // a character beyond the BMP (emoji, historic scripts): rare, so not cached
        kind = kindOf(lower.slice(i, i + 2));
      } else {
        kind = kindOfUnit(unit);
      }
    }
    if (kind === WORD) {
      if (from < 0) from = i;
      if (unit === YO || unit === EW_LIGATURE || (unit === YIWN && previous === ECH)) fold = true;
      previous = unit;
    } else if (kind === DROPPED) {
      if (from >= 0) {
        word += lower.slice(from, i);
        from = i + size;
      }
    } else if (from >= 0) {
      word += lower.slice(from, i);
      words.push(fold ? foldVariants(word) : word);
      word = '';
      from = -1;
      previous = 0;
      fold = false;
    }
    i += size;
  }
  return words;
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

/** A keyword in {@link CompiledRules.byStart}. */
interface IndexedKeyword {
  /** Index of its rule in {@link CompiledRules.rules}. */
  rule: number;
  /** Index in its rule's keywords, which orders {@link SectorSuggestion.matched} found at the same word. */
  order: number;
  keyword: CompiledKeyword;
}

/** The keywords whose first word starts with one UTF-16 unit. */
interface KeywordsStartingWith {
  /** Those whose first word is that unit alone. */
  alone: IndexedKeyword[];
  /** The others, by the second unit of their first word. */
  bySecond: Map<number, IndexedKeyword[]>;
}

interface CompiledRules {
  /** The rules in the order given, without `other`. */
  rules: CompiledRule[];
  /**
   * Every keyword of every rule by how its first word starts, in rule then
   * keyword order. A keyword can only match at a word that starts the same
   * way, so each word of a text looks up the two or three keywords worth
   * trying instead of trying them all (the seed has some 650, dozens per
   * first letter).
   */
  byStart: Map<number, KeywordsStartingWith>;
}

function compileKeyword(source: string): CompiledKeyword | undefined {
  const trimmed = source.trim();
  const exact = trimmed.startsWith('=');
  const words = wordsOf(exact ? trimmed.slice(1) : trimmed);
  return words.length === 0 ? undefined : { source: trimmed, words, exact };
}

function indexKeywords(rules: readonly CompiledRule[]): Map<number, KeywordsStartingWith> {
  const byStart = new Map<number, KeywordsStartingWith>();
  rules.forEach((rule, r) => {
    rule.keywords.forEach((keyword, order) => {
      const first = keyword.words[0]!;
      let start = byStart.get(first.charCodeAt(0));
      if (start === undefined) byStart.set(first.charCodeAt(0), (start = { alone: [], bySecond: new Map() }));
      const entry = { rule: r, order, keyword };
      if (first.length === 1) start.alone.push(entry);
      else {
        const list = start.bySecond.get(first.charCodeAt(1));
        if (list) list.push(entry);
        else start.bySecond.set(first.charCodeAt(1), [entry]);
      }
    });
  });
  return byStart;
}

// Rules come from a cache that hands out the same array for a while: compile once per array.
const compiledRules = new WeakMap<readonly SectorRule[], CompiledRules>();

function compileRules(rules: readonly SectorRule[]): CompiledRules {
  let compiled = compiledRules.get(rules);
  if (compiled === undefined) {
    const kept = rules
      .filter((rule) => rule.code !== OTHER_SECTOR_CODE)
      .map((rule) => {
        // Rules read from jsonb are only as complete as the row: tolerate a missing language.
        const all = [...(rule.keywords?.hy ?? []), ...(rule.keywords?.ru ?? []), ...(rule.keywords?.en ?? [])];
        const keywords: CompiledKeyword[] = [];
        const sources = new Set<string>();
        for (const source of all) {
          const keyword = typeof source === 'string' ? compileKeyword(source) : undefined;
          // A keyword listed twice (in two languages, say) matches the same words and is
          // reported once, where its first listing puts it: keep that one only.
          if (keyword === undefined || sources.has(keyword.source)) continue;
          sources.add(keyword.source);
          keywords.push(keyword);
        }
        return { code: rule.code, position: rule.position, keywords };
      });
    compiled = { rules: kept, byStart: indexKeywords(kept) };
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

/** A keyword that matched at word `at` of the text (and the `keyword.words.length - 1` words after it). */
interface Hit {
  at: number;
  order: number;
  keyword: CompiledKeyword;
}

/** Adds to `hitsOf` (per rule) the `candidates` that match at word `at` of `words`. */
function collectHits(words: readonly string[], at: number, candidates: readonly IndexedKeyword[], hitsOf: (Hit[] | undefined)[]): void {
  for (let c = 0; c < candidates.length; c++) {
    const { rule, order, keyword } = candidates[c]!;
    if (!matchesAt(words, at, keyword)) continue;
    const hit = { at, order, keyword };
    const hits = hitsOf[rule];
    if (hits) hits.push(hit);
    else hitsOf[rule] = [hit];
  }
}

/** How many words the hits cover together, for hits in text order. */
function coveredWords(hits: readonly Hit[]): number {
  let covered = 0;
  let coveredTo = 0; // the words before this one are counted
  for (const { at, keyword } of hits) {
    const to = at + keyword.words.length;
    if (to > coveredTo) {
      covered += to - Math.max(at, coveredTo);
      coveredTo = to;
    }
  }
  return covered;
}

/** The keywords that hit, in text order, for hits in text order. */
function matchedKeywords(hits: readonly Hit[]): string[] {
  // A keyword's first hit is where it first occurs. Keywords first found at the same word
  // keep the rule's order (its first word's start may have put them in different lists).
  const first: Hit[] = [];
  for (const hit of hits) if (!first.some((seen) => seen.order === hit.order)) first.push(hit);
  return first.sort((a, b) => a.at - b.at || a.order - b.order).map((hit) => hit.keyword.source);
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
  const words = wordsOf(text);
  if (words.length === 0) return undefined;
  const compiled = compileRules(rules);
  // Every match of every keyword, per rule, in text order: the words are walked in order.
  const hitsOf: (Hit[] | undefined)[] = [];
  for (let at = 0; at < words.length; at++) {
    const word = words[at]!;
    const start = compiled.byStart.get(word.charCodeAt(0));
    if (start === undefined) continue;
    collectHits(words, at, start.alone, hitsOf);
    const second = word.length > 1 ? start.bySecond.get(word.charCodeAt(1)) : undefined;
    if (second !== undefined) collectHits(words, at, second, hitsOf);
  }
  let best: (SectorSuggestion & { position: number; hits: Hit[] }) | undefined;
  for (let r = 0; r < compiled.rules.length; r++) {
    const hits = hitsOf[r];
    if (hits === undefined) continue;
    const rule = compiled.rules[r]!;
    const score = coveredWords(hits);
    const better =
      best === undefined ||
      score > best.score ||
      (score === best.score && (rule.position < best.position || (rule.position === best.position && rule.code < best.code)));
    if (better) best = { code: rule.code, position: rule.position, score, matched: [], hits };
  }
  if (best === undefined) return undefined;
  return { code: best.code, score: best.score, matched: matchedKeywords(best.hits) };
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
  // A stem is a single word.
  if (entry.endsWith('*')) PRAISE_STEMS.push(...wordsOf(entry.slice(0, -1)));
  else for (const word of wordsOf(entry)) PRAISE_WORDS.add(word);
}

function isPraiseWord(word: string): boolean {
  return PRAISE_WORDS.has(word) || PRAISE_STEMS.some((stem) => word.startsWith(stem));
}

// ASCII, full-width, Spanish and Armenian question marks: a question is never low priority.
const QUESTION_MARK = /[?\uFF1F\u00BF\u055E]/u;
// "@handle" with up to two following capitalised words ("@Anna Petrosyan"), as typed on Telegram and Instagram.
/** The marker `itemText` writes for a sticker (see domain/inquiry.ts). */
const STICKER_MARKER = /\[sticker\]/g;
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
  let rest = toNfkc(text);
  if (QUESTION_MARK.test(rest)) return false;
  for (const name of options.mentionedNames ?? []) {
    const trimmed = name.normalize('NFKC').trim();
    if (trimmed !== '') rest = rest.replace(new RegExp(escapeRegExp(trimmed), 'giu'), ' ');
  }
  rest = rest.replace(AT_MENTION, ' ');
  // A sticker says what an emoji says: alone (or with emoji, thanks) it is a reaction, not a question.
  rest = rest.replace(STICKER_MARKER, ' ');
  const words = wordsOf(rest);
  if (words.length === 0) return true;
  if (words.every((w) => /^\p{N}+$/u.test(w))) return words.join('').length <= 3;
  return words.length <= MAX_PRAISE_WORDS && words.every(isPraiseWord);
}
