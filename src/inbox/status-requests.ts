import type { Knex } from 'knex';
import type { InboundEnvelope } from '../../channels/adapter.js';
import { statusAnswerText, statusMistypedText, statusNotFoundText } from '../i18n/citizen-texts.js';
import type { OutboundDraft } from '../messages/outbox.js';
import { writtenChannel } from '../messages/channel-policy.js';
import type { TicketEventInput } from '../tickets/events.js';
import { lookUpReference, type ReferenceLookup } from '../tickets/reference-lookup.js';
import { formatReference } from '../tickets/reference-number.js';
import { parseStatusRequest, type StatusRequest } from '../tickets/status-request.js';
import type { TicketStatus } from '../tickets/ticket-statuses.js';

/** Text channels on which a bare reference (or STATUS / CEK and one) asks for the status. */
const STATUS_CHANNELS = new Set(['sms', 'whatsapp']);

export interface StatusCheck {
  request: StatusRequest;
  lookup: ReferenceLookup;
}

export interface StatusSettings {
  officeName: string;
  referencePrefix: string;
}

/**
 * Which messages of a batch ask for a ticket's status, and what each finds for the sender's phone.
 * One lookup per request: they are rare next to ordinary messages, and each reads two rows.
 */
export async function checkStatusRequests(
  trx: Knex.Transaction,
  items: Array<{ envelope: InboundEnvelope; phone: string | null; language: string }>,
  settings: StatusSettings,
): Promise<Array<StatusCheck | undefined>> {
  const checks: Array<StatusCheck | undefined> = [];
  for (const { envelope, phone, language } of items) {
    const request =
      STATUS_CHANNELS.has(envelope.channel) && envelope.kind === 'message' && envelope.attachments.length === 0
        ? parseStatusRequest(envelope.text, settings.referencePrefix)
        : undefined;
    checks.push(
      request
        ? {
            request,
            lookup: await lookUpReference(trx, request.digits, phone, language === 'en' ? 'en' : 'id'),
          }
        : undefined,
    );
  }
  return checks;
}

/** The answer to a status request, on the ticket it is recorded on, to the phone that asked. */
export function statusAnswer(
  check: StatusCheck,
  ticketId: number,
  envelope: InboundEnvelope,
  address: string,
  language: string,
  settings: StatusSettings,
  at: Date,
): OutboundDraft {
  const values = {
    office: settings.officeName,
    reference: formatReference(check.request.digits, settings.referencePrefix),
  };
  const body =
    check.lookup.kind === 'found'
      ? statusAnswerText(language, { ...values, status: check.lookup.label })
      : check.lookup.kind === 'mistyped'
        ? // Shown as the citizen grouped it, without our prefix: it is not one of our numbers.
          statusMistypedText(language, {
            ...values,
            reference: values.reference.slice(settings.referencePrefix.length),
          })
        : statusNotFoundText(language, values);
  return {
    ticketId,
    channel: writtenChannel(envelope.channel),
    address,
    body,
    kind: 'status_reply',
    authorType: 'system',
    at,
  };
}

/**
 * The record of a status request answered from the citizen's own ticket: an event, not a message,
 * so that it reopens nothing, moves no clock, enters no queue, and is not a new contact to answer.
 */
export function statusRequestEvent(
  check: StatusCheck,
  ticketId: number,
  envelope: InboundEnvelope,
  at: Date,
): TicketEventInput {
  return {
    ticketId,
    type: 'status_request',
    actorType: 'citizen',
    data: {
      channel: envelope.channel,
      provider_message_id: envelope.externalId,
      text: envelope.text.slice(0, 160),
      status: check.lookup.kind === 'found' ? (check.lookup.status as TicketStatus) : null,
    },
    at,
  };
}
