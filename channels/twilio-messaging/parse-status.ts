import { MalformedPayloadError, type DeliveryState, type DeliveryStatus, type WebhookRequest } from '../adapter.js';

/** Twilio's message statuses, mapped once to ours. */
const TWILIO_STATUS: Record<string, DeliveryState> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  partially_delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

/** Twilio error codes worth a plain explanation on the ticket's timeline. */
const ERROR_EXPLANATIONS: Record<string, string> = {
  '21211': 'Invalid phone number',
  '21610': 'The citizen has opted out (replied STOP)',
  '21614': 'The number cannot receive SMS',
  '30003': 'The handset is unreachable',
  '30005': 'Unknown or inactive number',
  '30006': 'Landline or unreachable carrier',
  '30007': 'Blocked by the carrier as spam',
  '63016': 'Outside the WhatsApp 24-hour window: a free-form message needs an approved template',
};

export function parseTwilioStatus(request: WebhookRequest, receivedAt: Date): DeliveryStatus[] {
  const form = request.body;
  const sid =
    typeof form.MessageSid === 'string' ? form.MessageSid : typeof form.SmsSid === 'string' ? form.SmsSid : undefined;
  const rawStatus =
    typeof form.MessageStatus === 'string'
      ? form.MessageStatus
      : typeof form.SmsStatus === 'string'
        ? form.SmsStatus
        : undefined;
  if (!sid || !rawStatus) {
    throw new MalformedPayloadError('Not a Twilio status callback: MessageSid and MessageStatus are required');
  }
  const status = TWILIO_STATUS[rawStatus];
  if (!status) return []; // 'receiving', 'received': statuses of inbound messages, nothing to update
  const errorCode = typeof form.ErrorCode === 'string' && form.ErrorCode !== '' ? form.ErrorCode : undefined;
  const reference = referenceOf(request.url);
  return [
    {
      providerMessageId: sid,
      ...(reference ? { reference } : {}),
      status,
      errorCode,
      errorMessage: errorCode ? (ERROR_EXPLANATIONS[errorCode] ?? `Twilio error ${errorCode}`) : undefined,
      at: receivedAt.toISOString(),
      raw: form,
    },
  ];
}

/**
 * Our message id from the status-callback URL we gave with the send (`…/status?message=<id>`).
 * Twilio signs the URL it calls, query string included (HMAC-SHA1 over the URL and the sorted form
 * fields, checked by verify before any parse), so the id is as trustworthy as the MessageSid.
 */
function referenceOf(url: string): string | undefined {
  let message: string | null;
  try {
    message = new URL(url).searchParams.get('message');
  } catch {
    return undefined;
  }
  return message !== null && /^[1-9]\d{0,15}$/.test(message) ? message : undefined;
}

export function mapTwilioStatus(status: string): DeliveryState {
  return TWILIO_STATUS[status] ?? 'queued';
}
