import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small server that keeps the public chat API's contract (docs: the web door's design, "Chat:
 * the contract both build to"), for the widget's client tests: one session, messages with ids
 * 1, 2, 3..., the stream with Last-Event-ID, the long poll. Its faults are switched by the test:
 * a stream that a proxy buffers (headers, then nothing), one it holds whole (not even the
 * headers), a stream refused, messages refused a number of times, every open stream dropped.
 */
export interface FakeMessage {
  id: number;
  direction: 'inbound' | 'outbound';
  text: string;
  at: string;
  author?: string;
  clientId?: string;
}

export interface ChatContractFake {
  url: string;
  /** The API's base, as the widget's ChatApi takes it. */
  base: string;
  token: string;
  messages: FakeMessage[];
  /** Every POST /messages body, accepted or not, in order. */
  posts: { clientId: string; text: string }[];
  /** Last-Event-ID of each stream request (undefined when it had none). */
  streamRequests: (string | undefined)[];
  pollRequests: string[];
  reads: unknown[];
  faults: { stream: 'ok' | 'buffered' | 'held' | 'refused'; failPosts: number; refusePost?: number };
  open: boolean;
  ticketReference: string | null;
  /** Ends the session: the stream says `unauthorized`, every later call is a 401. */
  expire(): void;
  agentSays(text: string): FakeMessage;
  typing(): void;
  read(upTo: number): void;
  /** Ends every open stream, as a dropped connection or a restarted proxy would. */
  dropStreams(): void;
  openStreams(): number;
  close(): Promise<void>;
}

/** `otherwise` answers what is not the chat API (the widget's own pages, in the browser tests). */
export async function startChatContractFake(otherwise?: http.RequestListener): Promise<ChatContractFake> {
  const token = 'fake-visitor-token';
  let expired = false;
  const streams = new Set<http.ServerResponse>();
  const waiters = new Set<() => void>();
  let nextEventId = 1;
  const events: { id: number; event: string; data: unknown }[] = [];

  const publish = (event: string, data: unknown) => {
    const entry = { id: nextEventId++, event, data };
    events.push(entry);
    for (const stream of streams) stream.write(`id: ${entry.id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    for (const wake of waiters) wake();
  };

  const add = (message: Omit<FakeMessage, 'id' | 'at'>): FakeMessage => {
    const stored: FakeMessage = { id: fake.messages.length + 1, at: new Date().toISOString(), ...message };
    fake.messages.push(stored);
    publish('message', stored);
    return stored;
  };

  const json = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const readBody = async (request: http.IncomingMessage): Promise<Record<string, unknown>> => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (otherwise && !url.pathname.startsWith('/api/v1/public/chat/')) return otherwise(request, response);
    const route = url.pathname.replace('/api/v1/public/chat', '');
    if (route === '/sessions' && request.method === 'POST') {
      await readBody(request);
      return json(response, 201, {
        data: { token, sessionId: 's1', ticketReference: null, open: true, hours: {} },
      });
    }
    if (expired || request.headers.authorization !== `Bearer ${token}`) {
      return json(response, 401, { error: { code: 'unauthorized', message: 'no such session' } });
    }
    if (route === '/messages' && request.method === 'POST') {
      const body = await readBody(request);
      const clientId = String(body.clientId);
      fake.posts.push({ clientId, text: String(body.text) });
      if (fake.faults.refusePost !== undefined) {
        return json(response, fake.faults.refusePost, { error: { code: 'invalid', message: 'refused' } });
      }
      if (fake.faults.failPosts > 0) {
        fake.faults.failPosts -= 1;
        return json(response, 503, { error: { code: 'unavailable', message: 'try later' } });
      }
      // The answer's id is the receipt's (the inbox row), not the message's; the message itself
      // comes on the stream once the worker has processed it, a moment later.
      const known = fake.messages.find((message) => message.clientId === clientId);
      if (!known) setTimeout(() => add({ direction: 'inbound', text: String(body.text), clientId }), 30);
      return json(response, 202, { data: { id: 1000 + fake.posts.length, clientId, duplicate: !!known } });
    }
    if (route === '/messages' && request.method === 'GET') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const wait = Number(url.searchParams.get('wait') ?? 0);
      fake.pollRequests.push(url.search);
      const found = () => fake.messages.filter((message) => message.id > after);
      if (found().length === 0 && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(wait, 2) * 1000);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
      return json(response, 200, { data: found() });
    }
    if (route === '/stream') {
      const lastId = request.headers['last-event-id'];
      fake.streamRequests.push(typeof lastId === 'string' ? lastId : undefined);
      if (fake.faults.stream === 'refused')
        return json(response, 502, { error: { code: 'bad_gateway', message: 'x' } });
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      if (fake.faults.stream === 'held') return; // not even the headers, as a proxy that holds the whole answer
      if (fake.faults.stream === 'buffered') {
        response.flushHeaders(); // and then not one byte, as a proxy that buffers the body
        return;
      }
      response.write(': connected\n\n');
      response.write(`event: status\ndata: ${JSON.stringify({ open: fake.open, nextOpening: null })}\n\n`);
      const from = typeof lastId === 'string' ? Number(lastId) : nextEventId - 1;
      for (const entry of events.filter((event) => event.id > from)) {
        response.write(`id: ${entry.id}\nevent: ${entry.event}\ndata: ${JSON.stringify(entry.data)}\n\n`);
      }
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (route === '/session' && request.method === 'GET') {
      return json(response, 200, {
        data: { sessionId: 's1', ticketReference: fake.ticketReference, open: fake.open, hours: {}, email: null },
      });
    }
    if (route === '/read' && request.method === 'POST') {
      fake.reads.push((await readBody(request)).upTo);
      return response.writeHead(204).end();
    }
    if (route === '/typing' && request.method === 'POST') {
      await readBody(request);
      return response.writeHead(204).end();
    }
    if (route === '/transcript' && request.method === 'POST') {
      await readBody(request);
      return json(response, 202, { data: { queued: true, email: 'b***@example.com' } });
    }
    json(response, 404, { error: { code: 'not_found', message: 'no such route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: ChatContractFake = {
    url,
    base: `${url}/api/v1/public/chat`,
    token,
    messages: [],
    posts: [],
    streamRequests: [],
    pollRequests: [],
    reads: [],
    faults: { stream: 'ok', failPosts: 0 },
    open: true,
    ticketReference: null,
    expire() {
      expired = true;
      for (const stream of streams) stream.end('event: unauthorized\ndata: {}\n\n');
      streams.clear();
    },
    agentSays: (text) => add({ direction: 'outbound', text, author: 'Sari' }),
    typing: () => publish('typing', { by: 'agent' }),
    read: (upTo) => publish('read', { upTo }),
    dropStreams() {
      for (const stream of streams) stream.destroy();
      streams.clear();
    },
    openStreams: () => streams.size,
    async close() {
      fake.dropStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
