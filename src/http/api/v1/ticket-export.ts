import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { metricScope } from '../../../metrics/metric-scope.js';
import { resolvePeriod } from '../../../metrics/period.js';
import { periodQuery } from './period-query.js';
import { writeTicketExport } from '../../../metrics/ticket-export.js';
import { TICKET_STATUSES } from '../../../tickets/ticket-statuses.js';
import { currentAgent, requireRole } from '../../authenticate.js';
import { parseInput } from '../../validate.js';
import { listOf } from './ticket-filters.js';

export const exportQuery = periodQuery.extend({ status: listOf(z.enum(TICKET_STATUSES)) });

/**
 * GET /api/v1/tickets/export.csv: the tickets created in a period with their SLA outcomes, for
 * reports to the head of office. Mounted at its own path, before the tickets router, whose `/:id`
 * would take `export.csv` for a ticket id.
 */
export function ticketExportRoutes(db: Knex, referencePrefix: string, now: () => Date = () => new Date()): Router {
  const router = Router();
  router.get('/', requireRole('supervisor', 'admin'), async (request, response) => {
    const query = parseInput(exportQuery, request.query, 'query');
    const scope = await metricScope(db, currentAgent(request), query);
    const period = await resolvePeriod(db, query, now());
    response
      .type('text/csv; charset=utf-8')
      .attachment(`tickets-${period.from.toISOString().slice(0, 10)}-${period.to.toISOString().slice(0, 10)}.csv`);
    await writeTicketExport(db, scope, period, query.status?.length ? query.status : null, referencePrefix, response);
  });
  return router;
}
