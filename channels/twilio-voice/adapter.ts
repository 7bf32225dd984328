import {
  ProviderError,
  type InboundEnvelope,
  type OutboundCall,
  type OutboundMessage,
  type SendResult,
  type VoiceAdapter,
  type WebhookRequest,
} from '../adapter.js';
import { createTwilioClient, type TwilioCredentials } from '../twilio-messaging/client.js';
import { fetchTwilioMedia } from '../twilio-messaging/media.js';
import { verifyTwilioSignature } from '../twilio-messaging/signature.js';
import { readCallForm } from './call-form.js';
import { callEnvelope, TWILIO_VOICE_PROVIDER, transcriptionEnvelope, voicemailEnvelope } from './envelopes.js';
import { placeTwilioCall } from './place-call.js';
import { EMPTY_VOICE_TWIML, renderTwiml } from './twiml.js';

export { TWILIO_VOICE_PROVIDER } from './envelopes.js';

export type TwilioVoiceSettings = TwilioCredentials;

/**
 * Twilio Programmable Voice, the contract's VoiceAdapter (channels/adapter.ts): the phone line's
 * webhooks read and verified, TwiML rendered, the Calls API for call-backs, recordings fetched,
 * and the envelopes a call leaves (./envelopes.ts).
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
    emptyDocument: EMPTY_VOICE_TWIML,
    documentType: 'text/xml',
    placeCall: (call: OutboundCall) => placeTwilioCall(client, call),
    fetchMedia: (url: string) => fetchTwilioMedia(settings, url),
    voicemailEnvelope,
    transcriptionEnvelope,
    callEnvelope,
    send: async (_message: OutboundMessage): Promise<SendResult> => {
      throw new ProviderError(
        'The voice channel carries no text messages: answer a caller by SMS',
        true,
        'voice_has_no_text',
      );
    },
  };
}
