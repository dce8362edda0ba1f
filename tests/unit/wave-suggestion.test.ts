import { describe, expect, it } from 'vitest';
import { loadLabelledComments, measureWaveSuggestion } from '../../bench/support/wave-fixture.js';
import { foldWord, linkScore, suggestWaves, waveFeatures } from '../../src/domain/waves.js';

describe('wave suggestion', () => {
  it('groups the labelled comments with pairwise precision >= 0.9 and recall >= 0.8', () => {
    const comments = loadLabelledComments();
    expect(comments.length).toBeGreaterThanOrEqual(200);
    const m = measureWaveSuggestion(comments);
    // Lower bounds; `npm run bench` prints the measured figures.
    expect(m.precision).toBeGreaterThanOrEqual(0.9);
    expect(m.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('folds Armenian letters, translit and Russian to one skeleton', () => {
    expect(foldWord('ջուր')).toBe(foldWord('jur'));
    expect(foldWord('Բաղրամյան')).toBe(foldWord('Baghramyan'));
    expect(foldWord('Баграмян')).toBe(foldWord('Bagramyan'));
    expect(foldWord('չկա')).toBe(foldWord('chka'));
    expect(foldWord('Արաբկիր')).toBe(foldWord('Арабкир'));
  });

  it('links the same outage across languages and sources, never two districts', () => {
    const hy = waveFeatures('Արաբկիրում ջուր չկա առավոտվանից');
    const ru = waveFeatures('В Арабкире нет воды с утра');
    const en = waveFeatures('No water in Arabkir since 7am');
    const avan = waveFeatures('Ավանում ջուր չկա');
    expect(linkScore(hy, ru, false)).toBeGreaterThan(0);
    expect(linkScore(ru, en, false)).toBeGreaterThan(0);
    expect(linkScore(hy, avan, true)).toBe(0);
    // One subject alone links under the same post, not across sources.
    const plain = waveFeatures('Ինչո՞ւ ջուր չկա');
    expect(linkScore(plain, hy, true)).toBeGreaterThan(0);
    expect(linkScore(plain, hy, false)).toBe(0);
  });

  it('keeps apart questions hours apart on different posts', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 11, 7, h));
    const waves = suggestWaves([
      { id: 'a', text: 'Արաբկիրում ջուր չկա', thread: 'p1', postedAt: at(5) },
      { id: 'b', text: 'В Арабкире нет воды', thread: 'p2', postedAt: at(6) },
      { id: 'c', text: 'No water in Arabkir', thread: 'p3', postedAt: at(20) },
    ]);
    expect(waves.get('a')).toBe(waves.get('b'));
    expect(waves.get('c')).toBeUndefined();
  });
});
