import type { InboundEnvelope } from '../../channels/adapter.js';
import { verifyMessageId, verifyReplyToken } from './tokens.js';

/** What an inbound mail's headers and recipient say about the ticket it continues. */
export interface MailThreadMarkers {
  /** Tickets named by our own signed Message-IDs it answers, most recent first. */
  ourTicketIds: number[];
  /** The other Message-IDs it answers (the citizen's own earlier mail), most recent first. */
  otherMessageIds: string[];
  /** The ticket of a verified reply+ token it was sent to. */
  replyTicketId?: number;
}

// A long References header is trimmed to the newest ids: they are the ones that matter, and it
// bounds what one mail can make the threading query look up.
const MAX_IDS = 30;

const NONE: MailThreadMarkers = { ourTicketIds: [], otherMessageIds: [] };

/**
 * Reads the threading headers of an envelope: In-Reply-To first, then References from the newest
 * back. Ids and tokens that fail verification are dropped, never trusted; without a key (no mail
 * in the batch) nothing is.
 */
export function mailThreadMarkers(envelope: InboundEnvelope, key: Buffer | undefined): MailThreadMarkers {
  const thread = envelope.thread;
  if (!key || !thread) return NONE;
  const ids = [thread.inReplyTo, ...[...(thread.references ?? [])].reverse()]
    .filter((id): id is string => typeof id === 'string')
    .map((id) => id.trim().replace(/^<|>$/g, ''))
    .filter((id) => id !== '');
  const ourTicketIds: number[] = [];
  const otherMessageIds: string[] = [];
  for (const id of [...new Set(ids)].slice(0, MAX_IDS)) {
    const ticketId = verifyMessageId(key, id);
    if (ticketId !== undefined) {
      if (!ourTicketIds.includes(ticketId)) ourTicketIds.push(ticketId);
    } else if (!/^sp\./i.test(id)) {
      // A garbled or forged id of ours is ignored outright, not looked up as someone else's.
      otherMessageIds.push(id);
    }
  }
  const replyTicketId = thread.replyToken ? verifyReplyToken(key, thread.replyToken) : undefined;
  return { ourTicketIds, otherMessageIds, replyTicketId };
}
