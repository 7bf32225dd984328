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
 * instead: List Messages filtered by To and From, newest first, then matched here.
 *
 * What a listed Message resource tells (Twilio's OpenAPI, `api.v2010.account.message`): sid, to,
 * from, body, direction, status, date_created, date_sent... but not the StatusCallback we gave it
 * (a create-only parameter), nor the Content SID of a template. So our message id cannot be matched;
 * the match is, instead:
 * - `direction` `outbound-api` (what the REST API created, not a TwiML reply);
 * - `date_created` (when Twilio accepted it) at or after `since`, the claim of the send in doubt:
 *   an identical message accepted before it is another one. `DateSent>` is not asked of Twilio:
 *   `date_sent` is when Twilio handed the message on, null while it still queues it, so that filter
 *   would hide a message Twilio has accepted and not yet sent;
 * - the body: ours exactly, or, for a template, a text holding every value we filled in.
 * Every match is returned, oldest first: the dispatcher passes over those already recorded as
 * another message of ours.
 */
export async function findTwilioMessages(
  client: twilio.Twilio | undefined,
  senders: TwilioSenders,
  query: SentMessageQuery,
): Promise<SendResult[]> {
  const from = query.channel === 'whatsapp' ? senders.whatsappFrom : senders.smsFrom;
  if (!client || !from) throw new ProviderNotConfiguredError(`Twilio ${query.channel}`);
  try {
    const listed = await client.messages.list({
      to: toTwilioAddress(query.channel, query.to),
      from: toTwilioAddress(query.channel, from),
      limit: PAGE_SIZE,
    });
    const since = query.since.getTime();
    const values = query.template ? Object.values(query.template.variables) : [];
    return listed
      .filter((message) => message.direction === 'outbound-api')
      .filter((message) => message.dateCreated instanceof Date && message.dateCreated.getTime() >= since)
      .filter((message) =>
        query.template
          ? values.every((value) => (message.body ?? '').includes(value))
          : (message.body ?? '') === query.body,
      )
      .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
      .map((message) => ({ providerMessageId: message.sid, status: mapTwilioStatus(message.status) }));
  } catch (error) {
    throw classifyTwilioError(error);
  }
}
