import type { Knex } from 'knex';
import { isValidReference } from './reference-number.js';
import { STATUSES } from './vocabulary.js';

export type ReferenceLookup =
  | { kind: 'mistyped' }
  | { kind: 'not_found' }
  | { kind: 'found'; ticketId: number; status: string; label: string };

/**
 * The status of a ticket asked for by its reference number, on the phone pad (src/voice/ivr.ts)
 * or by SMS and WhatsApp (src/inbox/status-requests.ts). The check digit catches a typo before any
 * lookup; a valid number is answered only when the ticket belongs to the contact of the asking
 * phone, so that nobody learns about someone else's ticket by guessing or by knowing its number
 * (a reference is read out, printed, shared). A merged duplicate's number answers with the ticket
 * it was merged into.
 */
export async function lookUpReference(
  db: Knex,
  digits: string | undefined,
  phone: string | null,
  language: 'id' | 'en',
): Promise<ReferenceLookup> {
  if (!digits || !isValidReference(digits)) return { kind: 'mistyped' };
  if (!phone) return { kind: 'not_found' };
  let ticket = await db('tickets').where({ reference: digits }).first('id', 'contact_id', 'status', 'merged_into_id');
  if (ticket?.merged_into_id)
    ticket = await db('tickets')
      .where({ id: ticket.merged_into_id })
      .first('id', 'contact_id', 'status', 'merged_into_id');
  if (!ticket) return { kind: 'not_found' };
  const own = await db('contact_identities')
    .where({ contact_id: ticket.contact_id, kind: 'phone', value: phone })
    .first('id');
  if (!own) return { kind: 'not_found' };
  const term = STATUSES.find((entry) => entry.code === ticket.status);
  return {
    kind: 'found',
    ticketId: Number(ticket.id),
    status: String(ticket.status),
    label: term ? term.label[language] : String(ticket.status),
  };
}
