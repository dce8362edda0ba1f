/**
 * `SLA_FIRST_RESPONSE=2d` on the business clock means two business days
 * (a business day is the configured working span, 9 hours by default), not
 * 2,880 business minutes (5.3 working days). On the wall clock a day is 24 hours.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBusinessClock } from '../../src/domain/business-time.js';
import { createHolidayCalendar } from '../../src/domain/holidays.js';

const yvn = (local: string) => new Date(`${local}+04:00`);

describe('durations in days on the business clock', () => {
  it('are business days: 2d posted on a Monday at 10:00 is due on Wednesday at 10:00', () => {
    const config = loadConfig({ env: { SLA_FIRST_RESPONSE: '2d' } });
    expect(config.sla.clock).toBe('business');
    expect(config.sla.firstResponseMinutes).toBe(2 * 9 * 60);
    const clock = createBusinessClock({ timezone: config.timezone, hours: config.businessHours, holidays: createHolidayCalendar(config.holidays) });
    expect(clock.addBusinessMinutes(yvn('2026-11-30T10:00:00'), config.sla.firstResponseMinutes)).toEqual(yvn('2026-12-02T10:00:00'));
  });

  it('follow the configured working day, and reminders on the SLA clock too', () => {
    const config = loadConfig({ env: { SLA_FIRST_RESPONSE: '1.5d', BUSINESS_HOURS: 'Mon-Fri 10:00-17:00', REMIND_CLAIMED_AFTER: '1d' } });
    expect(config.sla.firstResponseMinutes).toBe(Math.round(1.5 * 7 * 60));
    expect(config.workflow.remindClaimedMinutes).toBe(7 * 60);
  });

  it('are 24 hours on the wall clock, and hours are hours on either', () => {
    expect(loadConfig({ env: { SLA_FIRST_RESPONSE: '2d', SLA_CLOCK: 'wall' } }).sla.firstResponseMinutes).toBe(2880);
    expect(loadConfig({ env: { SLA_FIRST_RESPONSE: '8h' } }).sla.firstResponseMinutes).toBe(480);
  });
});
