import type { Knex } from 'knex';
import { loadTeamCalendar } from '../calendar/calendar-store.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { contactAddress } from '../contacts/contact-address.js';
import { callbackUnreachableText } from '../i18n/citizen-texts.js';
import type { Logger } from '../logger.js';
import { queueOutbound } from '../messages/outbox.js';
import type { PipelineQueues } from '../queue/pipeline-queues.js';
import { appendEvents, type ActorType } from '../tickets/events.js';
import { formatReference } from '../tickets/reference-number.js';
import { agentOutcomeRefusal, type PlacedAttempt } from './attempt-ownership.js';
import { taskAfterAttempt, type AttemptOutcome } from './attempt-outcomes.js';
import type { RetryDelay } from './retry-policy.js';
import { OPEN_TASK_STATUSES } from './task-queries.js';
import { logRedisFailure } from '../queue/redis-health.js';

// The outcomes and what each does to the task are pure rules (attempt-outcomes.ts); re-exported for the API.
export { ATTEMPT_OUTCOMES, type AttemptOutcome } from './attempt-outcomes.js';

export interface AttemptSettings {
  retryDelays: readonly RetryDelay[];
  officeName: string;
  referencePrefix: string;
}

export interface AttemptInput {
  taskId: number;
  outcome: AttemptOutcome;
  note?: string;
  actor: { type: ActorType; id?: number };
  /** The call this outcome is about (Twilio's <Dial> action); an agent's is the last call they placed. */
  callSid?: string;
  at: Date;
}

/**
 * One call-back attempt's outcome, on the task and as a ticket event. Reached (or a wrong number):
 * the task is done. Not reached: the next attempt is scheduled by the retry policy, in working
 * hours, and the task goes back to whoever is free then; after the last, the citizen gets an SMS
 * saying we tried and how to reach us, and the task closes as unreachable.
 */
export class CallbackAttempts {
  constructor(
    private readonly db: Knex,
    private readonly queues: PipelineQueues,
    private readonly logger: Logger,
    private readonly settings: AttemptSettings,
  ) {}

  /** The call the agent reports on: the last one placed for the task, theirs, not settled yet; else 403/409. */
  private async placedAttempt(input: AttemptInput): Promise<string> {
    const row = await this.db('calls')
      .where({ task_id: input.taskId, direction: 'callback' })
      .orderBy('id', 'desc')
      .first('call_sid', 'agent_id', 'attempt_outcome');
    const attempt: PlacedAttempt | undefined = row
      ? {
          call_sid: String(row.call_sid),
          agent_id: row.agent_id === null ? null : Number(row.agent_id),
          attempt_outcome: row.attempt_outcome ?? null,
        }
      : undefined;
    const refusal = agentOutcomeRefusal(attempt, input.actor.id ?? 0);
    if (refusal) throw refusal;
    return attempt!.call_sid;
  }

  /** Returns false when there was nothing to record (this call's outcome came already, or the task is closed and `strict` is off). */
  async record(input: AttemptInput, strict = true): Promise<boolean> {
    const task = await this.db('tasks as k')
      .join('tickets as t', 't.id', 'k.ticket_id')
      .where('k.id', input.taskId)
      .first('k.*', 't.reference', 't.language', 't.contact_id');
    if (!task) {
      if (strict) throw new NotFoundError('Task');
      return false; // a provider callback about a task deleted meanwhile: nothing to record
    }
    // An agent's word is about the last call they placed for the task, and only that (attempt-ownership.ts).
    const callSid = input.actor.type === 'agent' ? await this.placedAttempt(input) : input.callSid;
    if (!callSid) throw new Error("A provider's outcome names its call (callSid)"); // a programming error, never input
    // Read before the transaction: on SQLite it holds the only connection.
    const calendar = await loadTeamCalendar(this.db, task.team_id === null ? null : Number(task.team_id));
    const outboxIds = await this.db.transaction(async (trx) => {
      // Once per call: whichever of the agent and Twilio's <Dial> action comes first counts it.
      const first = await trx('calls')
        .where({ call_sid: callSid, task_id: input.taskId })
        .whereNull('attempt_outcome')
        .update({ attempt_outcome: input.outcome, updated_at: input.at });
      if (first !== 1) {
        if (strict)
          throw new ConflictError('outcome_recorded', "This call's outcome is recorded already: call again first");
        return undefined;
      }
      const changed = await trx('tasks')
        .where({ id: input.taskId })
        .whereIn('status', OPEN_TASK_STATUSES)
        .first('attempts');
      if (!changed) {
        if (strict) throw new ConflictError('task_closed', 'This task is closed', { status: task.status });
        return undefined;
      }
      const attempt = Number(changed.attempts) + 1;
      const base = {
        attempts: attempt,
        outcome: input.outcome,
        note: input.note ?? null,
        last_attempt_at: input.at,
        updated_at: input.at,
      };
      const event = {
        ticketId: Number(task.ticket_id),
        actorType: input.actor.type,
        actorId: input.actor.id ?? null,
        at: input.at,
      };
      const data = {
        task_id: input.taskId,
        attempt,
        outcome: input.outcome,
        ...(input.note ? { note: input.note } : {}),
        call_sid: callSid,
      };
      const after = taskAfterAttempt(input.outcome, attempt, this.settings.retryDelays, calendar, input.at);
      if (after.status === 'done') {
        await trx('tasks')
          .where({ id: input.taskId })
          .update({ ...base, status: 'done', closed_at: input.at });
        await appendEvents(trx, [{ ...event, type: 'callback_attempt', data: { ...data, task_status: 'done' } }]);
        return [];
      }
      if (after.status === 'open') {
        const next = after.nextAttemptAt;
        await trx('tasks')
          .where({ id: input.taskId })
          .update({ ...base, status: 'open', due_at: next, assignee_id: null });
        await appendEvents(trx, [
          {
            ...event,
            type: 'callback_attempt',
            data: { ...data, task_status: 'open', next_attempt_at: next.toISOString() },
          },
        ]);
        return [];
      }
      await trx('tasks')
        .where({ id: input.taskId })
        .update({ ...base, status: 'unreachable', closed_at: input.at });
      await appendEvents(trx, [{ ...event, type: 'callback_attempt', data: { ...data, task_status: 'unreachable' } }]);
      // Only to a number of the ticket's own citizen (issue 12): a call-back asked from another is not theirs to be told of.
      const address = await contactAddress(trx, Number(task.contact_id), 'sms', String(task.phone));
      if (address !== String(task.phone)) return [];
      const body = callbackUnreachableText(String(task.language), {
        office: this.settings.officeName,
        reference: formatReference(String(task.reference), this.settings.referencePrefix),
      });
      return queueOutbound(trx, [
        {
          ticketId: Number(task.ticket_id),
          channel: 'sms',
          address,
          body,
          kind: 'message',
          authorType: 'system',
          at: input.at,
        },
      ]);
    });
    if (outboxIds === undefined) return false;
    await this.queues
      .enqueueOutbound(outboxIds)
      .catch((error: Error) =>
        logRedisFailure(this.logger, error, {}, 'call-back SMS queued, not signalled; the sweeper will'),
      );
    return true;
  }
}
