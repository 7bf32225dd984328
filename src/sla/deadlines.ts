import type { Calendar } from '../calendar/calendar.js';
import { addWorkingDays, addWorkingMinutes, workingMinutesBetween } from '../calendar/working-time.js';
import type { Target } from './policies.js';

/** What a clock's deadlines are computed from. */
export interface ClockTerms {
  startedAt: Date;
  target: Target;
  /** Working days granted on top of the target (an information request's one extension). */
  extensionDays: number;
  /** Working minutes the clock spent paused: the deadline moves by as much. */
  pausedMinutes: number;
}

export interface ClockDeadlines {
  dueAt: Date;
  warnAt: Date;
}

/**
 * The deadline and the warning instant of a running clock, in the calendar's working time.
 * The target's own end (N working minutes, or the close of the Nth whole working day, as
 * addWorkingDays defines it) is pushed back by the extension and by the paused working time; the
 * warning falls when `warningRatio` of the target's working time has run, not counting pauses.
 */
export function clockDeadlines(calendar: Calendar, terms: ClockTerms, warningRatio: number): ClockDeadlines {
  // The clocks of one inbound group start at one instant with one policy: computed once.
  const key = `${terms.startedAt.getTime()}|${'days' in terms.target ? `d${terms.target.days}` : `m${terms.target.minutes}`}|${terms.extensionDays}|${terms.pausedMinutes}|${warningRatio}`;
  let memo = memos.get(calendar);
  if (!memo) {
    memo = new Map();
    memos.set(calendar, memo);
  }
  let result = memo.get(key);
  if (!result) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    result = computeDeadlines(calendar, terms, warningRatio);
    memo.set(key, result);
  }
  return { dueAt: new Date(result.dueAt), warnAt: new Date(result.warnAt) };
}

// Calendars are immutable values (a reload is a new object), so results can hang off them.
const memos = new WeakMap<Calendar, Map<string, ClockDeadlines>>();
const MEMO_LIMIT = 4096;

function computeDeadlines(calendar: Calendar, terms: ClockTerms, warningRatio: number): ClockDeadlines {
  const { startedAt, target, extensionDays, pausedMinutes } = terms;
  const targetEnd =
    'days' in target
      ? addWorkingDays(calendar, startedAt, target.days + extensionDays)
      : addWorkingDays(calendar, addWorkingMinutes(calendar, startedAt, target.minutes), extensionDays);
  const targetMinutes = workingMinutesBetween(calendar, startedAt, targetEnd);
  return {
    dueAt: addWorkingMinutes(calendar, targetEnd, pausedMinutes),
    warnAt: addWorkingMinutes(calendar, startedAt, targetMinutes * warningRatio + pausedMinutes),
  };
}

/** How a clock that stopped at `stoppedAt` did against its deadline. */
export function outcomeAt(dueAt: Date | null, breachedAt: Date | null, stoppedAt: Date): 'met' | 'breached' {
  if (breachedAt !== null) return 'breached';
  return dueAt !== null && stoppedAt.getTime() > dueAt.getTime() ? 'breached' : 'met';
}
