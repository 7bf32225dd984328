import type { Knex } from 'knex';
import { DELIVERY_STATE_RANK, type DeliveryState, type DeliveryStatus } from '../../channels/adapter.js';
import { appendEvents } from '../tickets/events.js';
import { maskProviderText } from './provider-error-text.js';

/**
 * Applies provider delivery reports. Reports arrive out of order and more than once, so a message
 * only moves forward (queued → sent → delivered → read, or to a failure), and a failure is written
 * on the ticket's timeline once.
 */
export async function applyDeliveryStatuses(db: Knex, provider: string, statuses: DeliveryStatus[]): Promise<number> {
  let applied = 0;
  for (const report of statuses) {
    await db.transaction(async (trx) => {
      const message = await trx('messages')
        // Only our own messages: a forged report must not mark a citizen's message as failed.
        .where({ provider, provider_message_id: report.providerMessageId, direction: 'outbound' })
        .first('id', 'ticket_id', 'channel', 'delivery_status', 'error_code');
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
              channel: message.channel,
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
