import { type ErrorRequestHandler, Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import type { InboxWriter } from '../../../inbox/inbox-writer.js';
import { formatReference } from '../../../tickets/reference-number.js';
import { sessionMessages, type ChatMessage } from '../../../webchat/chat-messages.js';
import { type ChatLimits, ChatRateLimitError } from '../../../webchat/chat-limits.js';
import { recordVisitorMessage, type ChatAdapter } from '../../../webchat/chat-service.js';
import type { ChatSignals } from '../../../webchat/chat-signals.js';
import type { ChatTail } from '../../../webchat/chat-tail.js';
import { chatHours } from '../../../webchat/office-hours.js';
import {
  bindContact,
  createSession,
  markRead,
  sessionForToken,
  sessionTicket,
  type ChatSession,
} from '../../../webchat/sessions.js';
import { queueTranscript } from '../../../webchat/transcript.js';
import type { PipelineQueues } from '../../../queue/pipeline-queues.js';
import { bearerToken } from '../../authenticate.js';
import { jsonBody } from '../../json-body.js';
import { MAX_ID, parseInput } from '../../validate.js';

export interface PublicChatContext {
  db: Knex;
  inbox: InboxWriter;
  queues: PipelineQueues;
  adapter: ChatAdapter;
  signingKey: Buffer;
  tail: ChatTail;
  signals: ChatSignals;
  limits: ChatLimits;
  now: () => Date;
  ttlHours: number;
  streamsPerSession: number;
  defaultRegion: string;
  defaultLanguage: 'id' | 'en';
  referencePrefix: string;
  officeName: string;
}

const HEARTBEAT_MS = 15_000;
/** How often an open stream re-checks its session and the office hours. */
const RECHECK_MS = 60_000;
export const MAX_WAIT_SECONDS = 25;
const MAX_TEXT = 4000;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .optional()
    .transform((value) => value || undefined);
export const sessionBody = z
  .object({
    name: text(200),
    phone: text(32),
    email: z
      .string()
      .trim()
      .max(320)
      .email('not an email address')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    language: z.enum(['id', 'en']).optional(),
  })
  .strict();
export const messageBody = z
  .object({
    clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8 to 64 letters, digits, - or _ (a UUID)'),
    text: z.string().trim().min(1, 'empty').max(MAX_TEXT, `at most ${MAX_TEXT} characters`),
  })
  .strict();
export const readBody = z.object({ upTo: z.number().int().min(0).max(MAX_ID) }).strict();
const afterId = z.coerce.number().int().min(0).max(MAX_ID);
export const pollQuery = z.object({
  after: afterId.default(0),
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_SECONDS).default(0),
  token: z.string().optional(),
});
export const streamQuery = z.object({ after: afterId.optional(), token: z.string().optional() });

/** Open streams of this process per session: a visitor with a tab or two, and room for a reconnect. */
const openStreams = new Map<string, number>();

class TooManyStreamsError extends AppError {
  constructor(limit: number) {
    super(429, 'too_many_streams', `This chat already has ${limit} open streams; close one first`, { limit });
  }
}

/**
 * The chat widget's public API (issue 15), under /api/v1/public/chat: no staff token, a visitor
 * session token instead. A message goes through the inbox like any provider's; the visitor reads
 * the conversation (their messages and the replies to their session, never internal notes) by an
 * SSE stream that resumes by Last-Event-ID, or by long polling.
 */
export function publicChatRoutes(context: PublicChatContext): Router {
  const { db, now } = context;
  const router = Router();
  router.use(jsonBody('16kb'));

  /** The token in the header; for GETs also ?token= (EventSource sets no header), never logged. */
  const session = (request: Request): Promise<ChatSession> => {
    const fromQuery =
      request.method === 'GET' && typeof request.query.token === 'string' ? request.query.token : undefined;
    return sessionForToken(db, bearerToken(request) ?? fromQuery, now(), context.ttlHours);
  };
  const clientAddress = (request: Request) => request.ip ?? 'unknown';

  /** The session as the widget shows it; binds the session to the contact its ticket is on. */
  const describe = async (current: ChatSession) => {
    const [ticket, hours] = await Promise.all([sessionTicket(db, current.id), chatHours(db, now())]);
    if (ticket) await bindContact(db, current, ticket.contactId);
    return {
      sessionId: current.id,
      ticketReference: ticket ? formatReference(ticket.reference, context.referencePrefix) : null,
      open: hours.open,
      hours,
      language: current.language,
      expiresAt: current.expiresAt,
    };
  };

  router.post('/sessions', async (request, response) => {
    const input = parseInput(sessionBody, request.body, 'session');
    await context.limits.newSession(clientAddress(request));
    const { token, session: created } = await createSession(
      db,
      input,
      { ttlHours: context.ttlHours, defaultRegion: context.defaultRegion, defaultLanguage: context.defaultLanguage },
      now(),
    );
    response
      .status(201)
      .set('cache-control', 'no-store')
      .json({ data: { token, ...(await describe(created)) } });
  });

  router.get('/session', async (request, response) => {
    response.set('cache-control', 'no-store').json({ data: await describe(await session(request)) });
  });

  router.post('/messages', async (request, response) => {
    const current = await session(request);
    const input = parseInput(messageBody, request.body, 'message');
    await context.limits.message(current.id, clientAddress(request));
    const recorded = await recordVisitorMessage(
      context.adapter,
      context.signingKey,
      context.inbox,
      current,
      input,
      now(),
    );
    response
      .status(202)
      .json({ data: { id: recorded.inboxId, clientId: input.clientId, duplicate: recorded.duplicate } });
  });

  router.get('/messages', async (request, response) => {
    const current = await session(request);
    const { after, wait } = parseInput(pollQuery, request.query, 'query');
    // Listening before reading: a message that lands between the two is a cue, not a full wait.
    const news = wait > 0 ? await listen(context.tail, current.id, request) : undefined;
    try {
      let messages = await sessionMessages(db, current.id, after);
      if (messages.length === 0 && news) {
        await news.within(wait * 1000);
        messages = await sessionMessages(db, current.id, after);
      }
      response.set('cache-control', 'no-store').json({ data: messages });
    } finally {
      news?.stop();
    }
  });

  router.get('/stream', async (request, response) => {
    const current = await session(request);
    const { after } = parseInput(
      streamQuery,
      { ...request.query, after: request.get('last-event-id') ?? request.query.after },
      'Last-Event-ID',
    );
    const open = openStreams.get(current.id) ?? 0;
    if (open >= context.streamsPerSession) throw new TooManyStreamsError(context.streamsPerSession);
    openStreams.set(current.id, open + 1);
    let released = false;
    response.on('close', () => {
      if (released) return;
      released = true;
      const left = (openStreams.get(current.id) ?? 1) - 1;
      if (left > 0) openStreams.set(current.id, left);
      else openStreams.delete(current.id);
    });
    await serveStream(context, request, response, current, after);
  });

  router.post('/typing', async (request, response) => {
    const current = await session(request);
    const ticket = await sessionTicket(db, current.id);
    if (ticket) await context.signals.visitorTyping(ticket.id);
    response.status(204).end();
  });

  router.post('/read', async (request, response) => {
    const current = await session(request);
    const { upTo } = parseInput(readBody, request.body, 'read mark');
    await markRead(db, current, upTo);
    response.status(204).end();
  });

  router.post('/transcript', async (request, response) => {
    const current = await session(request);
    await context.limits.transcript(current.id);
    const hours = await chatHours(db, now());
    const outboxId = await queueTranscript(
      db,
      current,
      { officeName: context.officeName, referencePrefix: context.referencePrefix, timeZone: hours.timeZone },
      now(),
    );
    // Recorded already: should Redis be away, the sweeper sends it.
    await context.queues.enqueueOutbound([outboxId]).catch(() => undefined);
    response.status(202).json({ data: { queued: true, email: current.email } });
  });

  // A limit's 429 says when to come back, as the other limits' do; the error handler answers it.
  const retryAfter: ErrorRequestHandler = (error, _request, response, next) => {
    if (error instanceof ChatRateLimitError) response.set('Retry-After', String(error.retryAfterSeconds));
    next(error);
  };
  router.use(retryAfter);

  return router;
}

/**
 * Listens for the session's news from now on; `within(ms)` resolves at the first cue (or one that
 * came already), after `ms`, or when the client leaves.
 */
async function listen(tail: ChatTail, sessionId: string, request: Request) {
  await tail.prime();
  let cued = false;
  let wake: () => void = () => undefined;
  const cue = () => {
    cued = true;
    wake();
  };
  const unsubscribe = tail.subscribe(sessionId, cue, cue);
  request.on('close', cue);
  return {
    within: (ms: number) =>
      new Promise<void>((resolve) => {
        if (cued) return resolve();
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    stop: () => {
      unsubscribe();
      request.off('close', cue);
    },
  };
}

async function serveStream(
  context: PublicChatContext,
  request: Request,
  response: Response,
  session: ChatSession,
  after: number | undefined,
): Promise<void> {
  const { db, tail, signals, now } = context;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let closed = false;
  let lastSent = after ?? 0;
  let lastInbound = 0;
  let lastOpen: boolean | undefined;
  const write = (chunk: string) => {
    if (!closed) response.write(chunk);
  };
  // One read at a time, in order: a cue during a read is answered by one more read after it.
  let reading = false;
  let again = false;
  const readNews = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const messages: ChatMessage[] = await sessionMessages(db, session.id, lastSent);
        for (const message of messages) {
          if (message.direction === 'inbound') lastInbound = message.id;
          // An agent answering has read what came before: the widget marks it.
          else if (lastInbound > 0) write(`event: read\ndata: ${JSON.stringify({ upTo: lastInbound })}\n\n`);
          lastSent = message.id;
          write(`id: ${message.id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        }
        if (messages.length > 0) again ||= messages.length >= 200;
      } while (again && !closed);
    } catch {
      // The database was away: the next cue or recheck reads from the same point.
    } finally {
      reading = false;
    }
  };
  const status = async () => {
    const hours = await chatHours(db, now());
    if (hours.open !== lastOpen) {
      lastOpen = hours.open;
      write(`event: status\ndata: ${JSON.stringify({ open: hours.open, nextOpening: hours.nextOpening })}\n\n`);
    }
  };

  const timers: NodeJS.Timeout[] = [];
  const unsubscribers: Array<() => void> = [];
  const finish = () => {
    closed = true;
    for (const timer of timers) clearInterval(timer);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
  request.on('close', finish);

  await tail.prime();
  if (closed) return;
  unsubscribers.push(
    tail.subscribe(
      session.id,
      () => void readNews(),
      () => {
        // The process is stopping: the widget reconnects (elsewhere) and resumes by Last-Event-ID.
        if (!closed)
          response.end(
            `event: shutdown\ndata: ${JSON.stringify({ message: 'The server is stopping: reconnect' })}\n\n`,
          );
        finish();
      },
    ),
  );
  // Typing is a nicety: with Redis away the stream carries the conversation without it.
  const unsubscribeSignals = await signals
    .subscribe(session.id, (signal) => {
      if (signal.event === 'typing' && signal.data.by === 'agent') write(`event: typing\ndata: {"by":"agent"}\n\n`);
    })
    .catch(() => () => undefined);
  unsubscribers.push(unsubscribeSignals);
  if (closed) return finish();
  write(': connected\n\n');
  await status();
  await readNews();
  timers.push(setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS));
  timers.push(
    setInterval(() => {
      void (async () => {
        try {
          const row = await db('webchat_sessions').where({ id: session.id }).first('expires_at');
          if (!row || new Date(row.expires_at).getTime() <= now().getTime()) {
            if (!closed)
              response.end(
                `event: unauthorized\ndata: ${JSON.stringify({ message: 'The chat session has expired' })}\n\n`,
              );
            finish();
            return;
          }
          await status();
          await readNews(); // a cue lost to a database hiccup costs at most this long
        } catch {
          // try again at the next recheck
        }
      })();
    }, RECHECK_MS),
  );
}
