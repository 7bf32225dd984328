import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFirstAdmin } from '../src/auth/bootstrap-admin.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { describeRedisUrl } from '../src/queue/connection.js';
import { StartupError, startRuntime, type Runtime } from '../src/runtime.js';
import { freePort } from '../test/support/free-port.js';
import { startSmtpCapture, type SmtpCapture } from '../test/support/smtp-capture.js';
import { removeQueueKeys } from '../test/support/test-server.js';
import { ACCOUNT_SID, SMS_NUMBER, WHATSAPP_NUMBER } from '../test/support/twilio-payloads.js';
import { VOICE_NUMBER } from '../test/support/twilio-voice-payloads.js';
import { Citizens, TwilioWebhooks } from './citizens.js';
import { playMorning } from './morning.js';
import { Outbox } from './outbox.js';
import { seedHelpDesk } from './seed.js';
import { lookAround, summarise } from './summary.js';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in.js';

/**
 * `npm run demo`: Satu Pintu on a throw-away SQLite file and its own queue prefix on the local
 * Redis, with local stand-ins for Twilio's REST API and an SMTP relay, plays a morning at a
 * PTSP help desk over the real webhooks, SMTP and API, prints where to look, and runs until
 * Ctrl-C (`--once`: stops when the morning is over). Everything it made is removed at the end.
 */
const DOMAIN = 'dpmptsp.kaltim.example.go.id';
const once = process.argv.includes('--once');
const print = (line: string) => console.log(line);

async function main(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-demo-'));
  const authToken = randomBytes(16).toString('hex');
  const admin = {
    email: process.env.ADMIN_EMAIL || `admin@${DOMAIN}`,
    password: process.env.ADMIN_PASSWORD || `demo-${randomBytes(6).toString('base64url')}`,
  };
  const agentPassword = `agen-${randomBytes(6).toString('base64url')}`;
  let twilio: TwilioStandIn | undefined;
  let relay: SmtpCapture | undefined;
  let runtime: Runtime | undefined;
  let outbox: Outbox | undefined;
  const queuePrefix = `demo-${randomBytes(4).toString('hex')}`;
  let redisUrl = '';

  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      await outbox?.close();
      await runtime?.stop();
      await twilio?.close();
      await relay?.close();
      if (runtime) await removeQueueKeys(redisUrl, queuePrefix);
      fs.rmSync(dataDir, { recursive: true, force: true });
      print(`Removed the demo's database (${dataDir}) and its queues (${queuePrefix}:*).`);
    })();
    return cleaning;
  };

  // Ctrl-C at any point stops the demo and removes what it made.
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });

  const play = async () => {
    print('Satu Pintu demo: a morning at the help desk of DPMPTSP Provinsi Kalimantan Timur\n');
    twilio = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken });
    relay = await startSmtpCapture();
    print(`Stand-ins: Twilio's REST API at ${twilio.url}, an SMTP relay at ${relay.url}`);
    const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DATA_DIR: dataDir,
      REDIS_URL: process.env.REDIS_URL || undefined,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_SMS_FROM: SMS_NUMBER,
      TWILIO_WHATSAPP_FROM: WHATSAPP_NUMBER,
      TWILIO_VOICE_FROM: VOICE_NUMBER,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: process.env.SMTP_PORT || '0',
      SMTP_URL: relay.url,
      EMAIL_INBOUND_ADDRESSES: `helpdesk@${DOMAIN}`,
      EMAIL_FROM: `DPMPTSP Kaltim <helpdesk@${DOMAIN}>`,
      OFFICE_NAME: 'DPMPTSP Kaltim',
      // Call-back tasks made from finished calls within a second, not 15.
      CALLBACK_PASS_INTERVAL_MS: '500',
    });
    redisUrl = config.REDIS_URL;
    runtime = await startRuntime(config, createLogger(config.LOG_LEVEL));
    await ensureFirstAdmin(runtime.db, admin.email, admin.password, new Date(), config.DEFAULT_LANGUAGE);
    print(`Satu Pintu: HTTP on ${publicUrl}, inbound mail on smtp://127.0.0.1:${runtime.smtpPort}`);
    print(`   SQLite ${config.sqliteFile}, Redis ${describeRedisUrl(redisUrl)} (queue prefix ${queuePrefix})`);

    outbox = new Outbox(twilio, relay, print);
    print('\nThe administrator sets up the help desk through the API');
    const desk = await seedHelpDesk(publicUrl, admin, agentPassword, DOMAIN, print);
    const webhooks = new TwilioWebhooks(publicUrl, authToken);
    const morning = await playMorning({
      desk,
      webhooks,
      citizens: new Citizens(webhooks, runtime.smtpPort!, print),
      outbox,
      helpdeskAddress: `helpdesk@${DOMAIN}`,
      print,
    });
    await summarise(desk.admin, outbox, print);
    lookAround({ publicUrl, smtpPort: runtime.smtpPort!, admin, agentPassword, desk, morning, once }, print);
  };

  try {
    const playing = play();
    playing.catch(() => undefined); // once interrupted, the rest of the morning fails as the server stops
    if ((await Promise.race([playing, interrupted])) === 'interrupted') {
      print('\nInterrupted');
      await cleanUp();
      return 130;
    }
  } catch (error) {
    const message =
      error instanceof StartupError || error instanceof ConfigError ? error.message : (error as Error).stack;
    console.error(`\nThe demo failed: ${message}`);
    await cleanUp();
    return 1;
  }

  if (!once) {
    await interrupted;
    print('\nStopping');
  }
  await cleanUp();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
