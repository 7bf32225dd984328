import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Knex } from '../src/db/knex.js';
import { timingOf, type Timing } from './console-browser.js';
import { note, progress } from './progress.js';
import { MESSAGING_PATH, SmsSequence, signTwilio } from './signed-sms.js';
import { openStream, type OpenStream } from './sse-reader.js';

/**
 * Signed Twilio SMS webhooks for the console's figures (each a new citizen, so a new ticket in the
 * front desk), and the event streams one API process holds: its memory read before and after.
 */

export interface Accepted {
  sid: string;
  /** Date.now() when the webhook was sent. */
  sentAt: number;
  /** Date.now() when the 200 arrived (the page's clock is Date.now() too). */
  at: number;
  status: number;
}

/** One signed webhook; answers when its answer arrived. */
export async function postSms(baseUrl: string, sequence: SmsSequence): Promise<Accepted> {
  const form = sequence.nextForm();
  const sentAt = Date.now();
  const response = await fetch(`${baseUrl}${MESSAGING_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(form) },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return { sid: form.MessageSid!, sentAt, at: Date.now(), status: response.status };
}

/** `count` webhooks at `rate` per second, evenly spaced and open loop (each sent on time, answered or not). */
export async function paceSms(baseUrl: string, count: number, rate: number): Promise<Accepted[]> {
  const sequence = new SmsSequence();
  const start = performance.now();
  const shown = progress('webhooks answered', count);
  let answered = 0;
  const sends: Array<Promise<Accepted>> = [];
  for (let index = 0; index < count; index += 1) {
    const wait = start + (index * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sends.push(
      postSms(baseUrl, sequence)
        .catch((): Accepted => ({ sid: '', sentAt: Number.NaN, at: Date.now(), status: 0 }))
        .finally(() => shown.update(++answered)),
    );
  }
  return Promise.all(sends);
}

/** Ticket ids of the webhooks' inbox rows, once the worker has made them (or the deadline passed). */
export async function ticketsOf(db: Knex, sids: string[], deadline: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  while (found.size < sids.length && Date.now() < deadline) {
    const rows = await db('inbox')
      .whereIn(
        'external_id',
        sids.filter((sid) => !found.has(sid)),
      )
      .whereNotNull('ticket_id')
      .select('external_id', 'ticket_id');
    for (const row of rows) found.set(String(row.external_id), Number(row.ticket_id));
    if (found.size < sids.length) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return found;
}

export interface Memory {
  /** VmRSS of the API process, from /proc/PID/status. */
  rss: number;
  /** V8's used heap, from the process's own /metrics (nodejs_heap_size_used_bytes). */
  heapUsed: number;
}

/** The median of three readings a second apart (the heap moves with every scavenge). */
export async function readMemory(pid: number, baseUrl: string, adminToken: string): Promise<Memory> {
  const samples: Memory[] = [];
  for (let index = 0; index < 3; index += 1) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
    const metrics = await (
      await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${adminToken}` } })
    ).text();
    const heapUsed = Number(/^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(metrics)?.[1]);
    samples.push({ rss, heapUsed });
  }
  const median = (pick: (memory: Memory) => number) => samples.map(pick).sort((a, b) => a - b)[1]!;
  return { rss: median((memory) => memory.rss), heapUsed: median((memory) => memory.heapUsed) };
}

export interface StreamFigures {
  wanted: number;
  opened: number;
  refused: Record<string, number>;
  openSeconds: number;
  before: Memory;
  open: Memory;
  afterEvent: Memory;
  closed: Memory;
  /** Streams that got the webhook's ticket_created, and when (from the webhook's 200). */
  gotEvent: number;
  fanOut: Timing;
  webhookStatus: number;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `tokens.length` streams of GET /api/v1/events/stream (one per token: the front desk's agents,
 * LIVE_STREAMS_PER_TOKEN is 5), opened `batch` at a time; the process's memory with none open,
 * with all open, after one new ticket's event reached them, and after they closed.
 */
export async function measureStreams(
  baseUrl: string,
  pid: number,
  adminToken: string,
  tokens: string[],
  options: { batch: number; waitMs: number },
): Promise<StreamFigures> {
  const before = await readMemory(pid, baseUrl, adminToken);
  note(`memory with no stream open: RSS ${mb(before.rss)}, heap ${mb(before.heapUsed)}`);
  const arrivals = new Map<number, number>();
  const streams: OpenStream[] = [];
  const refused: Record<string, number> = {};
  const opening = progress('streams opened', tokens.length);
  const openedAt = performance.now();
  for (let from = 0; from < tokens.length; from += options.batch) {
    const batch = tokens.slice(from, from + options.batch).map(async (token, offset) => {
      const index = from + offset;
      try {
        const stream = await openStream(
          `${baseUrl}/api/v1/events/stream`,
          { authorization: `Bearer ${token}` },
          (event) => {
            if (event.event === 'ticket_created' && !arrivals.has(index)) arrivals.set(index, Date.now());
          },
        );
        if (stream.status === 200) streams.push(stream);
        else {
          refused[String(stream.status)] = (refused[String(stream.status)] ?? 0) + 1;
          await stream.close();
        }
      } catch (error) {
        const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        refused[reason] = (refused[reason] ?? 0) + 1;
      }
    });
    await Promise.all(batch);
    opening.update(streams.length);
  }
  const openSeconds = (performance.now() - openedAt) / 1000;
  await settle(3000); // each stream subscribes to the tail after its headers: let them all get there
  const open = await readMemory(pid, baseUrl, adminToken);
  note(`${streams.length} streams open: RSS ${mb(open.rss)}, heap ${mb(open.heapUsed)}`);

  const webhook = await postSms(baseUrl, new SmsSequence());
  const deadline = Date.now() + options.waitMs;
  while (arrivals.size < streams.length && Date.now() < deadline) await settle(100);
  const fanOut = timingOf([...arrivals.values()].map((at) => at - webhook.at));
  note(`${arrivals.size} of ${streams.length} streams got the new ticket's event`);
  await settle(2000);
  const afterEvent = await readMemory(pid, baseUrl, adminToken);

  await Promise.all(streams.map((stream) => stream.close()));
  await settle(3000);
  const closed = await readMemory(pid, baseUrl, adminToken);
  return {
    wanted: tokens.length,
    opened: streams.length,
    refused,
    openSeconds,
    before,
    open,
    afterEvent,
    closed,
    gotEvent: arrivals.size,
    fanOut,
    webhookStatus: webhook.status,
  };
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
