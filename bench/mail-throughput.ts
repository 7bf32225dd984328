import type { Knex } from '../src/db/knex.js';
import { toIso } from '../src/db/rows.js';
import { freePort } from '../test/support/free-port.js';
import type { BenchDatabase } from './bench-database.js';
import type { ChildServer } from './child-server.js';
import { buildMails, fireMail, waitForSmtp, type MailLoadResult } from './mail-load.js';
import { inboxCounts, waitForInboxDrained } from './ticket-throughput.js';
import { step } from './progress.js';
import type { WorkerDrain } from './worker-drain.js';

/** Inbound mail (issue 5): accepted over SMTP (parsed, attachments saved, recorded), then tickets. */

export const MAIL_CONNECTIONS = 8;
const WARM_UP_MAILS = 50;

/** The settings a server needs to take mail for the bench's help desk, on `port`, with no relay out. */
export function mailEnv(port: number): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    EMAIL_INBOUND_ADDRESSES: 'helpdesk@bench.example',
    SMTP_URL: '', // no relay: acknowledgements are recorded as not delivered
    IMAP_URL: '',
  };
}

export interface MailIntake {
  /** ROLE=api: the listener alone (no worker competing for the CPUs). */
  accepted: MailLoadResult;
  /** A fresh worker draining what the API recorded (processed_at span), undefined if it did not. */
  drain?: WorkerDrain;
}

/**
 * Like worker-drain.ts for SMS: a ROLE=api server takes `amount` mails (after a warm-up) and
 * stops; a server with the workers then starts on the same database and queue prefix and drains
 * them. Accepted/s is the SMTP figure; tickets/s is processed rows over their processed_at span.
 */
export async function measureMailIntake(
  database: BenchDatabase,
  /** Starts src/main.ts with these settings (and stops it again if the bench is interrupted). */
  start: (env: Record<string, string>) => Promise<ChildServer>,
  /** Each server's settings; the database's own (DATABASE_URL, DATABASE_SCHEMA, DATA_DIR) win over them. */
  env: { api: Record<string, string>; worker: Record<string, string> },
  amount: number,
  timeoutMs: number,
): Promise<MailIntake> {
  const [warm, mails] = await step(`compose ${WARM_UP_MAILS} + ${amount} mails`, () =>
    Promise.all([buildMails(WARM_UP_MAILS), buildMails(amount)]),
  );
  const smtpPort = await freePort();
  const api = await start({ ...env.api, ...database.env, ...mailEnv(smtpPort) });
  let accepted: MailLoadResult;
  try {
    await waitForSmtp(smtpPort);
    await step(`warm-up: ${WARM_UP_MAILS} mails`, () => fireMail(smtpPort, warm, { connections: MAIL_CONNECTIONS }));
    accepted = await step(`${amount} mails over SMTP`, () =>
      fireMail(smtpPort, mails, { connections: MAIL_CONNECTIONS }),
    );
  } finally {
    await api.stop();
  }

  const worker = await start({ ...env.worker, ...database.env, ...mailEnv(0) });
  const db = database.open('satu-pintu.sqlite');
  try {
    if (!(await step('the worker drains them', () => waitForInboxDrained(db, timeoutMs)))) return { accepted };
    const span = await db('inbox').min({ first: 'processed_at' }).max({ last: 'processed_at' }).first();
    const seconds = (Date.parse(toIso(span?.last) ?? '') - Date.parse(toIso(span?.first) ?? '')) / 1000;
    const { done } = await inboxCounts(db);
    return { accepted, drain: { contacts: done, seconds, ticketsPerSecond: done / seconds } };
  } finally {
    await db.destroy();
    await worker.stop();
  }
}

export interface MailTickets {
  burst: MailLoadResult;
  mails: number;
  /** First accepted mail → last processed_at, seconds (undefined: not drained in time). */
  seconds?: number;
  ticketsPerSecond: number;
  ticketsCreated: number;
  processedWhenSendingEnded: number;
}

/**
 * ROLE=all, as one machine runs it: `amount` mails from new citizens while the worker turns them
 * into tickets beside the listener, timed from the first accepted mail to the last processed_at
 * (as ticket-throughput.ts does for SMS). Expects an inbox already drained.
 */
export async function measureMailTickets(
  smtpPort: number,
  db: Knex,
  amount: number,
  timeoutMs: number,
): Promise<MailTickets> {
  const mails = await buildMails(amount);
  const before = await inboxCounts(db);
  const ticketsBefore = await ticketCount(db);
  const burst = await fireMail(smtpPort, mails, { connections: MAIL_CONNECTIONS });
  const processedWhenSendingEnded = (await inboxCounts(db)).done - before.done;
  const drained = await waitForInboxDrained(db, timeoutMs);
  const last = await db('inbox').max({ at: 'processed_at' }).first();
  const processed = (await inboxCounts(db)).done - before.done;
  const seconds = drained ? (Date.parse(toIso(last?.at) ?? '') - burst.firstAcceptedAt) / 1000 : undefined;
  return {
    burst,
    mails: processed,
    seconds,
    ticketsPerSecond: processed / (seconds ?? (Date.now() - burst.firstAcceptedAt) / 1000),
    ticketsCreated: (await ticketCount(db)) - ticketsBefore,
    processedWhenSendingEnded,
  };
}

/** A warm-up for a ROLE=all server: a few mails, drained. */
export async function warmMail(smtpPort: number, db: Knex, timeoutMs: number): Promise<void> {
  await fireMail(smtpPort, await buildMails(WARM_UP_MAILS), { connections: MAIL_CONNECTIONS });
  await waitForInboxDrained(db, timeoutMs);
}

async function ticketCount(db: Knex): Promise<number> {
  return Number((await db('tickets').count({ n: '*' }).first())?.n ?? 0);
}
