import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { RawMessageAdapter } from '../../channels/adapter.js';
import { domainOfMailbox } from '../../channels/email/recipients.js';
import type { Config } from '../config.js';
import type { InboxWriter } from '../inbox/inbox-writer.js';
import type { Logger } from '../logger.js';
import { AttachmentStore } from '../messages/attachment-store.js';
import { ImapPoller } from './imap-poller.js';
import { startSmtpListener, type SmtpListenerSettings } from './smtp-listener.js';

export interface EmailIntakeDeps {
  db: Knex;
  inbox: InboxWriter;
  adapter: RawMessageAdapter;
  logger: Logger;
  now: () => Date;
}

export interface EmailIntake {
  /** The port the SMTP listener is bound to. */
  port: number;
  close(): Promise<void>;
}

/**
 * Starts inbound mail from the settings: the SMTP listener, and the IMAP poller when IMAP_URL is
 * set; both save attachments under DATA_DIR and record through the same path.
 */
export async function startEmailIntake(deps: EmailIntakeDeps, config: Config): Promise<EmailIntake> {
  const store = new AttachmentStore({ dataDir: config.DATA_DIR, maxBytes: config.EMAIL_ATTACHMENT_MAX_BYTES });
  await store.sweepIncoming(STALE_INCOMING_MS); // what a process that died while parsing left
  const settings = await listenerSettings(config);
  if (settings.auth && !settings.tls)
    deps.logger.warn('SMTP AUTH is required but STARTTLS is not configured: passwords travel in clear');
  const listener = await startSmtpListener(
    { ...deps, store, maxAttachments: config.MAX_ATTACHMENTS_PER_MESSAGE },
    settings,
  );
  deps.logger.info(
    { host: config.smtpHost, port: listener.port, tls: Boolean(settings.tls), auth: Boolean(settings.auth) },
    'smtp listener accepting inbound mail',
  );
  const poller = config.IMAP_URL
    ? new ImapPoller(
        { ...deps, store, maxAttachments: config.MAX_ATTACHMENTS_PER_MESSAGE },
        { url: config.IMAP_URL, intervalMs: config.IMAP_POLL_INTERVAL_MS, maxBytes: config.EMAIL_MAX_BYTES },
      )
    : undefined;
  poller?.start();
  return {
    port: listener.port,
    async close() {
      await poller?.stop();
      await listener.close();
    },
  };
}

/** An attachment file still being written after this long was left by a process that died. */
const STALE_INCOMING_MS = 60 * 60_000;

async function listenerSettings(config: Config): Promise<SmtpListenerSettings> {
  const keyFile = config.SMTP_TLS_KEY_FILE;
  const certFile = config.SMTP_TLS_CERT_FILE;
  if (Boolean(keyFile) !== Boolean(certFile))
    throw new Error('SMTP_TLS_KEY_FILE and SMTP_TLS_CERT_FILE must be set together');
  // A budget below the largest mail accepted would take such a mail only when it is alone: a setting mistake.
  if (config.EMAIL_MEMORY_MAX_BYTES < config.EMAIL_MAX_BYTES)
    throw new Error('EMAIL_MEMORY_MAX_BYTES must be at least EMAIL_MAX_BYTES (the largest mail accepted)');
  if (config.SMTP_AUTH_USER && !config.SMTP_AUTH_PASSWORD)
    throw new Error('SMTP_AUTH_USER is set without SMTP_AUTH_PASSWORD');
  const replyDomain = domainOfMailbox(config.EMAIL_FROM);
  return {
    host: config.smtpHost,
    port: config.SMTP_PORT,
    maxBytes: config.EMAIL_MAX_BYTES,
    maxClients: config.SMTP_MAX_CLIENTS,
    socketTimeoutMs: config.SMTP_SOCKET_TIMEOUT_MS,
    memoryMaxBytes: config.EMAIL_MEMORY_MAX_BYTES,
    spoolDir: path.join(config.DATA_DIR, 'spool'),
    inboundAddresses: config.EMAIL_INBOUND_ADDRESSES.split(',')
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    replyDomains: replyDomain ? [replyDomain] : [],
    ...(keyFile && certFile ? { tls: { key: await readFile(keyFile), cert: await readFile(certFile) } } : {}),
    ...(config.SMTP_AUTH_USER ? { auth: { user: config.SMTP_AUTH_USER, password: config.SMTP_AUTH_PASSWORD! } } : {}),
  };
}
