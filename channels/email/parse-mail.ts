import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { fromDomainAuthenticated } from './auth-results.js';
import { MalformedPayloadError, type AttachmentRef, type InboundEnvelope, type ParsedRaw } from '../adapter.js';
import { isAutoReply } from './auto-reply.js';
import { bounceStatuses, isBounce, type MailReport } from './bounce.js';
import { headerBag, messageIdsIn, splitAddress, type HeaderBag } from './headers.js';
import { sanitizeMailHtml, textOfHtml } from './html.js';
import { splitQuotedText } from './quoted-text.js';
import { domainOfMailbox, OurAddresses } from './recipients.js';

export interface MailParseSettings {
  /** Addresses and @domains that are ours (reply+TOKEN@ recipients are recognised on them). */
  inboundAddresses: string[];
  /** "Name <address>" of our own mail: its domain names our Message-IDs and reply+ addresses. */
  from?: string;
  /** EMAIL_TRUSTED_AUTHSERV_IDS: the authserv-ids of our own MTA, whose Authentication-Results we believe. */
  trustedAuthservIds?: string[];
}

/**
 * An attachment as parsed. Its bytes travel in `content`, a non-enumerable property: JSON (the
 * inbox row) never carries them, and the adapter touches no disk. The SMTP listener stores the
 * bytes under DATA_DIR and fills in `url` before the envelope is recorded.
 */
export type ParsedAttachment = AttachmentRef & { readonly content?: Buffer };

// skipHtmlToText: an HTML-only mail gets its text from textOfHtml, which leaves the quoted history out.
const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  keepCidLinks: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
};
// Column sizes of the records these values end up in (messages, tickets, attachments).
const MAX_ID = 128;
const MAX_SUBJECT = 255;
const MAX_NAME = 200;
const MAX_QUOTED = 64 * 1024;

/**
 * One RFC 5322 mail → a contact (envelope), a delivery report on our mail (status), or neither
 * (a bounce whose original is unknown). Our own mail coming back (a loop) is an envelope: the core
 * verifies our signed Message-ID and records it as no contact.
 */
export async function parseMail(raw: Buffer, receivedAt: Date, settings: MailParseSettings): Promise<ParsedRaw> {
  const mail = await simpleParser(raw, PARSER_OPTIONS as object);
  const headers = headerBag(mail.headerLines);
  const at = receivedAt.toISOString();
  const messageId = messageIdsIn(mail.messageId)[0];
  const sender = senderOf(mail);
  const report = reportOf(mail, headers, raw, sender, messageId);
  if (isBounce(report)) return { envelopes: [], statuses: bounceStatuses(report, at) };

  const ourDomains = settings.from && domainOfMailbox(settings.from) ? [domainOfMailbox(settings.from)!] : [];
  if (!sender) throw new MalformedPayloadError('The mail names no sender: no From, Sender or Return-Path address');
  if (sender.address.length > 320)
    throw new MalformedPayloadError('The sender address is longer than any valid address');

  const ours = new OurAddresses(settings.inboundAddresses, ourDomains);
  const recipients = recipientsOf(mail, headers);
  const ourRecipients = recipients.filter((address) => ours.isOurs(address));
  const replyToken = ourRecipients.map((address) => ours.replyTokenOf(address)).find((token) => token !== undefined);
  const body = bodyOf(mail);
  const subject = mail.subject?.trim() || undefined;
  const references = messageIdsIn(headers.first('references'));
  const inReplyTo = messageIdsIn(headers.first('in-reply-to'))[0];

  const envelope: InboundEnvelope = {
    channel: 'email',
    provider: 'smtp',
    externalId: externalIdOf(messageId, raw),
    kind: 'message',
    from: { email: sender.address.toLowerCase(), ...(sender.name ? { name: sender.name.slice(0, MAX_NAME) } : {}) },
    to: ourRecipients[0] ?? settings.inboundAddresses.find((entry) => !entry.startsWith('@')) ?? recipients[0] ?? '',
    ...(subject ? { subject: subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 1)}…` : subject } : {}),
    text: body.text,
    ...(body.html ? { html: body.html } : {}),
    attachments: mail.attachments.map(attachmentOf),
    thread: {
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(references.length > 0 ? { references } : {}),
      ...(replyToken ? { replyToken } : {}),
    },
    autoReply: isAutoReply(headers, sender.address, subject),
    ...(fromDomainAuthenticated(
      headers,
      sender.address.slice(sender.address.lastIndexOf('@') + 1),
      settings.trustedAuthservIds ?? [],
    )
      ? { senderAuthenticated: true }
      : {}),
    receivedAt: at,
    raw: { headers: summary(headers), ...(body.quoted ? { quotedText: body.quoted.slice(0, MAX_QUOTED) } : {}) },
  };
  // Attachments as they are: their bytes are a property no copy keeps (their names are cleaned in attachmentOf).
  return {
    envelopes: [{ ...withoutNul({ ...envelope, attachments: [] }), attachments: envelope.attachments }],
    statuses: [],
  };
}

/**
 * The envelope with every NUL character taken out of its text. Mail may carry them (raw bytes, an
 * encoded word =00); PostgreSQL's text cannot store them, and the mail would never become a ticket.
 */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutNul(item)])) as T;
  return value;
}

/** From, else Sender, else the return path (the SMTP envelope sender our listener writes on top). */
function senderOf(mail: ParsedMail): { address: string; name?: string } | undefined {
  const from = mail.from?.value.find((entry) => entry.address && splitAddress(entry.address));
  if (from) return { address: from.address!, name: from.name || undefined };
  // mailparser has parsed Sender and Return-Path with nodemailer's address parser (one pass over
  // the header); a regular expression over the raw header was quadratic in a long one without an @.
  for (const name of ['sender', 'return-path']) {
    const parsed = mail.headers.get(name) as AddressObject | undefined;
    const address = parsed?.value?.find((entry) => entry.address && splitAddress(entry.address))?.address;
    if (address) return { address };
  }
  return undefined;
}

/** Every recipient, the envelope recipients our listener recorded (Delivered-To) first. */
function recipientsOf(mail: ParsedMail, headers: HeaderBag): string[] {
  const delivered = [...headers.all('delivered-to'), ...headers.all('x-original-to')].map((value) =>
    value.replace(/[<>\s]/g, ''),
  );
  const listed = [mail.to, mail.cc].flatMap((field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
      group.value.map((entry) => entry.address ?? ''),
    ),
  );
  return [...new Set([...delivered, ...listed].filter((address) => splitAddress(address)).map((address) => address))];
}

/** The new text first, the quoted history kept aside; the sanitized HTML keeps everything. */
function bodyOf(mail: ParsedMail): { text: string; html?: string; quoted: string } {
  const html = typeof mail.html === 'string' && mail.html.trim() !== '' ? sanitizeMailHtml(mail.html) : undefined;
  if (mail.text !== undefined && mail.text.trim() !== '') {
    const split = splitQuotedText(mail.text);
    return { text: split.reply, html, quoted: split.quoted };
  }
  if (typeof mail.html === 'string') {
    const { full, fresh } = textOfHtml(mail.html);
    const split = splitQuotedText(fresh || full);
    return { text: split.reply, html, quoted: split.quoted || (fresh && fresh !== full ? full : '') };
  }
  return { text: '', quoted: '' };
}

function attachmentOf(part: Attachment): ParsedAttachment {
  const ref: AttachmentRef = {
    url: '',
    storage: 'local',
    contentType: withoutNul(part.contentType).slice(0, 255),
    ...(part.filename ? { filename: withoutNul(part.filename).slice(0, 255) } : {}),
    sizeBytes: part.content.length,
    sha256: createHash('sha256').update(part.content).digest('hex'),
  };
  return Object.defineProperty(ref, 'content', { value: part.content, enumerable: false });
}

/** The Message-ID, or a digest of the bytes when there is none, so that a replay is still a no-op. */
function externalIdOf(messageId: string | undefined, raw: Buffer): string {
  if (messageId && messageId.length <= MAX_ID) return messageId;
  return `sha256:${createHash('sha256')
    .update(messageId ?? raw)
    .digest('hex')}`;
}

function reportOf(
  mail: ParsedMail,
  headers: HeaderBag,
  raw: Buffer,
  sender: { address: string } | undefined,
  messageId: string | undefined,
): MailReport {
  const contentType = mail.headers.get('content-type') as
    | { value?: string; params?: Record<string, string> }
    | undefined;
  return {
    headers,
    sender: sender?.address,
    subject: mail.subject,
    messageId,
    reportType:
      contentType?.value?.toLowerCase() === 'multipart/report' ? contentType.params?.['report-type'] : undefined,
    text: mail.text ?? '',
    parts: mail.attachments.map((part) => ({ contentType: part.contentType.toLowerCase(), content: part.content })),
    raw,
  };
}

const SUMMARY_HEADERS = [
  'message-id',
  'date',
  'from',
  'to',
  'cc',
  'subject',
  'in-reply-to',
  'references',
  'auto-submitted',
  'precedence',
  'list-id',
  'return-path',
  'content-type',
];

/** The headers worth keeping beside the envelope: enough to explain a threading or loop decision. */
function summary(headers: HeaderBag): Record<string, string> {
  return Object.fromEntries(
    SUMMARY_HEADERS.flatMap((name) => (headers.first(name) ? [[name, headers.first(name)!.slice(0, 2000)]] : [])),
  );
}
