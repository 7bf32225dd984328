import path from 'node:path';
import type { Knex } from 'knex';
import type { ChannelAdapter, ChannelKind, OutboundMessage, SendResult } from '../../channels/adapter.js';
import type { ChannelRegistry } from '../../channels/registry.js';
import { GroupCommitter } from '../db/group-commit.js';
import { fromJson } from '../db/rows.js';
import { ProviderError, ProviderNotConfiguredError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { PipelineMetrics } from '../metrics/prometheus.js';
import {
  DEFAULT_MAIL_DISPATCH,
  mailFieldsFor,
  type MailDispatchSettings,
  type MailFields,
} from '../mail/outbound-headers.js';
import { appendEvents } from '../tickets/events.js';
import { maskProviderError } from './provider-error-text.js';

export interface DispatchContext {
  db: Knex;
  channels: ChannelRegistry;
  logger: Logger;
  statusCallbackUrl: (provider: string) => string;
  now: () => Date;
  /** EMAIL_FROM and REFERENCE_PREFIX, for the headers of outbound mail (defaults: theirs). */
  mail?: MailDispatchSettings;
  /** DATA_DIR, where the files attached to outbound mail are kept. */
  dataDir?: string;
  /**
   * OUTBOX_SEND_LEASE_MS: how long a claimed send belongs to the run that claimed it. Longer than any
   * provider call may take (their clients time out first: Twilio's after 30 s, the SMTP transport's in
   * channels/email/send.ts), so a run still at the provider is never doubled; once it has passed, the
   * claimant is taken for dead and the entry is reconciled.
   */
  sendLeaseMs: number;
  /** Counts each attempt's outcome by channel (GET /metrics). */
  metrics?: Pick<PipelineMetrics, 'outboundFinished'>;
}

export type DispatchOutcome = 'sent' | 'failed' | 'not_delivered' | 'skipped';

/**
 * `sending` is written before the provider call and stays until its outcome is recorded: an entry
 * found in it was perhaps accepted by the provider (the worker died, the connection dropped), so it
 * is reconciled with the provider before any new attempt.
 */
const UNSENT = new Set(['pending', 'sending']);

/** Provider clocks drift; a message accepted a little "before" it was queued is still ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

interface OutboxEntry {
  id: number;
  status: string;
  attempts: number;
  /** When the entry was queued: the earliest a provider can have accepted it. */
  queued_at: Date | string;
  /** When its send was claimed (status `sending`). */
  sending_since: Date | string | null;
  /** This run's claim, once it holds one. */
  claimedAt?: Date;
  message_id: number;
  ticket_id: number;
  channel: string;
  address: string;
  body: string;
  /** JSON of an approved template to send instead of the body. */
  template: unknown;
  kind: string;
  reference: string;
  ticket_subject: string | null;
  ticket_language: string;
  /** Mail only: the files to attach. */
  files?: OutboundMessage['attachments'];
  /** Mail only: subject and threading headers. */
  mail?: MailFields;
}

interface SentRecord {
  entry: OutboxEntry;
  provider: string;
  result: SendResult;
}

/**
 * Sends outbox entries through their channel's adapter and records the outcome on the message,
 * the outbox and the ticket's timeline. Entries are read and successful sends recorded in groups
 * (group commit), so the database work per message shrinks as load grows; provider calls stay one
 * per message. A transient failure is rethrown for the queue to retry with backoff, unless this
 * was the last attempt.
 */
export class OutboxDispatcher {
  private readonly loader: GroupCommitter<number, OutboxEntry | undefined>;
  private readonly recorder: GroupCommitter<SentRecord, undefined>;

  constructor(private readonly context: DispatchContext) {
    const { db } = context;
    this.loader = new GroupCommitter(async (ids) => {
      const rows: OutboxEntry[] = await db('outbox as o')
        .join('messages as m', 'm.id', 'o.message_id')
        .join('tickets as t', 't.id', 'm.ticket_id')
        .whereIn('o.id', ids)
        .select(
          'o.id',
          'o.status',
          'o.attempts',
          'o.created_at as queued_at',
          'o.sending_since',
          'm.id as message_id',
          'm.ticket_id',
          'm.channel',
          'm.address',
          'm.body',
          'm.kind',
          'm.template',
        )
        .select('t.reference', 't.subject as ticket_subject', 't.language as ticket_language');
      // Mail needs the ticket's mail history for its headers: one more query for the whole group.
      const mails = rows.filter((row) => row.channel === 'email' && UNSENT.has(row.status));
      const fields = await mailFieldsFor(db, mails, context.mail ?? DEFAULT_MAIL_DISPATCH);
      for (const row of mails) row.mail = fields.get(Number(row.message_id));
      await attachFiles(db, mails, context.dataDir);
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      return ids.map((id) => byId.get(id));
    });
    this.recorder = new GroupCommitter(async (records) => {
      await recordSent(db, records, context.now());
      return records.map(() => undefined);
    });
  }

  async dispatch(outboxId: number, isLastAttempt: boolean): Promise<DispatchOutcome> {
    const entry = await this.loader.submit(outboxId);
    if (!entry || !UNSENT.has(entry.status)) {
      this.context.metrics?.outboundFinished(entry?.channel ?? 'unknown', 'skipped');
      return 'skipped'; // already sent, or given up: never twice
    }

    const channel = entry.channel as ChannelKind;
    const adapter = this.context.channels.forChannel(channel);
    try {
      if (!adapter) throw new ProviderNotConfiguredError(`The ${channel} channel`);
      if (entry.status === 'sending' && !this.claimLapsed(entry.sending_since)) {
        this.context.metrics?.outboundFinished(channel, 'skipped');
        return 'skipped'; // another run holds it; should that run die, the sweeper signals it again
      }
      if (entry.status === 'sending' && adapter.findSent) {
        const found = await this.findSent(entry, adapter.provider, adapter.findSent.bind(adapter));
        if (found) {
          await this.recorder.submit({ entry, provider: adapter.provider, result: found });
          this.context.logger.info({ messageId: entry.message_id }, 'send of unknown outcome found at the provider');
          this.context.metrics?.outboundFinished(channel, 'sent');
          return 'sent';
        }
      }
      if (!(await this.claimSend(entry))) {
        this.context.metrics?.outboundFinished(channel, 'skipped');
        return 'skipped'; // another run claimed or finished it meanwhile
      }
      const result = await adapter.send({
        channel,
        to: entry.address,
        body: entry.body,
        statusCallbackUrl: withMessageReference(this.context.statusCallbackUrl(adapter.provider), entry.message_id),
        template: entry.template ? fromJson<NonNullable<OutboundMessage['template']>>(entry.template) : undefined,
        ...entry.mail,
        attachments: entry.files,
      });
      await this.recorder.submit({ entry, provider: adapter.provider, result });
      this.context.metrics?.outboundFinished(channel, 'sent');
      return 'sent';
    } catch (error) {
      if (!(error instanceof ProviderError)) {
        // Recording failed (a database connection cut after the provider call): the retry reconciles.
        await this.releaseClaim(entry).catch(() => undefined); // else the lease lapses
        throw error;
      }
      maskProviderError(error); // before it is stored, logged or rethrown: it may quote the citizen's number
      const notConfigured = error instanceof ProviderNotConfiguredError;
      if (!notConfigured && !error.permanent && !isLastAttempt) {
        await this.releaseClaim(entry, { attempts: entry.attempts + 1, last_error: error.message });
        this.context.metrics?.outboundFinished(channel, 'retrying');
        throw error; // transient: the queue retries with backoff
      }
      const outcome = notConfigured ? 'not_delivered' : 'failed';
      await this.recordGiveUp(entry, error, outcome);
      this.context.metrics?.outboundFinished(channel, outcome);
      return outcome;
    }
  }

  /**
   * The provider's record of a send whose outcome is unknown. Accepted no earlier than the claim on
   * record (every earlier claim was itself reconciled before it was made; with none, the entry's
   * queueing), and not a send already recorded as another of our messages (an identical text sent
   * before: the provider cannot tell them apart, our record can).
   */
  private async findSent(
    entry: OutboxEntry,
    provider: string,
    find: NonNullable<ChannelAdapter['findSent']>,
  ): Promise<SendResult | undefined> {
    const claimed = new Date(entry.sending_since ?? entry.queued_at).getTime();
    const candidates = await find({
      channel: entry.channel as ChannelKind,
      to: entry.address,
      body: entry.body,
      template: entry.template ? fromJson<NonNullable<OutboundMessage['template']>>(entry.template) : undefined,
      since: new Date(claimed - CLOCK_SKEW_MS),
      reference: String(entry.message_id),
    });
    if (candidates.length === 0) return undefined;
    const taken = new Set<string>(
      await this.context
        .db('messages')
        .where({ provider })
        .whereIn(
          'provider_message_id',
          candidates.map((candidate) => candidate.providerMessageId),
        )
        .whereNot({ id: entry.message_id })
        .pluck('provider_message_id'),
    );
    return candidates.find((candidate) => !taken.has(candidate.providerMessageId));
  }

  /**
   * Claims the send before the provider call, as a compare-and-set on what this run read: a pending
   * entry, or a `sending` one whose claim has lapsed. Of two runs that read the same row, the
   * database lets one update it (PostgreSQL re-reads the row the other changed; SQLite writes one at
   * a time); the other gets false and sends nothing.
   */
  private async claimSend(entry: OutboxEntry): Promise<boolean> {
    const now = this.context.now();
    const lapsedBefore = this.claimsLapsedBefore(now);
    const claim = this.context.db('outbox').where({ id: entry.id });
    if (entry.status === 'pending') claim.where({ status: 'pending' });
    else
      claim
        .where({ status: 'sending' })
        .where((lapsed) => lapsed.whereNull('sending_since').orWhere('sending_since', '<=', lapsedBefore));
    const updated = await claim.update({ status: 'sending', sending_since: now });
    if (Number(updated) === 0) return false;
    entry.claimedAt = now;
    return true;
  }

  /**
   * Gives this run's claim back for the retry, with what else the failure records. The provider may
   * have taken the message all the same, so the entry stays `sending` and the retry asks it first.
   */
  private async releaseClaim(entry: OutboxEntry, failure: Record<string, unknown> = {}): Promise<void> {
    const row = this.context.db('outbox').where({ id: entry.id });
    if (!entry.claimedAt) {
      if (Object.keys(failure).length > 0) await row.update(failure);
      return;
    }
    await row.where({ sending_since: entry.claimedAt }).update({ ...failure, sending_since: null });
  }

  /** Whether a claim read from the row belongs to nobody any more (none, or older than the lease). */
  private claimLapsed(sendingSince: Date | string | null): boolean {
    if (sendingSince === null || sendingSince === undefined) return true;
    return new Date(sendingSince) <= this.claimsLapsedBefore(this.context.now());
  }

  /** Claims made at or before this time have outlived the lease. */
  private claimsLapsedBefore(now: Date): Date {
    return new Date(now.getTime() - this.context.sendLeaseMs);
  }

  private async recordGiveUp(
    entry: OutboxEntry,
    error: ProviderError,
    outcome: 'failed' | 'not_delivered',
  ): Promise<void> {
    const at = this.context.now();
    await this.context.db.transaction(async (trx) => {
      await trx('messages')
        .where({ id: entry.message_id })
        .update({
          delivery_status: outcome,
          error_code: error.providerCode ?? null,
          error_message: error.message,
          status_at: at,
        });
      await trx('outbox')
        .where({ id: entry.id })
        .update({ status: outcome, attempts: entry.attempts + 1, last_error: error.message, finished_at: at });
      await appendEvents(trx, [
        {
          ticketId: entry.ticket_id,
          type: outcome === 'failed' ? 'delivery_failed' : 'delivery_not_configured',
          actorType: 'system',
          data: {
            message_id: entry.message_id,
            channel: entry.channel as ChannelKind,
            code: error.providerCode ?? null,
            reason: error.message,
          },
          at,
        },
      ]);
    });
    const { logger } = this.context;
    const log = outcome === 'failed' ? logger.error.bind(logger) : logger.warn.bind(logger);
    log(
      { messageId: entry.message_id, ticketId: entry.ticket_id, code: error.providerCode },
      `outbound message not delivered: ${error.message}`,
    );
  }
}

/** Our message id in the status-callback URL: a report can be tied to the message even before its provider id is. */
function withMessageReference(url: string, messageId: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}message=${messageId}`;
}

/** The files of a group's mail, one query for the whole group; paths under DATA_DIR. */
async function attachFiles(db: Knex, mails: OutboxEntry[], dataDir = './data'): Promise<void> {
  if (mails.length === 0) return;
  const files = await db('attachments')
    .whereIn(
      'message_id',
      mails.map((mail) => mail.message_id),
    )
    .where({ storage: 'local' })
    .orderBy('id')
    .select('message_id', 'url', 'filename', 'content_type');
  for (const mail of mails) {
    const own = files.filter((file) => Number(file.message_id) === Number(mail.message_id));
    if (own.length === 0) continue;
    mail.files = own.map((file) => ({
      path: path.resolve(dataDir, file.url),
      filename: file.filename ?? path.basename(file.url),
      contentType: file.content_type ?? undefined,
    }));
  }
}

/** Successful sends of a group: two UPDATEs whatever the group's size. */
async function recordSent(db: Knex, records: SentRecord[], at: Date): Promise<void> {
  const caseOf = (pick: (record: SentRecord) => string) => ({
    sql: `case id ${records.map(() => 'when ? then ?').join(' ')} end`,
    bindings: records.flatMap((record) => [record.entry.message_id, pick(record)]),
  });
  const provider = caseOf((record) => record.provider);
  const providerId = caseOf((record) => record.result.providerMessageId);
  const status = caseOf((record) => record.result.status);
  await db.transaction(async (trx) => {
    await trx('messages')
      .whereIn(
        'id',
        records.map((record) => record.entry.message_id),
      )
      .update({
        provider: trx.raw(provider.sql, provider.bindings),
        provider_message_id: trx.raw(providerId.sql, providerId.bindings),
        // Forward only: a status that got further while the send was being recorded (a web chat
        // visitor read the reply, which their stream showed from the record; a provider's early
        // delivery callback) is kept.
        delivery_status: trx.raw(
          `case when delivery_status = 'read' or (delivery_status = 'delivered' and (${status.sql}) = 'sent') then delivery_status else (${status.sql}) end`,
          [...status.bindings, ...status.bindings],
        ),
        status_at: at,
      });
    await trx('outbox')
      .whereIn(
        'id',
        records.map((record) => record.entry.id),
      )
      .update({ status: 'sent', attempts: trx.raw('attempts + 1'), finished_at: at, last_error: null });
  });
}
