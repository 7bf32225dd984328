import type { Knex } from 'knex';
import { contactAddress } from '../contacts/contact-address.js';
import { ConflictError, UnprocessableError } from '../errors.js';
import { chatTranscriptText } from '../i18n/webchat-texts.js';
import { queueOutbound } from '../messages/outbox.js';
import { formatReference } from '../tickets/reference-number.js';
import { sessionMessages } from './chat-messages.js';
import type { ChatSession } from './sessions.js';
import { sessionTicket } from './sessions.js';

export interface TranscriptSettings {
  officeName: string;
  referencePrefix: string;
  timeZone: string;
}

/**
 * Queues the conversation, as text, by mail to the session's email: through the outbox and the
 * email channel like any mail to a citizen, so it is on the ticket's timeline and retried. Only to
 * an email that is the ticket's contact's own (the session's, joined to the contact by its first
 * message), never to an address typed now. Returns the outbox id, to enqueue after commit.
 */
export async function queueTranscript(
  db: Knex,
  session: ChatSession,
  settings: TranscriptSettings,
  at: Date,
): Promise<number> {
  if (!session.email)
    throw new UnprocessableError('no_email', 'The chat session has no email address to send the transcript to');
  const ticket = await sessionTicket(db, session.id);
  if (!ticket) throw new ConflictError('no_conversation', 'Nothing to send yet: the conversation has no message');
  const address = await contactAddress(db, ticket.contactId, 'email', session.email);
  if (address !== session.email)
    throw new UnprocessableError('no_email', 'The session’s email is not known for this conversation yet');
  const messages = await sessionMessages(db, session.id, 0, 1000);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: settings.timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  });
  const body = chatTranscriptText(session.language, {
    office: settings.officeName,
    reference: formatReference(ticket.reference, settings.referencePrefix),
    lines: messages.map((message) => ({
      direction: message.direction,
      author: message.author,
      time: time.format(new Date(message.at)),
      text: message.text,
    })),
  });
  return db.transaction(async (trx) => {
    const [outboxId] = await queueOutbound(trx, [
      { ticketId: ticket.id, channel: 'email', address, body, kind: 'message', authorType: 'system', at },
    ]);
    return outboxId!;
  });
}
