import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../../auth/tokens.js';
import {
  assertAllowed,
  insertInternalNote,
  lockVisibleTicket,
  type ActionContext,
  type TicketState,
} from './action-context.js';

/**
 * Resolve, close, reopen: the end of a ticket's life and its return. Each checks the state machine
 * (409 naming the current status and what is allowed), writes one event and says what changed for
 * the queue: a resolved or closed ticket frees its assignee's capacity, a reopened one without an
 * agent waits in its team's queue again.
 */
export async function resolveTicket(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  note?: string,
): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'resolve');
    const messageId = note ? await insertInternalNote(trx, ticket, agent, note, at) : null;
    await trx('tickets')
      .where({ id: ticketId })
      .update({ status: 'resolved', resolved_at: at, queued_at: null, updated_at: at });
    await tx.append([
      {
        ticketId,
        type: 'resolved',
        actorType: 'agent',
        actorId: agent.id,
        data: { from_status: ticket.status, note: note ?? null, message_id: messageId },
        at,
      },
    ]);
    tx.capacityFreed([ticket.assignee_id]);
  });
}

export async function closeTicket(context: ActionContext, agent: AuthenticatedAgent, ticketId: number): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'close');
    await trx('tickets')
      .where({ id: ticketId })
      .update({ status: 'closed', closed_at: at, queued_at: null, updated_at: at });
    await tx.append([
      { ticketId, type: 'closed', actorType: 'agent', actorId: agent.id, data: { from_status: ticket.status }, at },
    ]);
    tx.capacityFreed([ticket.assignee_id]);
  });
}

/**
 * Back to work: to its assignee (open) when they still serve the ticket's team, otherwise into the
 * team's queue (new, unassigned), so that a reopened ticket never waits on an agent who left.
 */
export async function reopenTicket(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  note?: string,
): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'reopen');
    const assignee = (await stillServes(trx, ticket)) ? ticket.assignee_id : null;
    const status = assignee === null ? 'new' : 'open';
    const messageId = note ? await insertInternalNote(trx, ticket, agent, note, at) : null;
    await trx('tickets')
      .where({ id: ticketId })
      .update({
        status,
        assignee_id: assignee,
        assigned_at: assignee === null ? null : ticket.assigned_at,
        queued_at: assignee === null ? at : null,
        resolved_at: null,
        closed_at: null,
        updated_at: at,
      });
    await tx.append([
      {
        ticketId,
        type: 'reopened',
        actorType: 'agent',
        actorId: agent.id,
        data: {
          from_status: ticket.status,
          to_status: status,
          assignee_id: assignee,
          note: note ?? null,
          message_id: messageId,
        },
        at,
      },
    ]);
    // A reopen resumes the resolution clock (the SLA follows the event): the time it spent resolved is not counted.
    if (assignee === null) tx.ticketsQueued([ticketId]);
  });
}

async function stillServes(trx: Knex.Transaction, ticket: TicketState): Promise<boolean> {
  if (ticket.assignee_id === null || ticket.team_id === null) return false;
  const row = await trx('agents as a')
    .join('agent_teams as at', 'at.agent_id', 'a.id')
    .where({ 'a.id': ticket.assignee_id, 'a.active': true, 'at.team_id': ticket.team_id })
    .first('a.id');
  return Boolean(row);
}
