import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { resolveContacts, type ResolvedContact } from '../contacts/contact-service.js';
import { normalizePhone } from '../contacts/phone.js';
import { isPostgres } from '../db/knex.js';
import { insertInChunks } from '../db/insert-chunks.js';
import { fromJson } from '../db/rows.js';
import { acknowledgementMailText, acknowledgementText, missedCallAcknowledgementText } from '../i18n/citizen-texts.js';
import { DEFAULT_EMAIL_ACK_LIMIT, withinAckLimit } from '../mail/ack-limit.js';
import {
  DEFAULT_UNVERIFIED_ACK_CAPS,
  domainOf,
  plausibleSender,
  UNVERIFIED_ACK_EVENT,
  type UnverifiedAckCaps,
  withinUnverifiedAckCaps,
} from './ack-plausibility.js';
import { mailSigningKey } from '../mail/signing-key.js';
import { verifyMessageId } from '../mail/tokens.js';
import { queueOutbound, type OutboundDraft } from '../messages/outbox.js';
import { writtenChannel } from '../messages/channel-policy.js';
import { createTickets, subjectFrom } from '../tickets/create-ticket.js';
import { resumeOnCitizenMessage } from '../tickets/citizen-returns.js';
import type { TicketEventInput } from '../tickets/events.js';
import { formatReference } from '../tickets/reference-number.js';
import { threadMessages, type ThreadDecision, type TicketRow } from '../tickets/threading.js';
import type { TicketTransaction, TicketUnitOfWork } from '../tickets/unit-of-work.js';
import { checkStatusRequests, statusAnswer, statusRequestEvent, type StatusCheck } from './status-requests.js';

export interface IngestSettings {
  defaultRegion: string;
  defaultLanguage: string;
  officeName: string;
  referencePrefix: string;
  /** The team new tickets land in (the front desk). */
  defaultTeamId: number | null;
  /** EMAIL_ACK_LIMIT: acknowledgements by mail per sender address per rolling hour. */
  emailAckLimit?: number;
  /** Hourly caps of acknowledgements to mail senders we cannot tell are real (backscatter). */
  emailAckUnverified?: UnverifiedAckCaps;
  /** A citizen's message reopens a ticket resolved at most this many days ago; older: a new ticket. */
  reopenWindowDays?: number;
}

export interface IngestResult {
  ticketId?: number;
  /** The contact's channel, when it became a ticket message (not for a skipped or echoed row). */
  channel?: string;
  /** Outbox entries written in the same transaction, to enqueue after commit. */
  outboxIds: number[];
}

interface WorkItem {
  inboxId: number;
  envelope: InboundEnvelope;
  contact: ResolvedContact;
}

/**
 * Turns inbox rows into messages on tickets: contacts, threading, messages, attachments, events,
 * and the acknowledgements of new tickets, in one transaction that also marks the rows processed.
 * Rows are taken in arrival order; a row already processed is skipped, so running a row twice does
 * nothing the second time. The group is one unit of work on its tickets: the SLA clocks follow its
 * events, and routing hears of the tickets that entered a queue once it is committed. Returns one
 * result per given id.
 */
export async function ingestInboxRows(
  unitOfWork: TicketUnitOfWork,
  inboxIds: number[],
  settings: IngestSettings,
  now: () => Date,
  /** Runs once the group is committed (or found done already), before the SLA timers and routing are told. */
  committed?: (results: IngestResult[]) => Promise<void>,
): Promise<IngestResult[]> {
  const { db } = unitOfWork;
  const resultsFor = (byRow: Map<number, IngestResult>) => inboxIds.map((id) => byRow.get(id) ?? { outboxIds: [] });
  const rows: Array<{ id: number; envelope: unknown }> = await db('inbox')
    .whereIn('id', inboxIds)
    .whereNull('processed_at')
    .orderBy('id')
    .select('id', 'envelope');
  if (rows.length === 0) {
    const none = resultsFor(new Map());
    await committed?.(none);
    return none;
  }
  const envelopes = rows.map((row) => fromJson<InboundEnvelope>(row.envelope));
  const contacts = await resolveContacts(
    db,
    envelopes.map((envelope) => envelope.from),
    { ...settings, now: now() },
  );
  const candidates: WorkItem[] = rows.map((row, index) => ({
    inboxId: Number(row.id),
    envelope: envelopes[index]!,
    contact: contacts[index]!,
  }));
  // Read before the transaction: on SQLite it holds the only connection.
  const mailKey = envelopes.some((envelope) => envelope.channel === 'email') ? await mailSigningKey(db) : undefined;

  return unitOfWork.run(
    now(),
    async (tx) => {
      const work = await claim(tx.trx, db, candidates);
      return resultsFor(work.length === 0 ? new Map() : await ingestClaimed(tx, work, settings, mailKey));
    },
    committed,
  );
}

/**
 * On PostgreSQL, rows are locked (skipping those another worker holds) and so are their citizens,
 * in id order, so that two workers never thread one citizen's messages at once. SQLite has one
 * writer at a time already.
 */
async function claim(trx: Knex.Transaction, db: Knex, candidates: WorkItem[]): Promise<WorkItem[]> {
  const query = trx('inbox')
    .whereIn(
      'id',
      candidates.map((item) => item.inboxId),
    )
    .whereNull('processed_at');
  if (isPostgres(db)) query.forUpdate().skipLocked();
  const claimed = new Set((await query.pluck('id')).map(Number));
  const work = candidates.filter((item) => claimed.has(item.inboxId));
  if (isPostgres(db) && work.length > 0) {
    const contactIds = [...new Set(work.map((item) => item.contact.id))].sort((a, b) => a - b);
    await trx('contacts').whereIn('id', contactIds).orderBy('id').forUpdate().pluck('id');
  }
  return work;
}

async function ingestClaimed(
  tx: TicketTransaction,
  claimed: WorkItem[],
  settings: IngestSettings,
  mailKey?: Buffer,
): Promise<Map<number, IngestResult>> {
  const { trx, at } = tx;
  const results = new Map<number, IngestResult>();
  // A copy of our own mail delivered back to us (a relay or list that loops) is not a contact.
  const echoOf = claimed.map((item) => ownMailTicket(item.envelope, mailKey));
  for (const [index, item] of claimed.entries()) {
    const ticketId = echoOf[index];
    if (ticketId !== undefined) results.set(item.inboxId, { ticketId, outboxIds: [] });
  }
  const contacts = claimed.filter((_, index) => echoOf[index] === undefined);
  const checks = await checkStatusRequests(
    trx,
    contacts.map((item) => ({
      envelope: item.envelope,
      phone: item.envelope.from.phone ? addressOf(item.envelope, settings.defaultRegion) : null,
      language: item.contact.language,
    })),
    settings,
  );
  // A status request about the sender's own ticket is answered and recorded there, and is no contact to thread.
  await answerFromOwnTickets(
    tx,
    contacts.filter((_, index) => checks[index]?.lookup.kind === 'found'),
    checks.filter((check) => check?.lookup.kind === 'found') as StatusCheck[],
    settings,
    results,
  );
  const work = contacts.filter((_, index) => checks[index]?.lookup.kind !== 'found');
  const statusChecks = checks.filter((check) => check?.lookup.kind !== 'found');
  if (work.length === 0) {
    await markProcessed(trx, results, at);
    return results;
  }

  const reopenResolvedAfter = new Date(at.getTime() - (settings.reopenWindowDays ?? 7) * 86_400_000);
  const decisions = await threadMessages(
    trx,
    work.map((item, index) => ({
      contactId: item.contact.id,
      envelope: item.envelope,
      statusRequest: statusChecks[index] !== undefined,
    })),
    { mailKey, reopenResolvedAfter },
  );
  const openingIndexes = work.flatMap((_, index) => (decisions[index]!.opensTicket ? [index] : []));
  const opening = openingIndexes.map((index) => work[index]!);
  const created = await createTickets(
    trx,
    opening.map((item) => ({
      contactId: item.contact.id,
      channel: item.envelope.channel,
      subject: item.envelope.subject?.trim()
        ? item.envelope.subject.trim().slice(0, 255)
        : subjectFrom(item.envelope.text),
      language: item.contact.language,
      teamId: settings.defaultTeamId,
      at,
      ...reportChoices(item.envelope),
    })),
  );
  const newTickets = new Map(
    created.map((ticket, position) => [decisions[openingIndexes[position]!]!.newTicketKey!, ticket]),
  );
  const ticketOf = (decision: ThreadDecision): TicketRow => decision.ticket ?? newTickets.get(decision.newTicketKey!)!;

  const messageIds = await appendInboundMessages(
    trx,
    work,
    decisions,
    decisions.map(ticketOf),
    settings.defaultRegion,
    at,
  );
  const { acknowledged, suppressed, unverified } = await chooseAcknowledgements(
    trx,
    work,
    decisions,
    settings,
    at,
    mailKey,
  );
  await tx.append([
    ...work.flatMap((item, index) =>
      eventsFor(ticketOf(decisions[index]!), decisions[index]!, item.envelope, messageIds[index]!, at),
    ),
    ...suppressed.map(([index, reason]) => suppressedEvent(ticketOf(decisions[index]!), settings, reason, at)),
    ...unverified.map((index) => ({
      ticketId: ticketOf(decisions[index]!).id,
      type: UNVERIFIED_ACK_EVENT,
      actorType: 'system' as const,
      data: {
        domain: domainOf(addressOf(work[index]!.envelope, settings.defaultRegion) ?? ''),
        note: 'Acknowledged although the sender could not be verified (no SPF/DMARC pass from our relay, no reply to our mail)',
      },
      at,
    })),
  ]);
  await trx('tickets')
    .whereIn('id', [...new Set(decisions.map((decision) => ticketOf(decision).id))])
    .update({ last_message_at: at, updated_at: at });
  // A held message is not (yet) the citizen's: it answers no clarification and reopens nothing.
  const existing = new Map(
    decisions.flatMap((decision) =>
      decision.ticket && !decision.held ? [[decision.ticket.id, decision.ticket] as const] : [],
    ),
  );
  // New tickets wait in the front desk's queue; resumed ones are queued by resumeOnCitizenMessage.
  tx.ticketsQueued(created.map((ticket) => ticket.id));
  await resumeOnCitizenMessage(tx, [...existing.values()]);

  // A status request that found nothing of the sender's gets that answer, instead of an acknowledgement.
  const acknowledgedMessages = acknowledged.filter((index) => statusChecks[index] === undefined);
  const outboxIds = await queueOutbound(
    trx,
    acknowledgedMessages.map((index) => acknowledgement(work[index]!, ticketOf(decisions[index]!), settings, at)),
  );
  const unanswered = work.flatMap((_, index) => (statusChecks[index] ? [index] : []));
  const statusOutboxIds = await queueOutbound(
    trx,
    unanswered.map((index) => {
      const item = work[index]!;
      const address = addressOf(item.envelope, settings.defaultRegion) ?? '';
      return statusAnswer(
        statusChecks[index]!,
        ticketOf(decisions[index]!).id,
        item.envelope,
        address,
        item.contact.language,
        settings,
        at,
      );
    }),
  );

  work.forEach((item, index) => {
    const ticketId = ticketOf(decisions[index]!).id;
    results.set(item.inboxId, { ticketId, channel: item.envelope.channel, outboxIds: [] });
  });
  for (const [position, index] of acknowledgedMessages.entries()) {
    results.get(work[index]!.inboxId)!.outboxIds.push(outboxIds[position]!);
  }
  for (const [position, index] of unanswered.entries()) {
    results.get(work[index]!.inboxId)!.outboxIds.push(statusOutboxIds[position]!);
  }
  await markProcessed(trx, results, at);
  return results;
}

/**
 * Status requests about the sender's own tickets: the answer in the outbox and an event on the
 * ticket, nothing else (no message, no clock, no reopening, no queue). The inbox row points at
 * the ticket, so a provider's retry of the same message finds it processed and answers nothing.
 */
async function answerFromOwnTickets(
  tx: TicketTransaction,
  items: WorkItem[],
  checks: StatusCheck[],
  settings: IngestSettings,
  results: Map<number, IngestResult>,
): Promise<void> {
  if (items.length === 0) return;
  const { trx, at } = tx;
  const ticketIds = checks.map((check) => (check.lookup.kind === 'found' ? check.lookup.ticketId : 0));
  await tx.append(items.map((item, index) => statusRequestEvent(checks[index]!, ticketIds[index]!, item.envelope, at)));
  const outboxIds = await queueOutbound(
    trx,
    items.map((item, index) =>
      statusAnswer(
        checks[index]!,
        ticketIds[index]!,
        item.envelope,
        addressOf(item.envelope, settings.defaultRegion) ?? '',
        item.contact.language,
        settings,
        at,
      ),
    ),
  );
  for (const [index, item] of items.entries())
    results.set(item.inboxId, { ticketId: ticketIds[index]!, outboxIds: [outboxIds[index]!] });
}

/** A web form's choices, as the new ticket's columns (a form always opens its own ticket). */
function reportChoices(envelope: InboundEnvelope) {
  const report = envelope.report;
  if (!report) return {};
  return {
    category: report.category ?? null,
    complaintType: report.category === 'complaint' ? (report.complaintType ?? null) : null,
    permitNumber: report.permitNumber?.slice(0, 64) ?? null,
    confidential: Boolean(report.confidential),
    anonymous: Boolean(report.anonymous),
  };
}

/** When the contact reached us; a missing or unreadable time falls back to the processing time. */
function receiptTime(envelope: InboundEnvelope, fallback: Date): Date {
  const received = new Date(envelope.receivedAt);
  return Number.isNaN(received.getTime()) ? fallback : received;
}

async function appendInboundMessages(
  trx: Knex.Transaction,
  work: WorkItem[],
  decisions: ThreadDecision[],
  tickets: TicketRow[],
  defaultRegion: string,
  at: Date,
): Promise<number[]> {
  const inserted = await insertInChunks<Record<string, unknown>, { id: number }>(
    work.map(({ envelope }, index) => ({
      ticket_id: tickets[index]!.id,
      direction: 'inbound',
      channel: envelope.channel,
      author_type: 'citizen',
      kind: envelope.kind,
      body: envelope.text,
      auto_reply: Boolean(envelope.autoReply),
      address: addressOf(envelope, defaultRegion),
      provider: envelope.provider,
      provider_message_id: envelope.externalId,
      hold_status: decisions[index]!.held ? 'held' : null,
      sender_contact_id: decisions[index]!.held ? work[index]!.contact.id : null,
      // The receipt time (the provider's, or the inbox's when it gives none), not the processing
      // time: after an outage a backlog is processed late, and its messages keep their own time.
      created_at: receiptTime(envelope, at),
    })),
    (chunk) => trx('messages').insert(chunk).returning('id'),
  );
  const messageIds = inserted.map((row) => Number(row.id)); // insertion order, see queueOutbound
  const attachments = work.flatMap(({ envelope }, index) =>
    envelope.attachments.map((attachment) => ({
      message_id: messageIds[index],
      storage: attachment.storage,
      url: attachment.url,
      content_type: attachment.contentType ?? null,
      filename: attachment.filename ?? null,
      size_bytes: attachment.sizeBytes ?? null,
      sha256: attachment.sha256 ?? null,
      created_at: at,
    })),
  );
  await insertInChunks(attachments, (chunk) => trx('attachments').insert(chunk));
  return messageIds;
}

function eventsFor(
  ticket: TicketRow,
  decision: ThreadDecision,
  envelope: InboundEnvelope,
  messageId: number,
  at: Date,
): TicketEventInput[] {
  const base = { ticketId: ticket.id, actorType: 'citizen' as const, at };
  const events: TicketEventInput[] = [];
  if (decision.opensTicket)
    events.push({ ...base, type: 'ticket_created', data: { channel: envelope.channel, reference: ticket.reference } });
  events.push({
    ...base,
    type: 'message_received',
    // An auto-reply is no citizen's word: the SLA starts no response clock on it.
    data: {
      message_id: messageId,
      channel: envelope.channel,
      threaded_by: decision.reason,
      ...(envelope.autoReply ? { auto_reply: true } : {}),
    },
  });
  if (decision.senderUnverified) {
    events.push({
      ...base,
      type: 'sender_unverified',
      data: { message_id: messageId, note: 'Quoted this ticket from an address not known for its citizen' },
    });
  }
  if (decision.held) {
    events.push({
      ...base,
      type: 'message_held',
      data: { message_id: messageId, channel: envelope.channel, reason: 'sender_not_contact' },
    });
  }
  if (decision.mistypedReferences.length > 0) {
    events.push({
      ...base,
      type: 'reference_mistyped',
      data: { message_id: messageId, quoted: decision.mistypedReferences },
    });
  }
  return events;
}

type SuppressionReason = 'sender_rate_limit' | 'unverified_sender_limit';

/**
 * New tickets are acknowledged, except those opened by auto-replies (never answered: loops) and,
 * on mail, those beyond the sender's hourly allowance or, for a sender that may be forged (see
 * plausibleSender), beyond the hourly caps per domain and overall: they get an event saying why.
 */
async function chooseAcknowledgements(
  trx: Knex.Transaction,
  work: WorkItem[],
  decisions: ThreadDecision[],
  settings: IngestSettings,
  at: Date,
  mailKey: Buffer | undefined,
): Promise<{ acknowledged: number[]; suppressed: Array<[number, SuppressionReason]>; unverified: number[] }> {
  const candidates = work.flatMap((item, index) =>
    decisions[index]!.opensTicket && !item.envelope.autoReply ? [index] : [],
  );
  const mail = candidates.filter((index) => work[index]!.envelope.channel === 'email');
  const allowed = await withinAckLimit(
    trx,
    mail.map((index) => addressOf(work[index]!.envelope, settings.defaultRegion) ?? ''),
    emailAckLimit(settings),
    at,
  );
  const suppressed = new Map<number, SuppressionReason>(
    mail.filter((_, position) => !allowed[position]).map((index) => [index, 'sender_rate_limit']),
  );
  const unverifiedCandidates = mail.filter(
    (index) => !suppressed.has(index) && !plausibleSender(work[index]!.envelope, mailKey),
  );
  const withinCaps = await withinUnverifiedAckCaps(
    trx,
    unverifiedCandidates.map((index) => domainOf(addressOf(work[index]!.envelope, settings.defaultRegion) ?? '')),
    settings.emailAckUnverified ?? DEFAULT_UNVERIFIED_ACK_CAPS,
    at,
  );
  for (const [position, index] of unverifiedCandidates.entries())
    if (!withinCaps[position]) suppressed.set(index, 'unverified_sender_limit');
  return {
    acknowledged: candidates.filter((index) => !suppressed.has(index)),
    suppressed: [...suppressed],
    unverified: unverifiedCandidates.filter((_, position) => withinCaps[position]),
  };
}

function suppressedEvent(
  ticket: TicketRow,
  settings: IngestSettings,
  reason: SuppressionReason,
  at: Date,
): TicketEventInput {
  const limit = emailAckLimit(settings);
  const caps = settings.emailAckUnverified ?? DEFAULT_UNVERIFIED_ACK_CAPS;
  return {
    ticketId: ticket.id,
    type: 'acknowledgement_suppressed',
    actorType: 'system',
    data:
      reason === 'sender_rate_limit'
        ? { reason, limit, note: `The sender already had ${limit} acknowledgements in the last hour` }
        : {
            reason,
            limit: caps,
            note: `The sender could not be verified and unverified senders (their domain: ${caps.perDomain}, all: ${caps.total}) had their acknowledgements for the hour`,
          },
    at,
  };
}

const emailAckLimit = (settings: IngestSettings): number => settings.emailAckLimit ?? DEFAULT_EMAIL_ACK_LIMIT;

/** The ticket of an inbound mail that is one of ours (its Message-ID is our signed one), if it is. */
function ownMailTicket(envelope: InboundEnvelope, mailKey: Buffer | undefined): number | undefined {
  return envelope.channel === 'email' && mailKey ? verifyMessageId(mailKey, envelope.externalId) : undefined;
}

function acknowledgement(item: WorkItem, ticket: TicketRow, settings: IngestSettings, at: Date): OutboundDraft {
  const values = {
    office: settings.officeName,
    reference: formatReference(ticket.reference, settings.referencePrefix),
  };
  return {
    ticketId: ticket.id,
    channel: writtenChannel(item.envelope.channel, envelopeIdentities(item.envelope)),
    address: addressOf(item.envelope, settings.defaultRegion) ?? '',
    body: acknowledgementBody(item, values),
    kind: 'acknowledgement',
    authorType: 'system',
    at,
  };
}

function acknowledgementBody(item: WorkItem, values: { office: string; reference: string }): string {
  const language = item.contact.language;
  if (writtenChannel(item.envelope.channel, envelopeIdentities(item.envelope)) === 'email')
    return acknowledgementMailText(language, values);
  if (item.envelope.kind === 'missed_call') return missedCallAcknowledgementText(language, values);
  return acknowledgementText(language, values);
}

/** One UPDATE for the batch: processed now, each row pointing at its ticket. */
async function markProcessed(trx: Knex.Transaction, results: Map<number, IngestResult>, at: Date): Promise<void> {
  const ids = [...results.keys()];
  const cases = ids.map(() => 'when ? then cast(? as integer)').join(' ');
  const bindings = ids.flatMap((id) => [id, results.get(id)!.ticketId!]);
  await trx('inbox')
    .whereIn('id', ids)
    .update({ processed_at: at, last_error: null, ticket_id: trx.raw(`case id ${cases} end`, bindings) });
}

/** The kinds of identity an envelope's sender gave, for writtenChannel. */
function envelopeIdentities(envelope: InboundEnvelope): string[] {
  const { phone, email, whatsappId } = envelope.from;
  return [phone ? 'phone' : '', email ? 'email' : '', whatsappId ? 'whatsapp' : ''].filter(Boolean);
}

/**
 * The citizen's address as we answer it: a phone in E.164 even if the provider wrote it otherwise,
 * an email lower-cased as contacts store it (so the acknowledgement limit counts one sender once).
 */
function addressOf(envelope: InboundEnvelope, defaultRegion: string): string | null {
  const { phone, email, whatsappId, webchatSession } = envelope.from;
  // A form answers on the written channel the citizen's identities choose: email before phone.
  if (envelope.channel === 'web' && email) return email.trim().toLowerCase();
  // A chat is answered in its session, whatever phone or email the visitor gave.
  if (envelope.channel === 'webchat' && webchatSession) return webchatSession;
  if (phone) return normalizePhone(phone, defaultRegion) ?? phone;
  return email?.trim().toLowerCase() ?? whatsappId ?? null;
}
