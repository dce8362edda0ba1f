import { describe, expect, it } from 'vitest';
import { en } from '../../src/bots/i18n/en.js';
import { replyChannelFor, replyTextLength, replyTextLimit } from '../../src/connectors/reply-text-limits.js';
import { hy, withArticle } from '../../src/bots/i18n/hy.js';
import { formatDuration, formatTime, localeFromTelegram, messagesFor } from '../../src/bots/i18n/index.js';
import type { Messages } from '../../src/bots/i18n/messages.js';
import { ru } from '../../src/bots/i18n/ru.js';

describe('the length of an answer, as the limits count it', () => {
  it('counts UTF-16 code units: an Armenian letter is one, an emoji outside the BMP two (never less than Meta counts)', () => {
    expect(replyTextLength('Ա'.repeat(2000))).toBe(2000);
    expect(replyTextLength('Բարև ձեզ')).toBe(8);
    expect(replyTextLength('Շնորհակալություն 🙏')).toBe(19);
    expect(replyTextLength('Спасибо!')).toBe(8);
  });

  it('knows Facebook’s and Instagram’s limits per channel, and which channel an answer takes', () => {
    expect(replyTextLimit('facebook', replyChannelFor('message', 'private'))).toBe(2000);
    expect(replyTextLimit('facebook', replyChannelFor('comment', 'private'))).toBe(2000);
    expect(replyTextLimit('facebook', replyChannelFor('comment', 'public'))).toBe(8000);
    expect(replyTextLimit('instagram', 'comment_reply')).toBe(2200);
    expect(replyTextLimit('instagram', replyChannelFor('message', 'public'))).toBe(500);
    expect(replyTextLimit('telegram', 'comment_reply')).toBeUndefined();
  });
});

describe('durations as people write them', () => {
  it.each([
    [0.4, '&lt;1 ր', '&lt;1 min', '&lt;1 мин'],
    [5, '5 ր', '5 min', '5 мин'],
    [72, '1 ժ 12 ր', '1 h 12 min', '1 ч 12 мин'],
    [120, '2 ժ', '2 h', '2 ч'],
    [1500, '1 օր 1 ժ', '1 d 1 h', '1 дн 1 ч'],
    [2 * 1440 + 3, '2 օր', '2 d', '2 дн'],
  ])('%s minutes', (minutes, inHy, inEn, inRu) => {
    expect(formatDuration(minutes, 'hy')).toBe(inHy);
    expect(formatDuration(minutes, 'en')).toBe(inEn);
    expect(formatDuration(minutes, 'ru')).toBe(inRu);
  });
});

describe('local times', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  it('are as short as is clear, in the city time zone', () => {
    expect(formatTime(new Date('2026-11-28T09:05:00Z'), 'Asia/Yerevan', now)).toBe('13:05');
    expect(formatTime(new Date('2026-11-27T21:30:00Z'), 'Asia/Yerevan', now)).toBe('01:30');
    expect(formatTime(new Date('2026-11-27T19:30:00Z'), 'Asia/Yerevan', now)).toBe('27.11 23:30');
    expect(formatTime(new Date('2025-12-31T20:30:00Z'), 'Asia/Yerevan', now)).toBe('01.01 00:30');
    expect(formatTime(new Date('2025-12-31T19:30:00Z'), 'Asia/Yerevan', now)).toBe('31.12.2025 23:30');
  });
});

describe('Armenian names as subjects', () => {
  it.each([
    ['Անի', 'Անին'],
    ['Արամ Պետրոսյան', 'Արամ Պետրոսյանը'],
    ['Լու', 'Լուն'],
    ['Ani', 'Ani-ն'],
    ['Aram', 'Aram-ը'],
    ['Ани', 'Ани-ն'],
  ])('%s → %s', (name, subject) => {
    expect(withArticle(name)).toBe(subject);
  });
});

describe('the catalogs', () => {
  const catalogs: Record<string, Messages> = { hy, en, ru };

  it('have every text translated (strings differ from English except names of things)', () => {
    const same = new Set(['languageName']);
    for (const [code, c] of Object.entries(catalogs)) {
      if (code === 'en') continue;
      for (const [key, value] of Object.entries(c)) {
        if (typeof value === 'string' && !same.has(key)) expect(value, `${code}.${key}`).not.toBe((en as unknown as Record<string, unknown>)[key]);
      }
    }
  });

  it('escape every outside text they are given', () => {
    for (const c of Object.values(catalogs)) {
      expect(c.cardAuthor('<b>Ani</b> & Co', '10:00')).toContain('&lt;b&gt;Ani&lt;/b&gt; &amp; Co');
      expect(c.previewPublic(1, 'facebook', 'comment', '<script>', true)).toContain('&lt;script&gt;');
      expect(c.stateFailed('<oops>')).toContain('&lt;oops&gt;');
      expect(c.adminAlert('a & b')).toContain('a &amp; b');
      expect(c.returned(1, 'B<', '<i>')).toContain('&lt;i&gt;');
    }
  });

  it('keep button notices within Telegram’s 200 characters', () => {
    const long = 'Ա'.repeat(60);
    for (const c of Object.values(catalogs)) {
      for (const text of [
        c.toastTakenBy(long),
        c.toastNotStaff,
        c.toastOpenPrivateChat,
        c.toastReassigned(123456, long),
        c.toastDismissed(123456, c.dismissReason('handled_offline')),
        c.toastAnsweringBy(long, true),
        c.toastAnsweringBy(long, false),
        c.toastAnsweringYours(true),
        c.toastAnsweringSomeone(true),
        c.toastTooLong(65536, 8000),
      ]) {
        expect(text.length).toBeLessThanOrEqual(200);
      }
    }
  });

  it('say who is answering and how long an answer may be, in each language', () => {
    expect(hy.toastAnsweringBy('Գոհար Մանուկյան', false)).toBe('Այս հարցին արդեն պատասխանում է Գոհար Մանուկյանը․ պատասխանն ուղարկվում է');
    expect(en.toastAnsweringBy('Gohar Manukyan', true)).toBe('Gohar Manukyan is already answering this inquiry: the answer is awaiting approval');
    expect(ru.toastAnsweringBy('Гоар Манукян', false)).toBe('На этот вопрос уже отвечает Гоар Манукян: ответ отправляется');
    expect(ru.toastAnsweringYours(true)).toBe('Ваш ответ на этот вопрос уже ждёт утверждения');
    expect(ru.previewLength(2500, { public: 8000, private: 2000 })).toBe('Символов: 2500 (не больше 8000 в публичном ответе, 2000 в личном сообщении)');
    expect(ru.previewLength(63, { private: 2000 })).toBe('Символов: 63 (не больше 2000)');
    expect(en.previewLength(63, {})).toBe('Characters: 63');
    expect(ru.previewTooLong(1)).toBe('⛔ Слишком длинно (лишних символов: 1): сократите и отправьте новый текст ответом на это сообщение.');
    expect(ru.toastTooLong(2001, 2000)).toBe('Слишком длинно: символов 2001, можно не больше 2000. Сократите и отправьте новый текст ответом на предпросмотр');
    for (const c of Object.values(catalogs)) {
      // Without a question when nothing can be published as it is.
      expect(c.previewMessage(1, 'facebook', 'text', false)).toMatch(/text<\/blockquote>$/);
      expect(c.previewPublic(1, 'facebook', 'comment', 'text', true, false)).toMatch(/text<\/blockquote>$/);
    }
  });

  it('pick a person’s language from Telegram when it is one of ours', () => {
    expect(localeFromTelegram('ru')).toBe('ru');
    expect(localeFromTelegram('hy-AM')).toBe('hy');
    expect(localeFromTelegram('de')).toBeUndefined();
    expect(localeFromTelegram(undefined)).toBeUndefined();
    expect(messagesFor('en').languageName).toBe('English');
  });
});
