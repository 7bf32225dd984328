import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { PrometheusMetrics } from '../metrics/prometheus.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { healthRoutes } from './health.js';
import { METRICS_PATH, prometheusRoute } from './prometheus-route.js';
import { securityHeaders } from './security-headers.js';

/**
 * What a worker process (ROLE=worker) serves on METRICS_PORT: its own metrics (ingested contacts,
 * sends, job latencies are counted where the workers run) and its health, nothing else. The
 * scraper scrapes the API processes and the worker processes alike, and sums.
 */
export function createWorkerMetricsApp(context: {
  db: Knex;
  redis: Redis;
  metrics: PrometheusMetrics;
  logger: Logger;
  metricsToken?: string;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders()); // the scraper's port: Strict-Transport-Security only over TLS
  app.use(healthRoutes(context.db, context.redis));
  app.get(METRICS_PATH, prometheusRoute(context.db, context.metrics, context.metricsToken));
  app.use(notFoundHandler);
  app.use(errorHandler(context.logger));
  return app;
}
