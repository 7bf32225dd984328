import fs from 'node:fs';
import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, terminalDestination } from './logger.js';
import { setWriterPriority } from './db/sqlite-writer-priority.js';
import { type WorkerChildMessage, WorkerStartError, WorkerSupervisor } from './queue/embedded/worker-supervisor.js';
import { announcingPriority, yieldingPriority } from './queue/embedded/writer-priority-ipc.js';
import { StartupError, startRuntime, type Runtime } from './runtime.js';
import type { ShutdownOutcome } from './shutdown.js';
import { messagingUrls } from './http/webhooks/messaging-urls.js';
import { VOICE_PATHS, VOICE_WEBHOOK_PATH } from './http/webhooks/voice-urls.js';

/**
 * Process entry. Start-up problems a newcomer can fix (Redis not running, a bad setting) are one
 * clear line and a non-zero exit, never a stack trace.
 */
async function main(): Promise<void> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, terminalDestination());
  // A signal during start-up (migrating, say) is kept and acted on once started, so that a
  // service manager's SIGTERM always ends in an orderly stop, never in a default kill.
  let signalled: NodeJS.Signals | undefined;
  let onSignal = (signal: NodeJS.Signals) => {
    signalled ??= signal;
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // ROLE=all forks its workers into a child process (EMBEDDED_WORKERS=process): this process is then the API.
  const splitWorkers = config.ROLE === 'all' && config.EMBEDDED_WORKERS === 'process';
  if (embeddedChild) {
    // The parent going away (even by SIGKILL) ends the child too: no orphan keeps consuming jobs.
    process.on('disconnect', () => onSignal('SIGTERM'));
  }
  let supervisor: WorkerSupervisor | undefined;
  // On one SQLite file, the API's commits (which hold up answers to providers) go before the
  // worker child's next transaction (src/db/sqlite-writer-priority.ts).
  if (embeddedChild) setWriterPriority(yieldingPriority());
  else if (splitWorkers) setWriterPriority(announcingPriority(() => supervisor?.process));
  const runtime: Runtime = await startRuntime(splitWorkers ? { ...config, ROLE: 'api' } : config, logger, {
    // Forked once this process has migrated the database (the child finds nothing to do), and
    // before the API listens: an answering API means running workers.
    beforeListen: splitWorkers
      ? async () => {
          supervisor = new WorkerSupervisor({
            entry: process.argv[1]!,
            env: process.env,
            logger,
            niceness: config.EMBEDDED_WORKER_NICE,
            onGiveUp: (reason) => {
              logger.error(`${reason}; stopping, exiting with status 1`);
              setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 1000).unref();
              void runtime.stop().finally(() => process.exit(1));
            },
          });
          process.on('exit', () => supervisor?.kill());
          await supervisor.start().catch((error: Error) => {
            throw error instanceof WorkerStartError ? new StartupError(`the worker process: ${error.message}`) : error;
          });
        }
      : undefined,
  });
  // Once started, a signal stops the runtime; one that came during start-up is acted on now.
  const takeSignals = (shutdown: (signal: NodeJS.Signals) => Promise<void>) => {
    onSignal = (signal) => void shutdown(signal);
    if (signalled) onSignal(signalled);
  };
  if (embeddedChild) {
    tellParent({ type: 'ready' }); // the parent says it: a start that fails later stays one line
    return serveSignals(runtime, logger, config.SHUTDOWN_TIMEOUT_MS, takeSignals, undefined, true);
  }

  const admin = await ensureFirstAdmin(
    runtime.db,
    config.ADMIN_EMAIL,
    config.ADMIN_PASSWORD,
    new Date(),
    config.DEFAULT_LANGUAGE,
  );
  if (admin === 'created') logger.info(`created the first administrator ${config.ADMIN_EMAIL}`);
  if (admin === 'missing_settings') {
    logger.warn('no administrator yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart to create one');
  }
  describe(runtime, config);
  if (supervisor) logger.info(`worker process ${supervisor.pid} started`);
  serveSignals(runtime, logger, config.SHUTDOWN_TIMEOUT_MS, takeSignals, supervisor);
}

/** Set only in the worker child that ROLE=all forks (worker-supervisor.ts). */
const embeddedChild = process.env.SATU_PINTU_EMBEDDED_CHILD === '1' && typeof process.send === 'function';

function tellParent(message: WorkerChildMessage, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

/**
 * Stops on SIGTERM or SIGINT within SHUTDOWN_TIMEOUT_MS: exit 0 when everything stopped, else 1
 * naming what it still waited for. With a worker child, the signal is passed on and the child is
 * waited for alongside this process's own steps.
 */
function serveSignals(
  runtime: Runtime,
  logger: Runtime['logger'],
  timeoutMs: number,
  install: (shutdown: (signal: NodeJS.Signals) => Promise<void>) => void,
  supervisor?: WorkerSupervisor,
  /** The worker child: its outcome goes to the parent, which says it in its own line. */
  reportToParent = false,
): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return; // a terminal's Ctrl-C reaches npm and the server both, and npm passes it on
    stopping = true;
    logger.info(`${signal}: stopping within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS)`);
    // Should cutting short itself hang, the process goes anyway.
    setTimeout(() => {
      logger.error(`could not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting with status 1`);
      process.exit(1);
    }, timeoutMs + 1000).unref();
    // The child keeps the same deadline; a little more here lets it say its own outcome first.
    const [own, child] = await Promise.all([
      runtime.stop({ timeoutMs }),
      supervisor?.stop(signal, timeoutMs + 500) ?? Promise.resolve({ clean: true, waitingFor: undefined }),
    ]);
    const outcome: ShutdownOutcome = {
      clean: own.clean && child.clean,
      waitingFor: [own.waitingFor, child.waitingFor].filter(Boolean).join(' and '),
      elapsedMs: own.elapsedMs,
    };
    if (reportToParent) {
      if (outcome.clean) logger.info(`worker process stopped in ${outcome.elapsedMs} ms`);
      tellParent({ type: 'stopped', clean: outcome.clean, waitingFor: outcome.waitingFor }, () =>
        process.exit(outcome.clean ? 0 : 1),
      );
      return;
    }
    if (outcome.clean) {
      logger.info(`stopped in ${outcome.elapsedMs} ms`);
      process.exit(0);
    }
    logger.error(
      `could not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): still waiting for ${outcome.waitingFor}; cut short, exiting with status 1`,
    );
    process.exit(1);
  };
  install(shutdown);
}

function describe(runtime: Runtime, config: Runtime['config']): void {
  const { logger } = runtime;
  const database = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${config.sqliteFile}`;
  const split = config.ROLE === 'all' && config.EMBEDDED_WORKERS === 'process';
  const workers = split ? ' (workers in a child process, EMBEDDED_WORKERS=process)' : '';
  logger.info(`Satu Pintu started: role ${config.ROLE}${workers}, database ${database}`);
  if (runtime.server) {
    const on = config.HOST ? `${config.HOST} ` : '';
    logger.info(`HTTP API on ${on}port ${runtime.port}; providers reach it at ${config.publicUrl} (PUBLIC_URL)`);
    const messaging = messagingUrls(config.publicUrl);
    logger.info(`Twilio messaging webhook (SMS, WhatsApp): ${messaging.messaging}`);
    logger.info(`Twilio status callback: ${messaging.status}`);
    logger.info(
      `Twilio voice number, a call comes in: ${config.publicUrl}${VOICE_WEBHOOK_PATH}; call status changes: ${config.publicUrl}${VOICE_WEBHOOK_PATH}${VOICE_PATHS.status}`,
    );
  }
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
    logger.warn('Twilio credentials are not set: webhooks are refused and replies are recorded as not delivered');
  }
}

main().catch((error: unknown) => {
  // One line, never a stack: a setting to fix is said as such; anything else is a bug whose stack
  // LOG_LEVEL=debug shows.
  const known = error instanceof StartupError || error instanceof ConfigError;
  if (embeddedChild) {
    // The parent says the one line; this child says nothing of its own.
    tellParent({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () =>
      process.exit(1),
    );
    return;
  }
  console.error(`Satu Pintu cannot start: ${error instanceof Error ? error.message : String(error)}`);
  if (!known && /^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')) console.error(error);
  process.exit(1);
});
