import type { ChannelAdapter, VoiceAdapter, WebhookRequest } from '../../../channels/adapter.js';
import { createTwilioVoiceAdapter } from '../../../channels/twilio-voice/adapter.js';
import { callForm, VOICE_NUMBER } from '../../support/twilio-voice-payloads.js';
import type { AdapterFactory, ProviderEndpoint } from './contract.js';
import {
  CITIZEN,
  RECEIVED_AT,
  sidPattern,
  signedByTwilio,
  TWILIO_CREDENTIALS,
  TWILIO_FAILURES,
  twilioSandbox,
} from './twilio-stand-ins.js';

const URL = 'https://satupintu.example.go.id/webhooks/twilio/voice';
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';
const RECORDING_SID = 'RE0123456789abcdef0123456789abcdef';
const TRANSCRIPTION_SID = 'TR0123456789abcdef0123456789abcdef';
const RECORDING_URL = `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${RECORDING_SID}`;

const webhook = (body: Record<string, string>): WebhookRequest => ({ url: URL, headers: {}, body });

/** What the voice webhook route does: verify the signature, then read the call's fields. */
function heard(adapter: ChannelAdapter, body: Record<string, string>) {
  const signed = signedByTwilio(webhook(body));
  const voice = adapter as VoiceAdapter;
  voice.verify(signed);
  return voice.readCall(signed);
}

function create(endpoint?: ProviderEndpoint): ChannelAdapter {
  return createTwilioVoiceAdapter(
    endpoint ? { ...TWILIO_CREDENTIALS, apiBaseUrl: endpoint.url } : { authToken: TWILIO_CREDENTIALS.authToken },
  );
}

/**
 * The phone line (channels/twilio-voice). Its webhooks carry a conversation, so `parse` yields
 * nothing; what becomes a message (a recording, a transcription, the finished call) is built from
 * the call's fields with the adapter's envelope builders, the way src/voice/call-records.ts does. Its
 * outbound act is a call placed (a call-back), and a text message on voice is refused.
 */
export const twilioVoiceFactory: AdapterFactory = {
  name: 'channels/twilio-voice',
  provider: 'twilio-voice',
  create,
  signing: {
    sample: () => webhook(callForm(CALL_SID, CITIZEN, { CallStatus: 'ringing' })),
    sign: signedByTwilio,
    createWithoutSecret: () => createTwilioVoiceAdapter({}),
  },
  fixtures: [
    {
      name: 'an incoming call: no envelope from parse (the core keeps the call state)',
      read: async (adapter) => {
        const signed = signedByTwilio(webhook(callForm(CALL_SID, CITIZEN, { CallStatus: 'ringing' })));
        (adapter as VoiceAdapter).verify(signed);
        return (adapter as VoiceAdapter).parse(signed);
      },
      expected: [],
    },
    {
      name: 'a recorded complaint',
      read: async (adapter) => {
        const update = heard(
          adapter,
          callForm(CALL_SID, CITIZEN, {
            RecordingSid: RECORDING_SID,
            RecordingUrl: RECORDING_URL,
            RecordingDuration: '42',
          }),
        );
        return [
          (adapter as VoiceAdapter).voicemailEnvelope({
            callId: update.callId,
            from: update.from!,
            to: update.to!,
            recording: update.recording!,
            purpose: 'complaint',
            text: 'Pengaduan melalui telepon (rekaman 42 detik)',
            at: RECEIVED_AT,
          }),
        ];
      },
      expected: [
        {
          channel: 'voice',
          provider: 'twilio-voice',
          externalId: RECORDING_SID,
          kind: 'voicemail',
          from: { phone: CITIZEN },
          to: VOICE_NUMBER,
          attachments: [
            { url: RECORDING_URL, storage: 'provider', contentType: 'audio/x-wav', filename: `${RECORDING_SID}.wav` },
          ],
        },
      ],
    },
    {
      name: "Twilio's transcription of the recording",
      read: async (adapter) => {
        const update = heard(
          adapter,
          callForm(CALL_SID, CITIZEN, {
            RecordingSid: RECORDING_SID,
            TranscriptionSid: TRANSCRIPTION_SID,
            TranscriptionText: 'Izin usaha saya belum terbit',
            TranscriptionStatus: 'completed',
          }),
        );
        return [
          (adapter as VoiceAdapter).transcriptionEnvelope({
            callId: update.callId,
            from: update.from!,
            to: update.to!,
            transcription: update.transcription!,
            text: update.transcription!.text,
            at: RECEIVED_AT,
          }),
        ];
      },
      expected: [{ externalId: TRANSCRIPTION_SID, kind: 'voicemail', text: 'Izin usaha saya belum terbit' }],
    },
    {
      name: 'a call that ended unanswered',
      read: async (adapter) => {
        const update = heard(adapter, callForm(CALL_SID, CITIZEN, { CallStatus: 'completed', CallDuration: '9' }));
        return [
          (adapter as VoiceAdapter).callEnvelope({
            callId: update.callId,
            from: update.from!,
            to: update.to!,
            missed: true,
            text: 'Panggilan tak terjawab',
            at: RECEIVED_AT,
            status: update.status ?? null,
            durationSeconds: update.durationSeconds ?? null,
            details: {},
          }),
        ];
      },
      expected: [{ externalId: CALL_SID, kind: 'missed_call', from: { phone: CITIZEN }, attachments: [] }],
    },
  ],
  statuses: [],
  malformed: [
    {
      name: 'a voice webhook without CallSid',
      read: async (adapter) => (adapter as VoiceAdapter).readCall(webhook({ From: CITIZEN, To: VOICE_NUMBER })),
    },
    {
      name: 'a From longer than a phone number',
      read: async (adapter) => (adapter as VoiceAdapter).readCall(webhook(callForm(CALL_SID, '9'.repeat(65)))),
    },
  ],
  send: {
    provider: twilioSandbox,
    attempt: async (adapter) => {
      const placed = await (adapter as VoiceAdapter).placeCall({
        to: '+6281200000009',
        from: VOICE_NUMBER,
        answerUrl: `${URL}/callback/answer`,
        statusCallbackUrl: `${URL}/callback/status`,
        timeoutSeconds: 25,
      });
      return { providerId: placed.callId };
    },
    idPattern: sidPattern('CA'),
  },
  refused: [{ channel: 'voice', to: CITIZEN, body: 'Nomor tiket Anda: SP-123-456-789' }],
  failures: TWILIO_FAILURES,
};
