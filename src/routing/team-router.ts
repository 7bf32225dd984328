import type { Knex } from 'knex';
import type { Logger } from '../logger.js';
import type { RoutingStrategy } from './team-directory.js';
import { answeringAgents } from '../voice/answered-calls.js';
import { assignIfFree } from './assign.js';
import { availableAgents, previousAgents, waitingTickets } from './routing-state.js';
import { chooseAgent } from './strategies.js';

export interface RoutingSettings {
  preferPreviousAgent: boolean;
  /** Tickets looked at per team and pass. */
  batchSize: number;
  /** The phone line's provider (the voice adapter's `provider`): whose calls an agent answered. */
  voiceProvider: string;
}

export interface RoutingOutcome {
  assigned: Array<{ ticketId: number; agentId: number }>;
}

/**
 * Offers a team's waiting tickets, highest priority and oldest first, to its available agents by
 * the team's strategy. Decisions are made in memory on one snapshot of the team (agents, skills,
 * capacities, loads), and each is committed with assignIfFree, which re-checks everything that
 * another router or an agent may have changed meanwhile.
 */
export async function routeTeam(
  db: Knex,
  teamId: number,
  settings: RoutingSettings,
  now: () => Date,
  logger: Logger,
): Promise<RoutingOutcome> {
  const outcome: RoutingOutcome = { assigned: [] };
  const team = await db('teams').where({ id: teamId, active: true }).first('routing_strategy');
  const strategy = team?.routing_strategy as RoutingStrategy | undefined;
  if (!strategy || strategy === 'pull') return outcome;

  let agents = await availableAgents(db, teamId, now());
  if (agents.length === 0) return outcome;
  const tickets = await waitingTickets(db, [teamId], settings.batchSize);
  const answered = await answeringAgents(
    db,
    settings.voiceProvider,
    tickets.map((ticket) => ticket.id),
  );
  const previous = settings.preferPreviousAgent
    ? await previousAgents(db, [...new Set(tickets.map((ticket) => ticket.contactId))])
    : new Map<number, number>();

  let racesLost = 0;
  for (const ticket of tickets) {
    // The agent who answered the citizen's call first, then the citizen's previous agent: each only
    // if eligible now (available, skills, a free slot), else the strategy's choice.
    const preferred = answered.get(ticket.id) ?? previous.get(ticket.contactId);
    const agent = chooseAgent(strategy, ticket, agents, preferred);
    if (!agent) continue;
    const at = now();
    if (
      await assignIfFree(db, {
        ticketId: ticket.id,
        seenUpdatedAt: ticket.updatedAt,
        teamId,
        channel: ticket.channel,
        agentId: agent.id,
        by: { kind: 'routing', strategy },
        at,
      })
    ) {
      agent.load[ticket.channel] = (agent.load[ticket.channel] ?? 0) + 1;
      agent.idleSince = agent.lastAssignedAt = at.getTime();
      outcome.assigned.push({ ticketId: ticket.id, agentId: agent.id });
    } else {
      // Someone else changed the picture (the ticket was claimed, the agent filled up or left):
      // look again at the agents, a few times per pass at most; the next signal or pass goes on.
      logger.debug({ ticketId: ticket.id, agentId: agent.id }, 'assignment lost a race');
      if (++racesLost > 3) break;
      agents = await availableAgents(db, teamId, now());
    }
  }
  return outcome;
}
