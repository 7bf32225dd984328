import type { Knex } from 'knex';
import { insertInChunks } from '../db/insert-chunks.js';
import type { AttachmentRef, ChannelKind } from '../../channels/adapter.js';
import type { AttachmentStore } from '../messages/attachment-store.js';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { contactAddress, conversationAddress, identityKindOf, knownChannels } from '../contacts/contact-address.js';
import { ConflictError, UnprocessableError } from '../errors.js';
import { agentTextMessage } from '../i18n/citizen-texts.js';
import { queueOutbound } from '../messages/outbox.js';
import { writtenChannel } from '../messages/channel-policy.js';
import { insertInternalNote } from './actions/action-context.js';
import { appendEvents } from './events.js';
import { formatReference } from './reference-number.js';
import { findAccessibleTicket, type AccessibleTicket } from './ticket-access.js';
import type { TicketTransaction, TicketUnitOfWork } from './unit-of-work.js';
import { whatsAppWindow } from './whatsapp-window.js';

export interface ReplyInput {
  ticketId: number;
  /** Required unless a template is sent. */
  body?: string;
  /** Another channel known for the contact; default: the ticket's own channel. */
  channel?: ChannelKind;
  /** The canned response the body was composed from, kept in the audit trail. */
  cannedResponseId?: number;
  /** Send the approved WhatsApp template (re-opens a closed 24-hour window) instead of free text. */
  template?: boolean;
  /** Files for the citizen (mail only), already decoded. */
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
  /** More to write in the reply's own unit of work (a clarification also changes the ticket's state). */
  alsoInTransaction?: (tx: TicketTransaction, ticket: AccessibleTicket, messageId: number) => Promise<void>;
}

export interface ReplyContext {
  db: Knex;
  now: () => Date;
  /**
   * The approved WhatsApp template (Twilio Content SID), if any; it takes the ticket's reference
   * number as its variable {{1}}.
   */
  whatsappTemplateSid?: string;
  referencePrefix: string;
  /** Signs text messages (SMS, WhatsApp) with the office and the reference (OFFICE_NAME). */
  officeName?: string;
  /** Where reply attachments are kept (DATA_DIR); without it replies carry none. */
  attachmentStore?: AttachmentStore;
  /** The reply changes its ticket through it: the SLA clocks follow its `reply_queued` event. */
  unitOfWork: TicketUnitOfWork;
}

/**
 * An agent's reply: a message to the citizen on the ticket's channel or another one known for
 * them, through the outbox. Refused with the reason and the alternatives when the channel cannot
 * carry it (no address known, WhatsApp's 24-hour window closed).
 */
export async function replyToTicket(
  context: ReplyContext,
  agent: AuthenticatedAgent,
  input: ReplyInput,
): Promise<{ messageId: number; outboxId: number }> {
  const { db } = context;
  const ticket = await findAccessibleTicket(db, agent, input.ticketId);
  // A web form's ticket is answered where the form asked (its email, else its phone); a chat's in
  // its own session.
  const formAddress = await conversationAddress(db, ticket);
  const identities = formAddress && ticket.channel === 'web' ? [identityKindOf(formAddress)] : [];
  const channel = input.channel ?? (writtenChannel(ticket.channel, identities) as ChannelKind);
  if (channel === 'voice') {
    throw new UnprocessableError(
      'voice_no_text',
      'A phone call cannot carry a written reply: answer by SMS, or call the citizen back (POST /api/v1/tasks/{id}/call)',
      {
        channel,
        alternatives: (await knownChannels(db, ticket.contact_id)).filter((known) => known !== 'voice'),
      },
    );
  }
  // Only ever an identity of the ticket's own citizen: never whoever last quoted its reference.
  const address = await contactAddress(db, ticket.contact_id, channel, formAddress);
  if (!address) {
    throw new UnprocessableError('no_address', `The citizen has no known address for ${channel}`, {
      channel,
      alternatives: await knownChannels(db, ticket.contact_id),
    });
  }
  const template = input.template ? templateFor(context, channel, ticket) : undefined;
  if (channel === 'whatsapp' && !template) await assertWhatsAppWindowOpen(context, ticket);

  const attachments = await storeAttachments(context, channel, input.attachments ?? []);
  const at = context.now();
  const written =
    input.body ?? (template ? `[WhatsApp template ${template.contentSid}: ${template.variables['1']}]` : undefined);
  if (written === undefined) throw new UnprocessableError('empty_reply', 'A reply needs a body');
  const body = template ? written : await framedText(context, channel, ticket, written);
  return context.unitOfWork.run(at, async (tx) => {
    const { trx } = tx;
    const [outboxId] = await queueOutbound(trx, [
      {
        ticketId: ticket.id,
        channel,
        address,
        body,
        template,
        kind: 'message',
        authorType: 'agent',
        authorId: agent.id,
        at,
      },
    ]);
    const message = await trx('outbox').where({ id: outboxId }).first('message_id');
    if (attachments.length > 0) {
      await insertInChunks(
        attachments.map((file) => ({
          message_id: Number(message.message_id),
          storage: file.storage,
          url: file.url,
          content_type: file.contentType ?? null,
          filename: file.filename ?? null,
          size_bytes: file.sizeBytes ?? null,
          sha256: file.sha256 ?? null,
          created_at: at,
        })),
        (chunk) => trx('attachments').insert(chunk),
      );
    }
    await tx.append([
      {
        ticketId: ticket.id,
        type: 'reply_queued',
        actorType: 'agent',
        actorId: agent.id,
        data: {
          message_id: Number(message.message_id),
          channel,
          ...(input.cannedResponseId ? { canned_response_id: input.cannedResponseId } : {}),
        },
        at,
      },
    ]);
    await trx('tickets')
      .where({ id: ticket.id })
      .update({
        status: ticket.status === 'new' ? 'open' : ticket.status,
        first_response_at: ticket.first_response_at ?? at,
        updated_at: at,
      });
    // The clocks follow once the work is done, after the clarification's own changes: a ticket now
    // waiting on the citizen pauses resolution.
    await input.alsoInTransaction?.(tx, ticket, Number(message.message_id));
    return { messageId: Number(message.message_id), outboxId: outboxId! };
  });
}

/** An internal note: on the ticket for agents, never sent to the citizen. */
export async function addNote(
  context: Pick<ReplyContext, 'db' | 'now'>,
  agent: AuthenticatedAgent,
  ticketId: number,
  body: string,
): Promise<number> {
  const ticket = await findAccessibleTicket(context.db, agent, ticketId);
  const at = context.now();
  return context.db.transaction(async (trx) => {
    const messageId = await insertInternalNote(trx, ticket, agent, body, at);
    await appendEvents(trx, [
      {
        ticketId: ticket.id,
        type: 'note_added',
        actorType: 'agent',
        actorId: agent.id,
        data: { message_id: messageId },
        at,
      },
    ]);
    await trx('tickets').where({ id: ticket.id }).update({ updated_at: at });
    return messageId;
  });
}

/** Saves a reply's files before its transaction; only mail carries them. */
async function storeAttachments(
  context: ReplyContext,
  channel: ChannelKind,
  files: NonNullable<ReplyInput['attachments']>,
): Promise<AttachmentRef[]> {
  if (files.length === 0) return [];
  if (channel !== 'email' || !context.attachmentStore) {
    throw new UnprocessableError(
      'attachments_email_only',
      'Attachments can be sent by email only; share documents on other channels as a link',
    );
  }
  const stored: AttachmentRef[] = [];
  for (const file of files) {
    const result = await context.attachmentStore.storeOutgoing(file);
    if ('refused' in result)
      throw new UnprocessableError('attachment_refused', `Attachment refused: ${result.refused}`, {
        reason: result.reason,
        description: result.description,
      });
    stored.push(result);
  }
  return stored;
}

/** The configured template for this ticket, or why there is none. */
function templateFor(context: ReplyContext, channel: ChannelKind, ticket: AccessibleTicket) {
  if (channel !== 'whatsapp')
    throw new UnprocessableError('template_whatsapp_only', 'Templates are sent on WhatsApp only');
  if (!context.whatsappTemplateSid)
    throw new UnprocessableError(
      'no_template',
      'No approved WhatsApp template is configured (TWILIO_WHATSAPP_TEMPLATE_SID)',
    );
  return {
    contentSid: context.whatsappTemplateSid,
    variables: { '1': formatReference(ticket.reference, context.referencePrefix) },
  };
}

/**
 * A text message says who writes and about what (issue 12, item 20): the office and the reference
 * lead the agent's words, in the citizen's language. Mail has its own subject and signature.
 */
async function framedText(
  context: ReplyContext,
  channel: ChannelKind,
  ticket: AccessibleTicket,
  body: string,
): Promise<string> {
  if ((channel !== 'sms' && channel !== 'whatsapp') || !context.officeName) return body;
  const reference = formatReference(ticket.reference, context.referencePrefix);
  // A text that names both already (a canned response signed so) is not framed twice.
  if (body.includes(context.officeName) && body.includes(reference)) return body;
  const row = await context.db('tickets').where({ id: ticket.id }).first('language');
  return agentTextMessage(String(row?.language ?? 'id'), { office: context.officeName, reference, body });
}

async function assertWhatsAppWindowOpen(context: ReplyContext, ticket: AccessibleTicket): Promise<void> {
  const window = await whatsAppWindow(context.db, ticket.contact_id, context.now());
  if (window.open) return;
  const alternatives: Array<Record<string, string>> = [{ channel: 'sms', how: 'reply with "channel": "sms"' }];
  if (context.whatsappTemplateSid)
    alternatives.unshift({ channel: 'whatsapp', how: 'send the approved template with "template": true' });
  throw new ConflictError(
    'whatsapp_window_closed',
    "WhatsApp allows a free-form reply only within 24 hours of the citizen's last message; use an approved template or another channel",
    { last_citizen_message_at: window.last_citizen_message_at, alternatives },
  );
}
