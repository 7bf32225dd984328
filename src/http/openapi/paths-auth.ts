import { authSchemas } from '../api/v1/auth.js';
import { toJsonSchema } from './json-schema.js';
import { jsonResponse, operation } from './operation.js';
import { ref } from './schemas.js';
import type { PathsObject } from './types.js';

export function authPaths(): PathsObject {
  return {
    '/api/v1/auth/login': {
      post: operation({
        operationId: 'login',
        tag: 'auth',
        summary: 'Log in with email and password: a bearer token that expires (TOKEN_TTL_HOURS)',
        description:
          'The same 401 for an unknown email, a wrong password and a disabled agent. Failed logins are counted per email and client address, and per email overall; past the limit the answer is 429 with Retry-After.',
        access: 'public',
        body: { schema: toJsonSchema(authSchemas.loginSchema) },
        responses: { 200: jsonResponse('Logged in', ref('LoginResponse')) },
        errors: {
          400: true,
          401: 'The email or the password is wrong, or the agent is disabled.',
          429: 'Too many failed logins (`too_many_attempts`): the Retry-After header says how many seconds to wait.',
        },
      }),
    },
  };
}
