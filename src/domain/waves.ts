/**
 * Wave suggestion: which citizen questions are about the same thing (a water
 * outage in a district, a closed road, a rumour). Pure: no database, no clock.
 *
 * Citizens write in Armenian (in Armenian letters or Latin "translit"),
 * Russian and English, often mixed. Every word is folded to one Latin
 * skeleton (ջուր, jur, jur@ → `jur`; Բաղրամյան, Baghramyan, Баграмяна →
 * `bagramyan…`), then read three ways:
 * - **topics**: what the question is about (water, heating, a closure,
 *   garbage, street lights, the metro), from a small lexicon whose entries
 *   cover the three languages and translit;
 * - **places**: the city's districts (two different districts never join)
 *   and main streets;
 * - **words**: the other content words, compared by their first 5 letters
 *   (Armenian and Russian inflect at the end).
 *
 * Two questions are linked when they share a topic and either come from the
 * same post or thread (and name no different districts), or share a place
 * or a second topic or two more words, within {@link WAVE_WINDOW_HOURS}.
 * A new question joins the wave (or the single question) it links to best.
 * Its precision and recall on a labelled set of comments are printed by `npm run bench` (README, Waves).
 */

/** A question's features for comparison, computed once ({@link waveFeatures}). */
export interface WaveFeatures {
  topics: ReadonlySet<string>;
  /** Districts: two questions naming only different districts are about different things. */
  districts: ReadonlySet<string>;
  /** Districts and streets. */
  places: ReadonlySet<string>;
  words: ReadonlySet<string>;
}

/** How far apart (hours) two questions from different posts or threads may be and still join. */
export const WAVE_WINDOW_HOURS = 6;
/** How far apart (hours) two questions under the same post or in one thread may be and still join. */
export const WAVE_THREAD_WINDOW_HOURS = 24;

const ARMENIAN: Record<string, string> = {
  ա: 'a', բ: 'b', գ: 'g', դ: 'd', ե: 'e', զ: 'z', է: 'e', ը: '', թ: 't', ժ: 'j', ի: 'i', լ: 'l', խ: 'x', ծ: 'c', կ: 'k',
  հ: 'h', ձ: 'z', ղ: 'g', ճ: 'c', մ: 'm', յ: 'y', ն: 'n', շ: 's', ո: 'o', չ: 'c', պ: 'p', ջ: 'j', ռ: 'r', ս: 's', վ: 'v',
  տ: 't', ր: 'r', ց: 'c', ւ: 'v', փ: 'p', ք: 'k', և: 'ev', օ: 'o', ֆ: 'f',
};
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'j', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'x', ц: 'c', ч: 'c', ш: 's', щ: 's', ъ: '', ы: 'i', ь: '',
  э: 'e', ю: 'yu', я: 'ya',
};
/** Latin translit spellings folded together (order matters: digraphs first). */
const LATIN_FOLDS: Array<[RegExp, string]> = [
  [/ou/g, 'u'],
  [/kh/g, 'x'],
  [/gh/g, 'g'],
  [/zh/g, 'j'],
  [/ch/g, 'c'],
  [/sh/g, 's'],
  [/t[sz]/g, 'c'],
  [/dz/g, 'z'],
  [/q/g, 'k'],
  [/w/g, 'v'],
  [/4/g, 'c'],
  [/h/g, ''],
  [/(.)\1+/g, '$1'],
];

/** One word in the Latin skeleton every script and translit folds to. */
export function foldWord(word: string): string {
  let w = word.toLowerCase().replace(/ու/g, 'u').replace(/եւ/g, 'ev');
  let out = '';
  for (const ch of w) out += ARMENIAN[ch] ?? CYRILLIC[ch] ?? ch;
  w = out;
  for (const [pattern, replacement] of LATIN_FOLDS) w = w.replace(pattern, replacement);
  return w;
}

/**
 * Lexicon entries are word beginnings as citizens write them, in any script
 * (folded with {@link foldWord} when loaded); `=` marks a whole word. The
 * longest match wins.
 */
const TOPIC_WORDS: Record<string, readonly string[]> = {
  water: ['ջուր', 'ջր', 'вод', 'water', 'jri'],
  heating: ['ջեռուց', 'ջեռուցում', 'отопл', 'батаре', 'radiator', 'heat', 'холод', 'cold', 'ցուրտ', '=սառը', 'sarn'],
  closure: ['փակ', 'закр', 'перекр', 'clos', 'block'],
  garbage: ['աղբ', '=agh', 'мусор', 'garbage', 'trash'],
  lights: ['լույս', 'լուսավոր', 'фонар', 'освещ', 'light', 'lamp', '=մութ', 'темн', 'dark'],
  metro: ['метро', 'metro'],
};
/** Yerevan's districts (a city sets its own here). */
const DISTRICT_WORDS: Record<string, readonly string[]> = {
  arabkir: ['arabk'],
  avan: ['avan'],
  nornork: ['nork'],
  malatia: ['malat', 'sebast'],
  kentron: ['kentr', 'center', 'centr'],
  davtashen: ['davtash'],
  ajapnyak: ['ajapn', 'ачапн'],
  shengavit: ['shengav'],
  erebuni: ['erebun'],
  kanaker: ['kanak', 'zeyt'],
  nubarashen: ['nubar'],
  nork_marash: ['marash'],
};
/** Main streets and avenues (named in many questions; a street is in some district, so no conflict). */
const STREET_WORDS: Record<string, readonly string[]> = {
  komitas: ['komit'],
  baghramyan: ['baghram', 'bagram'],
  kievyan: ['kiev'],
  mashtots: ['mashtots'],
  saryan: ['saryan', 'сарьян'],
  babayan: ['babay'],
  khudyakov: ['khudyak'],
  raffi: ['raff', 'раффи', 'րաֆֆ'],
  gai: ['=gai', '=gay', '=gaya', '=гая', 'գայի'],
  tsarav_aghbyur: ['tsarav', 'aghbyur'],
};

interface Lexicon {
  prefixes: Record<string, string[]>;
  whole: Record<string, string[]>;
}
function lexicon(words: Record<string, readonly string[]>): Lexicon {
  const out: Lexicon = { prefixes: {}, whole: {} };
  for (const [id, list] of Object.entries(words)) {
    out.prefixes[id] = list.filter((w) => !w.startsWith('=')).map(foldWord);
    out.whole[id] = list.filter((w) => w.startsWith('=')).map((w) => foldWord(w.slice(1)));
  }
  return out;
}
/** Whole skeleton words that carry no subject (question words, greetings, "no", "still"…), in every language. */
const STOPWORDS = new Set(
  (
    'erb inc incu ince inco incpes ka cka ckan cunenk cunem e en em es a u el ev te da vor ov um ayd ays or ' +
    'arden der eli dzez barev xndrum sat vay ok inc-or ' +
    'net kogda pocemu gde eto v na s po i ne uje ese kak cto u nas vse tak ili ot do dlya pri ' +
    'zdravstvuyte dobriy den pojaluysta skajite ' +
    'the is in on no not any when why what still yet since again how there our a an of for to it we you ' +
    'please hello hi ' +
    'now today segodnya aysor kga kta ktan kdnen'
  )
    .split(/\s+/)
    .map(foldWord),
);

function prefixLookup(word: string, table: Lexicon): string | undefined {
  let best: string | undefined;
  let bestLength = 0;
  for (const [id, prefixes] of Object.entries(table.prefixes)) {
    for (const p of prefixes) if (p.length > bestLength && word.startsWith(p)) ((best = id), (bestLength = p.length));
  }
  if (best) return best;
  for (const [id, whole] of Object.entries(table.whole)) if (whole.includes(word)) return id;
  return undefined;
}

const TOPICS = lexicon(TOPIC_WORDS);
const DISTRICTS = lexicon(DISTRICT_WORDS);
const STREETS = lexicon(STREET_WORDS);

const WORD = /[\p{L}\p{N}@]+/gu;
// Armenian emphasis and question marks written inside a word (ջու՞րը), soft hyphens, zero-width characters.
const IN_WORD = /[\u055A-\u055F\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/** Features of a citizen text for {@link linkScore}. */
export function waveFeatures(text: string): WaveFeatures {
  const topics = new Set<string>();
  const districts = new Set<string>();
  const places = new Set<string>();
  const words = new Set<string>();
  const cleaned = text.normalize('NFKC').replace(IN_WORD, '');
  for (const raw of cleaned.match(WORD) ?? []) {
    if (/^\d+$/.test(raw) || raw.includes('://')) continue;
    const w = foldWord(raw).replace(/@/g, '');
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    const district = prefixLookup(w, DISTRICTS);
    if (district) {
      districts.add(district);
      places.add(district);
      continue;
    }
    const street = prefixLookup(w, STREETS);
    if (street) {
      places.add(street);
      continue;
    }
    const topic = prefixLookup(w, TOPICS);
    if (topic) {
      topics.add(topic);
      continue;
    }
    if (w.length >= 4) words.add(w.slice(0, 5));
  }
  return { topics, districts, places, words };
}

function shared<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/**
 * How strongly two questions are linked: 0 when they are not, else a score
 * (higher is closer). `sameThread`: under the same post, or in the same conversation.
 */
export function linkScore(a: WaveFeatures, b: WaveFeatures, sameThread: boolean): number {
  if (a.districts.size > 0 && b.districts.size > 0 && shared(a.districts, b.districts) === 0) return 0;
  const topics = shared(a.topics, b.topics);
  const places = shared(a.places, b.places);
  const words = shared(a.words, b.words);
  const score = 2 * topics + 2 * places + words + (sameThread ? 1 : 0);
  if (topics === 0) return 0;
  // Under one post: the same subject is enough. Anywhere: the same subject and one more thing in common.
  if (sameThread || places > 0 || topics >= 2 || words >= 2) return score;
  return 0;
}

/** A question already seen, as {@link chooseLink} compares a new one with it. */
export interface WaveCandidate<K> {
  /** What the new question would join: a wave, or a single question (a new wave of two). */
  key: K;
  features: WaveFeatures;
  thread: string | undefined;
  postedAt: Date;
}

/**
 * The candidate a new question links to best (ties: the latest), or
 * undefined. Candidates outside the time windows are skipped.
 */
export function chooseLink<K>(
  item: { features: WaveFeatures; thread: string | undefined; postedAt: Date },
  candidates: Iterable<WaveCandidate<K>>,
): { key: K; score: number } | undefined {
  let best: { key: K; score: number; at: number } | undefined;
  for (const c of candidates) {
    const sameThread = item.thread !== undefined && item.thread === c.thread;
    const hours = Math.abs(item.postedAt.getTime() - c.postedAt.getTime()) / 3_600_000;
    if (hours > (sameThread ? WAVE_THREAD_WINDOW_HOURS : WAVE_WINDOW_HOURS)) continue;
    const score = linkScore(item.features, c.features, sameThread);
    if (score === 0) continue;
    const at = c.postedAt.getTime();
    if (!best || score > best.score || (score === best.score && at > best.at)) best = { key: c.key, score, at };
  }
  return best && { key: best.key, score: best.score };
}

/** One question for {@link suggestWaves}. */
export interface WaveInput {
  id: string;
  text: string;
  thread: string | undefined;
  postedAt: Date;
}

/**
 * Groups questions into waves as the service does one at a time, in the
 * order they were posted: each joins the wave of the question it links to
 * best, or starts one with it. Returns wave number per id (singles absent).
 */
export function suggestWaves(items: readonly WaveInput[]): Map<string, number> {
  const sorted = [...items].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
  const waveOf = new Map<string, number>();
  const seen: Array<WaveCandidate<string>> = [];
  let next = 1;
  for (const item of sorted) {
    const features = waveFeatures(item.text);
    const link = chooseLink({ features, thread: item.thread, postedAt: item.postedAt }, seen);
    if (link) {
      let wave = waveOf.get(link.key);
      if (wave === undefined) {
        wave = next++;
        waveOf.set(link.key, wave);
      }
      waveOf.set(item.id, wave);
    }
    seen.push({ key: item.id, features, thread: item.thread, postedAt: item.postedAt });
  }
  return waveOf;
}

/** Pairwise precision and recall of suggested waves against labels (`undefined` label: in no incident). */
export function pairwiseScores(ids: readonly string[], truth: ReadonlyMap<string, string | undefined>, suggested: ReadonlyMap<string, number>) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const ta = truth.get(a);
      const same = ta !== undefined && ta === truth.get(b);
      const sa = suggested.get(a);
      const together = sa !== undefined && sa === suggested.get(b);
      if (together && same) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), truePairs: tp, falsePairs: fp, missedPairs: fn };
}
