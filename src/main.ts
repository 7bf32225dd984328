import fs from 'node:fs';
import { ensureFirstAdmin } from './auth/bootstrap-admin.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, terminalDestination } from './logger.js';
import { StartupError, startRuntime, type Runtime } from './runtime.js';
import { VOICE_WEBHOOK_PATH } from './voice/voice-context.js';

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
  const runtime = await startRuntime(config, logger);

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
  describe(runtime);

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return; // a terminal's Ctrl-C reaches npm and the server both, and npm passes it on
    stopping = true;
    const timeoutMs = config.SHUTDOWN_TIMEOUT_MS;
    logger.info(`${signal}: stopping within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS)`);
    // Should cutting short itself hang, the process goes anyway.
    setTimeout(() => {
      logger.error(`could not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS); exiting with status 1`);
      process.exit(1);
    }, timeoutMs + 1000).unref();
    const outcome = await runtime.stop({ timeoutMs });
    if (outcome.clean) {
      logger.info(`stopped in ${outcome.elapsedMs} ms`);
      process.exit(0);
    }
    logger.error(
      `could not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): still waiting for ${outcome.waitingFor}; cut short, exiting with status 1`,
    );
    process.exit(1);
  };
  onSignal = (signal) => void shutdown(signal);
  if (signalled) onSignal(signalled);
}

function describe(runtime: Runtime): void {
  const { config, logger } = runtime;
  const database = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite ${config.sqliteFile}`;
  logger.info(`Satu Pintu started: role ${config.ROLE}, database ${database}`);
  if (runtime.server) {
    const on = config.HOST ? `${config.HOST} ` : '';
    logger.info(`HTTP API on ${on}port ${runtime.port}; providers reach it at ${config.publicUrl} (PUBLIC_URL)`);
    logger.info(`Twilio messaging webhook (SMS, WhatsApp): ${config.publicUrl}/webhooks/twilio/messaging`);
    logger.info(`Twilio status callback: ${config.publicUrl}/webhooks/twilio/status`);
    logger.info(
      `Twilio voice number, a call comes in: ${config.publicUrl}${VOICE_WEBHOOK_PATH}; call status changes: ${config.publicUrl}${VOICE_WEBHOOK_PATH}/status`,
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
  console.error(`Satu Pintu cannot start: ${error instanceof Error ? error.message : String(error)}`);
  if (!known && /^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')) console.error(error);
  process.exit(1);
});
