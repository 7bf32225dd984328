import { toIso } from '../src/db/rows.js';
import type { BenchDatabase } from './bench-database.js';
import { startChildServer } from './child-server.js';
import { fireSms } from './load.js';
import { step } from './progress.js';
import { inboxCounts, waitForInboxDrained } from './ticket-throughput.js';

export interface WorkerDrain {
  contacts: number;
  seconds: number;
  ticketsPerSecond: number;
}

/**
 * The worker on its own: a ROLE=api server records `contacts` webhooks (each a new citizen) and
 * stops; then a server with the workers starts on the same database and queue prefix and drains
 * the backlog. The rate is processed rows over the span of their processed_at stamps, so neither
 * the webhook load nor process start-up is in the figure.
 */
export async function measureWorkerDrain(
  database: BenchDatabase,
  env: { api: Record<string, string>; worker: Record<string, string> },
  contacts: number,
  timeoutMs: number,
): Promise<WorkerDrain | undefined> {
  await step(`ROLE=api records ${contacts} webhooks`, async () => {
    const api = await startChildServer('src/main.ts', { ...database.env, ...env.api });
    await fireSms(api.url, { connections: 20, amount: contacts }).finally(() => api.stop());
  });

  const worker = await step(`start Satu Pintu, ROLE=${env.worker.ROLE ?? 'all'}`, () =>
    startChildServer('src/main.ts', { ...database.env, ...env.worker }),
  );
  const db = database.open('satu-pintu.sqlite');
  try {
    if (!(await step('the worker drains them', () => waitForInboxDrained(db, timeoutMs)))) return undefined;
    const span = await db('inbox').min({ first: 'processed_at' }).max({ last: 'processed_at' }).first();
    const seconds = (Date.parse(toIso(span?.last) ?? '') - Date.parse(toIso(span?.first) ?? '')) / 1000;
    const { done } = await inboxCounts(db);
    return { contacts: done, seconds, ticketsPerSecond: done / seconds };
  } finally {
    await db.destroy();
    await worker.stop();
  }
}
