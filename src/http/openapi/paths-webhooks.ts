import { operation } from './operation.js';
import type { JsonSchema, ParameterObject, PathsObject } from './types.js';

const signatureHeader: ParameterObject = {
  name: 'X-Twilio-Signature',
  in: 'header',
  required: true,
  description:
    "Twilio's HMAC-SHA1 of the public URL (PUBLIC_URL + path) and the sorted form fields, keyed with TWILIO_AUTH_TOKEN. Missing or wrong: 403 `invalid_signature`.",
  schema: { type: 'string' },
};

const text = (description: string): JsonSchema => ({ type: 'string', description });

/** Twilio's messaging webhook form (SMS, MMS, WhatsApp): the fields Satu Pintu reads; Twilio sends more. */
const messageForm: JsonSchema = {
  type: 'object',
  required: ['MessageSid', 'From'],
  properties: {
    MessageSid: text(
      "The message's SID, the key that makes a retried webhook count once (`SmsSid` is taken when absent)",
    ),
    SmsSid: text('Older name of MessageSid'),
    AccountSid: text('The Twilio account'),
    From: text('The sender: `+62…` for SMS, `whatsapp:+62…` for WhatsApp'),
    To: text('Our number the message was sent to'),
    Body: text('The text'),
    NumMedia: text('How many attachments (MediaUrl0…MediaUrl9)'),
    MediaUrl0: text("The first attachment's URL (then MediaUrl1…)"),
    MediaContentType0: text("The first attachment's content type (then MediaContentType1…)"),
    ProfileName: text("WhatsApp: the sender's profile name"),
    WaId: text("WhatsApp: the sender's WhatsApp id"),
  },
  additionalProperties: { type: 'string' },
};

/** Twilio's status callback form for a message we sent. */
const statusForm: JsonSchema = {
  type: 'object',
  required: ['MessageSid', 'MessageStatus'],
  properties: {
    MessageSid: text('The SID of the message we sent (`SmsSid` is taken when absent)'),
    SmsSid: text('Older name of MessageSid'),
    MessageStatus: text(
      '`queued`, `sending`, `sent`, `delivered`, `read`, `undelivered`, `failed`… (`SmsStatus` is taken when absent)',
    ),
    SmsStatus: text('Older name of MessageStatus'),
    ErrorCode: text("Twilio's error code when undelivered or failed"),
    AccountSid: text('The Twilio account'),
    To: text('The recipient'),
    From: text('Our number'),
  },
  additionalProperties: { type: 'string' },
};

const twiml = {
  200: {
    description: 'Accepted: an empty TwiML answer',
    content: {
      'text/xml': { schema: { type: 'string' }, example: '<?xml version="1.0" encoding="UTF-8"?><Response/>' },
    },
  },
};

export function webhookPaths(): PathsObject {
  return {
    '/webhooks/twilio/messaging': {
      post: operation({
        operationId: 'twilioMessagingWebhook',
        tag: 'webhooks',
        summary: "Twilio's inbound message webhook (SMS, MMS, WhatsApp)",
        description:
          'Answers only once the message is committed to the inbox, so that an accepted contact survives any crash; the ticket is made by the inbound worker.',
        access: 'public',
        visibility: 'Authenticated by the X-Twilio-Signature header instead of a token.',
        parameters: [signatureHeader],
        body: { schema: messageForm, mediaType: 'application/x-www-form-urlencoded' },
        responses: twiml,
        errors: {
          400: 'Not a Twilio message webhook: MessageSid or From missing.',
          403: 'The signature is missing or wrong (`invalid_signature`).',
        },
      }),
    },
    '/webhooks/twilio/status': {
      post: operation({
        operationId: 'twilioStatusWebhook',
        tag: 'webhooks',
        summary: "Twilio's delivery status callback for a message we sent",
        access: 'public',
        visibility: 'Authenticated by the X-Twilio-Signature header instead of a token.',
        parameters: [signatureHeader],
        body: { schema: statusForm, mediaType: 'application/x-www-form-urlencoded' },
        responses: twiml,
        errors: {
          400: 'Not a Twilio status callback: MessageSid or MessageStatus missing.',
          403: 'The signature is missing or wrong (`invalid_signature`).',
        },
      }),
    },
  };
}
