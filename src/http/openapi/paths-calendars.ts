import { z } from 'zod';
import { WEEKDAYS } from '../../calendar/calendar.js';
import { HOLIDAY_KINDS } from '../../calendar/holidays-id-2026.js';
import { calendarSchemas as schemas } from '../api/v1/calendar-schemas.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, ANY_AGENT, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope } from './schemas.js';
import type { JsonSchema, PathsObject } from './types.js';

// The answers' shapes (src/calendar/calendar-admin.ts, calendar-days.ts, deadline-preview.ts).
// Loose objects: an answer may grow a field without breaking a client.
const timestamp = z.string().describe('ISO 8601 date-time');
const range = z.tuple([z.string(), z.string()]);
const calendar = z.looseObject({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  time_zone: z.string(),
  weekly_hours: z.looseObject(Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(range)]))),
  is_default: z.boolean().describe('The calendar of every team without its own; it cannot be deleted'),
  teams: z
    .array(z.looseObject({ id: z.number().int(), slug: z.string() }))
    .describe('The teams working on this calendar'),
  created_at: timestamp,
  updated_at: timestamp,
});
const holiday = z.looseObject({ date: z.string(), name: z.string(), kind: z.enum(HOLIDAY_KINDS) });
const exception = z.looseObject({
  date: z.string(),
  hours: z.array(range).describe('[] for closed'),
  note: z.string().nullable(),
});
const importCounts = z.looseObject({
  year: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});
const rangeCounts = z.looseObject({
  set: z.number().int().describe('Dates given their own hours'),
  removed: z.number().int().describe('Exceptions the range had before'),
});
const preview = z.looseObject({
  time_zone: z.string(),
  from: timestamp,
  from_local: z.string().describe("`from` as wall time in the calendar's zone, with its offset"),
  working_days: z.number().int().optional(),
  working_minutes: z.number().optional(),
  deadline: timestamp.nullable().describe('null when neither working_days nor working_minutes was asked'),
  deadline_local: z.string().nullable(),
  is_open: z.boolean().describe('Whether the office is working at `from`'),
  next_opening: timestamp.describe('`from` itself when open, else the next opening'),
  next_opening_local: z.string(),
});
const schema = (shape: z.ZodType): JsonSchema => toJsonSchema(shape, 'output');

const calendarId = pathParameters(schemas.idParam, { id: "The calendar's id" });
const yearPath = pathParameters(schemas.yearParam, { id: "The calendar's id", year: 'The year of the list' });
const holidayPath = pathParameters(schemas.holidayParam, {
  id: "The calendar's id",
  year: "The holiday's year",
  date: 'The holiday, YYYY-MM-DD, in that year',
});
const datePath = pathParameters(schemas.dateParam, { id: "The calendar's id", date: 'The date, YYYY-MM-DD' });
const INVALID =
  'A time zone the server does not know, hours that are not HH:MM, end before they start or overlap, or a week with no working time (`invalid_calendar`).';
const NOT_ADMIN = 'The caller is not an admin.';

export function calendarPaths(): PathsObject {
  return {
    '/api/v1/calendars': {
      get: operation({
        operationId: 'listCalendars',
        tag: 'calendars',
        summary: 'List the calendars, with the teams on each',
        access: ANY_AGENT,
        responses: { 200: jsonResponse('The calendars', envelope(arrayOf(schema(calendar)))) },
        errors: {},
      }),
      post: operation({
        operationId: 'createCalendar',
        tag: 'calendars',
        summary:
          "Create a calendar: name, time zone, weekly hours with breaks; optionally copying another's holidays and exceptions",
        access: ADMIN_ONLY,
        body: { schema: toJsonSchema(schemas.createBody) },
        responses: { 201: jsonResponse('The new calendar', envelope(schema(calendar))) },
        errors: {
          403: NOT_ADMIN,
          422: `${INVALID} Or the slug is taken (\`slug_taken\`), or \`copy_from\` names no calendar (\`unknown_calendar\`).`,
        },
      }),
    },
    '/api/v1/calendars/{id}': {
      get: operation({
        operationId: 'getCalendar',
        tag: 'calendars',
        summary: 'One calendar',
        access: ANY_AGENT,
        parameters: calendarId,
        responses: { 200: jsonResponse('The calendar', envelope(schema(calendar))) },
        errors: { 400: true, 404: true },
      }),
      patch: operation({
        operationId: 'updateCalendar',
        tag: 'calendars',
        summary: "Change a calendar's name, time zone or weekly hours; deadlines use the change at once",
        access: ADMIN_ONLY,
        parameters: calendarId,
        body: { schema: toJsonSchema(schemas.patchBody) },
        responses: { 200: jsonResponse('The calendar as changed', envelope(schema(calendar))) },
        errors: { 403: NOT_ADMIN, 404: true, 422: INVALID },
      }),
      delete: operation({
        operationId: 'deleteCalendar',
        tag: 'calendars',
        summary: 'Delete a calendar with its holidays and exceptions; its teams fall back to the default calendar',
        access: ADMIN_ONLY,
        parameters: calendarId,
        responses: { 204: { description: 'Deleted' } },
        errors: {
          400: true,
          403: NOT_ADMIN,
          404: true,
          409: 'The default calendar cannot be deleted (`default_calendar`).',
        },
      }),
    },
    '/api/v1/calendars/{id}/deadline': {
      get: operation({
        operationId: 'previewDeadline',
        tag: 'calendars',
        summary:
          'When is it due? The deadline of N working days or minutes from an instant, whether the office is open then, and its next opening',
        access: ANY_AGENT,
        parameters: [...calendarId, ...queryParameters(schemas.deadlineQuery)],
        responses: { 200: jsonResponse('The deadline and the opening', envelope(schema(preview))) },
        errors: {
          400: 'A bad instant or number, or both working_days and working_minutes.',
          404: true,
          422: 'The calendar never opens (`invalid_calendar`).',
        },
      }),
    },
    '/api/v1/calendars/{id}/holidays': {
      get: operation({
        operationId: 'listHolidays',
        tag: 'calendars',
        summary: "The calendar's holidays (national, cuti bersama, regional), by date",
        access: ANY_AGENT,
        parameters: [...calendarId, ...queryParameters(schemas.holidaysQuery)],
        responses: { 200: jsonResponse('The holidays', envelope(arrayOf(schema(holiday)))) },
        errors: { 400: true, 404: true },
      }),
    },
    '/api/v1/calendars/{id}/holidays/{year}': {
      put: operation({
        operationId: 'importHolidays',
        tag: 'calendars',
        summary: "Load a year's holidays, as the joint decree publishes them",
        description:
          'The list is authoritative for its year: national holidays and cuti bersama of that year that it lacks are removed (a revised decree moves cuti bersama days). Regional holidays are added or renamed, never removed by a list. Loading the same list again changes nothing.',
        access: ADMIN_ONLY,
        parameters: yearPath,
        body: { schema: toJsonSchema(schemas.importBody) },
        responses: { 200: jsonResponse('What the list changed', envelope(schema(importCounts))) },
        errors: {
          400: 'Not a year, or entries that are not dates of that year, listed twice, unnamed or of an unknown kind (`details` lists every one).',
          403: NOT_ADMIN,
          404: true,
        },
      }),
    },
    '/api/v1/calendars/{id}/holidays/{year}/{date}': {
      put: operation({
        operationId: 'putHoliday',
        tag: 'calendars',
        summary: 'Declare one holiday (by default a regional one), or rename it',
        access: ADMIN_ONLY,
        parameters: holidayPath,
        body: { schema: toJsonSchema(schemas.holidayBody) },
        responses: {
          200: jsonResponse('The holiday, renamed', envelope(schema(holiday))),
          201: jsonResponse('The holiday, new', envelope(schema(holiday))),
        },
        errors: { 403: NOT_ADMIN, 404: true },
      }),
      delete: operation({
        operationId: 'deleteHoliday',
        tag: 'calendars',
        summary: 'Take one holiday off the calendar (an office that works that day)',
        access: ADMIN_ONLY,
        parameters: holidayPath,
        responses: { 204: { description: 'Removed' } },
        errors: { 400: true, 403: NOT_ADMIN, 404: 'No such calendar, or no holiday on that date.' },
      }),
    },
    '/api/v1/calendars/{id}/exceptions': {
      get: operation({
        operationId: 'listExceptions',
        tag: 'calendars',
        summary: 'Dates with their own hours (shorter Ramadan hours, a regional day off), by date',
        access: ANY_AGENT,
        parameters: [
          ...calendarId,
          ...queryParameters(schemas.exceptionsQuery, { from: 'From this date on', to: 'Up to this date' }),
        ],
        responses: { 200: jsonResponse('The exceptions', envelope(arrayOf(schema(exception)))) },
        errors: { 400: true, 404: true },
      }),
      put: operation({
        operationId: 'setExceptionRange',
        tag: 'calendars',
        summary:
          "Set the hours of a date range by weekday (Ramadan: a month of shorter hours), replacing the range's exceptions",
        description:
          'Holidays still win over exceptions: Ramadan hours for a whole month do not open the cuti bersama inside it.',
        access: ADMIN_ONLY,
        parameters: calendarId,
        body: { schema: toJsonSchema(schemas.rangeBody) },
        responses: {
          200: jsonResponse('How many dates were set and how many exceptions replaced', envelope(schema(rangeCounts))),
        },
        errors: {
          400: 'Bad dates, a range that ends before it starts or spans more than 366 days.',
          403: NOT_ADMIN,
          404: true,
          422: INVALID,
        },
      }),
    },
    '/api/v1/calendars/{id}/exceptions/{date}': {
      put: operation({
        operationId: 'putException',
        tag: 'calendars',
        summary: 'Give one date its own hours, or none ([]) for a day off',
        access: ADMIN_ONLY,
        parameters: datePath,
        body: { schema: toJsonSchema(schemas.exceptionBody) },
        responses: {
          200: jsonResponse('The exception, replaced', envelope(schema(exception))),
          201: jsonResponse('The exception, new', envelope(schema(exception))),
        },
        errors: { 403: NOT_ADMIN, 404: true, 422: INVALID },
      }),
      delete: operation({
        operationId: 'deleteException',
        tag: 'calendars',
        summary: 'Give a date back its usual weekly hours',
        access: ADMIN_ONLY,
        parameters: datePath,
        responses: { 204: { description: 'Removed' } },
        errors: { 400: true, 403: NOT_ADMIN, 404: 'No such calendar, or no exception on that date.' },
      }),
    },
  };
}
