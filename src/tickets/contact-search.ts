import type { Knex } from 'knex';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { toIso } from '../db/rows.js';
import { ValidationError } from '../errors.js';
import { formatReference } from './reference-number.js';
import { reporterHidden } from './reporter-protection.js';
import { visibleTo } from './ticket-access.js';
import type { IdentityKind } from '../contacts/contact-service.js';
import { normalizePhone } from '../contacts/phone.js';

/** One identity to look a citizen up by, written as it is stored (contact_identities). */
export interface ContactKey {
  /** The identity kinds the value may be stored under: a phone, or a WhatsApp id that is not one. */
  kinds: IdentityKind[];
  value: string;
}

/** Longer than any email address (RFC 5321: 254) with room for spaces around it. */
export const MAX_CONTACT_TEXT = 320;
/** No phone number, however written (`whatsapp:+62 812-3456-7890`), is longer than this. */
const MAX_PHONE_TEXT = 64;
/** Something, one `@`, something; no spaces: a single pass, no backtracking. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * What an agent typed to find a citizen, as the identity it is stored as: an email lower-cased
 * (as the mail channel stores it), a phone in any local form (`0812…`, `62812…`, `+62 812-…`,
 * `whatsapp:+62…`) normalised as the channels normalise it, so that each finds what the others
 * recorded. Anything else is a 400 naming the field.
 */
export function contactKey(text: string, defaultRegion: string, field = 'contact'): ContactKey {
  const trimmed = text.trim();
  if (trimmed.includes('@')) {
    if (trimmed.length > MAX_CONTACT_TEXT || !EMAIL.test(trimmed)) throw invalid(field, 'not an email address');
    return { kinds: ['email'], value: trimmed.toLowerCase() };
  }
  const phone = trimmed.length <= MAX_PHONE_TEXT ? normalizePhone(trimmed, defaultRegion) : undefined;
  if (!phone) throw invalid(field, 'neither a phone number nor an email address');
  return { kinds: ['phone', 'whatsapp'], value: phone };
}

function invalid(field: string, problem: string): ValidationError {
  return new ValidationError(`Invalid query: ${field}: ${problem}`, [{ field, problem }]);
}

/** The contacts a key names: by the unique (kind, value) index, so at most one per kind. */
const contactsWith = (db: Knex, key: ContactKey) =>
  db('contact_identities').whereIn('kind', key.kinds).where('value', key.value).select('contact_id');

/**
 * Narrows a ticket query (tickets aliased `t`, already narrowed to what the agent may see) to the
 * tickets of the citizen with this identity. An anonymous report is never found this way by a
 * viewer from whom its reporter is hidden: finding it by the reporter's number would say who made it.
 */
export function whereCitizenIs(
  query: Knex.QueryBuilder,
  db: Knex,
  agent: AuthenticatedAgent,
  key: ContactKey,
): Knex.QueryBuilder {
  query.whereIn('t.contact_id', contactsWith(db, key));
  if (reporterHidden({ anonymous: true }, agent)) query.where('t.anonymous', false);
  return query;
}

/** The newest tickets listed per contact; `ticket_count` says how many there are in all. */
export const TICKETS_PER_CONTACT = 20;

/**
 * The citizens with this identity who have at least one ticket the agent may see (and, for an
 * anonymous report, whose reporter they may see), each with those tickets, newest first. The
 * contact's name and identities are given as the ticket view gives them: every ticket listed is
 * one whose reporter the agent may see, so nothing here is more than they could read on it. A
 * citizen known only through tickets the agent may not see is not listed at all.
 */
export async function searchContacts(db: Knex, agent: AuthenticatedAgent, key: ContactKey, referencePrefix: string) {
  const visible = () => whereCitizenIs(visibleTo(db('tickets as t'), db, agent), db, agent, key);
  const counts: Array<{ contact_id: unknown; n: unknown }> = await visible()
    .groupBy('t.contact_id')
    .select('t.contact_id', db.raw('count(*) as n'));
  const contacts = [];
  for (const { contact_id: contactId, n } of counts.sort((a, b) => Number(a.contact_id) - Number(b.contact_id))) {
    const id = Number(contactId);
    const [contact, identities, tickets] = await Promise.all([
      db('contacts').where({ id }).first('id', 'display_name'),
      db('contact_identities').where({ contact_id: id }).orderBy('id').select('kind', 'value'),
      visible()
        .where('t.contact_id', id)
        .orderBy('t.id', 'desc')
        .limit(TICKETS_PER_CONTACT)
        .select('t.id', 't.reference', 't.status', 't.channel', 't.subject', 't.team_id', 't.created_at'),
    ]);
    contacts.push({
      id,
      display_name: contact?.display_name ?? null,
      identities,
      ticket_count: Number(n),
      tickets: tickets.map((ticket: Record<string, unknown>) => ({
        id: Number(ticket.id),
        reference: formatReference(String(ticket.reference), referencePrefix),
        status: ticket.status,
        channel: ticket.channel,
        subject: ticket.subject,
        team_id: ticket.team_id === null ? null : Number(ticket.team_id),
        created_at: toIso(ticket.created_at),
      })),
    });
  }
  return { data: contacts };
}
