import express, { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Logger } from '../../../logger.js';
import type { PipelineQueues } from '../../../queue/pipeline-queues.js';
import { logRedisFailure } from '../../../queue/redis-health.js';
import type { TicketUnitOfWork } from '../../../tickets/unit-of-work.js';
import { confirmHeldMessage, listHeldMessages, splitHeldMessage } from '../../../tickets/held-messages.js';
import { currentAgent } from '../../authenticate.js';
import { idParam, MAX_ID, parseInput } from '../../validate.js';

export const heldMessageFilters = z
  .object({
    ticket: z.coerce.number().int().positive().max(MAX_ID).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export interface HeldMessageRoutesContext {
  db: Knex;
  queues: PipelineQueues;
  logger: Logger;
  referencePrefix: string;
  officeName: string;
  /** The decisions change tickets through it: the SLA clocks and routing follow. */
  unitOfWork: TicketUnitOfWork;
  now?: () => Date;
}

/**
 * Messages held for an agent to confirm (a stranger quoted a ticket's reference): the list, and
 * the two decisions. Who may decide is who may act on the ticket (404 otherwise, as for tickets).
 */
export function heldMessageRoutes(context: HeldMessageRoutesContext): Router {
  const { db, referencePrefix } = context;
  const now = context.now ?? (() => new Date());
  const actions = { db, now, unitOfWork: context.unitOfWork };
  const router = Router();
  router.use(express.json({ limit: '4kb' }));

  router.get('/', async (request, response) => {
    const filters = parseInput(heldMessageFilters, request.query, 'query');
    const data = await listHeldMessages(db, currentAgent(request), referencePrefix, {
      ticketId: filters.ticket,
      limit: filters.limit,
    });
    response.json({ data });
  });

  router.post('/:id/confirm', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'message id');
    const confirmed = await confirmHeldMessage(actions, currentAgent(request), id);
    response.json({
      data: {
        ticket_id: confirmed.ticketId,
        message_ids: confirmed.messageIds,
        merged_contact_id: confirmed.mergedContactId,
      },
    });
  });

  router.post('/:id/split', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'message id');
    const split = await splitHeldMessage(actions, currentAgent(request), id, {
      officeName: context.officeName,
      referencePrefix,
    });
    await context.queues
      .enqueueOutbound(split.outboxIds)
      .catch((error: Error) => logRedisFailure(context.logger, error, {}, 'acknowledgement queued, not signalled'));
    response.status(201).json({ data: { ticket_id: split.ticketId, reference: split.reference } });
  });

  return router;
}
