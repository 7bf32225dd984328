import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { dummyPasswordHash, type PasswordVerifier, verifyPassword } from '../../../auth/passwords.js';
import { type LoginAttempt, type LoginThrottle, TooManyAttemptsError } from '../../../auth/login-throttle.js';
import { issueToken, revokeToken } from '../../../auth/tokens.js';
import { UnauthorizedError } from '../../../errors.js';
import { authenticate, bearerToken } from '../../authenticate.js';
import { jsonBody } from '../../json-body.js';
import { parseInput } from '../../validate.js';

const loginSchema = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(1024) });
/** The request schema above, for the OpenAPI document (src/http/openapi). */
export const authSchemas = { loginSchema };

export interface AuthRouteOptions {
  now?: () => Date;
  /** The password check (verifyPassword); tests count its calls. */
  verify?: PasswordVerifier;
}

export function authRoutes(
  db: Knex,
  throttle: LoginThrottle,
  tokenTtlHours: number,
  { now = () => new Date(), verify = verifyPassword }: AuthRouteOptions = {},
): Router {
  const router = Router();
  const dummyHash = dummyPasswordHash(); // made now, so that the first unknown email does not wait for it
  router.post('/login', jsonBody('16kb'), async (request, response) => {
    const { email, password } = parseInput(loginSchema, request.body, 'login');
    const address = request.ip ?? 'unknown';
    // Counted before the password is checked, so that attempts sent at once cannot all get past it.
    let attempt: LoginAttempt;
    try {
      attempt = await throttle.begin(email, address);
    } catch (error) {
      if (error instanceof TooManyAttemptsError) response.set('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    const agent = await db('agents')
      .where({ email: email.toLowerCase() })
      .first('id', 'name', 'role', 'password_hash', 'active');
    // The same answer for an unknown email, a wrong password and a disabled agent, after the same
    // work: without an active agent, the password is checked against a hash that matches nothing.
    const known = Boolean(agent?.active);
    const stored: string = known ? agent.password_hash : await dummyHash;
    if (!(await verify(password, stored)) || !known) {
      throw new UnauthorizedError('Email or password is wrong'); // the attempt stays counted
    }
    await attempt.succeeded();
    const { token, expiresAt } = await issueToken(db, Number(agent.id), tokenTtlHours, now());
    response.json({
      token,
      token_type: 'Bearer',
      expires_at: expiresAt.toISOString(),
      agent: { id: Number(agent.id), name: agent.name, role: agent.role },
    });
  });
  // The console's "log out": the presenting token is deleted, so a copy left behind stops working.
  router.post('/logout', authenticate(db, now), async (request, response) => {
    await revokeToken(db, bearerToken(request)!);
    response.status(204).end();
  });
  return router;
}
