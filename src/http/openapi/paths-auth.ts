import { authSchemas } from '../api/v1/auth.js';
import { toJsonSchema } from './json-schema.js';
import { ANY_AGENT, jsonResponse, operation } from './operation.js';
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
          'The same 401, after the same password check, for an unknown email, a wrong password and a disabled agent. Attempts are counted before the password is checked: per email and client address (LOGIN_MAX_FAILURES), per client address over all emails (20 times that), and per email over all addresses (4 times that; past it, only addresses that have failed at the email themselves are refused, so the owner can still log in from their own). Past a limit the answer is 429 with Retry-After; a success does not count.',
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
    '/api/v1/auth/logout': {
      post: operation({
        operationId: 'logout',
        tag: 'auth',
        summary: 'Log out: the bearer token presented is revoked on the server',
        description:
          "The token is deleted: from then on it answers 401 everywhere, wherever a copy of it is. The agent's other tokens (other browsers) keep working.",
        access: ANY_AGENT,
        responses: { 204: { description: 'Logged out: the token no longer works' } },
        errors: {},
      }),
    },
  };
}
