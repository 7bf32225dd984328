import { MAX_ID } from '../validate.js';
import { operation } from './operation.js';
import type { JsonSchema, ParameterObject, PathsObject } from './types.js';

const signatureHeader: ParameterObject = {
  name: 'X-Twilio-Signature',
  in: 'header',
  required: true,
  description:
    "Twilio's HMAC-SHA1 of the public URL (PUBLIC_URL + path + query) and the sorted form fields, keyed with TWILIO_AUTH_TOKEN. Missing or wrong: 403 `invalid_signature`.",
  schema: { type: 'string' },
};

const text = (description: string): JsonSchema => ({ type: 'string', description });

/** The fields of Twilio's voice webhooks that Satu Pintu reads; Twilio sends more. */
const callForm = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  required: ['CallSid'],
  properties: {
    CallSid: text("The call's SID: the key of its state between webhooks, so a retried webhook changes nothing twice"),
    AccountSid: text('The Twilio account'),
    From: text('The caller (E.164, or "anonymous" when withheld)'),
    To: text('Our number'),
    CallStatus: text('queued, ringing, in-progress, completed, busy, no-answer, failed, canceled'),
    ...extra,
  },
  additionalProperties: { type: 'string' },
});

const twiml = (description: string) => ({
  200: { description, content: { 'text/xml': { schema: { type: 'string' } } } },
});
const query = (name: string, description: string, schema: JsonSchema): ParameterObject => ({
  name,
  in: 'query',
  required: true,
  description,
  schema,
});
const taskQuery = query('task', 'The call-back task (set by us on the URL Twilio is given, and signed with it)', {
  type: 'integer',
  minimum: 1,
  maximum: MAX_ID,
});

interface VoiceRoute {
  path: string;
  operationId: string;
  summary: string;
  form?: Record<string, JsonSchema>;
  parameters?: ParameterObject[];
  answer: string;
}

const ROUTES: VoiceRoute[] = [
  {
    path: '',
    operationId: 'twilioVoiceIncoming',
    summary:
      'A call comes in ("A call comes in" of the number): greeting in Bahasa Indonesia, the closed notice outside working hours, the keypad menu',
    answer: 'The greeting and the menu (<Gather>)',
  },
  {
    path: '/menu',
    operationId: 'twilioVoiceMenu',
    summary:
      "The menu's <Gather> action: 1 information, 2 complaint, 3 ticket status, 4 call-back, 5 an agent, 9 English / Bahasa Indonesia",
    form: { Digits: text('The key pressed; absent when none') },
    answer: 'What the choice leads to',
  },
  {
    path: '/reference',
    operationId: 'twilioVoiceReference',
    summary:
      'A reference number keyed in: its status is read out for a ticket of the calling number, a wrong check digit asks again (VOICE_REFERENCE_ATTEMPTS)',
    form: { Digits: text('The nine digits') },
    answer: 'The status, or the question again',
  },
  {
    path: '/offer',
    operationId: 'twilioVoiceOffer',
    summary: 'Nobody could answer: 1 leaves a voice message, 2 asks for a call-back',
    form: { Digits: text('The key pressed') },
    answer: "A <Record>, or the call-back's confirmation",
  },
  {
    path: '/dial',
    operationId: 'twilioVoiceDial',
    summary: 'The <Dial> to an agent ended: connected, or voicemail and a call-back are offered',
    form: { DialCallStatus: text('completed, busy, no-answer, failed, canceled') },
    answer: 'Goodbye, or the offer',
  },
  {
    path: '/recording',
    operationId: 'twilioVoiceRecording',
    summary:
      "The <Record> action: the complaint or voice message becomes a message on the caller's ticket (through the inbox, once per RecordingSid)",
    form: {
      RecordingSid: text("The recording's SID"),
      RecordingUrl: text('Where Twilio keeps the audio'),
      RecordingDuration: text('Seconds'),
    },
    parameters: [query('purpose', 'complaint or voicemail', { type: 'string', enum: ['complaint', 'voicemail'] })],
    answer: 'Thanks and goodbye',
  },
  {
    path: '/transcription',
    operationId: 'twilioVoiceTranscription',
    summary: "Twilio's transcription of a recording, as a message on the same ticket (once per TranscriptionSid)",
    form: {
      TranscriptionSid: text("The transcription's SID"),
      TranscriptionText: text('The text'),
      TranscriptionStatus: text('completed or failed'),
      RecordingSid: text('The recording transcribed'),
    },
    answer: 'An empty answer',
  },
  {
    path: '/status',
    operationId: 'twilioVoiceStatus',
    summary:
      'The call\'s status callback ("Call status changes" of the number): once over, the call is recorded on the ticket; a caller not served gets a call-back task',
    form: { CallDuration: text('Seconds, once completed') },
    answer: 'An empty answer',
  },
  {
    path: '/callback/answer',
    operationId: 'twilioVoiceCallbackAnswer',
    summary: "A call-back: the agent answered; the citizen is dialled with the help desk's number as caller ID",
    parameters: [taskQuery],
    answer: 'The <Dial> to the citizen',
  },
  {
    path: '/callback/dial',
    operationId: 'twilioVoiceCallbackDial',
    summary:
      "A call-back: the citizen's leg ended (answered, busy, no-answer, failed): the attempt's outcome, once per call",
    form: { DialCallStatus: text('completed, busy, no-answer, failed, canceled') },
    parameters: [taskQuery],
    answer: 'Hang up',
  },
  {
    path: '/callback/status',
    operationId: 'twilioVoiceCallbackStatus',
    summary:
      "A call-back: the agent leg's final status; an agent who never answered gives the task back without an attempt counted",
    form: { CallDuration: text('Seconds') },
    parameters: [taskQuery],
    answer: 'An empty answer',
  },
];

/** The phone line's webhooks (Twilio Voice), all signed like the messaging ones. */
export function voiceWebhookPaths(): PathsObject {
  const paths: PathsObject = {};
  for (const route of ROUTES) {
    paths[`/webhooks/twilio/voice${route.path}`] = {
      post: operation({
        operationId: route.operationId,
        tag: 'webhooks',
        summary: route.summary,
        access: 'public',
        visibility: 'Authenticated by the X-Twilio-Signature header instead of a token.',
        parameters: [signatureHeader, ...(route.parameters ?? [])],
        body: { schema: callForm(route.form), mediaType: 'application/x-www-form-urlencoded' },
        responses: twiml(`TwiML: ${route.answer}`),
        errors: {
          400: 'Not a Twilio voice webhook (no CallSid), or a query parameter is wrong.',
          403: 'The signature is missing or wrong (`invalid_signature`).',
        },
      }),
    };
  }
  return paths;
}
