import type {
  WebhookAdapter,
  DeliveryStatus,
  InboundEnvelope,
  OutboundMessage,
  SendResult,
  SentMessageQuery,
  WebhookRequest,
} from '../adapter.js';
import { findTwilioMessages } from './find-sent.js';
import { fetchTwilioMedia } from './media.js';
import { createTwilioClient, type TwilioCredentials } from './client.js';
import { parseTwilioMessage } from './parse-message.js';
import { parseTwilioStatus } from './parse-status.js';
import { sendTwilioMessage, type TwilioSenders } from './send.js';
import { verifyTwilioSignature } from './signature.js';

export type TwilioMessagingSettings = TwilioCredentials & TwilioSenders;

/** SMS and WhatsApp through Twilio's Programmable Messaging: one webhook, one API, two channels. */
export function createTwilioMessagingAdapter(
  settings: TwilioMessagingSettings,
  now: () => Date = () => new Date(),
): WebhookAdapter {
  const client = createTwilioClient(settings);
  return {
    provider: 'twilio',
    kinds: ['sms', 'whatsapp'],
    verify: (request: WebhookRequest) => verifyTwilioSignature(settings.authToken, request),
    parse: (request: WebhookRequest): InboundEnvelope[] => parseTwilioMessage(request, now()),
    parseStatus: (request: WebhookRequest): DeliveryStatus[] => parseTwilioStatus(request, now()),
    send: (message: OutboundMessage): Promise<SendResult> => sendTwilioMessage(client, settings, message),
    findSent: (query: SentMessageQuery): Promise<SendResult[]> => findTwilioMessages(client, settings, query),
    fetchMedia: (url: string) => fetchTwilioMedia(settings, url),
  };
}
