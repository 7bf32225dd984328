import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { resolveContact, type ResolvedContact } from '../contacts/contact-service.js';
import { isPostgres } from '../db/knex.js';
import { insertReturningId } from '../db/rows.js';
import { acknowledgementText } from '../i18n/citizen-texts.js';
import { queueOutbound } from '../messages/outbox.js';
import { createTicket, subjectFrom } from '../tickets/create-ticket.js';
import { appendEvents, type TicketEventInput } from '../tickets/events.js';
import { formatReference } from '../tickets/reference-number.js';
import { threadMessage, type TicketRow } from '../tickets/threading.js';
import { loadEnvelope } from './inbox.js';

export interface IngestSettings {
  defaultRegion: string;
  defaultLanguage: string;
  officeName: string;
  referencePrefix: string;
  /** The team new tickets land in (the front desk). */
  defaultTeamId: number | null;
}

export interface IngestResult {
  ticketId?: number;
  /** Outbox entries written in the same transaction, to enqueue after commit. */
  outboxIds: number[];
}

/**
 * Turns one inbox row into a message on a ticket: contact, threading, message, attachments,
 * events, and the acknowledgement of a new ticket, all in one transaction that also marks the row
 * processed. Running it twice for one row does nothing the second time.
 */
export async function ingestInboxRow(db: Knex, inboxId: number, settings: IngestSettings, now: () => Date): Promise<IngestResult> {
  const loaded = await loadEnvelope(db, inboxId);
  if (!loaded || loaded.processed) return { outboxIds: [] };
  const { envelope } = loaded;
  const contact = await resolveContact(db, envelope.from, { ...settings, now: now() });

  return db.transaction(async (trx) => {
    const claim = trx('inbox').where({ id: inboxId }).whereNull('processed_at');
    if (isPostgres(db)) {
      // Serialise work on one inbox row and on one citizen across worker processes, so that two
      // first messages from the same number cannot open two tickets.
      claim.forUpdate();
      await trx('contacts').where({ id: contact.id }).forUpdate().first('id');
    }
    if (!(await claim.first('id'))) return { outboxIds: [] };

    const at = now();
    const decision = await threadMessage(trx, contact.id, envelope);
    const ticket =
      decision.ticket ??
      (await createTicket(trx, {
        contactId: contact.id,
        channel: envelope.channel,
        subject: envelope.subject ?? subjectFrom(envelope.text),
        language: contact.language,
        teamId: settings.defaultTeamId,
        at,
      }));
    const messageId = await appendInboundMessage(trx, ticket.id, envelope, at);
    await appendEvents(trx, eventsFor(ticket, decision, envelope, messageId, at));
    await trx('tickets').where({ id: ticket.id }).update({ last_message_at: at, updated_at: at });

    const outboxIds: number[] = [];
    if (!decision.ticket && !envelope.autoReply) {
      outboxIds.push(await queueAcknowledgement(trx, ticket, contact, envelope, settings, at));
    }
    await trx('inbox').where({ id: inboxId }).update({ processed_at: at, ticket_id: ticket.id, last_error: null });
    return { ticketId: ticket.id, outboxIds };
  });
}

async function appendInboundMessage(trx: Knex.Transaction, ticketId: number, envelope: InboundEnvelope, at: Date): Promise<number> {
  const messageId = await insertReturningId(trx, 'messages', {
    ticket_id: ticketId,
    direction: 'inbound',
    channel: envelope.channel,
    author_type: 'citizen',
    kind: envelope.kind,
    body: envelope.text,
    auto_reply: Boolean(envelope.autoReply),
    address: envelope.from.phone ?? envelope.from.email ?? envelope.from.whatsappId ?? null,
    provider: envelope.provider,
    provider_message_id: envelope.externalId,
    created_at: at,
  });
  if (envelope.attachments.length > 0) {
    await trx('attachments').insert(
      envelope.attachments.map((attachment) => ({
        message_id: messageId,
        storage: attachment.storage,
        url: attachment.url,
        content_type: attachment.contentType ?? null,
        filename: attachment.filename ?? null,
        size_bytes: attachment.sizeBytes ?? null,
        sha256: attachment.sha256 ?? null,
        created_at: at,
      })),
    );
  }
  return messageId;
}

function eventsFor(
  ticket: TicketRow,
  decision: Awaited<ReturnType<typeof threadMessage>>,
  envelope: InboundEnvelope,
  messageId: number,
  at: Date,
): TicketEventInput[] {
  const base = { ticketId: ticket.id, actorType: 'citizen' as const, at };
  const events: TicketEventInput[] = [];
  if (!decision.ticket) events.push({ ...base, type: 'ticket_created', data: { channel: envelope.channel, reference: ticket.reference } });
  events.push({ ...base, type: 'message_received', data: { message_id: messageId, channel: envelope.channel, threaded_by: decision.reason } });
  if (decision.senderUnverified) {
    events.push({ ...base, type: 'sender_unverified', data: { message_id: messageId, note: 'Quoted this ticket from an address not known for its citizen' } });
  }
  if (decision.mistypedReferences.length > 0) {
    events.push({ ...base, type: 'reference_mistyped', data: { message_id: messageId, quoted: decision.mistypedReferences } });
  }
  return events;
}

async function queueAcknowledgement(
  trx: Knex.Transaction,
  ticket: TicketRow,
  contact: ResolvedContact,
  envelope: InboundEnvelope,
  settings: IngestSettings,
  at: Date,
): Promise<number> {
  const address = envelope.from.phone ?? envelope.from.email ?? envelope.from.whatsappId ?? '';
  const { outboxId } = await queueOutbound(trx, {
    ticketId: ticket.id,
    channel: envelope.channel,
    address,
    body: acknowledgementText(contact.language, {
      office: settings.officeName,
      reference: formatReference(ticket.reference, settings.referencePrefix),
    }),
    kind: 'acknowledgement',
    authorType: 'system',
    at,
  });
  return outboxId;
}
