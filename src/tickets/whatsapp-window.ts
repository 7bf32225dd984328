import type { Knex } from 'knex';
import { toIso } from '../db/rows.js';

/** WhatsApp accepts free-form messages only within 24 hours of the citizen's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;

export interface WhatsAppWindow {
  open: boolean;
  /** The citizen's last WhatsApp message (any of their tickets), null when they never wrote on it. */
  last_citizen_message_at: string | null;
  /** When the window closes (or closed): 24 hours after that message. */
  closes_at: string | null;
}

/**
 * Whether a free-form WhatsApp message may go to this citizen now: the one rule the reply path
 * enforces (src/tickets/replies.ts) and the ticket view shows before the agent types.
 */
export async function whatsAppWindow(db: Knex, contactId: number, at: Date): Promise<WhatsAppWindow> {
  const last = await db('messages as m')
    .join('tickets as t', 't.id', 'm.ticket_id')
    .where({ 't.contact_id': contactId, 'm.channel': 'whatsapp', 'm.direction': 'inbound' })
    // A held message was written by someone else: it opens no window to the citizen.
    .where((query) => query.whereNull('m.hold_status').orWhereNot('m.hold_status', 'held'))
    .orderBy('m.id', 'desc')
    .first('m.created_at');
  const lastAt = last ? Date.parse(toIso(last.created_at)!) : undefined;
  if (lastAt === undefined) return { open: false, last_citizen_message_at: null, closes_at: null };
  return {
    open: at.getTime() - lastAt < WHATSAPP_WINDOW_MS,
    last_citizen_message_at: new Date(lastAt).toISOString(),
    closes_at: new Date(lastAt + WHATSAPP_WINDOW_MS).toISOString(),
  };
}
