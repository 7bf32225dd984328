import { Router } from 'express';
import type { Knex } from 'knex';
import { reaches } from '../../../metrics/live/audience.js';
import type { TicketEventTail } from '../../../metrics/live/event-tail.js';
import { streamTicketEvents } from '../../event-stream.js';

/**
 * GET /api/v1/events/stream: server-sent events for one agent's console (new assignment, citizen
 * replied, ticket transferred...), resumable with Last-Event-ID; the token is re-checked while the
 * stream is open (src/http/event-stream.ts).
 */
export function eventRoutes(
  db: Knex,
  tail: TicketEventTail,
  now: () => Date = () => new Date(),
  maxPerToken?: number,
): Router {
  const router = Router();
  router.get('/stream', (request, response) =>
    streamTicketEvents(request, response, { db, tail, now, audience: reaches, maxPerToken }),
  );
  return router;
}
