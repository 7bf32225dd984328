import { CalendarError, compileCalendar, type Calendar, type CompiledCalendar } from './calendar.js';
import { DAY_MS, MINUTE_MS, addDays, localDate, localTimesToInstants, weekdayOf } from './local-time.js';

export {
  CalendarError,
  DEFAULT_TIME_ZONE,
  GOVERNMENT_HOURS,
  WEEKDAYS,
  createCalendar,
  defaultCalendar,
  type Calendar,
  type CalendarInput,
  type TimeRange,
  type Weekday,
  type WeeklyHours,
} from './calendar.js';

/**
 * Working-time arithmetic: every deadline of Satu Pintu (SLA clocks, clarification reminders,
 * auto-finish after 10 working days, call-back retries) goes through these few functions.
 *
 * Working time is real elapsed time inside the calendar's open intervals: an interval's local ends
 * are turned into instants for its date, so a day on which clocks change counts the hours that
 * really passed. Intervals are half-open [opening, closing): open at 07:30:00.000, closed at 16:00.
 * The scans go interval by interval and day by day, never minute by minute.
 */

/** A year without one working minute is a misconfigured calendar, not a long holiday. */
export const MAX_CLOSED_DAYS = 366;
/** No deadline is a century away; refusing longer spans keeps every call bounded. */
export const MAX_SPAN_DAYS = 100 * 366;
const DAY_CACHE_LIMIT = 4096;

type Span = readonly [start: number, end: number];

/** The open intervals of one local date, as instants, in order. */
function daySpans(calendar: CompiledCalendar, date: string): readonly Span[] {
  const cached = calendar.dayCache.get(date);
  if (cached) return cached;
  const ranges = calendar.holidays.has(date)
    ? []
    : (calendar.exceptions.get(date) ?? calendar.weekly[weekdayOf(date)]!);
  const instants = ranges.length === 0 ? [] : localTimesToInstants(calendar.timeZone, date, ranges.flat());
  const spans: Span[] = [];
  for (let index = 0; index < instants.length; index += 2) {
    const [start, end] = [instants[index]!, instants[index + 1]!];
    if (end > start) spans.push([start, end]); // a range inside a skipped hour is empty
  }
  if (calendar.dayCache.size >= DAY_CACHE_LIMIT) calendar.dayCache.clear();
  calendar.dayCache.set(date, spans);
  return spans;
}

/**
 * Visits the working days from the local date of `from` onwards (from the day before, in case a
 * zone's midnight falls in a transition), with their spans, until `visit` returns true. With
 * `until`, the scan stops after the local date of `until`; without, it throws CalendarError when
 * the calendar will never open again, instead of looping for ever.
 */
function scanWorkingDays(
  calendar: CompiledCalendar,
  from: number,
  until: number | undefined,
  visit: (spans: readonly Span[]) => boolean,
): void {
  let date = addDays(localDate(calendar.timeZone, from), -1);
  const lastDate = until === undefined ? undefined : addDays(localDate(calendar.timeZone, until), 1);
  let closedRun = 0;
  for (let scanned = 0; lastDate === undefined || date <= lastDate; scanned += 1, date = addDays(date, 1)) {
    if (scanned > MAX_SPAN_DAYS) throw new RangeError(`Working-time span longer than ${MAX_SPAN_DAYS} days`);
    const spans = daySpans(calendar, date);
    if (spans.length > 0) {
      closedRun = 0;
      if (visit(spans)) return;
    } else if (until === undefined) {
      if (calendar.weeklyClosed && (calendar.lastOpenException === null || date > calendar.lastOpenException)) {
        const after = calendar.lastOpenException ? ` and no dated hours after ${calendar.lastOpenException}` : '';
        throw new CalendarError(`The calendar never opens: no weekday has working hours${after}`);
      }
      closedRun += 1;
      if (closedRun > MAX_CLOSED_DAYS)
        throw new CalendarError(`The calendar is closed for more than ${MAX_CLOSED_DAYS} days in a row, up to ${date}`);
    }
  }
}

function instantOf(value: Date, name: string): number {
  const instant = value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not a valid Date`);
  return instant;
}

/** Whether the office is working at this instant (openings included, closings excluded). */
export function isOpen(calendar: Calendar, at: Date): boolean {
  const compiled = compileCalendar(calendar);
  const instant = instantOf(at, 'at');
  const today = localDate(compiled.timeZone, instant);
  return [addDays(today, -1), today].some((date) =>
    daySpans(compiled, date).some(([start, end]) => start <= instant && instant < end),
  );
}

/** `at` itself when open, else the next opening. Throws CalendarError when the calendar never opens. */
export function nextOpening(calendar: Calendar, at: Date): Date {
  const instant = instantOf(at, 'at');
  let result = NaN;
  scanWorkingDays(compileCalendar(calendar), instant, undefined, (spans) => {
    const span = spans.find(([, end]) => end > instant);
    if (span) result = Math.max(span[0], instant);
    return span !== undefined;
  });
  return new Date(result);
}

/**
 * The earliest instant by which `minutes` working minutes have passed since `at`: inside an open
 * interval or exactly at its closing (a deadline falling at the end of a day is that day's 16:00,
 * not the next morning's 07:30). 0 minutes returns `at` unchanged, open or not. Minutes are counted
 * to the millisecond and must be finite and not negative.
 */
export function addWorkingMinutes(calendar: Calendar, at: Date, minutes: number): Date {
  const instant = instantOf(at, 'at');
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError(`Working minutes must be a finite number ≥ 0, not ${minutes}`);
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0) return new Date(instant);
  let result = NaN;
  scanWorkingDays(compileCalendar(calendar), instant, undefined, (spans) => {
    for (const [spanStart, end] of spans) {
      if (end <= instant) continue;
      const start = Math.max(spanStart, instant);
      if (remaining <= end - start) {
        result = start + remaining;
        return true;
      }
      remaining -= end - start;
    }
    return false;
  });
  return new Date(result);
}

/**
 * Working minutes from `from` to `to` (fractional when the instants have seconds). Antisymmetric:
 * negative when `to` is before `from`, so "time left until a deadline" turns negative once overdue;
 * 0 when they are equal or only closed time lies between them.
 */
export function workingMinutesBetween(calendar: Calendar, from: Date, to: Date): number {
  const [start, end] = [instantOf(from, 'from'), instantOf(to, 'to')];
  if (end < start) return -workingMinutesBetween(calendar, to, from);
  if (end - start > MAX_SPAN_DAYS * DAY_MS) throw new RangeError(`Working-time span longer than ${MAX_SPAN_DAYS} days`);
  let total = 0;
  scanWorkingDays(compileCalendar(calendar), start, end, (spans) => {
    for (const [spanStart, spanEnd] of spans) {
      if (spanStart >= end) return true;
      total += Math.max(0, Math.min(spanEnd, end) - Math.max(spanStart, start));
    }
    return false;
  });
  return total / MINUTE_MS;
}

/**
 * The deadline of "within N working days" (SP4N-LAPOR!, UU KIP): the closing of the Nth whole working
 * day after `at`. A working day counts when it opens at or after `at`; the day the request arrives
 * counts only if it arrived before that day's opening, so the office always has N full days.
 * Received Friday 15:00, 3 working days → Monday, Tuesday, Wednesday → Wednesday 16:00; received
 * Monday 06:00 → Monday, Tuesday, Wednesday → the same Wednesday 16:00. A day with shorter hours
 * (an exception) counts as one day and ends at its own closing. 0 days returns `at` unchanged.
 * Chaining holds: adding n1 ≥ 1 days then n2 equals adding n1 + n2.
 */
export function addWorkingDays(calendar: Calendar, at: Date, days: number): Date {
  const instant = instantOf(at, 'at');
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Working days must be a whole number ≥ 0, not ${days}`);
  if (days === 0) return new Date(instant);
  let counted = 0;
  let result = NaN;
  scanWorkingDays(compileCalendar(calendar), instant, undefined, (spans) => {
    if (spans[0]![0] < instant) return false;
    counted += 1;
    result = spans[spans.length - 1]![1];
    return counted === days;
  });
  return new Date(result);
}

/**
 * The working days left from `at` until `due`, as a citizen counts them on a tracking page: every
 * working day with working time still ahead of `at` and opening before `due`. Today counts while
 * the office is still to close; 0 once the deadline has passed. Received Friday 15:00 with a
 * deadline on Wednesday 16:00: Friday, Monday, Tuesday, Wednesday → 4.
 */
export function workingDaysLeft(calendar: Calendar, at: Date, due: Date): number {
  const [start, end] = [instantOf(at, 'at'), instantOf(due, 'due')];
  if (end <= start) return 0;
  if (end - start > MAX_SPAN_DAYS * DAY_MS) throw new RangeError(`Working-time span longer than ${MAX_SPAN_DAYS} days`);
  let days = 0;
  scanWorkingDays(compileCalendar(calendar), start, end, (spans) => {
    if (spans[0]![0] >= end) return true;
    if (spans[spans.length - 1]![1] > start) days += 1;
    return false;
  });
  return days;
}

/**
 * The opening of the first whole working day after `at` (the first day addWorkingDays counts): for
 * "try again the next working day". Monday 10:00 → Tuesday 07:30; Monday 06:00 → Monday 07:30.
 */
export function startOfNextWorkingDay(calendar: Calendar, at: Date): Date {
  const instant = instantOf(at, 'at');
  let result = NaN;
  scanWorkingDays(compileCalendar(calendar), instant, undefined, (spans) => {
    if (spans[0]![0] < instant) return false;
    result = spans[0]![0];
    return true;
  });
  return new Date(result);
}

/**
 * A meter for many `workingMinutesBetween` questions inside one range (a month's report measures
 * tens of thousands of tickets): the range's open intervals are listed once with running totals,
 * and each question is then two binary searches instead of a day-by-day scan with time-zone
 * look-ups. The answers are those of workingMinutesBetween; a pair outside the range is passed to it.
 */
export function workingTimeMeter(calendar: Calendar, from: Date, to: Date): (start: Date, end: Date) => number {
  const [rangeStart, rangeEnd] = [instantOf(from, 'from'), instantOf(to, 'to')];
  const starts: number[] = [];
  const ends: number[] = [];
  const before: number[] = []; // working milliseconds in the intervals before each one
  let total = 0;
  if (rangeEnd >= rangeStart) {
    scanWorkingDays(compileCalendar(calendar), rangeStart, rangeEnd, (spans) => {
      for (const [start, end] of spans) {
        if (starts.length > 0 && start < ends[ends.length - 1]!) continue; // never overlapping: keep the order the search relies on
        starts.push(start);
        ends.push(end);
        before.push(total);
        total += end - start;
      }
      return false;
    });
  }
  /** Working milliseconds from the first interval up to `instant`. */
  const elapsed = (instant: number): number => {
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle]! <= instant) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found < 0 ? 0 : before[found]! + Math.min(instant, ends[found]!) - starts[found]!;
  };
  return (start, end) => {
    const [a, b] = [instantOf(start, 'start'), instantOf(end, 'end')];
    if (Math.min(a, b) < rangeStart || Math.max(a, b) > rangeEnd) return workingMinutesBetween(calendar, start, end);
    return (elapsed(b) - elapsed(a)) / MINUTE_MS;
  };
}
