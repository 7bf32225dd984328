import type { CallUpdate, VoiceLanguage, VoiceStep } from '../../channels/adapter.js';
import { isOpen } from '../calendar/working-time.js';
import { normalizePhone } from '../contacts/phone.js';
import { formatReference } from '../tickets/reference-number.js';
import { findCall, openCall, updateCall, withKey, type CallRow } from './call-store.js';
import { lookUpReference } from '../tickets/reference-lookup.js';
import { chooseVoiceAgent, putThroughIfFree } from './voice-agents.js';
import { frontDesk, goodbyeSteps, line, menuSteps, type VoiceContext } from './voice-context.js';

/** After this many times without a key the line says goodbye (the call then counts as abandoned). */
const MAX_SILENCES = 2;
/** Agents tried in turn for one caller when the one chosen was taken by another call meanwhile. */
const PUT_THROUGH_ATTEMPTS = 3;

/**
 * The phone menu (IVR). Each function answers one of the provider's webhooks for a call with what
 * the caller hears next; the call's state between webhooks (language, keys pressed, tries, outcome)
 * lives in its `calls` row, so a retried webhook finds it and nothing is kept in the process.
 * `served` only ever becomes true: a caller who heard a status, reached an agent or left a message
 * was served, whatever keys follow, so the call never counts as abandoned afterwards.
 */
export class PhoneMenu {
  constructor(private readonly context: VoiceContext) {}

  /** A call comes in: greeting, the "closed" notice outside working hours, the menu. */
  async incoming(update: CallUpdate): Promise<string> {
    const call = await this.call(update);
    const { calendar } = await frontDesk(this.context);
    const before = [line(this.context, call.language, 'greeting')];
    if (!isOpen(calendar, this.context.now())) before.push(line(this.context, call.language, 'closed'));
    return this.render(call.language, menuSteps(this.context, call.language, before));
  }

  /** A key of the main menu, or none (the caller stayed silent). */
  async menu(update: CallUpdate): Promise<string> {
    const call = await this.call(update);
    const at = this.context.now();
    const key = update.digits?.[0];
    if (!key) {
      const silences = call.menu_path.split(' ').filter((entry) => entry === '-').length + 1;
      await updateCall(this.context.db, call.call_sid, { menu_path: withKey(call.menu_path, '-') }, at);
      const noInput = line(this.context, call.language, 'noInput');
      return this.render(
        call.language,
        silences >= MAX_SILENCES
          ? goodbyeSteps(this.context, call.language, [noInput])
          : menuSteps(this.context, call.language, [noInput]),
      );
    }
    const path = withKey(call.menu_path, key);
    const language = call.language;
    switch (key) {
      case '1':
        await updateCall(this.context.db, call.call_sid, { menu_path: path, outcome: 'information', served: true }, at);
        return this.render(language, menuSteps(this.context, language, [line(this.context, language, 'information')]));
      case '2':
        await updateCall(this.context.db, call.call_sid, { menu_path: path, outcome: 'complaint_started' }, at);
        return this.render(language, this.recordSteps(language, 'complaint'));
      case '3':
        // Never `served: false`: a caller served once is not abandoned whatever keys follow (call-end.ts).
        await updateCall(this.context.db, call.call_sid, { menu_path: path }, at);
        return this.render(language, this.referenceSteps(language, []));
      case '4':
        await updateCall(this.context.db, call.call_sid, { menu_path: path }, at);
        return this.render(language, await this.callbackRequested(call));
      case '5':
        await updateCall(this.context.db, call.call_sid, { menu_path: path }, at);
        return this.render(language, await this.toAgent(call));
      case '9': {
        const other: VoiceLanguage = language === 'id' ? 'en' : 'id';
        await updateCall(this.context.db, call.call_sid, { menu_path: path, language: other }, at);
        return this.render(other, menuSteps(this.context, other));
      }
      default:
        await updateCall(this.context.db, call.call_sid, { menu_path: path }, at);
        return this.render(
          language,
          menuSteps(this.context, language, [line(this.context, language, 'invalidChoice')]),
        );
    }
  }

  /** The reference number keyed in for a ticket's status; asked again up to VOICE_REFERENCE_ATTEMPTS times. */
  async reference(update: CallUpdate): Promise<string> {
    const call = await this.call(update);
    const language = call.language;
    const found = await lookUpReference(this.context.db, update.digits?.replace(/\D/g, ''), call.phone, language);
    const at = this.context.now();
    if (found.kind === 'found') {
      const reference = formatReference(
        update.digits!.replace(/\D/g, ''),
        this.context.settings.referencePrefix,
      ).replace(/-/g, ' ');
      // The call is recorded on the ticket it asked about, not as a new contact (call-end.ts).
      await updateCall(
        this.context.db,
        call.call_sid,
        { outcome: 'status_read', served: true, ticket_id: found.ticketId },
        at,
      );
      return this.render(
        language,
        menuSteps(this.context, language, [
          line(this.context, language, 'ticketStatus', { reference, status: found.label }),
        ]),
      );
    }
    const attempts = call.reference_attempts + 1;
    await updateCall(this.context.db, call.call_sid, { reference_attempts: attempts, outcome: 'status_not_found' }, at);
    const problem = line(this.context, language, found.kind === 'mistyped' ? 'invalidReference' : 'ticketNotFound');
    if (attempts < this.context.settings.referenceAttempts)
      return this.render(language, this.referenceSteps(language, [problem]));
    return this.render(
      language,
      menuSteps(this.context, language, [problem, line(this.context, language, 'referenceAttemptsExhausted')]),
    );
  }

  /** The caller's choice after no agent could answer: a voice message (1) or a call-back (2). */
  async offer(update: CallUpdate): Promise<string> {
    const call = await this.call(update);
    const key = update.digits?.[0];
    await updateCall(
      this.context.db,
      call.call_sid,
      { menu_path: withKey(call.menu_path, key ?? '-') },
      this.context.now(),
    );
    if (key === '1') return this.render(call.language, this.recordSteps(call.language, 'voicemail'));
    if (key === '2') return this.render(call.language, await this.callbackRequested(call));
    return this.render(call.language, goodbyeSteps(this.context, call.language));
  }

  /** The <Dial> to an agent ended: connected and over, or nobody answered in time. */
  async dialed(update: CallUpdate): Promise<string> {
    const call = await this.call(update);
    const at = this.context.now();
    if (update.dialStatus === 'completed' || update.dialStatus === 'answered') {
      await updateCall(this.context.db, call.call_sid, { outcome: 'agent_connected', served: true }, at);
      return this.render(call.language, goodbyeSteps(this.context, call.language));
    }
    await updateCall(this.context.db, call.call_sid, { outcome: 'agent_no_answer' }, at);
    return this.render(call.language, this.offerSteps(call.language, [line(this.context, call.language, 'noAgent')]));
  }

  /** The call's row; made here too, should a menu webhook come before (or without) the first one. */
  private async call(update: CallUpdate): Promise<CallRow> {
    const existing = await findCall(this.context.db, update.callId);
    if (existing) return existing;
    const phone = update.from ? normalizePhone(update.from, this.context.settings.defaultRegion) : undefined;
    return openCall(this.context.db, {
      callSid: update.callId,
      direction: 'inbound',
      from: update.from,
      to: update.to,
      phone,
      at: this.context.now(),
    });
  }

  private render(language: VoiceLanguage, steps: VoiceStep[]): string {
    return this.context.adapter.render(language, steps);
  }

  private recordSteps(language: VoiceLanguage, purpose: 'complaint' | 'voicemail'): VoiceStep[] {
    return [
      { say: line(this.context, language, purpose === 'complaint' ? 'complaintPrompt' : 'voicemailPrompt') },
      {
        record: {
          action: this.context.urls.recording(purpose),
          maxLengthSeconds: this.context.settings.recordingMaxSeconds,
          // A transcription is asked for recordings of up to two minutes only (the contract's `record` step).
          transcribeCallback:
            this.context.settings.recordingMaxSeconds <= 120 ? this.context.urls.transcription : undefined,
        },
      },
    ];
  }

  private referenceSteps(language: VoiceLanguage, before: string[]): VoiceStep[] {
    const timeoutSeconds = this.context.settings.gatherTimeoutSeconds * 2; // nine digits take longer than one
    return [
      {
        gather: {
          action: this.context.urls.reference,
          numDigits: 9,
          timeoutSeconds,
          finishOnKey: '#',
          say: [...before, line(this.context, language, 'enterReference')],
        },
      },
    ];
  }

  private offerSteps(language: VoiceLanguage, before: string[]): VoiceStep[] {
    return [
      {
        gather: {
          action: this.context.urls.offer,
          numDigits: 1,
          timeoutSeconds: this.context.settings.gatherTimeoutSeconds,
          say: [...before, line(this.context, language, 'voicemailOffer')],
        },
      },
    ];
  }

  /** Speak to an agent: in working hours, to an agent free for a call; otherwise voicemail or a call-back. */
  private async toAgent(call: CallRow): Promise<VoiceStep[]> {
    const { teamId, calendar } = await frontDesk(this.context);
    if (!isOpen(calendar, this.context.now()))
      return this.offerSteps(call.language, [line(this.context, call.language, 'closed')]);
    // The provider retrying the same key: the call is put through already, to the same agent again.
    const already =
      call.outcome === 'agent_dialled' && call.agent_id !== null
        ? await this.context.db('agents').where({ id: call.agent_id }).first('phone')
        : undefined;
    if (already?.phone) return this.dialSteps(call, String(already.phone));
    // A few tries: the agent chosen may have been given another call a moment earlier.
    for (let attempt = 0; teamId !== null && attempt < PUT_THROUGH_ATTEMPTS; attempt += 1) {
      const at = this.context.now();
      const agent = await chooseVoiceAgent(this.context.db, teamId, at);
      if (!agent) break;
      if (await putThroughIfFree(this.context.db, call.call_sid, agent.id, at))
        return this.dialSteps(call, agent.phone);
    }
    return this.offerSteps(call.language, [line(this.context, call.language, 'noAgent')]);
  }

  private dialSteps(call: CallRow, agentPhone: string): VoiceStep[] {
    return [
      { say: line(this.context, call.language, 'connecting') },
      {
        dial: {
          number: agentPhone,
          action: this.context.urls.dial,
          timeoutSeconds: this.context.settings.dialTimeoutSeconds,
        },
      },
    ];
  }

  /** A call-back asked for: noted on the call; the task is made once the call is over and on its ticket. */
  private async callbackRequested(call: CallRow): Promise<VoiceStep[]> {
    if (!call.phone)
      return menuSteps(this.context, call.language, [line(this.context, call.language, 'callbackUnavailable')]);
    await updateCall(
      this.context.db,
      call.call_sid,
      { outcome: 'callback_requested', callback_reason: 'requested' },
      this.context.now(),
    );
    const { calendar } = await frontDesk(this.context);
    const confirmation = isOpen(calendar, this.context.now()) ? 'callbackConfirmed' : 'callbackNextWorkingPeriod';
    return goodbyeSteps(this.context, call.language, [line(this.context, call.language, confirmation)]);
  }
}
