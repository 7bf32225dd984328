import type { MailThreadMarkers } from '../mail/thread-markers.js';
import type { KnownTickets, ThreadDecision, ThreadInput, ThreadReason, TicketRow } from './threading.js';

/** What the queries of threading.ts found for a batch: everything the decision needs, read once. */
export interface ThreadFacts {
  /** Per input: the valid references it quotes (none for a status request) and the mistyped ones. */
  quoted: ReadonlyArray<{ candidates: string[]; mistyped: string[] }>;
  /** Per input: a mail's verified threading headers; undefined for other channels. */
  markers: ReadonlyArray<MailThreadMarkers | undefined>;
  known: KnownTickets;
  /** The contact's active ticket per `contactId|channel`. */
  activeByKey: ReadonlyMap<string, TicketRow>;
  /** The ticket waiting on the contact's answer to a clarification. */
  awaitingAnswer: ReadonlyMap<number, TicketRow>;
  /** The ticket each chat session opened. */
  bySession: ReadonlyMap<string, TicketRow>;
}

/**
 * Which ticket each message of a batch belongs to, from what the queries found (pure: no
 * database, tested alone in test/tickets/thread-decision.test.ts). The order of the rules is
 * threadMessages's (threading.ts); messages of one batch see the decisions before them, so that a
 * citizen's two texts open one ticket and a mail answering an earlier one of the batch follows it.
 */
export function decideThreads(inputs: readonly ThreadInput[], facts: ThreadFacts): ThreadDecision[] {
  const decisions: ThreadDecision[] = [];
  const opened = new Set<string>();
  const mailInBatch = new Map<string, number>(); // Message-ID of an earlier mail in this batch → its index
  const { quoted, markers, known, activeByKey, awaitingAnswer, bySession } = facts;
  inputs.forEach(({ contactId, envelope }, index) => {
    const { candidates, mistyped } = quoted[index]!;
    const mail = markers[index];
    const base = { opensTicket: false, senderUnverified: false, held: false, mistypedReferences: mistyped };
    const usable = (ticket: TicketRow | undefined): ticket is TicketRow =>
      ticket !== undefined && ticket.status !== 'closed';
    const attach = (ticket: TicketRow, reason: ThreadReason): ThreadDecision => {
      const stranger = Number(ticket.contact_id) !== contactId;
      return { ...base, ticket, reason, senderUnverified: stranger, held: stranger && reason === 'reference' };
    };
    const decide = (): ThreadDecision => {
      // A web form is a new report, whatever it quotes: its own ticket, with the form's choices
      // (category, protection), and its own reference for the citizen to track. An agent merges it
      // into an earlier ticket if it is the same matter.
      if (envelope.channel === 'web')
        return { ...base, newTicketKey: `${contactId}|web|${index}`, opensTicket: true, reason: 'new' };
      // A chat is its session's conversation: its messages join the ticket that session opened, and
      // nothing else. The phone or email a visitor types proves nothing (they find the contact, see
      // contact-service.ts), so a chat never joins another ticket of that contact, nor answers its
      // clarification, nor follows a reference it quotes: an agent merges if it is the same matter.
      const session = envelope.channel === 'webchat' ? envelope.from.webchatSession : undefined;
      if (session) {
        const own = bySession.get(session);
        if (usable(own)) return attach(own, 'open_ticket');
        const key = `${contactId}|webchat|${session}`;
        if (opened.has(key)) return { ...base, newTicketKey: key, reason: 'open_ticket' };
        opened.add(key);
        return { ...base, newTicketKey: key, opensTicket: true, reason: 'new' };
      }
      const bySignedId = mail?.ourTicketIds.map((id) => known.byId.get(id)).find(usable);
      if (bySignedId) return attach(bySignedId, 'message_id');
      for (const messageId of mail?.otherMessageIds ?? []) {
        const earlier = mailInBatch.get(messageId);
        if (earlier !== undefined && inputs[earlier]!.contactId === contactId) {
          // Follows the earlier mail, held with it if that one was held.
          const { ticket, newTicketKey, held, senderUnverified } = decisions[earlier]!;
          return { ...base, ticket, newTicketKey, reason: 'mail_thread', held, senderUnverified };
        }
        const ticket = known.byMailId.get(messageId);
        // Only the citizen's own thread: anyone's Message-IDs are not secrets that prove a right.
        if (usable(ticket) && Number(ticket.contact_id) === contactId) return attach(ticket, 'mail_thread');
      }
      const matches = candidates.map((reference) => known.byReference.get(reference)).filter(usable);
      const byReference = matches.find((ticket) => Number(ticket.contact_id) === contactId) ?? matches[0];
      if (byReference) return attach(byReference, 'reference');
      const byToken = mail?.replyTicketId === undefined ? undefined : known.byId.get(mail.replyTicketId);
      if (usable(byToken)) return attach(byToken, 'reply_token');
      // A clarification was asked: the citizen's next message, on any channel, is the answer.
      const asked = awaitingAnswer.get(contactId);
      if (asked) return attach(asked, 'clarification');

      if (mail)
        return { ...base, newTicketKey: `${contactId}|${envelope.channel}|${index}`, opensTicket: true, reason: 'new' };
      const key = `${contactId}|${envelope.channel}`;
      const open = activeByKey.get(key);
      if (open) return { ...base, ticket: open, reason: 'open_ticket' };
      if (opened.has(key)) return { ...base, newTicketKey: key, reason: 'open_ticket' };
      opened.add(key);
      return { ...base, newTicketKey: key, opensTicket: true, reason: 'new' };
    };
    decisions.push(decide());
    if (mail) mailInBatch.set(envelope.externalId.trim().replace(/^<|>$/g, ''), index);
  });
  return decisions;
}
