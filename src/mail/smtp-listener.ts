import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
// The same rule decides which recipients we accept here and which the parser calls ours.
import { OurAddresses } from '../../channels/email/recipients.js';
import { ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
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
   * EMAIL_MEMORY_MAX_BYTES: mail bytes held in memory across all sessions, from the first byte
   * until the mail is recorded (parsing takes several times the mail's size). A mail that would
   * go beyond gets 452 4.3.1, which the sending MTA retries later.
   */
  memoryMaxBytes?: number;
}

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
  let held = 0; // bytes of mail this listener keeps in memory, over every session
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
      const chunks: Buffer[] = [];
      let size = 0;
      let mine = 0; // of `held`, this session's
      let overBudget = false;
      const release = () => {
        held -= mine;
        mine = 0;
        chunks.length = 0;
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (overBudget || size > settings.maxBytes) return; // drain without keeping
        if (held + chunk.length > memoryMax) {
          overBudget = true;
          return release();
        }
        chunks.push(chunk);
        mine += chunk.length;
        held += chunk.length;
      });
      stream.once('error', (error) => {
        release();
        callback(smtpError(451, `4.3.0 ${error.message}`));
      });
      stream.once('end', () => {
        if (stream.sizeExceeded) {
          release();
          return callback(smtpError(552, `5.3.4 Message exceeds the limit of ${settings.maxBytes} bytes`));
        }
        if (overBudget) {
          logger.warn({ bytes: size, heldBytes: held }, 'mail deferred: too much mail in memory at once');
          return callback(smtpError(452, '4.3.1 Too much mail in progress here, please retry later'));
        }
        const raw = Buffer.concat([traceHeaders(session), ...chunks]);
        chunks.length = 0;
        recordMail(deps, raw, receivedAt)
          .finally(release)
          .then(
            (outcome) => {
              logger.debug(
                { inboxIds: outcome.inboxIds, duplicate: outcome.duplicate, statuses: outcome.statusesApplied },
                'mail recorded',
              );
              callback(null, outcome.duplicate ? 'Already recorded' : 'Recorded');
            },
            (error: Error) => {
              if (error instanceof TooManyAttachmentsError) {
                logger.warn({ err: error }, 'mail refused: too many attachments');
                return callback(smtpError(552, `5.3.4 ${error.message}`));
              }
              if (error instanceof ValidationError) {
                logger.warn({ err: error, from: session.envelope.mailFrom || null }, 'mail refused');
                return callback(smtpError(550, `5.6.0 ${error.message}`));
              }
              logger.error({ err: error }, 'mail not recorded; answered 451 so that the sender retries');
              callback(smtpError(451, '4.3.0 Temporary failure recording the message, please retry'));
            },
          );
      });
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
