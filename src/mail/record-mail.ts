import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { AttachmentSink, ParsedRaw, RawMessageAdapter } from '../../channels/adapter.js';
import { fromAdapterError, ValidationError } from '../errors.js';
import type { InboxWriter } from '../inbox/inbox-writer.js';
import type { Logger } from '../logger.js';
import { applyDeliveryStatuses } from '../messages/delivery-status.js';
import type { AttachmentStore, IncomingAttachments } from '../messages/attachment-store.js';
import { countedParse, MailDeferredError, type MailMemory } from './mail-memory.js';

export interface MailRecorderDeps {
  db: Knex;
  inbox: InboxWriter;
  adapter: RawMessageAdapter;
  store: AttachmentStore;
  logger: Logger;
  /** MAX_ATTACHMENTS_PER_MESSAGE: a mail with more is refused for good (552 at SMTP). */
  maxAttachments?: number;
}

/** MAX_ATTACHMENTS_PER_MESSAGE's default. */
export const DEFAULT_MAX_ATTACHMENTS = 50;

/** A mail that carries more attachments than a message may have: permanent, never retried. */
export class TooManyAttachmentsError extends ValidationError {
  constructor(count: number, limit: number) {
    super(`The mail carries ${count} attachments; at most ${limit} are accepted per message`, { count, limit });
  }
}

export interface RecordedMail {
  /** Inbox rows of the contacts the mail carried (a duplicate points at the earlier row). */
  inboxIds: number[];
  duplicate: boolean;
  /** Delivery reports (bounces) applied to messages of ours. */
  statusesApplied: number;
}

/**
 * One whole mail into the record: parse (pure, in the adapter), save its attachments, apply the
 * delivery reports it carries, and commit its contacts to the inbox (group commit, then the
 * inbound queue). Resolves only once everything is durable; the caller acknowledges the mail
 * (SMTP 250, IMAP \Seen) only then. Throws on any failure, so that the mail is offered again.
 *
 * The mail is read once, whole or as a stream (the SMTP listener's spool file); its attachments
 * go to files under DATA_DIR as they are parsed (AttachmentStore.incoming), never whole in memory.
 */
export async function recordMail(
  deps: MailRecorderDeps,
  raw: Buffer | Readable,
  receivedAt: Date,
  memory?: MailMemory,
): Promise<RecordedMail> {
  // Before anything is kept: a mail of 600 parts is refused whole, with a reason its sender reads.
  const limit = deps.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  const incoming = deps.store.incoming({ maxAttachments: limit });
  try {
    const counted =
      memory && !Buffer.isBuffer(raw)
        ? countedParse(raw, incoming.sink, memory, deps.store.maxBytes)
        : { raw, sink: incoming.sink };
    return await record(deps, await parseOnce(deps.adapter, counted.raw, receivedAt, counted.sink, incoming), limit);
  } finally {
    await incoming.discard();
  }
}

async function record(deps: MailRecorderDeps, parsed: ParsedRaw, limit: number): Promise<RecordedMail> {
  const count = Math.max(0, ...parsed.envelopes.map((envelope) => envelope.attachments.length));
  if (count > limit) throw new TooManyAttachmentsError(count, limit);
  const envelopes = await deps.store.storeAll(parsed.envelopes);
  let statusesApplied = 0;
  if (parsed.statuses.length > 0) {
    statusesApplied = await applyDeliveryStatuses(deps.db, deps.adapter.provider, parsed.statuses);
    if (statusesApplied < parsed.statuses.length) {
      // A report on a message we never sent (or already marked): nothing to change, worth a line.
      deps.logger.info(
        { reports: parsed.statuses.length, applied: statusesApplied },
        'delivery report on a message we do not know',
      );
    }
  }
  if (envelopes.length === 0 && parsed.statuses.length === 0) {
    deps.logger.info(
      {},
      'mail is neither a contact nor a report on our mail (an unidentifiable bounce, or our own mail come back); not recorded',
    );
  }
  const recorded = await deps.inbox.record(envelopes);
  return {
    inboxIds: recorded.map((row) => row.id),
    duplicate: recorded.length > 0 && recorded.every((row) => row.duplicate),
    statusesApplied,
  };
}

/**
 * Parsing is a function of the bytes alone: a mail the parser fails on fails on every retry, so
 * any parse failure is permanent (a ValidationError, answered 5xx), never a reason to retry. Not so
 * a failure to write an attachment or to read the mail (a disk problem): that one is retried.
 */
async function parseOnce(
  adapter: RawMessageAdapter,
  raw: Buffer | Readable,
  receivedAt: Date,
  sink: AttachmentSink,
  incoming: IncomingAttachments,
): Promise<ParsedRaw> {
  let unreadable: Error | undefined;
  if (!Buffer.isBuffer(raw)) raw.once('error', (error) => (unreadable = error));
  try {
    return await adapter.parseRaw(raw, receivedAt, sink);
  } catch (thrown) {
    if (thrown instanceof MailDeferredError) throw thrown;
    // The adapter's MalformedPayloadError (no sender...) is a ValidationError here, its message kept.
    const error = fromAdapterError(thrown);
    if (error instanceof ValidationError || incoming.failed || unreadable) throw unreadable ?? error;
    throw new ValidationError(`The mail could not be parsed: ${(error as Error).message}`);
  }
}
