import {
  ProviderError,
  type InboundEnvelope,
  type OutboundMessage,
  type SendResult,
  type WebhookAdapter,
  type WebhookRequest,
} from '../adapter.js';
import { createTwilioClient, type TwilioCredentials } from '../twilio-messaging/client.js';
import { fetchTwilioMedia } from '../twilio-messaging/media.js';
import { verifyTwilioSignature } from '../twilio-messaging/signature.js';
import { readCallForm, type CallForm } from './call-form.js';
import { placeTwilioCall, type OutboundCall, type PlacedCall } from './place-call.js';
import { renderTwiml, type VoiceLanguage, type VoiceStep } from './twiml.js';

export type TwilioVoiceSettings = TwilioCredentials;

/** Twilio Programmable Voice: the phone line's webhooks, TwiML, and the Calls API for call-backs. */
export interface VoiceAdapter extends WebhookAdapter {
  /** The fields of a voice webhook (pure). */
  readCall(request: WebhookRequest): CallForm;
  /** What the caller hears next, as the provider's document (TwiML). */
  render(language: VoiceLanguage, steps: readonly VoiceStep[]): string;
  placeCall(call: OutboundCall): Promise<PlacedCall>;
}

export const TWILIO_VOICE_PROVIDER = 'twilio-voice';

/**
 * The voice line is a webhook adapter like messaging, but its webhooks carry a conversation, not
 * messages: what becomes a message (recordings, the call record) is built by the core from the
 * call's state with ./envelopes.ts, so `parse` yields nothing. Nothing is sent as text on voice:
 * a reply to a caller goes by SMS to the same number.
 */
export function createTwilioVoiceAdapter(settings: TwilioVoiceSettings): VoiceAdapter {
  const client = createTwilioClient(settings);
  return {
    provider: TWILIO_VOICE_PROVIDER,
    kinds: ['voice'],
    verify: (request: WebhookRequest) => verifyTwilioSignature(settings.authToken, request),
    parse: (): InboundEnvelope[] => [],
    readCall: readCallForm,
    render: renderTwiml,
    placeCall: (call: OutboundCall) => placeTwilioCall(client, call),
    fetchMedia: (url: string) => fetchTwilioMedia(settings, url),
    send: async (_message: OutboundMessage): Promise<SendResult> => {
      throw new ProviderError(
        'The voice channel carries no text messages: answer a caller by SMS',
        true,
        'voice_has_no_text',
      );
    },
  };
}
