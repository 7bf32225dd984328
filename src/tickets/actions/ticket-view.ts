import type { Knex } from 'knex';
import { toIso } from '../../db/rows.js';
import { NotFoundError } from '../../errors.js';
import { formatReference } from '../reference-number.js';
import { allowedActions, normalize } from './action-context.js';
import { editableFields } from './update-fields.js';

/**
 * A ticket's state as an action left it, with what may be done next, answered by every action
 * route. Read without the visibility filter on purpose: after a transfer or a confidential flag the
 * acting agent may no longer see the ticket, yet should learn what their own action did.
 */
export async function ticketStateView(db: Knex, id: number, referencePrefix: string) {
  const row = await db('tickets').where({ id }).first();
  if (!row) throw new NotFoundError('Ticket');
  const ticket = normalize(row);
  return {
    id: ticket.id,
    reference: formatReference(ticket.reference, referencePrefix),
    status: ticket.status,
    channel: ticket.channel,
    ...editableFields(row),
    team_id: ticket.team_id,
    assignee_id: ticket.assignee_id,
    merged_into_id: ticket.merged_into_id,
    allowed_actions: allowedActions(ticket),
    queued_at: toIso(row.queued_at),
    assigned_at: toIso(row.assigned_at),
    resolved_at: toIso(row.resolved_at),
    closed_at: toIso(row.closed_at),
    updated_at: toIso(row.updated_at),
  };
}

export type TicketStateView = Awaited<ReturnType<typeof ticketStateView>>;
