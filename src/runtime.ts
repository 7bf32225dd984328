import { randomBytes } from 'node:crypto';
import { statusCallbackUrl } from './http/webhooks/messaging-urls.js';
import type { Server } from 'node:http';
import { answerClientErrorsWithJson } from './http/client-error.js';
import type { Express } from 'express';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createChannelRegistry, type ChannelRegistry } from '../channels/registry.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { describeDatabase, withoutDatabasePassword } from './db/database-url.js';
import { createDatabase, type Knex } from './db/knex.js';
import { startEmailIntake, type EmailIntake } from './mail/email-intake.js';
import { migrateToLatest } from './db/migrate.js';
import { plannerStatisticsTask } from './db/planner-statistics.js';
import { InboxWriter } from './inbox/inbox-writer.js';
import { PipelineSweeper } from './inbox/sweeper.js';
import { ClarificationTimers } from './tickets/clarification-timers.js';
import { ticketUnitOfWork } from './ticket-work.js';
import { StatusUpdates } from './tickets/track-subscriptions.js';
import { callbackTask } from './tasks/callback-timers.js';
import type { PeriodicTask } from './queue/periodic-task.js';
import type { Fired } from './sla/clock-firing.js';
import { createLogger, type Logger } from './logger.js';
import { applyHttpServerLimits, httpLimits, type HttpServerLimits } from './http/server-limits.js';
import { TicketEventTail } from './metrics/live/event-tail.js';
import { ChatSignals } from './webchat/chat-signals.js';
import { CommitWakeups } from './metrics/live/commit-wakeups.js';
import { onTicketEventsCommitted } from './tickets/committed-events.js';
import { ChatTail } from './webchat/chat-tail.js';
import { shutDown, type ShutdownOutcome, type ShutdownStep } from './shutdown.js';
import { createProducerConnection, describeRedisUrl, pingRedis, workerConnectionOptions } from './queue/connection.js';
import { PipelineQueues } from './queue/pipeline-queues.js';
import { readInstallationId } from './queue/installation-id.js';
import { RedisHealth } from './queue/redis-health.js';
import { startInboundWorker } from './queue/workers/inbound-worker.js';
import { ingestInboxRows, type IngestSettings } from './inbox/ingest.js';
import { startOutboundWorker } from './queue/workers/outbound-worker.js';
import { startRoutingWorker } from './queue/workers/routing-worker.js';
import { RoutingEngine } from './routing/routing-engine.js';
import { RoutingSignals } from './routing/signals.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { createWorkerMetricsApp } from './http/worker-metrics-app.js';
import { QUEUE_INBOUND, QUEUE_OUTBOUND, QUEUE_ROUTING, QUEUE_SLA } from './queue/names.js';
import { startSlaWorker } from './queue/workers/sla-worker.js';
import type { FiringContext } from './sla/clock-firing.js';
import { slaSweepTask } from './sla/sla-sweep.js';
import { SlaTimers } from './sla/sla-timers.js';
import { ClockResync } from './sla/clock-resync.js';

export class StartupError extends Error {}

/** A port or address that cannot be listened on, said the way a newcomer can act on it. */
export function listenProblem(
  error: NodeJS.ErrnoException,
  where: { port: number; portSetting: string; host?: string; hostSetting?: string },
): string | undefined {
  if (!['listen', 'bind', 'getaddrinfo'].includes(error.syscall ?? '')) return undefined; // not the socket's
  const on = where.host ? ` on ${where.host}` : '';
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${where.port} is in use${on} (${where.portSetting})`;
    case 'EACCES':
      return `port ${where.port} needs privileges (${where.portSetting}): take one above 1023`;
    case 'EADDRNOTAVAIL':
      return `${where.host} is not an address of this machine (${where.hostSetting})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where.host} is not a known host name (${where.hostSetting})`;
    default:
      return undefined;
  }
}

/** Opens the database and brings its schema up to date, or fails with a StartupError saying which database. */
async function prepareDatabase(config: Config, logger: Logger): Promise<Knex> {
  let db: Knex | undefined;
  try {
    db = createDatabase({
      url: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      sqliteFile: config.sqliteFile,
      sqliteDriver: config.SQLITE_DRIVER,
      logger,
    });
    await migrateToLatest(db);
    return db;
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    const message = withoutDatabasePassword((error as Error).message, config.DATABASE_URL);
    throw new StartupError(`the database ${describeDatabase(config)} could not be prepared: ${message}`);
  }
}

/** Listens on the port (and address) or fails with a StartupError saying why. */
function listen(
  app: Express,
  port: number,
  host: string | undefined,
  portSetting: string,
  limits?: HttpServerLimits,
): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const listening = (error?: Error) => {
      if (!error) return resolve(server);
      const problem = listenProblem(error, { port, portSetting, host, hostSetting: 'HOST' });
      reject(problem ? new StartupError(problem) : error);
    };
    // Express 5 hands a listen error to the callback; no host: every interface.
    const server = host ? app.listen(port, host, listening) : app.listen(port, listening);
    answerClientErrorsWithJson(server);
    if (limits) applyHttpServerLimits(server, limits);
  });
}

export interface Runtime {
  config: Config;
  db: Knex;
  redis: Redis;
  queues: PipelineQueues;
  channels: ChannelRegistry;
  routing: RoutingSignals;
  logger: Logger;
  /** This runtime's Prometheus registry (GET /metrics). */
  metrics: PrometheusMetrics;
  sweeper?: PipelineSweeper;
  /** The clarification clock (worker roles); tests run a pass with runOnce(). */
  clarifications?: ClarificationTimers;
  /** The call-back clock: tasks from finished calls, handed to agents (worker roles); tests run a pass with runOnce(). */
  callbacks?: PeriodicTask;
  /** Status changes told to citizens who subscribed on /lacak (worker roles); tests run a pass with runOnce(). */
  statusUpdates?: StatusUpdates;
  /** Schedules SLA timers (every role: API actions move clocks too). */
  slaTimers: SlaTimers;
  /** The SLA safety sweep (worker roles); tests run a pass with runOnce(). */
  slaSweep?: PeriodicTask<Fired>;
  /** SQLite's planner statistics kept up to date as tables grow (every role; none on PostgreSQL). */
  plannerStatistics?: PeriodicTask;
  /** Re-times open tickets after policy and calendar edits (API roles); tests await settled(). */
  clockResync: ClockResync;
  server?: Server;
  /** The port the HTTP API listens on (PORT=0 picks a free one); for ROLE=worker, METRICS_PORT's. */
  port?: number;
  /** The port the SMTP listener accepts inbound mail on (SMTP_PORT=0 picks a free one). */
  smtpPort?: number;
  /**
   * Stops accepting HTTP and SMTP, ends the live streams with a last `shutdown` event, lets the
   * requests, mail sessions and running jobs under way finish, then closes the workers, Redis and
   * the database; within `timeoutMs` (SHUTDOWN_TIMEOUT_MS), after which what is left is cut short
   * and the outcome says what it was still waiting for. Calling it again gives the same outcome.
   */
  stop(options?: { timeoutMs?: number }): Promise<ShutdownOutcome>;
}

/**
 * Starts Satu Pintu in one process: `all` runs the HTTP API and the workers (the embedded
 * single-machine run), `api` and `worker` split them for scale. No state lives in the process.
 */
export interface RuntimeOptions {
  /** The clock of every deadline and timestamp; tests drive SLA clocks across days with their own. */
  now?: () => Date;
  /**
   * Runs once the database is migrated and before the HTTP API listens (ROLE=all forks its worker
   * process here, so that an answering API means running workers). Its failure stops the start.
   */
  beforeListen?: () => Promise<void>;
}

export async function startRuntime(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
  options: RuntimeOptions = {},
): Promise<Runtime> {
  if (!(await pingRedis(config.REDIS_URL))) {
    throw new StartupError(
      `Redis is not reachable at ${describeRedisUrl(config.REDIS_URL)}. Start it (for example: redis-server --daemonize yes) or set REDIS_URL, then try again.`,
    );
  }
  const db = await prepareDatabase(config, logger);
  const installationId = await readInstallationId(db).catch(async (error: Error) => {
    await db.destroy();
    throw new StartupError(`the database ${describeDatabase(config)} has no installation id: ${error.message}`);
  });
  const redis = createProducerConnection(config.REDIS_URL);
  // Every connection of this process reports to one tracker: one line per outage, not per retry.
  const redisHealth = new RedisHealth(logger, config.REDIS_URL);
  redisHealth.watch(redis);
  await redis.connect().catch(async () => {
    redisHealth.stop();
    redis.disconnect();
    await db.destroy();
    throw new StartupError(`Redis went away at ${describeRedisUrl(config.REDIS_URL)} while starting; try again.`);
  });
  const metrics = new PrometheusMetrics({
    db,
    redis,
    logger,
    queuePrefix: config.QUEUE_PREFIX,
    queueNames: [QUEUE_INBOUND, QUEUE_OUTBOUND, QUEUE_ROUTING, QUEUE_SLA],
    redisHealth,
  });
  const queues = new PipelineQueues(
    redis,
    {
      prefix: config.QUEUE_PREFIX,
      installationId,
      outboundAttempts: config.OUTBOUND_MAX_ATTEMPTS,
      outboundBackoffMs: config.OUTBOUND_BACKOFF_MS,
    },
    logger,
  );
  // The chat API signs a visitor's message for the webchat adapter within one request: a key of this process's own.
  const webchatSigningKey = randomBytes(32);
  const channels = createChannelRegistry({
    twilio: {
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
      smsFrom: config.TWILIO_SMS_FROM,
      whatsappFrom: config.TWILIO_WHATSAPP_FROM,
    },
    webchat: { signingKey: webchatSigningKey, enabled: true },
    twilioVoice: {
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
    },
    email: {
      inboundAddresses: config.EMAIL_INBOUND_ADDRESSES.split(',')
        .map((address) => address.trim().toLowerCase())
        .filter(Boolean),
      smtpUrl: config.SMTP_URL,
      from: config.EMAIL_FROM,
      trustedAuthservIds: (config.EMAIL_TRUSTED_AUTHSERV_IDS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    },
  });
  const routingSignals = new RoutingSignals(redis, config.QUEUE_PREFIX, logger);
  // Every commit of ticket events, in any process, wakes the API processes' live tails at once.
  const wakeups = new CommitWakeups(redis, config.QUEUE_PREFIX);
  const stopAnnouncing = onTicketEventsCommitted(() => wakeups.announce());
  const now = options.now ?? (() => new Date());
  const slaTimers = new SlaTimers(redis, config.QUEUE_PREFIX, logger, now, installationId);
  const clockResync = new ClockResync(db, slaTimers, logger, now);
  const unitOfWork = ticketUnitOfWork(db, { timers: slaTimers, routing: routingSignals });
  let slaSweep: PeriodicTask<Fired> | undefined;
  const workers: Array<{ close(): Promise<unknown> }> = [];
  let sweeper: PipelineSweeper | undefined;
  let clarifications: ClarificationTimers | undefined;
  let callbacks: PeriodicTask | undefined;
  let statusUpdates: StatusUpdates | undefined;
  let server: Server | undefined;
  let mail: EmailIntake | undefined;
  let tail: TicketEventTail | undefined;
  let webchat: { tail: ChatTail; signals: ChatSignals; signingKey: Buffer } | undefined;
  let plannerStatistics: PeriodicTask | undefined;

  // The order of stopping: nothing new comes in, what is under way finishes, then the connections close.
  const shutdownSteps = (): ShutdownStep[] => {
    let httpClosed = Promise.resolve();
    let mailClosed = Promise.resolve();
    const queueWorkers = workers
      .map((worker) => (worker instanceof Worker ? worker : (worker as { worker?: Worker }).worker))
      .filter((worker) => worker !== undefined);
    return [
      {
        waitingFor: 'the listeners to close',
        run() {
          const http = server;
          if (http?.listening) httpClosed = new Promise((resolve) => http.close(() => resolve()));
          mailClosed =
            mail?.close().catch((error: Error) => logger.warn({ err: error }, 'the SMTP listener did not close')) ??
            mailClosed;
          tail?.close(); // every live stream ends with its `shutdown` event
          webchat?.tail.close(); // and so does every chat visitor's
        },
      },
      {
        waitingFor: 'open HTTP requests',
        async run() {
          // Keep-alive connections, a live stream's included, fall idle as their last response ends.
          const idle = setInterval(() => server?.closeIdleConnections(), 50);
          try {
            await httpClosed;
          } finally {
            clearInterval(idle);
          }
        },
        force: () => server?.closeAllConnections(),
      },
      { waitingFor: 'SMTP sessions under way', run: () => mailClosed },
      { waitingFor: 'the re-timing of SLA clocks', run: () => clockResync.settled() },
      {
        waitingFor: 'the periodic passes (sweeps, clarification and call-back clocks, planner statistics)',
        run: () =>
          Promise.all([
            sweeper?.stop(),
            clarifications?.stop(),
            callbacks?.stop(),
            statusUpdates?.stop(),
            slaSweep?.stop(),
            plannerStatistics?.stop(),
          ]),
      },
      {
        waitingFor: () =>
          `running jobs and the queue workers${redis.status === 'ready' ? '' : ' (Redis is unreachable)'}`,
        run: () => {
          redisHealth.stop(); // connections closing from here on are no outage
          return Promise.all(workers.map((worker) => worker.close()));
        },
        force: () => Promise.all(queueWorkers.map((worker) => worker.disconnect())),
      },
      {
        waitingFor: 'the queues',
        run: () => {
          webchat?.signals.close();
          stopAnnouncing();
          wakeups.close();
          return Promise.all([queues.close(), slaTimers.close(), routingSignals.close(), metrics.close()]);
        },
      },
      { waitingFor: 'Redis', run: () => redis.disconnect(), force: () => redis.disconnect() },
      { waitingFor: 'the database', run: () => db.destroy(), force: () => db.destroy() },
    ];
  };
  let stopping: Promise<ShutdownOutcome> | undefined;
  const stop = (settings: { timeoutMs?: number } = {}): Promise<ShutdownOutcome> => {
    stopping ??= shutDown(shutdownSteps(), settings.timeoutMs ?? config.SHUTDOWN_TIMEOUT_MS, (error, waitingFor) =>
      logger.warn({ err: error }, `stopping: ${waitingFor} failed`),
    );
    return stopping;
  };
  /** A start-up failure past this point: whatever started stops again (never a half start), then the error. */
  const abort = async (error: unknown): Promise<never> => {
    await stop();
    throw error;
  };

  if (config.ROLE !== 'api') {
    const connection = workerConnectionOptions(config.REDIS_URL);
    const frontDesk = await db('teams').where({ slug: 'front-desk' }).first('id').catch(abort);
    const ingestSettings: IngestSettings = {
      defaultRegion: config.DEFAULT_REGION,
      defaultLanguage: config.DEFAULT_LANGUAGE,
      officeName: config.OFFICE_NAME,
      referencePrefix: config.REFERENCE_PREFIX,
      defaultTeamId: frontDesk ? Number(frontDesk.id) : null,
      emailAckLimit: config.EMAIL_ACK_LIMIT,
      emailAckUnverified: {
        perDomain: config.EMAIL_ACK_UNVERIFIED_DOMAIN_LIMIT,
        total: config.EMAIL_ACK_UNVERIFIED_LIMIT,
      },
      reopenWindowDays: config.REOPEN_WINDOW_DAYS,
    };
    workers.push(
      startInboundWorker(
        {
          db,
          queues,
          ingest: (inboxIds, committed) => ingestInboxRows(unitOfWork, inboxIds, ingestSettings, now, committed),
          metrics,
          logger,
          now,
          maxAttempts: config.INBOX_MAX_ATTEMPTS,
        },
        connection,
        {
          prefix: config.QUEUE_PREFIX,
          concurrency: config.INBOUND_CONCURRENCY,
          sqliteTransactionMs: config.SQLITE_INGEST_TRANSACTION_MS,
        },
      ),
      startOutboundWorker(
        {
          db,
          channels,
          logger,
          now,
          statusCallbackUrl: (provider) => statusCallbackUrl(config.publicUrl, provider),
          mail: { from: config.EMAIL_FROM, referencePrefix: config.REFERENCE_PREFIX },
          dataDir: config.DATA_DIR,
          sendLeaseMs: config.OUTBOX_SEND_LEASE_MS,
          metrics,
        },
        connection,
        { prefix: config.QUEUE_PREFIX, concurrency: config.OUTBOUND_CONCURRENCY },
      ),
      startRoutingWorker(
        new RoutingEngine(
          db,
          {
            preferPreviousAgent: config.ROUTING_PREFER_PREVIOUS_AGENT,
            batchSize: 500,
            voiceProvider: channels.voiceAdapter().provider,
          },
          logger,
          now,
        ),
        logger,
        connection,
        { prefix: config.QUEUE_PREFIX, passIntervalMs: config.ROUTING_PASS_INTERVAL_MS },
      ),
    );
    const firing: FiringContext = {
      db,
      now,
      settings: {
        referencePrefix: config.REFERENCE_PREFIX,
        language: config.DEFAULT_LANGUAGE,
        publicUrl: config.publicUrl,
      },
      queues,
      unitOfWork,
      logger,
    };
    workers.push(
      startSlaWorker(firing, connection, { prefix: config.QUEUE_PREFIX, concurrency: config.SLA_CONCURRENCY }),
    );
    slaSweep = slaSweepTask(firing, config.SLA_SWEEP_INTERVAL_MS);
    slaSweep.start();
    sweeper = new PipelineSweeper(db, queues, logger, {
      intervalMs: config.SWEEP_INTERVAL_MS,
      graceMs: config.SWEEP_GRACE_MS,
      maxInboxAttempts: config.INBOX_MAX_ATTEMPTS,
      batchSize: 500,
    });
    sweeper.start();
    // Job latencies of every queue worker of this process.
    for (const worker of workers) {
      const queueWorker = worker instanceof Worker ? worker : (worker as { worker?: Worker }).worker;
      if (queueWorker) {
        metrics.observeWorker(queueWorker);
        redisHealth.watchWorker(queueWorker);
      }
    }
    clarifications = new ClarificationTimers(
      db,
      queues,
      logger,
      {
        officeName: config.OFFICE_NAME,
        referencePrefix: config.REFERENCE_PREFIX,
        intervalMs: config.CLARIFICATION_PASS_INTERVAL_MS,
      },
      unitOfWork,
      now,
    );
    clarifications.start();
    callbacks = callbackTask(db, channels.voiceAdapter().provider, logger, config.CALLBACK_PASS_INTERVAL_MS, now);
    callbacks.start();
    statusUpdates = new StatusUpdates(
      db,
      queues,
      logger,
      {
        officeName: config.OFFICE_NAME,
        referencePrefix: config.REFERENCE_PREFIX,
        intervalMs: config.TRACK_UPDATE_INTERVAL_MS,
      },
      now,
    );
    statusUpdates.start();
  }

  if (config.ROLE !== 'worker') {
    // One writer for webhooks and mail alike: concurrent contacts share one INSERT whatever their channel.
    const inbox = new InboxWriter(db, queues, logger, metrics);
    // One tail per process feeds every open stream, the agents' and the supervisors'.
    tail = new TicketEventTail(db, config.LIVE_POLL_INTERVAL_MS);
    webchat = {
      tail: new ChatTail(db, config.LIVE_POLL_INTERVAL_MS),
      signals: new ChatSignals(redis, config.QUEUE_PREFIX),
      signingKey: webchatSigningKey,
    };
    const liveTails = [tail, webchat.tail];
    const wakeTails = () => {
      for (const each of liveTails) each.wake();
    };
    wakeups.listen(wakeTails).catch(() => undefined); // the tails' polls cover a missed cue
    const app = createApp({
      config,
      db,
      redis,
      queues,
      channels,
      logger,
      metrics,
      routing: routingSignals,
      unitOfWork,
      now,
      clockResync,
      inbox,
      tail,
      webchat,
    });
    await options.beforeListen?.().catch(abort);
    server = await listen(app, config.PORT, config.HOST, 'PORT', httpLimits(config)).catch(abort);
    mail = await startEmailIntake(
      { db, inbox, adapter: channels.rawMessageAdapter('smtp'), logger, now },
      config,
    ).catch((error: Error) => {
      const problem = listenProblem(error, {
        port: config.SMTP_PORT,
        portSetting: 'SMTP_PORT',
        host: config.smtpHost,
        hostSetting: config.SMTP_HOST ? 'SMTP_HOST' : 'HOST',
      });
      return abort(
        new StartupError(
          problem ?? `inbound mail could not start (SMTP on ${config.smtpHost}:${config.SMTP_PORT}): ${error.message}`,
        ),
      );
    });
  } else if (config.METRICS_PORT !== undefined) {
    // A worker process has no API; its counters (ingest, sends, job latencies) are scraped here.
    const app = createWorkerMetricsApp({ db, redis, metrics, logger, metricsToken: config.METRICS_TOKEN });
    server = await listen(app, config.METRICS_PORT, config.HOST, 'METRICS_PORT', httpLimits(config)).catch(abort);
  }
  const address = server?.address();
  // Last, so that a start-up failure above leaves no timer behind.
  plannerStatistics = plannerStatisticsTask(db, logger);
  plannerStatistics?.start();

  return {
    config,
    db,
    redis,
    queues,
    channels,
    routing: routingSignals,
    logger,
    metrics,
    sweeper,
    clarifications,
    callbacks,
    statusUpdates,
    slaTimers,
    slaSweep,
    plannerStatistics,
    clockResync,
    server,
    port: address && typeof address === 'object' ? address.port : undefined,
    smtpPort: mail?.port,
    stop,
  };
}
