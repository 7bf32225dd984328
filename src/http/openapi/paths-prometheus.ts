import { METRICS_PATH } from '../prometheus-route.js';
import { ADMIN_ONLY, operation } from './operation.js';
import type { PathsObject } from './types.js';

/** GET /metrics, for Prometheus (src/http/prometheus-route.ts). */
export function prometheusPaths(): PathsObject {
  return {
    [METRICS_PATH]: {
      get: operation({
        operationId: 'prometheusMetrics',
        tag: 'monitoring',
        summary:
          'Prometheus metrics: HTTP latencies, ingest counts, sends, job latencies, queue depths, SLA breaches, waiting tickets',
        description: [
          "The Prometheus text exposition format. The scraper authenticates with `Authorization: Bearer <METRICS_TOKEN>` (a setting; a token for a machine, that never expires); an admin's API token is accepted too. Not a supervisor's: the metrics have the waiting tickets of every team, and a supervisor sees their own teams' in `GET /api/v1/metrics/live`.",
          'Counters and histograms (`satupintu_http_request_duration_seconds`, `satupintu_inbox_recorded_total`, `satupintu_contacts_ingested_total`, `satupintu_outbound_sends_total`, `satupintu_job_latency_seconds`, `satupintu_job_processing_seconds`, `satupintu_job_failures_total`, and the process metrics under their standard names, `process_*` and `nodejs_*`) count what this process did: scrape every process and sum. Gauges read at scrape time (`satupintu_queue_jobs`, `satupintu_sla_breached_clocks`, `satupintu_sla_breaches_in_progress`, `satupintu_tickets_waiting`) describe the whole installation, the same from every process. `satupintu_redis_up` (1, or 0 during an outage) and `satupintu_redis_outages_total` are what this process sees of Redis.',
        ].join('\n\n'),
        access: ADMIN_ONLY,
        responses: {
          200: {
            description: 'The metrics, in the Prometheus text format (version 0.0.4)',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
        errors: {
          401: 'No bearer token, or one that is neither METRICS_TOKEN nor a valid API token.',
          403: "An agent's or a supervisor's API token: the metrics need an admin, or METRICS_TOKEN.",
        },
      }),
    },
  };
}
