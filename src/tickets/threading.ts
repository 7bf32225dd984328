import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { findReferences } from './reference-number.js';
import { ACTIVE_STATUSES } from './ticket-statuses.js';

export interface TicketRow {
  id: number;
  reference: string;
  contact_id: number;
  status: string;
  channel: string;
  language: string;
}

export interface ThreadDecision {
  /** The ticket the message belongs to; undefined means a new ticket. */
  ticket?: TicketRow;
  reason: 'reference' | 'open_ticket' | 'new';
  /** A quoted reference of someone else's ticket: attached, but for an agent to confirm. */
  senderUnverified: boolean;
  /** References the citizen mistyped (wrong check digit): never matched, noted for the agent. */
  mistypedReferences: string[];
}

const TICKET_COLUMNS = ['id', 'reference', 'contact_id', 'status', 'channel', 'language'];

/**
 * Which ticket a message belongs to, in this order: a valid reference number quoted in the text
 * or the envelope; else the contact's active ticket on the same channel; else a new ticket.
 */
export async function threadMessage(trx: Knex.Transaction, contactId: number, envelope: InboundEnvelope): Promise<ThreadDecision> {
  const quoted = findReferences(`${envelope.subject ?? ''}\n${envelope.text}`);
  const candidates = [envelope.thread?.ticketRef, ...quoted.valid].filter((value): value is string => Boolean(value));
  const mistypedReferences = quoted.mistyped;

  if (candidates.length > 0) {
    const tickets: TicketRow[] = await trx('tickets').whereIn('reference', candidates).select(TICKET_COLUMNS);
    // Prefer the contact's own ticket when several references were quoted.
    const ticket = tickets.find((row) => Number(row.contact_id) === contactId) ?? tickets[0];
    if (ticket && ticket.status !== 'closed') {
      return { ticket, reason: 'reference', senderUnverified: Number(ticket.contact_id) !== contactId, mistypedReferences };
    }
  }

  const open: TicketRow | undefined = await trx('tickets')
    .where({ contact_id: contactId, channel: envelope.channel })
    .whereIn('status', ACTIVE_STATUSES)
    .orderBy('id', 'desc')
    .first(TICKET_COLUMNS);
  if (open) return { ticket: open, reason: 'open_ticket', senderUnverified: false, mistypedReferences };

  return { reason: 'new', senderUnverified: false, mistypedReferences };
}
