/**
 * The private notice telling an author their answer was not published: the
 * reason in the reader's language, escaped (a platform's own words may hold
 * "<"), and a notice stored before reasons had codes shows its English text.
 */
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../src/bots/notices.js';
import type { TelegramNoticeRow } from '../../src/db/schema.js';
import { failure } from '../../src/domain/failure-reason.js';

function notice(payload: Record<string, unknown>): TelegramNoticeRow {
  return { id: 1, key: 'reply-result-7', kind: 'reply.result', chatId: 5003, inquiryId: 42, payload, replyToMessageId: null, messageId: null, failure: null, createdAt: new Date(), sentAt: null };
}

const refused = failure('platform_refused', { platform: 'facebook', graphMessage: '(#100) Param <message> must be non-empty', graphCode: 100 });
const payload = { replyId: 7, status: 'failed', reason: 'Facebook refused the reply: (#100) Param <message> must be non-empty (Graph #100). …', failure: refused };

describe('reply.result: not published', () => {
  it('says why in the reader’s language, with the platform’s words escaped', () => {
    const ctx = { inquiry: undefined, cardLink: undefined };
    expect(renderNotice(notice(payload), { ...ctx, locale: 'ru' }).html).toBe(
      '⚠️ Ваш ответ на вопрос #42 не опубликован: Facebook отклонил ответ: (#100) Param &lt;message&gt; must be non-empty (Graph #100). ' +
        'Повторная отправка не поможет; измените ответ или ответьте в самом Facebook.',
    );
    expect(renderNotice(notice(payload), { ...ctx, locale: 'hy' }).html).toBe(
      '⚠️ Ձեր պատասխանը #42 հարցին չհրապարակվեց՝ Facebook-ը մերժեց պատասխանը՝ (#100) Param &lt;message&gt; must be non-empty (Graph #100)։ ' +
        'Կրկին ուղարկելը չի օգնի․ փոխեք պատասխանը կամ պատասխանեք անմիջապես Facebook-ում։',
    );
    expect(renderNotice(notice(payload), { ...ctx, locale: 'en' }).html).toMatch(/^⚠️ Your answer to #42 was not published: Facebook refused the reply: \(#100\) Param &lt;message&gt;/);
    // The Retry button stays.
    expect(renderNotice(notice(payload), { ...ctx, locale: 'ru' }).keyboard?.inline_keyboard.flat().map((b) => b.text)).toEqual(['🔁 Повторить']);
  });

  it('a notice stored before reasons had codes shows its English text', () => {
    const html = renderNotice(notice({ replyId: 7, status: 'failed', reason: 'Facebook refused: the comment was deleted (#100)' }), { locale: 'hy', inquiry: undefined, cardLink: undefined }).html;
    expect(html).toBe('⚠️ Ձեր պատասխանը #42 հարցին չհրապարակվեց՝ Facebook refused: the comment was deleted (#100)');
  });
});
