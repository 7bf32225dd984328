import type { Readable } from 'node:stream';
import type { AttachmentSink, ParsedRaw, RawMessageAdapter, OutboundMessage, SendResult } from '../adapter.js';
import { parseMail, type MailParseSettings } from './parse-mail.js';
import { sendMail, type MailSendSettings } from './send.js';

export type EmailSettings = MailParseSettings & MailSendSettings;

/**
 * Email: mail arrives whole (SMTP listener, IMAP) and leaves through an SMTP relay.
 *
 * No `findSent`: SMTP gives no way to ask a relay what it has accepted (its 250 after DATA is the
 * only word, and a worker that died before recording it has lost it), and the relays offices use
 * keep no queryable record. A send of unknown outcome is therefore sent again, and made
 * recognisable instead: its Message-ID is ours, derived from the ticket and message ids
 * (src/mail/tokens.ts), so the copy carries the same Message-ID as the first; mail systems and
 * clients that collapse duplicates by Message-ID (Gmail does) show it once, threads stay whole, and
 * a bounce of either copy names the one message (the provider id recorded is that Message-ID).
 */
export function createEmailAdapter(settings: EmailSettings): RawMessageAdapter {
  return {
    provider: 'smtp',
    kinds: ['email'],
    parseRaw: (raw: Buffer | Readable, receivedAt: Date, attachments?: AttachmentSink): Promise<ParsedRaw> =>
      parseMail(raw, receivedAt, settings, attachments),
    send: (message: OutboundMessage): Promise<SendResult> => sendMail(message, settings),
  };
}
