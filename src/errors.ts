import { MalformedPayloadError, WebhookSignatureError } from '../channels/provider-errors.js';

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
 * An adapter's error in the core's terms: a payload that is not what the provider sends is a
 * ValidationError (400; a mail refused for good), a bad webhook signature an InvalidSignatureError
 * (403). Adapters carry no HTTP codes (channels/provider-errors.ts), so the core maps their errors
 * where it catches them: the HTTP error handler and the mail recorder. Anything else is returned as it is.
 */
export function fromAdapterError(error: unknown): unknown {
  if (error instanceof MalformedPayloadError) return new ValidationError(error.message, error.details);
  if (error instanceof WebhookSignatureError) return new InvalidSignatureError(error.message);
  return error;
}

// A send's failure is the adapters' own error, not an HTTP one: the dispatcher reads `permanent`.
// Re-exported so that the core takes all its errors from here.
export { ProviderError, ProviderNotConfiguredError } from '../channels/provider-errors.js';
