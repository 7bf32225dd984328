import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, fromAdapterError } from '../errors.js';
import type { Logger } from '../logger.js';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message: string;
}

/** The only place errors become HTTP responses: `{ error: { code, message, details? } }`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, request, response, _next) => {
    // A webhook's adapter (verify, parse) throws errors with no status: the core's mapping gives them one.
    const error = fromAdapterError(thrown);
    if (error instanceof AppError) {
      response
        .status(error.status)
        .json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    if (error instanceof URIError) {
      // The router could not decode a path parameter (a malformed percent-escape: /tickets/%E0%A4%A).
      response
        .status(400)
        .json({ error: { code: 'invalid_path', message: 'The path has a malformed percent-escape' } });
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError.expose && parserError.status && parserError.status >= 400 && parserError.status < 500) {
      // body-parser: malformed JSON, a body too large, an unsupported charset.
      response
        .status(parserError.status)
        .json({ error: { code: parserError.type ?? 'invalid_body', message: parserError.message } });
      return;
    }
    // SQLITE_BUSY, as src/db/sqlite-busy-retry.ts's isBusy tells it (not imported: http stays off db).
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
      // SQLite's one write lock stayed taken past BUSY_WAIT_LIMIT_MS (a flood, a long backup):
      // the request changed nothing, and saying so lets a provider or a page try again.
      logger.warn({ method: request.method, path: request.path }, 'database busy: answered 503');
      response
        .status(503)
        .set('Retry-After', '1')
        .json({ error: { code: 'database_busy', message: 'The database is busy; try again in a moment' } });
      return;
    }
    logger.error({ err: error, method: request.method, path: request.path }, 'unhandled error');
    response.status(500).json({ error: { code: 'internal', message: 'Internal error' } });
  };
}

export const notFoundHandler: RequestHandler = (request, response) => {
  response
    .status(404)
    .json({ error: { code: 'not_found', message: `No route for ${request.method} ${request.path}` } });
};
