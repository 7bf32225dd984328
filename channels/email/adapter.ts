import type { ParsedRaw, RawMessageAdapter, OutboundMessage, SendResult } from '../adapter.js';
import { parseMail, type MailParseSettings } from './parse-mail.js';
import { sendMail, type MailSendSettings } from './send.js';

export type EmailSettings = MailParseSettings & MailSendSettings;

/** Email: mail arrives whole (SMTP listener, IMAP) and leaves through an SMTP relay. */
export function createEmailAdapter(settings: EmailSettings): RawMessageAdapter {
  return {
    provider: 'smtp',
    kinds: ['email'],
    parseRaw: (raw: Buffer, receivedAt: Date): Promise<ParsedRaw> => parseMail(raw, receivedAt, settings),
    send: (message: OutboundMessage): Promise<SendResult> => sendMail(message, settings),
  };
}
