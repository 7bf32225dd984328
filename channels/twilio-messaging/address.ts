import type { ChannelKind } from '../adapter.js';

const WHATSAPP_PREFIX = 'whatsapp:';

/** Twilio writes WhatsApp senders as `whatsapp:+62…` and SMS senders as plain E.164. */
export function splitTwilioAddress(address: string): { channel: ChannelKind; phone: string } {
  return address.startsWith(WHATSAPP_PREFIX)
    ? { channel: 'whatsapp', phone: address.slice(WHATSAPP_PREFIX.length) }
    : { channel: 'sms', phone: address };
}

export function toTwilioAddress(channel: ChannelKind, phone: string): string {
  return channel === 'whatsapp' && !phone.startsWith(WHATSAPP_PREFIX) ? WHATSAPP_PREFIX + phone : phone;
}
