import type { CallRecordInput, InboundEnvelope, TranscriptionInput, VoicemailInput } from '../adapter.js';

/** The phone line's provider name, as recorded on inbox rows (distinct from messaging's 'twilio'). */
export const TWILIO_VOICE_PROVIDER = 'twilio-voice';

// The envelopes a call leaves, built behind the adapter rather than in the core (src/voice): they
// are not provider-neutral. The provider's name, the recording's format and file name (Twilio
// serves WAV at the recording's URL) and the raw record in Twilio's field names are Twilio's; the
// core gives what the call left in the contract's words (channels/adapter.ts).

/**
 * A recording as an inbound message: the RecordingSid is the dedupe key, so Twilio retrying the
 * <Record> action records it once. The audio stays at Twilio (`storage: 'provider'`).
 */
export function voicemailEnvelope(input: VoicemailInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: TWILIO_VOICE_PROVIDER,
    externalId: input.recording.id,
    kind: 'voicemail',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [
      {
        url: input.recording.url,
        storage: 'provider',
        contentType: 'audio/x-wav',
        filename: `${input.recording.id}.wav`,
      },
    ],
    receivedAt: input.at.toISOString(),
    raw: {
      CallSid: input.callId,
      RecordingSid: input.recording.id,
      RecordingDuration: input.recording.seconds,
      purpose: input.purpose,
    },
  };
}

/** Twilio's transcription of a recording, as a message of its own (it arrives minutes later, or never). */
export function transcriptionEnvelope(input: TranscriptionInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: TWILIO_VOICE_PROVIDER,
    externalId: input.transcription.id,
    kind: 'voicemail',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [],
    receivedAt: input.at.toISOString(),
    raw: {
      CallSid: input.callId,
      TranscriptionSid: input.transcription.id,
      RecordingSid: input.transcription.recordingId,
    },
  };
}

/** The call itself on the contact's ticket, once it is over: keyed by CallSid, so recorded once. */
export function callEnvelope(input: CallRecordInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: TWILIO_VOICE_PROVIDER,
    externalId: input.callId,
    kind: input.missed ? 'missed_call' : 'call',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [],
    receivedAt: input.at.toISOString(),
    raw: {
      CallSid: input.callId,
      CallStatus: input.status,
      CallDuration: input.durationSeconds,
      ...input.details,
    },
  };
}
