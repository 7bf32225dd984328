import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting of Satu Pintu, read from the environment. Each has a default that runs on one
 * machine with no `.env` at all; `.env.example` lists the same names with the same defaults.
 */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** PostgreSQL only: anything else (mysql://, a file name) used to be taken for PostgreSQL. */
const databaseUrl = optionalString.superRefine((url, context) => {
  if (url === undefined || /^postgres(ql)?:\/\//i.test(url)) return;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  context.addIssue({
    code: 'custom',
    message: `${scheme ? `${scheme}: is not supported` : 'not a URL'}; set postgres://user:password@host:5432/database, or leave it unset for the embedded SQLite`,
  });
});

/**
 * Origins (scheme://host[:port], the host may begin with `*.`) separated by commas or spaces: the
 * sites that may frame the chat widget. A path, a query or `*` alone is refused, so that a typo
 * cannot open the frame to every site.
 */
const WEB_ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const originList = optionalString
  .transform((value) => value?.split(/[\s,]+/).filter((origin) => origin !== ''))
  .superRefine((origins, context) => {
    const wrong = origins?.filter((origin) => !WEB_ORIGIN.test(origin)) ?? [];
    if (wrong.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `not an origin (scheme://host[:port], no path): ${wrong.join(', ')}`,
      });
    }
  });

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optionalString,
  ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** ROLE=all: the workers in a child process of their own (off the HTTP thread), or inline in this one. */
  EMBEDDED_WORKERS: z.enum(['process', 'inline']).default('process'),
  /**
   * EMBEDDED_WORKERS=process: the worker child's scheduling niceness (0 to 19), so that the HTTP
   * process that acknowledges webhooks gets the CPU first when both want it.
   */
  EMBEDDED_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: databaseUrl,
  DATABASE_SCHEMA: optionalString,
  SQLITE_DRIVER: z.enum(['better-sqlite3', 'sqlite3']).default('better-sqlite3'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().default('satupintu'),
  PUBLIC_URL: optionalString,
  /** Sites that may embed the chat widget's frame, besides PUBLIC_URL's own origin. */
  WIDGET_ALLOWED_ORIGINS: originList,
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_SMS_FROM: optionalString,
  TWILIO_WHATSAPP_FROM: optionalString,
  TWILIO_API_BASE_URL: optionalString,
  TWILIO_WHATSAPP_TEMPLATE_SID: optionalString.pipe(
    z
      .string()
      .regex(/^HX[0-9a-fA-F]{32}$/, 'a Twilio Content SID (HX + 32 hex digits)')
      .optional(),
  ),
  TWILIO_VOICE_FROM: optionalString,
  VOICE_PROMPTS_FILE: optionalString,
  VOICE_GATHER_TIMEOUT_SECONDS: positiveInt(6),
  VOICE_REFERENCE_ATTEMPTS: positiveInt(3),
  VOICE_RECORDING_MAX_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  VOICE_DIAL_TIMEOUT_SECONDS: positiveInt(20),
  CALLBACK_RETRY_DELAYS: z
    .string()
    .default('30m,2h,next_working_day')
    .refine(
      (value) => /^(\d+[mh]|next_working_day)(,(\d+[mh]|next_working_day))*$/.test(value.replace(/\s+/g, '')),
      'a comma-separated list of 30m, 2h or next_working_day',
    ),
  CALLBACK_PASS_INTERVAL_MS: positiveInt(15000),
  SMTP_HOST: optionalString,
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  EMAIL_INBOUND_ADDRESSES: z.string().default('helpdesk@localhost'),
  EMAIL_MAX_BYTES: positiveInt(25 * 1024 * 1024),
  EMAIL_ATTACHMENT_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  EMAIL_ACK_LIMIT: z.coerce.number().int().min(0).default(3),
  MAX_ATTACHMENTS_PER_MESSAGE: positiveInt(50),
  SMTP_MAX_CLIENTS: positiveInt(100),
  SMTP_SOCKET_TIMEOUT_MS: positiveInt(60_000),
  EMAIL_MEMORY_MAX_BYTES: positiveInt(200 * 1024 * 1024),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  LIVE_STREAMS_PER_TOKEN: positiveInt(5),
  WEBCHAT_SESSION_TTL_HOURS: positiveInt(24),
  WEBCHAT_STREAMS_PER_SESSION: positiveInt(3),
  WEBCHAT_SESSIONS_PER_ADDRESS_HOUR: positiveInt(30),
  WEBCHAT_MESSAGES_PER_SESSION_MINUTE: positiveInt(20),
  WEBCHAT_MESSAGES_PER_ADDRESS_MINUTE: positiveInt(120),
  WEBCHAT_MESSAGES_PER_OFFICE_MINUTE: positiveInt(600),
  WEBCHAT_TRANSCRIPTS_PER_SESSION_HOUR: positiveInt(3),
  EMAIL_TRUSTED_AUTHSERV_IDS: optionalString,
  EMAIL_ACK_UNVERIFIED_DOMAIN_LIMIT: z.coerce.number().int().min(0).default(10),
  EMAIL_ACK_UNVERIFIED_LIMIT: z.coerce.number().int().min(0).default(50),
  SMTP_TLS_KEY_FILE: optionalString,
  SMTP_TLS_CERT_FILE: optionalString,
  SMTP_AUTH_USER: optionalString,
  SMTP_AUTH_PASSWORD: optionalString,
  SMTP_URL: optionalString,
  EMAIL_FROM: z.string().default('Satu Pintu <helpdesk@localhost>'),
  IMAP_URL: optionalString,
  IMAP_POLL_INTERVAL_MS: positiveInt(60000),
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  DEFAULT_REGION: z.string().length(2).default('ID'),
  DEFAULT_LANGUAGE: z.enum(['id', 'en']).default('id'),
  OFFICE_NAME: z.string().default('Satu Pintu'),
  REFERENCE_PREFIX: z.string().default('SP-'),
  TOKEN_TTL_HOURS: positiveInt(12),
  LOGIN_MAX_FAILURES: positiveInt(5),
  LOGIN_LOCK_MINUTES: positiveInt(15),
  TRACK_LOOKUPS_PER_ADDRESS: positiveInt(30),
  TRACK_FAILURES_PER_REFERENCE: positiveInt(10),
  TRACK_WINDOW_MINUTES: positiveInt(60),
  TRACK_UPDATE_INTERVAL_MS: positiveInt(60000),
  INBOUND_CONCURRENCY: positiveInt(200),
  SQLITE_INGEST_TRANSACTION_MS: z.coerce.number().int().min(0).default(8),
  OUTBOUND_CONCURRENCY: positiveInt(50),
  OUTBOUND_MAX_ATTEMPTS: positiveInt(6),
  OUTBOUND_BACKOFF_MS: positiveInt(2000),
  OUTBOX_SEND_LEASE_MS: positiveInt(120000),
  ROUTING_PREFER_PREVIOUS_AGENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  ROUTING_RETURN_ON_OFFLINE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  ROUTING_PASS_INTERVAL_MS: positiveInt(30000),
  LIVE_POLL_INTERVAL_MS: positiveInt(250),
  CLARIFICATION_REMINDER_DAYS: positiveInt(5),
  CLARIFICATION_EXPIRY_DAYS: positiveInt(10),
  CLARIFICATION_PASS_INTERVAL_MS: positiveInt(60000),
  REOPEN_WINDOW_DAYS: positiveInt(7),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
  METRICS_PORT: optionalString
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(z.number().int().min(0).max(65535).optional()),
  SLA_SWEEP_INTERVAL_MS: positiveInt(60000),
  SLA_CONCURRENCY: positiveInt(50),
  SWEEP_INTERVAL_MS: positiveInt(15000),
  SWEEP_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  INBOX_MAX_ATTEMPTS: positiveInt(10),
  SHUTDOWN_TIMEOUT_MS: positiveInt(10000),
  /** The citizens' web form (/lapor): attachments, text, the proof-of-work, the fill time, limits. */
  WEB_ATTACHMENT_MAX_COUNT: z.coerce.number().int().min(0).max(20).default(5),
  WEB_ATTACHMENT_MAX_BYTES: positiveInt(5 * 1024 * 1024),
  WEB_TEXT_MAX_CHARS: positiveInt(5000),
  WEB_POW_MAX_COUNTER: positiveInt(20_000),
  WEB_FORM_MIN_FILL_SECONDS: z.coerce.number().int().min(0).default(3),
  WEB_FORM_MAX_AGE_HOURS: positiveInt(24),
  WEB_LIMIT_WINDOW_MINUTES: positiveInt(60),
  WEB_SUBMISSIONS_PER_ADDRESS: positiveInt(10),
  WEB_SUBMISSIONS_PER_ADDRESS_NO_JS: positiveInt(3),
  WEB_SUBMISSIONS_PER_OFFICE: positiveInt(1000),
  WEB_RECEIPT_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  PRIVACY_CONTACT: optionalString,
  PRIVACY_RETENTION_YEARS: optionalString
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(z.number().int('whole years').min(1).max(100).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

/** The names of every setting; `.env.example` lists exactly these. */
export const SETTING_NAMES = Object.keys(environmentSchema.shape);

export interface Config extends Environment {
  /** Where providers reach us; what Twilio signs its webhooks against. */
  publicUrl: string;
  /** The SQLite file used when DATABASE_URL is unset. */
  sqliteFile: string;
  /** Where the SMTP listener listens: SMTP_HOST, else HOST, else every interface (0.0.0.0). */
  smtpHost: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid settings: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  return {
    ...settings,
    publicUrl: (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/+$/, ''),
    sqliteFile: path.resolve(settings.DATA_DIR, 'satu-pintu.sqlite'),
    smtpHost: settings.SMTP_HOST ?? settings.HOST ?? '0.0.0.0',
  };
}
