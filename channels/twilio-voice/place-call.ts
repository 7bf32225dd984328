import type twilio from 'twilio';
import { ProviderNotConfiguredError, type OutboundCall, type PlacedCall } from '../adapter.js';
import { classifyTwilioError } from '../twilio-messaging/send.js';
import { callStatusOf } from './call-form.js';

/** Starts a call through Twilio's Calls API. Throws ProviderError (permanent for a 4xx). */
export async function placeTwilioCall(client: twilio.Twilio | undefined, call: OutboundCall): Promise<PlacedCall> {
  if (!client) throw new ProviderNotConfiguredError('Twilio voice');
  try {
    const created = await client.calls.create({
      to: call.to,
      from: call.from,
      url: call.answerUrl,
      method: 'POST',
      statusCallback: call.statusCallbackUrl,
      // Only the final status is wanted, which is what Twilio sends when no StatusCallbackEvent is given.
      statusCallbackMethod: 'POST',
      timeout: call.timeoutSeconds,
    });
    // A call just created is queued, whatever word Twilio may add for that later.
    return { callId: created.sid, status: callStatusOf(created.status) ?? 'queued' };
  } catch (error) {
    throw classifyTwilioError(error);
  }
}
