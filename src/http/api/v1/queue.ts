import { Router } from 'express';
import type { Knex } from 'knex';
import { takeNext } from '../../../routing/pull.js';
import { WAITING_STATUSES } from '../../../routing/routing-state.js';
import { ACTIVE_STATUSES } from '../../../tickets/ticket-statuses.js';
import { getTask } from '../../../tasks/task-queries.js';
import { getTicket, listTickets } from '../../../tickets/ticket-queries.js';
import { currentAgent } from '../../authenticate.js';
import { parseInput } from '../../validate.js';
import { contactFilter, ticketFilters } from './ticket-filters.js';

export interface QueueRoutesContext {
  db: Knex;
  referencePrefix: string;
  /** DEFAULT_REGION: how the `contact` filter reads a phone written without its country code. */
  defaultRegion?: string;
  now?: () => Date;
}

/**
 * The agent's working views: my tickets, my teams' waiting tickets (in the order routing hands
 * them out), and taking the next item myself (pull mode): a ticket, or a call-back to make.
 */
export function queueRoutes(context: QueueRoutesContext): Router {
  const { db, referencePrefix } = context;
  const now = context.now ?? (() => new Date());
  const region = context.defaultRegion ?? 'ID';
  const router = Router();

  router.get('/mine', async (request, response) => {
    const filters = parseInput(ticketFilters, request.query, 'query');
    const agent = currentAgent(request);
    response.json(
      await listTickets(
        db,
        agent,
        {
          ...filters,
          citizen: contactFilter(filters.contact, region),
          status: filters.status ?? [...ACTIVE_STATUSES],
          assignee: agent.id,
          before: filters.cursor,
          at: now(),
        },
        referencePrefix,
      ),
    );
  });

  router.get('/waiting', async (request, response) => {
    const filters = parseInput(ticketFilters, request.query, 'query');
    const agent = currentAgent(request);
    response.json(
      await listTickets(
        db,
        agent,
        {
          ...filters,
          citizen: contactFilter(filters.contact, region),
          status: filters.status ?? [...WAITING_STATUSES],
          assignee: 'none',
          order: 'queue',
          at: now(),
        },
        referencePrefix,
      ),
    );
  });

  router.post('/next', async (request, response) => {
    const agent = currentAgent(request);
    const next = await takeNext(db, agent, now);
    if (next === undefined) {
      response.status(204).end();
      return;
    }
    const data =
      next.kind === 'ticket'
        ? await getTicket(db, agent, next.id, referencePrefix, now())
        : await getTask(db, agent, next.id, referencePrefix, now());
    response.json({ kind: next.kind, data });
  });

  return router;
}
