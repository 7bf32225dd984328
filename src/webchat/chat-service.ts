import { createHmac } from 'node:crypto';
import type { InboxWriter } from '../inbox/inbox-writer.js';
import type { ChatSession } from './sessions.js';

/** A webhook request as the webchat adapter reads it (channels/adapter.ts WebhookRequest). */
interface ChatRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** The webchat adapter as this needs it (the registry's, a WebhookAdapter). */
export interface ChatAdapter {
  verify(request: ChatRequest): void;
  parse(request: ChatRequest): Parameters<InboxWriter['record']>[0];
}

/**
 * How the edge vouches for a visitor's message, as channels/webchat/adapter.ts verifies it:
 * HMAC-SHA256 over the URL, a newline and the body's JSON, base64url, in X-Webchat-Signature.
 * (Written out here rather than imported: the core reaches adapters only through the registry.)
 */
function signed(key: Buffer, request: ChatRequest): ChatRequest {
  const signature = createHmac('sha256', key)
    .update(request.url)
    .update('\n')
    .update(JSON.stringify(request.body))
    .digest('base64url');
  return { ...request, headers: { 'x-webchat-signature': signature } };
}

/**
 * A visitor's message into the inbox, like any provider's: the edge vouches for the session (it
 * checked the token) by signing the request, the webchat adapter verifies and parses it, and the
 * inbox records it once per session and clientId, so a retried POST is one message.
 */
export async function recordVisitorMessage(
  adapter: ChatAdapter,
  signingKey: Buffer,
  inbox: InboxWriter,
  session: ChatSession,
  input: { clientId: string; text: string },
  at: Date,
): Promise<{ inboxId: number; duplicate: boolean }> {
  const body: Record<string, unknown> = {
    sessionId: session.id,
    clientId: input.clientId,
    text: input.text,
    receivedAt: at.toISOString(),
    ...(session.name ? { name: session.name } : {}),
    ...(session.phone ? { phone: session.phone } : {}),
    ...(session.email ? { email: session.email } : {}),
  };
  const request = signed(signingKey, { url: 'webchat:messages', headers: {}, body });
  adapter.verify(request);
  const [recorded] = await inbox.record(adapter.parse(request));
  return { inboxId: recorded!.id, duplicate: recorded!.duplicate };
}
