import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { agentForToken, type AuthenticatedAgent, type Role } from '../auth/tokens.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

const AGENT = Symbol('agent');

type WithAgent = Request & { [AGENT]?: AuthenticatedAgent };

/** Requires a valid bearer token; the agent is then available through `currentAgent`. */
export function authenticate(db: Knex, now: () => Date = () => new Date()): RequestHandler {
  return async (request, _response, next) => {
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError('A bearer token is required (POST /api/v1/auth/login)');
    const agent = await agentForToken(db, token, now());
    if (!agent) throw new UnauthorizedError('The token is invalid, expired, or its agent is disabled');
    (request as WithAgent)[AGENT] = agent;
    next();
  };
}

/** The token of `Authorization: Bearer <token>`, if the request has one. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1];
}

export function currentAgent(request: Request): AuthenticatedAgent {
  const agent = (request as WithAgent)[AGENT];
  if (!agent) throw new UnauthorizedError();
  return agent;
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (request, _response, next) => {
    if (!roles.includes(currentAgent(request).role))
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`);
    next();
  };
}
