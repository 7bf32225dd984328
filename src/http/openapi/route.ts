import type { RequestHandler } from 'express';
import { buildOpenApiDocument } from './document.js';

export { DOCUMENT_PATH } from './paths-document.js';

/** GET /api/openapi.json: the document, built once, public. */
export function openApiDocument(publicUrl: string): RequestHandler {
  let body: string | undefined;
  return (_request, response) => {
    body ??= JSON.stringify(buildOpenApiDocument(publicUrl));
    response.type('application/json').send(body);
  };
}
