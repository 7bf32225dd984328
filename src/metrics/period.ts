import type { Knex } from 'knex';
import { loadCalendar } from '../calendar/calendar-store.js';
import { DAY_MS, addDays, localTimesToInstants } from '../calendar/local-time.js';
import { ValidationError } from '../errors.js';

/** A report covers at most a year (a leap year's 366 days): longer spans belong in an export job. */
export const MAX_PERIOD_DAYS = 366;
/** Without `from` and `to`: the last 30 days. */
export const DEFAULT_PERIOD_DAYS = 30;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day (YYYY-MM-DD) rather than an instant: it stands for that day of the office's calendar. */
export function isCalendarDate(value: string): boolean {
  return DATE.test(value);
}

/**
 * What a report is asked for, already checked (src/http/api/v1/period-query.ts reads it from a
 * request): `from` and `to` are ISO dates (YYYY-MM-DD) or instants with their zone.
 */
export interface PeriodQuery {
  from?: string;
  to?: string;
  team?: number[];
  channel?: string[];
}

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
  const needsZone = [query.from, query.to].some((value) => value !== undefined && isCalendarDate(value));
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
