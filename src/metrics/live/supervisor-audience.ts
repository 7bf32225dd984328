import type { AuthenticatedAgent } from '../../auth/tokens.js';
import type { LiveEvent } from './event-tail.js';

/**
 * What a supervisor watches: deadlines (warnings, breaches) and the movements of the queue. The
 * rest of a ticket's life (messages, notes, field changes) stays on the agents' streams.
 */
export const SUPERVISOR_EVENTS: ReadonlySet<string> = new Set([
  'sla_warning',
  'sla_breached',
  'sla_escalated',
  'escalation_team_unavailable',
  'escalated',
  'ticket_created',
  'assigned',
  'claimed',
  'transferred',
  'returned_to_queue',
  'reopened',
  'resolved',
  'closed',
  'merged_into',
]);

/** Events that name the team a ticket left or was in when they happened (it may have moved since). */
const EARLIER_TEAM: Record<string, string> = {
  transferred: 'from_team',
  escalated: 'from_team',
  sla_warning: 'team_id',
  sla_breached: 'team_id',
  sla_escalated: 'team_id',
};

/**
 * Whether an event goes to the supervisors' stream of `agent`. Admins: every team's. Supervisors:
 * their teams' tickets, and a ticket that was theirs when the event happened: transferred or
 * escalated out of one of their teams, or breaching there before an escalation moved it.
 * Agents: nothing (the route refuses them anyway).
 */
export function reachesSupervisor(agent: AuthenticatedAgent, teamIds: ReadonlySet<number>, event: LiveEvent): boolean {
  if (!SUPERVISOR_EVENTS.has(event.type)) return false;
  if (agent.role === 'admin') return true;
  if (agent.role !== 'supervisor') return false;
  if (event.ticket.teamId !== null && teamIds.has(event.ticket.teamId)) return true;
  const earlier = EARLIER_TEAM[event.type];
  return earlier !== undefined && teamIds.has(Number(event.data[earlier]));
}
