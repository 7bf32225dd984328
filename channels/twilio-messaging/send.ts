import type twilio from 'twilio';
import { ProviderError, ProviderNotConfiguredError, type OutboundMessage, type SendResult } from '../adapter.js';
import { toTwilioAddress } from './address.js';
import { mapTwilioStatus } from './parse-status.js';

export interface TwilioSenders {
  smsFrom?: string;
  whatsappFrom?: string;
}

/** Sends one SMS or WhatsApp message through the Messages API. */
export async function sendTwilioMessage(
  client: twilio.Twilio | undefined,
  senders: TwilioSenders,
  message: OutboundMessage,
): Promise<SendResult> {
  const from = message.channel === 'whatsapp' ? senders.whatsappFrom : senders.smsFrom;
  if (!client || !from) throw new ProviderNotConfiguredError(`Twilio ${message.channel}`);
  try {
    const created = await client.messages.create({
      from: toTwilioAddress(message.channel, from),
      to: toTwilioAddress(message.channel, message.to),
      // A template carries its own approved text; the body would be refused outside the window.
      ...(message.template
        ? { contentSid: message.template.contentSid, contentVariables: JSON.stringify(message.template.variables) }
        : { body: message.body }),
      mediaUrl: message.mediaUrls?.length ? message.mediaUrls : undefined,
      statusCallback: message.statusCallbackUrl,
    });
    return { providerMessageId: created.sid, status: mapTwilioStatus(created.status) };
  } catch (error) {
    throw classifyTwilioError(error);
  }
}

/**
 * A 4xx from Twilio (invalid number, unsubscribed recipient, closed WhatsApp window) will fail the
 * same way again, so it is permanent; 429, 5xx and network failures are worth a retry.
 */
export function classifyTwilioError(error: unknown): ProviderError {
  const failure = (error ?? {}) as { status?: number; code?: number | string; message?: string };
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = failure.code === undefined ? undefined : String(failure.code);
  const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429;
  const message = failure.message ?? 'Twilio request failed';
  return new ProviderError(code ? `Twilio error ${code}: ${message}` : message, permanent, code);
}
