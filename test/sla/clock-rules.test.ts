import { expect } from 'chai';
import { decideClock, type ClockFact, type ClockState, type TicketClockView } from '../../src/sla/clock-rules.js';

describe('SLA clock rules (src/sla/clock-rules.ts)', () => {
  const at = new Date('2026-12-01T02:00:00Z');
  const ticket = (overrides: Partial<TicketClockView> = {}): TicketClockView => ({
    status: 'open',
    finished: false,
    merged: false,
    createdAt: at,
    firstResponseAt: null,
    ...overrides,
  });
  const clock = (overrides: Partial<ClockState> = {}): ClockState => ({
    id: 1,
    kind: 'resolution',
    startedAt: at,
    pausedAt: null,
    pausedMinutes: 0,
    stoppedAt: null,
    outcome: null,
    dueAt: at,
    breachedAt: null,
    ...overrides,
  });
  const facts = (...list: ClockFact[]) => new Set(list);
  const steps = (...args: Parameters<typeof decideClock>) =>
    decideClock(...args).map((step) => ('at' in step ? `${step.step}@${step.at}` : step.step));

  it('starts first response at creation once, and stops it at the first public reply', () => {
    expect(steps('first_response', ticket({ status: 'new' }), facts(), { minutes: 60 }, [])).to.deep.equal([
      'start@created',
    ]);
    expect(
      steps('first_response', ticket(), facts('agent_reply'), { minutes: 60 }, [clock({ kind: 'first_response' })]),
    ).to.deep.equal(['stop']);
    // Answered once: a later policy change never times a first response again.
    expect(
      steps('first_response', ticket(), facts(), { minutes: 60 }, [
        clock({ kind: 'first_response', stoppedAt: at, outcome: 'met' }),
      ]),
    ).to.deep.equal(['none']);
    expect(steps('first_response', ticket(), facts(), undefined, [clock({ kind: 'first_response' })])).to.deep.equal([
      'cancel',
    ]);
  });

  it("starts next response from a citizen's message only after a first response, and not on a finished ticket", () => {
    expect(steps('next_response', ticket(), facts('citizen_message'), { minutes: 120 }, [])).to.deep.equal(['none']);
    expect(
      steps('next_response', ticket({ firstResponseAt: at }), facts('citizen_message'), { minutes: 120 }, []),
    ).to.deep.equal(['start@now']);
    expect(
      steps(
        'next_response',
        ticket({ firstResponseAt: at, finished: true, status: 'resolved' }),
        facts('citizen_message'),
        { minutes: 120 },
        [],
      ),
    ).to.deep.equal(['none']);
    // A second message while one is unanswered keeps the clock from the first.
    expect(
      steps('next_response', ticket({ firstResponseAt: at }), facts('citizen_message'), { minutes: 120 }, [
        clock({ kind: 'next_response' }),
      ]),
    ).to.deep.equal(['keep']);
  });

  it('pauses resolution while waiting on the citizen, resumes it after, and resumes the same clock on a reopen', () => {
    expect(
      steps('resolution', ticket({ status: 'pending_citizen' }), facts('agent_reply'), { days: 10 }, [clock()]),
    ).to.deep.equal(['pause']);
    expect(
      steps('resolution', ticket({ status: 'open' }), facts('citizen_message'), { days: 10 }, [
        clock({ pausedAt: at }),
      ]),
    ).to.deep.equal(['resume']);
    expect(
      steps('resolution', ticket({ status: 'resolved', finished: true }), facts(), { days: 10 }, [clock()]),
    ).to.deep.equal(['stop']);
    expect(
      steps('resolution', ticket({ status: 'new' }), facts(), { days: 10 }, [clock({ stoppedAt: at, outcome: 'met' })]),
    ).to.deep.equal(['reopen']);
    // A target added while the ticket waits on the citizen starts paused.
    expect(steps('resolution', ticket({ status: 'pending_citizen' }), facts(), { days: 10 }, [])).to.deep.equal([
      'start@created',
      'pause',
    ]);
  });

  it("times the agency's follow-up from each disposition to its first public reply", () => {
    expect(
      steps('agency_followup', ticket({ status: 'pending_agency' }), facts('disposed'), { days: 5 }, []),
    ).to.deep.equal(['start@now']);
    expect(
      steps('agency_followup', ticket({ status: 'pending_agency' }), facts('disposed'), { days: 5 }, [
        clock({ kind: 'agency_followup' }),
      ]),
    ).to.deep.equal(['cancel', 'start@now']);
    expect(
      steps('agency_followup', ticket({ status: 'pending_agency' }), facts('agent_reply'), { days: 5 }, [
        clock({ kind: 'agency_followup' }),
      ]),
    ).to.deep.equal(['stop']);
    // Sent back to the front desk before the agency answered: no longer the agency's clock.
    expect(
      steps('agency_followup', ticket({ status: 'new' }), facts('disposed'), { days: 5 }, [
        clock({ kind: 'agency_followup' }),
      ]),
    ).to.deep.equal(['cancel']);
  });

  it('cancels every running clock of a merged duplicate instead of judging it', () => {
    const merged = ticket({ status: 'closed', finished: true, merged: true });
    for (const kind of ['first_response', 'next_response', 'resolution', 'agency_followup'] as const) {
      expect(steps(kind, merged, facts(), { days: 3 }, [clock({ kind })])).to.deep.equal(['cancel']);
      expect(steps(kind, merged, facts(), { days: 3 }, [])).to.deep.equal(['none']);
    }
  });
});
