import {
  MalformedPayloadError,
  type CallStatus,
  type CallUpdate,
  type DialStatus,
  type WebhookRequest,
} from '../adapter.js';

/**
 * Twilio's CallStatus words, in the contract's. They are the same words (the contract took them
 * from Twilio, the first provider), but read through this table: a word Twilio may add later is
 * no status of the contract's, and is left out.
 */
const CALL_STATUS: Readonly<Record<string, CallStatus>> = {
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'in-progress',
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'canceled',
};

/** Twilio's DialCallStatus words, in the contract's. */
const DIAL_STATUS: Readonly<Record<string, DialStatus>> = {
  completed: 'completed',
  answered: 'answered',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'canceled',
};

/** A Twilio call status (a webhook's CallStatus, a call created's status) in the contract's words. */
export function callStatusOf(value: string | undefined): CallStatus | undefined {
  return value !== undefined && Object.hasOwn(CALL_STATUS, value) ? CALL_STATUS[value] : undefined;
}

function dialStatusOf(value: string | undefined): DialStatus | undefined {
  return value !== undefined && Object.hasOwn(DIAL_STATUS, value) ? DIAL_STATUS[value] : undefined;
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

/**
 * What one of Twilio's voice webhooks tells (the incoming call, a <Gather>, <Record> or <Dial>
 * action, a transcription, a call status callback), with Twilio's field names read in one place.
 * Throws MalformedPayloadError when it has no CallSid (not a voice webhook).
 */
export function readCallForm(request: WebhookRequest): CallUpdate {
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
    callId: callSid,
    from: text(form.From) ?? text(form.Caller),
    to: text(form.To) ?? text(form.Called),
    status: callStatusOf(text(form.CallStatus)),
    durationSeconds: count(form.CallDuration),
    digits: text(form.Digits)?.replace(/[^0-9*#]/g, '') || undefined,
    recording:
      recordingSid && recordingUrl && !transcriptionSid
        ? { id: recordingSid, url: recordingUrl, seconds: count(form.RecordingDuration) ?? 0 }
        : undefined,
    transcription: transcriptionSid
      ? {
          id: transcriptionSid,
          text: text(form.TranscriptionText) ?? '',
          // Twilio says completed or failed; a transcription callback without the field is a completed one.
          status: (text(form.TranscriptionStatus) ?? 'completed') === 'completed' ? 'completed' : 'failed',
          recordingId: recordingSid,
        }
      : undefined,
    dialStatus: dialStatusOf(text(form.DialCallStatus)),
    dialDurationSeconds: count(form.DialCallDuration),
  };
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
