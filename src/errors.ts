/**
 * The one error hierarchy of Satu Pintu. An AppError carries the HTTP status and a stable code;
 * the HTTP error handler is the only place that turns errors into responses.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super(403, 'forbidden', message);
  }
}

/** A webhook whose provider signature is missing or wrong. */
export class InvalidSignatureError extends AppError {
  constructor(message = 'Webhook signature is missing or invalid') {
    super(403, 'invalid_signature', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

/** The request is well-formed but the ticket's state does not allow it (with what would). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** The request is well-formed but cannot be carried out with the data at hand. */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

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
