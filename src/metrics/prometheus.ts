import type { Worker } from 'bullmq';
import type { Knex } from 'knex';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../logger.js';
import type { RedisHealth } from '../queue/redis-health.js';
import { registerScrapeGauges, type ScrapeSources } from './prometheus-scrape.js';

/**
 * The project's own metrics start with this. prom-client's default process metrics keep their
 * standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds...), the ones stock
 * Node.js dashboards and alerts look for.
 */
export const METRIC_PREFIX = 'satupintu_';

// Seconds: webhooks answer in milliseconds, a slow report in seconds; jobs may wait minutes.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/** Counters are per process, as Prometheus expects: the scraper sums over the processes it scrapes. */
const PER_PROCESS = 'Counted by this process; sum over processes.';

/**
 * What the pipeline records as it works: the inbox writer, the inbound and outbound workers, and
 * the queue workers' completions. Optional everywhere, so that tools and unit tests need none.
 */
export interface PipelineMetrics {
  /** Envelopes a webhook or the mail listener wrote to the inbox (or found there already). */
  inboxRecorded(provider: string, duplicate: boolean): void;
  /** Inbound contacts the inbound worker turned into ticket messages. */
  contactsIngested(channel: string, count?: number): void;
  /** One send attempt's outcome in the outbound worker. */
  outboundFinished(channel: string, outcome: string): void;
  /** Job latencies and failures of one BullMQ worker of this process. */
  observeWorker(worker: Worker): void;
}

export interface PrometheusSettings extends ScrapeSources {
  db: Knex;
  logger: Logger;
  /** This process's view of Redis (satupintu_redis_up, satupintu_redis_outages_total). */
  redisHealth?: RedisHealth;
}

/**
 * The Prometheus metrics of one runtime, in a registry of its own (never prom-client's global
 * default): several runtimes in one process (the tests) each count their own. Gauges about the
 * shared state (queue depths, SLA breaches, waiting tickets) are read at scrape time.
 */
export class PrometheusMetrics implements PipelineMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly inbox: Counter<'provider' | 'outcome'>;
  private readonly ingested: Counter<'channel'>;
  private readonly sends: Counter<'channel' | 'outcome'>;
  private readonly jobLatency: Histogram<'queue'>;
  private readonly jobProcessing: Histogram<'queue'>;
  private readonly jobFailures: Counter<'queue'>;
  private readonly observed = new WeakSet<Worker>();
  private readonly gauges: { close(): Promise<void> };

  constructor(settings: PrometheusSettings) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: `HTTP requests answered by this process, by method, route pattern (never the raw URL) and status; "unmatched" for no route. Event streams count their whole life. ${PER_PROCESS}`,
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.inbox = new Counter({
      name: `${METRIC_PREFIX}inbox_recorded_total`,
      help: `Inbound envelopes (webhooks, mail) recorded in the inbox by this process (API role), by provider; outcome "duplicate" is a provider's retry or replay, recorded once. ${PER_PROCESS}`,
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.ingested = new Counter({
      name: `${METRIC_PREFIX}contacts_ingested_total`,
      help: `Inbound contacts turned into ticket messages by the inbound worker of this process (worker role), by channel. ${PER_PROCESS}`,
      labelNames: ['channel'],
      registers,
    });
    this.sends = new Counter({
      name: `${METRIC_PREFIX}outbound_sends_total`,
      help: `Send attempts of the outbound worker of this process (worker role), by channel and outcome: sent, failed, not_delivered (no provider configured), retrying (transient failure, retried with backoff), skipped (already sent). ${PER_PROCESS}`,
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.jobLatency = new Histogram({
      name: `${METRIC_PREFIX}job_latency_seconds`,
      help: `Completed queue jobs: from the moment a job was due (enqueued, or its delay over) until done, retries included; measured by the worker of this process that completed it. ${PER_PROCESS}`,
      labelNames: ['queue'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.jobProcessing = new Histogram({
      name: `${METRIC_PREFIX}job_processing_seconds`,
      help: `Completed queue jobs: time in the worker of this process, last attempt only. ${PER_PROCESS}`,
      labelNames: ['queue'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.jobFailures = new Counter({
      name: `${METRIC_PREFIX}job_failures_total`,
      help: `Failed attempts of queue jobs in this process's workers (a retried job counts each failed attempt). ${PER_PROCESS}`,
      labelNames: ['queue'],
      registers,
    });
    this.gauges = registerScrapeGauges(this.registry, settings, settings.logger);
    const health = settings.redisHealth;
    if (health) {
      new Gauge({
        name: `${METRIC_PREFIX}redis_up`,
        help: "1 while this process's connections reach Redis, 0 during an outage (from the first failed connection until one is ready again).",
        registers,
        collect() {
          this.set(health.up ? 1 : 0);
        },
      });
      const outages = new Counter({
        name: `${METRIC_PREFIX}redis_outages_total`,
        help: `Redis outages seen by this process (each logged once: "redis unreachable", then "redis reachable again"). ${PER_PROCESS}`,
        registers,
      });
      health.onChange((up) => {
        if (!up) outages.inc();
      });
    }
  }

  inboxRecorded(provider: string, duplicate: boolean): void {
    this.inbox.inc({ provider, outcome: duplicate ? 'duplicate' : 'new' });
  }

  contactsIngested(channel: string, count = 1): void {
    this.ingested.inc({ channel }, count);
  }

  outboundFinished(channel: string, outcome: string): void {
    this.sends.inc({ channel, outcome });
  }

  observeWorker(worker: Worker): void {
    if (this.observed.has(worker)) return;
    this.observed.add(worker);
    const queue = worker.name;
    worker.on('completed', (job) => {
      if (job.finishedOn === undefined) return;
      const due = job.timestamp + (job.opts.delay ?? 0);
      this.jobLatency.observe({ queue }, Math.max(0, job.finishedOn - due) / 1000);
      if (job.processedOn !== undefined)
        this.jobProcessing.observe({ queue }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
    });
    worker.on('failed', () => this.jobFailures.inc({ queue }));
  }

  /** Closes the queues the depth gauges read (not the shared connection). */
  close(): Promise<void> {
    return this.gauges.close();
  }

  /** The exposition text (prom-client's format) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
