import type { Knex } from 'knex';
import type { ChannelKind } from '../../channels/adapter.js';
import { contactAddress, conversationAddress, identityKindOf } from '../contacts/contact-address.js';
import { statusAnswerText } from '../i18n/citizen-texts.js';
import type { Logger } from '../logger.js';
import { queueOutbound } from '../messages/outbox.js';
import { laterNoticeChannel, writtenChannel } from '../messages/channel-policy.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { logRedisFailure } from '../queue/redis-health.js';
import { UnprocessableError } from '../errors.js';
import { findTrackedTicket, type SecondFactor } from './public-status.js';
import { formatReference } from './reference-number.js';
import { whatsAppWindow } from './whatsapp-window.js';
import { STATUSES } from './vocabulary.js';

/** Subscriptions looked at per pass: a backlog is worked off over the next passes. */
const PASS_LIMIT = 200;

/**
 * Subscribes the citizen who tracked a ticket to its status changes, on the channel the ticket
 * came from (a call's by SMS, a web form's by email or else SMS, a chat's in its own session). `undefined` for every miss, as tracking answers. Subscribing twice
 * is one subscription.
 */
export async function subscribeToStatus(
  db: Knex,
  digits: string,
  factor: SecondFactor,
  defaultRegion: string,
  at: Date,
): Promise<{ channel: string } | undefined> {
  const ticket = await findTrackedTicket(db, digits, factor, defaultRegion);
  if (!ticket) return undefined;
  // Where its replies go (replies.ts): a web form's ticket only where the form asked, a chat's in its session.
  const asked = await conversationAddress(db, { id: Number(ticket.id), channel: String(ticket.channel) });
  const channel = writtenChannel(
    String(ticket.channel),
    asked && ticket.channel === 'web' ? [identityKindOf(asked)] : [],
  );
  if (!(await contactAddress(db, Number(ticket.contact_id), channel as ChannelKind, asked)))
    throw new UnprocessableError('no_address', 'We have no address to write to on the channel of this ticket');
  await db('track_subscriptions')
    .insert({ ticket_id: ticket.id, channel, last_status: ticket.status, created_at: at })
    .onConflict('ticket_id')
    .ignore();
  return { channel };
}

export interface StatusUpdateSettings {
  officeName: string;
  referencePrefix: string;
  intervalMs: number;
}

/**
 * Tells subscribed citizens that their ticket's status changed, whatever changed it (an agent, a
 * clarification's deadline, the citizen's own message): a periodic pass compares each subscribed
 * ticket's status with the one last told. Driven by the database, so a change while no process
 * ran is told late, never lost; the conditional update of `last_status` in the transaction that
 * queues the text is the guard against telling one change twice.
 */
export class StatusUpdates {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Knex,
    private readonly queues: PipelineQueues,
    private readonly logger: Logger,
    private readonly settings: StatusUpdateSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.task = new PeriodicTask(
      () => this.pass(),
      settings.intervalMs,
      (error) => logger.warn({ err: error }, 'status update pass failed'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  runOnce(): Promise<void> {
    return this.task.runOnce();
  }

  private async pass(): Promise<void> {
    const changed: Array<{
      id: number;
      channel: string;
      last_status: string;
      ticket_id: number;
      status: string;
      reference: string;
      language: string;
      contact_id: number;
      ticket_channel: string;
    }> = await this.db('track_subscriptions as s')
      .join('tickets as t', 't.id', 's.ticket_id')
      .whereRaw('t.status <> s.last_status')
      .whereNull('t.merged_into_id')
      .orderBy('s.id')
      .limit(PASS_LIMIT)
      .select(
        's.id',
        's.channel',
        's.last_status',
        't.id as ticket_id',
        't.status',
        't.reference',
        't.language',
        't.contact_id',
        't.channel as ticket_channel',
      );
    const outboxIds: number[] = [];
    for (const row of changed) {
      const at = this.now();
      await this.db.transaction(async (trx) => {
        const claimed = await trx('track_subscriptions')
          .where({ id: row.id, last_status: row.last_status })
          .update({ last_status: row.status, notified_at: at });
        if (Number(claimed) === 0) return; // another process told it
        // A status update is no reason to need a template: outside WhatsApp's window it goes by SMS.
        const open = row.channel === 'whatsapp' && (await whatsAppWindow(trx, row.contact_id, at)).open;
        const channel = laterNoticeChannel(row.channel, [], open);
        // As its replies go: a form's where it asked, a chat's to its own session (not the contact's
        // newest, which may be someone who typed this citizen's phone).
        const asked = await conversationAddress(trx, { id: Number(row.ticket_id), channel: row.ticket_channel });
        const address = await contactAddress(trx, Number(row.contact_id), channel as ChannelKind, asked);
        if (!address) return;
        const language = row.language === 'en' ? 'en' : 'id';
        const label = STATUSES.find((term) => term.code === row.status)?.label[language] ?? row.status;
        outboxIds.push(
          ...(await queueOutbound(trx, [
            {
              ticketId: Number(row.ticket_id),
              channel,
              address,
              body: statusAnswerText(language, {
                office: this.settings.officeName,
                reference: formatReference(row.reference, this.settings.referencePrefix),
                status: label,
              }),
              kind: 'status_reply',
              authorType: 'system',
              at,
            },
          ])),
        );
      });
    }
    await this.queues
      .enqueueOutbound(outboxIds)
      .catch((error: Error) => logRedisFailure(this.logger, error, {}, 'status updates queued, not signalled'));
  }
}
