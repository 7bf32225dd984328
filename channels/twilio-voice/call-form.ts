import { MalformedPayloadError, type WebhookRequest } from '../adapter.js';

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

/** The largest value of an integer column (PostgreSQL `integer`). */
const MAX_COUNT = 2_147_483_647;
/** The fields kept in a column of `calls`, and its length (migrations/20261129_0015_voice_tasks.ts). */
const FIELD_LENGTHS = [
  ['From', 64],
  ['Caller', 64],
  ['To', 64],
  ['Called', 64],
  ['CallStatus', 16],
  ['DialCallStatus', 16],
  ['RecordingSid', 64],
  ['TranscriptionSid', 64],
] as const;

/** Reads a voice webhook's form. Throws MalformedPayloadError when it has no CallSid (not a voice webhook). */
export function readCallForm(request: WebhookRequest): CallForm {
  const form = request.body;
  const callSid = text(form.CallSid);
  if (!callSid)
    throw new MalformedPayloadError('Not a Twilio voice webhook: CallSid is required', { missing: ['CallSid'] });
  if (callSid.length > 64) throw new MalformedPayloadError('CallSid is too long to be a Twilio SID');
  // Each field no longer than the column it is kept in: a longer one is not from Twilio.
  for (const [field, max] of FIELD_LENGTHS) {
    if ((text(form[field])?.length ?? 0) > max)
      throw new MalformedPayloadError(`${field} is too long for a Twilio voice webhook (at most ${max} characters)`, {
        field,
      });
  }
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

export function isFinalCallStatus(status: string | undefined): status is (typeof FINAL_CALL_STATUSES)[number] {
  return (FINAL_CALL_STATUSES as readonly string[]).includes(status ?? '');
}

/** A field's text, trimmed and without NUL characters (PostgreSQL cannot store them). */
function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  const cleaned = typeof value === 'string' ? value.replaceAll('\u0000', '').trim() : '';
  return cleaned !== '' ? cleaned : undefined;
}

/** A count of seconds; beyond an integer column's range (68 years) it is no duration Twilio sends. */
function count(value: unknown): number | undefined {
  const parsed = Number(text(value));
  return Number.isFinite(parsed) && parsed >= 0 && parsed <= MAX_COUNT ? Math.floor(parsed) : undefined;
}
