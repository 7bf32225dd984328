import { ImapFlow } from 'imapflow';
import { ValidationError } from '../errors.js';
import { recordMail, type MailRecorderDeps } from './record-mail.js';

export interface ImapPollerSettings {
  /** IMAP_URL: `imap://user:password@host[:143]/Mailbox` (STARTTLS when offered) or `imaps://…[:993]`. */
  url: string;
  intervalMs: number;
  /** EMAIL_MAX_BYTES: larger mail is left unread in the mailbox, with a warning. */
  maxBytes: number;
}

/** At most this many mails per poll, so one poll never holds the mailbox for long. */
const BATCH = 100;

/**
 * Polls an existing mailbox for unseen mail: the option for an office whose mail stays with its
 * provider. Each mail takes the SMTP listener's path (parse, attachments, reports, inbox) and is
 * marked \Seen only once that is committed; a mail that fails stays unseen and is fetched again
 * next time, and its Message-ID makes the retry a no-op if it was recorded after all.
 */
export class ImapPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: MailRecorderDeps & { now: () => Date },
    private readonly settings: ImapPollerSettings,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.pollOnce()
        .catch((error: Error) =>
          this.deps.logger.warn(
            { err: error, mailbox: describe(this.settings.url) },
            'imap poll failed; trying again later',
          ),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.settings.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the unseen mail; returns how many mails were recorded and marked seen. */
  async pollOnce(): Promise<number> {
    const { client, mailbox } = connect(this.settings.url);
    client.on('error', (error: Error) => this.deps.logger.warn({ err: error }, 'imap connection problem'));
    await client.connect();
    try {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const unseen = ((await client.search({ seen: false }, { uid: true })) || []).slice(0, BATCH);
        let recorded = 0;
        for (const uid of unseen) if (await this.take(client, uid)) recorded += 1;
        return recorded;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  private async take(client: ImapFlow, uid: number): Promise<boolean> {
    const found = await client.fetchOne(String(uid), { size: true }, { uid: true });
    if (!found) return false;
    if ((found.size ?? 0) > this.settings.maxBytes) {
      this.deps.logger.warn(
        { uid, bytes: found.size },
        'mail in the polled mailbox is over EMAIL_MAX_BYTES; left unread there',
      );
      return false;
    }
    const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
    if (!message || !message.source) return false;
    try {
      await recordMail(this.deps, message.source, this.deps.now());
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error; // a database or disk failure: stop this pass, retry later
      // Never recordable (no sender at all): marked seen so it is not fetched forever; it stays in the mailbox.
      this.deps.logger.warn(
        { err: error, uid },
        'mail in the polled mailbox cannot be recorded; marked seen and left there',
      );
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    return true;
  }
}

function connect(url: string): { client: ImapFlow; mailbox: string } {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  if (!secure && parsed.protocol !== 'imap:') throw new Error('IMAP_URL must start with imap:// or imaps://');
  const client = new ImapFlow({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    logger: false,
  });
  return { client, mailbox: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX' };
}

/** The mailbox without its credentials, for logs. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
