import { expect } from 'chai';
import {
  CalendarError,
  GOVERNMENT_HOURS,
  WEEKDAYS,
  addWorkingDays,
  addWorkingMinutes,
  createCalendar,
  isOpen,
  nextOpening,
  startOfNextWorkingDay,
  workingMinutesBetween,
  type TimeRange,
} from '../../src/calendar/working-time.js';
import { addDays, weekdayOf } from '../../src/calendar/local-time.js';

const iso = (date: Date) => date.toISOString();
const utc = (text: string) => new Date(`${text}Z`);

/** Shorter hours for every date from `from` to `to`, by weekday (as an administrator enters Ramadan). */
function datedHours(
  from: string,
  to: string,
  byWeekday: Partial<Record<number, TimeRange[]>>,
): [string, TimeRange[]][] {
  const result: [string, TimeRange[]][] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const hours = byWeekday[weekdayOf(date)];
    if (hours) result.push([date, hours]);
  }
  return result;
}

describe('working time: calendars, zones and exceptions', () => {
  it('government hours add up to 37.5 hours a week, 7.5 every weekday', () => {
    const minutes = (ranges: readonly TimeRange[]) =>
      ranges.reduce((sum, [start, end]) => sum + toMinutes(end) - toMinutes(start), 0);
    const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
    expect(WEEKDAYS.map((day) => minutes(GOVERNMENT_HOURS[day]))).to.deep.equal([0, 450, 450, 450, 450, 450, 0]);
    // A week with no holiday, measured rather than summed: Monday 5 January 2026 00:00 WITA, 7 days.
    const calendar = createCalendar();
    expect(workingMinutesBetween(calendar, utc('2026-01-04T16:00'), utc('2026-01-11T16:00'))).to.equal(2250);
  });

  it('reads the same instant in WIB, WITA and WIT', () => {
    const [wib, wita, wit] = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'].map((timeZone) =>
      createCalendar({ timeZone }),
    );
    // Wed 7 Jan 2026 06:45 WIB = 07:45 WITA = 08:45 WIT.
    const instant = utc('2026-01-06T23:45');
    expect([wib, wita, wit].map((calendar) => isOpen(calendar!, instant))).to.deep.equal([false, true, true]);
    expect(iso(nextOpening(wib!, instant))).to.equal(iso(utc('2026-01-07T00:30')));
    expect([wib, wita, wit].map((calendar) => iso(addWorkingMinutes(calendar!, instant, 30)))).to.deep.equal([
      '2026-01-07T01:00:00.000Z', // 08:00 WIB
      '2026-01-07T00:15:00.000Z', // 08:15 WITA
      '2026-01-07T00:15:00.000Z', // 09:15 WIT
    ]);
    // 00:00Z–09:00Z is 07:00–16:00 WIB (450), 08:00–17:00 WITA (240 + 180), 09:00–18:00 WIT (180 + 180).
    expect(
      [wib, wita, wit].map((calendar) =>
        workingMinutesBetween(calendar!, utc('2026-01-07T00:00'), utc('2026-01-07T09:00')),
      ),
    ).to.deep.equal([450, 420, 360]);
    // Thu 8 Jan 16:30Z is Thursday 23:30 WIB but already Friday 00:30 WITA and 01:30 WIT.
    const lateNight = utc('2026-01-08T16:30');
    expect([wib, wita, wit].map((calendar) => iso(addWorkingDays(calendar!, lateNight, 1)))).to.deep.equal([
      '2026-01-09T09:30:00.000Z', // Friday 16:30 WIB
      '2026-01-09T08:30:00.000Z', // Friday 16:30 WITA
      '2026-01-09T07:30:00.000Z', // Friday 16:30 WIT
    ]);
  });

  it('counts real time across daylight-saving changes (Europe/Berlin)', () => {
    const always = createCalendar({ timeZone: 'Europe/Berlin', weeklyHours: { sun: [['00:00', '24:00']] } });
    // Sunday 29 March 2026 has 23 hours, Sunday 25 October 25.
    expect(workingMinutesBetween(always, utc('2026-03-28T12:00'), utc('2026-03-30T12:00'))).to.equal(23 * 60);
    expect(workingMinutesBetween(always, utc('2026-10-24T12:00'), utc('2026-10-26T12:00'))).to.equal(25 * 60);
    const office = createCalendar({
      timeZone: 'Europe/Berlin',
      weeklyHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [['09:00', '17:00']]])),
    });
    // Fri 27 Mar 16:00 CET (15:00Z) + 120: 60 on Friday, then Mon 30 Mar 09:00 CEST (07:00Z) + 60.
    expect(iso(addWorkingMinutes(office, utc('2026-03-27T15:00'), 120))).to.equal('2026-03-30T08:00:00.000Z');
    expect(iso(nextOpening(office, utc('2026-10-23T16:00')))).to.equal('2026-10-26T08:00:00.000Z'); // 09:00 CET
    // Hours inside the skipped hour (02:00–03:00 on 29 March) shrink to what really exists.
    const night = createCalendar({
      timeZone: 'Europe/Berlin',
      weeklyHours: {
        sun: [
          ['01:00', '02:30'],
          ['02:45', '04:00'],
        ],
      },
    });
    expect(workingMinutesBetween(night, utc('2026-03-28T00:00'), utc('2026-03-30T00:00'))).to.equal(120);
    // A repeated wall time (02:00–03:00 twice on 25 October) starts at its first occurrence:
    // 02:30 CEST (00:30Z) to 04:00 CET (03:00Z) is 150 minutes.
    const early = createCalendar({ timeZone: 'Europe/Berlin', weeklyHours: { sun: [['02:30', '04:00']] } });
    expect(workingMinutesBetween(early, utc('2026-10-24T12:00'), utc('2026-10-25T12:00'))).to.equal(150);
    expect(iso(nextOpening(early, utc('2026-10-24T12:00')))).to.equal('2026-10-25T00:30:00.000Z');
  });

  it('applies shorter Ramadan hours from dated exceptions', () => {
    // An example of shorter hours for Ramadan 1447 H (19 February – 19 March 2026): Mon–Thu
    // 08:00–12:00 + 12:30–15:00, Fri 08:00–11:30 + 12:30–15:30 (6.5 h a day).
    const ramadan = datedHours('2026-02-19', '2026-03-19', {
      1: [
        ['08:00', '12:00'],
        ['12:30', '15:00'],
      ],
      2: [
        ['08:00', '12:00'],
        ['12:30', '15:00'],
      ],
      3: [
        ['08:00', '12:00'],
        ['12:30', '15:00'],
      ],
      4: [
        ['08:00', '12:00'],
        ['12:30', '15:00'],
      ],
      5: [
        ['08:00', '11:30'],
        ['12:30', '15:30'],
      ],
    });
    const calendar = createCalendar({
      timeZone: 'Asia/Makassar',
      holidays: ['2026-03-18', '2026-03-19'],
      exceptions: ramadan,
    });
    const wita = (local: string) => new Date(`${local}+08:00`);
    // Tue 24 Feb 14:30 + 60: 30 until 15:00, then Wed 25 Feb 08:00 + 30.
    expect(iso(addWorkingMinutes(calendar, wita('2026-02-24T14:30'), 60))).to.equal(iso(wita('2026-02-25T08:30')));
    expect(isOpen(calendar, wita('2026-02-24T07:45'))).to.equal(false);
    expect(isOpen(calendar, wita('2026-02-24T12:15'))).to.equal(false);
    expect(isOpen(calendar, wita('2026-02-18T07:45'))).to.equal(true); // the day before Ramadan
    // A shorter day is still one working day, ending at its own closing.
    expect(iso(addWorkingDays(calendar, wita('2026-02-24T15:30'), 1))).to.equal(iso(wita('2026-02-25T15:00')));
    expect(workingMinutesBetween(calendar, wita('2026-02-23T00:00'), wita('2026-02-28T00:00'))).to.equal(5 * 390);
    // The cuti bersama and Nyepi inside the Ramadan dates stay closed: Tue 17 Mar 14:30–15:00, then
    // Friday 20 March, past Ramadan, on government hours again: 07:30–08:00.
    expect(iso(addWorkingMinutes(calendar, wita('2026-03-17T14:30'), 60))).to.equal(iso(wita('2026-03-20T08:00')));
  });

  it('an exception closes a working day (a regional day off), opens a Saturday, never a holiday', () => {
    const wita = (local: string) => new Date(`${local}+08:00`);
    const calendar = createCalendar({
      holidays: ['2026-08-17'],
      exceptions: { '2026-08-18': [], '2026-08-17': [['08:00', '12:00']], '2026-08-22': [['08:00', '12:00']] },
    });
    expect(isOpen(calendar, wita('2026-08-18T09:00'))).to.equal(false);
    expect(isOpen(calendar, wita('2026-08-17T09:00'))).to.equal(false); // Ramadan-style hours must not open a holiday
    expect(isOpen(calendar, wita('2026-08-22T09:00'))).to.equal(true); // a Saturday service day
    expect(iso(startOfNextWorkingDay(calendar, wita('2026-08-14T09:00')))).to.equal(iso(wita('2026-08-19T07:30')));
  });

  it('throws a clear error, not an endless loop, when a calendar never opens', () => {
    const closed = createCalendar({ weeklyHours: {} });
    const at = utc('2026-01-07T00:00');
    for (const call of [
      () => nextOpening(closed, at),
      () => addWorkingMinutes(closed, at, 1),
      () => addWorkingDays(closed, at, 1),
      () => startOfNextWorkingDay(closed, at),
    ]) {
      expect(call).to.throw(CalendarError, /never opens/);
    }
    expect(isOpen(closed, at)).to.equal(false);
    expect(workingMinutesBetween(closed, at, utc('2027-01-07T00:00'))).to.equal(0);
    // Only dated hours: usable up to the last of them, then an error.
    const once = createCalendar({ weeklyHours: {}, exceptions: { '2026-02-02': [['08:00', '09:00']] } });
    expect(iso(addWorkingMinutes(once, at, 60))).to.equal('2026-02-02T01:00:00.000Z');
    expect(() => addWorkingMinutes(once, at, 61)).to.throw(CalendarError, /after 2026-02-02/);
    // Weekly hours but more than a year of closed exceptions: an error as well.
    const shut = createCalendar({
      exceptions: datedHours('2026-01-01', '2027-03-01', { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] }),
    });
    expect(() => nextOpening(shut, at)).to.throw(CalendarError, /closed for more than 366 days/);
  });

  it('refuses invalid calendars with a CalendarError', () => {
    expect(() => createCalendar({ timeZone: 'Asia/Atlantis' })).to.throw(CalendarError, /time zone/);
    expect(() => createCalendar({ weeklyHours: { mon: [['07:30', '25:00']] } })).to.throw(CalendarError, /HH:MM/);
    expect(() => createCalendar({ weeklyHours: { mon: [['16:00', '07:30']] } })).to.throw(CalendarError, /end after/);
    expect(() =>
      createCalendar({
        weeklyHours: {
          mon: [
            ['07:30', '12:30'],
            ['12:00', '16:00'],
          ],
        },
      }),
    ).to.throw(CalendarError, /overlap/);
    expect(() => createCalendar({ holidays: ['2026-02-30'] })).to.throw(CalendarError, /date/);
    expect(() => createCalendar({ exceptions: { '2026-02-01': 'closed' as unknown as TimeRange[] } })).to.throw(
      CalendarError,
      /pairs/,
    );
    // Touching ranges are one: no closing and reopening at 12:00.
    const merged = createCalendar({
      weeklyHours: {
        mon: [
          ['12:00', '16:00'],
          ['07:30', '12:00'],
        ],
      },
    });
    expect(isOpen(merged, new Date('2026-01-05T12:00:00+08:00'))).to.equal(true);
  });
});
