import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import { generateReference } from './reference-number.js';
import type { TicketRow } from './threading.js';

export interface NewTicket {
  contactId: number;
  channel: string;
  subject: string | null;
  language: string;
  teamId: number | null;
  at: Date;
  /** What a web form's citizen chose (vocabulary codes, checked by the web door); unset otherwise. */
  category?: string | null;
  complaintType?: string | null;
  permitNumber?: string | null;
  confidential?: boolean;
  anonymous?: boolean;
}

/**
 * Inserts tickets with fresh reference numbers in one statement. A number already taken (one in
 * ninety million per ticket) is drawn again before the insert.
 */
export async function createTickets(trx: Knex.Transaction, inputs: NewTicket[]): Promise<TicketRow[]> {
  if (inputs.length === 0) return [];
  const references = await freshReferences(trx, inputs.length);
  const rows = inputs.map((input, index) => ({
    reference: references[index]!,
    contact_id: input.contactId,
    channel: input.channel,
    subject: input.subject,
    status: 'new',
    priority: 'normal',
    team_id: input.teamId,
    language: input.language,
    category: input.category ?? null,
    complaint_type: input.complaintType ?? null,
    permit_number: input.permitNumber ?? null,
    confidential: input.confidential ?? false,
    anonymous: input.anonymous ?? false,
    created_at: input.at,
    updated_at: input.at,
    last_message_at: input.at,
    queued_at: input.at, // enters its team's queue now: routing takes the oldest first
  }));
  const inserted = await insertInChunks<(typeof rows)[number], { id: number; reference: string }>(rows, (chunk) =>
    trx('tickets').insert(chunk).returning(['id', 'reference']),
  );
  const idByReference = new Map(inserted.map((row) => [row.reference, Number(row.id)]));
  return rows.map((row) => ({
    id: idByReference.get(row.reference)!,
    reference: row.reference,
    contact_id: row.contact_id,
    status: 'new',
    channel: row.channel,
    language: row.language,
  }));
}

async function freshReferences(trx: Knex.Transaction, count: number): Promise<string[]> {
  const chosen = new Set<string>();
  while (chosen.size < count) {
    const drawn = new Set<string>();
    while (drawn.size < count - chosen.size) {
      const reference = generateReference();
      if (!chosen.has(reference)) drawn.add(reference);
    }
    const taken = new Set(
      await trx('tickets')
        .whereIn('reference', [...drawn])
        .pluck('reference'),
    );
    for (const reference of drawn) if (!taken.has(reference)) chosen.add(reference);
  }
  return [...chosen];
}

/** A short subject from the first line of a message, for lists. */
export function subjectFrom(text: string): string | null {
  const firstLine = text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (firstLine === '') return null;
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}
