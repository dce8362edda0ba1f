import { describe, expect, it } from 'vitest';
import {
  CALLBACK_DATA_MAX_BYTES,
  CallbackDataError,
  callbackData,
  defineCallback,
  escapeHtml,
  parseCallbackData,
  telegramTextLength,
  truncateForTelegram,
} from '../../src/telegram/telegram-text.js';
import { parseTelegramHtml } from '../../src/stand-ins/bot-api.stand-in.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const graphemes = (text: string): string[] => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

describe('escapeHtml', () => {
  it('escapes exactly the characters Telegram HTML needs and leaves Armenian and emoji alone', () => {
    expect(escapeHtml('<script>alert("Բարև")</script> & 👋')).toBe('&lt;script&gt;alert(&quot;Բարև&quot;)&lt;/script&gt; &amp; 👋');
  });

  it('round-trips through Telegram’s parser to the original text', () => {
    const citizen = 'Ջուր չկա <b>3 օր</b> & "վթար" 😡 a<b';
    expect(parseTelegramHtml(escapeHtml(citizen)).text).toBe(citizen);
    expect(parseTelegramHtml(escapeHtml(citizen)).entities).toEqual([]);
  });
});

describe('telegramTextLength', () => {
  it('counts what the user sees: tags are free, an entity is one character, an emoji two UTF-16 units', () => {
    expect(telegramTextLength('<b>Բարև</b> &amp; <a href="https://yerevan.am/?a=1&amp;b=2">👋</a>')).toBe(4 + 3 + 2);
  });
});

describe('truncateForTelegram', () => {
  it('returns text that fits unchanged', () => {
    const html = `<b>${escapeHtml('Բարև <ձեզ>')}</b>`;
    expect(truncateForTelegram(html, telegramTextLength(html))).toBe(html);
  });

  it('cuts Armenian text with emoji on a grapheme boundary and ends with an ellipsis', () => {
    const plain = 'Բարև 👨‍👩‍👧 Երևան 🇦🇲 '.repeat(400);
    const html = escapeHtml(plain);
    for (const max of [4096, 4095, 4094, 4093, 100, 17, 8, 7, 6, 2]) {
      const cut = truncateForTelegram(html, max);
      expect(telegramTextLength(cut)).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(LONE_SURROGATE);
      const shown = parseTelegramHtml(cut).text;
      expect(shown.endsWith('…')).toBe(true);
      const kept = graphemes(shown.slice(0, -1));
      // Every kept grapheme is whole: the kept text is a grapheme-prefix of the original.
      expect(graphemes(plain).slice(0, kept.length)).toEqual(kept);
    }
  });

  it('never cuts inside an entity', () => {
    expect(truncateForTelegram('&amp;'.repeat(10), 5)).toBe('&amp;&amp;&amp;&amp;…');
    expect(truncateForTelegram('a&quot;&#128075;&#x1F44B;b', 4)).toBe('a&quot;…');
  });

  it('closes the tags it cut through, so Telegram still accepts the HTML', () => {
    const html = `<b>Դիմում</b>\n<a href="https://t.me/c/1/2">${'Ա'.repeat(50)}</a><i>tail</i>`;
    const cut = truncateForTelegram(html, 20);
    expect(cut).toBe(`<b>Դիմում</b>\n<a href="https://t.me/c/1/2">${'Ա'.repeat(12)}…</a>`);
    expect(parseTelegramHtml(cut).text).toHaveLength(20);
  });

  it('accepts a custom ellipsis and refuses a non-positive max', () => {
    expect(truncateForTelegram('Բարև ձեզ', 5, { ellipsis: ' >' })).toBe('Բար &gt;');
    expect(() => truncateForTelegram('x', 0)).toThrow(RangeError);
  });
});

describe('callbackData', () => {
  it('builds and parses action:args', () => {
    const data = callbackData('claim', 42, 'a1b2');
    expect(data).toBe('claim:42:a1b2');
    expect(parseCallbackData(data)).toEqual({ action: 'claim', args: ['42', 'a1b2'] });
  });

  it('counts UTF-8 bytes: 64 fit, 65 are refused', () => {
    expect(Buffer.byteLength(callbackData('a', 'x'.repeat(62)))).toBe(CALLBACK_DATA_MAX_BYTES);
    expect(() => callbackData('a', 'x'.repeat(63))).toThrow(CallbackDataError);
    // An Armenian letter is one character but two bytes: "sector:" + 29 letters is 36 characters, 65 bytes.
    expect(() => callbackData('sector', 'ջ'.repeat(29))).toThrow(/65 bytes; Telegram allows 64/);
    expect(callbackData('sector', 'ջ'.repeat(28))).toHaveLength(35);
  });

  it('refuses arguments containing the separator and malformed actions', () => {
    expect(() => callbackData('claim', 'a:b')).toThrow(CallbackDataError);
    expect(() => callbackData('1claim')).toThrow(CallbackDataError);
  });

  it('ignores data that is not ours', () => {
    expect(parseCallbackData(undefined)).toBeUndefined();
    expect(parseCallbackData('')).toBeUndefined();
    expect(parseCallbackData(':x')).toBeUndefined();
    expect(parseCallbackData(`a:${'x'.repeat(70)}`)).toBeUndefined();
  });

  it('defineCallback builds and recognises its own buttons only', () => {
    const sector = defineCallback('sector', ['inquiryId', 'code']);
    const data = sector.build({ inquiryId: 'b7c1f0e2-5d1a-4c0e-9a7e-3f2d1c0b9a88', code: 'water' });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(sector.match(data)).toEqual({ inquiryId: 'b7c1f0e2-5d1a-4c0e-9a7e-3f2d1c0b9a88', code: 'water' });
    expect(sector.match('claim:1')).toBeUndefined();
    expect(sector.match('sector:1')).toBeUndefined();
    expect(() => sector.build({ inquiryId: 'b7c1f0e2-5d1a-4c0e-9a7e-3f2d1c0b9a88', code: 'construction-and-urban-planning' })).toThrow(CallbackDataError);
  });
});
