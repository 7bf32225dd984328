import type { ParsedRaw } from '../adapter.js';

// Placeholder signature for the inbound helper to replace with the real parser (mailparser).
export interface MailParseSettings {
  /** Addresses and @domains that are ours (reply+TOKEN@ recipients are recognised on them). */
  inboundAddresses: string[];
}

export async function parseMail(_raw: Buffer, _receivedAt: Date, _settings: MailParseSettings): Promise<ParsedRaw> {
  throw new Error('parseMail: being written');
}
