import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  MalformedPayloadError,
  ProviderError,
  ProviderNotConfiguredError,
  WebhookSignatureError,
  type InboundEnvelope,
  type OutboundMessage,
  type SendResult,
  type WebhookAdapter,
  type WebhookRequest,
} from '../adapter.js';

export const WEBCHAT_PROVIDER = 'webchat';
export const WEBCHAT_SIGNATURE_HEADER = 'x-webchat-signature';

/** The longest message a visitor may type: a complaint, not a document. */
export const MAX_CHAT_TEXT = 4000;

export interface WebchatSettings {
  /**
   * The key the chat's HTTP edge signs a visitor's message with once it has checked the visitor's
   * token: only the edge makes chat envelopes. A process's own random key serves (the runtime
   * makes one), since the same process signs and verifies within one request. Without it, every
   * message is refused.
   */
  signingKey?: Buffer;
  /** The chat is served (the runtime's is): without it a reply has nowhere to go, so it is not delivered. */
  enabled?: boolean;
}

/** What the HTTP edge hands the adapter for one visitor message (body of the WebhookRequest). */
export interface ChatMessageFields {
  sessionId: string;
  clientId: string;
  text: string;
  name?: string;
  phone?: string;
  email?: string;
  receivedAt: string;
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Signs a request as the edge does: HMAC-SHA256 over the URL and the body's JSON. */
export function signChatRequest(key: Buffer, request: WebhookRequest): string {
  return createHmac('sha256', key)
    .update(request.url)
    .update('\n')
    .update(JSON.stringify(request.body))
    .digest('base64url');
}

/**
 * The web chat as a channel. The visitor's browser is the "provider": a message arrives through the
 * chat API, already authenticated by its token, and becomes an envelope like any SMS; an agent's
 * reply is "sent" by being recorded, for the visitor's stream reads the session's messages from the
 * database. So sending is immediate and never fails for the provider's sake.
 */
export function createWebchatAdapter(settings: WebchatSettings = {}): WebhookAdapter {
  return {
    provider: WEBCHAT_PROVIDER,
    kinds: ['webchat'],

    verify(request: WebhookRequest): void {
      if (!settings.signingKey) throw new WebhookSignatureError('The web chat has no signing key');
      const header = request.headers[WEBCHAT_SIGNATURE_HEADER];
      const given = Buffer.from((Array.isArray(header) ? header[0] : header) ?? '');
      const expected = Buffer.from(signChatRequest(settings.signingKey, request));
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new WebhookSignatureError('The chat message is not signed by the chat API');
    },

    parse(request: WebhookRequest): InboundEnvelope[] {
      const fields = request.body as Partial<Record<keyof ChatMessageFields, unknown>>;
      const text = typeof fields.text === 'string' ? fields.text.trim() : '';
      if (typeof fields.sessionId !== 'string' || !SESSION_ID.test(fields.sessionId))
        throw new MalformedPayloadError('A chat message needs its session id');
      if (typeof fields.clientId !== 'string' || !CLIENT_ID.test(fields.clientId))
        throw new MalformedPayloadError('A chat message needs a clientId of 8 to 64 letters, digits, - or _');
      if (!text || text.length > MAX_CHAT_TEXT)
        throw new MalformedPayloadError(`A chat message needs text of at most ${MAX_CHAT_TEXT} characters`);
      const receivedAt = new Date(typeof fields.receivedAt === 'string' ? fields.receivedAt : Number.NaN);
      if (Number.isNaN(receivedAt.getTime())) throw new MalformedPayloadError('A chat message needs its receipt time');
      const optional = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
      return [
        {
          channel: 'webchat',
          provider: WEBCHAT_PROVIDER,
          // One message per session and widget id: a retried POST is the same inbox row.
          externalId: `${fields.sessionId}:${fields.clientId}`,
          kind: 'message',
          from: {
            webchatSession: fields.sessionId,
            name: optional(fields.name),
            phone: optional(fields.phone),
            email: optional(fields.email),
            typed: true,
          },
          to: 'webchat',
          text,
          attachments: [],
          receivedAt: receivedAt.toISOString(),
          raw: { sessionId: fields.sessionId, clientId: fields.clientId },
        },
      ];
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      if (!settings.enabled) throw new ProviderNotConfiguredError('The web chat');
      if (message.channel !== 'webchat' || !SESSION_ID.test(message.to))
        throw new ProviderError('The web chat carries only messages to a chat session', true);
      // Recorded is delivered: the visitor's stream reads it from the record.
      return { providerMessageId: `webchat-${randomUUID()}`, status: 'delivered' };
    },
  };
}
