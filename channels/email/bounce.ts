import type { DeliveryState, DeliveryStatus } from '../adapter.js';
import { isDaemonAddress, isEmptyReturnPath } from './auto-reply.js';
import { messageIdsIn, parseHeaderBlock, type HeaderBag } from './headers.js';

/** What the bounce checks read of a parsed mail; built by parse-mail from mailparser's output. */
export interface MailReport {
  headers: HeaderBag;
  sender?: string;
  subject?: string;
  /** The report's own Message-ID (never the original's), without brackets. */
  messageId?: string;
  /** `report-type` of a multipart/report top level. */
  reportType?: string;
  /** The decoded human-readable text ('' when the MIME structure hid it). */
  text: string;
  /** Attachments as mailparser found them: message/delivery-status, message/rfc822, text/rfc822-headers... */
  parts: Array<{ contentType: string; content: Buffer }>;
  raw: Buffer;
}

const BOUNCE_SUBJECT =
  /undeliver|delivery status notification|returned mail|delivery (?:has )?fail|failure notice|mail delivery (?:failed|system|subsystem)|non-?delivery|delayed mail|could not be delivered|message you sent blocked|tidak (?:dapat )?terkirim|gagal (?:di)?kirim/i;

/**
 * A delivery report rather than a person's mail: RFC 3464 (multipart/report; delivery-status), or
 * a daemon's notice in one of the older formats (Gmail, Exchange, qmail...): sent by MAILER-DAEMON
 * or postmaster, or with the null return path, under a subject that says so.
 */
export function isBounce(report: MailReport): boolean {
  if (report.reportType?.toLowerCase() === 'delivery-status') return true;
  if (report.parts.some((part) => part.contentType === 'message/delivery-status')) return true;
  const machineSender =
    isDaemonAddress(report.sender) ||
    report.headers.all('return-path').some((value) => isEmptyReturnPath(value) || isDaemonAddress(value));
  return machineSender && BOUNCE_SUBJECT.test(report.subject ?? '');
}

/**
 * The status of our original message a bounce reports: [] when the original cannot be identified
 * (nothing to mark), or when the report is only a delay warning (the relay still retries).
 */
export function bounceStatuses(report: MailReport, at: string): DeliveryStatus[] {
  const original = originalMessageId(report);
  if (!original) return [];
  const dsn = deliveryStatusFields(report);
  const notice = noticeText(report.text);
  const status = stateOf(dsn.action, `${report.subject ?? ''}\n${notice}`);
  if (!status) return [];
  const fromText = describeFromText(notice);
  return [
    {
      providerMessageId: original,
      status,
      errorCode: dsn.status ?? fromText.code,
      errorMessage: truncate(
        dsn.diagnostic ?? fromText.message ?? report.subject ?? 'Returned by the receiving mail system',
      ),
      at,
      raw: {
        report: report.messageId,
        action: dsn.action ?? null,
        status: dsn.status ?? null,
        recipient: dsn.recipient ?? null,
      },
    },
  ];
}

function stateOf(action: string | undefined, text: string): DeliveryState | undefined {
  if (action) {
    if (action === 'failed') return 'failed';
    if (action === 'delivered') return 'delivered';
    return undefined; // delayed (a warning), relayed, expanded: nothing final to record
  }
  const warning = /\bdelay(?:ed)?\b|will be retried|still being retried|warning (?:message )?only/i.test(text);
  return warning && !/permanent/i.test(text) ? undefined : 'failed';
}

/** The returned message's own id: from the returned part, the report's threading headers, or its text. */
function originalMessageId(report: MailReport): string | undefined {
  for (const part of report.parts) {
    if (part.contentType !== 'message/rfc822' && part.contentType !== 'text/rfc822-headers') continue;
    const [id] = messageIdsIn(parseHeaderBlock(part.content.toString('utf8')).first('message-id'));
    if (id) return id;
  }
  const [inReplyTo] = messageIdsIn(report.headers.first('in-reply-to'));
  if (inReplyTo) return inReplyTo;
  const references = messageIdsIn(report.headers.first('references'));
  if (references.length > 0) return references.at(-1);
  // Older formats quote the original's headers in the text; a broken MIME structure hides them
  // from the parser, so the raw bytes are read as a last resort.
  for (const source of [report.text, report.raw.toString('latin1')]) {
    for (const match of source.matchAll(/^message-id:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>/gim)) {
      if (match[1] !== report.messageId) return match[1];
    }
  }
  return undefined;
}

const DSN_FIELD = /(?:action|status)[ \t]*:/i;

interface DsnFields {
  action?: string;
  status?: string;
  diagnostic?: string;
  recipient?: string;
}

/** RFC 3464 per-recipient fields: from the delivery-status part, else from lines in the text or raw. */
function deliveryStatusFields(report: MailReport): DsnFields {
  const part = report.parts.find((candidate) => candidate.contentType === 'message/delivery-status');
  const source = part ? part.content.toString('utf8') : `${report.text}\n${report.raw.toString('latin1')}`;
  const blocks = source
    .split(/\r?\n[ \t]*\r?\n/)
    // Only a paragraph that names a field is read as a header block: a notice of 300,000 blank
    // lines is as many paragraphs, and a header bag for each took seconds.
    .filter((paragraph) => DSN_FIELD.test(paragraph))
    .map(parseHeaderBlock)
    .filter((block) => block.has('action') || block.has('status'));
  const block = blocks.find((candidate) => candidate.first('action')?.toLowerCase() === 'failed') ?? blocks[0];
  if (!block) return {};
  return {
    action: block.first('action')?.toLowerCase().split(/\s/)[0],
    status: /[245]\.\d{1,3}\.\d{1,3}/.exec(block.first('status') ?? '')?.[0],
    diagnostic: block.first('diagnostic-code')?.replace(/^[\w-]+;\s*/, ''),
    recipient: block.first('final-recipient')?.replace(/^[\w-]+;\s*/, ''),
  };
}

/** The report's own words, without the returned message that older formats paste below them. */
function noticeText(text: string): string {
  const end = text.search(
    // [ \t]* at the line start, not \s*: from every line start \s* would run over all the blank
    // lines below it, quadratic in a forged notice of blank lines.
    /^[ \t]*-+\s*(?:original message|this is a copy|undelivered message)|^original message headers:/im,
  );
  return end >= 0 ? text.slice(0, end) : text;
}

/** The reason as older formats write it: the paragraph with a DSN code, else with an SMTP reply code. */
function describeFromText(text: string): { code?: string; message?: string } {
  const paragraphs = text.split(/\r?\n[ \t]*\r?\n/).map((paragraph) => paragraph.replace(/\s+/g, ' ').trim());
  for (const pattern of [/\b([245]\.\d{1,3}\.\d{1,3})\b/, /(?:^|\s)([45]\d\d)(?:[\s:-]|$)/]) {
    const found = paragraphs.find((paragraph) => pattern.test(paragraph));
    if (found) return { code: pattern.exec(found)![1], message: found };
  }
  return {};
}

const truncate = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 499)}…` : flat;
};
