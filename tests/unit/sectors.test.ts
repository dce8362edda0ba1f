import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECTOR_SEED } from '../../src/db/seeds/sectors.2026-11-28.js';
import { isLowPriorityText, isNfkcInert, suggestSector, type SectorRule, type SectorSuggestion } from '../../src/domain/sectors.js';

const rules: readonly SectorRule[] = SECTOR_SEED;
const sectorOf = (text: string): string | undefined => suggestSector(text, rules)?.code;

describe('suggestSector with the seeded rules', () => {
  it('matches Armenian inflected forms by stem', () => {
    expect(sectorOf('Երկու օր է ջուր չկա')).toBe('water');
    expect(sectorOf('Ջրի խնդիրը երբ կլուծվի')).toBe('water');
    expect(sectorOf('Ջուրը նորից անջատել են')).toBe('water');
    expect(sectorOf('Շենքում ջրից հոտ է գալիս')).toBe('water');
    expect(sectorOf('Ջրամատակարարումը խափանված է')).toBe('water');
    expect(sectorOf('Մեր փողոցի ճանապարհին մեծ փոսեր կան')).toBe('roads_transport');
    expect(sectorOf('Երթուղայինները կես ժամ չեն գալիս')).toBe('roads_transport');
    expect(sectorOf('Աղբամանները լցված են, ոչ ոք չի տանում')).toBe('waste_sanitation');
    expect(sectorOf('Փողոցային լուսավորությունը չի աշխատում')).toBe('street_lighting');
    expect(sectorOf('Ե՞րբ կմիացնեն ջեռուցումը')).toBe('heating_utilities');
    expect(sectorOf('Նպաստս այս ամիս չեմ ստացել')).toBe('social_assistance');
    expect(sectorOf('Մանկապարտեզում տեղ չկա')).toBe('education');
    expect(sectorOf('Պոլիկլինիկայում բժիշկ չկա')).toBe('health');
    expect(sectorOf('Մարզադաշտը փակ է')).toBe('culture_sport');
    expect(sectorOf('Բակում ապօրինի շինարարություն է ընթանում')).toBe('construction_planning');
    expect(sectorOf('Գիշերը հարևանները աղմկում են')).toBe('public_order');
  });

  it('reads words with an Armenian question or exclamation mark inside them', () => {
    expect(sectorOf('Ե՞րբ կլինի ջու՞րը')).toBe('water');
    expect(suggestSector('Ջու՜ր չկա', rules)?.matched).toEqual(['ջուր']);
  });

  it('treats և, եւ and եվ alike', () => {
    for (const spelling of ['առևտուր', 'առեւտուր', 'առեվտուր', 'ԱՌԵՎՏՈՒՐ']) {
      expect(sectorOf(`Մայթին ապօրինի ${spelling} են անում`), spelling).toBe('public_order');
    }
  });

  it('does not match a stem inside or at the start of unrelated words', () => {
    // փոստ (post office) starts with փոս (pothole); газон (lawn) with газ (gas); business with bus.
    expect(sectorOf('Փոստը չի աշխատում')).toBeUndefined();
    expect(sectorOf('Газон возле дома вытоптали')).toBe(undefined);
    expect(sectorOf('Our business opens at nine')).toBeUndefined();
    // աղբյուր (spring) starts like աղբ (garbage) but is water.
    expect(sectorOf('Աղբյուրը չի աշխատում')).toBe('water');
  });

  it('matches Russian', () => {
    expect(sectorOf('Третий день нет воды')).toBe('water');
    expect(sectorOf('На дороге огромные ямы')).toBe('roads_transport');
    expect(sectorOf('Мусор не вывозят уже неделю')).toBe('waste_sanitation');
    expect(sectorOf('Когда дадут отопление?')).toBe('heating_utilities');
    expect(sectorOf('Газа нет с утра')).toBe('heating_utilities');
    expect(sectorOf('Нет горячей воды')).toBe('heating_utilities');
    expect(sectorOf('На улице темно, фонари не горят')).toBe('street_lighting');
    expect(sectorOf('Гололёд на тротуаре')).toBe('roads_transport');
  });

  it('matches English', () => {
    expect(sectorOf('There is a huge pothole on the road')).toBe('roads_transport');
    expect(sectorOf('The garbage bins are overflowing')).toBe('waste_sanitation');
    expect(sectorOf('No hot water since Monday')).toBe('heating_utilities');
    expect(sectorOf('Street lights are off on our street')).toBe('street_lighting');
  });

  it('matches mixed-language text', () => {
    expect(sectorOf('Բարև, на нашей улице нет света, լույս չկա, streetlight is broken')).toBe('street_lighting');
    expect(sectorOf('jur chka 3 ory, Արաբկիր')).toBe('water');
  });

  it('ignores case and Unicode form', () => {
    expect(sectorOf('ՋՈՒՐ ՉԿԱ')).toBe('water');
    expect(sectorOf('ВОДЫ НЕТ')).toBe('water');
    // "ямой" with й written as и + combining breve.
    expect(sectorOf('Машина попала под ямо\u0438\u0306')).toBe('roads_transport');
    // A stress accent (a combining mark NFKC cannot compose away) does not break the word.
    expect(sectorOf('Нет воды\u0301')).toBe('water');
  });

  it('scores words, not keywords, and reports what matched in text order', () => {
    // ջրամատակարարում matches ջր and ջրամատակարար: still one word.
    expect(suggestSector('Ջրամատակարարում', rules)).toEqual({ code: 'water', score: 1, matched: ['ջր', 'ջրամատակարար'] });
    // A phrase covers all its words.
    expect(suggestSector('Нет горячей воды', rules)).toEqual({ code: 'heating_utilities', score: 2, matched: ['горяч вод'] });
    expect(suggestSector('Ճանապարհին փոսեր կան, ավտոբուսը չի գալիս', rules)).toEqual({
      code: 'roads_transport',
      score: 3,
      matched: ['ճանապարհ', 'փոսեր', 'ավտոբուս'],
    });
  });

  it('returns undefined when nothing matches', () => {
    expect(suggestSector('Բարև ձեզ, ինչպե՞ս եք', rules)).toBeUndefined();
    expect(suggestSector('', rules)).toBeUndefined();
    expect(suggestSector('👍👍', rules)).toBeUndefined();
    expect(suggestSector('ջուր', [])).toBeUndefined();
  });
});

describe('suggestSector with custom rules', () => {
  const rule = (code: string, position: number, keywords: string[]): SectorRule => ({
    code,
    position,
    keywords: { hy: keywords, en: [], ru: [] },
  });

  it('never suggests other', () => {
    expect(suggestSector('ջուր', [rule('other', 1, ['ջուր'])])).toBeUndefined();
    expect(suggestSector('ջուր գազ', [rule('other', 1, ['ջուր', 'գազ']), rule('heating_utilities', 5, ['գազ'])])?.code).toBe(
      'heating_utilities',
    );
  });

  it('breaks ties by position, whatever the order of the rules', () => {
    const a = rule('zeta', 2, ['խնդիր']);
    const b = rule('alpha', 7, ['խնդիր']);
    expect(suggestSector('խնդիր', [b, a])?.code).toBe('zeta');
    expect(suggestSector('խնդիր', [a, b])?.code).toBe('zeta');
  });

  it('lets a higher score win over a lower position', () => {
    const rules2 = [rule('first', 1, ['ջուր']), rule('second', 2, ['ջուր', 'գազ'])];
    expect(suggestSector('ջուր և գազ', rules2)).toEqual({ code: 'second', score: 2, matched: ['ջուր', 'գազ'] });
  });

  it('honours whole-word keywords', () => {
    const rules2 = [rule('stem', 1, ['կար']), rule('whole', 2, ['=կար'])];
    expect(suggestSector('կարել', rules2)?.code).toBe('stem');
    expect(suggestSector('կարել', [rules2[1]!])).toBeUndefined();
    expect(suggestSector('կար', [rules2[1]!])?.code).toBe('whole');
  });

  it('reports keywords found at the same word in the order of the rule', () => {
    const rules2 = [rule('water', 1, ['ջրամատակարար', 'ջ', 'ջր'])];
    expect(suggestSector('Ջրամատակարարում', rules2)).toEqual({ code: 'water', score: 1, matched: ['ջրամատակարար', 'ջ', 'ջր'] });
  });

  it('reports a keyword listed twice once', () => {
    const twice: SectorRule = { code: 'water', position: 1, keywords: { hy: ['ջուր'], ru: ['вод'], en: ['water', ' ջուր '] } };
    expect(suggestSector('вода, ջուր', [twice])).toEqual({ code: 'water', score: 2, matched: ['вод', 'ջուր'] });
  });

  it('tolerates rows with a language missing', () => {
    const partial = { code: 'water', position: 1, keywords: { hy: ['ջուր'] } } as unknown as SectorRule;
    expect(suggestSector('ջուր', [partial])?.code).toBe('water');
  });
});

/**
 * suggestSector as first written: normalise with a replace per mark and
 * variant, find the words with a Unicode-property regex, and try every
 * keyword of every rule at every word. Slow but plain; the fast one must
 * agree with it on every text and every set of rules.
 */
function referenceSuggestSector(text: string, rules: readonly SectorRule[]): SectorSuggestion | undefined {
  const words = referenceWordsOf(text);
  let best: (SectorSuggestion & { position: number }) | undefined;
  for (const rule of rules) {
    if (rule.code === 'other') continue;
    const covered = new Set<number>();
    const firstAt = new Map<string, number>();
    for (const source of [...(rule.keywords?.hy ?? []), ...(rule.keywords?.ru ?? []), ...(rule.keywords?.en ?? [])]) {
      const trimmed = source.trim();
      const exact = trimmed.startsWith('=');
      const stems = referenceKeywordWords(exact ? trimmed.slice(1) : trimmed);
      if (stems.length === 0) continue;
      for (let i = 0; i + stems.length <= words.length; i++) {
        if (!stems.every((stem, j) => (exact ? words[i + j] === stem : words[i + j]!.startsWith(stem)))) continue;
        stems.forEach((_, j) => covered.add(i + j));
        if (!firstAt.has(trimmed)) firstAt.set(trimmed, i);
      }
    }
    if (covered.size === 0) continue;
    const score = covered.size;
    if (
      best === undefined ||
      score > best.score ||
      (score === best.score && (rule.position < best.position || (rule.position === best.position && rule.code < best.code)))
    ) {
      const matched = [...firstAt.entries()].sort((a, b) => a[1] - b[1]).map(([source]) => source);
      best = { code: rule.code, position: rule.position, score, matched };
    }
  }
  return best && { code: best.code, score: best.score, matched: best.matched };
}

function referenceWordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u055A\u055B\u055C\u055E\u055F\u00AD\u200B-\u200D\u2060\uFEFF]/gu, '')
      .replace(/\p{M}/gu, '')
      .replace(/եւ/gu, 'եվ')
      .replace(/ё/gu, 'е')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

// The reference only remembers the words of each keyword, or the seeded rules would take seconds.
const referenceKeywords = new Map<string, string[]>();
function referenceKeywordWords(keyword: string): string[] {
  let words = referenceKeywords.get(keyword);
  if (words === undefined) referenceKeywords.set(keyword, (words = referenceWordsOf(keyword)));
  return words;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function randomNumbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('suggestSector against the plain reference', () => {
  const random = randomNumbers(20261128);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const seedKeywords = SECTOR_SEED.flatMap((s) => [...s.keywords.hy, ...s.keywords.ru, ...s.keywords.en]);
  // What citizens' texts hold besides plain words, and what the matching must see through or split on.
  const oddities = [
    ' ', ', ', '. ', '։ ', '\u00A0', '\n', '-', '(#1)', '12', '٣', '½', '²',
    '\u055E', '\u055B', '\u055C', '\u055A', '\u055F', '\u055D', '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF',
    '\u0301', '\u0306', '\u0308', '\uFE0F', '\u20E3', '\u0483',
    'և', 'Եւ', 'ԵՎ', 'եվ', 'ե', 'ւ', 'ու', 'ё', 'Ё', 'и\u0306', 'İ', 'ΣΑ', 'ß', 'ﬁ', 'ｗａｔｅｒ', '𝐰𝐚𝐭𝐞𝐫', '𠀀', '👍', '👏🏻',
    '\uD800', '\uDC00', '…', '№', '‗', '«', '»', '—', 'Բարև', 'ԲԱՐԵՎ', 'ձեզ', 'bus', 'business', 'газон',
  ];
  const fragment = (): string => {
    const r = random();
    if (r < 0.45) {
      // A seed keyword, perhaps upper-cased, cut short, inflected or with an oddity inside.
      let word = pick(seedKeywords).replace(/^=/, '');
      if (random() < 0.3) word = word.toUpperCase();
      if (random() < 0.3) word = word.slice(0, 1 + Math.floor(random() * word.length));
      if (random() < 0.3) word += pick(['ը', 'ի', 'ից', 'ов', 'ы', 's', 'ing']);
      if (random() < 0.2) {
        const at = Math.floor(random() * (word.length + 1));
        word = word.slice(0, at) + pick(oddities) + word.slice(at);
      }
      return word;
    }
    if (r < 0.5) return String.fromCharCode(Math.floor(random() * 0x3000));
    if (r < 0.55) return String.fromCodePoint(Math.floor(random() * 0x110000));
    return pick(oddities);
  };
  const text = (): string => {
    let t = '';
    for (let n = Math.floor(random() * 14); n > 0; n--) t += fragment() + (random() < 0.6 ? ' ' : '');
    return t;
  };
  // Small rule sets with the awkward cases: other, equal positions and codes, keywords listed
  // twice, one-letter, whole-word keywords and phrases, keywords with oddities or without any word.
  const customRules = (): SectorRule[] =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const keywords = Array.from({ length: Math.floor(random() * 6) }, () => {
        const r = random();
        const keyword = r < 0.15 ? fragment().slice(0, 1) : r < 0.55 ? fragment() : text().slice(0, 20);
        return (random() < 0.25 ? '=' : '') + (random() < 0.2 ? ` ${keyword} ` : keyword);
      });
      if (keywords.length > 0 && random() < 0.3) keywords.push(keywords[0]!);
      return {
        code: pick(['a', 'b', 'c', 'other', 'water']),
        position: Math.floor(random() * 3),
        keywords: { hy: keywords.slice(0, 2), ru: keywords.slice(2, 4), en: keywords.slice(4) },
      };
    });

  it('agrees on generated texts with the seeded rules', () => {
    let suggested = 0;
    for (let i = 0; i < 2500; i++) {
      const t = text();
      const expected = referenceSuggestSector(t, rules);
      expect(suggestSector(t, rules), JSON.stringify(t)).toEqual(expected);
      if (expected !== undefined) suggested++;
    }
    // The texts are close enough to the keywords to exercise the matching, not only the misses.
    expect(suggested).toBeGreaterThan(600);
  });

  it('agrees on generated texts with generated rules', () => {
    for (let i = 0; i < 4000; i++) {
      const t = text();
      const generated = customRules();
      expect(suggestSector(t, generated), JSON.stringify({ t, generated })).toEqual(referenceSuggestSector(t, generated));
    }
  });
});

describe('isNfkcInert', () => {
  it('holds only units that no string made of them changes under NFKC', () => {
    const inert: string[] = [];
    for (let unit = 0; unit < 0x10000; unit++) if (isNfkcInert(unit)) inert.push(String.fromCharCode(unit));
    expect(inert).toContain('ջ');
    expect(inert).toContain('ё');
    const changed: string[] = [];
    for (const a of inert) {
      if (a.normalize('NFKC') !== a || /\p{M}/u.test(a) || /[\uD800-\uDFFF]/u.test(a)) changed.push(a);
      // Only starters are listed, so a longer string could change only through a pair that composes.
      for (const b of inert) if ((a + b).normalize('NFKC') !== a + b) changed.push(a + b);
    }
    expect(changed).toEqual([]);
  });

  it('leaves out what NFKC does change in citizens\' texts', () => {
    for (const text of ['\u00A0', '\u2011', 'և', '…', '№', 'ﬁ', 'ｗ', '\u0301', '\u0483', '½', '²']) {
      expect([...text].some((c) => isNfkcInert(c.charCodeAt(0))), JSON.stringify(text)).toBe(false);
    }
    // suggestSector expands the ligature itself, to two units that are inert.
    expect('և'.normalize('NFKC')).toBe('եւ');
  });
});

describe('SECTOR_SEED', () => {
  it('holds the city taxonomy in order', () => {
    expect(SECTOR_SEED.map((s) => s.code)).toEqual([
      'water',
      'roads_transport',
      'waste_sanitation',
      'street_lighting',
      'heating_utilities',
      'social_assistance',
      'education',
      'health',
      'culture_sport',
      'construction_planning',
      'public_order',
      'other',
    ]);
    expect(SECTOR_SEED.map((s) => s.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('has names in all three languages and keywords in all three for every sector but other', () => {
    for (const sector of SECTOR_SEED) {
      expect(sector.code).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(sector.names.hy).toMatch(/^[\u0531-\u0587 ]+$/u);
      expect(sector.names.ru).toMatch(/^[\u0400-\u04FF ]+$/u);
      expect(sector.names.en).toMatch(/^[A-Za-z ]+$/);
      if (sector.code === 'other') continue;
      for (const lang of ['hy', 'en', 'ru'] as const) {
        expect(sector.keywords[lang].length, `${sector.code}.${lang}`).toBeGreaterThan(0);
        for (const keyword of sector.keywords[lang]) expect(keyword.trim(), `${sector.code}.${lang}`).not.toBe('');
      }
    }
  });

  it('matches each sector by its own keywords', () => {
    for (const sector of SECTOR_SEED) {
      if (sector.code === 'other') continue;
      for (const keyword of [...sector.keywords.hy, ...sector.keywords.ru, ...sector.keywords.en]) {
        const text = keyword.replace(/^=/, '');
        // A keyword may also belong to a lower-positioned sector; it must at least be found.
        expect(suggestSector(text, rules), `${sector.code}: ${keyword}`).toBeDefined();
      }
    }
  });

  it('is frozen: a migration imports it, so it must never change', () => {
    // If this fails, revert the seed and write a new migration (or a new dated seed) instead.
    const digest = createHash('sha256').update(JSON.stringify(SECTOR_SEED)).digest('hex');
    expect(digest).toBe('6d789f74fe904416a8dfc82177fc2c9137a13fcc50d90770b76ab6eb8cfdf9a1');
  });
});

describe('isLowPriorityText', () => {
  it('flags emoji, tags and a few words of praise', () => {
    for (const text of [
      '👍',
      '👏👏',
      '❤️❤️❤️',
      '🙏🏻',
      'Շնորհակալություն',
      'Ապրեք',
      'Բրավո 👏👏',
      'Спасибо',
      'Спасибо большое за работу!',
      'Thanks',
      'Thank you so much 🙏',
      'Շատ շնորհակալ ենք, ապրեք',
      'Մերսի',
      '@Anna Petrosyan',
      '@anna_p',
      '+1',
      '1\uFE0F\u20E3',
      '...',
      '',
    ]) {
      expect(isLowPriorityText(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('flags a Facebook tag when the platform says it is a tag', () => {
    expect(isLowPriorityText('Anna Petrosyan')).toBe(false);
    expect(isLowPriorityText('Anna Petrosyan', { mentionedNames: ['Anna Petrosyan'] })).toBe(true);
    expect(isLowPriorityText('Աննա Պետրոսյան 👍', { mentionedNames: ['Աննա Պետրոսյան'] })).toBe(true);
    expect(isLowPriorityText('Աննա Պետրոսյան, ջուր չկա', { mentionedNames: ['Աննա Պետրոսյան'] })).toBe(false);
  });

  it('does not flag a real question, even with thanks', () => {
    for (const text of [
      'Շնորհակալություն, բայց երբ կնորոգեք ճանապարհը',
      'Ապրեք, իսկ մեր բակի աղբը ով կտանի',
      'Спасибо, а когда будет вода',
      'Thanks, but the pothole is still there',
      'Ջուր',
      'Ապրե՞ք',
      '???',
      '@Anna Petrosyan ջուր չկա',
      '0 9 1 2 3 4 5 6',
    ]) {
      expect(isLowPriorityText(text), text).toBe(false);
    }
  });

  it('does not flag long texts made of friendly words', () => {
    expect(isLowPriorityText('շատ շատ շատ շատ շատ շատ շատ շատ շատ շատ շատ շնորհակալություն')).toBe(false);
  });
});
