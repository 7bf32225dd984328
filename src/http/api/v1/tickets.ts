import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CHANNEL_KINDS } from '../../../../channels/adapter.js';
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

export function ticketRoutes(db: Knex, referencePrefix: string): Router {
  const router = Router();

  router.get('/', async (request, response) => {
    const query = parseInput(listQuery, request.query, 'query');
    response.json(await listTickets(db, currentAgent(request), { ...query, before: query.cursor }, referencePrefix));
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParam, request.params, 'ticket id');
    response.json({ data: await getTicket(db, currentAgent(request), id, referencePrefix) });
  });

  return router;
}
