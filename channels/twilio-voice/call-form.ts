import { ValidationError, type WebhookRequest } from '../adapter.js';

/**
 * What one of Twilio's voice webhooks tells (the incoming call, a <Gather>, <Record> or <Dial>
 * action, a transcription, a call status callback), with Twilio's field names read in one place.
 */
export interface CallForm {
  callSid: string;
  from?: string;
  to?: string;
  /** Twilio's CallStatus: queued, ringing, in-progress, completed, busy, no-answer, failed, canceled. */
  callStatus?: string;
  /** Seconds the call lasted (status callbacks of finished calls). */
  callDuration?: number;
  /** Keys pressed in a <Gather>; undefined when the caller pressed nothing. */
  digits?: string;
  recording?: { sid: string; url: string; seconds: number };
  transcription?: { sid: string; text: string; status: string; recordingSid?: string };
  /** The outcome of a <Dial>: completed, answered, busy, no-answer, failed, canceled. */
  dialCallStatus?: string;
  dialCallDuration?: number;
}

/** Reads a voice webhook's form. Throws ValidationError when it has no CallSid (not a voice webhook). */
export function readCallForm(request: WebhookRequest): CallForm {
  const form = request.body;
  const callSid = text(form.CallSid);
  if (!callSid) throw new ValidationError('Not a Twilio voice webhook: CallSid is required', { missing: ['CallSid'] });
  if (callSid.length > 64) throw new ValidationError('CallSid is too long to be a Twilio SID');
  const recordingSid = text(form.RecordingSid);
  const recordingUrl = text(form.RecordingUrl);
  const transcriptionSid = text(form.TranscriptionSid);
  return {
    callSid,
    from: text(form.From) ?? text(form.Caller),
    to: text(form.To) ?? text(form.Called),
    callStatus: text(form.CallStatus),
    callDuration: count(form.CallDuration),
    digits: text(form.Digits)?.replace(/[^0-9*#]/g, '') || undefined,
    recording:
      recordingSid && recordingUrl && !transcriptionSid
        ? { sid: recordingSid, url: recordingUrl, seconds: count(form.RecordingDuration) ?? 0 }
        : undefined,
    transcription: transcriptionSid
      ? {
          sid: transcriptionSid,
          text: text(form.TranscriptionText) ?? '',
          status: text(form.TranscriptionStatus) ?? 'completed',
          recordingSid,
        }
      : undefined,
    dialCallStatus: text(form.DialCallStatus),
    dialCallDuration: count(form.DialCallDuration),
  };
}

/** Call statuses after which nothing more happens on the call. */
export const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;

export function isFinalCallStatus(status: string | undefined): boolean {
  return (FINAL_CALL_STATUSES as readonly string[]).includes(status ?? '');
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function count(value: unknown): number | undefined {
  const parsed = Number(text(value));
  return Number.isFinite(parsed) && parsed >= 0 ? Math.floor(parsed) : undefined;
}
