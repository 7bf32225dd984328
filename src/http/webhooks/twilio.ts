import express, { Router } from 'express';
import { MESSAGING_PATHS } from './messaging-urls.js';
import twilio from 'twilio';
import type { Knex } from 'knex';
import type { ChannelRegistry } from '../../../channels/registry.js';
import { ValidationError } from '../../errors.js';
import type { InboxWriter } from '../../inbox/inbox-writer.js';
import type { Logger } from '../../logger.js';
import { applyDeliveryStatuses } from '../../messages/delivery-status.js';
import { toWebhookRequest } from './webhook-request.js';

export interface WebhookContext {
  db: Knex;
  inbox: InboxWriter;
  channels: ChannelRegistry;
  publicUrl: string;
  logger: Logger;
}

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/**
 * Twilio's webhooks. The messaging webhook answers only once the inbox row is committed (see
 * InboxWriter), so an accepted contact survives any crash after the answer.
 */
export function twilioWebhooks(context: WebhookContext): Router {
  const router = Router();
  const adapter = context.channels.webhookAdapter('twilio');
  router.use(express.urlencoded({ extended: false, limit: '256kb' }));

  router.post(MESSAGING_PATHS.messaging, async (request, response) => {
    const webhook = toWebhookRequest(request, context.publicUrl);
    adapter.verify(webhook);
    await context.inbox.record(adapter.parse(webhook));
    response.type('text/xml').send(EMPTY_TWIML);
  });

  router.post(MESSAGING_PATHS.status, async (request, response) => {
    const webhook = toWebhookRequest(request, context.publicUrl);
    adapter.verify(webhook);
    if (!adapter.parseStatus) throw new ValidationError('This provider sends no delivery status');
    // The report names our message (`?message=`, signed with the URL): a send never recorded is recorded now.
    await applyDeliveryStatuses(context.db, adapter.provider, adapter.parseStatus(webhook), {
      channels: adapter.kinds,
    });
    response.type('text/xml').send(EMPTY_TWIML);
  });

  return router;
}
