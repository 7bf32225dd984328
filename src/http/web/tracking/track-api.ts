import { Router } from 'express';
import { AppError } from '../../../errors.js';
import { jsonBody } from '../../json-body.js';
import { trackSchema } from '../../openapi/paths-public-track.js';
import { parseInput } from '../../validate.js';
import { trackTexts } from '../../../i18n/track-texts.js';
import { TooManyLookupsError } from './track-throttle.js';
import type { Tracker } from './tracker.js';

/** The one 404 for every miss, word for word, so that no answer tells a ticket exists. */
export const TRACK_NOT_FOUND_MESSAGE = 'No ticket with this reference for this phone number or email';

/**
 * POST /api/v1/public/track: the tracking page's JSON twin. 200 with what the citizen may see;
 * 404 `not_found` alike for an unknown reference, a wrong phone or email and a merged ticket;
 * 400 naming a fault of the input itself (a wrong check digit, four digits that are not four);
 * 429 with Retry-After past the limits (per client address, per reference).
 */
export function trackApiRoutes(tracker: Tracker): Router {
  const router = Router();
  router.post('/track', jsonBody('4kb'), async (request, response) => {
    const input = parseInput(trackSchema, request.body, 'tracking request');
    let outcome: Awaited<ReturnType<Tracker['track']>>;
    try {
      outcome = await tracker.track(request.ip ?? 'unknown', input);
    } catch (error) {
      if (error instanceof TooManyLookupsError) response.set('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    response.set('Cache-Control', 'no-store');
    if (outcome.kind === 'problem') {
      const message = trackTexts('en').errors[outcome.problem];
      throw new AppError(400, outcome.problem, message);
    }
    if (outcome.kind === 'not_found') throw new AppError(404, 'not_found', TRACK_NOT_FOUND_MESSAGE);
    response.json({ data: outcome.status });
  });
  router.post('/track/subscribe', jsonBody('4kb'), async (request, response) => {
    const input = parseInput(trackSchema, request.body, 'subscription');
    let outcome: Awaited<ReturnType<Tracker['subscribe']>>;
    try {
      outcome = await tracker.subscribe(request.ip ?? 'unknown', input);
    } catch (error) {
      if (error instanceof TooManyLookupsError) response.set('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    if (outcome.kind === 'problem') throw new AppError(400, outcome.problem, trackTexts('en').errors[outcome.problem]);
    if (outcome.kind === 'not_found') throw new AppError(404, 'not_found', TRACK_NOT_FOUND_MESSAGE);
    response.json({ data: { subscribed: true, channel: outcome.channel } });
  });
  return router;
}
