import { MalformedPayloadError, type AttachmentRef, type InboundEnvelope, type WebhookRequest } from '../adapter.js';
import { splitTwilioAddress } from './address.js';

/** Twilio's inbound message webhook (SMS, MMS, WhatsApp) as one envelope. */
export function parseTwilioMessage(request: WebhookRequest, receivedAt: Date): InboundEnvelope[] {
  const form = request.body;
  const messageSid = text(form.MessageSid) ?? text(form.SmsSid);
  const from = text(form.From);
  if (!messageSid || !from) {
    throw new MalformedPayloadError('Not a Twilio message webhook: MessageSid and From are required', {
      missing: [!messageSid && 'MessageSid', !from && 'From'].filter(Boolean),
    });
  }
  if (messageSid.length > 64) throw new MalformedPayloadError('MessageSid is too long to be a Twilio SID');
  const sender = splitTwilioAddress(from);
  return [
    {
      channel: sender.channel,
      provider: 'twilio',
      externalId: messageSid,
      kind: 'message',
      from: { phone: sender.phone, name: text(form.ProfileName) },
      to: splitTwilioAddress(text(form.To) ?? '').phone,
      text: text(form.Body) ?? '',
      attachments: parseMedia(form),
      receivedAt: receivedAt.toISOString(),
      raw: form,
    },
  ];
}

function parseMedia(form: Record<string, unknown>): AttachmentRef[] {
  const count = Math.min(Number(text(form.NumMedia) ?? 0) || 0, 10); // Twilio sends at most 10
  const attachments: AttachmentRef[] = [];
  for (let index = 0; index < count; index += 1) {
    const url = text(form[`MediaUrl${index}`]);
    if (url) attachments.push({ url, storage: 'provider', contentType: text(form[`MediaContentType${index}`]) });
  }
  return attachments;
}

/** A field's text, without NUL characters: PostgreSQL cannot store them, and the message would never become a ticket. */
function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  const cleaned = typeof value === 'string' ? value.replaceAll('\u0000', '') : '';
  return cleaned !== '' ? cleaned : undefined;
}
