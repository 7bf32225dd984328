import { type Readable, Transform } from 'node:stream';
import type { AttachmentSink } from '../../channels/adapter.js';

/**
 * Memory a mail's parse and record hold per byte of it that is not an attachment streamed to disk:
 * its text and headers, and any part mailparser decodes whole (quoted-printable: libqp buffers a
 * part before it decodes it). Measured on a 20.5 MB quoted-printable text mail through the SMTP
 * listener: 165-174 MB of peak RSS growth, 8.1 to 8.5 times its size
 * (test/email/smtp-listener-memory.test.ts). The base64 of an attachment, a third more than its
 * bytes, is counted here too: what its decoding and the streams' buffers hold.
 */
export const TEXT_MEMORY_FACTOR = 9;

/**
 * Memory the attachment policy takes to sniff a kept attachment, per byte of it: the file read
 * back, and its latin1 text lower-cased for the macro checks. One attachment at a time.
 */
export const SNIFF_MEMORY_FACTOR = 3;

/** A mail the budget cannot take now: the SMTP client is told 452 4.3.1 and retries later. */
export class MailDeferredError extends Error {
  constructor() {
    super('Too much mail in progress here, please retry later');
    this.name = 'MailDeferredError';
  }
}

/** One mail's share of the budget. */
export interface MailMemory {
  /** The mail now needs `bytes` in all (its count never goes down); false when the budget has no room. */
  hold(bytes: number): boolean;
  /** The mail is recorded (or not): its share is given back. */
  release(): void;
}

/**
 * EMAIL_MEMORY_MAX_BYTES over every mail a process parses at once, counted as the parses go (what
 * a parse holds depends on what the mail carries, known only while it is read). A mail whose count
 * would take the total beyond the budget is deferred, unless it is the eldest parse counted: that
 * one always goes on, so that mails parsed side by side cannot all defer one another, and a mail
 * the budget cannot hold at all is taken when it is alone, never refused for ever. (The eldest may
 * take the total beyond the budget by what the others hold until they next grow, and are deferred.)
 */
export class MailMemoryBudget {
  private held = 0;
  /** Each open mail's count, the eldest first. */
  private readonly shares = new Set<{ bytes: number }>();

  constructor(private readonly maxBytes: number) {}

  get heldBytes(): number {
    return this.held;
  }

  open(): MailMemory {
    const share = { bytes: 0 };
    this.shares.add(share);
    return {
      hold: (bytes) => {
        if (bytes <= share.bytes) return true;
        const eldest = this.shares.values().next().value === share;
        if (!eldest && this.held - share.bytes + bytes > this.maxBytes) return false;
        this.held += bytes - share.bytes;
        share.bytes = bytes;
        return true;
      },
      release: () => {
        if (!this.shares.delete(share)) return;
        this.held -= share.bytes;
        share.bytes = 0;
      },
    };
  }
}

/**
 * Counts one mail's parse against its share: the bytes fed to the parser and not yet handed to the
 * attachment sink (text, headers, a part decoded whole), TEXT_MEMORY_FACTOR times, and the largest
 * attachment the store will sniff (up to `sniffMaxBytes`), SNIFF_MEMORY_FACTOR times. When the
 * share cannot grow, the mail's stream fails with MailDeferredError, which stops the parse.
 */
export function countedParse(
  raw: Readable,
  sink: AttachmentSink,
  memory: MailMemory,
  sniffMaxBytes: number,
): { raw: Readable; sink: AttachmentSink } {
  let fed = 0;
  let sunk = 0;
  let sniffed = 0;
  const fits = () =>
    memory.hold(TEXT_MEMORY_FACTOR * Math.max(0, fed - sunk) + SNIFF_MEMORY_FACTOR * Math.min(sniffed, sniffMaxBytes));
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      fed += chunk.length;
      if (!fits()) return done(new MailDeferredError());
      done(null, chunk);
    },
  });
  raw.once('error', (error) => counted.destroy(error));
  counted.once('close', () => raw.destroy()); // a parse stopped early leaves no file open
  raw.pipe(counted);
  const countingSink: AttachmentSink = (part) => {
    let size = 0;
    const content = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        sunk += chunk.length;
        done(null, chunk);
      },
      flush(done) {
        if (size <= sniffMaxBytes) sniffed = Math.max(sniffed, size);
        done(fits() ? null : new MailDeferredError());
      },
    });
    part.content.once('error', (error) => content.destroy(error));
    part.content.pipe(content);
    return sink({ ...part, content });
  };
  return { raw: counted, sink: countingSink };
}
