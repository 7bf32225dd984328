import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Our Message-IDs (`sp.<ticket>.<message>.<mac>@domain`) and reply addresses
 * (`reply+<ticket>.<mac>@domain`) name the ticket they belong to, signed with the installation's
 * key (see signing-key.ts), so that a reply threads onto its ticket even from a new address, yet
 * nobody can write an id or address that reaches another ticket. Lowercase hex only: some MTAs
 * lower-case local parts, and verification folds case before comparing.
 *
 * Each kind signs its own purpose string, so the signature of one cannot be reused as the other.
 */
const MESSAGE_ID_MAC_LENGTH = 20; // 80 bits: ids are long anyway
const REPLY_MAC_LENGTH = 16; // 64 bits keep the local part short (well under the 64-octet limit)

const MESSAGE_ID = /^sp\.(\d{1,12})\.(\d{1,12})\.([0-9a-f]+)$/;
const REPLY_TOKEN = /^(\d{1,12})\.([0-9a-f]+)$/;

function mac(key: Buffer, purpose: string, length: number): string {
  return createHmac('sha256', key).update(purpose).digest('hex').slice(0, length);
}

function sameMac(given: string, expected: string): boolean {
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function positiveId(digits: string): number | undefined {
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The local part of an address or id, lower-cased, without angle brackets or the domain. */
function localPart(value: string): string {
  const bare = value.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  const at = bare.lastIndexOf('@');
  return at >= 0 ? bare.slice(0, at) : bare;
}

/** The Message-ID (without angle brackets) of our message `messageId` on ticket `ticketId`. */
export function signMessageId(key: Buffer, ticketId: number, messageId: number, domain: string): string {
  return `sp.${ticketId}.${messageId}.${mac(key, `message-id:${ticketId}.${messageId}`, MESSAGE_ID_MAC_LENGTH)}@${domain}`;
}

/** The ticket a Message-ID of ours belongs to; undefined for anyone else's id and for forgeries. */
export function verifyMessageId(key: Buffer, messageId: string): number | undefined {
  const match = MESSAGE_ID.exec(localPart(messageId));
  if (!match) return undefined;
  const [, ticket, message, given] = match as unknown as [string, string, string, string];
  const ticketId = positiveId(ticket);
  if (ticketId === undefined || positiveId(message) === undefined) return undefined;
  return sameMac(given, mac(key, `message-id:${ticket}.${message}`, MESSAGE_ID_MAC_LENGTH)) ? ticketId : undefined;
}

/** The token of the reply+ address of a ticket: `<ticket>.<mac>`. */
export function signReplyToken(key: Buffer, ticketId: number): string {
  return `${ticketId}.${mac(key, `reply-to:${ticketId}`, REPLY_MAC_LENGTH)}`;
}

/** The address replies to a ticket's mail go to: `reply+<token>@domain`. */
export function replyAddress(key: Buffer, ticketId: number, domain: string): string {
  return `reply+${signReplyToken(key, ticketId)}@${domain}`;
}

/**
 * The ticket of a reply token. Takes the token alone or the whole `reply+TOKEN@domain` address,
 * in any case; undefined for a garbled or forged token.
 */
export function verifyReplyToken(key: Buffer, token: string): number | undefined {
  const match = REPLY_TOKEN.exec(localPart(token).replace(/^reply\+/, ''));
  if (!match) return undefined;
  const [, ticket, given] = match as unknown as [string, string, string];
  const ticketId = positiveId(ticket);
  if (ticketId === undefined) return undefined;
  return sameMac(given, mac(key, `reply-to:${ticket}`, REPLY_MAC_LENGTH)) ? ticketId : undefined;
}

/** The domain of the sender address (`Satu Pintu <helpdesk@example.go.id>` → `example.go.id`). */
export function mailDomain(from: string): string {
  const match = /@([^\s<>@"]+)\s*>?\s*$/.exec(from.trim());
  return match ? match[1]!.toLowerCase() : 'localhost';
}
