import { z } from 'zod';
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { agentForToken, type AuthenticatedAgent } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import type { Audience } from '../metrics/live/audience.js';
import type { LiveEvent, TicketEventTail } from '../metrics/live/event-tail.js';
import { eventDataFor, reporterHidden } from '../tickets/reporter-protection.js';
import { currentAgent } from './authenticate.js';
import { MAX_ID, parseInput } from './validate.js';

const HEARTBEAT_MS = 15_000;
/**
 * How long a check of the token holds. Commits wake the tail at once (commit-wakeups.ts), so a busy
 * desk sends a stream many small batches a second: each would re-read the agent and their teams.
 * A revoked token's stream ends at its first event or heartbeat past this.
 */
export const REVALIDATE_MS = 1_000;

/** Where a reconnecting console resumes: the id of the last event it got (the header, or the query). */
const resumeQuery = z.object({ last_event_id: z.coerce.number().int().min(0).max(MAX_ID).optional() });

/** LIVE_STREAMS_PER_TOKEN's default: a console or two per agent, with room for a reconnect. */
export const DEFAULT_STREAMS_PER_TOKEN = 5;

/** Open streams of this process per token: one token held 500 of them, each a poller's subscriber. */
const openStreams = new Map<string, number>();

export class TooManyStreamsError extends AppError {
  constructor(limit: number) {
    super(429, 'too_many_streams', `This token already has ${limit} open event streams; close one first`, { limit });
  }
}

export interface EventStreamOptions {
  db: Knex;
  tail: TicketEventTail;
  now: () => Date;
  audience: Audience;
  /** A named event sent on connecting and then every `intervalMs` (no id: it is a state, not history). */
  snapshot?: { event: string; intervalMs: number; build(agent: AuthenticatedAgent): Promise<unknown> };
  /** LIVE_STREAMS_PER_TOKEN: beyond this many open streams of one token, 429. */
  maxPerToken?: number;
}

/**
 * Serves a server-sent event stream of ticket events to the authenticated caller. Each event's id
 * is the audit event's id, so a client that reconnects with Last-Event-ID misses nothing.
 *
 * A stream outlives the request that opened it, so the token is checked again before every batch
 * sent, every snapshot and every heartbeat: a disabled agent, an expired token or a changed role or
 * team takes effect on the open stream too, which then ends.
 */
export async function streamTicketEvents(
  request: Request,
  response: Response,
  options: EventStreamOptions,
): Promise<void> {
  const agent = currentAgent(request);
  const token = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1] ?? '';
  const limit = options.maxPerToken ?? DEFAULT_STREAMS_PER_TOKEN;
  const open = openStreams.get(token) ?? 0;
  if (open >= limit) throw new TooManyStreamsError(limit);
  openStreams.set(token, open + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const left = (openStreams.get(token) ?? 1) - 1;
    if (left > 0) openStreams.set(token, left);
    else openStreams.delete(token);
  };
  // The stream's end, whichever side ends it (the client leaving, unauthorized, shutdown).
  response.on('close', release);
  try {
    await serveStream(request, response, options, agent, token);
  } catch (error) {
    release();
    throw error;
  }
}

async function serveStream(
  request: Request,
  response: Response,
  options: EventStreamOptions,
  initialAgent: AuthenticatedAgent,
  token: string,
): Promise<void> {
  const { db, tail, now, audience } = options;
  let agent = initialAgent;
  const teamsOf = async (agentId: number) =>
    new Set((await db('agent_teams').where({ agent_id: agentId }).pluck('team_id')).map(Number));
  let teams = await teamsOf(agent.id);
  // Checked before the stream opens: past that, a bad value could only end it without a word.
  const { last_event_id: lastEventId } = parseInput(
    resumeQuery,
    { last_event_id: request.get('last-event-id') ?? request.query.last_event_id },
    'Last-Event-ID',
  );

  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform', // its events carry personal data: kept by no cache
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: do not buffer the stream
  });

  let closed = false;
  let checkedAt = Number.NEGATIVE_INFINITY;
  /** Re-reads the agent behind the token (at most every REVALIDATE_MS); ends the stream when it no longer stands. */
  const stillAllowed = async (): Promise<boolean> => {
    if (!closed && performance.now() - checkedAt < REVALIDATE_MS) return true;
    const current = closed ? undefined : await agentForToken(db, token, now()).catch(() => agent);
    if (!current) {
      if (!closed)
        response.end(`event: unauthorized\ndata: ${JSON.stringify({ message: 'The token is no longer valid' })}\n\n`);
      closed = true;
      return false;
    }
    if (current.role !== agent.role || current.id !== agent.id) agent = current;
    teams = await teamsOf(agent.id);
    checkedAt = performance.now();
    return true;
  };

  // Writes go one after the other: a replay, the live feed and snapshots never interleave.
  let writing = Promise.resolve();
  const serially = (write: () => Promise<void>) => {
    writing = writing.then(write).catch(() => undefined);
  };
  let lastSent = 0; // a replay and the live feed may overlap: send each event once, in order
  const send = (events: LiveEvent[]) =>
    serially(async () => {
      if (!events.some((event) => event.id > lastSent && audience(agent, teams, event)) || !(await stillAllowed()))
        return;
      for (const event of events.filter((candidate) => candidate.id > lastSent && audience(agent, teams, candidate))) {
        lastSent = event.id;
        const payload = {
          id: event.id,
          ticket_id: event.ticketId,
          type: event.type,
          actor_type: event.actorType,
          actor_id: event.actorId,
          assignee_id: event.ticket.assigneeId, // the ticket's now: whose it is, for the console's notice
          data: eventDataFor(event.type, event.data, reporterHidden(event.ticket, agent)),
          at: event.at,
        };
        response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(payload)}\n\n`);
      }
    });
  const sendSnapshot = () =>
    serially(async () => {
      if (!options.snapshot || !(await stillAllowed())) return;
      const data = await options.snapshot.build(agent);
      if (!closed) response.write(`event: ${options.snapshot.event}\ndata: ${JSON.stringify(data)}\n\n`);
    });

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  const finish = () => {
    closed = true;
    for (const timer of timers) clearInterval(timer);
    unsubscribe();
  };
  request.on('close', finish);

  await tail.prime();
  if (closed) return; // the client left meanwhile
  // The process stopping ends the stream with a last event, after whatever is being written: the
  // console reconnects (to another process, or to this one restarted) and resumes by Last-Event-ID.
  unsubscribe = tail.subscribe(send, () =>
    serially(async () => {
      if (closed) return;
      const goodbye = { message: 'The server is stopping: reconnect to carry on', last_event_id: lastSent || null };
      response.end(`event: shutdown\ndata: ${JSON.stringify(goodbye)}\n\n`);
      finish();
    }),
  );
  if (lastEventId !== undefined) send(await tail.since(lastEventId));
  if (closed) return;
  response.write(': connected\n\n');
  timers.push(
    setInterval(
      () => void stillAllowed().then((allowed) => allowed && response.write(': keep-alive\n\n')),
      HEARTBEAT_MS,
    ),
  );
  if (options.snapshot) {
    sendSnapshot();
    timers.push(setInterval(sendSnapshot, options.snapshot.intervalMs));
  }
}
