import type { Knex } from 'knex';
import { assignIfFree } from './assign.js';
import { agentState, waitingTickets } from './routing-state.js';
import { canTake } from './strategies.js';

/**
 * Pull mode: the agent takes the next waiting ticket of their teams themselves, highest priority
 * first, then oldest, among those they have the skills and a free slot for. A ticket someone
 * else took a moment earlier is skipped for the next one.
 */
export async function takeNext(db: Knex, agentId: number, now: () => Date): Promise<number | undefined> {
  const teamIds = (await db('agent_teams').where({ agent_id: agentId }).pluck('team_id')).map(Number);
  const agent = teamIds.length > 0 ? await agentState(db, agentId) : undefined;
  if (!agent) return undefined;
  for (const ticket of await waitingTickets(db, teamIds, 100)) {
    if (!canTake(agent, ticket)) continue;
    if (await assignIfFree(db, { ticketId: ticket.id, seenUpdatedAt: ticket.updatedAt, teamId: ticket.teamId, channel: ticket.channel, agentId, by: { kind: 'pull' }, at: now() })) {
      return ticket.id;
    }
  }
  return undefined;
}
