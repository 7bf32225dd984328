import twilio from 'twilio';
import type { VoiceLanguage, VoiceStep } from '../adapter.js';

/** Twilio's <Say> wants a locale for each of the line's languages. */
const SAY_LANGUAGE = { id: 'id-ID', en: 'en-US' } as const satisfies Record<VoiceLanguage, string>;

/**
 * The TwiML document for a sequence of the contract's steps, spoken in `language`: this module
 * alone turns steps into TwiML, with the twilio package's own builder.
 */
export function renderTwiml(language: VoiceLanguage, steps: readonly VoiceStep[]): string {
  const response = new twilio.twiml.VoiceResponse();
  const voice = { language: SAY_LANGUAGE[language] } as const;
  for (const step of steps) {
    if ('say' in step) {
      response.say(voice, step.say);
    } else if ('gather' in step) {
      const { action, numDigits, timeoutSeconds, finishOnKey, say } = step.gather;
      // actionOnEmptyResult: a caller who presses nothing still reaches our action, which decides
      // whether to ask again or to end the call, instead of TwiML falling through silently.
      const gather = response.gather({
        input: ['dtmf'],
        action,
        method: 'POST',
        numDigits,
        timeout: timeoutSeconds,
        actionOnEmptyResult: true,
        ...(finishOnKey ? { finishOnKey } : {}),
      });
      for (const line of say) gather.say(voice, line);
    } else if ('record' in step) {
      const { action, maxLengthSeconds, transcribeCallback } = step.record;
      response.record({
        action,
        method: 'POST',
        maxLength: maxLengthSeconds,
        playBeep: true,
        finishOnKey: '#',
        ...(transcribeCallback ? { transcribe: true, transcribeCallback } : {}),
      });
    } else if ('dial' in step) {
      const { number, action, timeoutSeconds, callerId } = step.dial;
      response
        .dial({ action, method: 'POST', timeout: timeoutSeconds, ...(callerId ? { callerId } : {}) })
        .number(number);
    } else {
      response.hangup();
    }
  }
  return response.toString();
}

/** An empty answer, for callbacks that only report (status, transcription). */
export const EMPTY_VOICE_TWIML = new twilio.twiml.VoiceResponse().toString();
