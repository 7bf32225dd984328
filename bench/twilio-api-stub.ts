import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface TwilioApiStub {
  url: string;
  /** Messages created so far: the acknowledgements the outbound worker sent. */
  readonly sent: number;
  close(): Promise<void>;
}

/**
 * The smallest Twilio REST API the outbound worker needs: POST …/Messages.json answers 201 with a
 * fresh SM sid, so acknowledgements are really sent (the full outbound path runs) without leaving
 * the machine. Prism (the test suite's mock) checks every call against Twilio's OpenAPI description;
 * over thousands of sends that work would compete for the CPUs with the server under test.
 */
export async function startTwilioApiStub(): Promise<TwilioApiStub> {
  let sent = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST' && request.url?.endsWith('/Messages.json')) {
        sent += 1;
        const sid = `SM${randomBytes(16).toString('hex')}`;
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            sid,
            status: 'queued',
            direction: 'outbound-api',
            api_version: '2010-04-01',
            num_segments: '1',
          }),
        );
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get sent() {
      return sent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
