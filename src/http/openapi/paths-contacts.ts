import { z } from 'zod';
import { contactSearchQuery } from '../api/v1/contacts.js';
import { queryParameters, toJsonSchema } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
import { envelope } from './schemas.js';
import type { PathsObject } from './types.js';

const id = z.number().int().positive();

/** A citizen found by phone or email (src/tickets/contact-search.ts). */
const foundContact = toJsonSchema(
  z.object({
    id,
    display_name: z.string().nullable(),
    identities: z.array(z.object({ kind: z.enum(['phone', 'email', 'whatsapp', 'webchat']), value: z.string() })),
    ticket_count: z.number().int().describe('How many of their tickets the caller may see (at most 20 are listed)'),
    tickets: z.array(
      z.object({
        id,
        reference: z.string(),
        status: z.string(),
        channel: z.string(),
        subject: z.string().nullable(),
        team_id: id.nullable(),
        created_at: z.string().nullable(),
      }),
    ),
  }),
  'output',
);

export const CONTACT_VISIBILITY =
  'Only tickets the caller may see count (as for the tickets list), and an anonymous report never does for an agent, from whom its reporter is hidden: ' +
  "finding it by the reporter's phone would say who made it. A citizen with no such ticket is not listed.";

export function contactPaths(): PathsObject {
  return {
    '/api/v1/contacts': {
      get: operation({
        operationId: 'searchContacts',
        tag: 'tickets',
        summary: 'Find a citizen by phone or email, with their tickets the caller may see, newest first',
        description:
          'A phone in any local form (`0812…`, `62812…`, `+62 812-…`, `whatsapp:+62…`, read in DEFAULT_REGION) is matched as the channels record it (E.164); an email ignoring case. ' +
          'Whole identities only: no partial matches. The same search narrows a ticket list: `GET /api/v1/tickets?contact=`.',
        access: ANY_AGENT,
        visibility: CONTACT_VISIBILITY,
        parameters: queryParameters(contactSearchQuery, { q: 'A phone number or an email address.' }),
        responses: {
          200: jsonResponse(
            'The citizens found (usually one, or none)',
            envelope({ type: 'array', items: foundContact }),
          ),
        },
        errors: { 400: '`q` is missing, too long, or neither a phone number nor an email address.' },
      }),
    },
  };
}
