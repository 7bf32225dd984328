import type twilio from 'twilio';
import { ProviderNotConfiguredError, type SendResult, type SentMessageQuery } from '../adapter.js';
import { toTwilioAddress } from './address.js';
import { classifyTwilioError } from './send.js';
import { mapTwilioStatus } from './parse-status.js';
import type { TwilioSenders } from './send.js';

/** How many of the recipient's recent messages are looked at: a burst to one citizen is short. */
const PAGE_SIZE = 50;

/**
 * Twilio's Messages API takes no idempotency key, so a send whose outcome is unknown is looked up
 * instead: List Messages filtered by To, From and DateSent>= (the SDK's `dateSentAfter`, which
 * Twilio applies by day), then matched on the body. A template send has no body of ours to
 * compare, so the newest message from our sender to that recipient in the window counts.
 */
export async function findTwilioMessage(
  client: twilio.Twilio | undefined,
  senders: TwilioSenders,
  query: SentMessageQuery,
): Promise<SendResult | undefined> {
  const from = query.channel === 'whatsapp' ? senders.whatsappFrom : senders.smsFrom;
  if (!client || !from) throw new ProviderNotConfiguredError(`Twilio ${query.channel}`);
  try {
    const listed = await client.messages.list({
      to: toTwilioAddress(query.channel, query.to),
      from: toTwilioAddress(query.channel, from),
      dateSentAfter: query.since,
      limit: PAGE_SIZE,
    });
    const match = listed.find(
      (message) => (message.direction ?? '').startsWith('outbound') && (query.template || message.body === query.body),
    );
    return match ? { providerMessageId: match.sid, status: mapTwilioStatus(match.status) } : undefined;
  } catch (error) {
    throw classifyTwilioError(error);
  }
}
