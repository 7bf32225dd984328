import type { Knex } from 'knex';
import type { ChannelKind } from '../../channels/adapter.js';
import type { IdentityKind } from './contact-service.js';

/** The identities of a contact a channel can write to (WhatsApp through Twilio is a phone number). */
export const WRITABLE_IDENTITIES: Record<ChannelKind, IdentityKind[]> = {
  sms: ['phone'],
  whatsapp: ['phone', 'whatsapp'],
  voice: ['phone'],
  email: ['email'],
  webchat: ['webchat'],
};

/**
 * Where to write to a ticket's citizen on a channel: always one of the contact's own identities,
 * never simply the address a message last came from (anyone can quote a reference number; issue
 * 12). Among several, `prefer` (an address already known to be theirs, such as a call-back
 * number) if it is one of them, else the one they last wrote from on that channel (held messages,
 * written by someone else, do not count), else the oldest.
 */
export async function contactAddress(
  db: Knex | Knex.Transaction,
  contactId: number,
  channel: ChannelKind,
  prefer?: string,
): Promise<string | undefined> {
  const kinds = WRITABLE_IDENTITIES[channel] ?? [];
  if (kinds.length === 0) return undefined;
  const identities: string[] = await db('contact_identities')
    .where({ contact_id: contactId })
    .whereIn('kind', kinds)
    .orderBy('id')
    .pluck('value');
  if (identities.length <= 1) return identities[0];
  if (prefer && identities.includes(prefer)) return prefer;
  const last = await db('messages as m')
    .join('tickets as t', 't.id', 'm.ticket_id')
    .where({ 't.contact_id': contactId, 'm.channel': channel, 'm.direction': 'inbound' })
    .whereIn('m.address', identities)
    .where((query) => query.whereNull('m.hold_status').orWhereNot('m.hold_status', 'held'))
    .orderBy('m.id', 'desc')
    .first('m.address');
  return last?.address ?? identities[0];
}

/** The written channels a contact has an identity for. */
export async function knownChannels(db: Knex | Knex.Transaction, contactId: number): Promise<ChannelKind[]> {
  const kinds = new Set<string>(await db('contact_identities').where({ contact_id: contactId }).pluck('kind'));
  return (Object.keys(WRITABLE_IDENTITIES) as ChannelKind[]).filter((channel) =>
    WRITABLE_IDENTITIES[channel].some((kind) => kinds.has(kind)),
  );
}
