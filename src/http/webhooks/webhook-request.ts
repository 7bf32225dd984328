import type { Request } from 'express';
import type { WebhookRequest } from '../../../channels/adapter.js';

/** An express request as an adapter sees it: the public URL the provider signed, headers, form. */
export function toWebhookRequest(request: Request, publicUrl: string): WebhookRequest {
  return {
    url: publicUrl + request.originalUrl,
    headers: request.headers,
    body: (request.body ?? {}) as Record<string, unknown>,
  };
}
