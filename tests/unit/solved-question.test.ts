/**
 * When the citizen may be asked "was it solved?" (ASK_IF_SOLVED) within the
 * platform's rules, and the quick-reply payloads that carry the answer back.
 */
import { describe, expect, it } from 'vitest';
import { parseSolvedPayload, solvedQuickReplies, whyNotAsked } from '../../src/inbox/solved-question.workflow.js';

const HOUR = 3_600_000;
const now = new Date('2026-11-30T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('asking whether it was solved', () => {
  it('a comment: by its one private reply, within 7 days of the comment, unless staff used it', () => {
    const comment = { platform: 'facebook' as const, kind: 'comment' as const, postedAt: ago(6 * 24 * HOUR), lastCitizenAt: ago(6 * 24 * HOUR) };
    expect(whyNotAsked(comment, false, now)).toBeUndefined();
    expect(whyNotAsked(comment, true, now)).toMatch(/one private reply/);
    expect(whyNotAsked({ ...comment, postedAt: ago(7 * 24 * HOUR + 1) }, false, now)).toMatch(/7 days/);
  });

  it('Messenger: only within 24 hours of the citizen\'s last message (no HUMAN_AGENT tag for a survey)', () => {
    const message = { platform: 'facebook' as const, kind: 'message' as const, postedAt: ago(5 * 24 * HOUR), lastCitizenAt: ago(23 * HOUR) };
    expect(whyNotAsked(message, true, now)).toBeUndefined();
    expect(whyNotAsked({ ...message, lastCitizenAt: ago(24 * HOUR + 1) }, false, now)).toMatch(/24 h/);
  });

  it('nowhere else', () => {
    expect(whyNotAsked({ platform: 'telegram', kind: 'comment', postedAt: now, lastCitizenAt: now }, false, now)).toMatch(/telegram/);
    expect(whyNotAsked({ platform: 'facebook', kind: 'mention', postedAt: now, lastCitizenAt: now }, false, now)).toMatch(/mention/);
  });

  it('payloads name the inquiry and the answer; anything else is no answer', () => {
    const [yes, no] = solvedQuickReplies(42, { yes: 'Այո', no: 'Ոչ' });
    expect(parseSolvedPayload(yes!.payload)).toEqual({ inquiryId: 42, answer: 'yes' });
    expect(parseSolvedPayload(no!.payload)).toEqual({ inquiryId: 42, answer: 'no' });
    for (const forged of [undefined, '', 'SOLVED:42:MAYBE', 'SOLVED:x:YES', 'solved:42:yes', 'SOLVED:42:YES ', 'SOLVED:1234567890123456:NO']) {
      expect(parseSolvedPayload(forged)).toBeUndefined();
    }
  });
});
