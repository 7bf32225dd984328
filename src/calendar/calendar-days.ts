import type { Knex } from 'knex';
import { fromJson, toJson } from '../db/rows.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { WEEKDAYS, createCalendar, type TimeRange } from './calendar.js';
import type { WeeklyHoursInput } from './calendar-admin.js';
import { requireCalendar } from './calendar-admin.js';
import { forgetCalendars } from './calendar-store.js';
import type { HolidayEntry } from './holidays-id-2026.js';
import { addDays, weekdayOf } from './local-time.js';

/**
 * The dated days of a calendar: holidays (one by one here; a whole year with importHolidays) and
 * exceptions, dates with their own hours (shorter Ramadan hours, a Saturday service day, or none
 * for a regional day off). Dates are local 'YYYY-MM-DD' strings, so ranges are string ranges.
 */

/** A range of exceptions is at most a year: Ramadan is a month, a long renovation a few. */
export const MAX_RANGE_DAYS = 366;

export async function listHolidays(db: Knex, calendarId: number, year?: number): Promise<HolidayEntry[]> {
  await requireCalendar(db, calendarId);
  const query = db('calendar_holidays')
    .where({ calendar_id: calendarId })
    .orderBy('date')
    .select('date', 'name', 'kind');
  if (year !== undefined) query.whereBetween('date', [`${year}-01-01`, `${year}-12-31`]);
  return (await query).map((row) => ({ date: String(row.date), name: row.name, kind: row.kind }));
}

/** Adds or renames one holiday (a regional day declared by the region); true when it is new. */
export async function putHoliday(db: Knex, calendarId: number, entry: HolidayEntry, now: Date): Promise<boolean> {
  const created = await db.transaction(async (trx) => {
    await requireCalendar(trx, calendarId);
    const changed = await trx('calendar_holidays')
      .where({ calendar_id: calendarId, date: entry.date })
      .update({ name: entry.name, kind: entry.kind });
    if (changed === 0) await trx('calendar_holidays').insert({ calendar_id: calendarId, ...entry });
    await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
    return changed === 0;
  });
  forgetCalendars(db);
  return created;
}

/** Removes one holiday of any kind: an office that works on a national holiday takes it off its list. */
export async function deleteHoliday(db: Knex, calendarId: number, date: string, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await requireCalendar(trx, calendarId);
    const removed = await trx('calendar_holidays').where({ calendar_id: calendarId, date }).delete();
    if (removed === 0) throw new NotFoundError('Holiday');
    await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
  });
  forgetCalendars(db);
}

export interface CalendarException {
  date: string;
  /** The day's hours; [] for closed. */
  hours: TimeRange[];
  note: string | null;
}

export async function listExceptions(
  db: Knex,
  calendarId: number,
  range: { from?: string; to?: string } = {},
): Promise<CalendarException[]> {
  await requireCalendar(db, calendarId);
  const query = db('calendar_exceptions')
    .where({ calendar_id: calendarId })
    .orderBy('date')
    .select('date', 'intervals', 'note');
  if (range.from) query.where('date', '>=', range.from);
  if (range.to) query.where('date', '<=', range.to);
  return (await query).map((row) => ({
    date: String(row.date),
    hours: fromJson<TimeRange[]>(row.intervals),
    note: row.note ?? null,
  }));
}

/** Sets one date's hours; true when the date had no exception before. CalendarError (422) on bad hours. */
export async function putException(
  db: Knex,
  calendarId: number,
  exception: CalendarException,
  now: Date,
): Promise<boolean> {
  createCalendar({ exceptions: [[exception.date, exception.hours]] });
  const created = await db.transaction(async (trx) => {
    await requireCalendar(trx, calendarId);
    const removed = await trx('calendar_exceptions').where({ calendar_id: calendarId, date: exception.date }).delete();
    await trx('calendar_exceptions').insert(exceptionRow(calendarId, exception));
    await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
    return removed === 0;
  });
  forgetCalendars(db);
  return created;
}

export async function deleteException(db: Knex, calendarId: number, date: string, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await requireCalendar(trx, calendarId);
    const removed = await trx('calendar_exceptions').where({ calendar_id: calendarId, date }).delete();
    if (removed === 0) throw new NotFoundError('Exception');
    await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
  });
  forgetCalendars(db);
}

export interface ExceptionRange {
  from: string;
  to: string;
  /**
   * The hours of each weekday inside the range (Ramadan: shorter Monday–Thursday and Friday
   * hours). A weekday left out keeps its usual hours: Saturdays stay closed without saying so.
   */
  weekly_hours: WeeklyHoursInput;
  note?: string | null;
}

/**
 * Replaces every exception from `from` to `to` (inclusive) with the range's weekly hours, in one
 * transaction: running it again gives the same days, and `weekly_hours: {}` clears the range.
 */
export async function setExceptionRange(
  db: Knex,
  calendarId: number,
  range: ExceptionRange,
  now: Date,
): Promise<{ set: number; removed: number }> {
  const exceptions = expandRange(range);
  createCalendar({ exceptions: exceptions.map((exception) => [exception.date, exception.hours] as const) });
  const result = await db.transaction(async (trx) => {
    await requireCalendar(trx, calendarId);
    const removed = await trx('calendar_exceptions')
      .where({ calendar_id: calendarId })
      .whereBetween('date', [range.from, range.to])
      .delete();
    for (let index = 0; index < exceptions.length; index += 200) {
      await trx('calendar_exceptions').insert(
        exceptions.slice(index, index + 200).map((exception) => exceptionRow(calendarId, exception)),
      );
    }
    await trx('calendars').where({ id: calendarId }).update({ updated_at: now });
    return { set: exceptions.length, removed };
  });
  forgetCalendars(db);
  return result;
}

function expandRange(range: ExceptionRange): CalendarException[] {
  if (range.to < range.from) throw new ValidationError(`The range ends (${range.to}) before it starts (${range.from})`);
  if (range.to > addDays(range.from, MAX_RANGE_DAYS - 1))
    throw new ValidationError(`A range is at most ${MAX_RANGE_DAYS} days`);
  const exceptions: CalendarException[] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    const hours = range.weekly_hours[WEEKDAYS[weekdayOf(date)]!];
    if (hours !== undefined) exceptions.push({ date, hours, note: range.note ?? null });
  }
  return exceptions;
}

function exceptionRow(calendarId: number, exception: CalendarException) {
  return {
    calendar_id: calendarId,
    date: exception.date,
    intervals: toJson(exception.hours),
    note: exception.note ?? null,
  };
}
