import { createTransport, type Mail } from 'nodemailer';
import { ProviderError, ProviderNotConfiguredError, type OutboundMessage, type SendResult } from '../adapter.js';

export interface MailSendSettings {
  /** smtp://… or smtps://… relay; unset: ProviderNotConfiguredError. */
  smtpUrl?: string;
  /** "Name <address>" of every mail we write. */
  from: string;
}

// One pooled transporter per settings object (one per running adapter): connections to the relay
// are reused across messages instead of a TCP + TLS handshake per mail.
const transports = new WeakMap<MailSendSettings, Mail>();

function transportFor(settings: MailSendSettings, smtpUrl: string): Mail {
  let transport = transports.get(settings);
  if (!transport) {
    // Only files we stored ourselves are attached: never let message data fetch a URL. The time-outs
    // are nodemailer's own shortened (its socket's is 10 minutes): a send must end well within the
    // outbox's send lease (OUTBOX_SEND_LEASE_MS), after which another worker may take it for dead.
    transport = createTransport({
      url: smtpUrl,
      pool: true,
      disableUrlAccess: true,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    transports.set(settings, transport);
  }
  return transport;
}

const bracketed = (id: string): string => `<${id.replace(/^<|>$/g, '')}>`;

/**
 * Sends one mail through the SMTP relay, with the threading headers the core chose (our signed
 * Message-ID, In-Reply-To and References of the ticket's mail, the reply+ address) and a text and
 * an HTML part. The provider id is the Message-ID, which is what bounces and replies quote.
 */
export async function sendMail(message: OutboundMessage, settings: MailSendSettings): Promise<SendResult> {
  const { smtpUrl } = settings;
  if (!smtpUrl) throw new ProviderNotConfiguredError('Outbound mail (SMTP_URL)');
  const thread = message.thread ?? {};
  try {
    const info = await transportFor(settings, smtpUrl).sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject ?? '',
      text: message.body,
      html: textToHtml(message.body),
      messageId: thread.messageId ? bracketed(thread.messageId) : undefined,
      inReplyTo: thread.inReplyTo ? bracketed(thread.inReplyTo) : undefined,
      references: thread.references?.length ? thread.references.map(bracketed) : undefined,
      replyTo: thread.replyTo,
      // RFC 3834: what the system writes by itself is marked so that other robots do not answer
      // it; X-Auto-Response-Suppress asks Exchange not to send out-of-office replies to it.
      headers: message.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : undefined,
      attachments: message.attachments?.map(({ path, filename, contentType }) => ({ path, filename, contentType })),
    });
    return { providerMessageId: String(info.messageId).replace(/^<|>$/g, ''), status: 'sent' };
  } catch (error) {
    throw classifySmtpError(error);
  }
}

/** The HTML part: the text, escaped, its blank-line paragraphs as <p> and its line breaks as <br>. */
export function textToHtml(text: string): string {
  const escapeHtml = (value: string) =>
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`);
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${paragraphs.join('\n')}\n</body></html>`;
}

// Failures without an SMTP reply that a retry cannot fix: a bad configuration or message.
const PERMANENT_WITHOUT_REPLY = new Set([
  'ECONFIG',
  'EENVELOPE',
  'EMAXRECIPIENTS',
  'EAUTH',
  'ENOAUTH',
  'EFILEACCESS',
  'EURLACCESS',
  'ENOENT',
  'EACCES',
  'EISDIR',
]);

/**
 * RFC 5321 reply classes: 4xx is temporary (greylisting, a full mailbox, a busy server) and worth
 * a retry with backoff; 5xx is permanent (unknown user, refused content) and recorded with its
 * code, except 503, a protocol-state hiccup that a fresh connection gets past (nodemailer reads it
 * so too). Without a reply (refused connection, timeout, reset) the relay was unreachable: retry.
 */
export function classifySmtpError(error: unknown): ProviderError {
  const failure = (error ?? {}) as {
    code?: string;
    originalCode?: string;
    responseCode?: number;
    response?: string;
    message?: string;
  };
  const replyCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  if (replyCode !== undefined) {
    const permanent = replyCode >= 500 && replyCode < 600 && replyCode !== 503;
    const reply = (failure.response ?? failure.message ?? '').trim();
    const text = reply.startsWith(String(replyCode)) ? reply : `${replyCode} ${reply}`;
    return new ProviderError(`The mail server answered: ${text}`, permanent, String(replyCode));
  }
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  // nodemailer wraps what failed underneath (ESTREAM around a missing attachment's ENOENT).
  const permanent = [code, failure.originalCode].some(
    (candidate) => candidate !== undefined && PERMANENT_WITHOUT_REPLY.has(candidate),
  );
  return new ProviderError(
    `Sending mail failed${code ? ` (${code})` : ''}: ${failure.message ?? 'unknown error'}`,
    permanent,
    code,
  );
}
