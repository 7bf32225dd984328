import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import { generateReference } from './reference-number.js';
import type { TicketRow } from './threading.js';

export interface NewTicket {
  contactId: number;
  channel: string;
  subject: string | null;
  language: string;
  teamId: number | null;
  at: Date;
}

/** Inserts a ticket with a fresh reference number (re-drawn in the rare case it is taken). */
export async function createTicket(trx: Knex.Transaction, input: NewTicket): Promise<TicketRow> {
  let reference = generateReference();
  while (await trx('tickets').where({ reference }).first('id')) reference = generateReference();
  const id = await insertReturningId(trx, 'tickets', {
    reference,
    contact_id: input.contactId,
    channel: input.channel,
    subject: input.subject,
    status: 'new',
    priority: 'normal',
    team_id: input.teamId,
    language: input.language,
    created_at: input.at,
    updated_at: input.at,
    last_message_at: input.at,
  });
  return { id, reference, contact_id: input.contactId, status: 'new', channel: input.channel, language: input.language };
}

/** A short subject from the first line of a message, for lists. */
export function subjectFrom(text: string): string | null {
  const firstLine = text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (firstLine === '') return null;
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}
