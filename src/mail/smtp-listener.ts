import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
// The same rule decides which recipients we accept here and which the parser calls ours.
import { OurAddresses } from '../../channels/email/recipients.js';
import { ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MailDeferredError, MailMemoryBudget } from './mail-memory.js';
import { recordMail, TooManyAttachmentsError, type MailRecorderDeps } from './record-mail.js';

export interface SmtpListenerSettings {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** EMAIL_MAX_BYTES: larger mail is refused with 552. */
  maxBytes: number;
  /** EMAIL_INBOUND_ADDRESSES: addresses and @domains; reply+…@ their domains too. */
  inboundAddresses: string[];
  /** More domains of our reply+ addresses (that of EMAIL_FROM). */
  replyDomains: string[];
  /** STARTTLS, when both are set. */
  tls?: { key: Buffer; cert: Buffer };
  /** AUTH required when set; otherwise no AUTH at all. */
  auth?: { user: string; password: string };
  /** SMTP_MAX_CLIENTS: connections beyond this many get 421 and are closed. */
  maxClients?: number;
  /** SMTP_SOCKET_TIMEOUT_MS: an idle or stalled connection is closed after this. */
  socketTimeoutMs?: number;
  /**
   * EMAIL_MEMORY_MAX_BYTES: memory the mail being parsed and recorded may take across all sessions
   * (src/mail/mail-memory.ts). A mail arrives into a spool file, not memory; while it is parsed it
   * counts what its parse holds (its text and headers 9 times, the attachment being sniffed 3
   * times; attachments stream to disk), until it is recorded. A mail that would take the count
   * beyond gets 452 4.3.1, which the sending MTA retries later; one that is alone is always taken.
   */
  memoryMaxBytes?: number;
  /** Where mail is spooled while it arrives (DATA_DIR/spool); the system's temporary folder by default. */
  spoolDir?: string;
}

/** A spool file older than this belonged to a process that died: removed at start. */
const STALE_SPOOL_MS = 60 * 60_000;

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The built-in SMTP listener: the help desk's MX (or the relay's next hop). It accepts mail only for
 * our addresses, so it is never an open relay, and answers 250 only once the mail is recorded: a
 * mail it acknowledged is never lost. Any failure is a 451, so the sending MTA tries again later;
 * only a mail that can never be recorded (no sender at all) is refused for good.
 */
export async function startSmtpListener(
  deps: MailRecorderDeps & { now: () => Date },
  settings: SmtpListenerSettings,
): Promise<SmtpListener> {
  const ours = new OurAddresses(settings.inboundAddresses, settings.replyDomains);
  const logger: Logger = deps.logger;
  const memoryMax = settings.memoryMaxBytes ?? Number.POSITIVE_INFINITY;
  const spoolDir = settings.spoolDir ?? path.join(os.tmpdir(), 'satu-pintu-spool');
  await mkdir(spoolDir, { recursive: true });
  await removeStaleSpool(spoolDir, logger);
  const budget = new MailMemoryBudget(memoryMax); // what the mail being parsed and recorded holds
  const server = new SMTPServer({
    banner: 'Satu Pintu',
    size: settings.maxBytes,
    logger: false,
    disableReverseLookup: true, // no DNS per connection; loopback and private clients are fine
    closeTimeout: 5000,
    ...(settings.maxClients ? { maxClients: settings.maxClients } : {}),
    ...(settings.socketTimeoutMs ? { socketTimeout: settings.socketTimeoutMs } : {}),
    authOptional: !settings.auth,
    disabledCommands: [...(settings.auth ? [] : ['AUTH']), ...(settings.tls ? [] : ['STARTTLS'])],
    // Without TLS a required password can only travel in clear (a trusted internal hop).
    allowInsecureAuth: !settings.tls,
    ...(settings.tls ? { key: settings.tls.key, cert: settings.tls.cert } : {}),

    onAuth(auth, _session, callback) {
      const expected = settings.auth;
      const ok =
        expected !== undefined &&
        same(auth.username ?? '', expected.user) &&
        same(auth.password ?? '', expected.password);
      callback(
        ok ? null : smtpError(535, '5.7.8 Authentication credentials invalid'),
        ok ? { user: auth.username } : undefined,
      );
    },

    onRcptTo(address, _session, callback) {
      if (ours.isOurs(address.address)) return callback();
      callback(smtpError(550, '5.7.1 Recipient not accepted here: this server relays for nobody'));
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const receivedAt = deps.now();
      const spool = path.join(spoolDir, `${randomBytes(8).toString('hex')}.eml`);
      let size = 0;
      const upTo = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, size <= settings.maxBytes ? chunk : undefined); // beyond: drained, not kept
        },
      });
      const answer = (error: Error | null, message?: string) => {
        rm(spool, { force: true })
          .catch((failure: Error) => logger.warn({ err: failure }, 'mail spool file not removed'))
          .finally(() => callback(error, message));
      };
      stream.once('error', (error) => upTo.destroy(error));
      const file = createWriteStream(spool, { flags: 'wx' }); // transient: never synced, gone once answered
      file.write(traceHeaders(session));
      // Not pipeline(stream, …): a failure must leave smtp-server's stream to be drained, not destroyed.
      stream.pipe(upTo);
      const spooled = pipeline(upTo, file);
      spooled.then(
        () => {
          if (stream.sizeExceeded) {
            return answer(smtpError(552, `5.3.4 Message exceeds the limit of ${settings.maxBytes} bytes`));
          }
          const memory = budget.open();
          const source = createReadStream(spool);
          recordMail(deps, source, receivedAt, memory)
            .finally(() => {
              memory.release();
              source.destroy(); // read to its end, or given up: its file is closed either way
            })
            .then(
              (outcome) => {
                logger.debug(
                  { inboxIds: outcome.inboxIds, duplicate: outcome.duplicate, statuses: outcome.statusesApplied },
                  'mail recorded',
                );
                answer(null, outcome.duplicate ? 'Already recorded' : 'Recorded');
              },
              (error: Error) => {
                if (error instanceof MailDeferredError) {
                  logger.warn(
                    { bytes: size, heldBytes: budget.heldBytes },
                    'mail deferred: too much mail in memory at once',
                  );
                  return answer(smtpError(452, `4.3.1 ${error.message}`));
                }
                if (error instanceof TooManyAttachmentsError) {
                  logger.warn({ err: error }, 'mail refused: too many attachments');
                  return answer(smtpError(552, `5.3.4 ${error.message}`));
                }
                if (error instanceof ValidationError) {
                  logger.warn({ err: error, from: session.envelope.mailFrom || null }, 'mail refused');
                  return answer(smtpError(550, `5.6.0 ${error.message}`));
                }
                logger.error({ err: error }, 'mail not recorded; answered 451 so that the sender retries');
                answer(smtpError(451, '4.3.0 Temporary failure recording the message, please retry'));
              },
            );
        },
        (error: Error) => {
          stream.unpipe(upTo);
          stream.resume(); // whatever is left of the DATA, read to its end
          logger.error({ err: error }, 'mail not spooled; answered 451 so that the sender retries');
          answer(smtpError(451, `4.3.0 ${error.message}`));
        },
      );
    },
  });
  // The socket's errors come here too: one while listening is the caller's to report, once.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.warn({ err: error }, 'smtp listener connection problem'));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Removes the spool files a process that died left (older than STALE_SPOOL_MS). */
async function removeStaleSpool(spoolDir: string, logger: Logger): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(spoolDir).catch(() => [] as string[])) {
    if (!name.endsWith('.eml')) continue;
    const file = path.join(spoolDir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_SPOOL_MS) {
      await rm(file, { force: true }).catch((error: Error) => logger.warn({ err: error }, 'stale spool file kept'));
    }
  }
}

/**
 * What an MTA writes on delivery: the envelope sender (Return-Path, `<>` for reports and
 * auto-replies) and each envelope recipient (Delivered-To: a Bcc to us names us nowhere else).
 */
function traceHeaders(session: SMTPServerSession): Buffer {
  const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
  const lines = [
    `Return-Path: <${sender}>`,
    ...session.envelope.rcptTo.map((recipient) => `Delivered-To: ${recipient.address}`),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
