/** The card of an inquiry in each of its states, rendered without Telegram. */
import { describe, expect, it } from 'vitest';
import { CARD_TEXT_BUDGET, renderCard } from '../../src/bots/cards/card-render.js';
import type { InquiryRow } from '../../src/db/schema.js';
import type { CardView } from '../../src/db/repositories/card-view.repository.js';
import { telegramTextLength } from '../../src/telegram/telegram-text.js';

const now = new Date('2026-11-28T12:00:00Z');
// Only the columns a card reads; the row type grows with other parts' migrations.
const inquiry = {
  id: 987654321012,
  sourceId: null,
  platform: 'facebook',
  kind: 'comment',
  externalId: 'x',
  threadId: '104857600000001_900000000000001',
  parentId: null,
  authorId: 'a',
  authorName: 'Լուսինե <Ավագյան>',
  text: 'Ջուր չկա <script>alert(1)</script> & 💧',
  permalink: 'https://www.facebook.com/104857600000001_900000000000001?comment_id=1',
  postedAt: new Date('2026-11-28T07:05:00Z'),
  ingestedAt: now,
  lastCitizenAt: now,
  status: 'new',
  dismissReason: null,
  sectorCode: null,
  suggestedSectorCode: 'water',
  claimedBy: null,
  claimedAt: null,
  firstResponseAt: null,
  answeredVia: null,
  answeredBy: null,
  slaDueAt: null,
  lowPriority: false,
  previousInquiryId: null,
  updatedAt: now,
} as InquiryRow;
const water = { code: 'water', hy: 'Ջրամատակարարում և ջրահեռացում', en: 'Water supply and sewerage', ru: 'Водоснабжение и водоотведение' };
const base: CardView = {
  inquiry,
  sourceName: null,
  messages: [{ text: inquiry.text, postedAt: inquiry.postedAt }],
  claimant: undefined,
  answerer: undefined,
  dismissedBy: null,
  sector: undefined,
  suggestedSector: water,
  latestReply: undefined,
  awaitingApproval: undefined,
};
const opts = { locale: 'hy' as const, timezone: 'Asia/Yerevan', now, botUsername: 'ardzagank_bot' };
const view = (changes: Omit<Partial<CardView>, 'inquiry'> & { inquiry?: Partial<InquiryRow> }): CardView => ({ ...base, ...changes, inquiry: { ...inquiry, ...changes.inquiry } });
const buttons = (v: CardView, locale: 'hy' | 'en' = 'hy') => renderCard(v, { ...opts, locale }).keyboard?.inline_keyboard.map((r) => r.map((b) => b.text)) ?? [];

describe('renderCard', () => {
  it('escapes everything that comes from outside and keeps callback data within 64 bytes for large ids', () => {
    const card = renderCard(base, opts);
    expect(card.html).toContain('<blockquote>Ջուր չկա &lt;script&gt;alert(1)&lt;/script&gt; &amp; 💧</blockquote>');
    expect(card.html).toContain('👤 <b>Լուսինե &lt;Ավագյան&gt;</b> · 11:05');
    expect(card.html).toContain('📌 Մեկնաբանված գրառումը՝ <a href="https://www.facebook.com/104857600000001_900000000000001">բացել</a>');
    for (const b of card.keyboard!.inline_keyboard.flat()) expect(Buffer.byteLength((b as { callback_data: string }).callback_data)).toBeLessThanOrEqual(64);
  });

  it('names the source the citizen wrote on (escaped), so a city with several Pages or a channel sees where', () => {
    expect(renderCard(base, opts).html.split('\n')[0]).not.toContain(' · City <Hall>');
    const named = renderCard(view({ sourceName: 'City <Hall> & Co' }), opts).html.split('\n')[0]!;
    expect(named).toContain('#');
    expect(named.endsWith(' · City &lt;Hall&gt; &amp; Co')).toBe(true);
  });

  it('shows each state with the buttons that make sense in it', () => {
    const claimed = view({ inquiry: { status: 'claimed', claimedBy: 3, claimedAt: new Date('2026-11-28T07:40:00Z') }, claimant: { id: 3, name: 'Անի' } });
    expect(renderCard(claimed, opts).html).toContain('🙋 Վերցրեց՝ <b>Անի</b>, 11:40');
    expect(buttons(claimed)).toEqual([['✍️ Պատասխանել', '↩️ Հրաժարվել'], ['🏷 Ոլորտ', '🚫 Հարց չէ'], ['👥 Փոխանցել']]);

    const sending = { ...claimed, latestReply: { id: 9, status: 'pending' as const, visibility: 'public' as const, failureReason: null, authorName: 'Անի', sentAt: null } };
    expect(renderCard(sending, opts).html).toContain('⏳ Պատասխանն ուղարկվում է (հեղինակ՝ Անի)…');
    expect(buttons(sending)).toEqual([['🏷 Ոլորտ']]);

    const failed = { ...claimed, latestReply: { ...sending.latestReply, status: 'failed' as const, failureReason: 'window <closed>' } };
    expect(renderCard(failed, opts).html).toContain('⚠️ Պատասխանը չհրապարակվեց՝ window &lt;closed&gt;');
    expect(renderCard(failed, opts).html.startsWith('⚠️')).toBe(true);
    expect(buttons(failed, 'en')).toEqual([['🔁 Retry', '✍️ Answer'], ['↩️ Release', '🏷 Sector']]);
    // A reason with a code is said in the group's language; the stored English sentence is for logs.
    const refused = {
      ...claimed,
      latestReply: { ...failed.latestReply, failureReason: 'Not sent: the citizen last wrote 9 days ago…', failure: { code: 'dm_window_closed', params: { platform: 'instagram', ageDays: 9 } } },
    };
    expect(renderCard(refused, opts).html).toContain('⚠️ Պատասխանը չհրապարակվեց՝ Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է 9 օր առաջ, իսկ Instagram-ում');
    expect(renderCard(refused, { ...opts, locale: 'ru' }).html).toContain('⚠️ Ответ не опубликован: Не отправлено: гражданин писал в последний раз 9 дней назад');

    const waiting = { ...claimed, awaitingApproval: { authorName: 'Անի' } };
    expect(renderCard(waiting, opts).html).toContain('📝 Պատասխանը սպասում է հաստատման (հեղինակ՝ Անի)');

    const answered = view({
      inquiry: { status: 'answered', answeredVia: 'telegram', answeredBy: 3, firstResponseAt: new Date('2026-11-28T08:17:00Z') },
      answerer: { id: 3, name: 'Անի Պետրոսյան' },
      latestReply: { id: 9, status: 'sent', visibility: 'private', failureReason: null, authorName: 'Անի Պետրոսյան', sentAt: new Date('2026-11-28T08:17:00Z') },
    });
    expect(renderCard(answered, opts).html).toContain('✅ Պատասխանեց՝ <b>Անի Պետրոսյան</b> · 1 ժ 12 ր-ում · անձնական նամակ · <a href=');
    expect(renderCard(answered, { ...opts, locale: 'en' }).html).toContain('✅ Answered by <b>Անի Պետրոսյան</b> in 1 h 12 min · private message');
    expect(renderCard(answered, { ...opts, locale: 'ru' }).html).toContain('✅ Ответ: <b>Անի Պետրոսյան</b> · за 1 ч 12 мин · личное сообщение');

    const native = view({ inquiry: { status: 'answered', answeredVia: 'native', firstResponseAt: new Date('2026-11-28T07:40:00Z') } });
    expect(renderCard(native, opts).html).toContain('✅ Պատասխանվել է անմիջապես Facebook-ում · 35 ր-ում');

    const removed = view({ inquiry: { status: 'dismissed', dismissReason: 'removed' } });
    expect(renderCard(removed, opts).html).toContain('🚫 Փակված է · պատճառը՝ հեղինակը ջնջել է');
    expect(renderCard(removed, opts).keyboard).toBeUndefined();
  });

  it('shortens a long text with a link to the whole, and stays within 4096 characters', () => {
    const long = 'Ա'.repeat(CARD_TEXT_BUDGET * 3);
    const card = renderCard(view({ messages: [{ text: long, postedAt: inquiry.postedAt }, { text: 'Բ'.repeat(500), postedAt: inquiry.postedAt }] }), opts);
    expect(telegramTextLength(card.html)).toBeLessThanOrEqual(4096);
    expect(card.html).toContain(`… <a href="https://t.me/ardzagank_bot?start=i${inquiry.id}">ամբողջ տեքստը</a>`);
    // Without the bot's username the platform's link is used.
    expect(renderCard(view({ messages: [{ text: long, postedAt: inquiry.postedAt }] }), { ...opts, botUsername: undefined }).html).toContain(
      `… <a href="${inquiry.permalink!.replace('&', '&amp;')}">ամբողջ տեքստը</a>`,
    );
  });

  it('hashes what it renders, so a state that did not change is not edited again', () => {
    expect(renderCard(base, opts).hash).toBe(renderCard(base, opts).hash);
    expect(renderCard(base, opts).hash).not.toBe(renderCard(view({ sector: water }), opts).hash);
  });
});
