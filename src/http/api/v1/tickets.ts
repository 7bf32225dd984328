import express, { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from '../../../logger.js';
import type { PipelineQueues } from '../../../queue/pipeline-queues.js';
import { addNote, replyToTicket } from '../../../tickets/replies.js';
import { z } from 'zod';
import { CHANNEL_KINDS, type ChannelKind } from '../../../../channels/adapter.js';
import { getTicket, listTickets } from '../../../tickets/ticket-queries.js';
import { TICKET_STATUSES } from '../../../tickets/ticket-statuses.js';
import { currentAgent } from '../../authenticate.js';
import { parseInput } from '../../validate.js';

/** `?status=new,open` or `?status=new&status=open`. */
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? undefined : [value].flat().flatMap((item) => item.split(',')).filter(Boolean)))
    .pipe(z.array(z.enum(values)).optional());

const listQuery = z.object({
  status: listOf(TICKET_STATUSES),
  channel: listOf(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.coerce.number().int().positive().optional(),
});

const idParam = z.object({ id: z.coerce.number().int().positive() });

const replyBody = z.object({
  body: z.string().trim().min(1).max(4000),
  channel: z.enum(CHANNEL_KINDS as unknown as readonly ['sms', ...string[]]).optional(),
});
const noteBody = z.object({ body: z.string().trim().min(1).max(20000) });

export interface TicketRoutesContext {
  db: Knex;
  queues: PipelineQueues;
  logger: Logger;
  referencePrefix: string;
  whatsappTemplateConfigured: boolean;
  now?: () => Date;
}

export function ticketRoutes(context: TicketRoutesContext): Router {
  const { db, referencePrefix } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/', async (request, response) => {
    const query = parseInput(listQuery, request.query, 'query');
    response.json(await listTickets(db, currentAgent(request), { ...query, before: query.cursor }, referencePrefix));
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    response.json({ data: await getTicket(db, currentAgent(request), id, referencePrefix) });
  });

  router.post('/:id/replies', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const input = parseInput(replyBody, request.body, 'reply');
    const queued = await replyToTicket({ db, now, whatsappTemplateConfigured: context.whatsappTemplateConfigured }, currentAgent(request), {
      ticketId: id,
      body: input.body,
      channel: input.channel as ChannelKind | undefined,
    });
    // After commit; if Redis is away the outbox sweeper sends it.
    await context.queues.enqueueOutbound([queued.outboxId]).catch((error: Error) => context.logger.warn({ err: error }, 'reply queued, not signalled'));
    response.status(201).json({ data: { message_id: queued.messageId, delivery_status: 'queued' } });
  });

  router.post('/:id/notes', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    const { body } = parseInput(noteBody, request.body, 'note');
    response.status(201).json({ data: { message_id: await addNote({ db, now }, currentAgent(request), id, body) } });
  });

  return router;
}
