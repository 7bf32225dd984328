/**
 * The errors an adapter throws. They tell what went wrong with a provider or its payload, never
 * how to answer it: no HTTP status, no code of our API. The core decides what they mean to it
 * (src/errors.ts, fromAdapterError): a 403 or a 400 to a webhook, a mail refused for good at SMTP.
 */

/**
 * A provider refused or failed a send. `permanent` decides between giving up now (an invalid
 * number, a closed WhatsApp window) and retrying with backoff (a timeout, a 5xx, a 429).
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** No credentials for the provider: the message is kept as not delivered, never dropped. */
export class ProviderNotConfiguredError extends ProviderError {
  constructor(provider: string) {
    super(`${provider} is not configured: message recorded but not delivered`, true, 'not_configured');
    this.name = 'ProviderNotConfiguredError';
  }
}

/** A webhook whose provider signature is missing or wrong (or cannot be checked: no secret set). */
export class WebhookSignatureError extends Error {
  constructor(message = 'Webhook signature is missing or invalid') {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/**
 * A payload that is not what the provider sends (a webhook without its ids, a mail without a
 * sender). It fails the same way every time, so retrying it cannot help. `details` names what is
 * wrong, for the one who sent it.
 */
export class MalformedPayloadError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'MalformedPayloadError';
  }
}
