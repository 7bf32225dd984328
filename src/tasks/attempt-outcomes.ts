import type { Calendar } from '../calendar/calendar.js';
import { nextAttemptAt, type RetryDelay } from './retry-policy.js';

export const ATTEMPT_OUTCOMES = ['reached', 'no_answer', 'busy', 'failed', 'voicemail_left', 'wrong_number'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Outcomes that finish the task; every other one means the citizen was not reached. */
const FINISHING: readonly AttemptOutcome[] = ['reached', 'wrong_number'];

/** How the dial from the agent to the citizen ended (the contract's DialStatus), as the attempt's outcome. */
const DIAL_OUTCOME: Record<string, AttemptOutcome> = {
  completed: 'reached',
  answered: 'reached',
  busy: 'busy',
  'no-answer': 'no_answer',
  failed: 'failed',
  canceled: 'no_answer',
};

/**
 * The attempt's outcome from the dial's status; a status the contract may add later counts as failed,
 * never as reached. Own keys only: "constructor" is not a status that maps to Object's function.
 */
export function dialOutcome(dialCallStatus: string | undefined): AttemptOutcome {
  const status = dialCallStatus ?? '';
  return Object.hasOwn(DIAL_OUTCOME, status) ? DIAL_OUTCOME[status]! : 'failed';
}

/** Where a call-back task goes after an attempt's outcome. */
export type TaskAfterAttempt =
  | { status: 'done' }
  | { status: 'open'; nextAttemptAt: Date }
  /** No retry left: the citizen is told by SMS that we tried (attempts.ts). */
  | { status: 'unreachable' };

/**
 * Reached (or a wrong number): the task is done. Not reached: open again at the retry policy's
 * next attempt, in working hours; after the last retry, unreachable. `attempt` counts this one.
 */
export function taskAfterAttempt(
  outcome: AttemptOutcome,
  attempt: number,
  delays: readonly RetryDelay[],
  calendar: Calendar,
  at: Date,
): TaskAfterAttempt {
  if (FINISHING.includes(outcome)) return { status: 'done' };
  const next = nextAttemptAt(delays, attempt, calendar, at);
  return next ? { status: 'open', nextAttemptAt: next } : { status: 'unreachable' };
}
