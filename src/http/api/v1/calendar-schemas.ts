import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../../../calendar/calendar.js';
import { HOLIDAY_KINDS } from '../../../calendar/holidays-id-2026.js';
import { FIRST_YEAR, isValidDate, isWithinSupportedYears, LAST_YEAR } from '../../../calendar/local-time.js';
import { MAX_TARGET_DAYS, MAX_TARGET_MINUTES } from '../../../sla/policies.js';
import { bodyId, idParam } from '../../validate.js';

/**
 * The request schemas of the calendar routes (src/http/api/v1/calendars.ts), also read by the
 * OpenAPI document. They check shapes; the values (a known time zone, hours that do not overlap)
 * are checked by createCalendar, which answers 422 `invalid_calendar` naming the problem.
 */

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isValidDate, 'not a calendar date')
  .describe("A local date in the calendar's time zone, YYYY-MM-DD");
const hours = z
  .array(z.tuple([z.string(), z.string()]))
  .max(24)
  .describe(
    'Working ranges [start, end] as local "HH:MM" (end exclusive, "24:00" for midnight); the gaps between them are breaks; [] for closed',
  );
const weeklyHours = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((day) => [day, hours.optional()])) as Record<Weekday, z.ZodOptional<typeof hours>>,
  )
  .describe('Hours per weekday (mon … sun)');
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes');
const name = z.string().trim().min(1).max(200);
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .describe('An IANA time zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT)');
const year = z.coerce.number().int().min(1970).max(9999);

const createBody = z.strictObject({
  slug,
  name,
  time_zone: timeZone.optional().describe("Default: the default calendar's (Asia/Makassar)"),
  weekly_hours: weeklyHours.optional().describe("Default: the default calendar's hours. Weekdays left out are closed."),
  copy_from: bodyId()
    .optional()
    .describe('Start with the holidays and exceptions of this calendar, e.g. the default one'),
});
const patchBody = z
  .strictObject({
    name,
    time_zone: timeZone,
    weekly_hours: weeklyHours.describe('The whole week: weekdays left out are closed'),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'Nothing to change');

// Dates and names are checked entry by entry by importHolidays (naming the entry); bounded here too.
const holidayEntry = z.strictObject({
  date: z.string().max(10),
  name: z.string().max(200),
  kind: z.enum(HOLIDAY_KINDS),
});
const decreeEntry = z.object({ date: z.string().max(10), name: z.string().max(200) });
/** A year's list: entries with their kind, or the decree file as published (test/fixtures/data/holidays-id-2026.json). */
const importBody = z.union([
  z.array(holidayEntry).max(400).describe("The year's holidays, each with its kind"),
  z
    .object({
      year: z.number().int().optional().describe('When given, it must be the year of the path'),
      national_holidays: z.array(decreeEntry).max(200).default([]),
      cuti_bersama: z.array(decreeEntry).max(200).default([]),
      regional_holidays: z.array(decreeEntry).max(200).default([]),
    })
    .describe(
      'A decree file as published (national holidays and cuti bersama, like holidays-id-2026.json); other fields are ignored',
    ),
]);

const yearParam = idParam.extend({ year });
const holidayParam = yearParam.extend({ date }).refine((params) => params.date.startsWith(`${params.year}-`), {
  message: 'the date must be in the year of the path',
  path: ['date'],
});
const dateParam = idParam.extend({ date });
const holidaysQuery = z.object({ year: year.optional().describe("Only this year's holidays") });
const holidayBody = z.strictObject({ name, kind: z.enum(HOLIDAY_KINDS).default('regional') });

const exceptionBody = z.strictObject({ hours, note: z.string().trim().max(200).nullable().optional() });
const exceptionsQuery = z.object({ from: date.optional(), to: date.optional() });
const rangeBody = z.strictObject({
  from: date,
  to: date.describe('Inclusive; at most 366 days after `from`'),
  weekly_hours: weeklyHours.describe(
    'The hours of each weekday inside the range; a weekday left out keeps its usual hours, and {} clears the range',
  ),
  note: z.string().trim().max(200).nullable().optional(),
});

const deadlineQuery = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .refine(isWithinSupportedYears, `an instant between ${FIRST_YEAR} and ${LAST_YEAR}`)
      .optional()
      .describe('The instant the clock starts (ISO 8601); default: now'),
    // The longest targets an SLA policy may set: the preview answers what a policy can ask.
    working_days: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_TARGET_DAYS)
      .optional()
      .describe('Deadline: the closing of the Nth whole working day after `from`'),
    working_minutes: z.coerce
      .number()
      .min(0)
      .max(MAX_TARGET_MINUTES)
      .optional()
      .describe('Deadline: `from` plus this many working minutes'),
  })
  .refine(
    (query) => query.working_days === undefined || query.working_minutes === undefined,
    'Give working_days or working_minutes, not both',
  );

export const calendarSchemas = {
  createBody,
  patchBody,
  importBody,
  idParam,
  yearParam,
  holidayParam,
  dateParam,
  holidaysQuery,
  holidayBody,
  exceptionBody,
  exceptionsQuery,
  rangeBody,
  deadlineQuery,
};
