import express, { type Request, type Response, Router } from 'express';
import { h } from 'preact';
import type { Language } from '../../../i18n/citizen-texts.js';
import { trackTexts } from '../../../i18n/track-texts.js';
import { webLanguage, webTexts } from '../../../i18n/web-texts.js';
import { citizenAssets } from '../citizen-assets.js';
import { TrackPage, type TrackPageState } from '../pages/track-page.js';
import { sendPage } from '../render-page.js';
import { UnprocessableError } from '../../../errors.js';
import { TooManyLookupsError } from './track-throttle.js';
import type { Tracker } from './tracker.js';

const STATUS_OF: Record<TrackPageState['kind'], number> = {
  form: 200,
  found: 200,
  problem: 400,
  not_found: 404,
  too_many: 429,
};

/**
 * GET /lacak (the form) and POST /lacak (the answer, on the same page): the API's answers as HTML,
 * with the API's statuses. The form is posted so that the second factor never sits in an address.
 */
export function trackPageRoutes(tracker: Tracker, options: { office: string; defaultLanguage: Language }): Router {
  const router = Router();
  const render = (request: Request, response: Response, state: TrackPageState, reference?: string) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const language = webLanguage(body.lang ?? request.query.lang, options.defaultLanguage);
    sendPage(
      response,
      h(TrackPage, {
        texts: webTexts(language),
        track: trackTexts(language),
        office: options.office,
        assets: citizenAssets(),
        state,
        reference,
      }),
      { status: STATUS_OF[state.kind] },
    );
  };
  router.get('/lacak', (request, response) => render(request, response, { kind: 'form' }));

  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  router.post(
    '/lacak',
    // A body we cannot read (too large, not a form) is a plain message on the page, never a 500.
    (request, response, next) =>
      form(request, response, (error?: unknown) =>
        error ? render(request, response, { kind: 'problem', problem: 'malformed' }) : next(),
      ),
    (request, response) => answer(request, response, false),
  );
  router.post(
    '/lacak/subscribe',
    (request, response, next) =>
      form(request, response, (error?: unknown) =>
        error ? render(request, response, { kind: 'problem', problem: 'malformed' }) : next(),
      ),
    (request, response) => answer(request, response, true),
  );

  /** Tracks (after subscribing, when asked) and renders the answer; the limits' 429 as a page too. */
  async function answer(request: Request, response: Response, subscribe: boolean): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).slice(0, 320) : undefined);
    const asked = { reference: text('reference'), phoneLast4: text('phoneLast4'), email: text('email') };
    try {
      let subscribed: { channel: string } | 'no_address' | undefined;
      if (subscribe) {
        try {
          const outcome = await tracker.subscribe(request.ip ?? 'unknown', asked);
          if (outcome.kind !== 'subscribed') return render(request, response, outcome, asked.reference);
          subscribed = { channel: outcome.channel };
        } catch (error) {
          if (!(error instanceof UnprocessableError)) throw error;
          subscribed = 'no_address';
        }
      }
      const outcome = await tracker.track(request.ip ?? 'unknown', asked);
      if (outcome.kind !== 'found') return render(request, response, outcome, asked.reference);
      render(request, response, {
        ...outcome,
        asked: { reference: asked.reference ?? '', phoneLast4: asked.phoneLast4, email: asked.email },
        subscribed,
      });
    } catch (error) {
      if (!(error instanceof TooManyLookupsError)) throw error;
      response.set('Retry-After', String(error.retryAfterSeconds));
      render(
        request,
        response,
        { kind: 'too_many', minutes: Math.ceil(error.retryAfterSeconds / 60) },
        asked.reference,
      );
    }
  }
  return router;
}
