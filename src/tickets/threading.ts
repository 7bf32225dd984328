import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { mailThreadMarkers, type MailThreadMarkers } from '../mail/thread-markers.js';
import { findReferences } from './reference-number.js';
import { decideThreads } from './thread-decision.js';
import { ACTIVE_STATUSES } from './ticket-statuses.js';

export interface TicketRow {
  id: number;
  reference: string;
  contact_id: number;
  status: string;
  channel: string;
  language: string;
  /** Set on a duplicate merged into another ticket: its reference leads there. */
  merged_into_id?: number | null;
}

/**
 * How a message found its ticket: our own signed Message-ID it answers, the citizen's own earlier
 * mail it answers, a quoted reference number, a signed reply+ address, the contact's open ticket.
 */
export type ThreadReason =
  | 'message_id'
  | 'mail_thread'
  | 'reference'
  | 'reply_token'
  | 'clarification'
  | 'open_ticket'
  | 'new';

export interface ThreadDecision {
  /** The existing ticket the message belongs to. */
  ticket?: TicketRow;
  /** No existing ticket: the key of the new ticket it belongs to (shared within a batch). */
  newTicketKey?: string;
  /** This message opens the new ticket (the first of its key in the batch). */
  opensTicket: boolean;
  reason: ThreadReason;
  /** Reached someone else's ticket (a quoted reference, a forwarded mail): for an agent to confirm. */
  senderUnverified: boolean;
  /**
   * Reached someone else's ticket only by quoting its reference: a reference is no secret (it is
   * read out, printed, shared), so the message is kept on the ticket but held until an agent
   * confirms who wrote it; it neither acts as the citizen's message nor becomes where we write.
   * A reply to our signed Message-ID or reply+ address proves it answers mail we sent, so it is
   * attached (and flagged) but not held, as help desks treat a forwarded or CC'd reply.
   */
  held: boolean;
  /** References the citizen mistyped (wrong check digit): never matched, noted for the agent. */
  mistypedReferences: string[];
}

export interface ThreadInput {
  contactId: number;
  envelope: InboundEnvelope;
  /**
   * The message asked for the status of the reference it quotes and found no ticket of the
   * sender's there (src/inbox/status-requests.ts): the reference does not thread it, so that it is
   * never held on someone else's ticket; it goes where the sender's own messages go.
   */
  statusRequest?: boolean;
}

export interface ThreadOptions {
  /** The key that signs our mail ids and reply tokens (src/mail/signing-key.ts); without it none is trusted. */
  mailKey?: Buffer;
  /** A ticket resolved after this instant takes the citizen's reply (and reopens); older ones do not. */
  reopenResolvedAfter?: Date;
}

const TICKET_COLUMNS = ['id', 'reference', 'contact_id', 'status', 'channel', 'language', 'merged_into_id'];

export interface KnownTickets {
  byId: Map<number, TicketRow>;
  byReference: Map<string, TicketRow>;
  /** Tickets of earlier inbound mail, by that mail's Message-ID. */
  byMailId: Map<string, TicketRow>;
}

/**
 * Which ticket each message belongs to. Mail first follows its headers: one of our own signed
 * Message-IDs in In-Reply-To / References, then the citizen's own earlier mail there. Then, for
 * every channel, a valid reference number quoted in the subject or text, then (mail) a signed
 * reply+ address. Otherwise a mail opens a new ticket, as mail clients and issue 5 expect, while a
 * text message joins the contact's active ticket on its channel, or opens one that later messages
 * of the batch from that contact and channel join.
 * A web form always opens a new ticket. Closed tickets are never joined. Two queries for the whole batch, whatever its size.
 */
export async function threadMessages(
  trx: Knex.Transaction,
  inputs: ThreadInput[],
  options: ThreadOptions = {},
): Promise<ThreadDecision[]> {
  const quoted = inputs.map(({ envelope, statusRequest }) => {
    // The subject before the text: of quoted tickets none of which is the sender's, the first found is taken.
    const found = findReferences(`${envelope.subject ?? ''}\n${envelope.text}`);
    return { candidates: statusRequest ? [] : found.valid, mistyped: found.mistyped };
  });
  const markers: Array<MailThreadMarkers | undefined> = inputs.map(({ envelope }) =>
    envelope.channel === 'email' ? mailThreadMarkers(envelope, options.mailKey) : undefined,
  );
  const known = await knownTickets(
    trx,
    inputs,
    quoted.flatMap((entry) => entry.candidates),
    markers,
  );
  const { activeByKey, awaitingAnswer } = await activeTickets(trx, inputs, options.reopenResolvedAfter);
  const bySession = await sessionTickets(trx, inputs, options.reopenResolvedAfter);

  return decideThreads(inputs, { quoted, markers, known, activeByKey, awaitingAnswer, bySession });
}

/**
 * One query for every ticket the batch names: by reference number, by the ticket ids of verified
 * Message-IDs and reply tokens, and (UNION ALL) by the Message-IDs of earlier inbound mail.
 */
async function knownTickets(
  trx: Knex.Transaction,
  inputs: ThreadInput[],
  references: string[],
  markers: Array<MailThreadMarkers | undefined>,
): Promise<KnownTickets> {
  const known: KnownTickets = { byId: new Map(), byReference: new Map(), byMailId: new Map() };
  const ticketIds = [
    ...new Set(
      markers.flatMap((mail) =>
        mail ? [...mail.ourTicketIds, ...(mail.replyTicketId ? [mail.replyTicketId] : [])] : [],
      ),
    ),
  ];
  const mailIds = [...new Set(markers.flatMap((mail) => mail?.otherMessageIds ?? []))];
  const uniqueReferences = [...new Set(references)];
  const columns = TICKET_COLUMNS.map((column) => `t.${column}`);

  const direct =
    uniqueReferences.length + ticketIds.length > 0
      ? trx('tickets as t')
          .select(...columns, trx.raw('null as mail_id'))
          .where((query) => query.whereIn('t.reference', uniqueReferences).orWhereIn('t.id', ticketIds))
      : undefined;
  const providers = [...new Set(inputs.filter((_, index) => markers[index]).map(({ envelope }) => envelope.provider))];
  const viaMail =
    mailIds.length > 0
      ? trx('messages as m')
          .join('tickets as t', 't.id', 'm.ticket_id')
          .select(...columns, 'm.provider_message_id as mail_id')
          .whereIn('m.provider', providers) // (provider, provider_message_id) is the unique index
          .whereIn('m.provider_message_id', mailIds)
          .where('m.direction', 'inbound')
      : undefined;
  const query = direct && viaMail ? direct.unionAll(viaMail) : (direct ?? viaMail);
  if (!query) return known;

  const rows: Array<TicketRow & { mail_id: string | null }> = await query;
  for (const { mail_id: mailId, ...row } of rows) {
    const ticket = { ...row, id: Number(row.id), contact_id: Number(row.contact_id) };
    if (mailId === null || mailId === undefined) {
      known.byId.set(ticket.id, ticket);
      known.byReference.set(ticket.reference, ticket);
    } else {
      known.byMailId.set(mailId, ticket);
    }
  }
  await followMerges(trx, known);
  return known;
}

/**
 * The newest active (or recently resolved) ticket of each contact on each text channel, and each
 * contact's ticket waiting on their answer to a clarification, whatever its channel.
 */
async function activeTickets(
  trx: Knex.Transaction,
  inputs: ThreadInput[],
  reopenResolvedAfter: Date | undefined,
): Promise<{ activeByKey: Map<string, TicketRow>; awaitingAnswer: Map<number, TicketRow> }> {
  const activeByKey = new Map<string, TicketRow>();
  const awaitingAnswer = new Map<number, TicketRow>();
  const contactIds = [...new Set(inputs.map((input) => input.contactId))];
  const rows: Array<TicketRow & { resolved_at: unknown }> = await trx('tickets')
    .whereIn('contact_id', contactIds)
    .where((query) => {
      query.whereIn('status', ACTIVE_STATUSES);
      if (reopenResolvedAfter)
        query.orWhere((resolved) =>
          resolved.where('status', 'resolved').where('resolved_at', '>', reopenResolvedAfter),
        );
    })
    .orderBy('id', 'desc')
    .select([...TICKET_COLUMNS, 'resolved_at']);
  for (const { resolved_at: _resolvedAt, ...row } of rows) {
    const ticket = { ...row, id: Number(row.id), contact_id: Number(row.contact_id) };
    if (ticket.status === 'pending_citizen' && !awaitingAnswer.has(ticket.contact_id))
      awaitingAnswer.set(ticket.contact_id, ticket);
    // Mail never joins a ticket just for being open (see threadMessages).
    const key = `${ticket.contact_id}|${ticket.channel}`;
    if (ticket.channel !== 'email' && !activeByKey.has(key)) activeByKey.set(key, ticket);
  }
  return { activeByKey, awaitingAnswer };
}

/**
 * Each chat session's own ticket: the newest active (or recently resolved) one the session wrote
 * on, found by its inbound messages (their address is the session id). Merged tickets lead on to
 * the ticket they were merged into.
 */
async function sessionTickets(
  trx: Knex.Transaction,
  inputs: ThreadInput[],
  reopenResolvedAfter: Date | undefined,
): Promise<Map<string, TicketRow>> {
  const bySession = new Map<string, TicketRow>();
  const sessions = [
    ...new Set(
      inputs.flatMap(({ envelope }) =>
        envelope.channel === 'webchat' && envelope.from.webchatSession ? [envelope.from.webchatSession] : [],
      ),
    ),
  ];
  if (sessions.length === 0) return bySession;
  const rows: Array<TicketRow & { session: string }> = await trx('messages as m')
    .join('tickets as d', 'd.id', 'm.ticket_id')
    .join('tickets as t', 't.id', trx.raw('coalesce(d.merged_into_id, d.id)'))
    .whereIn('m.address', sessions)
    .where({ 'm.channel': 'webchat', 'm.direction': 'inbound' })
    .where((query) => {
      query.whereIn('t.status', ACTIVE_STATUSES);
      if (reopenResolvedAfter)
        query.orWhere((resolved) =>
          resolved.where('t.status', 'resolved').where('t.resolved_at', '>', reopenResolvedAfter),
        );
    })
    .orderBy('t.id', 'desc')
    .select('m.address as session', ...TICKET_COLUMNS.map((column) => `t.${column}`));
  for (const { session, ...row } of rows)
    if (!bySession.has(session))
      bySession.set(session, { ...row, id: Number(row.id), contact_id: Number(row.contact_id) });
  return bySession;
}

/** A reference quoted from a ticket merged into another leads to the ticket it was merged into. */
async function followMerges(trx: Knex.Transaction, known: KnownTickets): Promise<void> {
  const merged = [...known.byReference.values()].filter((ticket) => ticket.merged_into_id);
  if (merged.length === 0) return;
  const targets: TicketRow[] = await trx('tickets')
    .whereIn(
      'id',
      merged.map((ticket) => Number(ticket.merged_into_id)),
    )
    .select(TICKET_COLUMNS);
  const byId = new Map(
    targets.map((ticket) => [
      Number(ticket.id),
      { ...ticket, id: Number(ticket.id), contact_id: Number(ticket.contact_id) },
    ]),
  );
  for (const ticket of merged) {
    const target = byId.get(Number(ticket.merged_into_id));
    if (target) known.byReference.set(ticket.reference, target);
  }
}
