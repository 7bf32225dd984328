import { Queue, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { logQueueErrors, logRedisFailure } from '../queue/redis-health.js';
import { WAITING_STATUSES } from '../routing/routing-state.js';

/** Where the scrape-time gauges read from: the shared state, the same from every process. */
export interface ScrapeSources {
  db: Knex;
  /** The producer connection: reading counts needs no connection of its own. */
  redis: Redis;
  queuePrefix: string;
  /** The queues whose depths are reported (src/queue/names.ts). */
  queueNames: readonly string[];
}

type CountRow = Record<string, unknown>;

const JOB_STATES: JobType[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
];

/**
 * Gauges read at scrape time from Redis and the database, so they describe the whole installation
 * whichever process answers: queue depths, SLA breaches, waiting tickets per team. One source
 * failing (Redis down) leaves its gauges empty and counts an error; the others still answer.
 */
export function registerScrapeGauges(
  registry: Registry,
  sources: ScrapeSources,
  logger: Logger,
): { close(): Promise<void> } {
  const registers = [registry];
  const errors = new Counter({
    name: 'satupintu_scrape_errors_total',
    help: 'Scrapes in which a source of the gauges below could not be read (source: queues, sla, tickets); those gauges are then left out.',
    labelNames: ['source'],
    registers,
  });
  const guarded = async (gauge: Gauge, source: string, read: () => Promise<void>) => {
    gauge.reset();
    try {
      await read();
    } catch (error) {
      gauge.reset();
      errors.inc({ source });
      // Redis unreachable is its outage's line to say (redis-health.ts); the database's is said here.
      if (source === 'queues') logRedisFailure(logger, error, { source }, 'a metrics source could not be read');
      else logger.warn({ err: error, source }, 'a metrics source could not be read');
    }
  };

  const queues = sources.queueNames.map((name) => {
    const queue = new Queue(name, { connection: sources.redis, prefix: sources.queuePrefix });
    logQueueErrors(queue, logger, 'metrics queue reader');
    return queue;
  });
  const queueJobs: Gauge<'queue' | 'state'> = new Gauge({
    name: 'satupintu_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time (the same from every process).',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      await guarded(queueJobs, 'queues', async () => {
        const counts = await Promise.all(queues.map((queue) => queue.getJobCounts(...JOB_STATES)));
        queues.forEach((queue, index) => {
          for (const state of JOB_STATES) queueJobs.set({ queue: queue.name, state }, counts[index]![state] ?? 0);
        });
      });
    },
  });

  const breached: Gauge<'kind'> = new Gauge({
    name: 'satupintu_sla_breached_clocks',
    help: 'SLA clocks that reached their target unmet, ever, by clock kind (first_response, next_response, resolution, agency_followup); read from the database at scrape time.',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guarded(breached, 'sla', async () => {
        const rows: CountRow[] = await sources
          .db('sla_clocks')
          .whereNotNull('breached_at')
          .groupBy('kind')
          .select('kind')
          .count({ n: '*' });
        for (const row of rows) breached.set({ kind: String(row.kind) }, Number(row.n));
      });
    },
  });
  const breachesOpen: Gauge<'kind'> = new Gauge({
    name: 'satupintu_sla_breaches_in_progress',
    help: 'SLA clocks past their target and still running (the ticket not yet answered or resolved), by clock kind; read from the database at scrape time.',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guarded(breachesOpen, 'sla', async () => {
        const rows: CountRow[] = await sources
          .db('sla_clocks')
          .whereNull('stopped_at')
          .whereNotNull('breached_at')
          .groupBy('kind')
          .select('kind')
          .count({ n: '*' });
        for (const row of rows) breachesOpen.set({ kind: String(row.kind) }, Number(row.n));
      });
    },
  });

  const waiting: Gauge<'team'> = new Gauge({
    name: 'satupintu_tickets_waiting',
    help: "Tickets waiting in each active team's queue for an agent (no assignee; new, open or disposed), by team slug; read from the database at scrape time.",
    labelNames: ['team'],
    registers,
    async collect() {
      await guarded(waiting, 'tickets', async () => {
        // The counts come from the (team_id, assignee_id, status, …) index; teams are few.
        const [teams, counts]: [CountRow[], CountRow[]] = await Promise.all([
          sources.db('teams').where({ active: true }).select('id', 'slug'),
          sources
            .db('tickets')
            .whereNull('assignee_id')
            .whereIn('status', WAITING_STATUSES)
            .whereNotNull('team_id')
            .groupBy('team_id')
            .select('team_id')
            .count({ n: '*' }),
        ]);
        const byTeam = new Map(counts.map((row) => [Number(row.team_id), Number(row.n)]));
        for (const team of teams) waiting.set({ team: String(team.slug) }, byTeam.get(Number(team.id)) ?? 0);
      });
    },
  });

  return {
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
