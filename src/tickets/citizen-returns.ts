import type { TicketRow } from './threading.js';
import type { TicketTransaction } from './unit-of-work.js';

/**
 * A citizen wrote on a ticket that was waiting on them (a clarification was asked) or that was
 * resolved: the ticket goes back to work. Back to its agent when it has one, else into its team's
 * queue (routing hears of them: they are queued, and one that has an agent is only seen again).
 * The clarification's reminder and deadline are dropped.
 */
export async function resumeOnCitizenMessage(tx: TicketTransaction, tickets: TicketRow[]): Promise<void> {
  const { trx, at } = tx;
  const answered = tickets.filter((ticket) => ticket.status === 'pending_citizen').map((ticket) => ticket.id);
  const reopened = tickets.filter((ticket) => ticket.status === 'resolved').map((ticket) => ticket.id);
  if (answered.length + reopened.length === 0) return;
  const backToWork = {
    status: trx.raw("case when assignee_id is null then 'new' else 'open' end"),
    queued_at: trx.raw('case when assignee_id is null then ? else queued_at end', [at]),
    updated_at: at,
  };
  if (answered.length > 0) {
    await trx('tickets')
      .whereIn('id', answered)
      .where('status', 'pending_citizen')
      .update({ ...backToWork, clarification_remind_at: null, clarification_expires_at: null });
  }
  if (reopened.length > 0) {
    await trx('tickets')
      .whereIn('id', reopened)
      .where('status', 'resolved')
      .update({ ...backToWork, resolved_at: null });
  }
  await tx.append([
    ...answered.map((ticketId) => ({
      ticketId,
      type: 'clarification_answered' as const,
      actorType: 'citizen' as const,
      data: {},
      at,
    })),
    ...reopened.map((ticketId) => ({
      ticketId,
      type: 'reopened' as const,
      actorType: 'citizen' as const,
      data: { reason: 'citizen_replied' as const },
      at,
    })),
  ]);
  tx.ticketsQueued([...answered, ...reopened]);
}
