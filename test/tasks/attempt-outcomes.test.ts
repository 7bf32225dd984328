import { expect } from 'chai';
import fc from 'fast-check';
import { defaultCalendar } from '../../src/calendar/calendar.js';
import { ATTEMPT_OUTCOMES, dialOutcome, taskAfterAttempt } from '../../src/tasks/attempt-outcomes.js';
import { nextAttemptAt, parseRetryDelays } from '../../src/tasks/retry-policy.js';

describe("Call-backs: what an attempt's outcome does to its task (src/tasks/attempt-outcomes.ts)", () => {
  const calendar = defaultCalendar(); // WITA, 07:30–12:00 and 13:00–16:00
  const delays = parseRetryDelays('30m,2h,next_working_day');
  const wita = (local: string) => new Date(`${local}+08:00`);
  const at = wita('2026-12-01T10:00'); // a Tuesday, open
  const notReached = ATTEMPT_OUTCOMES.filter((outcome) => outcome !== 'reached' && outcome !== 'wrong_number');

  it('a citizen reached, or a wrong number, finishes the task whatever attempt it was and retries are left', () => {
    for (const outcome of ['reached', 'wrong_number'] as const)
      for (const attempt of [1, 2, 3, 4, 9])
        expect(taskAfterAttempt(outcome, attempt, delays, calendar, at), `${outcome} #${attempt}`).to.deep.equal({
          status: 'done',
        });
  });

  it("a citizen not reached is tried again at the retry policy's time for that attempt, then unreachable after the last", () => {
    expect(notReached).to.deep.equal(['no_answer', 'busy', 'failed', 'voicemail_left']);
    for (const outcome of notReached) {
      expect(taskAfterAttempt(outcome, 1, delays, calendar, at)).to.deep.equal({
        status: 'open',
        nextAttemptAt: wita('2026-12-01T10:30'),
      });
      expect(taskAfterAttempt(outcome, 3, delays, calendar, at)).to.deep.equal({
        status: 'open',
        nextAttemptAt: wita('2026-12-02T07:30'),
      });
      expect(taskAfterAttempt(outcome, 4, delays, calendar, at), outcome).to.deep.equal({ status: 'unreachable' });
    }
    // A policy of no retries: the first attempt not reached is the last.
    expect(taskAfterAttempt('busy', 1, [], calendar, at)).to.deep.equal({ status: 'unreachable' });
  });

  it('law: not reached, the task is open exactly when the policy has a next attempt, and then due at it', () => {
    const instant = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        fc.constantFrom(...notReached),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('30m,2h,next_working_day', '5m', '', '1h,1h,1h,1h,1h'),
        instant,
        (outcome, attempt, setting, when) => {
          const policy = parseRetryDelays(setting);
          const next = nextAttemptAt(policy, attempt, calendar, when);
          expect(taskAfterAttempt(outcome, attempt, policy, calendar, when)).to.deep.equal(
            next ? { status: 'open', nextAttemptAt: next } : { status: 'unreachable' },
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads the <Dial>'s status as the attempt's outcome: answered is reached, a cancelled dial is not answered", () => {
    expect(dialOutcome('completed')).to.equal('reached');
    expect(dialOutcome('answered')).to.equal('reached');
    expect(dialOutcome('busy')).to.equal('busy');
    expect(dialOutcome('no-answer')).to.equal('no_answer');
    expect(dialOutcome('canceled')).to.equal('no_answer');
    expect(dialOutcome('failed')).to.equal('failed');
  });

  it('law: any other status, or none, is a failed attempt, never a citizen reached', () => {
    const known = new Set(['completed', 'answered', 'busy', 'no-answer', 'canceled', 'failed']);
    expect(dialOutcome(undefined)).to.equal('failed');
    for (const inherited of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(dialOutcome(inherited), inherited).to.equal('failed');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 16 }).filter((status) => !known.has(status)),
        (status) => {
          expect(dialOutcome(status)).to.equal('failed');
        },
      ),
      { numRuns: 300 },
    );
  });
});
