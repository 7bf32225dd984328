import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { type AddressObject, type AttachmentStream, MailParser, type MessageText } from 'mailparser';
import { fromDomainAuthenticated } from './auth-results.js';
import {
  MalformedPayloadError,
  type AttachmentRef,
  type AttachmentSink,
  type InboundEnvelope,
  type ParsedRaw,
} from '../adapter.js';
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
 * An attachment as parsed. Its bytes travel in a non-enumerable property, so that JSON (the inbox
 * row) never carries them, and the adapter touches no disk: `content` when the mail was parsed
 * whole in memory, or `saved`, what the core's attachment sink made of the bytes it was handed as
 * they were parsed (the SMTP listener's store: a file under DATA_DIR). The store keeps the bytes
 * and fills in `url` before the envelope is recorded.
 */
export type ParsedAttachment = AttachmentRef & { readonly content?: Buffer; readonly saved?: unknown };

// skipHtmlToText: an HTML-only mail gets its text from textOfHtml, which leaves the quoted history out.
const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  checksumAlgo: 'sha256',
};
/**
 * The parts a bounce is read from (bounce.ts): with a sink, only their first bytes stay in memory
 * (the headers of a returned message, the delivery-status fields), as does the head of the raw
 * mail, which a bounce of broken structure is searched in.
 */
const REPORT_PARTS = new Set(['message/delivery-status', 'message/rfc822', 'text/rfc822-headers']);
const REPORT_HEAD_BYTES = 256 * 1024;

/** What parseMail reads of a mail: mailparser's headers, text and attachments, and the raw bytes' digest. */
interface ReadMail {
  headers: Map<string, unknown>;
  headerLines: ReadonlyArray<{ key: string; line: string }>;
  subject?: string;
  messageId?: string;
  from?: AddressObject;
  to?: AddressObject | AddressObject[];
  cc?: AddressObject | AddressObject[];
  text?: string;
  html?: string | false;
  attachments: Array<{
    contentType: string;
    filename?: string;
    size: number;
    sha256: string;
    /** All of it (no sink), or the head of a report part (with a sink). */
    content?: Buffer;
    saved?: unknown;
  }>;
  /** The whole mail (no sink), or its head (with a sink): the bounce checks' last resort. */
  raw: Buffer;
  rawSha256: string;
}
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
export async function parseMail(
  source: Buffer | Readable,
  receivedAt: Date,
  settings: MailParseSettings,
  sink?: AttachmentSink,
): Promise<ParsedRaw> {
  const mail = await readMail(source, sink);
  const headers = headerBag(mail.headerLines);
  const at = receivedAt.toISOString();
  const messageId = messageIdsIn(mail.messageId)[0];
  const sender = senderOf(mail);
  const report = reportOf(mail, headers, sender, messageId);
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
    externalId: externalIdOf(messageId, mail.rawSha256),
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
 * The mail read by mailparser's streaming parser, as its simpleParser would give it but for the
 * attachments: without a sink each is collected into a Buffer (the mail is in memory anyway);
 * with one, each is handed to the sink as it is decoded, never held whole here, so that a mail of
 * large attachments costs little more memory than its text. Mailparser waits for each attachment
 * to be taken (released) before it goes on, so the sink's pace is the parse's.
 */
async function readMail(source: Buffer | Readable, sink: AttachmentSink | undefined): Promise<ReadMail> {
  const parser = new MailParser(PARSER_OPTIONS);
  const mail: ReadMail = { headers: new Map(), headerLines: [], attachments: [], raw: Buffer.alloc(0), rawSha256: '' };
  parser.on('headers', (headers: Map<string, unknown>) => {
    mail.headers = headers;
    mail.headerLines = (parser as unknown as { headerLines: ReadMail['headerLines'] }).headerLines ?? [];
  });
  if (Buffer.isBuffer(source)) {
    mail.raw = source;
    mail.rawSha256 = createHash('sha256').update(source).digest('hex');
    parser.end(source);
  } else {
    const digest = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        if (headBytes < REPORT_HEAD_BYTES) {
          head.push(chunk.subarray(0, REPORT_HEAD_BYTES - headBytes));
          headBytes += Math.min(chunk.length, REPORT_HEAD_BYTES - headBytes);
        }
        done(null, chunk);
      },
      flush(done) {
        mail.raw = Buffer.concat(head);
        mail.rawSha256 = digest.digest('hex');
        done();
      },
    });
    source.once('error', (error) => parser.destroy(error));
    tap.once('error', (error) => parser.destroy(error));
    source.pipe(tap).pipe(parser);
  }
  try {
    for await (const data of parser as AsyncIterable<AttachmentStream | MessageText>) {
      if (data.type === 'text') {
        if (data.text !== undefined) mail.text = data.text;
        if (typeof data.html === 'string') mail.html = data.html;
        continue;
      }
      const kept = sink ? await handOver(data, sink, parser) : { content: await collect(data.content as Readable) };
      data.release();
      const { size, checksum } = data as unknown as { size: number; checksum: string };
      mail.attachments.push({
        contentType: data.contentType,
        ...(data.filename ? { filename: data.filename } : {}),
        size,
        sha256: checksum,
        ...kept,
      });
    }
  } finally {
    if (!Buffer.isBuffer(source)) source.destroy(); // a parse that stopped early reads no further
  }
  for (const [name, key] of [
    ['subject', 'subject'],
    ['message-id', 'messageId'],
    ['from', 'from'],
    ['to', 'to'],
    ['cc', 'cc'],
  ] as const) {
    if (mail.headers.has(name)) (mail as unknown as Record<string, unknown>)[key] = mail.headers.get(name);
  }
  return mail;
}

/**
 * An attachment's bytes to the sink as they come; a report part's head kept here too. Should the
 * parse stop meanwhile (the mail's stream failed), the attachment's stream fails with it, so that
 * the sink never waits for bytes that will not come.
 */
async function handOver(
  part: AttachmentStream,
  sink: AttachmentSink,
  parser: MailParser,
): Promise<{ content?: Buffer; saved: unknown }> {
  const contentType = part.contentType.toLowerCase();
  const head: Buffer[] = [];
  let headBytes = 0;
  const keepHead = REPORT_PARTS.has(contentType);
  const content = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (keepHead && headBytes < REPORT_HEAD_BYTES) {
        head.push(chunk.subarray(0, REPORT_HEAD_BYTES - headBytes));
        headBytes += Math.min(chunk.length, REPORT_HEAD_BYTES - headBytes);
      }
      done(null, chunk);
    },
  });
  const source = part.content as Readable;
  source.once('error', (error) => content.destroy(error));
  source.pipe(content);
  const stopped = () => content.destroy(parser.errored ?? new Error('The mail ended inside an attachment'));
  parser.once('close', stopped);
  try {
    const saved = await sink({ contentType: part.contentType, filename: part.filename, content });
    return keepHead ? { content: Buffer.concat(head), saved } : { saved };
  } finally {
    parser.off('close', stopped);
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
function senderOf(mail: ReadMail): { address: string; name?: string } | undefined {
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
function recipientsOf(mail: ReadMail, headers: HeaderBag): string[] {
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
function bodyOf(mail: ReadMail): { text: string; html?: string; quoted: string } {
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

function attachmentOf(part: ReadMail['attachments'][number]): ParsedAttachment {
  const ref: AttachmentRef = {
    url: '',
    storage: 'local',
    contentType: withoutNul(part.contentType).slice(0, 255),
    ...(part.filename ? { filename: withoutNul(part.filename).slice(0, 255) } : {}),
    sizeBytes: part.size,
    sha256: part.sha256,
  };
  return part.saved !== undefined
    ? Object.defineProperty(ref, 'saved', { value: part.saved, enumerable: false })
    : Object.defineProperty(ref, 'content', { value: part.content, enumerable: false });
}

/** The Message-ID, or a digest of the bytes when there is none, so that a replay is still a no-op. */
function externalIdOf(messageId: string | undefined, rawSha256: string): string {
  if (messageId && messageId.length <= MAX_ID) return messageId;
  return `sha256:${messageId ? createHash('sha256').update(messageId).digest('hex') : rawSha256}`;
}

function reportOf(
  mail: ReadMail,
  headers: HeaderBag,
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
    parts: mail.attachments.map((part) => ({
      contentType: part.contentType.toLowerCase(),
      content: part.content ?? Buffer.alloc(0),
    })),
    raw: mail.raw,
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
