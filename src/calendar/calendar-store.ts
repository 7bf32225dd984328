import type { Knex } from 'knex';
import { fromJson } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { createCalendar, type Calendar, type TimeRange, type WeeklyHours } from './calendar.js';
import { HOLIDAY_KINDS, type HolidayEntry } from './holidays-id-2026.js';
import { isValidDate } from './local-time.js';

/** The calendar seeded by the migration, used by every team that has none of its own. */
export const DEFAULT_CALENDAR_SLUG = 'default';

/**
 * Deadlines are computed all the time (each timer, each sweep, each list of tickets) and calendars
 * change a few times a year, so loaded calendars are kept a few seconds. Another process's edit
 * shows within CACHE_MS; this process's own edits (importHolidays) clear the cache at once.
 */
export const CACHE_MS = 5_000;

interface CacheEntry {
  expires: number;
  calendar: Promise<Calendar>;
  /** The read has finished: only then may a transaction share it (see loadCalendar). */
  settled: boolean;
}

// Per knex instance: tests and tools may hold several databases in one process.
const caches = new WeakMap<Knex, Map<string, CacheEntry>>();

/** Forgets every loaded calendar of this database (after an edit). */
export function forgetCalendars(db: Knex): void {
  caches.delete(db);
}

/**
 * A calendar by id, or the default calendar when the id is undefined or null. `reader` runs the
 * query when the cache is cold: pass the transaction in progress (SQLite has one connection).
 */
export function loadCalendar(
  db: Knex,
  calendarId?: number | null,
  reader: Knex | Knex.Transaction = db,
): Promise<Calendar> {
  const key = calendarId == null ? DEFAULT_CALENDAR_SLUG : String(calendarId);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = performance.now();
  const cached = cache.get(key);
  const inTransaction = reader !== db;
  if (cached && cached.expires > now && (cached.settled || !inTransaction)) return cached.calendar;
  // A read still waiting for a connection must not be shared with a transaction: on SQLite the
  // transaction holds the only one, and each would wait for the other. It reads on its own.
  if (inTransaction && cached && cached.expires > now) return readCalendar(reader, calendarId ?? null);
  // The promise is what is cached, so concurrent callers share one read; a failed read is not kept.
  const entry: CacheEntry = {
    expires: now + CACHE_MS,
    calendar: readCalendar(reader, calendarId ?? null),
    settled: false,
  };
  cache.set(key, entry);
  entry.calendar.then(
    () => (entry.settled = true),
    () => cache.get(key) === entry && cache.delete(key),
  );
  return entry.calendar;
}

/** The calendar a team works on: its own, or the default (also for a ticket of no team). */
export async function loadTeamCalendar(db: Knex, teamId: number | null): Promise<Calendar> {
  if (teamId === null) return loadCalendar(db);
  const team = await db('teams').where({ id: teamId }).first('calendar_id');
  if (!team) throw new NotFoundError('Team');
  return loadCalendar(db, team.calendar_id == null ? null : Number(team.calendar_id));
}

async function readCalendar(db: Knex | Knex.Transaction, calendarId: number | null): Promise<Calendar> {
  const row = await db('calendars')
    .where(calendarId === null ? { slug: DEFAULT_CALENDAR_SLUG } : { id: calendarId })
    .first();
  if (!row) throw new NotFoundError('Calendar');
  const [holidays, exceptions] = await Promise.all([
    db('calendar_holidays').where({ calendar_id: row.id }).select('date'),
    db('calendar_exceptions').where({ calendar_id: row.id }).select('date', 'intervals'),
  ]);
  return createCalendar({
    timeZone: row.time_zone,
    weeklyHours: fromJson<WeeklyHours>(row.weekly_hours),
    holidays: holidays.map((holiday) => String(holiday.date)),
    exceptions: exceptions.map(
      (exception) => [String(exception.date), fromJson<TimeRange[]>(exception.intervals)] as const,
    ),
  });
}

export interface HolidayImport {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/**
 * Loads one year's holidays into a calendar, as an administrator does when the joint decree for a
 * new year is published. The decree is authoritative for its year: national holidays and cuti
 * bersama of that year missing from `entries` are removed (a revised decree moves cuti bersama
 * days). Regional holidays are added or updated but never removed by an import, since they are
 * declared one by one by the region. Running the same import again changes nothing.
 */
export async function importHolidays(
  db: Knex,
  calendarId: number,
  year: number,
  entries: readonly HolidayEntry[],
  now: Date = new Date(),
): Promise<HolidayImport> {
  checkEntries(year, entries);
  const result = await db.transaction(async (trx) => {
    const calendar = await trx('calendars').where({ id: calendarId }).first('id');
    if (!calendar) throw new NotFoundError('Calendar');
    // Dates are 'YYYY-MM-DD' strings, so one year is a string range.
    const existing = await trx('calendar_holidays')
      .where({ calendar_id: calendarId })
      .whereBetween('date', [`${year}-01-01`, `${year}-12-31`])
      .select('date', 'name', 'kind');
    const byDate = new Map(existing.map((row) => [String(row.date), row]));
    const counts: HolidayImport = { added: 0, updated: 0, removed: 0, unchanged: 0 };
    for (const entry of entries) {
      const current = byDate.get(entry.date);
      if (!current) {
        await trx('calendar_holidays').insert({
          calendar_id: calendarId,
          date: entry.date,
          name: entry.name,
          kind: entry.kind,
        });
        counts.added += 1;
      } else if (current.name !== entry.name || current.kind !== entry.kind) {
        await trx('calendar_holidays')
          .where({ calendar_id: calendarId, date: entry.date })
          .update({ name: entry.name, kind: entry.kind });
        counts.updated += 1;
      } else {
        counts.unchanged += 1;
      }
    }
    const listed = new Set(entries.map((entry) => entry.date));
    const stale = existing
      .filter((row) => row.kind !== 'regional' && !listed.has(String(row.date)))
      .map((row) => String(row.date));
    if (stale.length > 0) {
      await trx('calendar_holidays').where({ calendar_id: calendarId }).whereIn('date', stale).delete();
      counts.removed = stale.length;
    }
    if (counts.added + counts.updated + counts.removed > 0) {
      await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
    }
    return counts;
  });
  forgetCalendars(db);
  return result;
}

/** All problems at once, so an administrator fixes a file in one go. */
function checkEntries(year: number, entries: readonly HolidayEntry[]): void {
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new ValidationError(`Not a year: ${year}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    if (typeof entry?.date !== 'string' || !isValidDate(entry.date) || !entry.date.startsWith(`${year}-`)) {
      problems.push(`${where}: date must be a YYYY-MM-DD date in ${year}`);
    } else if (seen.has(entry.date)) {
      problems.push(`${where}: ${entry.date} is listed twice`);
    } else {
      seen.add(entry.date);
    }
    if (typeof entry?.name !== 'string' || entry.name.trim() === '' || entry.name.length > 200) {
      problems.push(`${where}: name must be 1–200 characters`);
    }
    if (!HOLIDAY_KINDS.includes(entry?.kind))
      problems.push(`${where}: kind must be one of ${HOLIDAY_KINDS.join(', ')}`);
  });
  if (problems.length > 0) throw new ValidationError('Invalid holiday list', problems);
}
