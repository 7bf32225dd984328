import { jsonResponse, operation } from './operation.js';
import type { PathsObject } from './types.js';

export const DOCUMENT_PATH = '/api/openapi.json';

export function documentPaths(): PathsObject {
  return {
    [DOCUMENT_PATH]: {
      get: operation({
        operationId: 'getOpenApiDocument',
        tag: 'meta',
        summary: 'This OpenAPI 3.1 document',
        access: 'public',
        responses: { 200: jsonResponse('The document', { type: 'object', description: 'An OpenAPI 3.1 document' }) },
        errors: {},
      }),
    },
  };
}
