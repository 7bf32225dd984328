import { Router } from 'express';
import type { Knex } from 'knex';
import { agentForToken, type AuthenticatedAgent } from '../../../auth/tokens.js';
import { reaches } from '../../../live/audience.js';
import type { LiveEvent, TicketEventTail } from '../../../live/event-tail.js';
import { currentAgent } from '../../authenticate.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/v1/events/stream: server-sent events for one agent's console (new assignment, citizen
 * replied, ticket transferred...). Each event's id is the audit event's id, so a console that
 * reconnects with Last-Event-ID misses nothing.
 *
 * A stream outlives the request that opened it, so the token is checked again before every batch
 * sent and at every heartbeat: a disabled agent, an expired token or a changed role or team takes
 * effect on the open stream too, which then ends.
 */
export function eventRoutes(db: Knex, tail: TicketEventTail, now: () => Date = () => new Date()): Router {
  const router = Router();

  router.get('/stream', async (request, response) => {
    let agent: AuthenticatedAgent = currentAgent(request);
    const token = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1] ?? '';
    const teamsOf = async (agentId: number) => new Set((await db('agent_teams').where({ agent_id: agentId }).pluck('team_id')).map(Number));
    let teams = await teamsOf(agent.id);
    const lastEventId = Number(request.get('last-event-id') ?? request.query.last_event_id ?? NaN);

    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });

    let closed = false;
    /** Re-reads the agent behind the token; ends the stream when it no longer stands. */
    const stillAllowed = async (): Promise<boolean> => {
      const current = closed ? undefined : await agentForToken(db, token, now()).catch(() => agent);
      if (!current) {
        if (!closed) response.end(`event: unauthorized\ndata: ${JSON.stringify({ message: 'The token is no longer valid' })}\n\n`);
        closed = true;
        return false;
      }
      if (current.role !== agent.role || current.id !== agent.id) agent = current;
      teams = await teamsOf(agent.id);
      return true;
    };

    let lastSent = 0; // a replay and the live feed may overlap: send each event once, in order
    let sending = Promise.resolve();
    const send = (events: LiveEvent[]) => {
      sending = sending.then(async () => {
        const due = events.filter((event) => event.id > lastSent && reaches(agent, teams, event));
        if (due.length === 0 || !(await stillAllowed())) return;
        for (const event of due.filter((candidate) => reaches(agent, teams, candidate))) {
          lastSent = event.id;
          const payload = { id: event.id, ticket_id: event.ticketId, type: event.type, actor_type: event.actorType, actor_id: event.actorId, data: event.data, at: event.at };
          response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`);
        }
      });
    };

    await tail.prime();
    const unsubscribe = tail.subscribe(send);
    if (Number.isInteger(lastEventId) && lastEventId >= 0) send(await tail.since(lastEventId));
    response.write(': connected\n\n');
    const heartbeat = setInterval(() => void stillAllowed().then((allowed) => allowed && response.write(': keep-alive\n\n')), HEARTBEAT_MS);
    request.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    });
  });

  return router;
}
