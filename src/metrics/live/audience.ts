import type { AuthenticatedAgent } from '../../auth/tokens.js';
import type { LiveEvent } from './event-tail.js';

/** Whether an event goes to a viewer who belongs to `teamIds` (`reaches`, `reachesSupervisor`). */
export type Audience = (agent: AuthenticatedAgent, teamIds: ReadonlySet<number>, event: LiveEvent) => boolean;

/** Events about the agent's queue: what reaches them even for tickets not (or no longer) theirs. */
const QUEUE_EVENTS = new Set(['ticket_created', 'transferred', 'returned_to_queue', 'reopened']);

/**
 * Whether an event goes to an agent's console. Admins get everything; supervisors every event of
 * their teams' tickets; agents the events of their own tickets, the assignment or claim that made
 * a ticket theirs or took it away, and queue changes of their teams' unassigned, non-confidential
 * tickets.
 */
export function reaches(agent: AuthenticatedAgent, teamIds: ReadonlySet<number>, event: LiveEvent): boolean {
  if (agent.role === 'admin') return true;
  const inMyTeams = event.ticket.teamId !== null && teamIds.has(event.ticket.teamId);
  if (agent.role === 'supervisor') return inMyTeams || mentions(event, agent.id);
  if (event.ticket.assigneeId === agent.id || mentions(event, agent.id)) return true;
  return inMyTeams && event.ticket.assigneeId === null && !event.ticket.confidential && QUEUE_EVENTS.has(event.type);
}

/**
 * The event names the agent: assigned to them (`agent_id`), or taken from them: handed to another
 * agent (`assigned`'s `previous_agent_id`), or moved to another team (`transferred`'s and
 * `escalated`'s `from_assignee`), the keys src/tickets/event-types.ts gives those events.
 */
function mentions(event: LiveEvent, agentId: number): boolean {
  const data = event.data;
  return [data.agent_id, data.previous_agent_id, data.from_assignee].some(
    (value) => value !== null && value !== undefined && Number(value) === agentId,
  );
}
