import { Router } from 'express';
import type { Knex } from 'knex';
import {
  createCalendarRecord,
  deleteCalendarRecord,
  getCalendar,
  listCalendars,
  updateCalendarRecord,
} from '../../../calendar/calendar-admin.js';
import {
  deleteException,
  deleteHoliday,
  listExceptions,
  listHolidays,
  putException,
  putHoliday,
  setExceptionRange,
} from '../../../calendar/calendar-days.js';
import { importHolidays } from '../../../calendar/calendar-store.js';
import { previewDeadline } from '../../../calendar/deadline-preview.js';
import type { HolidayEntry } from '../../../calendar/holidays-id-2026.js';
import { ValidationError } from '../../../errors.js';
import { requireRole } from '../../authenticate.js';
import { jsonBody } from '../../json-body.js';
import { parseInput } from '../../validate.js';
import { calendarSchemas as schemas } from './calendar-schemas.js';

export { calendarSchemas } from './calendar-schemas.js';

/**
 * Working-time calendars (issue 4): every agent reads them and asks when something is due;
 * admins edit hours, load a year's holidays, declare regional days off and dated exceptions.
 */
export function calendarRoutes(db: Knex, now: () => Date = () => new Date()): Router {
  const router = Router();
  // A year's holiday list with long names, or a year of exceptions, fits well within this.
  router.use(jsonBody('256kb'));
  const admin = requireRole('admin');

  router.get('/', async (_request, response) => {
    response.json({ data: await listCalendars(db) });
  });

  router.post('/', admin, async (request, response) => {
    const id = await createCalendarRecord(db, parseInput(schemas.createBody, request.body, 'calendar'), now());
    response.status(201).json({ data: await getCalendar(db, id) });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    response.json({ data: await getCalendar(db, id) });
  });

  router.patch('/:id', admin, async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    await updateCalendarRecord(db, id, parseInput(schemas.patchBody, request.body, 'calendar'), now());
    response.json({ data: await getCalendar(db, id) });
  });

  router.delete('/:id', admin, async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    await deleteCalendarRecord(db, id);
    response.status(204).end();
  });

  router.get('/:id/deadline', async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    const query = parseInput(schemas.deadlineQuery, request.query, 'query');
    response.json({
      data: await previewDeadline(db, id, { ...query, from: query.from ? new Date(query.from) : now() }),
    });
  });

  router.get('/:id/holidays', async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    const { year } = parseInput(schemas.holidaysQuery, request.query, 'query');
    response.json({ data: await listHolidays(db, id, year) });
  });

  router.put('/:id/holidays/:year', admin, async (request, response) => {
    const { id, year } = parseInput(schemas.yearParam, request.params, 'calendar id and year');
    const entries = holidayEntries(year, parseInput(schemas.importBody, request.body, 'holiday list'));
    const counts = await importHolidays(db, id, year, entries, now());
    response.json({ data: { year, ...counts } });
  });

  router.put('/:id/holidays/:year/:date', admin, async (request, response) => {
    const { id, date } = parseInput(schemas.holidayParam, request.params, 'holiday');
    const entry = { date, ...parseInput(schemas.holidayBody, request.body, 'holiday') };
    const created = await putHoliday(db, id, entry, now());
    response.status(created ? 201 : 200).json({ data: entry });
  });

  router.delete('/:id/holidays/:year/:date', admin, async (request, response) => {
    const { id, date } = parseInput(schemas.holidayParam, request.params, 'holiday');
    await deleteHoliday(db, id, date, now());
    response.status(204).end();
  });

  router.get('/:id/exceptions', async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    response.json({ data: await listExceptions(db, id, parseInput(schemas.exceptionsQuery, request.query, 'query')) });
  });

  router.put('/:id/exceptions', admin, async (request, response) => {
    const { id } = parseInput(schemas.idParam, request.params, 'calendar id');
    response.json({
      data: await setExceptionRange(db, id, parseInput(schemas.rangeBody, request.body, 'exception range'), now()),
    });
  });

  router.put('/:id/exceptions/:date', admin, async (request, response) => {
    const { id, date } = parseInput(schemas.dateParam, request.params, 'calendar id and date');
    const body = parseInput(schemas.exceptionBody, request.body, 'exception');
    const exception = { date, hours: body.hours, note: body.note ?? null };
    const created = await putException(db, id, exception, now());
    response.status(created ? 201 : 200).json({ data: exception });
  });

  router.delete('/:id/exceptions/:date', admin, async (request, response) => {
    const { id, date } = parseInput(schemas.dateParam, request.params, 'calendar id and date');
    await deleteException(db, id, date, now());
    response.status(204).end();
  });

  return router;
}

type ImportBody = ReturnType<typeof schemas.importBody.parse>;

/** The entries of either accepted form; a decree file must be for the year of the path. */
function holidayEntries(year: number, body: ImportBody): HolidayEntry[] {
  if (Array.isArray(body)) return body;
  if (body.year !== undefined && body.year !== year)
    throw new ValidationError(`The list is for ${body.year}, not ${year}`);
  return [
    ...body.national_holidays.map((entry) => ({ ...entry, kind: 'national' as const })),
    ...body.cuti_bersama.map((entry) => ({ ...entry, kind: 'cuti_bersama' as const })),
    ...body.regional_holidays.map((entry) => ({ ...entry, kind: 'regional' as const })),
  ];
}
