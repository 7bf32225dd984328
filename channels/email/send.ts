import type { OutboundMessage, SendResult } from '../adapter.js';

// Placeholder signature for the outbound helper to replace with the real sender (nodemailer).
export interface MailSendSettings {
  /** smtp://… relay; unset: ProviderNotConfiguredError. */
  smtpUrl?: string;
  /** "Name <address>" of every mail we write. */
  from: string;
}

export async function sendMail(_message: OutboundMessage, _settings: MailSendSettings): Promise<SendResult> {
  throw new Error('sendMail: being written');
}
