import type { Worker } from 'bullmq';
import type { Logger } from '../logger.js';

/** What is watched: an ioredis client, or a BullMQ connection (both emit 'error' and 'ready'). */
export interface WatchedConnection {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  status?: string;
}

/** Statuses of a connection closed on purpose (ioredis: end; BullMQ: closing, closed). */
const CLOSED = new Set(['end', 'closing', 'closed']);

/** Socket-level failures: Redis is not there (or not answering). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
]);
const CONNECTION_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable|max retries per request|Socket closed unexpectedly/i;

/** Whether an error only says that Redis could not be reached (which RedisHealth reports once). */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    (typeof message === 'string' && CONNECTION_MESSAGES.test(message))
  );
}

/**
 * A Redis operation failed and its work is left to a safety net (the sweeper, the periodic routing
 * pass, the SLA sweep): a warning with the error, unless Redis is merely unreachable, which its
 * outage's own line says once (debug then, not a stack per webhook or per pass).
 */
export function logRedisFailure(
  logger: Logger,
  error: unknown,
  fields: Record<string, unknown>,
  message: string,
): void {
  if (isConnectionError(error)) logger.debug({ ...fields, reason: (error as Error).message }, message);
  else logger.warn({ ...fields, err: error }, message);
}

/**
 * A BullMQ queue or worker emits the errors of its connections as its own, and prints them with
 * their stacks (console.error) when nobody listens: every queue on the shared producer connection
 * did so at each reconnection attempt. Connection errors are RedisHealth's to report, once per
 * outage; anything else is logged.
 */
export function logQueueErrors(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  logger: Logger,
  what: string,
): void {
  emitter.on('error', (error) => {
    if (!isConnectionError(error)) logger.warn({ err: error }, `${what} problem`);
  });
}

/**
 * Whether this process reaches Redis, as every connection it has sees it (the producer's, each
 * BullMQ worker's two): one line when an outage begins (`redis unreachable`, with the URL less its
 * credentials and the error's code, no stack) and one when it ends (`redis reachable again`, with its
 * duration), however many connections there are and however often they retry.
 *
 * An outage begins when a connection that was working fails; it ends as soon as any connection is
 * ready again. The other connections come back on their own retry schedules (a BullMQ worker's
 * waits up to 20 s between attempts), and their failures from before they reconnected belong to
 * the outage just ended: a connection already failing starts no new one.
 */
export class RedisHealth {
  private readonly failing = new WeakSet<WatchedConnection>();
  private readonly listeners: Array<(up: boolean) => void> = [];
  private readonly url: string;
  private downSince?: number;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    url: string,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.url = withoutCredentials(url);
  }

  /** True unless an outage is under way. */
  get up(): boolean {
    return this.downSince === undefined;
  }

  /** Called with the new state at each start and end of an outage. */
  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  watch(connection: WatchedConnection): void {
    connection.on('error', (error) => this.failed(connection, error));
    connection.on('ready', () => this.reached(connection));
  }

  /** A BullMQ worker's own connections: its commands' and its blocking one's. */
  watchWorker(worker: Worker): void {
    const backend = worker.getBackend();
    this.watch(backend.connection);
    if (backend.blockingConnection) this.watch(backend.blockingConnection);
  }

  /** Shutting down: connections closing on purpose are no outage. */
  stop(): void {
    this.stopped = true;
  }

  private failed(connection: WatchedConnection, error: Error): void {
    if (this.stopped || CLOSED.has(connection.status ?? '') || this.failing.has(connection)) return;
    this.failing.add(connection);
    if (!this.up) return;
    this.downSince = this.now();
    const { code } = error as { code?: unknown };
    this.logger.warn(
      { redis: this.url, code: typeof code === 'string' ? code : error.name, reason: error.message },
      'redis unreachable',
    );
    this.notify(false);
  }

  private reached(connection: WatchedConnection): void {
    this.failing.delete(connection);
    if (this.stopped || this.downSince === undefined) return;
    const outageMs = this.now() - this.downSince;
    this.downSince = undefined;
    this.logger.info({ redis: this.url, outageMs }, 'redis reachable again');
    this.notify(true);
  }

  private notify(up: boolean): void {
    for (const listener of this.listeners) listener(up);
  }
}

/**
 * REDIS_URL with neither user nor password: `redis://:***@host` would still read as an email
 * address to the log masking (src/privacy-mask.ts), and the host is what an operator needs.
 */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(REDIS_URL unreadable)';
  }
}
