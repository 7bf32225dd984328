import { z } from 'zod';
import { deadLetterFilters } from '../api/v1/dead-letters.js';
import { pathParameters, queryParameters, toJsonSchema } from './json-schema.js';
import { ADMIN_ONLY, jsonResponse, operation } from './operation.js';
import { arrayOf, envelope } from './schemas.js';
import type { PathsObject } from './types.js';

const timestamp = z.string().describe('ISO 8601 date-time');
const id = z.number().int().positive();

/** A dead-lettered inbox row as the API answers it (src/inbox/dead-letter.ts). */
const deadLetter = toJsonSchema(
  z.object({
    id: id.describe("The inbox row's id"),
    provider: z.string(),
    channel: z.string(),
    received_at: timestamp.nullable(),
    attempts: z.number().int(),
    last_error: z.string().nullable().describe('The beginning of the last failure, masked'),
    dead_lettered_at: timestamp.nullable(),
  }),
  'output',
);

const DEAD =
  'An inbox row (a contact a provider delivered, recorded before we answered it) that failed processing INBOX_MAX_ATTEMPTS times is dead-lettered: no job and no sweep takes it again, and one log line said so. ' +
  'It is not lost: once the cause is fixed, a retry gives it a fresh start.';

export function deadLetterPaths(): PathsObject {
  return {
    '/api/v1/admin/dead-letters': {
      get: operation({
        operationId: 'listDeadLetters',
        tag: 'monitoring',
        summary: 'Inbox rows set aside after repeated failures, oldest first',
        description: DEAD,
        access: ADMIN_ONLY,
        parameters: queryParameters(deadLetterFilters, { limit: 'At most this many.' }),
        responses: { 200: jsonResponse('The dead-lettered rows', envelope(arrayOf(deadLetter))) },
        errors: { 400: true, 403: 'The caller is not an admin.' },
      }),
    },
    '/api/v1/admin/dead-letters/{id}/retry': {
      post: operation({
        operationId: 'retryDeadLetter',
        tag: 'monitoring',
        summary: 'Retry a dead-lettered inbox row: attempts back to 0, signalled again',
        description: `${DEAD}\n\nNo body. If Redis is down, the sweeper signals the row later.`,
        access: ADMIN_ONLY,
        parameters: pathParameters(z.object({ id: z.coerce.number().int().positive() }), { id: "The inbox row's id" }),
        responses: {
          202: jsonResponse(
            'Signalled again',
            envelope(toJsonSchema(z.object({ id, retried: z.boolean() }), 'output')),
          ),
        },
        errors: {
          400: true,
          403: 'The caller is not an admin.',
          404: 'No such inbox row.',
          409: 'The row is not dead-lettered (`not_dead_lettered`).',
        },
      }),
    },
  };
}
