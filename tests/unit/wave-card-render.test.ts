import { describe, expect, it } from 'vitest';
import { renderWaveCard } from '../../src/bots/cards/wave-card-render.js';
import type { WaveCardView } from '../../src/db/repositories/wave.repository.js';
import type { WaveRow } from '../../src/db/schema.js';

const at = new Date('2026-12-07T04:10:00Z');
const wave: WaveRow = {
  id: 7,
  status: 'suggested',
  title: 'Արաբկիրում ջուր չկա',
  mergedIntoId: null,
  createdAt: at,
  updatedAt: at,
  firstPostedAt: at,
  revision: 3,
  cardChatId: null,
  cardMessageId: null,
  cardRevision: 0,
  cardEditedAt: null,
  rumourAt: null,
  rumourBy: null,
  rebuttalStatementId: null,
  rumourAlerts: 0,
};
const view = (over: Partial<WaveCardView> = {}): WaveCardView => ({
  wave,
  count: 300,
  byPlatform: [
    { platform: 'facebook', kind: 'comment', count: 280 },
    { platform: 'facebook', kind: 'message', count: 20 },
  ],
  bySector: [{ sector: 'water', count: 300 }],
  latest: [{ id: 1, text: 'Ջուր <b>չկա</b> & ոչ ոք չի պատասխանում', authorName: '<script>', postedAt: at, platform: 'facebook' }],
  mostLiked: [],
  lastPostedAt: new Date(at.getTime() + 600_000),
  answered: 0,
  statements: [],
  notReached: 0,
  ...over,
});
const options = { locale: 'en' as const, timezone: 'Asia/Yerevan', now: at };

describe('wave card', () => {
  it('counts the questions and where they came from, and escapes citizen text', () => {
    const card = renderWaveCard(view(), options);
    expect(card.html).toContain('Wave #7</b> · 300 questions');
    expect(card.html).toContain('Facebook 280, Messenger 20');
    expect(card.html).toContain('Ջուր &lt;b&gt;չկա&lt;/b&gt; &amp; ոչ ոք');
    expect(card.html).toContain('&lt;script&gt;');
    expect(card.html).not.toContain('<script>');
    expect(card.keyboard?.inline_keyboard.flat().map((b) => b.text)).toEqual(['✅ Confirm wave']);
  });

  it('shows a statement’s progress and why replies were refused, and offers it to those who joined later', () => {
    const card = renderWaveCard(
      view({
        wave: { ...wave, status: 'confirmed' },
        statements: [{ id: 1, kind: 'interim', status: 'published', publishedAt: at, sent: 290, pending: 5, failed: 1, reasons: [{ failure: { code: 'dm_window_closed', params: { platform: 'facebook', ageDays: 8 } }, text: 'Not sent: the citizen last wrote 8 days ago…', count: 1 }] }],
        notReached: 4,
      }),
      options,
    );
    expect(card.html).toContain('Statement (interim) — published');
    expect(card.html).toContain('sent 290 · waiting 5 · refused 1');
    expect(card.html).toMatch(/Refused: Not sent: the citizen last wrote 8 days ago, and Messenger [^\n]*… \(1\)/);
    expect(card.keyboard?.inline_keyboard.flat().map((b) => b.text)).toEqual(['📣 Send the statement to 4 more', '⚠️ Mark as rumour']);
  });

  it('shows the most-liked questions beside the latest, with their likes, escaped and shortened, in every language', () => {
    const long = `${'Ջուր չկա '.repeat(40)}<i>`;
    const mostLiked = [
      { id: 2, text: 'Когда дадут <воду>?', authorName: 'Анна & Co', postedAt: at, platform: 'facebook', likes: 48 },
      { id: 3, text: long, authorName: null, postedAt: at, platform: 'instagram', likes: 7 },
    ];
    const en = renderWaveCard(view({ mostLiked }), options).html;
    expect(en).toContain('<b>Latest questions</b>');
    expect(en).toContain('<b>Most-liked questions</b>\n• 👍 48 · Анна &amp; Co: Когда дадут &lt;воду&gt;?\n• 👍 7 · Ջուր չկա');
    const line = en.split('\n').find((l) => l.startsWith('• 👍 7'))!;
    expect(line).not.toContain('<i>');
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(230);
    expect(renderWaveCard(view({ mostLiked }), { ...options, locale: 'hy' }).html).toContain('<b>Ամենահավանված հարցերը</b>\n• 👍 48 · ');
    expect(renderWaveCard(view({ mostLiked }), { ...options, locale: 'ru' }).html).toContain('<b>Вопросы с наибольшим числом лайков</b>\n• 👍 48 · ');
    // No likes yet: no section.
    expect(renderWaveCard(view(), options).html).not.toContain('Most-liked');
    // A new count is a new card.
    expect(renderWaveCard(view({ mostLiked: [{ ...mostLiked[0]!, likes: 49 }] }), options).hash).not.toBe(renderWaveCard(view({ mostLiked: [mostLiked[0]!] }), options).hash);
  });

  it('says why replies were refused in the group’s language; a reason stored before codes shows as stored', () => {
    const reasons = [
      { failure: { code: 'dm_window_closed', params: { platform: 'instagram', ageDays: 9 } }, text: 'Not sent: the citizen last wrote 9 days ago…', count: 3 },
      { failure: null, text: 'Facebook refused: <old> reason', count: 2 },
    ];
    const statements = [{ id: 1, kind: 'interim' as const, status: 'published' as const, publishedAt: at, sent: 10, pending: 0, failed: 5, reasons }];
    const hy = renderWaveCard(view({ wave: { ...wave, status: 'confirmed' }, statements }), { ...options, locale: 'hy' });
    expect(hy.html).toMatch(/Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է 9 օր առաջ[^\n]*\(3\)/);
    expect(hy.html).toContain('Facebook refused: &lt;old&gt; reason (2)');
    const ru = renderWaveCard(view({ wave: { ...wave, status: 'confirmed' }, statements }), { ...options, locale: 'ru' });
    expect(ru.html).toMatch(/Не отправлено: гражданин писал в последний раз 9 дней назад[^\n]*\(3\)/);
  });

  it('changes its hash only when what it shows changes', () => {
    expect(renderWaveCard(view(), options).hash).toBe(renderWaveCard(view(), options).hash);
    expect(renderWaveCard(view({ count: 301 }), options).hash).not.toBe(renderWaveCard(view(), options).hash);
  });
});
