import type { Knex } from 'knex';
import { z } from 'zod';
import { loadCalendar } from '../calendar/calendar-store.js';
import {
  DAY_MS,
  FIRST_YEAR,
  LAST_YEAR,
  addDays,
  isValidDate,
  isWithinSupportedYears,
  localTimesToInstants,
} from '../calendar/local-time.js';
import { ValidationError } from '../errors.js';
import { listOf } from '../http/api/v1/ticket-filters.js';
import { idText } from '../http/validate.js';
import { CHANNEL_KINDS } from '../../channels/adapter.js';

/** A report covers at most a year (a leap year's 366 days): longer spans belong in an export job. */
export const MAX_PERIOD_DAYS = 366;
/** Without `from` and `to`: the last 30 days. */
export const DEFAULT_PERIOD_DAYS = 30;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// An instant must carry its zone: "10:00" alone would mean whatever the server's zone is.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const dateOrInstant = z
  .string()
  .trim()
  .refine(
    (value) => (DATE.test(value) ? isValidDate(value) : INSTANT.test(value) && !Number.isNaN(Date.parse(value))),
    'an ISO date (YYYY-MM-DD) or an instant with its zone (2026-11-23T08:00:00+08:00)',
  )
  .refine(isWithinSupportedYears, `a date between ${FIRST_YEAR} and ${LAST_YEAR}`)
  .optional();

/** The query of the summary and of the exports: a period, and optionally teams and channels. */
export const periodQuery = z.object({
  from: dateOrInstant,
  to: dateOrInstant,
  team: listOf(idText('a team id')).transform((ids) => ids?.map(Number)),
  channel: listOf(z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]])),
});
export type PeriodQuery = z.infer<typeof periodQuery>;

export interface Period {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The instants a query's `from` and `to` stand for. A date is a day of the office's default
 * calendar's time zone: `from` its start, `to` the end of that day (so from=2026-11-01&to=2026-11-30
 * is all of November). Without `to`, now; without `from`, 30 days before `to`. `from` must be
 * before `to`, at most 366 days apart (a 400 otherwise).
 */
export async function resolvePeriod(db: Knex, query: Pick<PeriodQuery, 'from' | 'to'>, now: Date): Promise<Period> {
  const needsZone = [query.from, query.to].some((value) => value !== undefined && DATE.test(value));
  const timeZone = needsZone ? (await loadCalendar(db, null)).timeZone : '';
  const startOf = (date: string) => new Date(localTimesToInstants(timeZone, date, [0])[0]!);
  const to = query.to === undefined ? now : DATE.test(query.to) ? startOf(addDays(query.to, 1)) : new Date(query.to);
  const from =
    query.from === undefined
      ? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS)
      : DATE.test(query.from)
        ? startOf(query.from)
        : new Date(query.from);
  if (from.getTime() >= to.getTime()) {
    throw new ValidationError('Invalid query: from must be before to', [
      { field: 'from', problem: `${from.toISOString()} is not before ${to.toISOString()}` },
    ]);
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    throw new ValidationError(`Invalid query: a period covers at most ${MAX_PERIOD_DAYS} days`, [
      { field: 'to', problem: `more than ${MAX_PERIOD_DAYS} days after from` },
    ]);
  }
  return { from, to };
}
