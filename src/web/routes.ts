import { Router, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { h } from 'preact';
import type { Config } from '../config.js';
import { webLanguage, webTexts } from '../i18n/web-texts.js';
import { citizenAssetRoutes, citizenAssets } from './citizen-assets.js';
import { ReportFormPage } from './pages/report-form-page.js';
import { sendPage } from './render-page.js';
import { trackApiRoutes } from './tracking/track-api.js';
import { trackPageRoutes } from './tracking/track-page-routes.js';
import { TrackThrottle } from './tracking/track-throttle.js';
import { Tracker } from './tracking/tracker.js';

export interface WebDoorContext {
  config: Config;
  db: Knex;
  redis: Redis;
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
  const { config } = context;
  const pages = Router();
  pages.use(citizenAssetRoutes());
  pages.get('/lapor', (request, response) => {
    const texts = webTexts(webLanguage(request.query.lang, config.DEFAULT_LANGUAGE));
    sendPage(response, h(ReportFormPage, { texts, office: config.OFFICE_NAME, assets: citizenAssets() }));
  });
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
  const api = Router();
  api.use(trackApiRoutes(tracker));
  return { pages: (request, response, next) => pages(request, response, next), api };
}
