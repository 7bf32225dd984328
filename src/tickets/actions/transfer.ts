import type { AuthenticatedAgent } from '../../auth/tokens.js';
import { UnprocessableError } from '../../errors.js';
import type { TicketTransaction } from '../unit-of-work.js';
import {
  assertAllowed,
  insertInternalNote,
  lockVisibleTicket,
  type ActionContext,
  type TicketState,
} from './action-context.js';

/** The team every new contact lands in (seeded by the first migration, used by the inbound worker). */
export const FRONT_DESK_SLUG = 'front-desk';

export interface TransferInput {
  teamId: number;
  /** The disposition's instruction to the receiving team, kept as an internal note. */
  note: string;
}

/**
 * Disposition (disposisi): the ticket moves to another team's queue, unassigned, with a note for
 * its agents. Sent to an agency (OPD) it waits on that agency (`pending_agency`, the status whose
 * follow-up deadline SP4N-LAPOR! counts); sent back to the front desk it is new work there. Any
 * agent who can see a ticket may dispose it, as at a real front desk.
 */
export async function transferTicket(
  context: ActionContext,
  agent: AuthenticatedAgent,
  ticketId: number,
  input: TransferInput,
): Promise<void> {
  await context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const ticket = await lockVisibleTicket(trx, agent, ticketId);
    assertAllowed(ticket, 'transfer');
    const team = await trx('teams').where({ id: input.teamId }).first('id', 'slug', 'active');
    if (!team) throw new UnprocessableError('unknown_team', `No team with id ${input.teamId}`);
    if (!team.active)
      throw new UnprocessableError('team_inactive', `The team ${team.slug} is inactive and takes no tickets`);
    if (ticket.team_id === input.teamId)
      throw new UnprocessableError('same_team', `The ticket is with the team ${team.slug} already`);

    const status = await moveToTeam(tx, ticket, team);
    const messageId = await insertInternalNote(trx, ticket, agent, input.note, at);
    await tx.append([
      {
        ticketId,
        type: 'transferred',
        actorType: 'agent',
        actorId: agent.id,
        data: {
          from_team: ticket.team_id,
          to_team: input.teamId,
          from_assignee: ticket.assignee_id,
          from_status: ticket.status,
          to_status: status,
          note: input.note,
          message_id: messageId,
        },
        at,
      },
    ]);
    // The clocks keep running (the SLA follows the event); a disposition to an agency starts its follow-up clock.
  });
}

/**
 * A disposition's move, for an agent's transfer and for an SLA escalation alike: the ticket enters
 * the team's queue now (routing takes the oldest first), unassigned; at an agency it waits on the
 * agency (`pending_agency`), back at the front desk it is new work. The caller checked the state
 * machine and writes its own event. Returns the new status.
 */
export async function moveToTeam(
  tx: TicketTransaction,
  ticket: Pick<TicketState, 'id' | 'assignee_id'>,
  team: { id: number; slug: string },
): Promise<'new' | 'pending_agency'> {
  const status = team.slug === FRONT_DESK_SLUG ? 'new' : 'pending_agency';
  await tx.trx('tickets').where({ id: ticket.id }).update({
    team_id: team.id,
    assignee_id: null,
    assigned_at: null,
    status,
    queued_at: tx.at,
    updated_at: tx.at,
  });
  tx.ticketsQueued([ticket.id]);
  tx.capacityFreed([ticket.assignee_id]);
  return status;
}
