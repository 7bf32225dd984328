/**
 * The channel adapter contract: the first file to read.
 *
 * An adapter is a pure translator between one provider and Satu Pintu. It turns provider webhooks
 * into envelopes and outbound messages into provider calls. It never touches the database or the
 * queue, and the core never sees a provider's field names.
 */
import type { Readable } from 'node:stream';

export { InvalidSignatureError, ProviderError, ProviderNotConfiguredError, ValidationError } from '../src/errors.js';

/** `web`: the citizens' web form (/lapor); `webchat`: the chat widget. */
export type ChannelKind = 'sms' | 'whatsapp' | 'voice' | 'email' | 'webchat' | 'web';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['sms', 'whatsapp', 'voice', 'email', 'webchat', 'web'];

export interface AttachmentRef {
  /** Where the file is: a provider URL (fetched later) or a path under DATA_DIR. */
  url: string;
  storage: 'provider' | 'local';
  contentType?: string;
  filename?: string;
  sizeBytes?: number;
  sha256?: string;
}

export interface ContactAddress {
  phone?: string;
  email?: string;
  whatsappId?: string;
  /** Web chat only: the visitor's session id, which is where we write back to them. */
  webchatSession?: string;
  name?: string;
  /** The language the citizen chose ('id' | 'en'; a web page's): a new contact's language. */
  language?: string;
  /**
   * The phone, email and name were typed on a page (the web form, the chat), not proven by the
   * channel as an SMS's sender or a mail's verified From is: they find the citizen, but are never
   * added to a contact that exists, so nobody can tie their own email to someone else's phone.
   */
  typed?: boolean;
}

export interface ReportChoices {
  category?: string;
  complaintType?: string;
  permitNumber?: string;
  confidential?: boolean;
  anonymous?: boolean;
}

export interface InboundEnvelope {
  channel: ChannelKind;
  provider: string;
  /** MessageSid, CallSid, wamid, Message-ID: the dedupe key together with `provider`. */
  externalId: string;
  kind: 'message' | 'call' | 'voicemail' | 'missed_call';
  from: ContactAddress;
  to: string;
  subject?: string;
  text: string;
  html?: string;
  attachments: AttachmentRef[];
  /**
   * What the provider tells about the conversation: mail headers (In-Reply-To, References, without
   * angle brackets), a reference number found in a subject, or the token of a `reply+TOKEN@`
   * address. The core verifies and resolves them; adapters only extract.
   */
  thread?: { inReplyTo?: string; references?: string[]; ticketRef?: string; replyToken?: string };
  /** RFC 3834 auto-replies and the like: recorded, never answered. */
  autoReply?: boolean;
  /** Mail only: a trusted relay's Authentication-Results says SPF or DMARC passed for the From domain. */
  senderAuthenticated?: boolean;
  /**
   * Web form only: what the citizen chose on the form, as the core's vocabulary codes (the web
   * door checked them against it). A form is a new report: it opens its own ticket with these set.
   */
  report?: ReportChoices;
  receivedAt: string;
  raw: unknown;
}

/** A webhook as the adapter sees it: no express types cross this line. */
export interface WebhookRequest {
  /** The full public URL the provider called, which is what providers sign. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** One delivery-status report from a provider, already mapped to our statuses. */
export interface DeliveryStatus {
  providerMessageId: string;
  /**
   * Our message id, when the report names it: Twilio's status callback is the URL we gave with the
   * send (`?message=<id>`), and its signature covers that URL, query string included. It ties the
   * report to our message even when the provider id was never recorded (the worker died between
   * the provider's accept and our commit).
   */
  reference?: string;
  status: DeliveryState;
  errorCode?: string;
  errorMessage?: string;
  at: string;
  raw: unknown;
}

export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

export interface OutboundMessage {
  channel: ChannelKind;
  /** The citizen's normalized address on that channel (E.164 phone, email). */
  to: string;
  body: string;
  mediaUrls?: string[];
  /** Where the provider should report delivery status. */
  statusCallbackUrl?: string;
  /** Mail only: the subject line. */
  subject?: string;
  /** Mail only: threading headers chosen by the core (ids without angle brackets). */
  thread?: { messageId?: string; inReplyTo?: string; references?: string[]; replyTo?: string };
  /** Sent by the system, not a person (acknowledgements): mail gets `Auto-Submitted: auto-replied`. */
  automatic?: boolean;
  /**
   * An approved template instead of free text (WhatsApp outside its 24-hour window): Twilio's
   * Content SID and the values of its numbered variables.
   */
  template?: { contentSid: string; variables: Record<string, string> };
  /** Files to attach (mail), stored under DATA_DIR. */
  attachments?: Array<{ path: string; filename: string; contentType?: string }>;
}

export interface SendResult {
  providerMessageId: string;
  status: DeliveryState;
}

/**
 * What the core knows of a send whose outcome it did not learn (the worker died during the call,
 * the connection dropped): enough for a provider to find the message without knowing the core.
 */
export interface SentMessageQuery {
  channel: ChannelKind;
  to: string;
  body: string;
  /**
   * Sent as an approved template: the provider holds the text it rendered, not `body`, so only the
   * values filled in can be looked for in it.
   */
  template?: { contentSid: string; variables: Record<string, string> };
  /**
   * Accepted no earlier than this: when the send of unknown outcome was claimed (or, with no claim
   * on record, queued), minus a little clock skew.
   */
  since: Date;
  /** Our message id, for providers that keep a reference of ours (a callback URL, a header). */
  reference: string;
}

export interface ChannelAdapter {
  /** The provider's name as recorded on inbox rows and messages ('twilio', 'meta', 'smtp'...). */
  readonly provider: string;
  /** The channels this adapter carries: Twilio's Messaging API carries both SMS and WhatsApp. */
  readonly kinds: readonly ChannelKind[];
  /** Throws ProviderError, with `permanent` set when a retry cannot help. */
  send(message: OutboundMessage): Promise<SendResult>;
  /**
   * The messages the provider accepted that may be this query's, oldest first ([] when none). Asked
   * before a send whose earlier attempt has an unknown outcome is tried again, for providers that
   * take no idempotency key; the core takes the first that is not already recorded as another
   * message of ours. An adapter without it is sent again (mail: the receiver can tell by the
   * Message-ID we chose, see channels/email/send.ts). Throws ProviderError when the provider
   * cannot be asked.
   */
  findSent?(query: SentMessageQuery): Promise<SendResult[]>;
  /**
   * A file the provider keeps (a call's recording, an MMS picture) as the provider serves it, for
   * providers whose attachments stay with them (`storage: 'provider'`); undefined when the URL is not
   * one of this provider's own, or the provider no longer has the file. Throws ProviderError when the
   * provider cannot be asked.
   */
  fetchMedia?(url: string): Promise<ProviderMedia | undefined>;
}

/** A provider's file, streamed as it comes. */
export interface ProviderMedia {
  body: Readable;
  /** The type the provider gives (the core serves it only if its policy allows that type). */
  contentType: string | null;
  sizeBytes: number | null;
  /** The name's extension for what is served (a recording fetched as MP3: `mp3`). */
  extension?: string;
}

/** A provider that calls our webhooks (Twilio, Meta). */
export interface WebhookAdapter extends ChannelAdapter {
  /** Throws InvalidSignatureError on a missing or wrong signature. */
  verify(request: WebhookRequest): void;
  /** Pure; [] for a request that is not a contact. Throws ValidationError on malformed input. */
  parse(request: WebhookRequest): InboundEnvelope[];
  parseStatus?(request: WebhookRequest): DeliveryStatus[];
}

/** What one raw message (RFC 5322 mail) turns out to be: contacts, delivery reports, or neither. */
export interface ParsedRaw {
  envelopes: InboundEnvelope[];
  /** Bounces: reports on messages we sent, never contacts. */
  statuses: DeliveryStatus[];
}

/**
 * Where a raw-message adapter hands each attachment's bytes as it parses them, so that no
 * attachment is held whole in memory: the core's attachment store, which writes them to a file
 * under DATA_DIR. It reads `content` to its end (or fails), and resolves with what it made of
 * them, which the adapter puts on the attachment (`saved`, not enumerable) for the store to keep.
 */
export type AttachmentSink = (part: { contentType: string; filename?: string; content: Readable }) => Promise<unknown>;

/** A provider whose messages arrive whole over a protocol of ours (SMTP, IMAP). */
export interface RawMessageAdapter extends ChannelAdapter {
  /**
   * One raw message, whole or as a stream read once. With `attachments`, each attachment's bytes
   * go there as they are parsed; without, they stay on the attachment in memory (`content`).
   */
  parseRaw(raw: Buffer | Readable, receivedAt: Date, attachments?: AttachmentSink): Promise<ParsedRaw>;
}

export function isWebhookAdapter(adapter: ChannelAdapter): adapter is WebhookAdapter {
  return (
    typeof (adapter as WebhookAdapter).verify === 'function' && typeof (adapter as WebhookAdapter).parse === 'function'
  );
}

export function isRawMessageAdapter(adapter: ChannelAdapter): adapter is RawMessageAdapter {
  return typeof (adapter as RawMessageAdapter).parseRaw === 'function';
}

/** Status reports arrive out of order; a later state never goes back to an earlier one. */
export const DELIVERY_STATE_RANK: Record<DeliveryState, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  undelivered: 4,
  failed: 4,
};
