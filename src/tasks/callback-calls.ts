import type { Knex } from 'knex';
import { isFinalCallStatus, type CallUpdate, type PlacedCall, type VoiceAdapter } from '../../channels/adapter.js';
import type { AuthenticatedAgent } from '../auth/tokens.js';
import { ConflictError, ProviderError, ServiceUnavailableError, UnprocessableError } from '../errors.js';
import { appendEvents } from '../tickets/events.js';
import { formatReference } from '../tickets/reference-number.js';
import { findCall, openCall, updateCall } from '../voice/call-store.js';
import { speak, type VoicePrompts } from '../voice/prompts.js';
import type { VoiceUrls } from '../voice/voice-context.js';
import { dialOutcome } from './attempt-outcomes.js';
import type { CallbackAttempts } from './attempts.js';
import { getTask, type TaskView } from './task-queries.js';

export interface CallbackCallSettings {
  referencePrefix: string;
  dialTimeoutSeconds: number;
  /** TWILIO_VOICE_FROM: the help desk's number, the caller ID the citizen sees. */
  voiceFrom?: string;
}

/**
 * Call-backs placed through the voice adapter (Twilio: its Calls API): the agent's phone rings
 * first; once they answer, the provider asks us what to do and we dial the citizen with the help
 * desk's number as caller ID. The dial step's action reports the attempt's outcome; the agent leg's
 * status callback tells when the agent never picked up, which gives the task back without counting
 * an attempt against the citizen.
 */
export class CallbackCalls {
  constructor(
    private readonly db: Knex,
    private readonly adapter: VoiceAdapter,
    private readonly attempts: CallbackAttempts,
    private readonly prompts: VoicePrompts,
    private readonly settings: CallbackCallSettings,
    /** Where the provider reports on the call-back (the HTTP layer's: src/http/webhooks/voice-urls.ts). */
    private readonly urls: Pick<VoiceUrls, 'callbackAnswer' | 'callbackDial' | 'callbackStatus'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** POST /api/v1/tasks/:id/call: the caller takes the task and their phone rings. */
  async start(agent: AuthenticatedAgent, taskId: number): Promise<TaskView> {
    const task = await getTask(this.db, agent, taskId, this.settings.referencePrefix, this.now());
    if (task.status !== 'open')
      throw new ConflictError('invalid_transition', `A task that is ${task.status} cannot be called`, {
        status: task.status,
        allowed: ['open'],
      });
    if (!this.settings.voiceFrom)
      throw new UnprocessableError(
        'voice_not_configured',
        'TWILIO_VOICE_FROM is not set: there is no number to call from',
      );
    const me = await this.db('agents').where({ id: agent.id }).first('phone');
    if (!me?.phone)
      throw new UnprocessableError(
        'agent_has_no_phone',
        'Your agent profile has no phone to ring first (PATCH /api/v1/agents/{id} with phone)',
      );
    const at = this.now();
    const taken = await this.db('tasks')
      .where({ id: taskId, status: 'open' })
      .update({ status: 'calling', assignee_id: agent.id, updated_at: at });
    if (taken !== 1)
      throw new ConflictError('invalid_transition', 'Someone else is calling this task now', { allowed: ['open'] });
    let placed: PlacedCall;
    try {
      placed = await this.adapter.placeCall({
        to: String(me.phone),
        from: this.settings.voiceFrom,
        answerUrl: this.urls.callbackAnswer(taskId),
        statusCallbackUrl: this.urls.callbackStatus(taskId),
        timeoutSeconds: this.settings.dialTimeoutSeconds,
      });
    } catch (error) {
      await this.db('tasks')
        .where({ id: taskId, status: 'calling' })
        .update({ status: 'open', updated_at: this.now() });
      if (error instanceof ProviderError && error.permanent)
        throw new UnprocessableError('call_refused', `The call could not be placed: ${error.message}`);
      throw new ServiceUnavailableError(`Twilio could not be reached to place the call: ${(error as Error).message}`);
    }
    // The citizen's number from the row: the view hides it from an agent on an anonymous report.
    const citizen = await this.db('tasks').where({ id: taskId }).first('phone');
    await openCall(this.db, {
      callSid: placed.callId,
      direction: 'callback',
      from: this.settings.voiceFrom,
      to: String(me.phone),
      phone: String(citizen.phone),
      agentId: agent.id,
      taskId,
      status: placed.status,
      at,
    });
    await appendEvents(this.db, [
      {
        ticketId: task.ticket.id,
        type: 'callback_call_started',
        actorType: 'agent',
        actorId: agent.id,
        data: { task_id: taskId, attempt: task.attempts + 1, call_sid: placed.callId },
        at,
      },
    ]);
    return getTask(this.db, agent, taskId, this.settings.referencePrefix, this.now());
  }

  /** The agent answered: tell them which ticket, then ring the citizen from the help desk's number. */
  async answered(_update: CallUpdate, taskId: number): Promise<string> {
    const task = await this.db('tasks as k')
      .join('tickets as t', 't.id', 'k.ticket_id')
      .where('k.id', taskId)
      .first('k.status', 'k.phone', 't.reference');
    if (task?.status !== 'calling') return this.adapter.render('id', [{ hangup: true }]);
    const reference = formatReference(String(task.reference), this.settings.referencePrefix).replace(/-/g, ' ');
    return this.adapter.render('id', [
      { say: speak(this.prompts, 'id', 'agentWhisper', { reference }) },
      {
        dial: {
          number: String(task.phone),
          callerId: this.settings.voiceFrom,
          action: this.urls.callbackDial(taskId),
          timeoutSeconds: this.settings.dialTimeoutSeconds,
        },
      },
    ]);
  }

  /** The citizen's leg ended: answered (reached), busy, not answered, failed. */
  async dialed(update: CallUpdate, taskId: number): Promise<string> {
    const outcome = dialOutcome(update.dialStatus);
    await this.attempts.record(
      { taskId, outcome, callSid: update.callId, actor: { type: 'system' }, at: this.now() },
      false,
    );
    return this.adapter.render('id', [{ hangup: true }]);
  }

  /** The agent leg's final status. Not picked up by the agent: the task is open again, no attempt counted. */
  async agentLegEnded(update: CallUpdate, taskId: number): Promise<void> {
    if (!isFinalCallStatus(update.status)) return;
    const at = this.now();
    const call = await findCall(this.db, update.callId);
    if (call && !call.ended_at)
      await updateCall(
        this.db,
        update.callId,
        { status: update.status, ended_at: at, duration_seconds: update.durationSeconds ?? null },
        at,
      );
    const settled = await this.db('calls')
      .where({ call_sid: update.callId, task_id: taskId })
      .whereNull('attempt_outcome')
      .update({ attempt_outcome: 'agent_unreachable', updated_at: at });
    if (settled !== 1) return; // the <Dial> reported the attempt, or this callback came already
    const task = await this.db('tasks').where({ id: taskId }).first('ticket_id');
    const reopened = await this.db('tasks')
      .where({ id: taskId, status: 'calling' })
      .update({ status: 'open', updated_at: at });
    if (task && reopened === 1) {
      await appendEvents(this.db, [
        {
          ticketId: Number(task.ticket_id),
          type: 'callback_agent_unreachable',
          actorType: 'system',
          data: { task_id: taskId, call_sid: update.callId, call_status: update.status },
          at,
        },
      ]);
    }
  }
}
