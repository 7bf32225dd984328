import type { RoutingStrategy } from './team-directory.js';
import type { AgentState, WaitingTicket } from './routing-state.js';

/** An agent can take the ticket: every needed skill, and a free slot on the ticket's channel. */
/** What deciding who may take a piece of work needs of it: the skills it asks for, the capacity channel it takes a slot of. */
export type WorkNeeds = Pick<WaitingTicket, 'skills' | 'channel'>;

export function canTake(agent: AgentState, ticket: WorkNeeds): boolean {
  return (
    ticket.skills.every((skill) => agent.skills.has(skill)) &&
    (agent.load[ticket.channel] ?? 0) < (agent.capacity[ticket.channel] ?? 0)
  );
}

const totalLoad = (agent: AgentState) => Object.values(agent.load).reduce((sum, count) => sum + count, 0);

/**
 * Who among the eligible agents gets the ticket. Ties fall back to longest idle, then the lowest
 * id, so a decision never depends on the order rows came back in.
 */
const COMPARE: Record<Exclude<RoutingStrategy, 'pull'>, (a: AgentState, b: AgentState) => number> = {
  longest_idle: (a, b) => a.idleSince - b.idleSince || a.id - b.id,
  least_busy: (a, b) => totalLoad(a) - totalLoad(b) || a.idleSince - b.idleSince || a.id - b.id,
  round_robin: (a, b) => a.lastAssignedAt - b.lastAssignedAt || a.id - b.id,
};

export function chooseAgent(
  strategy: Exclude<RoutingStrategy, 'pull'>,
  ticket: WorkNeeds,
  agents: AgentState[],
  previousAgentId?: number,
): AgentState | undefined {
  const eligible = agents.filter((agent) => canTake(agent, ticket));
  if (eligible.length === 0) return undefined;
  const previous = previousAgentId === undefined ? undefined : eligible.find((agent) => agent.id === previousAgentId);
  if (previous) return previous;
  return eligible.reduce((best, agent) => (COMPARE[strategy](agent, best) < 0 ? agent : best));
}
