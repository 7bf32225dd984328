/**
 * The channel adapter contract: the first file to read.
 *
 * An adapter is a pure translator between one provider and Satu Pintu. It turns provider webhooks
 * into envelopes and outbound messages into provider calls. It never touches the database or the
 * queue, and the core never sees a provider's field names.
 */
import type { Readable } from 'node:stream';

export {
  MalformedPayloadError,
  ProviderError,
  ProviderNotConfiguredError,
  WebhookSignatureError,
} from './provider-errors.js';

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
   * angle brackets) or the token of a `reply+TOKEN@` address. The core verifies and resolves them;
   * adapters only extract. Reference numbers are the core's: it finds them in `subject` and `text`.
   */
  thread?: { inReplyTo?: string; references?: string[]; replyToken?: string };
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
  /** Throws WebhookSignatureError on a missing or wrong signature. */
  verify(request: WebhookRequest): void;
  /** Pure; [] for a request that is not a contact. Throws MalformedPayloadError on malformed input. */
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

/*
 * The phone line: the voice contract, beside the messaging one above. A voice provider calls our
 * webhooks for the steps of a conversation (a call comes in, keys pressed, a recording made, a
 * call's end), and answers each with a document of its own (Twilio: TwiML) that says what the caller
 * hears next. The core keeps the call's state and composes the steps; the adapter reads what each
 * webhook tells, renders the steps, places call-backs and builds the envelopes a call leaves.
 */

/** The languages the phone line speaks. */
export type VoiceLanguage = 'id' | 'en';

/**
 * A call's status, as the contract spells it: the words the core has always kept on `calls` rows,
 * call-back events and the API (they are Twilio's, which was the first provider). An adapter maps
 * its provider's words to these; a status it cannot map is left out (never a final one).
 */
export const CALL_STATUSES = [
  'queued',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** Call statuses after which nothing more happens on the call. */
export const FINAL_CALL_STATUSES = [
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
] as const satisfies readonly CallStatus[];
export type FinalCallStatus = (typeof FINAL_CALL_STATUSES)[number];

export function isFinalCallStatus(status: CallStatus | undefined): status is FinalCallStatus {
  return (FINAL_CALL_STATUSES as readonly string[]).includes(status ?? '');
}

/** How a call connected to another phone (a dial step) ended, in the contract's words. */
export const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialStatus = (typeof DIAL_STATUSES)[number];

/** A recording the provider keeps (the audio stays with it: `storage: 'provider'`). */
export interface CallRecording {
  /** The provider's id of the recording: the dedupe key of its envelope. */
  id: string;
  url: string;
  seconds: number;
}

export interface CallTranscription {
  /** The provider's id of the transcription: the dedupe key of its envelope. */
  id: string;
  text: string;
  status: 'completed' | 'failed';
  /** The recording it transcribes. */
  recordingId?: string;
}

/**
 * What one of the provider's voice webhooks tells about a call (it came in, a key was pressed, a
 * recording or a transcription is ready, a dial step ended, the call's status changed), in the
 * contract's words: the adapter reads its provider's fields into this, in one place.
 */
export interface CallUpdate {
  /** The provider's id of the call (Twilio's CallSid): the key of its `calls` row. */
  callId: string;
  from?: string;
  to?: string;
  status?: CallStatus;
  /** Seconds the call lasted (reports of finished calls). */
  durationSeconds?: number;
  /** Keys pressed on the phone pad (0-9, * and #); undefined when the caller pressed nothing. */
  digits?: string;
  recording?: CallRecording;
  transcription?: CallTranscription;
  /** The outcome of a dial step. */
  dialStatus?: DialStatus;
  dialDurationSeconds?: number;
}

/**
 * One step of what a caller hears or does: the core composes steps, and the adapter alone turns
 * them into its provider's document. Each `action` is one of our webhooks (absolute: the provider
 * signs it as given), where the provider reports what came of the step.
 */
export type VoiceStep =
  | { say: string }
  /** Keys on the phone pad; the provider posts them (or nothing, on a timeout) to `action`. */
  | { gather: { action: string; numDigits: number; timeoutSeconds: number; finishOnKey?: string; say: string[] } }
  /** A recording of the caller; `transcribeCallback` asks for a transcription there (recordings up to 2 minutes). */
  | { record: { action: string; maxLengthSeconds: number; transcribeCallback?: string } }
  /** Connects the caller to another phone; the provider posts the outcome to `action`. */
  | { dial: { number: string; action: string; timeoutSeconds: number; callerId?: string } }
  | { hangup: true };

/** A call we place (a call-back): the agent's phone rings first. */
export interface OutboundCall {
  /** Who is rung first: the agent's phone (E.164). */
  to: string;
  /** Our number, shown to the agent. */
  from: string;
  /** Our webhook that says what to do once the agent answers. */
  answerUrl: string;
  /** Where the provider reports how the call to the agent ended. */
  statusCallbackUrl: string;
  /** Seconds to ring the agent. */
  timeoutSeconds: number;
}

export interface PlacedCall {
  /** The provider's id of the call placed. */
  callId: string;
  status: CallStatus;
}

/** A recording as an inbound message: a complaint recorded from the menu, or a message left. */
export interface VoicemailInput {
  callId: string;
  from: string;
  to: string;
  recording: CallRecording;
  purpose: 'complaint' | 'voicemail';
  text: string;
  at: Date;
}

/** A recording's transcription, as a message of its own (it arrives minutes later, or never). */
export interface TranscriptionInput {
  callId: string;
  from: string;
  to: string;
  transcription: Pick<CallTranscription, 'id' | 'recordingId'>;
  text: string;
  at: Date;
}

/** The call itself on the contact's ticket, once it is over. */
export interface CallRecordInput {
  callId: string;
  from: string;
  to: string;
  /** Served (information heard, message left, agent reached) or missed (abandoned, not answered). */
  missed: boolean;
  text: string;
  at: Date;
  /** The call's final status and length, as the core kept them. */
  status: string | null;
  durationSeconds: number | null;
  /** What the core adds to the record (the menu path, the outcome...), kept beside the provider's fields. */
  details: Record<string, unknown>;
}

/**
 * A phone line. Its webhooks carry a conversation, not messages, so `parse` yields nothing; what
 * becomes a message is built from the call's state with the envelope builders below. Those belong
 * to the adapter, not the core: the provider's name on the envelope, the recording's format and
 * file name (Twilio serves WAV), and the raw record in the provider's field names are the
 * provider's; the core gives what the call left (ids, numbers, texts, the time). Nothing is sent
 * as text on voice: `send` refuses, permanently, and a caller is answered by SMS.
 */
export interface VoiceAdapter extends WebhookAdapter {
  /** What a voice webhook tells (pure). Throws MalformedPayloadError when it is not one. */
  readCall(request: WebhookRequest): CallUpdate;
  /** What the caller hears next, as the provider's document (TwiML). */
  render(language: VoiceLanguage, steps: readonly VoiceStep[]): string;
  /** The provider's empty document: the answer to a webhook that only reports (a status, a transcription). */
  readonly emptyDocument: string;
  /** The media type of the provider's documents (TwiML: text/xml). */
  readonly documentType: string;
  /** Throws ProviderError (permanent when a retry cannot help) or ProviderNotConfiguredError. */
  placeCall(call: OutboundCall): Promise<PlacedCall>;
  /** A call's recording, as the provider serves it (see ChannelAdapter.fetchMedia). */
  fetchMedia(url: string): Promise<ProviderMedia | undefined>;
  /** Keyed by the recording's id, so a retried webhook records it once. */
  voicemailEnvelope(input: VoicemailInput): InboundEnvelope;
  /** Keyed by the transcription's id. */
  transcriptionEnvelope(input: TranscriptionInput): InboundEnvelope;
  /** Keyed by the call's id, so recorded once. */
  callEnvelope(input: CallRecordInput): InboundEnvelope;
}

const VOICE_MEMBERS = [
  'readCall',
  'render',
  'placeCall',
  'fetchMedia',
  'voicemailEnvelope',
  'transcriptionEnvelope',
  'callEnvelope',
] as const;

/** The members of the voice contract an adapter lacks (the registry checks them at boot). */
export function missingVoiceMembers(adapter: ChannelAdapter): string[] {
  const voice = adapter as Partial<VoiceAdapter>;
  const missing: string[] = VOICE_MEMBERS.filter((name) => typeof voice[name] !== 'function');
  if (typeof voice.emptyDocument !== 'string') missing.push('emptyDocument');
  if (typeof voice.documentType !== 'string') missing.push('documentType');
  return missing;
}

export function isVoiceAdapter(adapter: ChannelAdapter): adapter is VoiceAdapter {
  return isWebhookAdapter(adapter) && missingVoiceMembers(adapter).length === 0;
}
