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
  /** The existing ticket the message belongs to. */
  ticket?: TicketRow;
  /** No existing ticket: the key of the new ticket it belongs to (shared within a batch). */
  newTicketKey?: string;
  /** This message opens the new ticket (the first of its key in the batch). */
  opensTicket: boolean;
  reason: 'reference' | 'open_ticket' | 'new';
  /** A quoted reference of someone else's ticket: attached, but for an agent to confirm. */
  senderUnverified: boolean;
  /** References the citizen mistyped (wrong check digit): never matched, noted for the agent. */
  mistypedReferences: string[];
}

export interface ThreadInput {
  contactId: number;
  envelope: InboundEnvelope;
}

const TICKET_COLUMNS = ['id', 'reference', 'contact_id', 'status', 'channel', 'language'];

/**
 * Which ticket each message belongs to, in this order: a valid reference number quoted in the
 * text (or carried by the envelope); else the contact's active ticket on the same channel; else a
 * new ticket, which later messages of the same batch from that contact and channel join. Two
 * queries for the whole batch, whatever its size.
 */
export async function threadMessages(trx: Knex.Transaction, inputs: ThreadInput[]): Promise<ThreadDecision[]> {
  const quoted = inputs.map(({ envelope }) => {
    const found = findReferences(`${envelope.subject ?? ''}\n${envelope.text}`);
    const candidates = [envelope.thread?.ticketRef, ...found.valid].filter((value): value is string => Boolean(value));
    return { candidates, mistyped: found.mistyped };
  });
  const references = [...new Set(quoted.flatMap((entry) => entry.candidates))];
  const referenced: TicketRow[] = references.length > 0 ? await trx('tickets').whereIn('reference', references).select(TICKET_COLUMNS) : [];
  const contactIds = [...new Set(inputs.map((input) => input.contactId))];
  const active: TicketRow[] = await trx('tickets')
    .whereIn('contact_id', contactIds)
    .whereIn('status', ACTIVE_STATUSES)
    .orderBy('id', 'desc')
    .select(TICKET_COLUMNS);
  const activeByKey = new Map<string, TicketRow>();
  for (const ticket of active) {
    const key = `${ticket.contact_id}|${ticket.channel}`;
    if (!activeByKey.has(key)) activeByKey.set(key, ticket);
  }

  const opened = new Set<string>();
  return inputs.map(({ contactId, envelope }, index) => {
    const { candidates, mistyped } = quoted[index]!;
    const base = { opensTicket: false, senderUnverified: false, mistypedReferences: mistyped };
    const matches = referenced.filter((ticket) => candidates.includes(ticket.reference) && ticket.status !== 'closed');
    const byReference = matches.find((ticket) => Number(ticket.contact_id) === contactId) ?? matches[0];
    if (byReference) {
      return { ...base, ticket: byReference, reason: 'reference', senderUnverified: Number(byReference.contact_id) !== contactId };
    }
    const key = `${contactId}|${envelope.channel}`;
    const open = activeByKey.get(key);
    if (open) return { ...base, ticket: open, reason: 'open_ticket' };
    if (opened.has(key)) return { ...base, newTicketKey: key, reason: 'open_ticket' };
    opened.add(key);
    return { ...base, newTicketKey: key, opensTicket: true, reason: 'new' };
  });
}
