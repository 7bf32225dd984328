import type { Knex } from 'knex';
import { DEFAULT_CAPACITY } from '../agents/agent-directory.js';
import { isPostgres } from '../db/knex.js';
import type { ChannelKind } from '../../channels/adapter.js';
import { appendEvents } from '../tickets/events.js';
import { LOAD_STATUSES, WAITING_STATUSES } from './routing-state.js';

export interface Assignment {
  ticketId: number;
  /** The ticket as routing saw it; a change since (skills, team, priority) makes this a no-op. */
  seenUpdatedAt: Date;
  teamId: number;
  channel: string;
  agentId: number;
  /** Routing's own choice (only for agents marked available), or an agent taking work from the queue. */
  by: { kind: 'routing'; strategy: string } | { kind: 'pull' };
  at: Date;
}

/**
 * Gives a waiting ticket to an agent, or does nothing if someone was faster. The ticket is taken
 * with a conditional UPDATE (still unassigned, still in that team, still waiting), so two
 * routers, or a router and an agent pulling, never give one ticket to two agents; the agent's row
 * is locked while their load is recounted, so two tickets never squeeze into one free slot.
 */
export async function assignIfFree(db: Knex, assignment: Assignment): Promise<boolean> {
  return db.transaction(async (trx) => {
    const agentQuery = trx('agents').where({ id: assignment.agentId, active: true });
    if (assignment.by.kind === 'routing') agentQuery.where({ presence: 'available' });
    if (isPostgres(db)) agentQuery.forUpdate();
    if (!(await agentQuery.first('id'))) return false;
    const [capacityRow, loadRow] = await Promise.all([
      trx('agent_capacities').where({ agent_id: assignment.agentId, channel: assignment.channel }).first('capacity'),
      trx('tickets').where({ assignee_id: assignment.agentId, channel: assignment.channel }).whereIn('status', LOAD_STATUSES).count({ n: '*' }).first(),
    ]);
    const capacity = capacityRow ? Number(capacityRow.capacity) : (DEFAULT_CAPACITY[assignment.channel as ChannelKind] ?? 0);
    if (Number(loadRow?.n ?? 0) >= capacity) return false;

    const taken = await trx('tickets')
      .where({ id: assignment.ticketId, team_id: assignment.teamId, updated_at: assignment.seenUpdatedAt })
      .whereNull('assignee_id')
      .whereIn('status', WAITING_STATUSES)
      .update({
        assignee_id: assignment.agentId,
        assigned_at: assignment.at,
        queued_at: null,
        status: trx.raw("case when status = 'new' then 'open' else status end"),
        updated_at: assignment.at,
      });
    if (taken !== 1) return false;
    await trx('agents').where({ id: assignment.agentId }).update({ last_assigned_at: assignment.at });
    await appendEvents(trx, [
      {
        ticketId: assignment.ticketId,
        type: assignment.by.kind === 'pull' ? 'claimed' : 'assigned',
        actorType: assignment.by.kind === 'pull' ? 'agent' : 'system',
        actorId: assignment.by.kind === 'pull' ? assignment.agentId : null,
        data: { agent_id: assignment.agentId, team_id: assignment.teamId, ...(assignment.by.kind === 'routing' ? { strategy: assignment.by.strategy } : { via: 'queue_next' }) },
        at: assignment.at,
      },
    ]);
    return true;
  });
}
