import { type RequestHandler, Router } from 'express';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { InboxWriter } from '../../inbox/inbox-writer.js';
import type { Logger } from '../../logger.js';
import { citizenAssetRoutes } from './citizen-assets.js';
import { reportRoutes } from './report-routes.js';
import { trackApiRoutes } from './tracking/track-api.js';
import { trackPageRoutes } from './tracking/track-page-routes.js';
import { TrackThrottle } from './tracking/track-throttle.js';
import { Tracker } from './tracking/tracker.js';

export interface WebDoorContext {
  config: Config;
  db: Knex;
  redis: Redis;
  inbox: InboxWriter;
  logger: Logger;
  now?: () => Date;
}

/**
 * The citizens' web door: server-rendered pages (/lapor, /lacak, the chat frame) and their
 * public JSON API (/api/v1/public/...). Two parts on purpose:
 *
 * - `pages`: HTML pages and their static assets, no API operations, so they stay out of the
 *   OpenAPI document and the access matrix (as the console's pages do, src/http/console-route.ts).
 *   Their router is wrapped in a plain function, which the route listing does not walk into.
 * - `api`: the JSON twin of each page, mounted at /api/v1/public; every route is documented in
 *   src/http/openapi/ with public `x-roles` and has its row in the access matrix.
 */
export function webDoorRoutes(context: WebDoorContext): { pages: RequestHandler; api: Router } {
  const pages = Router();
  const { config } = context;
  const api = Router();
  pages.use(citizenAssetRoutes());
  const report = reportRoutes(context);
  pages.use(report.pages);
  api.get('/submissions/form', report.apiForm);
  api.post('/submissions', report.apiSubmit);
  const tracker = new Tracker(
    context.db,
    new TrackThrottle(context.redis, {
      perAddress: config.TRACK_LOOKUPS_PER_ADDRESS,
      failuresPerReference: config.TRACK_FAILURES_PER_REFERENCE,
      windowMinutes: config.TRACK_WINDOW_MINUTES,
      keyPrefix: config.QUEUE_PREFIX,
    }),
    { referencePrefix: config.REFERENCE_PREFIX, defaultRegion: config.DEFAULT_REGION, now: context.now },
  );
  pages.use(trackPageRoutes(tracker, { office: config.OFFICE_NAME, defaultLanguage: config.DEFAULT_LANGUAGE }));
  api.use(trackApiRoutes(tracker));
  return { pages: (request, response, next) => pages(request, response, next), api };
}
