/** Where Twilio Messaging's webhooks are mounted (src/app.ts), and their routes (./twilio.ts). */
export const MESSAGING_WEBHOOK_PATH = '/webhooks/twilio';

export const MESSAGING_PATHS = {
  /** Inbound SMS and WhatsApp. */
  messaging: '/messaging',
  /** Delivery reports of what we sent. */
  status: '/status',
} as const;

/**
 * The absolute URLs a provider is given (the status callback of each send) or an operator types
 * into Twilio's console: PUBLIC_URL, the mount path and the route. Only src/http writes these paths.
 */
export function messagingUrls(publicUrl: string): { messaging: string; status: string } {
  const url = (path: string) => `${publicUrl}${MESSAGING_WEBHOOK_PATH}${path}`;
  return { messaging: url(MESSAGING_PATHS.messaging), status: url(MESSAGING_PATHS.status) };
}

/**
 * Where a provider reports the delivery of what we sent: each provider's webhooks are mounted at
 * /webhooks/<provider> with a `/status` route (Twilio Messaging's: MESSAGING_PATHS.status).
 */
export function statusCallbackUrl(publicUrl: string, provider: string): string {
  return `${publicUrl}/webhooks/${provider}${MESSAGING_PATHS.status}`;
}
