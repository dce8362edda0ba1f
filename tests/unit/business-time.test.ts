import { describe, expect, it } from 'vitest';
import { createBusinessClock, type BusinessHours } from '../../src/domain/business-time.js';
import { createHolidayCalendar } from '../../src/domain/holidays.js';

const MON_FRI_9_18: BusinessHours = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 };
const EVERY_DAY_ALL_DAY: BusinessHours = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 0, endMinute: 1440 };

/** Yerevan is UTC+4 all year: local wall time → instant. */
const yerevan = (local: string): Date => new Date(`${local}+04:00`);

describe('createBusinessClock in Asia/Yerevan, Mon–Fri 09:00–18:00', () => {
  const clock = createBusinessClock({ timezone: 'Asia/Yerevan', hours: MON_FRI_9_18, holidays: createHolidayCalendar([]) });

  describe('businessMinutesBetween', () => {
    it('counts time inside one working day', () => {
      expect(clock.businessMinutesBetween(yerevan('2026-05-04T10:00'), yerevan('2026-05-04T12:30'))).toBe(150);
    });

    it('skips the weekend', () => {
      // Friday 17:00 → Monday 10:00: one hour on Friday, one on Monday.
      expect(clock.businessMinutesBetween(yerevan('2026-05-08T17:00'), yerevan('2026-05-11T10:00'))).toBe(120);
    });

    it('skips a holiday', () => {
      // Friday 24 April 2026 is a day off: Thursday 17:00 → Monday 10:00 is two hours.
      expect(clock.businessMinutesBetween(yerevan('2026-04-23T17:00'), yerevan('2026-04-27T10:00'))).toBe(120);
    });

    it('skips the configured extra days off', () => {
      const withExtra = createBusinessClock({
        timezone: 'Asia/Yerevan',
        hours: MON_FRI_9_18,
        holidays: createHolidayCalendar(['2026-05-04']),
      });
      expect(clock.businessMinutesBetween(yerevan('2026-05-04T00:00'), yerevan('2026-05-05T10:00'))).toBe(540 + 60);
      expect(withExtra.businessMinutesBetween(yerevan('2026-05-04T00:00'), yerevan('2026-05-05T10:00'))).toBe(60);
    });

    it('counts work that starts at night from the next opening', () => {
      expect(clock.businessMinutesBetween(yerevan('2026-05-05T02:00'), yerevan('2026-05-05T10:30'))).toBe(90);
      expect(clock.businessMinutesBetween(yerevan('2026-05-05T20:00'), yerevan('2026-05-06T07:00'))).toBe(0);
      expect(clock.businessMinutesBetween(yerevan('2026-05-09T23:00'), yerevan('2026-05-11T09:45'))).toBe(45);
    });

    it('is 0 when the end is not after the start', () => {
      expect(clock.businessMinutesBetween(yerevan('2026-05-05T12:00'), yerevan('2026-05-05T12:00'))).toBe(0);
      expect(clock.businessMinutesBetween(yerevan('2026-05-05T12:00'), yerevan('2026-05-05T11:00'))).toBe(0);
    });

    it('does not round: 30 seconds are half a minute', () => {
      expect(clock.businessMinutesBetween(yerevan('2026-05-05T12:00:00'), yerevan('2026-05-05T12:00:30'))).toBe(0.5);
    });

    it('uses the New Year calendar of each year', () => {
      // 30 Dec 18:00 → 9 Jan 18:00. 2025/26: 5, 7, 8, 9 January are working days (6 is off).
      expect(clock.businessMinutesBetween(yerevan('2025-12-30T18:00'), yerevan('2026-01-09T18:00'))).toBe(4 * 540);
      // 2020/21: 1–7 January are all off; 8 January (Friday) is the only working day.
      expect(clock.businessMinutesBetween(yerevan('2020-12-30T18:00'), yerevan('2021-01-09T18:00'))).toBe(540);
    });

    it('knows a whole year: 254 working days in 2022', () => {
      // 260 weekdays, less 6 January, 28 January, 8 March, 9 May, 5 July and 21 September.
      expect(clock.businessMinutesBetween(yerevan('2022-01-01T00:00'), yerevan('2023-01-01T00:00'))).toBe(254 * 540);
    });

    it('agrees with a half-hour-by-half-hour count over five years', () => {
      const holidays = createHolidayCalendar([]);
      const from = yerevan('2021-01-01T00:00');
      const to = yerevan('2026-01-01T00:00');
      let expected = 0;
      for (let t = from.getTime(); t < to.getTime(); t += 30 * 60_000) {
        const local = new Date(t + 4 * 3_600_000); // Yerevan has no DST since 2012.
        const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
        const open =
          local.getUTCDay() >= 1 &&
          local.getUTCDay() <= 5 &&
          minute >= 540 &&
          minute < 1080 &&
          !holidays.isHoliday(local.toISOString().slice(0, 10));
        if (open) expected += 30;
      }
      expect(expected).toBeGreaterThan(5 * 240 * 540);
      expect(clock.businessMinutesBetween(from, to)).toBe(expected);
    });
  });

  describe('addBusinessMinutes', () => {
    it('carries the remainder over the weekend (an SLA due time)', () => {
      expect(clock.addBusinessMinutes(yerevan('2026-05-08T17:00'), 480)).toEqual(yerevan('2026-05-11T16:00'));
    });

    it('carries it over a holiday', () => {
      expect(clock.addBusinessMinutes(yerevan('2026-04-23T17:00'), 120)).toEqual(yerevan('2026-04-27T10:00'));
    });

    it('starts counting at the next opening when posted at night', () => {
      expect(clock.addBusinessMinutes(yerevan('2026-05-09T23:00'), 60)).toEqual(yerevan('2026-05-11T10:00'));
      expect(clock.addBusinessMinutes(yerevan('2026-05-05T05:00'), 30)).toEqual(yerevan('2026-05-05T09:30'));
    });

    it('ends at closing time when the minutes run out exactly then', () => {
      expect(clock.addBusinessMinutes(yerevan('2026-05-04T09:00'), 540)).toEqual(yerevan('2026-05-04T18:00'));
      expect(clock.addBusinessMinutes(yerevan('2026-05-04T09:00'), 541)).toEqual(yerevan('2026-05-05T09:01'));
    });

    it('returns the start for 0 minutes and refuses negative ones', () => {
      expect(clock.addBusinessMinutes(yerevan('2026-05-09T23:00'), 0)).toEqual(yerevan('2026-05-09T23:00'));
      expect(() => clock.addBusinessMinutes(yerevan('2026-05-04T09:00'), -1)).toThrow(RangeError);
      expect(() => clock.addBusinessMinutes(yerevan('2026-05-04T09:00'), Number.NaN)).toThrow(RangeError);
    });

    it('is the inverse of businessMinutesBetween', () => {
      const starts = ['2026-05-08T17:59', '2026-04-23T12:34', '2025-12-30T03:00', '2026-05-10T12:00', '2026-05-05T18:00'];
      for (const start of starts) {
        for (const minutes of [1, 59.5, 480, 540, 2000, 100_000]) {
          const due = clock.addBusinessMinutes(yerevan(start), minutes);
          expect(clock.businessMinutesBetween(yerevan(start), due)).toBeCloseTo(minutes, 9);
        }
      }
    });

    it('walks five years of business time day by day', () => {
      const from = yerevan('2021-01-01T00:00');
      const minutes = clock.businessMinutesBetween(from, yerevan('2026-01-01T00:00'));
      // Five years' worth of minutes run out at the last closing before 2026.
      expect(clock.addBusinessMinutes(from, minutes)).toEqual(yerevan('2025-12-30T18:00'));
    });
  });

  describe('isOpen and nextOpening', () => {
    it('is open from opening (included) to closing (excluded) on working days', () => {
      expect(clock.isOpen(yerevan('2026-05-04T09:00'))).toBe(true);
      expect(clock.isOpen(yerevan('2026-05-04T17:59'))).toBe(true);
      expect(clock.isOpen(yerevan('2026-05-04T18:00'))).toBe(false);
      expect(clock.isOpen(yerevan('2026-05-04T08:59'))).toBe(false);
      expect(clock.isOpen(yerevan('2026-05-09T12:00'))).toBe(false); // Saturday
      expect(clock.isOpen(yerevan('2026-04-24T12:00'))).toBe(false); // 24 April
    });

    it('gives the instant itself when open, else the next opening', () => {
      expect(clock.nextOpening(yerevan('2026-05-04T11:11'))).toEqual(yerevan('2026-05-04T11:11'));
      expect(clock.nextOpening(yerevan('2026-05-04T06:00'))).toEqual(yerevan('2026-05-04T09:00'));
      expect(clock.nextOpening(yerevan('2026-05-08T18:00'))).toEqual(yerevan('2026-05-11T09:00'));
      // 31 Dec, 1–2 Jan off, then the weekend: Monday 5 January 2026.
      expect(clock.nextOpening(yerevan('2025-12-30T18:00'))).toEqual(yerevan('2026-01-05T09:00'));
      // In 2021 all of 1–7 January were off.
      expect(clock.nextOpening(yerevan('2020-12-30T18:00'))).toEqual(yerevan('2021-01-08T09:00'));
    });
  });

  it('refuses hours that can never open and unknown zones', () => {
    const holidays = createHolidayCalendar([]);
    expect(() => createBusinessClock({ timezone: 'Asia/Yerevan', hours: { days: [], startMinute: 540, endMinute: 1080 }, holidays })).toThrow(
      RangeError,
    );
    expect(() =>
      createBusinessClock({ timezone: 'Asia/Yerevan', hours: { days: [1], startMinute: 600, endMinute: 600 }, holidays }),
    ).toThrow(RangeError);
    expect(() => createBusinessClock({ timezone: 'Mars/Olympus', hours: MON_FRI_9_18, holidays })).toThrow(/IANA/);
  });
});

describe('createBusinessClock in a zone with DST (Europe/Berlin)', () => {
  const holidays = createHolidayCalendar([]);
  const berlin = createBusinessClock({ timezone: 'Europe/Berlin', hours: MON_FRI_9_18, holidays });

  it('opens at 09:00 local time on both sides of the spring change', () => {
    // Friday 27 March 2026 17:00 CET (16:00Z) → Monday 30 March 10:00 CEST (08:00Z).
    expect(berlin.businessMinutesBetween(new Date('2026-03-27T16:00:00Z'), new Date('2026-03-30T08:00:00Z'))).toBe(120);
    expect(berlin.nextOpening(new Date('2026-03-27T17:00:00Z'))).toEqual(new Date('2026-03-30T07:00:00Z'));
  });

  it('opens at 09:00 local time on both sides of the autumn change', () => {
    // Friday 23 October 2026 17:00 CEST (15:00Z) + 2 h → Monday 26 October 10:00 CET (09:00Z).
    expect(berlin.addBusinessMinutes(new Date('2026-10-23T15:00:00Z'), 120)).toEqual(new Date('2026-10-26T09:00:00Z'));
    expect(berlin.isOpen(new Date('2026-10-26T07:30:00Z'))).toBe(false); // 08:30 CET
    expect(berlin.isOpen(new Date('2026-10-26T08:00:00Z'))).toBe(true); // 09:00 CET
  });

  it('counts the real length of days whose clocks change', () => {
    const allDay = createBusinessClock({ timezone: 'Europe/Berlin', hours: EVERY_DAY_ALL_DAY, holidays });
    // Local midnight 28 March → local midnight 30 March: 24 h + 23 h.
    expect(allDay.businessMinutesBetween(new Date('2026-03-27T23:00:00Z'), new Date('2026-03-29T22:00:00Z'))).toBe(47 * 60);
    // Local midnight 25 October → local midnight 26 October: 25 h.
    expect(allDay.businessMinutesBetween(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T23:00:00Z'))).toBe(25 * 60);
  });

  it('moves an opening time that the clocks skip to just after the gap', () => {
    // 02:00–04:00 every day; on 29 March 2026 02:00 does not exist, so the window is 03:00–04:00 CEST.
    const night = createBusinessClock({
      timezone: 'Europe/Berlin',
      hours: { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 120, endMinute: 240 },
      holidays,
    });
    expect(night.businessMinutesBetween(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-29T12:00:00Z'))).toBe(60);
    expect(night.nextOpening(new Date('2026-03-28T12:00:00Z'))).toEqual(new Date('2026-03-29T01:00:00Z'));
  });
});
