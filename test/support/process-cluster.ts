import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { freePort } from './free-port.js';
import { spawnSourceServer, waitForHttp, type ServerProcess } from './server-process.js';
import { AUTH_TOKEN, PUBLIC_URL } from './test-server.js';
import { ACCOUNT_SID, SMS_NUMBER, WHATSAPP_NUMBER } from './twilio-payloads.js';

export interface ApiProcess {
  process: ServerProcess;
  url: string;
}

export interface ProcessCluster {
  apis: ApiProcess[];
  workers: ServerProcess[];
  /** The queue prefix, to remove its keys afterwards. */
  prefix: string;
  /** One more ROLE=worker process, as an orchestrator starts after one died. */
  startWorker(): Promise<ServerProcess>;
  /** SIGTERM to every process still running, and their exit awaited. */
  stop(): Promise<void>;
}

/**
 * An installation as it is deployed at scale: ROLE=api and ROLE=worker processes apart, each its
 * own `node src/main.ts`, sharing one database and one Redis. The first API process migrates the
 * database alone before the others start (they would all try at once otherwise).
 */
export async function startProcessCluster(settings: {
  env: Record<string, string>;
  apis: number;
  workers: number;
}): Promise<ProcessCluster> {
  const prefix = `sptest-faults-${randomBytes(4).toString('hex')}`;
  const common = {
    PUBLIC_URL,
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: prefix,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_NUMBER,
    TWILIO_WHATSAPP_FROM: WHATSAPP_NUMBER,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    OUTBOUND_BACKOFF_MS: '100',
    SWEEP_INTERVAL_MS: '500',
    SWEEP_GRACE_MS: '2000',
    ...settings.env,
  };
  const all: ServerProcess[] = [];
  const startApi = async (): Promise<ApiProcess> => {
    const port = await freePort();
    const child = spawnSourceServer({ ...common, ROLE: 'api', PORT: String(port) });
    all.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, child, 60_000);
    return { process: child, url };
  };
  const startWorker = async (): Promise<ServerProcess> => {
    const child = spawnSourceServer({ ...common, ROLE: 'worker', PORT: '0' });
    all.push(child);
    await child.waitForOutput('Satu Pintu started', 60_000);
    return child;
  };
  const first = await startApi();
  const apis = [first, ...(await Promise.all(Array.from({ length: settings.apis - 1 }, startApi)))];
  const workers = await Promise.all(Array.from({ length: settings.workers }, startWorker));
  return {
    apis,
    workers,
    prefix,
    startWorker,
    async stop() {
      const running = all.filter((child) => !child.hasExited());
      for (const child of running) child.child.kill('SIGTERM');
      await Promise.all(running.map((child) => child.exited));
    },
  };
}

export interface TrafficReport {
  /** HTTP requests made, retries included. */
  tried: number;
  status5xx: number;
  /** Requests that got no answer (connection refused or reset). */
  noAnswer: number;
  /** Webhooks never answered 200 after all retries: lost at the door. */
  refused: number;
}

/**
 * Citizens texting in, signed like Twilio, each one's messages in sequence (the next after the
 * previous was answered), `parallel` citizens at a time, spread over the API processes. Like Twilio,
 * a webhook that is not answered 200 is sent again, same MessageSid, up to `retries` times.
 */
export async function sendSignedTraffic(
  apis: ApiProcess[],
  conversations: Array<Array<Record<string, string>>>,
  options: { parallel: number; retries: number; retryDelayMs: number; paceMs?: number },
): Promise<TrafficReport> {
  const report: TrafficReport = { tried: 0, status5xx: 0, noAnswer: 0, refused: 0 };
  const path = '/webhooks/twilio/messaging';
  const signature = (params: Record<string, string>) =>
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + path, params);
  let next = 0;
  let request = 0;
  const deliver = async (params: Record<string, string>) => {
    for (let attempt = 0; attempt <= options.retries; attempt += 1) {
      const api = apis[request++ % apis.length]!;
      report.tried += 1;
      try {
        const response = await fetch(api.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature(params) },
          body: new URLSearchParams(params).toString(),
        });
        await response.arrayBuffer();
        if (response.status === 200) return;
        if (response.status >= 500) report.status5xx += 1;
      } catch {
        report.noAnswer += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
    }
    report.refused += 1;
  };
  const lane = async () => {
    while (next < conversations.length) {
      const conversation = conversations[next++]!;
      for (const message of conversation) {
        await deliver(message);
        if (options.paceMs) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallel }, lane));
  return report;
}
