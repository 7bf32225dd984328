import type { VoiceUrls } from '../../voice/voice-context.js';

/** Where the phone line's webhooks are mounted (src/app.ts). */
export const VOICE_WEBHOOK_PATH = '/webhooks/twilio/voice';

/** The phone line's webhooks under VOICE_WEBHOOK_PATH: the routes of ./twilio-voice.ts, and the URLs below. */
export const VOICE_PATHS = {
  incoming: '/',
  menu: '/menu',
  reference: '/reference',
  offer: '/offer',
  dial: '/dial',
  /** Its query names the recording's purpose (`?purpose=complaint|voicemail`). */
  recording: '/recording',
  transcription: '/transcription',
  status: '/status',
  /** The call-back webhooks: each query names its task (`?task=<id>`), signed with the URL. */
  callbackAnswer: '/callback/answer',
  callbackDial: '/callback/dial',
  callbackStatus: '/callback/status',
} as const;

/**
 * The absolute URLs the core gives the voice provider for what comes next on a call: PUBLIC_URL,
 * the mount path and the route, which the provider then signs as given. The core writes no path;
 * the router reads back the query parameters written here.
 */
export function voiceUrls(publicUrl: string): VoiceUrls {
  const url = (path: string) => `${publicUrl}${VOICE_WEBHOOK_PATH}${path}`;
  return {
    menu: url(VOICE_PATHS.menu),
    reference: url(VOICE_PATHS.reference),
    offer: url(VOICE_PATHS.offer),
    dial: url(VOICE_PATHS.dial),
    recording: (purpose) => `${url(VOICE_PATHS.recording)}?purpose=${purpose}`,
    transcription: url(VOICE_PATHS.transcription),
    callbackAnswer: (taskId) => `${url(VOICE_PATHS.callbackAnswer)}?task=${taskId}`,
    callbackDial: (taskId) => `${url(VOICE_PATHS.callbackDial)}?task=${taskId}`,
    callbackStatus: (taskId) => `${url(VOICE_PATHS.callbackStatus)}?task=${taskId}`,
  };
}
