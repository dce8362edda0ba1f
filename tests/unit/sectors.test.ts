import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECTOR_SEED } from '../../src/db/seeds/sectors.2026-11-28.js';
import { isLowPriorityText, suggestSector, type SectorRule } from '../../src/domain/sectors.js';

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

  it('tolerates rows with a language missing', () => {
    const partial = { code: 'water', position: 1, keywords: { hy: ['ջուր'] } } as unknown as SectorRule;
    expect(suggestSector('ջուր', [partial])?.code).toBe('water');
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
