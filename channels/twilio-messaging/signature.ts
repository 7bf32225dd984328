import twilio from 'twilio';
import { WebhookSignatureError, type WebhookRequest } from '../adapter.js';

/**
 * Twilio signs every webhook with HMAC-SHA1 over the public URL and the sorted form parameters.
 * Shared by every Twilio adapter (messaging, voice).
 */
export function verifyTwilioSignature(authToken: string | undefined, request: WebhookRequest): void {
  if (!authToken) {
    throw new WebhookSignatureError('TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified');
  }
  const header = request.headers['x-twilio-signature'];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) throw new WebhookSignatureError('X-Twilio-Signature header is missing');
  if (!twilio.validateRequest(authToken, signature, request.url, request.body)) {
    throw new WebhookSignatureError('X-Twilio-Signature does not match this request');
  }
}
