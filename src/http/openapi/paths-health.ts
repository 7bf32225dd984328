import { jsonResponse, operation } from './operation.js';
import { ref } from './schemas.js';
import type { PathsObject } from './types.js';

/** Liveness and readiness. */
export function healthPaths(): PathsObject {
  return {
    '/healthz': {
      get: operation({
        operationId: 'liveness',
        tag: 'health',
        summary: 'Liveness: the process answers',
        access: 'public',
        responses: { 200: jsonResponse('Alive', ref('Health')) },
        errors: {},
      }),
    },
    '/readyz': {
      get: operation({
        operationId: 'readiness',
        tag: 'health',
        summary: 'Readiness: the database and Redis are reachable',
        access: 'public',
        responses: {
          200: jsonResponse('Ready', ref('Readiness')),
          503: jsonResponse(
            'Not ready: `checks` says which dependency is unreachable (this body, not the error body)',
            ref('Readiness'),
          ),
        },
        errors: {},
      }),
    },
  };
}
