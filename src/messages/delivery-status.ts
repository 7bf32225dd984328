import type { Knex } from 'knex';
import {
  type ChannelKind,
  DELIVERY_STATE_RANK,
  type DeliveryState,
  type DeliveryStatus,
} from '../../channels/adapter.js';
import { appendEvents } from '../tickets/events.js';
import { maskProviderText } from './provider-error-text.js';

const COLUMNS = ['id', 'ticket_id', 'channel', 'delivery_status', 'error_code', 'provider', 'provider_message_id'];

interface ReportedMessage {
  id: number;
  ticket_id: number;
  channel: string;
  delivery_status: string | null;
  error_code: string | null;
  provider: string | null;
  provider_message_id: string | null;
}

/**
 * Applies provider delivery reports. Reports arrive out of order and more than once, so a message
 * only moves forward (queued → sent → delivered → read, or to a failure), and a failure is written
 * on the ticket's timeline once.
 *
 * A report that names our message id (`reference`, from a signed status-callback URL) is that
 * message's, whatever was recorded: when its send was never recorded (the worker died after the
 * provider accepted it, the outbox entry still `sending`), the report records it, provider id and
 * all, so that the send is not made again. `channels`: the channels of the reporting provider; a
 * reference to a message of another channel is not taken.
 */
export async function applyDeliveryStatuses(
  db: Knex,
  provider: string,
  statuses: DeliveryStatus[],
  options: { channels?: readonly string[] } = {},
): Promise<number> {
  let applied = 0;
  for (const report of statuses) {
    await db.transaction(async (trx) => {
      const message =
        (report.reference ? await byReference(trx, provider, report, options) : undefined) ??
        ((await trx('messages')
          // Only our own messages: a forged report must not mark a citizen's message as failed.
          .where({ provider, provider_message_id: report.providerMessageId, direction: 'outbound' })
          .first(COLUMNS)) as ReportedMessage | undefined);
      if (!message) return;
      const current = message.delivery_status as DeliveryState | null;
      const currentRank = current && current in DELIVERY_STATE_RANK ? DELIVERY_STATE_RANK[current] : -1;
      const newRank = DELIVERY_STATE_RANK[report.status];
      // Equal rank moves only to add what was missing: the error code of a failure.
      const addsErrorCode = newRank === currentRank && report.errorCode !== undefined && message.error_code === null;
      if (newRank < currentRank || (newRank === currentRank && !addsErrorCode)) return;

      const at = new Date(report.at);
      const errorMessage = maskProviderText(report.errorMessage); // a bounce quotes the address it refused
      await trx('messages')
        .where({ id: message.id })
        .update({
          delivery_status: report.status,
          error_code: report.errorCode ?? null,
          error_message: errorMessage,
          status_at: at,
        });
      if (report.status === 'failed' || report.status === 'undelivered') {
        await appendEvents(trx, [
          {
            ticketId: message.ticket_id,
            type: 'delivery_failed',
            actorType: 'system',
            data: {
              message_id: message.id,
              channel: message.channel as ChannelKind,
              status: report.status,
              code: report.errorCode ?? null,
              reason: errorMessage,
            },
            at,
          },
        ]);
      }
      applied += 1;
    });
  }
  return applied;
}

/**
 * The message a report names by our id. Its send is recorded here when it was not (no provider id
 * on the message, its outbox entry `pending` or `sending`: the outcome unknown to us); a report on
 * a provider id other than the one recorded is of another send of the message (it went out twice),
 * and nothing of it is applied to this one.
 */
async function byReference(
  trx: Knex.Transaction,
  provider: string,
  report: DeliveryStatus,
  options: { channels?: readonly string[] },
): Promise<ReportedMessage | undefined> {
  const message = (await trx('messages')
    .where({ id: Number(report.reference), direction: 'outbound' })
    .first(COLUMNS)) as ReportedMessage | undefined;
  if (!message || (options.channels && !options.channels.includes(message.channel))) return undefined;
  if (message.provider_message_id !== null) {
    return message.provider === provider && message.provider_message_id === report.providerMessageId
      ? message
      : undefined;
  }
  if (message.provider !== null && message.provider !== provider) return undefined;
  // The unique (provider, provider_message_id): a send already recorded as another message stays its.
  const elsewhere = await trx('messages')
    .where({ provider, provider_message_id: report.providerMessageId })
    .first('id');
  if (elsewhere) return undefined;
  const unsent = await trx('outbox')
    .where({ message_id: message.id })
    .whereIn('status', ['pending', 'sending'])
    .update({ status: 'sent', attempts: trx.raw('attempts + 1'), finished_at: new Date(report.at), last_error: null });
  if (Number(unsent) === 0) return undefined; // given up (failed, not delivered): that record stands
  await trx('messages').where({ id: message.id }).update({ provider, provider_message_id: report.providerMessageId });
  return { ...message, provider, provider_message_id: report.providerMessageId };
}
