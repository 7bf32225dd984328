/**
 * Conversions between instants (epoch milliseconds) and local wall time in an IANA time zone, with
 * the platform's Intl and its time-zone database. Indonesia has no daylight saving time, but nothing
 * here assumes fixed offsets: a calendar may be in any zone, and zones change their rules.
 *
 * Local dates are 'YYYY-MM-DD' strings (years 1000–9999), so they compare correctly as strings.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Offsets in use range from UTC−12 to UTC+14; a local day lies within this margin of its naive UTC day. */
const MAX_OFFSET_MS = 14 * 3_600_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    // hourCycle h23: midnight is 00, never 24 (hour12: false gives 24 on some ICU versions).
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  /** The wall-clock reading as if it were UTC, in epoch milliseconds. */
  naive: number;
}

function wallTime(timeZone: string, instant: number): WallTime {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  const naive = Date.UTC(year, month - 1, day, hour % 24, minute, second) + (((instant % 1000) + 1000) % 1000);
  return { year, month, day, naive };
}

/** The zone's offset from UTC at an instant, in milliseconds (WITA: +8 h). */
export function offsetAt(timeZone: string, instant: number): number {
  return wallTime(timeZone, instant).naive - instant;
}

/** The local date of an instant in the zone. */
export function localDate(timeZone: string, instant: number): string {
  const { year, month, day } = wallTime(timeZone, instant);
  return formatDate(Date.UTC(year, month - 1, day));
}

/**
 * The years an instant given to the API may fall in. Calendars place deadlines, reports and
 * holidays within them; outside, dates are mistakes (9999-12-31), and the arithmetic of a day after
 * the last one (year 10000) has no ISO form.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** Whether an ISO date or instant (YYYY-MM-DD…) falls within FIRST_YEAR and LAST_YEAR. */
export function isWithinSupportedYears(value: string): boolean {
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

export function isValidDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  return formatDate(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) === date;
}

/** Midnight UTC of a 'YYYY-MM-DD' date: the day number arithmetic below works on. */
function parseDate(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function formatDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDate(parseDate(date) + days * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as Date#getDay. */
export function weekdayOf(date: string): number {
  return new Date(parseDate(date)).getUTCDay();
}

/**
 * The instants of several wall times on one local date (minutes since midnight, 1440 = the next
 * midnight). On the usual day the zone keeps one offset throughout and two Intl look-ups settle all
 * of them; around a transition each one is resolved on its own by `resolveWallTime`.
 */
export function localTimesToInstants(timeZone: string, date: string, minutes: readonly number[]): number[] {
  const midnight = parseDate(date);
  const before = offsetAt(timeZone, midnight - MAX_OFFSET_MS);
  const after = offsetAt(timeZone, midnight + DAY_MS + MAX_OFFSET_MS);
  if (before === after) return minutes.map((minute) => midnight + minute * MINUTE_MS - before);
  return minutes.map((minute) => resolveWallTime(timeZone, midnight + minute * MINUTE_MS, before, after));
}

/**
 * One wall time near an offset transition. A repeated wall time (clocks turned back) takes its
 * first occurrence; a skipped one (clocks turned forward) takes the transition instant itself, the
 * first instant after the gap. Both choices keep the mapping monotonic, so a working interval never
 * turns inside out on a transition day.
 */
function resolveWallTime(timeZone: string, naive: number, before: number, after: number): number {
  const candidates = [naive - before, naive - after].filter(
    (instant) => offsetAt(timeZone, instant) === naive - instant,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: the offset is `before` up to the transition and `after` from it on; bisect for it.
  let low = Math.min(naive - before, naive - after);
  let high = Math.max(naive - before, naive - after);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(timeZone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}
