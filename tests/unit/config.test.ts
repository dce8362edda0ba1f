import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseBusinessHours, parseDurationMinutes } from '../../src/config.js';

describe('loadConfig', () => {
  it('runs with no environment at all, on the documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.http.port).toBe(3000);
    expect(config.timezone).toBe('Asia/Yerevan');
    expect(config.businessHours).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
    expect(config.sla).toEqual({ firstResponseMinutes: 480, resolutionMinutes: 5 * 540, clock: 'business' });
    expect(config.followThrough).toEqual({ followUpWindowMinutes: 3 * 1440, askIfSolved: false, askIfSolvedAfterMinutes: 3 * 1440 });
    expect(config.digest.cron).toBe('0 9 * * 1');
    expect(config.locale).toBe('hy');
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org');
    expect(config.facebook.graphApiUrl).toBe('https://graph.facebook.com');
  });

  it('lists every malformed variable in one error, with how to fix each', () => {
    let error: unknown;
    try {
      loadConfig({
        env: {
          DATABASE_URL: 'mysql://nope',
          HTTP_PORT: 'eighty',
          TIMEZONE: 'Mars/Olympus',
          BUSINESS_HOURS: 'weekdays',
          HOLIDAYS: '2026-13-45x',
          TELEGRAM_ADMIN_IDS: '12,abc',
          TELEGRAM_WEBHOOK_URL: 'https://example.am/webhooks/telegram',
          SLA_FIRST_RESPONSE: 'soon',
          LOCALE: 'fr',
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    const names = problems.map((p) => p.split(/[ :]/)[0]);
    expect(names.sort()).toEqual(
      ['BUSINESS_HOURS', 'DATABASE_URL', 'HOLIDAYS', 'HTTP_PORT', 'LOCALE', 'SLA_FIRST_RESPONSE', 'TELEGRAM_ADMIN_IDS', 'TELEGRAM_WEBHOOK_SECRET', 'TIMEZONE'].sort(),
    );
    expect(message).toMatch(/9 problems/);
    expect(message).toMatch(/TELEGRAM_WEBHOOK_SECRET \(not set\): .*set both/);
    expect(message).toMatch(/SLA_FIRST_RESPONSE: "soon" is not a duration; write it like 90m, 4h or 2d/);
  });

  it('parses lists, numbers and chat ids', () => {
    const config = loadConfig({
      env: { TELEGRAM_ADMIN_IDS: '111, 222', TELEGRAM_STAFF_CHAT_ID: '-1001234567890', DIGEST_CHAT_IDS: '333', HOLIDAYS: '2026-05-11, 2026-12-30' },
    });
    expect(config.telegram.adminIds).toEqual([111, 222]);
    expect(config.telegram.staffChatId).toBe(-1001234567890);
    expect(config.digest.chatIds).toEqual([333]);
    expect(config.holidays).toEqual(['2026-05-11', '2026-12-30']);
  });
});

describe('value parsers', () => {
  it('reads durations', () => {
    expect(parseDurationMinutes('90m')).toBe(90);
    expect(parseDurationMinutes('1.5h')).toBe(90);
    expect(parseDurationMinutes('2d')).toBe(2880);
    expect(parseDurationMinutes('2 weeks')).toBeUndefined();
  });
  it('reads business hours, including ranges over the week end', () => {
    expect(parseBusinessHours('Mon-Fri 09:00-18:00')).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
    expect(parseBusinessHours('Sat-Mon 10:00-14:30')).toEqual({ days: [0, 1, 6], startMinute: 600, endMinute: 870 });
    expect(parseBusinessHours('Mon,Wed 09:00-08:00')).toBeUndefined();
  });
});
