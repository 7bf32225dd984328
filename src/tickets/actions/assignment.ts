import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../../auth/tokens.js';
import { ConflictError, UnprocessableError } from '../../errors.js';
import { findAccessibleTicket } from '../ticket-access.js';
import { ACTIVE_STATUSES } from '../ticket-statuses.js';
import { assertAllowed, lockVisibleTicket, normalize, type ActionContext } from './action-context.js';

/** A new ticket becomes open once someone has it; waiting statuses stay what they are. */
const OPEN_IF_NEW = "case when status = 'new' then 'open' else status end";

/**
 * A supervisor or admin hands a ticket to an agent of its team by hand, taking it from whoever had
 * it. The agent must be active and in the ticket's team (422 otherwise): routing rules on skills
 * and capacity are the supervisor's to overrule, team membership is not, as it decides visibility.
 */
export async function assignTicket(
  context: ActionContext,
  supervisor: AuthenticatedAgent,
  ticketId: number,
  agentId: number,
): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const ticket = await lockVisibleTicket(trx, supervisor, ticketId);
    assertAllowed(ticket, 'assign');
    if (ticket.assignee_id === agentId) return; // already theirs: nothing changes, no event
    if (ticket.team_id === null || !(await servesTeam(trx, agentId, ticket.team_id))) {
      throw new UnprocessableError(
        'agent_not_eligible',
        `Agent ${agentId} is not an active member of the ticket's team`,
        { agent_id: agentId, team_id: ticket.team_id },
      );
    }
    await trx('tickets')
      .where({ id: ticketId })
      .update({ assignee_id: agentId, assigned_at: at, queued_at: null, status: trx.raw(OPEN_IF_NEW), updated_at: at });
    await trx('agents').where({ id: agentId }).update({ last_assigned_at: at });
    await tx.append([
      {
        ticketId,
        type: 'assigned',
        actorType: 'agent',
        actorId: supervisor.id,
        data: { agent_id: agentId, by: supervisor.id, team_id: ticket.team_id, previous_agent_id: ticket.assignee_id },
        at,
      },
    ]);
    tx.capacityFreed([ticket.assignee_id]);
  });
}

/**
 * An agent takes a waiting ticket of their team. One conditional UPDATE decides between agents
 * claiming at once (and the routing worker assigning): whoever changes the row while it is still
 * unassigned wins, every other claim gets 409.
 */
export async function claimTicket(context: ActionContext, agent: AuthenticatedAgent, ticketId: number): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    // No row lock here: a claim must not queue behind another claim only to lose.
    await findAccessibleTicket(trx, agent, ticketId);
    const ticket = normalize(await trx('tickets').where({ id: ticketId }).first());
    if (ticket.assignee_id !== null && ticket.merged_into_id === null && ACTIVE.includes(ticket.status))
      throw alreadyAssigned(ticket.assignee_id);
    assertAllowed(ticket, 'claim');
    if (ticket.team_id === null || !(await servesTeam(trx, agent.id, ticket.team_id))) {
      throw new UnprocessableError('not_in_team', "Only agents of the ticket's team may claim it", {
        team_id: ticket.team_id,
      });
    }
    const won = await trx('tickets')
      .where({ id: ticketId })
      .whereNull('assignee_id')
      .whereIn('status', ACTIVE)
      .update({
        assignee_id: agent.id,
        assigned_at: at,
        queued_at: null,
        status: trx.raw(OPEN_IF_NEW),
        updated_at: at,
      });
    if (won === 0) {
      const winner = await trx('tickets').where({ id: ticketId }).first('assignee_id');
      throw alreadyAssigned(winner?.assignee_id == null ? null : Number(winner.assignee_id));
    }
    await trx('agents').where({ id: agent.id }).update({ last_assigned_at: at });
    await tx.append([
      {
        ticketId,
        type: 'claimed',
        actorType: 'agent',
        actorId: agent.id,
        data: { agent_id: agent.id, by: agent.id, team_id: ticket.team_id },
        at,
      },
    ]);
  });
}

const ACTIVE: string[] = [...ACTIVE_STATUSES];

function alreadyAssigned(assigneeId: number | null): ConflictError {
  return new ConflictError('already_assigned', 'Someone else took this ticket first', { assignee_id: assigneeId });
}

async function servesTeam(trx: Knex.Transaction, agentId: number, teamId: number): Promise<boolean> {
  const row = await trx('agents as a')
    .join('agent_teams as at', 'at.agent_id', 'a.id')
    .where({ 'a.id': agentId, 'a.active': true, 'at.team_id': teamId })
    .first('a.id');
  return Boolean(row);
}
