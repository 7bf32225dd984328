import type { ClockKind, Target } from './policies.js';

/** What just happened to a ticket, beyond what its row says. */
export type ClockFact = 'citizen_message' | 'agent_reply' | 'disposed';

/** A clock as the rules see it; `null` stopped_at means running. */
export interface ClockState {
  id?: number;
  kind: ClockKind;
  startedAt: Date;
  pausedAt: Date | null;
  pausedMinutes: number;
  stoppedAt: Date | null;
  outcome: 'met' | 'breached' | 'cancelled' | null;
  dueAt: Date | null;
  breachedAt: Date | null;
}

/** The ticket as the rules see it. */
export interface TicketClockView {
  status: string;
  finished: boolean;
  /** Merged into another ticket: its work goes on there, so its clocks are cancelled, not judged. */
  merged: boolean;
  createdAt: Date;
  firstResponseAt: Date | null;
}

/**
 * What to do with one kind of clock, given the ticket, what just happened, the policy's target and
 * the clocks of that kind so far (oldest first). The rules of issue 4:
 * - first response runs from the ticket's creation to the first public reply (once per ticket);
 * - next response runs from a citizen's message, once they have had a first response, to the next
 *   public reply;
 * - resolution runs from creation to resolution, paused while the ticket waits on the citizen
 *   (the paused time is not counted), resumed by a reopen; a transfer keeps it running;
 * - agency follow-up (SP4N-LAPOR!) runs from a disposition to an agency (OPD) to that agency's first
 *   public reply; another disposition starts it afresh;
 * - a clock whose target the ticket's policy no longer has is cancelled; a finished ticket stops all.
 */
export type ClockStep =
  | { step: 'start'; at: 'created' | 'now' }
  | { step: 'stop' }
  | { step: 'cancel' }
  | { step: 'pause' }
  | { step: 'resume' }
  | { step: 'reopen' }
  | { step: 'keep' }
  | { step: 'none' };

export function decideClock(
  kind: ClockKind,
  ticket: TicketClockView,
  facts: ReadonlySet<ClockFact>,
  target: Target | undefined,
  clocks: readonly ClockState[],
): ClockStep[] {
  const running = clocks.find((clock) => clock.stoppedAt === null);
  const latest = clocks.at(-1);
  const waitingOnCitizen = ticket.status === 'pending_citizen';
  const replied = facts.has('agent_reply');
  if (ticket.merged) return [{ step: running ? 'cancel' : 'none' }];

  switch (kind) {
    case 'first_response':
      if (running) {
        if (ticket.firstResponseAt !== null || replied || ticket.finished) return [{ step: 'stop' }];
        return target ? [{ step: 'keep' }] : [{ step: 'cancel' }];
      }
      return target && ticket.firstResponseAt === null && !ticket.finished && clocks.length === 0
        ? [{ step: 'start', at: 'created' }]
        : [{ step: 'none' }];

    case 'next_response':
      if (running) {
        if (replied || ticket.finished) return [{ step: 'stop' }];
        return target ? [{ step: 'keep' }] : [{ step: 'cancel' }];
      }
      return target && facts.has('citizen_message') && ticket.firstResponseAt !== null && !ticket.finished
        ? [{ step: 'start', at: 'now' }]
        : [{ step: 'none' }];

    case 'resolution': {
      if (running) {
        if (ticket.finished) return [{ step: 'stop' }];
        if (!target) return [{ step: 'cancel' }];
        if (waitingOnCitizen && running.pausedAt === null) return [{ step: 'pause' }];
        if (!waitingOnCitizen && running.pausedAt !== null) return [{ step: 'resume' }];
        return [{ step: 'keep' }];
      }
      if (!target || ticket.finished) return [{ step: 'none' }];
      const then: ClockStep[] = waitingOnCitizen ? [{ step: 'pause' }] : [];
      // A reopened ticket carries on with the clock it had; one whose policy dropped and regained
      // the target starts over from the ticket's creation.
      if (latest && latest.outcome !== 'cancelled') return [{ step: 'reopen' }, ...then];
      return [{ step: 'start', at: 'created' }, ...then];
    }

    case 'agency_followup': {
      const disposed = facts.has('disposed') && ticket.status === 'pending_agency';
      const steps: ClockStep[] = [];
      if (running) {
        if (replied || ticket.finished) return [{ step: 'stop' }];
        const stillWithAgency = ticket.status === 'pending_agency' || waitingOnCitizen;
        if (!target || disposed || !stillWithAgency) steps.push({ step: 'cancel' });
        else return [{ step: 'keep' }];
      }
      if (target && disposed) steps.push({ step: 'start', at: 'now' });
      return steps.length > 0 ? steps : [{ step: 'none' }];
    }
  }
}
