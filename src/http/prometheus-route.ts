import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import { agentForToken } from '../auth/tokens.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { PrometheusMetrics } from '../metrics/prometheus.js';

export const METRICS_PATH = '/metrics';

/**
 * GET /metrics: the Prometheus exposition. The scraper sends `Authorization: Bearer
 * <METRICS_TOKEN>` (a token of its own that never expires, for a machine); an admin's API token
 * works too, to look by hand. Agents and supervisors get 403: the exposition has the waiting
 * tickets of every team, and a supervisor sees their own teams' only (GET /api/v1/metrics/live).
 * Anyone else gets 401.
 */
export function prometheusRoute(db: Knex, metrics: PrometheusMetrics, metricsToken?: string): RequestHandler {
  const expected = metricsToken ? digest(metricsToken) : undefined;
  return async (request, response) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '');
    if (!match) throw new UnauthorizedError("A bearer token is required: METRICS_TOKEN, or an admin's API token");
    // Digests have one length, so the comparison takes the same time whatever was sent.
    const isScraper = expected !== undefined && timingSafeEqual(digest(match[1]!), expected);
    if (!isScraper) {
      const agent = await agentForToken(db, match[1]!, new Date());
      if (!agent) throw new UnauthorizedError('The token is not METRICS_TOKEN, nor a valid API token');
      if (agent.role !== 'admin') throw new ForbiddenError('The metrics need an admin, or METRICS_TOKEN');
    }
    const { contentType, body } = await metrics.scrape();
    response.type(contentType).send(body);
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
