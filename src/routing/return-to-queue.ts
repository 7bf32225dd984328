import type { Knex } from 'knex';
import { appendEvents } from '../tickets/events.js';
import { LOAD_STATUSES } from './routing-state.js';

/**
 * An agent who goes offline (or is disabled) gives back the tickets they had not started yet (no
 * reply sent), so citizens do not wait on someone who is gone. The tickets keep their place in
 * the queue: they re-enter it at the time they were created.
 */
export async function returnUnstartedTickets(db: Knex, agentId: number, at: Date): Promise<number[]> {
  return db.transaction(async (trx) => {
    const tickets = await trx('tickets').where({ assignee_id: agentId }).whereIn('status', LOAD_STATUSES).whereNull('first_response_at').select('id', 'created_at');
    if (tickets.length === 0) return [];
    const ids = tickets.map((ticket) => Number(ticket.id));
    await trx('tickets').whereIn('id', ids).whereNull('first_response_at').update({ assignee_id: null, assigned_at: null, queued_at: trx.ref('created_at'), updated_at: at });
    await appendEvents(trx, ids.map((ticketId) => ({ ticketId, type: 'returned_to_queue', actorType: 'system' as const, data: { agent_id: agentId, reason: 'agent_offline' }, at })));
    return ids;
  });
}
