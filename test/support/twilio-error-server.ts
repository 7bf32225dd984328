import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageSid } from './twilio-payloads.js';

export interface ScriptedReply {
  status: number;
  /** Twilio's error body: { code, message, more_info, status }. */
  code?: number;
  message?: string;
}

/**
 * Answers Twilio's Messages API from a script, in Twilio's own response and error formats, for the
 * failures the OpenAPI mock cannot produce (invalid numbers, outages). After the script runs out it
 * answers 201 like Twilio does.
 */
export async function startScriptedTwilio(
  script: ScriptedReply[],
): Promise<{ url: string; requests: URLSearchParams[]; lists: URL[]; close(): Promise<void> }> {
  const requests: URLSearchParams[] = [];
  const lists: URL[] = [];
  const server = http.createServer((request, response) => {
    if (request.method === 'GET') {
      // List Messages, asked before a send of unknown outcome is retried: none of the scripted
      // failures was accepted, so the page is empty (and the script is not consumed).
      const url = new URL(request.url ?? '/', 'http://twilio.local');
      lists.push(url);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(emptyMessagePage(url)));
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      const reply = script.shift() ?? { status: 201 };
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      if (reply.status >= 400) {
        response.end(
          JSON.stringify({
            code: reply.code,
            message: reply.message ?? 'error',
            more_info: `https://www.twilio.com/docs/errors/${reply.code}`,
            status: reply.status,
          }),
        );
      } else {
        response.end(
          JSON.stringify({
            sid: messageSid(),
            status: 'queued',
            to: form.get('To'),
            from: form.get('From'),
            body: form.get('Body'),
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    lists,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An empty page of Twilio's List Messages, in its response format. */
export function emptyMessagePage(url: URL): Record<string, unknown> {
  const uri = `${url.pathname}${url.search}`;
  return {
    messages: [],
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: 50,
    uri,
    start: 0,
    end: 0,
  };
}
