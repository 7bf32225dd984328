import { z } from 'zod';
import { KEPT_CONTENT_TYPES } from '../../messages/attachment-policy.js';
import { PLAYED_AUDIO } from '../api/v1/attachment-headers.js';
import { pathParameters } from './json-schema.js';
import { ANY_AGENT, operation } from './operation.js';
import { TICKET_VISIBILITY } from './paths-tickets.js';
import type { PathsObject } from './types.js';

const attachmentId = pathParameters(z.object({ id: z.coerce.number().int().positive() }), {
  id: "The attachment's id (`messages[].attachments[].id` of the ticket view)",
});

/** Each type a file may be served as, without its parameters (text comes with `charset=utf-8`). */
const SERVED_TYPES = [...new Set([...KEPT_CONTENT_TYPES, ...PLAYED_AUDIO].map((type) => type.split(';')[0]!.trim()))];
const file = { schema: { type: 'string', format: 'binary' } };

export function attachmentPaths(): PathsObject {
  return {
    '/api/v1/attachments/{id}': {
      get: operation({
        operationId: 'downloadAttachment',
        tag: 'tickets',
        summary:
          "A file of a ticket's message (a citizen's mail attachment, a file an agent sent, a call's recording), its bytes",
        description:
          'The ticket view gives each file a `download_url` (this route). ' +
          'Served as the type told from its bytes when it was kept (PDF, images, office documents without macros, text, CSV); anything else is `application/octet-stream`, never HTML or SVG. ' +
          'PDF, raster images and audio come `inline`, every other type as an `attachment` to save; `Content-Disposition` carries the cleaned name (`filename`, and `filename*` in UTF-8, RFC 6266/5987). ' +
          "The answer has `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src 'none'; sandbox; frame-ancestors 'none'` and `Cache-Control: private, no-store`. " +
          "Media kept at a provider (`storage` = `provider`: a call's recording, as MP3; an MMS picture) is fetched from it with the server's credentials and streamed, never redirected to. " +
          'A file the server or the provider no longer has is a 404.',
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
          404: 'No such attachment, its ticket is not visible to the caller, or nobody has its file any more.',
          503: 'The provider that keeps the file could not be asked (try again).',
        },
      }),
    },
  };
}
