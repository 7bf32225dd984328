import type { Calendar } from '../calendar/calendar.js';
import { isOpen, nextOpening, startOfNextWorkingDay } from '../calendar/working-time.js';

/** One wait before the next call-back attempt: minutes, or "the next working day". */
export type RetryDelay = { minutes: number } | 'next_working_day';

/** CALLBACK_RETRY_DELAYS ("30m,2h,next_working_day") as waits; its length is the number of retries. */
export function parseRetryDelays(setting: string): RetryDelay[] {
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): RetryDelay => {
      if (entry === 'next_working_day') return entry;
      const match = /^(\d+)([mh])$/.exec(entry);
      if (!match) throw new Error(`Not a call-back retry delay: ${entry} (30m, 2h or next_working_day)`);
      return { minutes: Number(match[1]) * (match[2] === 'h' ? 60 : 1) };
    });
}

/**
 * When a call-back not reached is tried again, after `attemptsMade` attempts; undefined when the
 * policy has no more tries. A wait is counted from the attempt and then moved into working hours:
 * a retry due when the office is closed goes to its next opening, since nobody is there to call.
 */
export function nextAttemptAt(
  delays: readonly RetryDelay[],
  attemptsMade: number,
  calendar: Calendar,
  at: Date,
): Date | undefined {
  const delay = delays[attemptsMade - 1];
  if (delay === undefined) return undefined;
  if (delay === 'next_working_day') return startOfNextWorkingDay(calendar, at);
  const candidate = new Date(at.getTime() + delay.minutes * 60_000);
  return isOpen(calendar, candidate) ? candidate : nextOpening(calendar, candidate);
}
