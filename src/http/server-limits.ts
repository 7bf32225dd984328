import type { Server } from 'node:http';

export interface HttpServerLimits {
  /** HTTP_HEADERS_TIMEOUT_MS: a client gets this long to send its request's headers. */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: and this long for the whole request, body included. */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection closes after this. */
  keepAliveTimeoutMs: number;
}

/**
 * Bounds on how long a client may hold a connection without finishing its request: 200 clients
 * sending a header byte a minute held 200 sockets open for ever. The answers to a finished request
 * (a long event stream) are not limited. Node checks the deadlines every
 * connectionsCheckingInterval, set here to a fraction of the shortest, so that a slow client goes
 * within about a second of its deadline. Call right after listen(): the interval is read when the
 * server starts listening.
 */
export function applyHttpServerLimits(server: Server, limits: HttpServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  // Node wants the whole request's deadline no shorter than the headers'.
  server.requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    100,
    Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)),
  );
}

/** The limits as the settings give them. */
export const httpLimits = (config: {
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
}): HttpServerLimits => ({
  headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
});
