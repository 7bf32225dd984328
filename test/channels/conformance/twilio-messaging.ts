import type { ChannelAdapter, WebhookAdapter, WebhookRequest } from '../../../channels/adapter.js';
import { createTwilioMessagingAdapter } from '../../../channels/twilio-messaging/adapter.js';
import {
  inboundSms,
  inboundWhatsApp,
  SMS_NUMBER,
  statusCallback,
  WHATSAPP_NUMBER,
} from '../../support/twilio-payloads.js';
import type { AdapterFactory, ProviderEndpoint } from './contract.js';
import {
  CITIZEN,
  RECEIVED_AT,
  sidPattern,
  signedByTwilio,
  TWILIO_CREDENTIALS,
  TWILIO_FAILURES,
  twilioSandbox,
} from './twilio-stand-ins.js';

const URL = 'https://satupintu.example.go.id/webhooks/twilio/messaging';
const SENDERS = { smsFrom: SMS_NUMBER, whatsappFrom: WHATSAPP_NUMBER };
const SID = 'SM0123456789abcdef0123456789abcdef';
const MEDIA = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0';

const webhook = (body: Record<string, string>): WebhookRequest => ({ url: URL, headers: {}, body });

/** What the messaging webhook route does: verify the signature, then parse. */
async function received(adapter: ChannelAdapter, body: Record<string, string>) {
  const signed = signedByTwilio(webhook(body));
  (adapter as WebhookAdapter).verify(signed);
  return (adapter as WebhookAdapter).parse(signed);
}

function create(endpoint?: ProviderEndpoint): ChannelAdapter {
  const settings = endpoint
    ? { ...TWILIO_CREDENTIALS, apiBaseUrl: endpoint.url, ...SENDERS }
    : { authToken: TWILIO_CREDENTIALS.authToken };
  return createTwilioMessagingAdapter(settings, () => RECEIVED_AT);
}

/** SMS and WhatsApp through Twilio's Messaging API (channels/twilio-messaging). */
export const twilioMessagingFactory: AdapterFactory = {
  name: 'channels/twilio-messaging',
  provider: 'twilio',
  create,
  signing: {
    sample: () => webhook(inboundSms(CITIZEN, 'Izin usaha saya belum terbit', { MessageSid: SID })),
    sign: signedByTwilio,
    createWithoutSecret: () => createTwilioMessagingAdapter({}, () => RECEIVED_AT),
  },
  fixtures: [
    {
      name: 'an SMS',
      read: (adapter) => received(adapter, inboundSms(CITIZEN, 'Izin usaha saya belum terbit', { MessageSid: SID })),
      expected: [
        {
          channel: 'sms',
          provider: 'twilio',
          externalId: SID,
          kind: 'message',
          from: { phone: CITIZEN, name: undefined },
          to: SMS_NUMBER,
          text: 'Izin usaha saya belum terbit',
          attachments: [],
          receivedAt: RECEIVED_AT.toISOString(),
        },
      ],
    },
    {
      name: 'a WhatsApp message with a photo',
      read: (adapter) =>
        received(
          adapter,
          inboundWhatsApp(CITIZEN, 'Foto KTP saya', {
            MessageSid: SID,
            NumMedia: '1',
            MediaUrl0: MEDIA,
            MediaContentType0: 'image/jpeg',
          }),
        ),
      expected: [
        {
          channel: 'whatsapp',
          externalId: SID,
          kind: 'message',
          from: { phone: CITIZEN, name: 'Budi Santoso' },
          to: WHATSAPP_NUMBER,
          text: 'Foto KTP saya',
          attachments: [{ url: MEDIA, storage: 'provider', contentType: 'image/jpeg' }],
        },
      ],
    },
  ],
  statuses: [
    {
      name: 'delivered',
      read: async (adapter) => (adapter as WebhookAdapter).parseStatus!(webhook(statusCallback(SID, 'delivered'))),
      expected: [{ providerMessageId: SID, status: 'delivered', errorCode: undefined }],
    },
    {
      name: 'undelivered with Twilio error 30003',
      read: async (adapter) =>
        (adapter as WebhookAdapter).parseStatus!(webhook(statusCallback(SID, 'undelivered', { ErrorCode: '30003' }))),
      expected: [{ providerMessageId: SID, status: 'undelivered', errorCode: '30003' }],
    },
  ],
  malformed: [
    {
      name: 'a message webhook without MessageSid',
      read: async (adapter) => {
        const { MessageSid: _m, SmsSid: _s, SmsMessageSid: _ss, ...rest } = inboundSms(CITIZEN, 'Halo');
        return (adapter as WebhookAdapter).parse(webhook(rest));
      },
    },
    {
      name: 'a status callback without MessageStatus',
      read: async (adapter) => (adapter as WebhookAdapter).parseStatus!(webhook({ MessageSid: SID })),
    },
  ],
  send: {
    provider: twilioSandbox,
    attempt: async (adapter) => {
      const result = await adapter.send({ channel: 'sms', to: CITIZEN, body: 'Nomor tiket Anda: SP-123-456-789' });
      return { providerId: result.providerMessageId, status: result.status };
    },
    idPattern: sidPattern('SM|MM'), // Twilio's spec: an SMS is SM…, a message with media MM…
  },
  refused: [],
  failures: TWILIO_FAILURES,
};
