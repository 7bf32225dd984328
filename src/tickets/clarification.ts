import type { ChannelKind } from '../../channels/adapter.js';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { addWorkingDays } from '../calendar/working-time.js';
import { ConflictError } from '../errors.js';
import { replyToTicket, type ReplyContext } from './replies.js';
import type { TicketStatus } from './ticket-statuses.js';

export interface ClarificationPolicy {
  /** Working days after which the citizen is reminded. */
  reminderDays: number;
  /** Working days after which the ticket finishes without an answer (SP4N-LAPOR!: 10). */
  expiryDays: number;
}

/** Remind after 5 working days; finish after 10 without an answer (SP4N-LAPOR!). */
export const DEFAULT_CLARIFICATION_POLICY: ClarificationPolicy = { reminderDays: 5, expiryDays: 10 };

/** Statuses from which a clarification can be asked. */
const ASKABLE = new Set(['new', 'open', 'pending_agency', 'pending_citizen']);

/**
 * Asks the citizen for what is missing: the question goes out on their channel like a reply, and
 * in the same transaction the ticket starts waiting on them (pending_citizen: it leaves the agent's
 * load and its resolution clock pauses), with a reminder and a deadline in the team's working days.
 * Their next message, on any channel, brings it back (see citizen-returns.ts).
 */
export async function requestClarification(
  context: ReplyContext & { policy: ClarificationPolicy },
  agent: AuthenticatedAgent,
  input: { ticketId: number; body: string; channel?: ChannelKind },
): Promise<{ messageId: number; outboxId: number; remindAt: Date; expiresAt: Date }> {
  const due = { remindAt: new Date(0), expiresAt: new Date(0) };
  // The calendar is read before the reply's transaction: SQLite has one connection, held by it.
  const team = await context.db('tickets').where({ id: input.ticketId }).first('team_id');
  const calendar = await loadTeamCalendar(context.db, team?.team_id ? Number(team.team_id) : null);
  const sent = await replyToTicket(context, agent, {
    ...input,
    alsoInTransaction: async (tx, ticket, messageId) => {
      const { trx, at } = tx;
      if (!ASKABLE.has(ticket.status)) {
        throw new ConflictError('invalid_transition', `A clarification cannot be asked of a ${ticket.status} ticket`, {
          status: ticket.status,
        });
      }
      due.remindAt = addWorkingDays(calendar, at, context.policy.reminderDays);
      due.expiresAt = addWorkingDays(calendar, at, context.policy.expiryDays);
      await trx('tickets').where({ id: ticket.id }).update({
        status: 'pending_citizen',
        clarification_requested_at: at,
        clarification_remind_at: due.remindAt,
        clarification_reminded_at: null,
        clarification_expires_at: due.expiresAt,
        updated_at: at,
      });
      await tx.append([
        {
          ticketId: ticket.id,
          type: 'clarification_requested',
          actorType: 'agent',
          actorId: agent.id,
          data: {
            message_id: messageId,
            remind_at: due.remindAt.toISOString(),
            expires_at: due.expiresAt.toISOString(),
            previous_status: ticket.status as TicketStatus,
          },
          at,
        },
      ]);
      // Waiting on the citizen frees the agent's slot.
      tx.capacityFreed([ticket.assignee_id]);
    },
  });
  return { ...sent, ...due };
}
