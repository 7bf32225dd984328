import { z } from 'zod';
import { KEPT_CONTENT_TYPES } from '../../email/attachment-policy.js';
import { pathParameters } from './json-schema.js';
import { ANY_AGENT, operation } from './operation.js';
import { TICKET_VISIBILITY } from './paths-tickets.js';
import type { PathsObject } from './types.js';

const attachmentId = pathParameters(z.object({ id: z.coerce.number().int().positive() }), {
  id: "The attachment's id (`messages[].attachments[].id` of the ticket view)",
});

/** Each type a file may be served as, without its parameters (text comes with `charset=utf-8`). */
const SERVED_TYPES = [...new Set([...KEPT_CONTENT_TYPES].map((type) => type.split(';')[0]!.trim()))];
const file = { schema: { type: 'string', format: 'binary' } };

export function attachmentPaths(): PathsObject {
  return {
    '/api/v1/attachments/{id}': {
      get: operation({
        operationId: 'downloadAttachment',
        tag: 'tickets',
        summary: "A file of a ticket's message (a citizen's mail attachment, a file an agent sent), its bytes as kept",
        description:
          'The ticket view gives each kept file a `download_url` (this route). ' +
          'Served as the type told from its bytes when it was kept (PDF, images, office documents without macros, text, CSV); anything else is `application/octet-stream`, never HTML or SVG. ' +
          'PDF and raster images come `inline`, every other type as an `attachment` to save; `Content-Disposition` carries the cleaned name (`filename`, and `filename*` in UTF-8, RFC 6266/5987). ' +
          "The answer has `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src 'none'; sandbox; frame-ancestors 'none'` and `Cache-Control: private, no-store`. " +
          "Media kept at a provider (`storage` = `provider`) is not served here (404), nor is a file no longer on the server's disk.",
        access: ANY_AGENT,
        visibility: `${TICKET_VISIBILITY} The same holds for the attachments of its messages.`,
        parameters: attachmentId,
        responses: {
          200: {
            description: 'The file',
            headers: {
              'Content-Disposition': {
                description: '`inline` (PDF, raster images) or `attachment`, with `filename` and `filename*`',
                required: true,
                schema: { type: 'string' },
              },
            },
            content: Object.fromEntries([...SERVED_TYPES, 'application/octet-stream'].map((type) => [type, file])),
          },
        },
        errors: {
          400: 'The id is not a positive integer.',
          404: 'No such attachment, its ticket is not visible to the caller, or its file is not kept on this server.',
        },
      }),
    },
  };
}
