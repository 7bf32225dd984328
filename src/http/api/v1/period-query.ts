import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../../channels/adapter.js';
import { FIRST_YEAR, LAST_YEAR, isValidDate, isWithinSupportedYears } from '../../../calendar/local-time.js';
import { isCalendarDate } from '../../../metrics/period.js';
import { idText } from '../../validate.js';
import { listOf } from './ticket-filters.js';

// An instant must carry its zone: "10:00" alone would mean whatever the server's zone is.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const dateOrInstant = z
  .string()
  .trim()
  .refine(
    (value) => (isCalendarDate(value) ? isValidDate(value) : INSTANT.test(value) && !Number.isNaN(Date.parse(value))),
    'an ISO date (YYYY-MM-DD) or an instant with its zone (2026-11-23T08:00:00+08:00)',
  )
  .refine(isWithinSupportedYears, `a date between ${FIRST_YEAR} and ${LAST_YEAR}`)
  .optional();

/**
 * The query of the summary and of the exports: a period, and optionally teams and channels. Read and
 * checked here, at the HTTP edge; metrics takes what it yields as a plain PeriodQuery.
 */
export const periodQuery = z.object({
  from: dateOrInstant,
  to: dateOrInstant,
  team: listOf(idText('a team id')).transform((ids) => ids?.map(Number)),
  channel: listOf(z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]])),
});
