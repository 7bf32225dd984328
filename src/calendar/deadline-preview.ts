import type { Knex } from 'knex';
import { loadCalendar } from './calendar-store.js';
import { offsetAt } from './local-time.js';
import { addWorkingDays, addWorkingMinutes, isOpen, nextOpening } from './working-time.js';

export interface DeadlineQuestion {
  from: Date;
  working_days?: number;
  working_minutes?: number;
}

/**
 * What a supervisor asks of a calendar ("received now, when is it due?"): the deadline of N
 * working days or minutes from an instant, and whether the office is open then and when it opens
 * next. Each instant is given in UTC and in the calendar's local time, which is what people read.
 */
export async function previewDeadline(db: Knex, calendarId: number, question: DeadlineQuestion) {
  const calendar = await loadCalendar(db, calendarId);
  const { from } = question;
  const deadline =
    question.working_days !== undefined
      ? addWorkingDays(calendar, from, question.working_days)
      : question.working_minutes !== undefined
        ? addWorkingMinutes(calendar, from, question.working_minutes)
        : null;
  const opening = nextOpening(calendar, from);
  const local = (instant: Date) => localIso(calendar.timeZone, instant);
  return {
    time_zone: calendar.timeZone,
    from: from.toISOString(),
    from_local: local(from),
    ...(question.working_days !== undefined ? { working_days: question.working_days } : {}),
    ...(question.working_minutes !== undefined ? { working_minutes: question.working_minutes } : {}),
    deadline: deadline?.toISOString() ?? null,
    deadline_local: deadline ? local(deadline) : null,
    is_open: isOpen(calendar, from),
    next_opening: opening.toISOString(),
    next_opening_local: local(opening),
  };
}

/** '2027-01-06T16:00:00+08:00': the wall time in the zone, with its offset (ISO 8601). */
export function localIso(timeZone: string, instant: Date): string {
  const offset = offsetAt(timeZone, instant.getTime());
  const wall = new Date(instant.getTime() + offset).toISOString().slice(0, 19);
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
