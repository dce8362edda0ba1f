/**
 * Why a reply was not published, as each reader gets it: every code a
 * connector or the delivery workflow produces renders in Armenian, English
 * and Russian with its parameters; a stored reason from before codes (only
 * the English sentence) still shows.
 */
import { describe, expect, it } from 'vitest';
import { FAILURE_CODES, failure, mapFailureTexts, readFailureReason, type FailureCode, type FailureReason } from '../../src/domain/failure-reason.js';
import { failureReasonText, storedFailureText } from '../../src/domain/failure-reason-text.js';
import { LOCALES } from '../../src/domain/locale.js';

const ARMENIAN = /[\u0531-\u0556\u0561-\u0587]/u;
const CYRILLIC = /[\u0400-\u04FF]/u;

/** At least one reason of every code (the type makes a missing code a compile error), each platform's wording where it differs. */
const SAMPLES: { [C in FailureCode]: Array<Extract<FailureReason, { code: C }>> } = {
  private_reply_window_closed: [failure('private_reply_window_closed', { platform: 'facebook', ageDays: 8 }), failure('private_reply_window_closed', { platform: 'instagram', ageDays: 12 })],
  dm_window_closed: [failure('dm_window_closed', { platform: 'facebook', ageDays: 9 }), failure('dm_window_closed', { platform: 'instagram', ageDays: 21 })],
  no_sender_id: [failure('no_sender_id', { platform: 'facebook' }), failure('no_sender_id', { platform: 'instagram' })],
  kind_not_answerable: [failure('kind_not_answerable', { platform: 'instagram', kind: 'mention' }), failure('kind_not_answerable', { platform: 'facebook', kind: 'mention' })],
  mention_no_private_answer: [failure('mention_no_private_answer', { platform: 'instagram' })],
  mention_media_unknown: [failure('mention_media_unknown', { platform: 'instagram' })],
  telegram_no_private_reply: [failure('telegram_no_private_reply', {})],
  telegram_not_a_comment: [failure('telegram_not_a_comment', { source: 'Vanadzor City' })],
  private_reply_used: [failure('private_reply_used', { platform: 'facebook' }), failure('private_reply_used', { platform: 'instagram' })],
  private_reply_refused: [failure('private_reply_refused', { platform: 'facebook' }), failure('private_reply_refused', { platform: 'instagram' })],
  message_window_refused: [failure('message_window_refused', { platform: 'facebook' }), failure('message_window_refused', { platform: 'instagram' })],
  permission_missing: [
    failure('permission_missing', { platform: 'facebook', permission: 'pages_manage_engagement', use: 'comment_reply', graphCode: 200, graphMessage: '(#200) Permissions error' }),
    failure('permission_missing', { platform: 'facebook', permission: 'pages_messaging', use: 'private_reply', graphCode: 10, graphMessage: '(#10) Permission denied' }),
    failure('permission_missing', { platform: 'facebook', permission: 'pages_messaging', use: 'messenger', graphCode: 10, graphMessage: '(#10) Permission denied' }),
    failure('permission_missing', { platform: 'facebook', permission: 'pages_read_engagement', use: 'read', graphCode: 10, graphMessage: '(#10) Permission denied' }),
    failure('permission_missing', { platform: 'instagram', permission: 'instagram_manage_comments', use: 'comment_reply', graphCode: 200, graphMessage: '(#200) Permissions error' }),
    failure('permission_missing', { platform: 'instagram', permission: 'instagram_manage_messages', use: 'messenger', graphCode: 10, graphMessage: '(#10) Permission denied' }),
    failure('permission_missing', { platform: 'instagram', permission: 'instagram_manage_comments', use: 'mention_reply', graphCode: 10, graphMessage: '(#10) Permission denied' }),
  ],
  item_gone: [failure('item_gone', { platform: 'facebook' })],
  mention_lookup_impossible: [
    failure('mention_lookup_impossible', { platform: 'instagram', why: 'comment_replies' }),
    failure('mention_lookup_impossible', { platform: 'instagram', why: 'too_many_comments' }),
    failure('mention_lookup_impossible', { platform: 'instagram', why: 'no_username' }),
  ],
  platform_refused: [
    failure('platform_refused', { platform: 'facebook', graphMessage: '(#100) Invalid parameter', graphCode: 100 }),
    failure('platform_refused', { platform: 'instagram', graphMessage: 'Unsupported post request', graphCode: 100, graphSubcode: 33 }),
  ],
  details_gone: [failure('details_gone', { platform: 'instagram' })],
  details_refused: [failure('details_refused', { platform: 'instagram', detail: '(#100) Invalid parameter' })],
  graph_unreachable: [failure('graph_unreachable', {}), failure('graph_unreachable', { httpStatus: 502 })],
  instagram_message_too_long: [failure('instagram_message_too_long', { bytes: 1200, maxBytes: 1000 })],
  telegram_bot_removed: [failure('telegram_bot_removed', { source: 'Vanadzor City' })],
  telegram_comment_gone: [failure('telegram_comment_gone', {})],
  telegram_no_rights: [failure('telegram_no_rights', { source: 'Vanadzor City' })],
  telegram_refused: [failure('telegram_refused', { description: 'Bad Request: message text is empty' })],
  connector_missing: [failure('connector_missing', { platform: 'instagram' })],
  source_removed: [failure('source_removed', { platform: 'facebook', source: 'Vanadzor Page' })],
  may_be_published: [
    failure('may_be_published', { platform: 'facebook', cause: failure('permission_missing', { platform: 'facebook', permission: 'pages_read_engagement', use: 'read', graphCode: 10, graphMessage: '(#10) Permission denied' }) }),
    failure('may_be_published', { platform: 'instagram', cause: failure('mention_lookup_impossible', { platform: 'instagram', why: 'comment_replies' }) }),
  ],
  unconfirmed_after_attempts: [failure('unconfirmed_after_attempts', { platform: 'facebook', attempts: 8, problem: 'timeout after 20000 ms' })],
  not_accepted_after_attempts: [failure('not_accepted_after_attempts', { platform: 'instagram', attempts: 3, problem: 'HTTP 503' })],
  question_window_closed: [failure('question_window_closed', { platform: 'facebook' }), failure('question_window_closed', { platform: 'instagram' })],
  text_too_long: [
    failure('text_too_long', { platform: 'facebook', channel: 'messenger', length: 2001, max: 2000 }),
    failure('text_too_long', { platform: 'instagram', channel: 'comment_reply', length: 2201, max: 2200 }),
    failure('text_too_long', { platform: 'facebook', channel: 'private_reply', length: 2001, max: 2000 }),
    failure('text_too_long', { platform: 'instagram', channel: 'mention_reply', length: 2201, max: 2200 }),
  ],
};

const all = Object.values(SAMPLES).flat() as FailureReason[];

/** The numbers and names a reader must see, whatever the language. */
function shownParams(reason: FailureReason): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(reason.params)) {
    if (key === 'cause') out.push(...shownParams(value as FailureReason));
    else if (typeof value === 'number') out.push(String(value));
    else if (key !== 'platform' && key !== 'use' && key !== 'channel' && key !== 'kind' && key !== 'why' && typeof value === 'string') out.push(value);
  }
  return out;
}

describe('failure reasons in every language', () => {
  it('every code has a sample and the list of codes is complete', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...FAILURE_CODES].sort());
  });

  for (const reason of all) {
    it(`${reason.code} ${JSON.stringify(reason.params)}: a sentence in hy, en and ru with its parameters`, () => {
      const texts = Object.fromEntries(LOCALES.map((locale) => [locale, failureReasonText(reason, locale)]));
      for (const locale of LOCALES) {
        const text = texts[locale]!;
        expect(text.length).toBeGreaterThan(20);
        expect(text).not.toMatch(/undefined|\[object Object\]|NaN|\?\)/);
        for (const shown of shownParams(reason)) expect(text).toContain(shown);
      }
      expect(texts.hy).toMatch(ARMENIAN);
      expect(texts.ru).toMatch(CYRILLIC);
      expect(texts.en).not.toMatch(ARMENIAN);
      expect(texts.en).not.toMatch(CYRILLIC);
      // Armenian text, not English with an Armenian word or two.
      expect(texts.hy).not.toBe(texts.en);
      expect((texts.hy!.match(/[\u0531-\u0587]/gu) ?? []).length).toBeGreaterThan((texts.hy!.match(/[A-Za-z]/g) ?? []).length / 3);
    });
  }

  it('keeps the English sentences staff and logs knew', () => {
    expect(failureReasonText(failure('dm_window_closed', { platform: 'instagram', ageDays: 8 }), 'en')).toBe(
      'Not sent: the citizen last wrote 8 days ago, and Instagram lets the account answer a direct message only within 24 hours, ' +
        'or within 7 days as a staff member (human agent). Answer them another way, or wait until they write again.',
    );
    expect(failureReasonText(failure('text_too_long', { platform: 'facebook', channel: 'messenger', length: 2001, max: 2000 }), 'en')).toBe(
      'Not sent: the answer has 2001 characters, and Facebook takes at most 2000 in a Messenger message. Shorten it and send it again.',
    );
    expect(failureReasonText(failure('platform_refused', { platform: 'facebook', graphMessage: '(#100) Invalid', graphCode: 100, graphSubcode: 33 }), 'en')).toBe(
      'Facebook refused the reply: (#100) Invalid (Graph #100/33). Sending it again will not help; change the reply or answer on Facebook.',
    );
  });

  it('natural Armenian and Russian for the closed message window', () => {
    const reason = failure('dm_window_closed', { platform: 'instagram', ageDays: 9 });
    expect(failureReasonText(reason, 'hy')).toBe(
      'Չուղարկվեց․ քաղաքացին վերջին անգամ գրել է 9 օր առաջ, իսկ Instagram-ում հաշիվը կարող է անձնական նամակին պատասխանել միայն 24 ժամվա ընթացքում, ' +
        'կամ 7 օրվա ընթացքում՝ որպես աշխատակից (human agent)։ Կապվեք նրա հետ այլ կերպ կամ սպասեք, մինչև նա նորից գրի։',
    );
    expect(failureReasonText(reason, 'ru')).toMatch(/^Не отправлено: гражданин писал в последний раз 9 дней назад/);
    expect(failureReasonText(failure('dm_window_closed', { platform: 'facebook', ageDays: 21 }), 'ru')).toMatch(/21 день назад/);
    expect(failureReasonText(failure('dm_window_closed', { platform: 'facebook', ageDays: 22 }), 'ru')).toMatch(/22 дня назад/);
    // The Armenian article before a vowel: Facebook-ն այլևս…, Facebook-ը մերժեց…
    expect(failureReasonText(failure('private_reply_refused', { platform: 'facebook' }), 'hy')).toMatch(/^Facebook-ն այլևս/);
    expect(failureReasonText(failure('message_window_refused', { platform: 'facebook' }), 'hy')).toMatch(/^Facebook-ը մերժեց/);
  });

  it('a nested cause is said in the same language', () => {
    const reason = SAMPLES.may_be_published[0]!;
    expect(failureReasonText(reason, 'hy')).toMatch(/Չհաստատվեց․.*\(Facebook-ը մերժեց․ էջի access token-ը/);
    expect(failureReasonText(reason, 'ru')).toMatch(/Не подтверждено:.*\(Facebook отказал: у токена доступа/);
  });
});

describe('stored reasons', () => {
  it('reads what was stored; a reason from before codes, or a code this version does not know, shows its English text', () => {
    const stored = JSON.parse(JSON.stringify(SAMPLES.may_be_published[0])) as unknown;
    expect(readFailureReason(stored)).toEqual(SAMPLES.may_be_published[0]);
    expect(storedFailureText(stored, 'Not confirmed: …', 'hy')).toMatch(/^Չհաստատվեց/);
    expect(storedFailureText(null, 'Facebook refused: the comment was deleted (#100)', 'hy')).toBe('Facebook refused: the comment was deleted (#100)');
    expect(storedFailureText({ code: 'from_the_future', params: {} }, 'An English sentence', 'ru')).toBe('An English sentence');
    expect(storedFailureText({ code: 'dm_window_closed' }, 'no params', 'ru')).toBe('no params');
    expect(storedFailureText({ code: 'may_be_published', params: { platform: 'facebook', cause: 'text' } }, 'bad cause', 'en')).toBe('bad cause');
    expect(storedFailureText(undefined, null, 'en')).toBe('—');
  });

  it('a parameter missing from a stored reason reads "?", never "undefined"', () => {
    expect(storedFailureText({ code: 'dm_window_closed', params: { platform: 'instagram' } }, 'x', 'en')).toMatch(/last wrote \? days ago/);
  });

  it('text parameters are cleaned, the cause too', () => {
    const reason = failure('may_be_published', { platform: 'facebook', cause: failure('platform_refused', { platform: 'facebook', graphMessage: 'token=SECRET', graphCode: 100 }) });
    const clean = mapFailureTexts(reason, (text) => text.replaceAll('SECRET', '[REDACTED]'));
    expect(clean).toEqual(failure('may_be_published', { platform: 'facebook', cause: failure('platform_refused', { platform: 'facebook', graphMessage: 'token=[REDACTED]', graphCode: 100 }) }));
  });
});
