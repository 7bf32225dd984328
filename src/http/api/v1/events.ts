import { Router } from 'express';
import type { Knex } from 'knex';
import { reaches } from '../../../live/audience.js';
import type { LiveEvent, TicketEventTail } from '../../../live/event-tail.js';
import { currentAgent } from '../../authenticate.js';

const HEARTBEAT_MS = 15_000;
const TEAMS_REFRESH_MS = 30_000;

/**
 * GET /api/v1/events/stream: server-sent events for one agent's console (new assignment, citizen
 * replied, ticket transferred...). Each event's id is the audit event's id, so a console that
 * reconnects with Last-Event-ID misses nothing.
 */
export function eventRoutes(db: Knex, tail: TicketEventTail): Router {
  const router = Router();

  router.get('/stream', async (request, response) => {
    const agent = currentAgent(request);
    const teamIds = async () => new Set((await db('agent_teams').where({ agent_id: agent.id }).pluck('team_id')).map(Number));
    let teams = await teamIds();
    const lastEventId = Number(request.get('last-event-id') ?? request.query.last_event_id ?? NaN);

    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    let lastSent = 0; // a replay and the live feed may overlap: send each event once, in order
    const send = (events: LiveEvent[]) => {
      for (const event of events) {
        if (event.id <= lastSent || !reaches(agent, teams, event)) continue;
        lastSent = event.id;
        const payload = { id: event.id, ticket_id: event.ticketId, type: event.type, actor_type: event.actorType, actor_id: event.actorId, data: event.data, at: event.at };
        response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`);
      }
    };

    await tail.prime();
    const unsubscribe = tail.subscribe(send);
    if (Number.isInteger(lastEventId) && lastEventId >= 0) send(await tail.since(lastEventId));
    response.write(': connected\n\n');
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const refresh = setInterval(() => void teamIds().then((fresh) => (teams = fresh), () => undefined), TEAMS_REFRESH_MS);
    request.on('close', () => {
      clearInterval(heartbeat);
      clearInterval(refresh);
      unsubscribe();
    });
  });

  return router;
}
