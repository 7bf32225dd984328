import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';
import { whatsAppWindowState, type WhatsAppWindow } from '../messages/channel-policy.js';

/**
 * The citizen's WhatsApp window now (the rule: src/messages/channel-policy.ts): the one the reply
 * path enforces (src/tickets/replies.ts), the ticket view shows before the agent types, and status
 * updates check before writing on WhatsApp.
 */
export async function whatsAppWindow(
  db: Knex | Knex.Transaction,
  contactId: number,
  at: Date,
): Promise<WhatsAppWindow> {
  const last = await db('messages as m')
    .join('tickets as t', 't.id', 'm.ticket_id')
    .where({ 't.contact_id': contactId, 'm.channel': 'whatsapp', 'm.direction': 'inbound' })
    // A held message was written by someone else: it opens no window to the citizen.
    .where((query) => query.whereNull('m.hold_status').orWhereNot('m.hold_status', 'held'))
    .orderBy('m.id', 'desc')
    .first('m.created_at');
  return whatsAppWindowState(last ? new Date(toIso(last.created_at)!) : undefined, at);
}
