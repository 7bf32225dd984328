import type twilio from 'twilio';
import { ProviderNotConfiguredError } from '../adapter.js';
import { classifyTwilioError } from '../twilio-messaging/send.js';

export interface OutboundCall {
  /** Who is rung first: the agent's phone (E.164). */
  to: string;
  /** Our number, shown to the agent. */
  from: string;
  /** The TwiML to run once the agent answers. */
  answerUrl: string;
  /** Where Twilio reports how the call to the agent ended. */
  statusCallbackUrl: string;
  /** Seconds to ring the agent. */
  timeoutSeconds: number;
}

export interface PlacedCall {
  callSid: string;
  status: string;
}

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
    return { callSid: created.sid, status: created.status };
  } catch (error) {
    throw classifyTwilioError(error);
  }
}
