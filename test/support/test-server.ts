import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import twilio from 'twilio';
import { ensureFirstAdmin } from '../../src/auth/bootstrap-admin.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { testLogDestination, testLogLevel } from './log-capture.js';
import { TEST_REDIS_URL } from './redis-url.js';
import { createTestDatabase } from './test-database.js';
import { ACCOUNT_SID, SMS_NUMBER, WHATSAPP_NUMBER } from './twilio-payloads.js';
import { twilioMockUrl } from './twilio-mock.js';

export const AUTH_TOKEN = 'test-auth-token-5f0c2a9d41b7e3c8';
export const PUBLIC_URL = 'https://helpdesk.dpmptsp.example.go.id';
export const ADMIN = { email: 'admin@dpmptsp.example.go.id', password: 'correct horse battery staple' };

export interface TestServer {
  runtime: Runtime;
  baseUrl: string;
  /** POSTs a form to a webhook, signed the way Twilio signs it (or with the given signature). */
  postTwilio(path: string, params: Record<string, string>, signature?: string | null): Promise<Response>;
  /** Calls the API as the first admin. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The first admin's bearer token (signed in once), for what `api` cannot do: an event stream. */
  adminToken(): Promise<string>;
  /** Stops the server and drops its database and, unless kept, its queue keys in Redis. */
  stop(options?: { keepQueueKeys?: boolean }): Promise<void>;
}

/** Every Redis key of a test server's queues (inbound, outbound, routing...), by their prefix. */
export async function removeQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Satu Pintu as it runs in production (HTTP API and workers in one process) on a fresh database,
 * a fresh queue prefix on the real Redis (REDIS_URL, see redis-url.ts), and the local Twilio mock.
 */
export async function startTestServer(
  overrides: Record<string, string> = {},
  options: RuntimeOptions & { logger?: Logger } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: testLogLevel(),
    QUEUE_PREFIX: `sptest-${randomBytes(4).toString('hex')}`,
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_NUMBER,
    TWILIO_WHATSAPP_FROM: WHATSAPP_NUMBER,
    TWILIO_API_BASE_URL: overrides.TWILIO_API_BASE_URL ?? (await twilioMockUrl()),
    OUTBOUND_BACKOFF_MS: '50',
    // Every test server listens for mail on its own free port, on loopback only.
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    SWEEP_INTERVAL_MS: '60000',
    // Test mail comes from a few unverified domains; the backscatter caps have a test of their own.
    EMAIL_ACK_UNVERIFIED_DOMAIN_LIMIT: '1000',
    EMAIL_ACK_UNVERIFIED_LIMIT: '1000',
    ...database.env,
    ...overrides,
  });
  const runtime = await startRuntime(
    config,
    options.logger ?? createLogger(config.LOG_LEVEL, testLogDestination()),
    options,
  );
  await ensureFirstAdmin(runtime.db, ADMIN.email, ADMIN.password, new Date());
  const baseUrl = `http://127.0.0.1:${runtime.port}`;
  let token: string | undefined;
  const adminToken = async (): Promise<string> => {
    if (!token) {
      const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      token = ((await login.json()) as { token: string }).token;
    }
    return token;
  };

  return {
    runtime,
    baseUrl,
    postTwilio(path, params, signature) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      const signed =
        signature === undefined ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + path, params) : signature;
      if (signed !== null) headers['x-twilio-signature'] = signed;
      return fetch(baseUrl + path, { method: 'POST', headers, body: new URLSearchParams(params) });
    },
    adminToken,
    async api(path, init = {}) {
      const bearer = await adminToken();
      return fetch(baseUrl + path, {
        ...init,
        headers: { authorization: `Bearer ${bearer}`, ...(init.headers ?? {}) },
      });
    },
    async stop({ keepQueueKeys = false } = {}) {
      await runtime.stop();
      if (!keepQueueKeys) await removeQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX);
      await database.drop();
    },
  };
}
