/**
 * The preview says at once what the platform would refuse (a private reply
 * to a comment past 7 days, a message past its window), in the reader's
 * language, and offers no button for that way; the other ways stay.
 */
import { describe, expect, it } from 'vitest';
import { renderPreview } from '../../src/bots/previews.js';
import { failure } from '../../src/domain/failure-reason.js';

const draft = { id: 7, text: 'Բարև ձեզ, վաղը կվերանորոգեն։' };
const buttonsOf = (keyboard: ReturnType<typeof renderPreview>['keyboard']) => (keyboard?.inline_keyboard ?? []).flat().map((b) => b.text);

describe('a preview with refusals', () => {
  it('an Instagram comment past 7 days: the private reply is refused and has no button; the public one stays', () => {
    const inquiry = { id: 41, platform: 'instagram' as const, kind: 'comment' as const, status: 'claimed' as const };
    const refusals = { private: failure('private_reply_window_closed', { platform: 'instagram', ageDays: 9 }) };
    const en = renderPreview(draft, inquiry, 'en', { needsApproval: false, refusals });
    expect(en.html).toContain('⛔ Private reply: Instagram allows a private reply to a comment only within 7 days; this comment is 9 days old.');
    expect(buttonsOf(en.keyboard)).toContain('📢 Publish');
    expect(buttonsOf(en.keyboard).some((b) => b.includes('private') || b.includes('Send'))).toBe(false);
    const hy = renderPreview(draft, inquiry, 'hy', { needsApproval: false, refusals });
    expect(hy.html).toContain('⛔ Անձնական պատասխան՝ Instagram-ը թույլ է տալիս');
    const without = renderPreview(draft, inquiry, 'en', { needsApproval: false });
    expect(without.html).not.toContain('⛔');
    expect(buttonsOf(without.keyboard).length).toBeGreaterThan(buttonsOf(en.keyboard).length);
  });

  it('a Messenger message past its window: the refusal alone, in Russian, and only the cancel button; not called too long', () => {
    const inquiry = { id: 42, platform: 'facebook' as const, kind: 'message' as const, status: 'claimed' as const };
    const refusals = { private: failure('dm_window_closed', { platform: 'facebook', ageDays: 9 }) };
    const ru = renderPreview(draft, inquiry, 'ru', { needsApproval: false, refusals });
    expect(ru.html).toContain('⛔ Не отправлено: гражданин писал в последний раз 9 дней назад');
    expect(ru.html).not.toContain('Слишком длинно');
    expect(buttonsOf(ru.keyboard)).toEqual(['✖️ Отменить']);
  });
});
