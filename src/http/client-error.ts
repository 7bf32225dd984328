import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before express sees them: headers (the query string is in
 * the request line) over Node's 16 KB limit, a malformed request line or header. Node's own answer
 * is a bare status line; this one carries the API's JSON error body, like every other 4xx. So do the
 * header and request timeouts (server-limits.ts), answered 408 as Node would.
 */
type ClientErrorAnswer = [status: string, error: { code: string; message: string }];

const MALFORMED: ClientErrorAnswer = [
  '400 Bad Request',
  { code: 'malformed_request', message: 'The HTTP request is malformed' },
];

/** Node's parser and timeout errors that have a status of their own; anything else is a malformed request. */
const CLIENT_ERRORS: Record<string, ClientErrorAnswer> = {
  HPE_HEADER_OVERFLOW: [
    '431 Request Header Fields Too Large',
    { code: 'headers_too_large', message: 'The request line and headers are over 16 KB: send less in the URL' },
  ],
  // headersTimeout / requestTimeout (server-limits.ts): the client was too slow to send its request.
  ERR_HTTP_REQUEST_TIMEOUT: [
    '408 Request Timeout',
    { code: 'request_timeout', message: 'The request took too long to arrive; send it again at once' },
  ],
};

export function answerClientErrorsWithJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, answer] = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ error: answer });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
