import { expect } from 'chai';
import fc from 'fast-check';
import { createCalendar, defaultCalendar, type Calendar } from '../../src/calendar/calendar.js';
import { isOpen, workingMinutesBetween } from '../../src/calendar/working-time.js';
import { nextAttemptAt, parseRetryDelays, type RetryDelay } from '../../src/tasks/retry-policy.js';

// The worked examples (30m, 2h, next working day; lunch, weekend, holidays) are in
// test/channels/twilio-voice.test.ts; these are the laws behind them, on any policy and instant.
// fast-check prints the seed and the shrunk counterexample when a law fails.

const CALENDARS: Record<string, Calendar> = {
  'government hours, WITA, 2026 holidays': defaultCalendar(),
  'a Jakarta counter open at night': createCalendar({
    timeZone: 'Asia/Jakarta',
    weeklyHours: { mon: [['20:00', '23:30']], wed: [['00:00', '06:00']], sat: [['09:00', '12:00']] },
  }),
  'Berlin, across daylight saving': createCalendar({
    timeZone: 'Europe/Berlin',
    weeklyHours: { mon: [['08:00', '12:00']], thu: [['13:30', '17:00']] },
    holidays: ['2026-03-30', '2026-10-26'],
  }),
};
const calendarArb = fc.constantFrom(...Object.keys(CALENDARS)).map((name) => CALENDARS[name]!);
const instantArb = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
  .map((ms) => new Date(ms));
const delayArb: fc.Arbitrary<RetryDelay> = fc.oneof(
  fc.integer({ min: 0, max: 5000 }).map((minutes) => ({ minutes })),
  fc.constant('next_working_day' as const),
);
const delaysArb = fc.array(delayArb, { maxLength: 6 });
const runs = { numRuns: 300 };

/** The calendar's own date of an instant, as YYYY-MM-DD (which sorts as dates do). */
const localDate = (calendar: Calendar, at: Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: calendar.timeZone }).format(at);

/** A delay as CALLBACK_RETRY_DELAYS writes it, in hours when it can be. */
const written = (delay: RetryDelay, inHours: boolean): string =>
  delay === 'next_working_day'
    ? delay
    : inHours && delay.minutes % 60 === 0
      ? `${delay.minutes / 60}h`
      : `${delay.minutes}m`;

describe('Call-back retry policy: laws (src/tasks/retry-policy.ts)', function () {
  this.timeout(60_000);

  it('reads back any policy it is written as, in minutes or hours, with spaces and empty entries ignored', () => {
    fc.assert(
      fc.property(delaysArb, fc.boolean(), fc.constantFrom(',', ' , ', ',,', ', '), (delays, inHours, separator) => {
        const setting = ` ${delays.map((delay) => written(delay, inHours)).join(separator)} `;
        expect(parseRetryDelays(setting)).to.deep.equal(delays);
      }),
      runs,
    );
  });

  it('refuses any entry that is not minutes, hours or next_working_day, naming it', () => {
    const bad = fc
      .string({ minLength: 1, maxLength: 12 })
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '' && !entry.includes(',') && !/^(\d+[mh]|next_working_day)$/.test(entry));
    fc.assert(
      fc.property(delaysArb, bad, (delays, entry) => {
        const setting = [...delays.map((delay) => written(delay, false)), entry].join(',');
        expect(() => parseRetryDelays(setting)).to.throw(Error, entry);
      }),
      runs,
    );
  });

  it('has a retry after attempts 1 to N of an N-wait policy and none after any other count', () => {
    fc.assert(
      fc.property(delaysArb, fc.integer({ min: -1, max: 8 }), calendarArb, instantArb, (delays, made, calendar, at) => {
        const next = nextAttemptAt(delays, made, calendar, at);
        expect(next === undefined, `after ${made} of ${delays.length}`).to.equal(made < 1 || made > delays.length);
      }),
      runs,
    );
  });

  it("uses the wait of this attempt's rank only", () => {
    fc.assert(
      fc.property(
        delaysArb.filter((delays) => delays.length > 0),
        calendarArb,
        instantArb,
        (delays, calendar, at) => {
          delays.forEach((delay, index) => {
            expect(nextAttemptAt(delays, index + 1, calendar, at)).to.deep.equal(
              nextAttemptAt([delay], 1, calendar, at),
            );
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a wait in minutes is never shortened, and lands on the first working instant after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), calendarArb, instantArb, (minutes, calendar, at) => {
        const waited = new Date(at.getTime() + minutes * 60_000);
        const next = nextAttemptAt([{ minutes }], 1, calendar, at)!;
        expect(next.getTime()).to.be.at.least(waited.getTime());
        expect(isOpen(calendar, next), 'a retry is in working hours').to.equal(true);
        // Nobody is there between the end of the wait and the retry: it is not put off further.
        expect(workingMinutesBetween(calendar, waited, next)).to.equal(0);
        if (isOpen(calendar, waited)) expect(next).to.deep.equal(waited);
      }),
      runs,
    );
  });

  it('"the next working day" is the opening of a working day, never before the attempt nor inside its own day\'s hours', () => {
    fc.assert(
      fc.property(calendarArb, instantArb, (calendar, at) => {
        const next = nextAttemptAt(['next_working_day'], 1, calendar, at)!;
        expect(next.getTime()).to.be.at.least(at.getTime());
        expect(isOpen(calendar, next)).to.equal(true);
        // An opening: the office was closed the minute before (no calendar here has hours across midnight).
        expect(isOpen(calendar, new Date(next.getTime() - 60_000))).to.equal(false);
        // Made during working hours: a later day, not the same day's next span (10:00 is retried tomorrow, not at 13:00).
        if (isOpen(calendar, at)) expect(localDate(calendar, next) > localDate(calendar, at)).to.equal(true);
      }),
      runs,
    );
  });
});
