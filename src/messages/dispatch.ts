import type { Knex } from 'knex';
import type { ChannelKind } from '../../channels/adapter.js';
import type { ChannelRegistry } from '../../channels/registry.js';
import { ProviderError, ProviderNotConfiguredError } from '../errors.js';
import type { Logger } from '../logger.js';
import { appendEvents } from '../tickets/events.js';

export interface DispatchContext {
  db: Knex;
  channels: ChannelRegistry;
  logger: Logger;
  statusCallbackUrl: (provider: string) => string;
  now: () => Date;
}

export type DispatchOutcome = 'sent' | 'failed' | 'not_delivered' | 'skipped';

/**
 * Sends one outbox entry through its channel's adapter and records the outcome on the message,
 * the outbox and the ticket's timeline. A transient failure is rethrown for the queue to retry
 * with backoff unless this was the last attempt.
 */
export async function dispatchOutbox(context: DispatchContext, outboxId: number, isLastAttempt: boolean): Promise<DispatchOutcome> {
  const { db } = context;
  const entry = await db('outbox as o')
    .join('messages as m', 'm.id', 'o.message_id')
    .where('o.id', outboxId)
    .first('o.id', 'o.status', 'o.attempts', 'm.id as message_id', 'm.ticket_id', 'm.channel', 'm.address', 'm.body');
  if (!entry || entry.status !== 'pending') return 'skipped'; // already sent, or given up: never twice

  const channel = entry.channel as ChannelKind;
  const adapter = context.channels.forChannel(channel);
  try {
    if (!adapter) throw new ProviderNotConfiguredError(`The ${channel} channel`);
    const result = await adapter.send({
      channel,
      to: entry.address,
      body: entry.body,
      statusCallbackUrl: context.statusCallbackUrl(adapter.provider),
    });
    const at = context.now();
    await db.transaction(async (trx) => {
      await trx('messages').where({ id: entry.message_id }).update({
        provider: adapter.provider,
        provider_message_id: result.providerMessageId,
        delivery_status: result.status,
        status_at: at,
      });
      await trx('outbox').where({ id: outboxId }).update({ status: 'sent', attempts: entry.attempts + 1, finished_at: at, last_error: null });
    });
    return 'sent';
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const notConfigured = error instanceof ProviderNotConfiguredError;
    if (!notConfigured && !error.permanent && !isLastAttempt) {
      await db('outbox').where({ id: outboxId }).update({ attempts: entry.attempts + 1, last_error: error.message });
      throw error; // transient: the queue retries with backoff
    }
    await recordGiveUp(context, entry, error, notConfigured ? 'not_delivered' : 'failed');
    return notConfigured ? 'not_delivered' : 'failed';
  }
}

async function recordGiveUp(
  context: DispatchContext,
  entry: { id: number; attempts: number; message_id: number; ticket_id: number; channel: string },
  error: ProviderError,
  outcome: 'failed' | 'not_delivered',
): Promise<void> {
  const at = context.now();
  await context.db.transaction(async (trx) => {
    await trx('messages').where({ id: entry.message_id }).update({
      delivery_status: outcome,
      error_code: error.providerCode ?? null,
      error_message: error.message,
      status_at: at,
    });
    await trx('outbox').where({ id: entry.id }).update({ status: outcome, attempts: entry.attempts + 1, last_error: error.message, finished_at: at });
    await appendEvents(trx, [
      {
        ticketId: entry.ticket_id,
        type: outcome === 'failed' ? 'delivery_failed' : 'delivery_not_configured',
        actorType: 'system',
        data: { message_id: entry.message_id, channel: entry.channel, code: error.providerCode ?? null, reason: error.message },
        at,
      },
    ]);
  });
  const log = outcome === 'failed' ? context.logger.error.bind(context.logger) : context.logger.warn.bind(context.logger);
  log({ messageId: entry.message_id, ticketId: entry.ticket_id, code: error.providerCode }, `outbound message not delivered: ${error.message}`);
}
