import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageSid } from './twilio-payloads.js';

export interface FakeSend {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  /** When Twilio accepted it (its date_created); a test may move it back. */
  at: Date;
}

/**
 * A stateful stand-in for Twilio's Messages API: it keeps every message it accepted, so a fault
 * test can count sends per recipient (duplicates), and answers List Messages from what it keeps,
 * which a send of unknown outcome is reconciled against. The OpenAPI mock (Prism, twilio-mock.ts)
 * cannot do either: it invents each answer from the schema and remembers nothing. Same paths, form
 * fields and JSON shapes as Twilio (Create and List Messages of the 2010-04-01 API).
 */
export async function startFakeTwilio(
  options: { replyDelayMs?: number } = {},
): Promise<{ url: string; sends: FakeSend[]; lists: number; close(): Promise<void> }> {
  const sends: FakeSend[] = [];
  const state = { lists: 0 };
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://twilio.local');
      if (!/^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(url.pathname)) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 20404, message: 'Not found', status: 404 }));
        return;
      }
      if (request.method === 'GET') {
        state.lists += 1;
        respond(response, 200, listPage(url, sends));
        return;
      }
      const form = new URLSearchParams(raw);
      const send: FakeSend = {
        sid: messageSid(),
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('ContentSid') ? renderedTemplate(form.get('ContentVariables')) : (form.get('Body') ?? ''),
        statusCallback: form.get('StatusCallback'),
        at: new Date(),
      };
      // Accepted the moment it arrives, answered a little later: the window in which a worker that
      // dies has sent a message without learning so.
      sends.push(send);
      setTimeout(() => respond(response, 201, resource(send)), options.replyDelayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sends,
    get lists() {
      return state.lists;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What Twilio keeps as the body of a template send: the approved text with the values filled in
 * (List Messages shows that text, never the Content SID).
 */
function renderedTemplate(variables: string | null): string {
  const values = JSON.parse(variables ?? '{}') as Record<string, string>;
  return `Ada kabar untuk laporan Anda ${values['1'] ?? ''}. Balas pesan ini untuk membacanya.`;
}

function respond(response: http.ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function resource(send: FakeSend): Record<string, unknown> {
  return {
    sid: send.sid,
    to: send.to,
    from: send.from,
    body: send.body,
    status: 'queued',
    direction: 'outbound-api',
    date_created: send.at.toUTCString(),
    date_sent: send.at.toUTCString(),
  };
}

/** To, From and DateSent> (a day: Twilio compares dates, not times), newest first, like Twilio. */
function listPage(url: URL, sends: FakeSend[]): Record<string, unknown> {
  const to = url.searchParams.get('To');
  const from = url.searchParams.get('From');
  const after = url.searchParams.get('DateSent>');
  const day = after ? after.slice(0, 10) : undefined;
  const messages = sends
    .filter((send) => (!to || send.to === to) && (!from || send.from === from))
    .filter((send) => !day || send.at.toISOString().slice(0, 10) >= day)
    .reverse()
    .map((send) => ({ ...resource(send), status: 'sent' }));
  const uri = `${url.pathname}${url.search}`;
  return { messages, first_page_uri: uri, next_page_uri: null, previous_page_uri: null, page: 0, page_size: 50, uri };
}
