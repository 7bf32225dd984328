import type { Knex } from 'knex';
import type { ChannelKind } from '../../channels/adapter.js';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { contactAddress, identityKindOf } from '../contacts/contact-address.js';
import { mergeContacts } from '../contacts/contact-merge.js';
import { toIso } from '../db/rows.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { acknowledgementText } from '../i18n/citizen-texts.js';
import { queueOutbound } from '../messages/outbox.js';
import { writtenChannel } from '../messages/channel-policy.js';
import { assertAllowed, lockVisibleTicket, type ActionContext } from './actions/action-context.js';
import { resumeOnCitizenMessage } from './citizen-returns.js';
import { createTickets, subjectFrom } from './create-ticket.js';
import { formatReference } from './reference-number.js';
import { visibleTo } from './ticket-access.js';
import type { TicketRow } from './threading.js';

/*
 * Messages held on a ticket (see ThreadDecision.held): someone who is not the ticket's citizen
 * quoted its reference. Kept on the ticket so nothing is lost, shown to agents, and decided by one
 * of them: confirm (the sender is the citizen, or speaks for them: the message joins the ticket
 * and the sender's contact is merged into the citizen's) or split (a ticket of the sender's own).
 * Until then it is not the citizen's message and no address of the sender is written to.
 */

export interface HeldMessageSettings {
  officeName: string;
  referencePrefix: string;
}

export interface HeldMessageView {
  id: number;
  ticket_id: number;
  ticket_reference: string;
  channel: string;
  kind: string;
  body: string | null;
  /** Where it came from: agents need it to decide (the sender is not the ticket's reporter). */
  sender_address: string | null;
  sender_contact_id: number | null;
  created_at: string | null;
}

/** The held messages on tickets the agent may see, oldest first (they wait longest). */
export async function listHeldMessages(
  db: Knex,
  agent: AuthenticatedAgent,
  referencePrefix: string,
  options: { ticketId?: number; limit: number },
): Promise<HeldMessageView[]> {
  const query = db('messages as m')
    .join('tickets as t', 't.id', 'm.ticket_id')
    .where('m.hold_status', 'held')
    .orderBy('m.id')
    .limit(options.limit)
    .select(
      'm.id',
      'm.ticket_id',
      't.reference',
      'm.channel',
      'm.kind',
      'm.body',
      'm.address',
      'm.sender_contact_id',
      'm.created_at',
    );
  if (options.ticketId !== undefined) query.where('m.ticket_id', options.ticketId);
  const rows: Array<Record<string, unknown>> = await visibleTo(query, db, agent);
  return rows.map((row) => ({
    id: Number(row.id),
    ticket_id: Number(row.ticket_id),
    ticket_reference: formatReference(String(row.reference), referencePrefix),
    channel: String(row.channel),
    kind: String(row.kind),
    body: (row.body as string | null) ?? null,
    sender_address: (row.address as string | null) ?? null,
    sender_contact_id: row.sender_contact_id === null ? null : Number(row.sender_contact_id),
    created_at: toIso(row.created_at),
  }));
}

/**
 * Confirms a held message: it becomes the citizen's message on its ticket (answering a
 * clarification, reopening a resolved ticket, starting the next-response clock, as it would have
 * had the citizen sent it), and the sender's contact is merged into the ticket's, so their
 * address is the citizen's from now on. The sender's other held messages on the ticket go with it.
 */
export async function confirmHeldMessage(
  context: ActionContext,
  agent: AuthenticatedAgent,
  messageId: number,
): Promise<{ ticketId: number; messageIds: number[]; mergedContactId: number | null }> {
  return context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const { message, ticket } = await lockHeld(trx, agent, messageId);
    const sender = message.sender_contact_id;
    const mergedContactId = sender !== null && sender !== ticket.contact_id ? sender : null;
    if (mergedContactId !== null) await mergeContacts(trx, mergedContactId, ticket.contact_id, at);
    const messageIds: number[] = (
      await trx('messages')
        .where({ ticket_id: ticket.id, hold_status: 'held' })
        .where((query) => {
          query.where('id', messageId);
          if (sender !== null) query.orWhere('sender_contact_id', ticket.contact_id);
        })
        .orderBy('id')
        .pluck('id')
    ).map(Number);
    await trx('messages')
      .whereIn('id', messageIds)
      .update({ hold_status: 'confirmed', hold_decided_at: at, hold_decided_by: agent.id });
    await tx.append([
      {
        ticketId: ticket.id,
        type: 'held_message_confirmed',
        actorType: 'agent',
        actorId: agent.id,
        data: { message_ids: messageIds, merged_contact_id: mergedContactId },
        at,
      },
    ]);
    await resumeOnCitizenMessage(tx, [ticket as unknown as TicketRow]);
    await trx('tickets').where({ id: ticket.id }).update({ last_message_at: at, updated_at: at });
    return { ticketId: ticket.id, messageIds, mergedContactId };
  });
}

/**
 * Splits a held message off into a new ticket of its sender's own, in the same team (the agent
 * deciding works there), acknowledged to the sender with its own reference like any new ticket.
 */
export async function splitHeldMessage(
  context: ActionContext,
  agent: AuthenticatedAgent,
  messageId: number,
  settings: HeldMessageSettings,
): Promise<{ ticketId: number; reference: string; outboxIds: number[] }> {
  return context.unitOfWork.run(context.now(), async (tx) => {
    const { trx, at } = tx;
    const { message, ticket } = await lockHeld(trx, agent, messageId);
    const senderId = message.sender_contact_id ?? ticket.contact_id;
    const sender = await trx('contacts').where({ id: senderId }).first('language');
    const language = String(sender?.language ?? 'id');
    const [created] = await createTickets(trx, [
      {
        contactId: senderId,
        channel: message.channel,
        subject: subjectFrom(message.body ?? ''),
        language,
        teamId: ticket.team_id,
        at,
      },
    ]);
    const newTicket = created!;
    await trx('messages')
      .where({ id: messageId })
      .update({ ticket_id: newTicket.id, hold_status: 'split', hold_decided_at: at, hold_decided_by: agent.id });
    const reference = formatReference(newTicket.reference, settings.referencePrefix);
    const base = { actorType: 'agent' as const, actorId: agent.id, at };
    await tx.append([
      {
        ...base,
        ticketId: ticket.id,
        type: 'held_message_split',
        data: { message_id: messageId, new_ticket_id: newTicket.id, new_reference: newTicket.reference },
      },
      {
        ...base,
        ticketId: newTicket.id,
        type: 'ticket_created',
        data: {
          channel: message.channel as ChannelKind,
          reference: newTicket.reference,
          split_from_ticket_id: ticket.id,
        },
      },
      {
        ...base,
        ticketId: newTicket.id,
        type: 'message_received',
        data: { message_id: messageId, channel: message.channel as ChannelKind, threaded_by: 'split' },
      },
    ]);
    const identities = message.channel === 'web' && message.address ? [identityKindOf(message.address)] : [];
    const channel = writtenChannel(message.channel, identities) as ChannelKind;
    const address = await contactAddress(trx, senderId, channel, message.address ?? undefined);
    const outboxIds = address
      ? await queueOutbound(trx, [
          {
            ticketId: newTicket.id,
            channel,
            address,
            body: acknowledgementText(language, { office: settings.officeName, reference }),
            kind: 'acknowledgement',
            authorType: 'system',
            at,
          },
        ])
      : [];
    tx.ticketsQueued([newTicket.id]);
    return { ticketId: newTicket.id, reference, outboxIds };
  });
}

interface HeldRow {
  id: number;
  ticket_id: number;
  channel: string;
  body: string | null;
  address: string | null;
  sender_contact_id: number | null;
}

/**
 * The held message and its ticket, locked; 404 when the agent may not see the ticket (as for any
 * ticket action), 409 when the message is not held (already decided, or never held).
 */
async function lockHeld(trx: Knex.Transaction, agent: AuthenticatedAgent, messageId: number) {
  const row = await trx('messages')
    .where({ id: messageId })
    .first('id', 'ticket_id', 'channel', 'body', 'address', 'hold_status', 'sender_contact_id');
  if (!row) throw new NotFoundError('Held message');
  // A ticket the agent may not see hides its messages too: the same 404 as an unknown id.
  const ticket = await lockVisibleTicket(trx, agent, Number(row.ticket_id)).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError('Held message') : error;
  });
  if (row.hold_status !== 'held') {
    throw new ConflictError(
      'not_held',
      'The message is not held: an agent decided on it already, or it was never held',
      {
        hold_status: row.hold_status ?? null,
      },
    );
  }
  assertAllowed(ticket, 'update');
  const message: HeldRow = {
    id: Number(row.id),
    ticket_id: Number(row.ticket_id),
    channel: String(row.channel),
    body: row.body ?? null,
    address: row.address ?? null,
    sender_contact_id:
      row.sender_contact_id === null || row.sender_contact_id === undefined ? null : Number(row.sender_contact_id),
  };
  return { message, ticket };
}
