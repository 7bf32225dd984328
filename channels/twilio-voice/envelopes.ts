import type { InboundEnvelope } from '../adapter.js';

const PROVIDER = 'twilio-voice';

export interface VoicemailInput {
  callSid: string;
  from: string;
  to: string;
  recording: { sid: string; url: string; seconds: number };
  /** A complaint recorded from the menu, or a message left when nobody could answer. */
  purpose: 'complaint' | 'voicemail';
  text: string;
  at: Date;
}

/**
 * A recording as an inbound message: the RecordingSid is the dedupe key, so Twilio retrying the
 * <Record> action records it once. The audio stays at Twilio (`storage: 'provider'`).
 */
export function voicemailEnvelope(input: VoicemailInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: PROVIDER,
    externalId: input.recording.sid,
    kind: 'voicemail',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [
      {
        url: input.recording.url,
        storage: 'provider',
        contentType: 'audio/x-wav',
        filename: `${input.recording.sid}.wav`,
      },
    ],
    receivedAt: input.at.toISOString(),
    raw: {
      CallSid: input.callSid,
      RecordingSid: input.recording.sid,
      RecordingDuration: input.recording.seconds,
      purpose: input.purpose,
    },
  };
}

export interface TranscriptionInput {
  callSid: string;
  from: string;
  to: string;
  transcription: { sid: string; recordingSid?: string };
  text: string;
  at: Date;
}

/** Twilio's transcription of a recording, as a message of its own (it arrives minutes later, or never). */
export function transcriptionEnvelope(input: TranscriptionInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: PROVIDER,
    externalId: input.transcription.sid,
    kind: 'voicemail',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [],
    receivedAt: input.at.toISOString(),
    raw: {
      CallSid: input.callSid,
      TranscriptionSid: input.transcription.sid,
      RecordingSid: input.transcription.recordingSid,
    },
  };
}

export interface CallRecordInput {
  callSid: string;
  from: string;
  to: string;
  /** Served (information heard, message left, agent reached) or missed (abandoned, not answered). */
  missed: boolean;
  text: string;
  at: Date;
  raw: Record<string, unknown>;
}

/** The call itself on the contact's ticket, once it is over: keyed by CallSid, so recorded once. */
export function callEnvelope(input: CallRecordInput): InboundEnvelope {
  return {
    channel: 'voice',
    provider: PROVIDER,
    externalId: input.callSid,
    kind: input.missed ? 'missed_call' : 'call',
    from: { phone: input.from },
    to: input.to,
    text: input.text,
    attachments: [],
    receivedAt: input.at.toISOString(),
    raw: input.raw,
  };
}
