import type { Knex } from 'knex';
import { appendEvents } from '../tickets/events.js';
import { LOAD_STATUSES } from './routing-state.js';

/**
 * An agent who goes offline (or is disabled) gives back the work they had not started yet: tickets
 * with no reply sent, and call-backs not being called, so citizens do not wait on someone who is
 * gone. The tickets keep their place in the queue: they re-enter it at the time they were created;
 * a call-back keeps its due time, for the call-back pass or another agent's pull. Returns the
 * tickets, for routing to look at again.
 */
export async function returnUnstartedTickets(db: Knex, agentId: number, at: Date): Promise<number[]> {
  return db.transaction(async (trx) => {
    const tickets = await trx('tickets')
      .where({ assignee_id: agentId })
      .whereIn('status', LOAD_STATUSES)
      .whereNull('first_response_at')
      .select('id', 'created_at');
    const ids = tickets.map((ticket) => Number(ticket.id));
    if (ids.length > 0) {
      await trx('tickets')
        .whereIn('id', ids)
        .whereNull('first_response_at')
        .update({ assignee_id: null, assigned_at: null, queued_at: trx.ref('created_at'), updated_at: at });
    }
    const tasks = await trx('tasks').where({ assignee_id: agentId, status: 'open' }).select('id', 'ticket_id');
    if (tasks.length > 0)
      await trx('tasks')
        .whereIn(
          'id',
          tasks.map((task) => task.id),
        )
        .where({ status: 'open' })
        .update({ assignee_id: null, updated_at: at });
    await appendEvents(trx, [
      ...ids.map((ticketId) => ({
        ticketId,
        type: 'returned_to_queue' as const,
        actorType: 'system' as const,
        data: { agent_id: agentId, reason: 'agent_offline' as const },
        at,
      })),
      ...tasks.map((task) => ({
        ticketId: Number(task.ticket_id),
        type: 'callback_returned' as const,
        actorType: 'system' as const,
        data: { task_id: Number(task.id), agent_id: agentId, reason: 'agent_offline' as const },
        at,
      })),
    ]);
    return ids;
  });
}
