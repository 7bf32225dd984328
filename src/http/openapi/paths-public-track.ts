import { z } from 'zod';
import { toJsonSchema } from './json-schema.js';
import { jsonResponse, operation } from './operation.js';
import type { PathsObject } from './types.js';

/**
 * The body of POST /api/v1/public/track, here so that the web door's router (src/http/web, an edge that
 * imports src/http) and this document share it without an arrow back from src/http to src/web.
 */
export const trackSchema = z.object({
  reference: z.string().max(64),
  phoneLast4: z.string().max(16).optional(),
  email: z.string().max(320).optional(),
});

const label = z.object({ id: z.string(), en: z.string() });
/** What POST /api/v1/public/track answers (src/tickets/public-status.ts PublicStatus). */
const publicStatus = z.object({
  data: z.object({
    reference: z.string().describe('As the office writes it, e.g. SP-262-591-945'),
    status: z.object({ code: z.string(), label }),
    agency: z
      .string()
      .nullable()
      .describe("The agency (OPD) that has the ticket; null while the office's front desk has it"),
    createdAt: z.string(),
    dueAt: z
      .string()
      .nullable()
      .describe(
        'The deadline the citizen waits on: the resolution deadline where the law sets one, else the nearest answer owed; null while waiting on the citizen or once done',
      ),
    dueFor: z.enum(['resolution', 'response']).nullable(),
    workingDaysLeft: z.number().int().nullable(),
    timeZone: z.string(),
    resolvedAt: z.string().nullable(),
    replies: z.array(z.object({ at: z.string(), channel: z.string(), text: z.string() })),
  }),
});

export function publicTrackPaths(): PathsObject {
  return {
    '/api/v1/public/track': {
      post: operation({
        operationId: 'trackTicket',
        tag: 'public',
        summary: "A ticket's status by its reference number and the citizen's phone (last four digits) or email",
        description:
          "What the citizen may see: the status in words, the team (OPD) that has it, when it was received, the resolution deadline with the working days left in the team's calendar, and the staff's written replies (phone numbers, emails and NIKs in them masked); never the citizen's own data, internal notes or who at the office works on it. Give `reference` (SP-262-591-945, 262 591 945 or 262591945) and one of `phoneLast4` or `email`. Every lookup is counted per client address (TRACK_LOOKUPS_PER_ADDRESS), and lookups of one reference that find nothing over all addresses (TRACK_FAILURES_PER_REFERENCE), within TRACK_WINDOW_MINUTES; past a limit the answer is 429 with Retry-After. The /lacak page gives the same answers as HTML.",
        access: 'public',
        body: { schema: toJsonSchema(trackSchema) },
        responses: { 200: jsonResponse("The ticket's public status", toJsonSchema(publicStatus, 'output')) },
        errors: {
          400: 'The body is malformed, or a fault of the input itself (`code`): `reference_missing`, `reference_invalid` (not nine digits, or a wrong check digit: a typo), `factor_missing`, `phone_last4_invalid`, `email_invalid`.',
          404: 'The same `not_found`, word for word, for an unknown reference, a wrong phone or email, and a ticket merged into another.',
          429: 'Too many lookups (`too_many_requests`): the Retry-After header says how many seconds to wait.',
        },
      }),
    },
    '/api/v1/public/track/subscribe': {
      post: operation({
        operationId: 'subscribeToTicketStatus',
        tag: 'public',
        summary: "Be told when the ticket's status changes, on the channel it came from",
        description:
          "The same body, checks, limits and answers as POST /api/v1/public/track. The text goes to an identity of the ticket's own citizen on the ticket's channel (a call's by SMS), from the worker's pass every TRACK_UPDATE_INTERVAL_MS; subscribing twice is one subscription.",
        access: 'public',
        body: { schema: toJsonSchema(trackSchema) },
        responses: {
          200: jsonResponse(
            'Subscribed',
            toJsonSchema(z.object({ data: z.object({ subscribed: z.literal(true), channel: z.string() }) }), 'output'),
          ),
        },
        errors: {
          400: 'As for POST /api/v1/public/track.',
          404: 'As for POST /api/v1/public/track: the one `not_found`.',
          422: "No address of the citizen on the ticket's channel to write to (`no_address`).",
          429: 'Too many lookups (`too_many_requests`), with Retry-After.',
        },
      }),
    },
  };
}
