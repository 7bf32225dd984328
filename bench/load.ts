import autocannon from 'autocannon';
import { SmsSequence, signedSmsRequest } from './signed-sms.js';

export interface LoadResult {
  /** Responses per second over the run (all statuses; see non2xx and errors). */
  rps: number;
  p50: number;
  p99: number;
  /** 2xx responses: webhooks the server accepted. */
  accepted: number;
  /** Requests written, answered or not (a run that stops on time leaves some in flight). */
  sent: number;
  non2xx: number;
  errors: number;
  durationS: number;
}

export interface LoadOptions {
  connections: number;
  /** Seconds of load; ignored when amount is set. */
  duration?: number;
  /** Stop after this many requests (autocannon's `amount`). */
  amount?: number;
  /** Requests per second across all connections (autocannon's `overallRate`); unset = as fast as possible. */
  overallRate?: number;
  onFirstAccepted?: () => void;
}

/**
 * Fires signed Twilio SMS webhooks at a server. Each call uses a new SmsSequence, so a run never
 * replays another's MessageSids or senders.
 */
export async function fireSms(baseUrl: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    // autocannon rejects keys present with an undefined value, so only pass what is set.
    ...(options.amount === undefined ? { duration: options.duration ?? 10 } : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    timeout: 30,
    requests: [signedSmsRequest(new SmsSequence(), options.onFirstAccepted)],
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    accepted: result['2xx'],
    sent: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors,
    durationS: result.duration,
  };
}

/** A short run first, so JIT, connection pools and SQLite's page cache are warm for the measured one. */
export function warmUp(baseUrl: string, seconds = 2): Promise<LoadResult> {
  return fireSms(baseUrl, { connections: 10, duration: seconds });
}
