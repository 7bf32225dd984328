import type { Knex } from '../src/db/knex.js';
import { toIso } from '../src/db/rows.js';
import { fireSms, type LoadResult } from './load.js';
import { progress, type Progress } from './progress.js';
import type { TwilioApiStub } from './twilio-api-stub.js';

export interface TicketThroughput {
  /** The webhook burst itself: acknowledgements while the worker runs in the same process. */
  burst: LoadResult;
  contacts: number;
  /** First accepted webhook → last inbox row's processed_at, in seconds (undefined: not drained). */
  seconds?: number;
  ticketsPerSecond: number;
  /** Inbox rows processed when the last webhook had been answered: how far the worker lagged. */
  processedWhenFiringEnded: number;
  ticketsCreated: number;
  /** First accepted webhook → the stub had received every acknowledgement SMS. */
  acksSeconds?: number;
  acksSent: number;
}

interface InboxCounts {
  total: number;
  done: number;
}

export async function inboxCounts(db: Knex): Promise<InboxCounts> {
  const row = await db('inbox').count({ total: '*' }).count({ done: 'processed_at' }).first();
  return { total: Number(row?.total ?? 0), done: Number(row?.done ?? 0) };
}

/** Polls until every inbox row is processed, or the time is up (how far it got every few seconds). Returns whether it drained. */
export async function waitForInboxDrained(db: Knex, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let shown: Progress | undefined;
  for (;;) {
    const counts = await inboxCounts(db);
    if (counts.done === counts.total) return true;
    shown ??= progress('inbox rows processed', counts.total);
    shown.update(counts.done);
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Contacts per second turned into tickets. Fires `contacts` webhooks (each a new citizen) as fast
 * as the server takes them, then measures from the first accepted webhook to the latest
 * processed_at the worker wrote; processed_at is stamped inside the ingest transaction, so the
 * figure does not depend on how often the bench polls. Expects an inbox already drained.
 */
export async function measureTicketThroughput(
  baseUrl: string,
  db: Knex,
  stub: TwilioApiStub,
  contacts: number,
  drainTimeoutMs: number,
): Promise<TicketThroughput> {
  const before = await inboxCounts(db);
  const ticketsBefore = Number((await db('tickets').count({ n: '*' }).first())?.n ?? 0);
  const acksBefore = stub.sent;
  let firstAcceptedAt = 0;

  const burst = await fireSms(baseUrl, {
    connections: 20,
    amount: contacts,
    onFirstAccepted: () => (firstAcceptedAt = Date.now()),
  });
  const processedWhenFiringEnded = (await inboxCounts(db)).done - before.done;
  const drained = await waitForInboxDrained(db, drainTimeoutMs);

  const last = await db('inbox').max({ at: 'processed_at' }).first();
  const lastProcessedAt = Date.parse(toIso(last?.at) ?? '');
  const after = await inboxCounts(db);
  const processed = after.done - before.done;
  const seconds = drained ? (lastProcessedAt - firstAcceptedAt) / 1000 : undefined;
  const ticketsPerSecond = processed / (seconds ?? (Date.now() - firstAcceptedAt) / 1000);
  const ticketsCreated = Number((await db('tickets').count({ n: '*' }).first())?.n ?? 0) - ticketsBefore;

  // Acknowledgements trail the tickets (outbound worker); wait a little for the last of them.
  const expectedAcks = acksBefore + burst.accepted;
  const acksDeadline = Date.now() + 30_000;
  while (stub.sent < expectedAcks && Date.now() < acksDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const acksSeconds = stub.sent >= expectedAcks ? (Date.now() - firstAcceptedAt) / 1000 : undefined;

  return {
    burst,
    contacts: processed,
    seconds,
    ticketsPerSecond,
    processedWhenFiringEnded,
    ticketsCreated,
    acksSeconds,
    acksSent: stub.sent - acksBefore,
  };
}
