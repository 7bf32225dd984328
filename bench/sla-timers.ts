import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { migrateToLatest } from '../src/db/migrate.js';
import { toIso } from '../src/db/rows.js';
import { createLogger } from '../src/logger.js';
import { workerConnectionOptions } from '../src/queue/connection.js';
import { startSlaWorker } from '../src/queue/workers/sla-worker.js';
import type { FiringContext } from '../src/sla/clock-firing.js';
import { SlaTimers } from '../src/sla/sla-timers.js';
import type { TimerChange } from '../src/sla/timer-change.js';
import { ticketUnitOfWork } from '../src/ticket-work.js';
import { createBenchDatabase, type DatabaseKind } from './bench-database.js';
import { begin, progress, step } from './progress.js';
import { obliterateQueues } from './queue-cleanup.js';
import { percentile } from './stats.js';

/**
 * SLA timers for 100,000 open tickets: scheduling their warning and breach jobs through SlaTimers
 * (which also removes the jobs of the instants they replace) against a same-run baseline, a bare
 * BullMQ addBulk of as many delayed jobs; then how late a burst of breaches falling due at one
 * instant is recorded by the SLA worker (breached_at − due_at). Figures, never assertions: the
 * lines are returned for the report.
 */
export async function measureSlaTimers(
  kind: DatabaseKind,
  options: { redisUrl: string; tickets: number; firing: number; concurrency: number },
): Promise<string[]> {
  const { redisUrl, tickets: ticketCount, firing: firingCount } = options;
  const lines: string[] = [];
  const database = await createBenchDatabase(kind);
  const db = database.open('sla-bench.sqlite');
  const prefix = `spbench-sla-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const logger = createLogger('warn');
  const timers = new SlaTimers(redis, prefix, logger);
  try {
    await migrateToLatest(db);
    const now = new Date();
    const [contact] = await db('contacts')
      .insert({ display_name: 'Bench', language: 'id', created_at: now, updated_at: now })
      .returning('id');
    const contactId = Number(typeof contact === 'object' ? contact.id : contact);
    const changes: TimerChange[] = [];
    let shown = begin(`seed ${ticketCount.toLocaleString('en')} open tickets with a running clock`);
    const seeding = progress('tickets', ticketCount);
    for (let offset = 0; offset < ticketCount; offset += 400) {
      seeding.update(offset);
      const count = Math.min(400, ticketCount - offset);
      const tickets: Array<{ id: number }> = await db('tickets')
        .insert(
          Array.from({ length: count }, (_, index) => ({
            reference: String(100_000_000 + offset + index),
            contact_id: contactId,
            channel: 'sms',
            status: 'new',
            priority: 'normal',
            language: 'id',
            created_at: now,
            updated_at: now,
          })),
        )
        .returning('id');
      const dueAt = new Date(now.getTime() + 3600_000);
      const clocks: Array<{ id: number; ticket_id: number }> = await db('sla_clocks')
        .insert(
          tickets.map((ticket) => ({
            ticket_id: ticket.id,
            kind: 'first_response',
            target_unit: 'minutes',
            target_value: 60,
            started_at: now,
            warn_at: new Date(now.getTime() + 2880_000),
            due_at: dueAt,
            updated_at: now,
          })),
        )
        .returning(['id', 'ticket_id']);
      for (const clock of clocks)
        changes.push({
          clockId: Number(clock.id),
          ticketId: Number(clock.ticket_id),
          previous: { warnAt: null, dueAt: null },
          next: { warnAt: new Date(now.getTime() + 2880_000), dueAt },
        });
    }
    shown.end();
    lines.push(
      `SLA timers (${kind}): ${ticketCount.toLocaleString('en')} open tickets, one running clock each (a warning and a breach job per clock)`,
    );

    shown = begin(`baseline: addBulk of ${(2 * changes.length).toLocaleString('en')} delayed jobs`);
    const adding = progress('clocks', changes.length);
    const baselineQueue = new Queue(`${prefix}-baseline`, { connection: redis });
    let started = performance.now();
    for (let index = 0; index < changes.length; index += 1000) {
      adding.update(index);
      await baselineQueue.addBulk(
        changes.slice(index, index + 1000).flatMap((change) => [
          {
            name: 'warning',
            data: { clockId: change.clockId },
            opts: { jobId: `b-${change.clockId}-w`, delay: 2880_000 },
          },
          {
            name: 'breach',
            data: { clockId: change.clockId },
            opts: { jobId: `b-${change.clockId}-b`, delay: 3600_000 },
          },
        ]),
      );
    }
    const baselineMs = performance.now() - started;
    await baselineQueue.obliterate({ force: true });
    await baselineQueue.close();
    shown.end();

    started = performance.now();
    await step('SlaTimers.schedule, new clocks', () => timers.schedule(changes));
    const scheduleMs = performance.now() - started;
    // Moving every clock (a pause, a new target): old jobs removed, new ones added.
    const moved = changes.map((change) => ({
      ...change,
      previous: change.next,
      next: {
        warnAt: new Date(change.next.warnAt!.getTime() + 60_000),
        dueAt: new Date(change.next.dueAt!.getTime() + 60_000),
      },
    }));
    started = performance.now();
    await step('SlaTimers.schedule, every clock moved', () => timers.schedule(moved));
    const moveMs = performance.now() - started;
    const jobs = ticketCount * 2;
    const rate = (ms: number) => Math.round((jobs / ms) * 1000).toLocaleString('en');
    lines.push(
      `  baseline addBulk of ${jobs.toLocaleString('en')} delayed jobs: ${Math.round(baselineMs)} ms (${rate(baselineMs)} jobs/s)`,
    );
    lines.push(
      `  SlaTimers.schedule, new clocks:  ${Math.round(scheduleMs)} ms (${rate(scheduleMs)} jobs/s) = ${(baselineMs / scheduleMs).toFixed(2)}x the baseline's rate`,
    );
    lines.push(
      `  SlaTimers.schedule, every clock moved (remove + add): ${Math.round(moveMs)} ms (${rate(moveMs)} jobs/s) = ${(baselineMs / moveMs).toFixed(2)}x`,
    );

    // A burst: firingCount clocks breach at one instant 3 s from now; the rest stay far in the future.
    shown = begin(`${firingCount.toLocaleString('en')} breaches due at one instant, recorded by the SLA worker`);
    const burst = moved.slice(0, firingCount);
    const dueAt = new Date(Date.now() + 3000);
    for (let index = 0; index < burst.length; index += 500) {
      await db('sla_clocks')
        .whereIn(
          'id',
          burst.slice(index, index + 500).map((change) => change.clockId),
        )
        .update({ due_at: dueAt, warned_at: now });
    }
    await timers.schedule(burst.map((change) => ({ ...change, previous: change.next, next: { warnAt: null, dueAt } })));
    const noop = async () => undefined;
    const firing: FiringContext = {
      db,
      now: () => new Date(),
      settings: { referencePrefix: 'SP-', language: 'id' },
      queues: { enqueueOutbound: noop },
      unitOfWork: ticketUnitOfWork(db, { timers, routing: { ticketsQueued: noop, capacityFreed: noop } }),
      logger,
    };
    const worker = startSlaWorker(firing, workerConnectionOptions(redisUrl), {
      prefix,
      concurrency: options.concurrency,
    });
    const deadline = Date.now() + 60_000;
    let breached: Array<{ breached_at: unknown }> = [];
    while (Date.now() < deadline) {
      breached = await db('sla_clocks')
        .whereIn(
          'id',
          burst.slice(0, 1).map((change) => change.clockId),
        )
        .whereNotNull('breached_at')
        .select('breached_at');
      const count = Number((await db('sla_clocks').whereNotNull('breached_at').count({ n: '*' }).first())?.n ?? 0);
      if (count >= firingCount) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await worker.close();
    shown.end();
    breached = await db('sla_clocks').whereNotNull('breached_at').select('breached_at');
    const lateness = breached.map((row) => Date.parse(toIso(row.breached_at)!) - dueAt.getTime()).sort((a, b) => a - b);
    lines.push(
      `  ${firingCount.toLocaleString('en')} breaches due at one instant: recorded ${lateness.length.toLocaleString('en')}; lateness p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms (minimum: within 1,000 ms)`,
    );
  } finally {
    await timers.queue.obliterate({ force: true }).catch(() => undefined);
    await timers.close();
    await obliterateQueues(redisUrl, prefix).catch(() => undefined);
    redis.disconnect();
    await db.destroy();
    await database.drop();
  }
  return lines;
}
