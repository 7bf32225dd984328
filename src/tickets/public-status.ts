import type { Knex } from 'knex';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { workingDaysLeft } from '../calendar/working-time.js';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { normalizePhone } from '../contacts/phone.js';
import { fromJson, toIso } from '../db/rows.js';
import { maskPersonalData } from '../privacy-mask.js';
import { FRONT_DESK_SLUG } from './actions/transfer.js';
import { formatReference, isValidReference } from './reference-number.js';
import { STATUSES } from './vocabulary.js';

/** What proves the asker is the ticket's citizen, besides its number (which is no secret). */
export type SecondFactor = { phoneLast4: string } | { email: string };

export interface PublicReply {
  at: string;
  channel: string;
  /** The words we sent, with any phone number, email or NIK in them masked. */
  text: string;
}

/**
 * A ticket as its citizen may see it on the tracking page and API: never the citizen's own phone,
 * email or name, never internal notes, never who at the office works on it, only the team (the
 * front desk or the agency, OPD) that has it.
 */
export interface PublicStatus {
  reference: string;
  status: { code: string; label: { id: string; en: string } };
  /** The agency (OPD) that has the ticket; null while the office's front desk has it. */
  agency: string | null;
  createdAt: string;
  /**
   * The deadline the citizen waits on, while one runs (not while the office waits on the citizen,
   * not once done): the resolution deadline where the law sets one (an information request), else
   * the nearest answer the office owes (first response, next response, the agency's follow-up).
   */
  dueAt: string | null;
  dueFor: 'resolution' | 'response' | null;
  /** Working days left until dueAt in the team's calendar (0 when it has passed). */
  workingDaysLeft: number | null;
  /** The team calendar's time zone, to show dates as the office counts them. */
  timeZone: string;
  resolvedAt: string | null;
  /**
   * Our staff's written replies to the citizen, oldest first: acknowledgements and automatic texts
   * left out; one that could not be delivered shown too, since this page is another way to read it.
   */
  replies: PublicReply[];
}

export interface PublicStatusOptions {
  referencePrefix: string;
  defaultRegion: string;
  now: Date;
}

/** Replies shown at most: a long conversation's newest ones. */
export const MAX_PUBLIC_REPLIES = 50;

/**
 * The ticket behind a reference, for whoever also knows the last four digits of its citizen's phone
 * or the citizen's email. Every miss is `undefined` alike: an unknown or mistyped number, a wrong
 * factor, a ticket merged into another (its number is no longer the one to follow), so that the
 * answer never tells whether a ticket exists. The caller limits how often one may ask.
 */
export async function findPublicStatus(
  db: Knex,
  digits: string,
  factor: SecondFactor,
  options: PublicStatusOptions,
): Promise<PublicStatus | undefined> {
  const ticket = await findTrackedTicket(db, digits, factor, options.defaultRegion);
  if (!ticket) return undefined;

  const [team, clocks, replies, calendar] = await Promise.all([
    ticket.team_id == null ? undefined : db('teams').where({ id: ticket.team_id }).first('name', 'slug'),
    db('sla_clocks')
      .where({ ticket_id: ticket.id })
      .whereNull('stopped_at')
      .whereNull('paused_at')
      .whereNotNull('due_at')
      .select('kind', 'due_at') as Promise<Array<{ kind: string; due_at: unknown }>>,
    db('messages')
      .where({ ticket_id: ticket.id, direction: 'outbound', author_type: 'agent', kind: 'message', internal: false })
      .orderBy('id', 'desc')
      .limit(MAX_PUBLIC_REPLIES)
      .select('created_at', 'channel', 'body'),
    loadTeamCalendar(db, ticket.team_id == null ? null : Number(ticket.team_id)),
  ]);
  const term = STATUSES.find((entry) => entry.code === ticket.status);
  const finished = ticket.status === 'resolved' || ticket.status === 'closed';
  const due = finished ? undefined : nextDeadline(clocks);
  return {
    reference: formatReference(String(ticket.reference), options.referencePrefix),
    status: { code: String(ticket.status), label: term?.label ?? { id: ticket.status, en: ticket.status } },
    // The front desk is named in the citizen's words by the page ("Petugas layanan"), not by its admin name.
    agency: team && team.slug !== FRONT_DESK_SLUG ? String(team.name) : null,
    createdAt: toIso(ticket.created_at)!,
    dueAt: due ? due.at.toISOString() : null,
    dueFor: due?.kind ?? null,
    workingDaysLeft: due ? workingDaysLeft(calendar, options.now, due.at) : null,
    timeZone: calendar.timeZone,
    resolvedAt: toIso(ticket.resolved_at) ?? null,
    replies: replies.reverse().map((reply: { created_at: unknown; channel: string; body: string }) => ({
      at: toIso(reply.created_at)!,
      channel: reply.channel,
      text: maskPersonalData(reply.body, options.defaultRegion),
    })),
  };
}

/** The ticket row behind a reference and a matching second factor, or `undefined` for every miss alike. */
export async function findTrackedTicket(db: Knex, digits: string, factor: SecondFactor, defaultRegion: string) {
  if (!isValidReference(digits)) return undefined;
  const ticket = await db('tickets')
    .where({ reference: digits })
    .first(
      'id',
      'reference',
      'contact_id',
      'channel',
      'status',
      'team_id',
      'created_at',
      'resolved_at',
      'merged_into_id',
    );
  if (!ticket || ticket.merged_into_id) return undefined;
  if (!(await factorMatches(db, Number(ticket.id), factor, defaultRegion))) return undefined;
  return ticket;
}

function nextDeadline(
  clocks: Array<{ kind: string; due_at: unknown }>,
): { at: Date; kind: 'resolution' | 'response' } | undefined {
  const resolution = clocks.find((clock) => clock.kind === 'resolution');
  if (resolution) return { at: new Date(toIso(resolution.due_at)!), kind: 'resolution' };
  const times = clocks.map((clock) => new Date(toIso(clock.due_at)!).getTime()).sort((a, b) => a - b);
  return times.length > 0 ? { at: new Date(times[0]!), kind: 'response' } : undefined;
}

/** The providers whose envelopes carry a phone or email typed by the citizen: the form and the chat. */
const TYPED_PROVIDERS = ['web', 'webchat'];

/**
 * Whether the factor is one of the addresses this ticket's citizen wrote from: the addresses of its
 * own inbound messages (a stranger's held message is not theirs), and the phone or email its web
 * form or its chat gave (a chat's messages come from its session, whose address is no phone).
 * Not simply any identity of the contact: a web form proves neither address, so another form may
 * have tied a stranger's email or phone to this citizen (see webFormAddress in
 * src/contacts/contact-address.ts), and that must not open this citizen's ticket to the stranger.
 */
async function factorMatches(
  db: Knex,
  ticketId: number,
  factor: SecondFactor,
  defaultRegion: string,
): Promise<boolean> {
  const [written, forms] = await Promise.all([
    db('messages')
      .where({ ticket_id: ticketId, direction: 'inbound' })
      .where((query) => query.whereNull('hold_status').orWhereNot('hold_status', 'held'))
      .whereNotNull('address')
      .distinct('address')
      .pluck('address') as Promise<string[]>,
    db('inbox').where({ ticket_id: ticketId }).whereIn('provider', TYPED_PROVIDERS).pluck('envelope') as Promise<
      unknown[]
    >,
  ]);
  const addresses = new Set(written.map((address) => address.trim().toLowerCase()));
  for (const envelope of forms) {
    const { phone, email } = fromJson<InboundEnvelope>(envelope).from;
    if (phone) addresses.add(normalizePhone(phone, defaultRegion) ?? phone);
    if (email) addresses.add(email.trim().toLowerCase());
  }
  if ('email' in factor) return addresses.has(factor.email.trim().toLowerCase());
  if (!/^\d{4}$/.test(factor.phoneLast4)) return false;
  // Phones are kept in E.164: the last four digits are the last four characters.
  return [...addresses].some((address) => !address.includes('@') && address.endsWith(factor.phoneLast4));
}
