import { isFinalCallStatus, type CallUpdate } from '../../channels/adapter.js';
import { normalizePhone } from '../contacts/phone.js';
import type { Knex } from 'knex';
import type { CallOutcome } from '../tickets/event-types.js';
import { appendEvents } from '../tickets/events.js';
import { callEnd, type CallEnd } from './call-end.js';
import { findCall, openCall, updateCall, type CallRow } from './call-store.js';
import { goodbyeSteps, line, type VoiceContext } from './voice-context.js';

/**
 * What a call leaves on the contact's ticket, through the inbox like every contact (durable first,
 * ticket by the inbound worker): recordings and their transcriptions as they come, and the call
 * itself once it is over. Each is keyed by a provider's id, so a retried webhook records nothing twice.
 * The envelopes are the adapter's to build (channels/adapter.ts, VoiceAdapter): they carry the
 * provider's name, its recordings' format and its field names.
 */
export class CallRecords {
  constructor(private readonly context: VoiceContext) {}

  /** The <Record> action: a complaint or a voice message, or nothing when the caller said nothing. */
  async recorded(update: CallUpdate, purpose: 'complaint' | 'voicemail'): Promise<string> {
    const call = await this.call(update);
    const at = this.context.now();
    if (!update.recording || update.recording.seconds === 0) {
      return this.context.adapter.render(
        call.language,
        goodbyeSteps(this.context, call.language, [line(this.context, call.language, 'nothingRecorded')]),
      );
    }
    const { id, url, seconds } = update.recording;
    await updateCall(
      this.context.db,
      call.call_sid,
      {
        recording_sid: id,
        recording_url: url,
        recording_seconds: seconds,
        outcome: purpose,
        served: true,
        // A message left because nobody could answer still wants a call: schedule one.
        ...(purpose === 'voicemail' && call.phone ? { callback_reason: 'voicemail' } : {}),
      },
      at,
    );
    const text =
      purpose === 'complaint'
        ? `Pengaduan melalui telepon (rekaman ${seconds} detik)`
        : `Pesan suara (${seconds} detik)`;
    await this.context.inbox.record([
      this.context.adapter.voicemailEnvelope({
        callId: call.call_sid,
        from: this.citizen(call, update),
        to: call.to_number ?? '',
        recording: update.recording,
        purpose,
        text,
        at,
      }),
    ]);
    return this.context.adapter.render(
      call.language,
      goodbyeSteps(this.context, call.language, [line(this.context, call.language, 'recorded')]),
    );
  }

  /** The provider's transcription of a recording: kept on the call, and a message on the same ticket. */
  async transcribed(update: CallUpdate): Promise<string> {
    const transcription = update.transcription;
    if (transcription?.status !== 'completed' || transcription.text === '') return this.context.adapter.emptyDocument;
    const call = await this.call(update);
    const at = this.context.now();
    await updateCall(this.context.db, call.call_sid, { transcription: transcription.text }, at);
    await this.context.inbox.record([
      this.context.adapter.transcriptionEnvelope({
        callId: call.call_sid,
        from: this.citizen(call, update),
        to: call.to_number ?? '',
        transcription,
        text: `Transkripsi pesan suara: ${transcription.text}`,
        at,
      }),
    ]);
    return this.context.adapter.emptyDocument;
  }

  /**
   * The call's status callback. Once final: the call's end, its outcome (a caller who hung up
   * before being served, or a call not answered, asks for a call-back), and its record on the
   * ticket. The row is closed once; the record is offered to the inbox on every retry (a no-op
   * after the first), so a crash between the two loses nothing.
   */
  async status(update: CallUpdate): Promise<string> {
    if (!isFinalCallStatus(update.status)) return this.context.adapter.emptyDocument;
    const call = await this.call(update);
    if (call.direction !== 'inbound') return this.context.adapter.emptyDocument;
    const at = this.context.now();
    const end = callEnd(call, update.status);
    if (end.place === 'found_ticket' && call.ticket_id !== null) {
      await this.recordOnFoundTicket(call, update, call.ticket_id, at);
      return this.context.adapter.emptyDocument;
    }
    if (!call.ended_at) await this.close(this.context.db, call, update, end, at);
    // A status check that found nothing opens no ticket: the call stays in `calls` (and the metrics) only.
    if (end.place === 'nowhere') return this.context.adapter.emptyDocument;
    const ended = (await findCall(this.context.db, call.call_sid))!;
    const missed = !ended.served;
    await this.context.inbox.record([
      this.context.adapter.callEnvelope({
        callId: ended.call_sid,
        from: this.citizen(ended, update),
        to: ended.to_number ?? '',
        missed,
        text: describeCall(ended),
        at,
        status: ended.status,
        durationSeconds: ended.duration_seconds,
        details: { menu_path: ended.menu_path, outcome: ended.outcome, recording_url: ended.recording_url },
      }),
    ]);
    return this.context.adapter.emptyDocument;
  }

  /** The row closed once, with the outcome of an abandoned call; false when a retry came after. */
  private async close(
    db: Knex | Knex.Transaction,
    call: CallRow,
    update: CallUpdate,
    end: CallEnd,
    at: Date,
  ): Promise<boolean> {
    const closed = await db('calls')
      .where({ call_sid: call.call_sid })
      .whereNull('ended_at')
      .update({
        status: update.status,
        ended_at: at,
        duration_seconds: update.durationSeconds ?? null,
        ...(end.missed ? { outcome: end.missed.outcome, callback_reason: end.missed.callbackReason } : {}),
        updated_at: at,
      });
    return closed === 1;
  }

  /**
   * A call that asked the status of a ticket of the caller's: an event on that ticket, with the row
   * closed in the same transaction, so that a retried status callback records it once. Not a
   * message through the inbox: that would open a ticket, acknowledge it, or reopen a resolved one.
   */
  private async recordOnFoundTicket(call: CallRow, update: CallUpdate, ticketId: number, at: Date): Promise<void> {
    await this.context.db.transaction(async (trx) => {
      if (!(await this.close(trx, call, update, { place: 'found_ticket' }, at))) return;
      const ended = (await findCall(trx, call.call_sid))!;
      await appendEvents(trx, [
        {
          ticketId,
          type: 'phone_status_check',
          actorType: 'citizen',
          data: {
            call_sid: ended.call_sid,
            text: describeCall(ended),
            menu_path: ended.menu_path,
            outcome: ended.outcome as CallOutcome | null,
            duration_seconds: ended.duration_seconds,
            callback_requested: ended.callback_reason !== null,
          },
          at,
        },
      ]);
    });
  }

  private async call(update: CallUpdate): Promise<CallRow> {
    const existing = await findCall(this.context.db, update.callId);
    if (existing) return existing;
    // A call that never reached the menu (hung up while ringing) is known from its status callback alone.
    const phone = update.from ? normalizePhone(update.from, this.context.settings.defaultRegion) : undefined;
    return openCall(this.context.db, {
      callSid: update.callId,
      direction: 'inbound',
      from: update.from,
      to: update.to,
      phone,
      status: update.status,
      at: this.context.now(),
    });
  }

  /** The caller as the inbox records them: their number, or what the provider wrote when it is withheld. */
  private citizen(call: CallRow, update: CallUpdate): string {
    return call.phone ?? call.from_number ?? update.from ?? 'anonymous';
  }
}

/** The call as agents read it on the ticket's timeline. */
export function describeCall(call: CallRow): string {
  const parts = [call.served ? 'Panggilan telepon' : 'Panggilan tak terlayani'];
  if (call.duration_seconds !== null) parts.push(`durasi ${call.duration_seconds} detik`);
  parts.push(`menu: ${call.menu_path || '-'}`);
  parts.push(`hasil: ${call.outcome ?? 'unknown'}`);
  if (call.callback_reason) parts.push('minta ditelepon kembali');
  if (call.recording_url) parts.push(`rekaman: ${call.recording_url} (${call.recording_seconds ?? 0} detik)`);
  return parts.join('; ');
}
