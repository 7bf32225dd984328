import type { AuthenticatedAgent } from '../auth/tokens.js';
import type { LiveEvent } from './event-tail.js';

/**
 * What a supervisor watches: deadlines (warnings, breaches) and the movements of the queue. The
 * rest of a ticket's life (messages, notes, field changes) stays on the agents' streams.
 */
export const SUPERVISOR_EVENTS: ReadonlySet<string> = new Set([
  'sla_warning', 'sla_breached',
  'ticket_created', 'assigned', 'claimed', 'transferred', 'returned_to_queue', 'reopened', 'resolved', 'closed', 'merged_into',
]);

/**
 * Whether an event goes to the supervisors' stream of `agent`. Admins: every team's. Supervisors:
 * their teams' tickets, and a ticket transferred out of one of their teams (it now belongs to the
 * other team, but it left their queue). Agents: nothing (the route refuses them anyway).
 */
export function reachesSupervisor(agent: AuthenticatedAgent, teamIds: ReadonlySet<number>, event: LiveEvent): boolean {
  if (!SUPERVISOR_EVENTS.has(event.type)) return false;
  if (agent.role === 'admin') return true;
  if (agent.role !== 'supervisor') return false;
  if (event.ticket.teamId !== null && teamIds.has(event.ticket.teamId)) return true;
  return event.type === 'transferred' && teamIds.has(Number(event.data.from_team));
}
