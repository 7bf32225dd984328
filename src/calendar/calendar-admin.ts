import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import { fromJson, insertReturningId, isUniqueViolation, toIso, toJson } from '../db/rows.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import { CalendarError, WEEKDAYS, createCalendar, type TimeRange, type Weekday, type WeeklyHours } from './calendar.js';
import { DEFAULT_CALENDAR_SLUG, forgetCalendars } from './calendar-store.js';

/**
 * Calendars as administrators manage them (Zendesk's and Zammad's "business hours"): a name, a
 * time zone and weekly hours with breaks. Holidays and dated exceptions are in calendar-days.ts.
 * Every write forgets the loaded calendars of this process, so deadlines use the edit at once.
 */

export type WeeklyHoursInput = Partial<Record<Weekday, TimeRange[]>>;

export interface CalendarCreate {
  slug: string;
  name: string;
  time_zone?: string;
  /** Omitted: the default calendar's hours. Weekdays left out are closed. */
  weekly_hours?: WeeklyHoursInput;
  /** Start with the holidays and exceptions of this calendar (usually the default one). */
  copy_from?: number;
}

export type CalendarPatch = Partial<Pick<CalendarCreate, 'name' | 'time_zone' | 'weekly_hours'>>;

export async function listCalendars(db: Knex) {
  const [rows, teams] = await Promise.all([
    db('calendars').orderBy('id'),
    db('teams').whereNotNull('calendar_id').orderBy('id').select('id', 'slug', 'calendar_id'),
  ]);
  return rows.map((row) => describeCalendar(row, teams));
}

export async function getCalendar(db: Knex, id: number) {
  const row = await db('calendars').where({ id }).first();
  if (!row) throw new NotFoundError('Calendar');
  const teams = await db('teams').where({ calendar_id: id }).orderBy('id').select('id', 'slug', 'calendar_id');
  return describeCalendar(row, teams);
}

/** Throws NotFoundError unless the calendar exists; returns whether it is the default one. */
export async function requireCalendar(db: Knex | Knex.Transaction, id: number): Promise<{ isDefault: boolean }> {
  const row = await db('calendars').where({ id }).first('slug');
  if (!row) throw new NotFoundError('Calendar');
  return { isDefault: row.slug === DEFAULT_CALENDAR_SLUG };
}

export async function createCalendarRecord(db: Knex, input: CalendarCreate, now: Date): Promise<number> {
  const template = await db('calendars')
    .where(input.copy_from === undefined ? { slug: DEFAULT_CALENDAR_SLUG } : { id: input.copy_from })
    .first();
  if (!template)
    throw new UnprocessableError('unknown_calendar', `There is no calendar ${input.copy_from} to copy from`);
  const timeZone = input.time_zone ?? template.time_zone;
  const weeklyHours = input.weekly_hours ?? fromJson<WeeklyHoursInput>(template.weekly_hours);
  const stored = checkedHours(timeZone, weeklyHours);
  const id = await db.transaction(async (trx) => {
    let created: number;
    try {
      created = await insertReturningId(trx, 'calendars', {
        slug: input.slug,
        name: input.name,
        time_zone: timeZone,
        weekly_hours: toJson(stored),
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new UnprocessableError('slug_taken', `A calendar with the slug ${input.slug} exists already`);
      throw error;
    }
    if (input.copy_from !== undefined) {
      // Days are local dates: they mean the same in the new calendar's zone.
      const holidays = await trx('calendar_holidays')
        .where({ calendar_id: input.copy_from })
        .select('date', 'name', 'kind');
      const exceptions = await trx('calendar_exceptions')
        .where({ calendar_id: input.copy_from })
        .select('date', 'intervals', 'note');
      await insertInChunks(
        holidays.map((row) => ({ ...row, calendar_id: created })),
        (chunk) => trx('calendar_holidays').insert(chunk),
      );
      await insertInChunks(
        exceptions.map((row) => ({ ...row, intervals: toJson(fromJson(row.intervals)), calendar_id: created })),
        (chunk) => trx('calendar_exceptions').insert(chunk),
      );
    }
    return created;
  });
  forgetCalendars(db);
  return id;
}

export async function updateCalendarRecord(db: Knex, id: number, patch: CalendarPatch, now: Date): Promise<void> {
  const row = await db('calendars').where({ id }).first();
  if (!row) throw new NotFoundError('Calendar');
  const timeZone = patch.time_zone ?? row.time_zone;
  const stored = checkedHours(timeZone, patch.weekly_hours ?? fromJson<WeeklyHoursInput>(row.weekly_hours));
  const changes: Record<string, unknown> = { updated_at: now, time_zone: timeZone, weekly_hours: toJson(stored) };
  if (patch.name !== undefined) changes.name = patch.name;
  await db('calendars').where({ id }).update(changes);
  forgetCalendars(db);
}

/** Deletes a calendar; its teams fall back to the default calendar (the foreign key sets null). */
export async function deleteCalendarRecord(db: Knex, id: number): Promise<void> {
  const { isDefault } = await requireCalendar(db, id);
  if (isDefault)
    throw new ConflictError(
      'default_calendar',
      'The default calendar is used by every team without one of its own and cannot be deleted',
    );
  // The foreign keys do the rest (SQLite runs with PRAGMA foreign_keys on): holidays and
  // exceptions go with the calendar, and its teams' calendar_id becomes null.
  await db('calendars').where({ id }).delete();
  forgetCalendars(db);
}

/**
 * Validates a time zone and weekly hours the way deadlines will use them (CalendarError: 422), and
 * refuses a week without one working minute: every deadline on it would fail. Returns the hours
 * with all seven weekdays, as stored.
 */
function checkedHours(timeZone: string, weeklyHours: WeeklyHoursInput): WeeklyHours {
  const calendar = createCalendar({ timeZone, weeklyHours });
  if (WEEKDAYS.every((day) => calendar.weeklyHours[day].length === 0)) {
    throw new CalendarError('The weekly hours have no working time: at least one weekday needs hours');
  }
  return calendar.weeklyHours;
}

function describeCalendar(row: Record<string, any>, teams: Array<Record<string, any>>) {
  return {
    id: Number(row.id),
    slug: row.slug,
    name: row.name,
    time_zone: row.time_zone,
    weekly_hours: fromJson<WeeklyHours>(row.weekly_hours),
    is_default: row.slug === DEFAULT_CALENDAR_SLUG,
    teams: teams
      .filter((team) => Number(team.calendar_id) === Number(row.id))
      .map((team) => ({ id: Number(team.id), slug: team.slug })),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
