import type { Knex } from 'knex';
import type { ChannelKind } from '../../channels/adapter.js';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { contactAddress, conversationAddress } from '../contacts/contact-address.js';
import { citizenDate, clarificationExpiredText, clarificationReminderText } from '../i18n/citizen-texts.js';
import type { Logger } from '../logger.js';
import { laterNoticeChannel } from '../messages/channel-policy.js';
import { queueOutbound, type OutboundDraft } from '../messages/outbox.js';
import { PeriodicTask } from '../queue/periodic-task.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { toIso } from '../db/rows.js';
import { formatReference } from './reference-number.js';
import type { TicketEventData } from './event-types.js';
import type { TicketUnitOfWork } from './unit-of-work.js';
import { logRedisFailure } from '../queue/redis-health.js';

export interface ClarificationTimerSettings {
  officeName: string;
  referencePrefix: string;
  intervalMs: number;
}

interface Waiting {
  id: number;
  reference: string;
  team_id: number | null;
  contact_id: number;
  language: string;
  channel: string | null;
  expires_at: unknown;
}

/**
 * The clarification clock: reminds citizens who have not answered by the reminder time, and
 * finishes (resolves) tickets whose deadline passed without an answer, telling the citizen how to
 * reopen. Driven by the database, so a pass missed while a process was down is simply done late,
 * and each step happens once (its own column is the guard).
 */
export class ClarificationTimers {
  private readonly task: PeriodicTask;

  constructor(
    private readonly db: Knex,
    private readonly queues: PipelineQueues,
    private readonly logger: Logger,
    private readonly settings: ClarificationTimerSettings,
    /** Each step changes its ticket through it: the clocks follow its event (an expiry stops them). */
    private readonly unitOfWork: TicketUnitOfWork,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.task = new PeriodicTask(
      () => this.pass(),
      settings.intervalMs,
      (error) => logger.warn({ err: error }, 'clarification pass failed'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass now (tests drive the clock this way); a call during a pass joins it. */
  runOnce(): Promise<void> {
    return this.task.runOnce();
  }

  private async pass(): Promise<void> {
    const at = this.now();
    const outboxIds = [...(await this.remind(at)), ...(await this.expire(at))];
    await this.queues
      .enqueueOutbound(outboxIds)
      .catch((error: Error) => logRedisFailure(this.logger, error, {}, 'clarification messages queued, not signalled'));
  }

  private async remind(at: Date): Promise<number[]> {
    const due = await this.waiting(at, 'clarification_remind_at').whereNull('t.clarification_reminded_at');
    const outboxIds: number[] = [];
    for (const ticket of due) {
      const calendar = await loadTeamCalendar(this.db, ticket.team_id);
      const deadline = citizenDate(ticket.language, new Date(toIso(ticket.expires_at)!), calendar.timeZone);
      const body = clarificationReminderText(ticket.language, {
        office: this.settings.officeName,
        reference: formatReference(ticket.reference, this.settings.referencePrefix),
        deadline,
      });
      outboxIds.push(
        ...(await this.step(
          ticket,
          at,
          { clarification_reminded_at: at },
          { type: 'clarification_reminded', data: {} },
          body,
        )),
      );
    }
    return outboxIds;
  }

  private async expire(at: Date): Promise<number[]> {
    const due = await this.waiting(at, 'clarification_expires_at');
    const outboxIds: number[] = [];
    for (const ticket of due) {
      const body = clarificationExpiredText(ticket.language, {
        office: this.settings.officeName,
        reference: formatReference(ticket.reference, this.settings.referencePrefix),
      });
      const resolved = {
        status: 'resolved',
        resolved_at: at,
        clarification_remind_at: null,
        clarification_expires_at: null,
      };
      outboxIds.push(
        ...(await this.step(
          ticket,
          at,
          resolved,
          { type: 'resolved', data: { reason: 'no_answer_to_clarification', automatic: true } },
          body,
        )),
      );
    }
    return outboxIds;
  }

  /** Tickets waiting on the citizen whose `column` time has come, with where to write to them. */
  private waiting(
    at: Date,
    column: 'clarification_remind_at' | 'clarification_expires_at',
  ): Knex.QueryBuilder<Waiting, Waiting[]> {
    // The citizen is written to on the channel the clarification was asked on (the latest message to them).
    const lastOutbound = this.db('messages')
      .whereRaw('messages.ticket_id = t.id')
      .where({ direction: 'outbound', internal: false })
      .orderBy('id', 'desc')
      .limit(1);
    return this.db('tickets as t')
      .join('contacts as c', 'c.id', 't.contact_id')
      .where('t.status', 'pending_citizen')
      .where(`t.${column}`, '<=', at)
      .limit(200)
      .select(
        't.id',
        't.reference',
        't.team_id',
        't.contact_id',
        'c.language',
        't.clarification_expires_at as expires_at',
      )
      .select({ channel: lastOutbound.clone().select('channel') });
  }

  /** One step for one ticket, guarded: only if the ticket is still waiting at that time. */
  private async step(
    ticket: Waiting,
    at: Date,
    changes: Record<string, unknown>,
    event:
      | { type: 'clarification_reminded'; data: TicketEventData['clarification_reminded'] }
      | { type: 'resolved'; data: TicketEventData['resolved'] },
    body: string,
  ): Promise<number[]> {
    // Days later WhatsApp's 24-hour window is closed: the same phone gets an SMS, which always arrives.
    const channel = ticket.channel && laterNoticeChannel(ticket.channel);
    // Read before the transaction (SQLite has one connection): an identity of the ticket's own citizen.
    const own = await conversationAddress(this.db, { id: Number(ticket.id), channel: String(ticket.channel) });
    const address = channel
      ? await contactAddress(this.db, Number(ticket.contact_id), channel as ChannelKind, own)
      : undefined;
    return this.unitOfWork.run(at, async (tx): Promise<number[]> => {
      const { trx } = tx;
      const changed = await trx('tickets')
        .where({ id: ticket.id, status: 'pending_citizen' })
        .update({ ...changes, updated_at: at });
      if (changed !== 1) return [];
      // Finished without an answer: the resolution clock stops (its paused time never counted).
      await tx.append([{ ticketId: ticket.id, actorType: 'system', at, ...event }]);
      if (!address || !channel) return [];
      const draft: OutboundDraft = {
        ticketId: ticket.id,
        channel,
        address,
        body,
        kind: 'message',
        authorType: 'system',
        at,
      };
      return queueOutbound(trx, [draft]);
    });
  }
}
