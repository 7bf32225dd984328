import { UnprocessableError } from '../errors.js';
import { HOLIDAYS_ID_2026 } from './holidays-id-2026.js';
import { isValidDate, isValidTimeZone } from './local-time.js';

export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
/** Index = Date#getDay (0 = Sunday). */
export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local wall-clock times 'HH:MM', start inclusive, end exclusive; '24:00' ends at midnight. */
export type TimeRange = readonly [start: string, end: string];
export type WeeklyHours = Readonly<Record<Weekday, readonly TimeRange[]>>;

/**
 * When an office works. A date's hours are, in order of precedence: none if it is a holiday; else
 * its exception if it has one (its own ranges: shorter Ramadan hours, a Saturday service day; or []
 * for closed: a regional day off); else the weekly hours of its weekday. Holidays win so that
 * Ramadan hours entered for a whole month do not open Nyepi or the cuti bersama inside it; an
 * office that works on a holiday takes that date off its own calendar's holiday list.
 */
export interface Calendar {
  readonly timeZone: string;
  readonly weeklyHours: WeeklyHours;
  /** Local dates 'YYYY-MM-DD': national holidays, cuti bersama and regional holidays alike. */
  readonly holidays: ReadonlySet<string>;
  readonly exceptions: ReadonlyMap<string, readonly TimeRange[]>;
}

export const DEFAULT_TIME_ZONE = 'Asia/Makassar';

/**
 * Government hours (docs/domain.md, "Working time"): 37.5 hours a week from 07:30, with a 60-minute break
 * Monday to Thursday and 90 minutes on Friday (for Friday prayers).
 *   Mon–Thu 07:30–12:00 (4.5 h) + 13:00–16:00 (3 h) = 7.5 h, × 4 = 30 h
 *   Fri     07:30–11:30 (4 h)   + 13:00–16:30 (3.5 h) = 7.5 h
 *   30 h + 7.5 h = 37.5 h (2,250 working minutes a week)
 */
export const GOVERNMENT_HOURS: WeeklyHours = {
  mon: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  tue: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  wed: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  thu: [
    ['07:30', '12:00'],
    ['13:00', '16:00'],
  ],
  fri: [
    ['07:30', '11:30'],
    ['13:00', '16:30'],
  ],
  sat: [],
  sun: [],
};

/** A calendar that cannot be used: bad data, or no working time to count in. */
export class CalendarError extends UnprocessableError {
  constructor(message: string) {
    super('invalid_calendar', message);
  }
}

export interface CalendarInput {
  timeZone?: string;
  /** Omitted: government hours. Given: weekdays left out are closed. */
  weeklyHours?: Partial<Record<Weekday, readonly TimeRange[]>>;
  holidays?: Iterable<string>;
  exceptions?: Iterable<readonly [string, readonly TimeRange[]]> | Readonly<Record<string, readonly TimeRange[]>>;
}

/** A validated calendar; throws CalendarError on a bad zone, date or range. */
export function createCalendar(input: CalendarInput = {}): Calendar {
  const weekly = input.weeklyHours ?? GOVERNMENT_HOURS;
  const exceptions = input.exceptions ?? [];
  const calendar: Calendar = {
    timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
    weeklyHours: Object.fromEntries(WEEKDAYS.map((day) => [day, weekly[day] ?? []])) as unknown as WeeklyHours,
    holidays: new Set(input.holidays ?? []),
    exceptions: new Map(Symbol.iterator in exceptions ? exceptions : Object.entries(exceptions)),
  };
  compileCalendar(calendar);
  return calendar;
}

/**
 * The calendar every team without its own uses, from settings: government hours in the configured
 * zone, with the 2026 national holidays and cuti bersama (both are days off for government offices).
 */
export function defaultCalendar(settings: { timeZone?: string; extraHolidays?: Iterable<string> } = {}): Calendar {
  return createCalendar({
    timeZone: settings.timeZone,
    holidays: [...HOLIDAYS_ID_2026.map((holiday) => holiday.date), ...(settings.extraHolidays ?? [])],
  });
}

/** Minutes since local midnight, [start, end), sorted and disjoint. */
export type MinuteRange = readonly [start: number, end: number];

export interface CompiledCalendar {
  readonly timeZone: string;
  readonly weekly: readonly (readonly MinuteRange[])[];
  readonly holidays: ReadonlySet<string>;
  readonly exceptions: ReadonlyMap<string, readonly MinuteRange[]>;
  /** No weekday has hours: after `lastOpenException` the calendar never opens again. */
  readonly weeklyClosed: boolean;
  readonly lastOpenException: string | null;
  /** Per-date instants, memoised: deadlines are computed over and over on the same few weeks. */
  readonly dayCache: Map<string, readonly (readonly [number, number])[]>;
}

// Calendars are immutable values, so their compiled form can hang off the object itself.
const compiled = new WeakMap<Calendar, CompiledCalendar>();

export function compileCalendar(calendar: Calendar): CompiledCalendar {
  const existing = compiled.get(calendar);
  if (existing) return existing;
  if (!isValidTimeZone(calendar.timeZone)) throw new CalendarError(`Unknown time zone: ${calendar.timeZone}`);
  for (const date of calendar.holidays) checkDate(date);
  const exceptions = new Map<string, readonly MinuteRange[]>();
  let lastOpenException: string | null = null;
  for (const [date, ranges] of calendar.exceptions) {
    checkDate(date);
    const parsed = parseRanges(ranges, `exception ${date}`);
    exceptions.set(date, parsed);
    if (parsed.length > 0 && (lastOpenException === null || date > lastOpenException)) lastOpenException = date;
  }
  const weekly = WEEKDAYS.map((day) => parseRanges(calendar.weeklyHours[day] ?? [], day));
  const result: CompiledCalendar = {
    timeZone: calendar.timeZone,
    weekly,
    holidays: calendar.holidays,
    exceptions,
    weeklyClosed: weekly.every((ranges) => ranges.length === 0),
    lastOpenException,
    dayCache: new Map(),
  };
  compiled.set(calendar, result);
  return result;
}

function checkDate(date: string): void {
  if (!isValidDate(date)) throw new CalendarError(`Not a valid YYYY-MM-DD date: ${date}`);
}

const TIME_PATTERN = /^([01]\d|2[0-4]):([0-5]\d)$/;

function parseTime(time: string, where: string): number {
  const match = typeof time === 'string' ? TIME_PATTERN.exec(time) : null;
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 1440)) throw new CalendarError(`${where}: not a time HH:MM between 00:00 and 24:00: ${time}`);
  return minutes;
}

/** Sorted, with touching ranges merged (07:30–12:00 + 12:00–13:00 is one range); overlaps are errors. */
function parseRanges(ranges: readonly TimeRange[], where: string): MinuteRange[] {
  // Hours also come from JSON columns and admin requests: check the shape, not only the values.
  if (!Array.isArray(ranges)) throw new CalendarError(`${where}: hours must be a list of [start, end] pairs`);
  const parsed = ranges.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new CalendarError(`${where}: hours must be a list of [start, end] pairs`);
    const [start, end] = pair;
    const range: [number, number] = [parseTime(start, where), parseTime(end, where)];
    if (range[1] <= range[0]) throw new CalendarError(`${where}: ${start}–${end} must end after it starts`);
    return range;
  });
  parsed.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of parsed) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) throw new CalendarError(`${where}: ranges overlap`);
    if (last && start === last[1]) last[1] = end;
    else merged.push([start, end]);
  }
  return merged;
}
