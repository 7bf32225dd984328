import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { begin, note, progress, step } from './progress.js';
import { openStream, type OpenStream, type StreamEvent } from './sse-reader.js';
import { percentile } from './stats.js';

/**
 * The chat's round trip under a crowd (issue 15): `visitors` sessions, each holding the widget's
 * SSE stream, each writing one message every `intervalMs` (their first moments staggered evenly
 * over one interval) for `durationMs`; one agent, a listener on the consoles' event stream
 * (GET /api/v1/events/stream), answers every visitor message with POST /api/v1/tickets/:id/replies.
 * Two legs, each timed on this process's clock:
 *
 * - in: the visitor's POST /messages sent → the agent's stream event `message_received` for it
 *   (the inbox, the worker making or joining the ticket, the event tail's poll);
 * - out: the agent's reply POST sent → the visitor's stream `message` event carrying it (the
 *   reply's commit, the chat tail's poll, the session's read).
 *
 * A visitor's own message comes back on their stream with its clientId and message id: that is
 * how an agent event (which names the message id) is matched to the POST that caused it.
 * Sessions and streams are opened before the clock starts. Bounded: visitors × messages sends,
 * one reply each, then at most `drainMs` for the last answers.
 */

const CHAT = '/api/v1/public/chat';
/** Each POST's bound: a request the server has not answered by then counts as refused. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ChatRoundTripOptions {
  visitors: number;
  intervalMs: number;
  durationMs: number;
  /** After the last send: how long to wait for the answers still on their way. */
  drainMs: number;
  /** The agent's API token (an admin's: the event stream shows them every ticket). */
  agentToken: string;
}

export interface Leg {
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** Sent, but never seen on the other side within the run. */
  missing: number;
}

export interface ChatRoundTrip {
  visitors: number;
  messagesSent: number;
  messageFailures: number;
  replyFailures: number;
  /** What the refusals were: `status code` (or `network`) → count, and the first body of each. */
  refusals: Record<string, { count: number; first: string }>;
  /** Tickets the agent saw opened: one per visitor expected. */
  ticketsOpened: number;
  in: Leg;
  out: Leg;
  seconds: number;
  /** This process's event-loop delay over the timed part (ms): how much of a figure is the bench's own lag. */
  benchLoopDelay: { p99: number; max: number };
  /** CPU this process used over the timed part, as a share of one core. */
  benchCpuShare: number;
}

interface Visitor {
  token: string;
  stream?: OpenStream;
}

function leg(latencies: number[], missing: number): Leg {
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    missing,
  };
}

/** fetch's "fetch failed" with undici's reason (a connect timeout, a reset...). */
const failureOf = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [(error as Error).message, cause?.code, cause?.message].filter(Boolean).join(': ');
};

/** Runs `work` over 0..count-1, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let index = next++; index < count; index = next++) await work(index);
    }),
  );
}

export async function measureChatRoundTrip(baseUrl: string, options: ChatRoundTripOptions): Promise<ChatRoundTrip> {
  const { visitors: count, intervalMs, durationMs } = options;
  const rounds = Math.max(1, Math.floor(durationMs / intervalMs));
  const visitors: Visitor[] = new Array(count);
  const streams: OpenStream[] = [];

  // Clocks: the moment each side acted or saw, keyed so that the two sides can be joined.
  const postedAt = new Map<string, number>(); // visitor message clientId → POST sent
  const messageOfClient = new Map<string, number>(); // clientId → message id (the visitor's own echo)
  const agentSawAt = new Map<number, number>(); // message id → agent event
  const repliedAt = new Map<number, number>(); // reply message id → reply POST sent
  const visitorSawAt = new Map<number, number>(); // reply message id → visitor stream event
  let replyFailures = 0;
  let ticketsOpened = 0;
  const refusals: Record<string, { count: number; first: string }> = {};
  const refused = (what: string, status: string, body: string) => {
    const key = `${what} ${status}`;
    refusals[key] ??= { count: 0, first: body.slice(0, 200) };
    refusals[key].count += 1;
  };
  const replies = new Set<Promise<void>>();

  try {
    await step(`open ${count} chat sessions`, () =>
      inParallel(count, 20, async (index) => {
        const response = await fetch(`${baseUrl}${CHAT}/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `Pengunjung ${index}`, language: 'id' }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status !== 201)
          throw new Error(`POST ${CHAT}/sessions: ${response.status} ${await response.text()}`);
        visitors[index] = { token: ((await response.json()) as { data: { token: string } }).data.token };
      }),
    );

    await step(`open ${count} visitor streams`, () =>
      inParallel(count, 20, async (index) => {
        const visitor = visitors[index]!;
        const onEvent = (event: StreamEvent, at: number) => {
          if (event.event !== 'message') return;
          const message = JSON.parse(event.data) as { id: number; direction: string; clientId?: string; system?: true };
          if (message.direction === 'inbound' && message.clientId) messageOfClient.set(message.clientId, message.id);
          else if (message.direction === 'outbound' && !message.system && !visitorSawAt.has(message.id))
            visitorSawAt.set(message.id, at);
        };
        const stream = await openStream(
          `${baseUrl}${CHAT}/stream?token=${encodeURIComponent(visitor.token)}`,
          {},
          onEvent,
        );
        streams.push(stream);
        if (stream.status !== 200) throw new Error(`GET ${CHAT}/stream: ${stream.status}`);
        visitor.stream = stream;
      }),
    );

    // The agent: every visitor message answered as soon as its event arrives.
    const reply = async (ticketId: number) => {
      const sentAt = performance.now();
      try {
        const response = await fetch(`${baseUrl}/api/v1/tickets/${ticketId}/replies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.agentToken}` },
          body: JSON.stringify({ body: 'Terima kasih, pesan Anda sudah kami terima dan sedang kami periksa.' }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        const messageId =
          response.status === 201
            ? (JSON.parse(text) as { data?: { message_id?: number } }).data?.message_id
            : undefined;
        if (messageId) repliedAt.set(messageId, sentAt);
        else {
          replyFailures += 1;
          refused('reply', String(response.status), text);
        }
      } catch (error) {
        replyFailures += 1;
        refused('reply', 'network', failureOf(error));
      }
    };
    const agentStream = await step('open the agent event stream', () =>
      openStream(`${baseUrl}/api/v1/events/stream`, { authorization: `Bearer ${options.agentToken}` }, (event, at) => {
        if (event.event === 'ticket_created') ticketsOpened += 1;
        if (event.event !== 'message_received') return;
        const payload = JSON.parse(event.data) as {
          ticket_id: number;
          data: { message_id?: number; channel?: string };
        };
        const messageId = Number(payload.data.message_id);
        if (payload.data.channel !== 'webchat' || agentSawAt.has(messageId)) return;
        agentSawAt.set(messageId, at);
        const pending = reply(payload.ticket_id);
        replies.add(pending);
        void pending.finally(() => replies.delete(pending));
      }),
    );
    streams.push(agentStream);
    if (agentStream.status !== 200) throw new Error(`GET /api/v1/events/stream: ${agentStream.status}`);

    // The crowd: visitor i writes at i × interval / count, then every interval, `rounds` times.
    const total = count * rounds;
    const timed = begin(`${count} visitors, one message every ${intervalMs / 1000} s each, ${durationMs / 1000} s`);
    const shown = progress('messages sent', total);
    const started = performance.now();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const sends = new Set<Promise<void>>();
    let messageFailures = 0;
    const send = async (visitor: Visitor, clientId: string, round: number) => {
      postedAt.set(clientId, performance.now());
      try {
        const response = await fetch(`${baseUrl}${CHAT}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.token}` },
          body: JSON.stringify({ clientId, text: `Pesan ke-${round + 1}: kapan izin saya selesai?` }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status !== 202) {
          messageFailures += 1;
          refused('message', String(response.status), text);
        }
      } catch (error) {
        messageFailures += 1;
        refused('message', 'network', failureOf(error));
      }
    };
    for (let sent = 0; sent < total; sent += 1) {
      const round = Math.floor(sent / count);
      const index = sent % count;
      const due = started + round * intervalMs + (index * intervalMs) / count;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const pending = send(visitors[index]!, randomBytes(12).toString('base64url'), round);
      sends.add(pending);
      void pending.finally(() => sends.delete(pending));
      shown.update(sent + 1);
    }
    await Promise.all(sends);
    timed.end(`${total} sent, ${messageFailures} failed`);

    await step(`the last answers (at most ${options.drainMs / 1000} s)`, async () => {
      const deadline = performance.now() + options.drainMs;
      // Every message seen by the agent, every reply sent and seen by its visitor, or the time is up.
      while (performance.now() < deadline) {
        const answered = agentSawAt.size >= total - messageFailures && replies.size === 0;
        if (answered && [...repliedAt.keys()].every((id) => visitorSawAt.has(id))) break;
        await sleep(100);
      }
      await Promise.race([Promise.all(replies), sleep(Math.max(0, deadline - performance.now()))]);
    });
    const seconds = (performance.now() - started) / 1000;
    loopDelay.disable();
    const cpu = process.cpuUsage(cpuBefore);

    const inbound: number[] = [];
    let inMissing = 0;
    for (const [clientId, at] of postedAt) {
      const seen = agentSawAt.get(messageOfClient.get(clientId) ?? -1);
      if (seen === undefined) inMissing += 1;
      else inbound.push(seen - at);
    }
    const outbound: number[] = [];
    let outMissing = 0;
    for (const [id, at] of repliedAt) {
      const seen = visitorSawAt.get(id);
      if (seen === undefined) outMissing += 1;
      else outbound.push(seen - at);
    }
    if (inMissing + outMissing > 0) note(`not seen in time: ${inMissing} visitor messages, ${outMissing} replies`);
    return {
      visitors: count,
      messagesSent: total,
      messageFailures,
      replyFailures,
      refusals,
      ticketsOpened,
      in: leg(inbound, inMissing),
      out: leg(outbound, outMissing),
      seconds,
      benchLoopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      benchCpuShare: (cpu.user + cpu.system) / 1e6 / seconds,
    };
  } finally {
    await Promise.all(streams.map((stream) => stream.close()));
  }
}
