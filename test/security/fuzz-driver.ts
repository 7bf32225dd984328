import http from 'node:http';
import fc from 'fast-check';

/**
 * What the fuzz tests share: one request as sent on the wire, sending it with a deadline (a stall
 * is a failure too), and the tally of what was tried and what went wrong, printed at the end.
 */

export interface WireRequest {
  method: string;
  /** Path and query as sent, percent-escapes untouched. */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface WireAnswer {
  status: number;
  contentType: string | null;
  text: string;
}

/** Longest a fuzzed request may take: more is a stall. */
const DEADLINE_MS = 15_000;

/**
 * Sends a request with node:http, which sends what it is given: a GET with a body, a path with
 * escapes that do not decode (fetch refuses or rewrites both). An event stream is hung up on once
 * its status is known.
 */
export function send(baseUrl: string, request: WireRequest): Promise<WireAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: hostname,
        port,
        method: request.method,
        path: request.target,
        headers: request.headers,
        timeout: DEADLINE_MS,
      },
      (response) => {
        const contentType = response.headers['content-type'] ?? null;
        if (contentType?.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode!, contentType, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, contentType, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** The seed of this run: FUZZ_SEED repeats one; printed with every failure. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** FUZZ_RUNS multiplies the runs of every route (a longer hunt: FUZZ_RUNS=10). */
export const RUN_FACTOR = Number(process.env.FUZZ_RUNS ?? 1);

export interface Tally {
  tried: number;
  /** Answered 2xx: got past validation to the code behind it. */
  accepted: number;
  serverErrors: number;
  other: number;
}

/** Requests tried and failures by area, for the report at the end of a fuzz file. */
export class FuzzTally {
  readonly areas = new Map<string, Tally>();

  count(area: string, outcome: 'ok' | 'server_error' | 'other', status?: number): void {
    const tally = this.areas.get(area) ?? { tried: 0, accepted: 0, serverErrors: 0, other: 0 };
    tally.tried += 1;
    if (status !== undefined && status < 300) tally.accepted += 1;
    if (outcome === 'server_error') tally.serverErrors += 1;
    if (outcome === 'other') tally.other += 1;
    this.areas.set(area, tally);
  }

  summary(title: string): string {
    const lines = [...this.areas].map(
      ([area, t]) =>
        `  ${area.padEnd(40)} ${String(t.tried).padStart(6)} tried  ${String(t.accepted).padStart(4)} 2xx  ${t.serverErrors} 5xx  ${t.other} other`,
    );
    return `${title} (seed ${FUZZ_SEED}):\n${lines.join('\n')}`;
  }
}

/**
 * Runs `runs` requests drawn from `arbitrary`; `check` returns what is wrong with one answer (or
 * nothing). Every problem is kept (not only the first), with the request that caused it.
 */
export async function fuzz<T>(
  arbitrary: fc.Arbitrary<T>,
  runs: number,
  check: (input: T) => Promise<string | undefined>,
  offset: number,
): Promise<string[]> {
  const problems: string[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const problem = await check(input);
      if (problem) problems.push(problem);
    }),
    { numRuns: Math.max(1, Math.round(runs * RUN_FACTOR)), seed: FUZZ_SEED + offset, endOnFailure: true },
  );
  return problems;
}

/** An answer's body, shortened for a failure message. */
export const excerpt = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** A request, shortened for a failure message. */
export function describeRequest(request: WireRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body(${request.headers['content-type'] ?? 'no type'}, ${request.body.length} bytes): ${JSON.stringify(
          String(request.body).slice(0, 200),
        )}`;
  return `${request.method} ${request.target.slice(0, 300)}${body}`;
}
