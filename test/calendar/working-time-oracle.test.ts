import { expect } from 'chai';
import * as fc from 'fast-check';
import {
  WEEKDAYS,
  addWorkingMinutes,
  createCalendar,
  isOpen,
  nextOpening,
  workingMinutesBetween,
  type TimeRange,
} from '../../src/calendar/working-time.js';

// The laws say the functions agree with each other; this says they agree with the obvious, slow
// model: look at each minute's local wall time (instant → wall time only, never the reverse the
// module does) and ask whether that weekday's, holiday's or exception's ranges contain it.
//
// Zones: fixed offsets (WIB, WITA, WIT, and Kathmandu at +5:45) with any ranges, and two
// daylight-saving zones with ranges from 04:00 on, clear of the hours that are skipped or repeated
// (there the module's documented choices, shrink and first occurrence, differ from "per minute").

const FIXED = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'Asia/Kathmandu'];
const DST = ['Europe/Berlin', 'America/New_York'];
// Days near transitions (Berlin 29 Mar / 25 Oct 2026, New York 8 Mar / 1 Nov 2026) and ordinary ones.
const DAYS = ['2026-03-06', '2026-03-27', '2026-10-23', '2026-10-30', '2026-01-09', '2026-08-14', '2026-12-23'];

const time = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const toMinute = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));

const rangesArb = (from: number) =>
  fc.uniqueArray(fc.integer({ min: from, max: 1440 }), { maxLength: 6 }).map((minutes) => {
    const sorted = [...minutes].sort((a, b) => a - b);
    const ranges: TimeRange[] = [];
    for (let index = 0; index + 1 < sorted.length; index += 2)
      ranges.push([time(sorted[index]!), time(sorted[index + 1]!)]);
    return ranges;
  });

const caseArb = fc
  .oneof(fc.constant({ zones: FIXED, from: 0 }), fc.constant({ zones: DST, from: 240 }))
  .chain(({ zones, from }) =>
    fc
      .record({
        timeZone: fc.constantFrom(...zones),
        weekly: fc
          .array(rangesArb(from), { minLength: 7, maxLength: 7 })
          .filter((days) => days.some((ranges) => ranges.length > 0)),
        day: fc.constantFrom(...DAYS),
        // Holidays and exceptions as days after the first one, so that they land in the span and on each other.
        holidays: fc.uniqueArray(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }),
        exceptions: fc.array(fc.tuple(fc.integer({ min: -1, max: 3 }), rangesArb(from)), { maxLength: 3 }),
        minute: fc.integer({ min: 0, max: 1440 }),
        length: fc.integer({ min: 0, max: 2 * 1440 }),
      })
      .map(({ day, holidays, exceptions, minute, length, ...rest }) => ({
        ...rest,
        holidays: holidays.map((offset) => dateAfter(day, offset)),
        exceptions: exceptions.map(([offset, ranges]) => [dateAfter(day, offset), ranges] as [string, TimeRange[]]),
        start: Date.parse(`${day}T00:00:00Z`) + minute * 60_000,
        length,
      })),
  );

function dateAfter(day: string, offset: number): string {
  return new Date(Date.parse(day) + offset * 86_400_000).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  if (!formatters.has(timeZone)) {
    const options = {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    } as const;
    formatters.set(timeZone, new Intl.DateTimeFormat('en-CA', options));
  }
  return formatters.get(timeZone)!;
}

/** Whether the minute starting at `instant` is working time, per the plain rules. */
function modelOpen(
  model: { timeZone: string; weekly: TimeRange[][]; holidays: string[]; exceptions: Map<string, TimeRange[]> },
  instant: number,
): boolean {
  const parts = Object.fromEntries(
    formatter(model.timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  if (model.holidays.includes(date)) return false;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  const ranges = model.exceptions.get(date) ?? model.weekly[weekday]!;
  return ranges.some(([start, end]) => toMinute(start) <= minute && minute < toMinute(end));
}

describe('working time: against a minute-by-minute model (fast-check)', function () {
  // Hundreds of generated calendars per law: longer than mocha's default 2 s, even when run with --no-config.
  this.timeout(60_000);

  it('isOpen, workingMinutesBetween, addWorkingMinutes and nextOpening match the model', () => {
    fc.assert(
      fc.property(caseArb, ({ timeZone, weekly, holidays, exceptions, start, length }) => {
        const model = { timeZone, weekly, holidays, exceptions: new Map(exceptions) };
        const calendar = createCalendar({
          timeZone,
          weeklyHours: Object.fromEntries(WEEKDAYS.map((day, index) => [day, weekly[index]!])),
          holidays,
          exceptions,
        });
        const openMinutes: number[] = [];
        let previous: boolean | undefined;
        for (let minute = 0; minute < length; minute += 1) {
          const instant = start + minute * 60_000;
          const open = modelOpen(model, instant);
          // isOpen at every opening and closing (and their neighbours), and every 10th minute between.
          if (open !== previous || minute % 10 === 0) {
            expect(isOpen(calendar, new Date(instant)), new Date(instant).toISOString()).to.equal(open);
            expect(isOpen(calendar, new Date(instant - 1)), new Date(instant - 1).toISOString()).to.equal(
              previous ?? modelOpen(model, instant - 60_000),
            );
          }
          if (open) openMinutes.push(instant);
          previous = open;
        }
        const from = new Date(start);
        expect(workingMinutesBetween(calendar, from, new Date(start + length * 60_000))).to.equal(openMinutes.length);
        openMinutes.forEach((instant, index) => {
          // The (index + 1)th working minute ends one minute after it starts.
          if (index % 37 === 0 || index === openMinutes.length - 1) {
            expect(addWorkingMinutes(calendar, from, index + 1).getTime()).to.equal(instant + 60_000);
          }
        });
        if (openMinutes.length > 0) expect(nextOpening(calendar, from).getTime()).to.equal(openMinutes[0]);
      }),
      { numRuns: 100 },
    );
  });
});
