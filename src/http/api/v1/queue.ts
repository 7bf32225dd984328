import { Router } from 'express';
import type { Knex } from 'knex';
import { takeNext } from '../../../routing/pull.js';
import { getTicket } from '../../../tickets/ticket-queries.js';
import { currentAgent } from '../../authenticate.js';

export interface QueueRoutesContext {
  db: Knex;
  referencePrefix: string;
  now?: () => Date;
}

/** The agent's side of routing: take the next waiting ticket of one's teams (pull mode). */
export function queueRoutes(context: QueueRoutesContext): Router {
  const { db } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();

  router.post('/next', async (request, response) => {
    const agent = currentAgent(request);
    const ticketId = await takeNext(db, agent.id, now);
    if (ticketId === undefined) {
      response.status(204).end();
      return;
    }
    response.json({ data: await getTicket(db, agent, ticketId, context.referencePrefix) });
  });

  return router;
}
