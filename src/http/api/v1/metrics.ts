import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { TicketEventTail } from '../../../metrics/live/event-tail.js';
import { streamTicketEvents } from '../../event-stream.js';
import { reachesSupervisor } from '../../../metrics/live/supervisor-audience.js';
import { summaryCsv } from '../../../metrics/csv-export.js';
import { liveMetrics } from '../../../metrics/live-metrics.js';
import { periodQuery } from './period-query.js';
import { summaryMetrics } from '../../../metrics/summary-metrics.js';
import { currentAgent, requireRole } from '../../authenticate.js';
import { idText, MAX_ID, parseInput } from '../../validate.js';
import { listOf } from './ticket-filters.js';

export const liveQuery = z.object({
  team: listOf(idText('a team id')).transform((ids) => ids?.map(Number)),
});
export const streamQuery = z.object({
  last_event_id: z.coerce.number().int().min(0).max(MAX_ID).optional(),
  // 0: no snapshots; otherwise the live numbers as a `queue` event at connection and every N seconds.
  snapshot_seconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .refine((value) => value === 0 || value >= 5, '0 (none) or at least 5'),
});

export interface MetricsRoutesContext {
  db: Knex;
  tail: TicketEventTail;
  now?: () => Date;
  /** LIVE_STREAMS_PER_TOKEN. */
  maxStreamsPerToken?: number;
}

/**
 * The supervisor's view (issue 4): the live numbers, the summary of a period (JSON and CSV), and
 * the supervisors' event stream. Supervisors get their teams', admins everyone's; agents 403.
 */
export function metricsRoutes(context: MetricsRoutesContext): Router {
  const { db, tail } = context;
  const now = context.now ?? (() => new Date());
  const router = Router();
  router.use(requireRole('supervisor', 'admin'));

  router.get('/live', async (request, response) => {
    const query = parseInput(liveQuery, request.query, 'query');
    response.json({ data: await liveMetrics(db, currentAgent(request), query, now()) });
  });

  router.get('/summary', async (request, response) => {
    const query = parseInput(periodQuery, request.query, 'query');
    response.json({ data: await summaryMetrics(db, currentAgent(request), query, now()) });
  });

  router.get('/summary.csv', async (request, response) => {
    const query = parseInput(periodQuery, request.query, 'query');
    const summary = await summaryMetrics(db, currentAgent(request), query, now());
    response
      .type('text/csv; charset=utf-8')
      .attachment(`summary-${summary.period.from.slice(0, 10)}-${summary.period.to.slice(0, 10)}.csv`)
      .send(summaryCsv(summary));
  });

  router.get('/stream', async (request, response) => {
    const { snapshot_seconds: seconds } = parseInput(streamQuery, request.query, 'query');
    await streamTicketEvents(request, response, {
      db,
      tail,
      now,
      audience: reachesSupervisor,
      maxPerToken: context.maxStreamsPerToken,
      snapshot:
        seconds === 0
          ? undefined
          : { event: 'queue', intervalMs: seconds * 1000, build: (agent) => liveMetrics(db, agent, {}, now()) },
    });
  });

  return router;
}
